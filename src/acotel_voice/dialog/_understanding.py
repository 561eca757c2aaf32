"""Everything the dialog understands in one answer, as one set of labels: the same readers
the steps use (``_moves`` for safety, courtesy, other services and conversational moves;
``_results.question_in`` for questions on a workshop; the intent model for yes, no and
the like; ``_moves.chosen_kind`` for the kind of workshop; the evaluation's marks), named
in the held-out understanding set's taxonomy (``benchmarks/understanding/README.md``) so
that the whole understanding can be measured on sentences it never saw."""

from __future__ import annotations

from ._intents import detect, normalize
from ._moves import chosen_kind, read_moves
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
SPOKEN_MARKS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
SERVICES = frozenset({"service_scam", "service_home_help", "service_caf",
                      "service_health_insurance", "service_pension", "service_human",
                      "service_doctor", "out_of_scope"})


def understand(text: str, step: str) -> frozenset[str]:
    """The labels of what ``text``, said at ``step``, holds."""
    labels = set(read_moves(text, step))
    if step in ("evaluation", "evaluation_reason"):
        mark = _mark(text) if step == "evaluation" else None
        if mark:
            labels.add(f"score_{mark}")
        return frozenset(labels)
    question = QUESTION_LABELS.get(question_in(text))
    if question:
        labels.add(question)
    intent = detect(text)
    label = INTENT_LABELS.get(intent.name)
    if label and not (label in SERVICES and labels & SERVICES):
        labels.add(label)
    if step in KIND_STEPS:
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
