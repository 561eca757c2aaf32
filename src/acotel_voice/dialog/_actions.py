"""What the engine receives (events) and what it asks the platform to do (actions)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

EventType = Literal["start", "speech", "dtmf", "no_input", "hangup"]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened on the line."""

    type: EventType
    text: str = ""
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()
    digits: str = ""
    caller: str = ""  # start only
    called: str = ""  # start only
    at: str = ""  # ISO timestamp, set by the adapter (the engine reads no clock)


@dataclass(frozen=True, slots=True)
class Say:
    text: str
    ssml: str
    kind: str = "say"


@dataclass(frozen=True, slots=True)
class Listen:
    input: tuple[str, ...] = ("speech",)  # "speech" and/or "digits"
    timeout_s: float = 8.0
    hints: tuple[str, ...] = ()
    barge_in: bool = True
    digits_max: int = 0
    kind: str = "listen"


@dataclass(frozen=True, slots=True)
class Sms:
    to: str
    text: str
    segments: int
    kind: str = "sms"


@dataclass(frozen=True, slots=True)
class Hangup:
    reason: str
    kind: str = "hangup"


Action = Say | Listen | Sms | Hangup


@dataclass(slots=True)
class Turn:
    """The engine's answer to one event."""

    actions: list[Action] = field(default_factory=list)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{f.name: getattr(a, f.name) for f in fields(a)} for a in self.actions]
