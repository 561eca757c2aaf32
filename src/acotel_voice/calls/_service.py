"""The call service: a call's life as plain async functions over a store, out of the web
layer. The aiohttp and jambonz handlers only translate requests to these calls and the
errors below to answers.

- ``start``: a new call (a line taken atomically, first come first served), a retried
  start (the same answer), or the capacity answer (wait, then dissuasion);
- ``event``: one event of a call, once: a retried event gets the same answer;
- ``end``: the platform says the call is over (jambonz status); answered even for a call
  already ended, swept or unknown;
- ``sweep``: calls with no event for ``idle_timeout_s`` are ended; ended calls are
  deleted after the store's retention.

The end-of-call hook fires exactly once per call, whatever ends it, under the call's lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..dialog._actions import Event
from ..dialog._engine import Engine
from ..dialog._messages import Messages
from ..dialog._phone import mask, national
from ..dialog._speech import NORMAL_RATE, plain, ssml
from ..dialog._state import CallState
from ._ended import CallEndHooks, EndedCall, aware
from ._metrics import Metrics
from ._sms_sender import SmsError, SmsOutbox
from ._store import ENDED_KEEP_S, CallStore, StoreBusy, StoredCall

log = logging.getLogger("acotel.voice")
MAX_SEQ = 1_000_000  # no call has that many events; a larger number is an error


class CallError(Exception):
    """A request the service cannot honour; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = "call_id") -> None:
        super().__init__(message)
        self.field = field


class CallNotFound(CallError):
    pass


class CallBusy(CallError):
    """Held by another worker too long: the platform retries."""


class StaleEvent(CallError):
    """An event older than the call's last one (and not a retry)."""


class CallConflict(CallError):
    """A call id already used by another caller."""


@dataclass(frozen=True)
class ServiceSettings:
    max_calls: int = 20  # simultaneous calls (the tender asks for at least 15)
    capacity_wait_s: int = 60  # beyond max_calls, a caller waits this long at most...
    capacity_retry_s: int = 15  # ...hearing the waiting message every this many seconds
    idle_timeout_s: float = 1800.0  # a call with no event for this long is ended


def safe_id(call_id: str) -> str:
    """A call id fit for a log line (no forged lines)."""
    return call_id.encode("unicode_escape").decode()


def message_action(key: str) -> dict[str, Any]:
    """A sentence of the message file as a say action outside any call's dialog (capacity,
    incidents), spoken like the engine's own sentences."""
    text = Messages().text(key)
    return {"kind": "say", "text": plain(text), "ssml": ssml([text])}


def voiced(actions: list[dict[str, Any]], voice: dict[str, str]) -> list[dict[str, Any]]:
    """The say actions spoken with the voice, rate and pauses chosen in the steering app
    for the caller's region (tender §5.3); a caller who asked to slow down keeps the slow
    rate."""
    out = []
    for action in actions:
        if action.get("kind") == "say":
            document = action["ssml"]
            if f'rate="{NORMAL_RATE}"' in document:
                document = document.replace(f'rate="{NORMAL_RATE}"', f'rate="{voice["rate"]}"')
            document = document.replace('<break time="600ms"/>',
                                        f'<break time="{voice["pause_ms"]}ms"/>')
            action = {**action, "ssml": document,
                      "voice": {k: voice[k] for k in ("vendor", "language", "voice")}}
        out.append(action)
    return out


def started(stored: StoredCall | None) -> bool:
    """The call had its welcome (a line taken for a start that failed has no state)."""
    return stored is not None and bool(stored.state.get("call_id"))


