"""From an ended call (the call service's end-of-call hook) to its record: the number
masked, the region and origin named as the reports name them, the turns anonymised."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from ..dialog._phone import mask, national, origin
from ._anonymise import anonymise
from ._model import REGIONS, STATUSES, CallRecord


class Ended(Protocol):
    """What the end-of-call hook hands over (``acotel_voice.calls.EndedCall``)."""

    @property
    def call_id(self) -> str: ...
    @property
    def caller(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def answered(self) -> bool: ...
    @property
    def state(self) -> dict[str, Any] | None: ...
    @property
    def queued(self) -> bool: ...
    @property
    def waited_s(self) -> float: ...
    @property
    def refused(self) -> bool: ...
    @property
    def incident(self) -> bool: ...
    @property
    def sms_ids(self) -> tuple[str, ...]: ...


def _seconds(start: str, end: str) -> float:
    try:
        return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(start))
                   .total_seconds())
    except (TypeError, ValueError):
        return 0.0


def _region(location: Mapping[str, Any]) -> str | None:
    region = location.get("region")
    if not location.get("insee") or not region:
        return None
    return str(region) if region in REGIONS else "autre"


def _special(state: Mapping[str, Any], statuses: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = [s for s in ("malade", "incivilite", "hors_sujet") if s in statuses]
    found += [f"service:{name}" for name in state.get("services_given", ()) or ()]
    found += [f"safety:{name}" for name in state.get("safety", ()) or ()]
    return tuple(found)


def build_record(ended: Ended,
                 clean: Callable[[str], str] = anonymise) -> CallRecord:
    """The record of ``ended``; ``clean`` anonymises what the caller said."""
    state: Mapping[str, Any] = ended.state or {}
    started = ended.started_at
    ended_at = ended.ended_at
    first_answer = str(state.get("first_answer_at") or "")
    answered_at = str(state.get("started_at") or "") if ended.answered else ""
    total = max(0.0, (ended_at - started).total_seconds())
    welcome = _seconds(answered_at, first_answer or ended_at.isoformat()) if answered_at else 0.0
    conversation = _seconds(first_answer, ended_at.isoformat()) if first_answer else 0.0
    statuses = tuple(s for s in STATUSES if s in (state.get("statuses") or ()))
    location = state.get("location") or {}
    results = state.get("results") or []
    presented = int(state.get("presented") or 0)
    evaluation = tuple(int(v) for v in state.get("evaluation") or ())
    spoken = [entry for entry in state.get("log") or ()
              if entry.get("type") == "speech" and entry.get("text")]
    turns = tuple(clean(str(entry["text"])) for entry in spoken)
    missed = tuple(clean(str(entry["text"])) for entry in spoken if entry.get("not_understood"))
    return CallRecord(
        call_id=ended.call_id, started_at=started, caller=mask(national(ended.caller)),
        origin=str(origin(ended.caller)), region=_region(location),
        insee=str(location["insee"]) if location.get("insee") else None,
        answered=ended.answered,
        handled_s=_seconds(answered_at, ended_at.isoformat()) if answered_at else 0.0,
        welcome_s=welcome, conversation_s=conversation, duration_s=total,
        statuses=statuses,
        location_asked=bool(state.get("location_tries") or location),
        location_detected=bool(location.get("insee")),
        location_tries=int(state.get("location_tries") or 0),
        theme=str(state.get("theme") or ""), module=str(state.get("module") or ""),
        search_step=int(state.get("search_step") or 0) or None,
        found=len(results),
        presented=tuple(str(w.get("id", "")) for w in results[:presented]),
        sms_offered=bool(state.get("sms_offered")),
        sms_accepted=bool(state.get("sms_sent")),
        sms_enqueued=len(ended.sms_ids),
        evaluation=evaluation,
        evaluation_reason=clean(str(state.get("evaluation_reason") or "")),
        special=_special(state, statuses),
        incident=ended.incident or bool(state.get("incident")),
        queued=ended.queued, waited_s=round(ended.waited_s, 1), refused=ended.refused,
        end_reason=ended.reason, transcript=turns, not_understood=missed,
    )
