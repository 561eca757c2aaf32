"""The end of a call, as the call service hands it to whoever listens (the call records):
fired exactly once per call, whatever ended it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("acotel.voice")
HOOK_TIMEOUT_S = 10.0
MAX_PENDING_HOOKS = 1000  # beyond, a hook runs before the turn answers (back-pressure)


@dataclass(frozen=True)
class EndedCall:
    call_id: str
    caller: str  # as received (in memory only: whoever keeps it masks it)
    called: str
    started_at: datetime  # aware, the platform's clock
    ended_at: datetime  # aware
    reason: str  # "hangup" | "dialog" | "idle" | "status" | "refused" | "dropped"
    answered: bool  # the welcome was spoken
    state: dict[str, Any] | None  # the dialog's final state; None if it never started
    queued: bool = False  # waited for a free line
    waited_s: float = 0.0
    refused: bool = False  # heard the dissuasion message
    incident: bool = False
    sms_ids: tuple[str, ...] = ()


OnCallEnd = Callable[[EndedCall], Awaitable[None]]


def aware(stamp: str, default: datetime | None = None) -> datetime:
    """An ISO 8601 time with its offset; one without is taken as UTC (the platform's)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return default or datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class CallEndHooks:
    """The end-of-call hooks, run in the background with a timeout, each call once per
    hook; ``drain`` waits for the ones still running (at shutdown)."""

    def __init__(self, hooks: list[OnCallEnd] | None = None) -> None:
        self.hooks = list(hooks or [])
        self.pending: set[asyncio.Task[None]] = set()
        self.fired = 0
        self.failed = 0

    async def fire(self, ended: EndedCall) -> None:
        self.fired += 1
        for hook in self.hooks:
            task = asyncio.create_task(self._run(hook, ended))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)
            if len(self.pending) > MAX_PENDING_HOOKS:
                await task

    async def _run(self, hook: OnCallEnd, ended: EndedCall) -> None:
        try:
            await asyncio.wait_for(hook(ended), HOOK_TIMEOUT_S)
        except Exception:
            self.failed += 1
            log.exception("end-of-call hook failed for call %s",
                          ended.call_id.encode("unicode_escape").decode())

    async def drain(self, timeout_s: float = HOOK_TIMEOUT_S) -> None:
        if self.pending:
            await asyncio.wait(set(self.pending), timeout=timeout_s)
