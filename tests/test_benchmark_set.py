"""The labelled spoken forms: the targets of the location benchmark hold on every commit.

These are accuracy checks on committed data (no timing): the side-by-side run with addok
and the timings live in benchmarks/location/run.py."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "location"))

from evaluate import Answer, is_right, load_forms, score_answers
from run import acotel_answer


@pytest.fixture(scope="module")
def scores(resolver):
    forms = load_forms()
    regions = {p.insee: p.region for p in resolver.gazetteer.places}
    answers = [acotel_answer(resolver.resolve(f["text"])) for f in forms]
    return score_answers(forms, answers, regions)


def test_the_set_is_large_and_varied() -> None:
    forms = load_forms()
    assert len(forms) >= 1500
    kinds = Counter(f["kind"] for f in forms)
    assert kinds["junk"] >= 100 and kinds["ambiguous"] >= 100 and kinds["doubtful"] >= 100
    assert len({f["category"] for f in forms}) >= 20


def test_targets_of_the_issue(scores) -> None:
    assert scores["kind"]["unambiguous"]["rate"] >= 0.97
    assert scores["kind"]["ambiguous"]["rate"] >= 0.99
    assert scores["kind"]["junk"]["rate"] == 1.0
    assert scores["kind"]["department"]["rate"] >= 0.95


def test_a_wrong_town_is_never_given_without_a_confirmation(scores) -> None:
    assert scores["silent_errors"] == 0
    assert scores["doubtful_never_silent"]["rate"] == 1.0


@pytest.mark.parametrize(("form", "answer", "right"), [
    ({"kind": "unambiguous", "expected": ["13001"]}, Answer("resolved", ("13001",)), True),
    ({"kind": "unambiguous", "expected": ["13001"]}, Answer("not_found", ()), False),
    ({"kind": "ambiguous", "expected": ["21052", "75056"]},
     Answer("resolved", ("21052",), confirm=False), False),  # a silent pick
    ({"kind": "ambiguous", "expected": ["21052", "36015"]},
     Answer("ambiguous", ("21052", "75056")), False),  # an in-region homonym left out
    ({"kind": "ambiguous", "expected": ["21052", "36015"]},
     Answer("ambiguous", ("21052", "36015")), True),
    ({"kind": "doubtful", "expected": ["13001"]}, Answer("resolved", ("13001",)), False),
    ({"kind": "doubtful", "expected": ["13001"]},
     Answer("resolved", ("13001",), confirm=True), True),
    ({"kind": "department", "expected": ["83"]},
     Answer("needs_more", (), departments=("83",)), True),
    ({"kind": "junk", "expected": []}, Answer("resolved", ("13001",)), False),
])
def test_what_counts_as_right(form, answer, right) -> None:
    regions = {"21052": "bourgogne-franche-comte", "36015": "centre-val-de-loire",
               "75056": "autre", "13001": "sud-est"}
    assert is_right(form, answer, regions) is right
