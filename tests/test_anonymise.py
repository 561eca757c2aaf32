"""Anonymising what callers said: a table of real phrasings, and the figures of the
labelled set (benchmarks/anonymisation) kept as a regression floor."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from acotel_voice.records import anonymise

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "anonymisation"


@pytest.mark.parametrize(("said", "gone", "kept"), [
    ("je m'appelle Jeanne Dupont j'habite 12 rue des Lilas à Cavaillon",
     ["Jeanne", "Dupont", "Lilas"], ["Cavaillon"]),
    ("mon numéro c'est zéro six douze trente-quatre cinquante-six soixante-dix-huit",
     ["douze", "trente-quatre", "soixante-dix-huit"], []),
    ("appelez moi au 06 12 34 56 78 merci", ["06 12 34"], ["merci"]),
    ("jean point dupont arobase orange point fr", ["dupont", "orange"], []),
    ("je suis née le 3 mars 1941 à Lucé", ["1941", "mars"], ["Lucé"]),
    ("c'est Michel Paul à l'appareil je suis à Saussan", ["Michel", "Paul"], ["Saussan"]),
    ("de la part de benoit paul ma voisine m'a dit d'appeler", ["benoit", "paul"], ["voisine"]),
    ("mon numéro allocataire 6454284 si vous voulez", ["6454284"], []),
    ("j'habite au cent trente-cinq chemin de masson à Lespignan", ["masson", "trente-cinq"],
     ["Lespignan"]),
    # kept: towns that look like names, workshops, services, everyday places
    ("j'habite à Sainte-Maxime je voudrais l'atelier mémoire", [], ["Sainte-Maxime", "mémoire"]),
    ("je prends des cours de gym à la place du marché", [], ["cours de gym", "place du marché"]),
    ("madame je voudrais l'atelier mémoire à treize cent", [], ["madame je voudrais",
                                                                "treize cent"]),
    ("c'est la carsat qui m'a parlé de l'équilibre à Marie", [], ["carsat", "Marie"]),
])
def test_personal_data_goes_and_the_rest_stays(said: str, gone: list[str],
                                               kept: list[str]) -> None:
    out = anonymise(said)
    for word in gone:
        assert word not in out, out
    for word in kept:
        assert word in out, out


def test_the_labelled_set_stays_above_the_issue_s_floor() -> None:
    spec = importlib.util.spec_from_file_location("anonymisation_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    evaluate = bench.evaluate

    items = [json.loads(line) for line in (BENCH / "labelled.jsonl").read_text("utf-8")
             .splitlines()]
    result = evaluate(anonymise, items)
    assert result["removed_pct"] >= 98.0 and result["kept_pct"] >= 99.0, result["missed"][:5]
