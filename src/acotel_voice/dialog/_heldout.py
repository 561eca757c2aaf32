"""The understanding scored on a held-out set that is never trained on
(``benchmarks/understanding/heldout_test.jsonl``: one JSON object a line,
``{"id", "step", "text", "labels": [...]}``, with multi-labels from the benchmark's
taxonomy), to compare the published model with a candidate before publishing it.

The taxonomy is richer than the model's intents; only labels with a model intent count.
The mapping (held-out label -> model intent):

=========================  =====================  ========================================
held-out label             model intent           note
=========================  =====================  ========================================
affirm, deny, dont_know,   same name
repeat, slower, next,
new_search, goodbye,
suicide, insult,
out_of_scope
stop_results               stop                   "arrêtez" while results are read
ask_robot                  objection_robot
service_human              objection_robot        "je veux parler à quelqu'un" is there
ask_who_calls              objection_what
ask_price                  objection_cost
emergency, illness         distress               the corpus's distress holds both
service_pension            pension
service_health_insurance   health_insurance
service_home_help,         out_of_scope           the model's "another service" answer
service_caf, service_doctor
kind:mémoire ...           theme_memoire ...      the modules of ``_intents.THEMES``
                                                  (kind:gym douce -> theme_forme, ...)
ask_number                 (none)                 the workshop's phone number, a question
                                                  on the results, not objection_number
                                                  ("who gave you my number")
ask_where, ask_when,       (none)                 questions on a workshop: answered from
ask_register, ask_bring,                          the results (``_results.question_in``)
ask_who
greeting, wait, thanks,    (none)                 read by ``_moves`` patterns, not the model
abuse, loneliness,
service_scam, score_*,
place:*, other kind:*
=========================  =====================  ========================================

An utterance is scored only if one of its labels maps to an intent; it is right if the
intent predicted (rules first, then the model, as in calls) is one of its mapped labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._intents import THEMES, FittedModel, detect_many, normalize

HELDOUT = (Path(__file__).resolve().parents[3] / "benchmarks" / "understanding"
           / "heldout_test.jsonl")
SAME = ("affirm", "deny", "dont_know", "repeat", "slower", "next", "new_search", "goodbye",
        "suicide", "insult", "out_of_scope")
LABEL_INTENTS: dict[str, str] = {
    **{label: label for label in SAME},
    "stop_results": "stop", "ask_robot": "objection_robot", "service_human": "objection_robot",
    "ask_who_calls": "objection_what", "ask_price": "objection_cost",
    "emergency": "distress", "illness": "distress",
    "service_pension": "pension", "service_health_insurance": "health_insurance",
    "service_home_help": "out_of_scope", "service_caf": "out_of_scope",
    "service_doctor": "out_of_scope",
    **{f"kind:{module}": intent for intent, (_theme, module) in THEMES.items() if module},
}
# Recall of these must never fall with a publication.
SAFETY = ("suicide", "distress", "insult")


class HeldoutError(ValueError):
    """A held-out file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Item:
    id: str
    step: str
    text: str
    intents: frozenset[str]  # the model intents its labels map to (empty: not scored)


def intents_of(labels: Iterable[str]) -> frozenset[str]:
    return frozenset(LABEL_INTENTS[label] for label in labels if label in LABEL_INTENTS)


def load_heldout(path: Path | None = None) -> list[Item]:
    """Every utterance of the held-out file (``HELDOUT`` by default)."""
    path = Path(path or HELDOUT)
    if not path.exists():
        raise HeldoutError(f"held-out set not found: {path}")
    items = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            labels = [str(label) for label in data["labels"]]
            items.append(Item(str(data.get("id", number)), str(data.get("step", "")),
                              str(data["text"]), intents_of(labels)))
        except (ValueError, KeyError, TypeError) as error:
            raise HeldoutError(f"{path}:{number}: not a held-out line ({error})") from None
    return items


def heldout_texts(items: Iterable[Item]) -> frozenset[str]:
    """The held-out utterances, normalised: never to be trained on."""
    return frozenset(normalize(item.text) for item in items)


def score(model: FittedModel, items: list[Item]) -> dict[str, Any]:
    """Overall accuracy, per-intent recall and precision, safety recall of ``model``."""
    scored = [item for item in items if item.intents]
    predicted = detect_many([item.text for item in scored], model)
    right = sum(p in item.intents for p, item in zip(predicted, scored, strict=True))
    per_intent: dict[str, dict[str, Any]] = {}
    for intent in sorted({i for item in scored for i in item.intents} | set(predicted)):
        if intent == "unknown":
            continue
        support = [p for p, item in zip(predicted, scored, strict=True) if intent in item.intents]
        said = [item for p, item in zip(predicted, scored, strict=True) if p == intent]
        per_intent[intent] = {
            "support": len(support),
            "recall": sum(p == intent for p in support) / len(support) if support else None,
            "precision": (sum(intent in item.intents for item in said) / len(said)
                          if said else None)}
    return {"items": len(items), "scored": len(scored), "right": right,
            "accuracy": right / len(scored) if scored else None,
            "unknown": sum(p == "unknown" for p in predicted), "per_intent": per_intent,
            "safety": {s: per_intent.get(s, {}).get("recall") for s in SAFETY}}


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def compare(published: dict[str, Any], candidate: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per intent: support, the published and candidate recall and precision."""
    rows = []
    for intent in sorted(set(published["per_intent"]) | set(candidate["per_intent"])):
        before = published["per_intent"].get(intent, {})
        after = candidate["per_intent"].get(intent, {})
        rows.append({
            "intent": intent, "safety": intent in SAFETY,
            "support": after.get("support", before.get("support", 0)),
            "recall": (before.get("recall"), after.get("recall"),
                       _difference(before.get("recall"), after.get("recall"))),
            "precision": (before.get("precision"), after.get("precision"),
                          _difference(before.get("precision"), after.get("precision")))})
    return rows


def refusals(published: dict[str, Any], candidate: dict[str, Any]) -> list[str]:
    """Why the candidate may not be published (French, for the steering app); none when
    its overall accuracy is not lower and no safety recall decreased."""
    reasons = []
    if candidate["scored"] == 0:
        reasons.append("Le jeu de test ne contient aucune réponse notée : rien à comparer.")
    elif (candidate["accuracy"] or 0.0) < (published["accuracy"] or 0.0):
        reasons.append(f"L'exactitude globale baisse : {_pct(published['accuracy'])} → "
                       f"{_pct(candidate['accuracy'])}.")
    for label in SAFETY:
        before, after = published["safety"].get(label), candidate["safety"].get(label)
        if before is not None and (after is None or after < before):
            reasons.append(f"Le rappel de « {label} » (sécurité) baisse : {_pct(before)} → "
                           f"{_pct(after)}.")
    return reasons


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")
