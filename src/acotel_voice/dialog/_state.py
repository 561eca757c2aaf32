"""Everything the engine knows about one call, as plain JSON-serialisable values, so any
process can continue a call from its state.

The state is typed by part: where the conversation is (``dialog``), what the caller asks
for (``request``), where they live (``location``), what was found and sent
(``results``), and how the call went (``outcome``); the call itself (who, when, ended,
statuses, the masked log) stays at the top. Stored, it is one flat JSON object, the same
keys as ever (``to_dict`` / ``from_dict``): a state saved before the parts loads as is,
and the stores and the records read the same fields.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any


@dataclass(slots=True)
class DialogPart:
    """Where the conversation is."""

    step: str = "request"
    last_prompt: list[str] = field(default_factory=list)  # repeated on "pardon ?"
    last_listen: dict[str, Any] = field(default_factory=dict)
    slow: bool = False
    misunderstood: int = 0  # in a row
    no_input: int = 0  # in a row
    resume_step: str = ""  # the question to come back to after a safety answer
    safety_insisted: bool = False  # the number was said again when the caller went on
    stays: int = 0  # answers in a row that left the dialog on the same question


@dataclass(slots=True)
class RequestPart:
    """What the caller is looking for."""

    understood: bool = False  # the open question was answered and understood
    theme: str = ""  # one of the four themes, or "" for any
    module: str = ""
    theme_chosen: bool = False
    theme_asked: bool = False  # the theme question was put in this call


@dataclass(slots=True)
class LocationPart:
    """Where the caller lives."""

    place: dict[str, Any] = field(default_factory=dict)  # the commune located
    pending: dict[str, Any] = field(default_factory=dict)  # a commune to confirm
    options: list[dict[str, Any]] = field(default_factory=list)  # homonyms to choose from
    department_hint: str = ""
    tries: int = 0
    first_try: bool = False
    region: str = ""  # the caller's experiment region, once located


@dataclass(slots=True)
class ResultsPart:
    """The searches, the workshops presented, the SMS."""

    searches: int = 0
    found_any: bool = False
    refine_offered: bool = False
    searched_farther: bool = False  # the requested kind beyond 50 km / 8 weeks, once
    items: list[dict[str, Any]] = field(default_factory=list)  # what can be presented
    presented: int = 0  # how many were presented
    question: str = ""  # asked after a workshop: "number" or "next"
    search_step: int = 0  # the ladder step that found (1 = 10 km / 4 weeks; 0: none)
    sms_offered: bool = False
    sms_sent: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OutcomePart:
    """Special situations and how the call went."""

    insults: int = 0
    distress: bool = False
    safety: list[str] = field(default_factory=list)  # emergency, suicide, abuse, loneliness…
    services_given: list[str] = field(default_factory=list)  # other services answered
    off_topic: int = 0
    caller_hung_up: bool = False
    reached_goodbye: bool = False
    evaluation: list[int] = field(default_factory=list)
    evaluation_reason: str = ""  # anonymised


@dataclass(slots=True)
class CallState:
    call_id: str
    caller: str  # national form; needed for the SMS, never logged unmasked
    caller_masked: str
    origin: str  # "mobile" | "fixe" | "autre"
    called: str
    started_at: str
    dialog: DialogPart = field(default_factory=DialogPart)
    request: RequestPart = field(default_factory=RequestPart)
    location: LocationPart = field(default_factory=LocationPart)
    results: ResultsPart = field(default_factory=ResultsPart)
    outcome: OutcomePart = field(default_factory=OutcomePart)
    incident: bool = False
    ended: bool = False
    first_answer_at: str = ""
    ended_at: str = ""
    statuses: list[str] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)  # masked, anonymised

    def phases(self) -> dict[str, float]:
        """Seconds of the welcome (until the first answer), the conversation, and the
        whole call (tender §6.2: duration by status)."""
        def seconds(start: str, end: str) -> float:
            try:
                return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
            except ValueError:
                return 0.0

        end = self.ended_at or self.first_answer_at or self.started_at
        return {"welcome": seconds(self.started_at, self.first_answer_at or end),
                "conversation": seconds(self.first_answer_at, end) if self.first_answer_at
                else 0.0,
                "total": seconds(self.started_at, end)}

    def to_dict(self) -> dict[str, Any]:
        """The stored form: one flat object, the keys of ``STORED`` in their order. The
        values as they are (not copied: ``asdict``'s deep copy was a fifth of a server
        turn); serialise the result, do not mutate it."""
        return {key: get(self) for key, get in _GETTERS}

    def __deepcopy__(self, memo: dict[int, Any]) -> CallState:
        """Through the stored form: about as cheap as the flat state's copy, where
        ``deepcopy``'s generic way through six slotted objects took twice as long (the
        engine copies the state it is given, every turn)."""
        return CallState.from_dict(copy.deepcopy(self.to_dict(), memo))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallState:
        """A stored state (unknown keys ignored, missing ones take their default)."""
        top: dict[str, Any] = {}
        parts: dict[str, dict[str, Any]] = {name: {} for name in _PARTS}
        for key, value in data.items():
            where = _STORED_AT.get(key)
            if where is None:
                continue
            part, name = where
            (parts[part] if part else top)[name] = value
        return cls(**top, **{name: _PARTS[name](**values) for name, values in parts.items()})


# The stored (flat) key of every field, in the order states were always saved, with where
# it lives now ("part.field", or the call's own field).
STORED: tuple[tuple[str, str], ...] = (
    ("call_id", "call_id"), ("caller", "caller"), ("caller_masked", "caller_masked"),
    ("origin", "origin"), ("called", "called"), ("started_at", "started_at"),
    ("region", "location.region"), ("step", "dialog.step"),
    ("last_prompt", "dialog.last_prompt"), ("last_listen", "dialog.last_listen"),
    ("slow", "dialog.slow"), ("request_understood", "request.understood"),
    ("misunderstood", "dialog.misunderstood"), ("no_input", "dialog.no_input"),
    ("theme", "request.theme"), ("module", "request.module"),
    ("theme_chosen", "request.theme_chosen"), ("theme_asked", "request.theme_asked"),
    ("location", "location.place"), ("pending", "location.pending"),
    ("options", "location.options"), ("department_hint", "location.department_hint"),
    ("location_tries", "location.tries"), ("location_first_try", "location.first_try"),
    ("searches", "results.searches"), ("found_any", "results.found_any"),
    ("refine_offered", "results.refine_offered"),
    ("searched_farther", "results.searched_farther"), ("results", "results.items"),
    ("presented", "results.presented"), ("results_question", "results.question"),
    ("search_step", "results.search_step"), ("sms_offered", "results.sms_offered"),
    ("sms_sent", "results.sms_sent"), ("insults", "outcome.insults"),
    ("distress", "outcome.distress"), ("safety", "outcome.safety"),
    ("services_given", "outcome.services_given"), ("resume_step", "dialog.resume_step"),
    ("safety_insisted", "dialog.safety_insisted"), ("stays", "dialog.stays"),
    ("off_topic", "outcome.off_topic"), ("incident", "incident"),
    ("caller_hung_up", "outcome.caller_hung_up"),
    ("reached_goodbye", "outcome.reached_goodbye"), ("evaluation", "outcome.evaluation"),
    ("evaluation_reason", "outcome.evaluation_reason"), ("ended", "ended"),
    ("first_answer_at", "first_answer_at"), ("ended_at", "ended_at"),
    ("statuses", "statuses"), ("log", "log"),
)
_PARTS: dict[str, Any] = {"dialog": DialogPart, "request": RequestPart,
                          "location": LocationPart, "results": ResultsPart,
                          "outcome": OutcomePart}
_GETTERS = tuple((key, attrgetter(path)) for key, path in STORED)
_STORED_AT: dict[str, tuple[str, str]] = {
    key: (path.split(".")[0], path.split(".")[1]) if "." in path else ("", path)
    for key, path in STORED}


def _check_stored() -> None:
    """Every field is stored exactly once (import time: a field added to a part and
    forgotten here would silently not survive a turn served by another process)."""
    paths = {path for _, path in STORED}
    wanted = {f.name for f in fields(CallState) if f.name not in _PARTS} | {
        f"{name}.{f.name}" for name, part in _PARTS.items() for f in fields(part)}
    if paths != wanted or len(paths) != len(STORED):
        raise AssertionError(f"STORED and the state's fields differ: {paths ^ wanted}")


_check_stored()
