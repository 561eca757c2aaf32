"""Everything the engine knows about one call, as plain JSON-serialisable values, so any
process can continue a call from its state."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class CallState:
    call_id: str
    caller: str  # national form; needed for the SMS, never logged unmasked
    caller_masked: str
    origin: str  # "mobile" | "fixe" | "autre"
    called: str
    started_at: str
    region: str = ""  # the caller's experiment region, once located
    step: str = "request"
    last_prompt: list[str] = field(default_factory=list)  # repeated on "pardon ?"
    last_listen: dict[str, Any] = field(default_factory=dict)
    slow: bool = False
    # the request
    request_understood: bool = False
    misunderstood: int = 0  # in a row
    no_input: int = 0  # in a row
    theme: str = ""  # one of the four themes, or "" for any
    module: str = ""
    theme_chosen: bool = False
    theme_asked: bool = False  # the theme question was put in this call
    # the location
    location: dict[str, Any] = field(default_factory=dict)
    pending: dict[str, Any] = field(default_factory=dict)  # a commune to confirm
    options: list[dict[str, Any]] = field(default_factory=list)  # homonyms to choose from
    department_hint: str = ""
    location_tries: int = 0
    location_first_try: bool = False
    # the search and the results
    searches: int = 0
    found_any: bool = False
    refine_offered: bool = False
    results: list[dict[str, Any]] = field(default_factory=list)  # what can be presented
    presented: int = 0  # how many were presented
    results_question: str = ""  # asked after a workshop: "number" or "next"
    search_step: int = 0  # the ladder step that found (1 = 10 km / 4 weeks; 0: none)
    sms_offered: bool = False
    sms_sent: list[str] = field(default_factory=list)
    # special situations and outcome
    insults: int = 0
    distress: bool = False
    safety: list[str] = field(default_factory=list)  # emergency, suicide, abuse, loneliness…
    services_given: list[str] = field(default_factory=list)  # other services answered
    resume_step: str = ""  # the question to come back to after a safety answer
    off_topic: int = 0
    incident: bool = False
    caller_hung_up: bool = False
    reached_goodbye: bool = False
    evaluation: list[int] = field(default_factory=list)
    evaluation_reason: str = ""  # anonymised
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
        """The fields as they are (not copied: ``asdict``'s deep copy was a fifth of a
        server turn); serialise the result, do not mutate it."""
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


_FIELDS = tuple(f.name for f in fields(CallState))