class CallService:
    def __init__(self, settings: ServiceSettings, store: CallStore, engine: Engine,
                 outbox: SmsOutbox, hooks: CallEndHooks, metrics: Metrics,
                 chain_ok: Callable[[], bool | None] = lambda: True,
                 voice: Callable[[str], dict[str, str]] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.outbox = outbox
        self.hooks = hooks
        self.metrics = metrics
        self.chain_ok = chain_ok
        self.voice = voice

    def _voiced(self, actions: list[dict[str, Any]], region: str) -> list[dict[str, Any]]:
        return voiced(actions, self.voice(region)) if self.voice else actions

    def _locked(self, call_id: str) -> Any:
        return _Locked(self.store, call_id, self.metrics)

    # --- capacity ---------------------------------------------------------------------

    def capacity_answer(self, waited_s: int) -> list[dict[str, Any]]:
        """Every line is busy (§2.5 of the tender): a waiting message and a new try a
        little later while the caller has waited less than ``capacity_wait_s``, then the
        dissuasion message."""
        settings = self.settings
        if waited_s + settings.capacity_retry_s <= settings.capacity_wait_s:
            return [message_action("waiting_again" if waited_s else "waiting"),
                    {"kind": "wait", "seconds": settings.capacity_retry_s}]
        return [message_action("dissuasion_after_waiting" if waited_s else "dissuasion"),
                {"kind": "hangup", "reason": "capacity"}]

    # --- start ------------------------------------------------------------------------

    async def start(self, call_id: str, caller: str, called: str, at: str,
                    waited_s: int = 0) -> list[dict[str, Any]]:
        """A new call, a retried start, or the capacity answer."""
        store, counters = self.store, self.metrics.counters
        async with self._locked(call_id):
            existing = await store.get(call_id)
            if started(existing):
                assert existing is not None
                if existing.state.get("caller_masked") != mask(national(caller)):
                    raise CallConflict(f"call {safe_id(call_id)} belongs to another caller")
                counters["starts_retried_total"] += 1
                answer: list[dict[str, Any]] = existing.answers.get("0", [])
                return answer
            if self.chain_ok() is False:  # the chain is broken: the incident message at once
                counters["incidents_total"] += 1
                return [message_action("incident"), {"kind": "hangup", "reason": "incident"}]
            now = time.time()
            if not await store.admit(call_id, self.settings.max_calls, now,
                                     self.settings.capacity_wait_s + 2 * (
                                         self.settings.capacity_retry_s + 5)):
                return await self._no_line(call_id, caller, called, at, waited_s)
            state, turn = self.engine.start(call_id, caller, called, at)
            actions = self._voiced(turn.to_dicts(), state.location.region)
            stored = StoredCall({**state.to_dict(), "queued_s": waited_s})
            stored.remember(0, actions)
            await store.put(call_id, stored, active=not state.ended, now=now)
            counters["calls_started_total"] += 1
            if waited_s:
                counters["calls_started_after_waiting_total"] += 1
            log.info("call %s started from %s", safe_id(call_id), mask(caller))
            return actions

    async def _no_line(self, call_id: str, caller: str, called: str, at: str,
                       waited_s: int) -> list[dict[str, Any]]:
        counters = self.metrics.counters
        actions = self.capacity_answer(waited_s)
        if actions[-1]["kind"] == "wait":
            if not waited_s:
                counters["calls_queued_total"] += 1  # callers who had to wait
            return actions
        counters["calls_refused_total"] += 1
        await self.store.leave_queue(call_id)
        await self.hooks.fire(EndedCall(
            call_id, caller, called, aware(at), datetime.now(UTC), "refused", False,
            None, queued=waited_s > 0, waited_s=float(waited_s), refused=True))
        return actions

    # --- events -----------------------------------------------------------------------

    async def event(self, call_id: str, seq: int | None, event: Event,
                    platform_sends_sms: bool = False) -> tuple[int, list[dict[str, Any]]]:
        """One event of a call (``seq`` None: the next number, taken under the lock); its
        SMS are enqueued in the outbox unless the platform sends them itself (jambonz's
        ``message`` verb). The event's number and the actions."""
        if seq is not None and not 1 <= seq <= MAX_SEQ:
            raise CallError(f"seq must be from 1 to {MAX_SEQ}", "seq")
        async with self._locked(call_id):
            stored = await self.store.get(call_id)
            if stored is None or not started(stored):
                if event.type == "hangup":  # a call swept or forgotten: nothing to end
                    self.metrics.counters["hangups_unknown_total"] += 1
                    return seq or 1, []
                raise CallNotFound(f"no call {safe_id(call_id)}")
            number = stored.last_seq + 1 if seq is None else seq
            if str(number) in stored.answers:
                self.metrics.counters["events_retried_total"] += 1
                return number, stored.answers[str(number)]  # the same answer, no new SMS
            if number <= stored.last_seq:
                raise StaleEvent(f"seq {number} is older than the last event "
                                 f"{stored.last_seq}", "seq")
            return number, await self._handle(call_id, stored, number, event,
                                              platform_sends_sms, "hangup"
                                              if event.type == "hangup" else "dialog")

    async def _handle(self, call_id: str, stored: StoredCall, number: int, event: Event,
                      platform_sends_sms: bool, reason: str) -> list[dict[str, Any]]:
        """The event under the call's lock: the engine's turn, the SMS enqueued, the call
        stored, and if the call ended now, the end-of-call hook."""
        started = time.perf_counter()
        was_ended = bool(stored.state.get("ended"))
        queued_s = int(stored.state.get("queued_s") or 0)
        state, turn = self.engine.handle(CallState.from_dict(stored.state), event,
                                         copy_state=False)
        self.metrics.turn(time.perf_counter() - started)
        actions = self._voiced(turn.to_dicts(), state.location.region)
        sms = [a for a in actions if a["kind"] == "sms"]
        if platform_sends_sms:
            self.metrics.counters["sms_to_platform_total"] += len(sms)
        else:
            for index, action in enumerate(sms):
                await self._enqueue(call_id, f"{call_id}:{number}:{index}", action)
        ended_now = state.ended and not was_ended
        stored.state = {**state.to_dict(), "queued_s": queued_s}
        stored.remember(number, actions)
        if ended_now:  # no full number at rest once the call is over
            stored.state["caller"] = state.caller_masked
            stored.answers = {seq: [{**a, "to": state.caller_masked} if a.get("kind") == "sms"
                                    else a for a in answer]
                              for seq, answer in stored.answers.items()}
        await self.store.put(call_id, stored, active=not state.ended, now=time.time())
        self.metrics.counters[f"events_{event.type}_total"] += 1
        if ended_now:  # once per call: the lock is held
            log.info("call %s ended (%s, %s): %s", safe_id(call_id), reason,
                     state.caller_masked, ", ".join(state.statuses))
            sms_ids = tuple(f"{call_id}:{seq}:{index}"
                            for seq, answer in sorted(stored.answers.items())
                            for index, _ in enumerate(
                                a for a in answer if a.get("kind") == "sms"))
            await self.hooks.fire(EndedCall(
                call_id, state.caller, state.called, aware(state.started_at),
                aware(event.at), reason, True, stored.state, queued=queued_s > 0,
                waited_s=float(queued_s), incident=state.incident, sms_ids=sms_ids))
        return actions

    async def _enqueue(self, call_id: str, key: str, action: dict[str, Any]) -> None:
        try:
            await self.outbox.enqueue(key, action["to"], action["text"], call_id)
            self.metrics.counters["sms_enqueued_total"] += 1
        except SmsError as error:
            self.metrics.counters["sms_failed_total"] += 1
            log.error("call %s: %s", safe_id(call_id), error)

    # --- the end of a call, from the platform or the sweep ------------------------------

    async def end(self, call_id: str, at: str, caller: str = "", called: str = "",
                  reason: str = "status") -> None:
        """The platform says the call is over. A call the dialog did not end is hung up
        (the hook fires); one never started is a caller gone before the welcome."""
        async with self._locked(call_id):
            stored = await self.store.get(call_id)
            if stored is None or not started(stored):
                await self.store.leave_queue(call_id)
                if stored is not None:
                    await self.store.release(call_id)
                moment = aware(at)
                await self.hooks.fire(EndedCall(call_id, caller, called, moment, moment,
                                                "dropped", False, None))
                return
            if stored.state.get("ended"):
                return
            await self._handle(call_id, stored, stored.last_seq + 1,
                               Event("hangup", at=at), False, reason)

    async def sweep(self, now: float | None = None) -> int:
        """End the calls idle for ``idle_timeout_s``; delete ended calls past retention.
        The number of calls ended."""
        now = time.time() if now is None else now
        ended = 0
        for call_id in await self.store.idle(now - self.settings.idle_timeout_s):
            try:
                async with self._locked(call_id):
                    stored = await self.store.get(call_id)
                    if stored is None or not started(stored):
                        await self.store.release(call_id)  # a line taken, never started
                        continue
                    if stored.state.get("ended"):
                        await self.store.put(call_id, stored, active=False, now=now)
                        continue
                    at = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")
                    await self._handle(call_id, stored, stored.last_seq + 1,
                                       Event("hangup", at=at), False, "idle")
                    ended += 1
            except CallBusy:
                continue  # a turn is under way: not idle after all
        self.metrics.counters["calls_swept_total"] += ended
        await self.store.purge(now - ENDED_KEEP_S)
        return ended


class _Locked:
    """The call's lock across workers; held too long elsewhere, ``CallBusy``."""

    def __init__(self, store: CallStore, call_id: str, metrics: Metrics) -> None:
        self.inner = store.lock(call_id)
        self.metrics = metrics
        self.call_id = call_id

    async def __aenter__(self) -> None:
        try:
            await self.inner.__aenter__()
        except StoreBusy:
            self.metrics.counters["calls_busy_total"] += 1
            raise CallBusy(f"call {safe_id(self.call_id)} is busy, retry") from None

    async def __aexit__(self, *exc: Any) -> None:
        await self.inner.__aexit__(*exc)
