"""Score a location engine on the labelled spoken forms. Pure functions, no timing.

An engine answers one text with an ``Answer``: a status (as ``acotel_geo.Status`` values),
its offered INSEE codes best first, and whether it asks for confirmation.

What counts as right, per kind of form:
- unambiguous: the best offered commune is an expected one (top-1);
- ambiguous (homonyms said bare): no silent pick (ambiguous, or resolved with a
  confirmation), an expected commune is offered, and so is every expected commune of the
  experiment's regions (up to the number offered);
- doubtful (wrong or four-digit postcode): the intended commune is offered, with a
  confirmation or as ambiguous: never a silent guess;
- department: the answer asks for more (``needs_more``) naming that department;
- junk: nothing is found.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FORM_FILES = ("spoken_forms.jsonl", "hard_cases.jsonl")


@dataclass(frozen=True, slots=True)
class Answer:
    status: str
    offered: tuple[str, ...]
    confirm: bool = False
    departments: tuple[str, ...] = ()


Engine = Callable[[str], Answer]


def load_forms(sample: int | None = None) -> list[dict[str, Any]]:
    """The labelled forms; ``sample`` keeps every n-th form so each category stays present."""
    forms = []
    for name in FORM_FILES:
        with open(HERE / name, encoding="utf-8") as handle:
            forms.extend(json.loads(line) for line in handle if line.strip())
    if sample and sample < len(forms):
        step = len(forms) / sample
        forms = [forms[int(i * step)] for i in range(sample)]
    return forms


def in_region_codes(form: dict[str, Any], region_of_insee: dict[str, str]) -> list[str]:
    return [c for c in form["expected"] if region_of_insee.get(c, "autre") != "autre"]


def is_right(form: dict[str, Any], answer: Answer, region_of_insee: dict[str, str]) -> bool:
    kind, expected = form["kind"], set(form["expected"])
    offered = answer.offered
    if kind == "unambiguous":
        return bool(offered) and answer.status != "not_found" and offered[0] in expected
    if kind == "ambiguous":
        wanted = in_region_codes(form, region_of_insee)[:len(offered)]
        not_silent = answer.status == "ambiguous" or answer.confirm
        return not_silent and bool(expected & set(offered)) and set(wanted) <= set(offered)
    if kind == "doubtful":
        not_silent = answer.status == "ambiguous" or answer.confirm
        return not_silent and bool(expected & set(offered))
    if kind == "department":
        return answer.status == "needs_more" and bool(expected & set(answer.departments))
    if kind == "junk":
        return answer.status == "not_found"
    raise ValueError(f"unknown kind {kind!r}")


def rate(values: Iterable[bool]) -> dict[str, float | int]:
    values = list(values)
    return {"n": len(values), "rate": round(sum(values) / len(values), 4) if values else 0.0}


def score_answers(forms: list[dict[str, Any]], answers: list[Answer],
                  region_of_insee: dict[str, str]) -> dict[str, Any]:
    """Rates per kind, category and region, plus the silent errors (resolved with no
    confirmation to a wrong commune: the worst outcome for a caller)."""
    right = [is_right(f, a, region_of_insee) for f, a in zip(forms, answers, strict=True)]
    by: dict[str, dict[str, list[bool]]] = {"kind": defaultdict(list),
                                             "category": defaultdict(list),
                                             "region": defaultdict(list)}
    silent_errors = 0
    doubtful_not_silent = [a.status == "ambiguous" or a.confirm or a.status == "not_found"
                           for f, a in zip(forms, answers, strict=True) if f["kind"] == "doubtful"]
    for form, answer, ok in zip(forms, answers, right, strict=True):
        by["kind"][form["kind"]].append(ok)
        by["category"][form["category"]].append(ok)
        if form["region"]:
            by["region"][form["region"]].append(ok)
        if (answer.status == "resolved" and not answer.confirm and answer.offered
                and form["kind"] in ("unambiguous", "ambiguous", "doubtful")
                and answer.offered[0] not in form["expected"]):
            silent_errors += 1
    return {
        "overall": rate(right),
        "silent_errors": silent_errors,
        "doubtful_never_silent": rate(doubtful_not_silent),
        **{name: {key: rate(values) for key, values in sorted(groups.items())}
           for name, groups in by.items()},
    }


def timing(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"median_ms": round(statistics.median(ordered) / 1e6, 4),
            "p99_ms": round(p99 / 1e6, 4), "n": len(ordered)}
