"""Scripted calls: a caller's turns replayed through the engine, with a simulated clock.

A script (YAML)::

    name: mémoire à Aix, SMS            # optional, the file name otherwise
    caller: "0612345678"
    date: 2026-12-01                    # optional; the call starts at 10:00
    turns: ["un atelier mémoire", "treize cent", "oui", "dtmf:4", "<silence>", "<hangup>"]
    expect:                             # optional
      statuses: [traite, requete, efficace, abouti]   # exactly these
      sms_sent: true                    # or a number of SMS
      says: ["Aix-en-Provence"]         # substrings the bot must say
      not_says: ["incident"]

When the turns run out and the call is still open, the caller hangs up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from ._actions import Event, Listen, Say, Sms, Turn
from ._engine import Engine
from ._state import CallState

# A senior-friendly speaking rate: 90% of a normal synthetic voice, about 2.3 words a
# second, plus the pauses the SSML puts after each sentence.
BOT_WORDS_PER_S = 2.3
PAUSE_S = 0.6
CALLER_WORDS_PER_S = 2.0
CALLER_REACTION_S = 1.5
DEFAULT_DAY = date(2026, 12, 1)


class ScriptError(ValueError):
    """A script that cannot be replayed: the message says what is wrong."""


@dataclass
class CallRecord:
    name: str
    transcript: list[dict[str, str]] = field(default_factory=list)
    sms: list[str] = field(default_factory=list)
    state: CallState | None = None
    failures: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "transcript": self.transcript,
                "statuses": self.state.statuses if self.state else [], "sms": self.sms,
                "ok": not self.failures, "failures": self.failures,
                "phases_s": self.state.phases() if self.state else {},
                "location_tries": self.state.location.tries if self.state else 0,
                "duration_s": round(self.duration_s, 1), "turns": self.turns}


def spoken_seconds(turn: Turn) -> float:
    seconds = 0.0
    for action in turn.actions:
        if isinstance(action, Say):
            seconds += len(action.text.split()) / BOT_WORDS_PER_S
            seconds += action.ssml.count("<break") * PAUSE_S
    return seconds


def caller_event(turn: str, at: str) -> Event:
    if turn == "<silence>":
        return Event("no_input", at=at)
    if turn == "<hangup>":
        return Event("hangup", at=at)
    if turn.startswith("dtmf:"):
        return Event("dtmf", digits=turn[5:].strip(), at=at)
    return Event("speech", text=turn, at=at)


class Call:
    """One call driven turn by turn, recording the transcript and the simulated time."""

    def __init__(self, engine: Engine, name: str, caller: str, day: date) -> None:
        self.engine = engine
        self.clock = datetime.combine(day, time(10, 0))
        self.started = self.clock
        self.record = CallRecord(name)
        self.state, turn = engine.start(name, caller, "0900000000", self.clock.isoformat())
        self._bot(turn)

    @property
    def ended(self) -> bool:
        return self.state.ended

    def _bot(self, turn: Turn) -> None:
        self._listen = None
        for action in turn.actions:
            if isinstance(action, Say):
                self.record.transcript.append({"speaker": "bot", "text": action.text})
            elif isinstance(action, Sms):
                self.record.sms.append(action.text)
            elif isinstance(action, Listen):
                self._listen = action
        self.clock += timedelta(seconds=spoken_seconds(turn))

    def say(self, turn: str) -> None:
        if turn == "<silence>":
            self.clock += timedelta(seconds=self._listen.timeout_s if self._listen else 8)
        elif turn != "<hangup>":
            self.record.transcript.append({"speaker": "caller", "text": turn})
            words = len(turn.split())
            self.clock += timedelta(seconds=CALLER_REACTION_S + words / CALLER_WORDS_PER_S)
        self.record.turns += 1
        event = caller_event(turn, self.clock.isoformat())
        self.state, reply = self.engine.handle(self.state, event)
        self._bot(reply)

    def finish(self) -> CallRecord:
        if not self.state.ended:
            self.say("<hangup>")
        self.record.state = self.state
        self.record.duration_s = (self.clock - self.started).total_seconds()
        return self.record


def load_script(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScriptError(f"{path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise ScriptError(f"{path}: a script needs a list of turns")
    return data


def script_day(script: dict[str, Any]) -> date:
    day = script.get("date") or DEFAULT_DAY
    return date.fromisoformat(day) if isinstance(day, str) else day


def replay(engine: Engine, script: dict[str, Any], name: str) -> CallRecord:
    day = script_day(script)
    call = Call(engine, str(script.get("name") or name), str(script.get("caller", "")), day)
    for turn in script["turns"]:
        if call.ended:
            break
        call.say(str(turn))
    record = call.finish()
    record.failures = check(record, script.get("expect") or {})
    return record


def check(record: CallRecord, expect: dict[str, Any]) -> list[str]:
    failures = []
    state = record.state
    assert state is not None
    if "statuses" in expect and sorted(expect["statuses"]) != sorted(state.statuses):
        failures.append(f"statuses {sorted(state.statuses)} != expected "
                        f"{sorted(expect['statuses'])}")
    if "sms_sent" in expect:
        wanted = expect["sms_sent"]
        count = len(record.sms)
        if (isinstance(wanted, bool) and wanted != (count > 0)) or (
                not isinstance(wanted, bool) and wanted != count):
            failures.append(f"{count} SMS sent, expected {wanted}")
    said = " ".join(t["text"] for t in record.transcript if t["speaker"] == "bot")
    for text in expect.get("says", []):
        if text not in said:
            failures.append(f"the bot never said {text!r}")
    for text in expect.get("not_says", []):
        if text in said:
            failures.append(f"the bot said {text!r}")
    return failures


def script_paths(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*.yaml") if p.is_file())
    return [target]
