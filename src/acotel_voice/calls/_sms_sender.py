"""SMS as an outbox: a turn only enqueues durably; delivery happens after the answer.

``SmsOutbox.enqueue`` appends whole JSON lines to the outbox file (``--sms-outbox``) and
fsyncs them, the SMS of every turn waiting meanwhile together (group commit, the fsync in
a worker thread). The file is opened for each batch, so that a rotation takes effect at
once; a write that fails half-way (a full disk) is cut back, never leaving half a line.

Without an SMS API, the file is the delivery queue another process reads. With one
(``HttpSmsApi``), a background sender delivers each SMS after the turn's answer: retried
with back-off until ``DELIVERY_DEADLINE_S``, with its idempotency key (call, event,
index), never twice from this process; delivered keys go to ``FILE.delivered`` so that a
restart delivers what was left. Each outcome is reported (the call records count the SMS
delivered), and ``healthy`` is False from a failed write or delivery until one succeeds.
(Through jambonz, the SMS is a ``message`` verb in the webhook answer: no outbox.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import aiohttp

from ..dialog._phone import mask

log = logging.getLogger("acotel.voice")
DELIVERY_DEADLINE_S = 600.0  # an SMS not delivered within 10 minutes is given up
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0
CONCURRENT_DELIVERIES = 8
MAX_PENDING = 10_000  # beyond, the oldest pending SMS are given up (logged)

OnSmsOutcome = Callable[[str, str, bool, datetime], Awaitable[None]]
CLAIM_TTL_S = 90.0  # a worker's hold on an SMS it delivers (longer than a retry's wait)
CLAIM_RECHECK_S = 2.0  # an SMS another worker holds is looked at again this often


class SmsClaims(Protocol):
    """Workers sharing one outbox agree on who delivers each SMS (the Redis store)."""

    async def claim_sms(self, key: str, owner: str, ttl_s: float) -> str: ...

    async def sms_delivered(self, key: str) -> None: ...


class SmsError(RuntimeError):
    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent  # refused (4xx): retrying will not help


class SmsApi(ABC):
    """One delivery attempt of one SMS."""

    @abstractmethod
    async def deliver(self, key: str, to: str, text: str) -> None: ...

    async def close(self) -> None:
        return None


class HttpSmsApi(SmsApi):
    """POST ``{"to", "text", "idempotency_key"}`` to an SMS API, one attempt, bounded."""

    def __init__(self, url: str, token: str = "", timeout_s: float = 5) -> None:
        self.url, self.token = url, token
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    async def deliver(self, key: str, to: str, text: str) -> None:
        if self._session is None:
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            self._session = aiohttp.ClientSession(timeout=self.timeout, headers=headers)
        try:
            async with self._session.post(self.url, json={
                    "to": to, "text": text, "idempotency_key": key}) as response:
                if response.status < 300:
                    return
                raise SmsError(f"SMS to {mask(to)} not sent: HTTP {response.status}",
                               permanent=response.status < 500 and response.status != 429)
        except (aiohttp.ClientError, TimeoutError) as failure:
            raise SmsError(f"SMS to {mask(to)} not sent: {type(failure).__name__}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


@dataclass
class _Pending:
    key: str
    call_id: str
    to: str
    text: str
    since: float
    attempts: int = 0


class SmsOutbox:
    def __init__(self, path: str | Path, api: SmsApi | None = None,
                 on_outcome: list[OnSmsOutcome] | None = None,
                 first_retry_s: float = FIRST_RETRY_S,
                 deadline_s: float = DELIVERY_DEADLINE_S,
                 claims: SmsClaims | None = None) -> None:
        self.path = Path(path)
        self.first_retry_s, self.deadline_s = first_retry_s, deadline_s
        self.claims = claims
        self.owner = f"{os.getpid()}-{time.time_ns()}"
        self.delivered_path = self.path.with_name(self.path.name + ".delivered")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.api = api
        self.on_outcome = list(on_outcome or [])
        self.healthy = True
        self.counts = {"enqueued": 0, "delivered": 0, "failed": 0, "write_failed": 0}
        self._written: set[str] = set()
        self._queued: dict[str, tuple[str, asyncio.Future[None]]] = {}  # key -> line, done
        self._flusher: asyncio.Task[None] | None = None
        self._pending: dict[str, _Pending] = {}
        self._wake = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._recover()

    def _read_lines(self, path: Path, json_lines: bool) -> list[str]:
        """The whole lines of a journal; a torn JSON line is skipped and named."""
        if not path.is_file():
            return []
        lines = []
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            if json_lines and not line.rstrip().endswith("}"):
                log.warning("%s line %d is torn: skipped", path, number)
                continue
            lines.append(line.strip())
        return lines

    def _recover(self) -> None:
        """SMS already written are never written again; with an API, those written but
        not delivered (a restart) are delivered, unless past their deadline."""
        delivered = set(self._read_lines(self.delivered_path, json_lines=False))
        for line in self._read_lines(self.path, json_lines=True):
            try:
                item = json.loads(line)
                key = str(item["key"])
            except (ValueError, KeyError, TypeError):
                log.warning("%s: an unreadable line skipped", self.path)
                continue
            self._written.add(key)
            since = float(item.get("at", 0))
            if self.api is not None and key not in delivered and \
                    time.time() - since < self.deadline_s:
                self._pending[key] = _Pending(key, str(item.get("call_id", "")),
                                              str(item["to"]), str(item["text"]), since)

    def start(self) -> None:
        """The background sender (with an API); call from the running event loop."""
        if self.api is not None and self._sender is None:
            self._sender = asyncio.create_task(self._deliver_loop())
            self._wake.set()

    async def enqueue(self, key: str, to: str, text: str, call_id: str = "") -> None:
        """Durably queued when this returns (SmsError if it could not be written)."""
        if key in self._written:
            return
        queued = self._queued.get(key)
        if queued is None:
            line = json.dumps({"key": key, "call_id": call_id, "to": to, "text": text,
                               "at": round(time.time(), 3)}, ensure_ascii=False)
            queued = self._queued[key] = (line, asyncio.get_running_loop().create_future())
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush())
        await asyncio.shield(queued[1])  # a cancelled turn does not cancel its batch

    async def _flush(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, {}
            data = "".join(line + "\n" for line, _ in batch.values()).encode()
            try:
                await _append(self.path, data)
            except OSError as error:
                self.healthy = False
                self.counts["write_failed"] += len(batch)
                log.error("SMS outbox %s not written: %s", self.path, error.strerror)
                for _, done in batch.values():
                    done.set_exception(SmsError(f"SMS outbox not written: {error.strerror}"))
                continue
            if self.api is None:
                self.healthy = True  # the outbox is the delivery queue: written is done
            self._written.update(batch)
            self.counts["enqueued"] += len(batch)
            for key, (line, done) in batch.items():
                done.set_result(None)
                if self.api is not None:
                    item = json.loads(line)
                    self._pending[key] = _Pending(key, item["call_id"], item["to"],
                                                  item["text"], item["at"])
            self._bound()
            self._wake.set()

    def _bound(self) -> None:
        while len(self._pending) > MAX_PENDING:
            oldest = min(self._pending.values(), key=lambda p: p.since)
            log.error("SMS %s given up: too many SMS waiting", oldest.call_id)
            self._give_up(oldest)

    async def _deliver_loop(self) -> None:
        slots = asyncio.Semaphore(CONCURRENT_DELIVERIES)
        next_try: dict[str, float] = {}
        while True:
            self._wake.clear()
            now = time.monotonic()
            due = [p for p in list(self._pending.values())
                   if next_try.get(p.key, 0.0) <= now and p.key not in
                   {t.get_name() for t in self._tasks}]
            for pending in due:
                await slots.acquire()
                task = asyncio.create_task(self._attempt(pending, slots, next_try),
                                           name=pending.key)
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            waits = [t - time.monotonic() for k, t in next_try.items() if k in self._pending]
            timeout = max(0.05, min(waits)) if waits else None
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow the
            # cancellation that stops this loop when the wake-up comes at the same time,
            # and close() would then wait for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def _attempt(self, pending: _Pending, slots: asyncio.Semaphore,
                       next_try: dict[str, float]) -> None:
        assert self.api is not None
        try:
            if self.claims is not None:
                claim = await self.claims.claim_sms(pending.key, self.owner, CLAIM_TTL_S)
                if claim == "delivered":  # by another worker (after a restart)
                    self._pending.pop(pending.key, None)
                    return
                if claim == "taken":  # another worker is on it: look again later
                    next_try[pending.key] = time.monotonic() + CLAIM_RECHECK_S
                    return
            pending.attempts += 1
            try:
                async with asyncio.timeout(30):
                    await self.api.deliver(pending.key, pending.to, pending.text)
            except (SmsError, TimeoutError) as error:
                self.healthy = False
                late = time.time() - pending.since >= self.deadline_s
                if getattr(error, "permanent", False) or late:
                    log.error("SMS of call %s given up: %s", pending.call_id, error)
                    self._give_up(pending)
                else:
                    next_try[pending.key] = time.monotonic() + min(
                        MAX_RETRY_S, self.first_retry_s * 2 ** (pending.attempts - 1))
                return
            self.healthy = True
            self.counts["delivered"] += 1
            if self.claims is not None:
                try:
                    await self.claims.sms_delivered(pending.key)
                except Exception as error:  # the journal below still knows
                    log.warning("SMS delivery not shared: %s", type(error).__name__)
            self._pending.pop(pending.key, None)
            next_try.pop(pending.key, None)
            try:
                await _append(self.delivered_path, (pending.key + "\n").encode())
            except OSError as error:  # delivered all the same; a restart may retry it
                log.warning("%s not written: %s", self.delivered_path, error.strerror)
            await self._report(pending, True)
        finally:
            slots.release()
            self._wake.set()

    def _give_up(self, pending: _Pending) -> None:
        self._pending.pop(pending.key, None)
        self.counts["failed"] += 1
        task = asyncio.get_running_loop().create_task(self._report(pending, False))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report(self, pending: _Pending, delivered: bool) -> None:
        for hook in self.on_outcome:
            try:
                await asyncio.wait_for(hook(pending.call_id, pending.key, delivered,
                                            datetime.now(UTC)), 10)
            except Exception:
                log.exception("SMS outcome of call %s not reported", pending.call_id)

    def pending(self) -> int:
        return len(self._pending)

    async def ping(self) -> bool:
        return self.healthy and os.access(self.path.parent, os.W_OK)

    async def close(self, grace_s: float = 5.0) -> None:
        """SMS already promised are written; deliveries in flight get ``grace_s``; the
        rest is delivered after the restart (it is in the outbox)."""
        if self._flusher is not None:
            await self._flusher
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace_s)
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        if self.api is not None:
            await self.api.close()


async def _append(path: Path, data: bytes) -> None:
    """Whole lines or nothing: opened for each batch (the delivering process may move the
    file away), cut back to its size on a failed write; only the fsync, which can take
    long, leaves the event loop."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data  # after a torn line: ours start on a line of their own
        try:
            rest = data
            while rest:
                rest = rest[os.write(fd, rest):]
            await asyncio.to_thread(os.fsync, fd)
        except OSError:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
