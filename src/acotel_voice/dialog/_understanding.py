"""Everything the dialog understands in one answer, as one set of labels: the same readers
the steps use (``_moves`` for safety, courtesy, other services and conversational moves;
``_results.question_in`` for questions on a workshop; the intent model for yes, no and
the like; ``_kinds.chosen_kind`` for the kind of workshop; the evaluation's marks), named
in the held-out understanding set's taxonomy (``benchmarks/understanding/README.md``) so
that the whole understanding can be measured on sentences it never saw."""

from __future__ import annotations

import re

from ._intents import detect, normalize
from ._kinds import chosen_kind
from ._moves import read_moves
from ._results import question_in

# The intent model's names in the taxonomy (intents without a label are left out: the
# themes are read by ``chosen_kind``, safety and services by ``read_moves``).
INTENT_LABELS = {
    "affirm": "affirm", "deny": "deny", "dont_know": "dont_know", "repeat": "repeat",
    "slower": "slower", "next": "next", "stop": "stop_results", "new_search": "new_search",
    "goodbye": "goodbye", "objection_robot": "ask_robot", "objection_what": "ask_who_calls",
    "objection_cost": "ask_price", "pension": "service_pension",
    "health_insurance": "service_health_insurance", "out_of_scope": "out_of_scope",
}
QUESTION_LABELS = {
    "ask_number": "ask_number", "ask_register": "ask_register", "ask_price": "ask_price",
    "ask_bring": "ask_bring", "ask_eligibility": "ask_who", "ask_when": "ask_when",
    "ask_where": "ask_where",
}
KIND_STEPS = frozenset({"welcome", "location", "theme", "results", "sms"})
QUESTION_STEPS = frozenset({"results", "sms"})  # questions on a workshop being presented
YES_NO_STEPS = frozenset({"location", "results", "sms"})  # where "oui, …" answers a question
# Acted on at any step only when the model is this sure (the engine's GLOBAL_CONFIDENCE).
SURE = 0.6
ANYWHERE = frozenset({"ask_robot", "ask_who_calls", "ask_price", "service_pension",
                      "service_health_insurance", "out_of_scope"})
URGENT = frozenset({"emergency", "suicide", "abuse"})
LEADING_GREETING = re.compile(r"^(?:(?:oui|ah|euh|alors|ben) )*(?:allo|bonjour|bonsoir|salut)\b")
THANKS = re.compile(r"\bmerci\b")
LEADING_YES = re.compile(r"^(?:(?:ben|ah|euh|bah|mais) )*(?:oui|ouais|voila|exactement)\b")
SPOKEN_MARKS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
SERVICES = frozenset({"service_scam", "service_home_help", "service_caf",
                      "service_health_insurance", "service_pension", "service_human",
                      "service_doctor", "out_of_scope"})


def understand(text: str, step: str) -> frozenset[str]:
    """The labels of what ``text``, said at ``step``, holds."""
    labels = set(read_moves(text, step))
    if "who" in labels:  # the move's name in the taxonomy
        labels.discard("who")
        labels.add("ask_who_calls")
    if "service_find_doctor" in labels:  # finding a doctor: the doctor service there
        labels.discard("service_find_doctor")
        labels.add("service_doctor")
    norm = normalize(text)
    if LEADING_GREETING.match(norm):
        labels.add("greeting")
    if THANKS.search(norm) and not norm.startswith("non merci"):
        labels.add("thanks")
    if step in ("evaluation", "evaluation_reason"):
        mark = _mark(text) if step == "evaluation" else None
        if mark:
            labels.add(f"score_{mark}")
        elif step == "evaluation" and detect(text).name == "dont_know":
            labels.add("dont_know")
        return frozenset(labels)
    question = QUESTION_LABELS.get(question_in(text)) if step in QUESTION_STEPS else None
    if question:
        labels.add(question)
    intent = detect(text)
    label = INTENT_LABELS.get(intent.name)
    if label in ANYWHERE and intent.source != "rule" and intent.confidence < SURE:
        label = None
    if labels & {"greeting", "wait"} and label in ("affirm", "dont_know"):
        label = None  # "bonjour madame", "attendez…" answer nothing yet
    if label and not (label in SERVICES and labels & SERVICES) and not (
            label == "goodbye" and "thanks" in labels and len(norm.split()) <= 3):
        labels.add(label)
    if step in YES_NO_STEPS and LEADING_YES.match(norm):
        labels.add("affirm")
    if step in KIND_STEPS and not labels & URGENT and not (
            labels & SERVICES and "atelier" not in norm):
        kind = chosen_kind(text)
        if kind:
            labels.add(f"kind:{kind}")
    return frozenset(labels)


def _mark(text: str) -> int | None:
    for word in normalize(text).split():
        value = int(word) if word.isdigit() and len(word) == 1 else SPOKEN_MARKS.get(word)
        if value and 1 <= value <= 5:
            return value
    return None
