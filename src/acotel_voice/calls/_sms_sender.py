"""Sending SMS: a file outbox by default, or a generic HTTP SMS API. Each SMS has an
idempotency key (call, event, index): a retried event never sends it twice. (Through
jambonz, the SMS is a ``message`` verb in the webhook answer: no sender needed.)"""

from __future__ import annotations

import asyncio
import json
import os
from abc import ABC, abstractmethod
from pathlib import Path

import aiohttp

from ..dialog._phone import mask


class SmsError(RuntimeError):
    pass


class SmsSender(ABC):
    @abstractmethod
    async def send(self, key: str, to: str, text: str) -> None: ...

    @abstractmethod
    async def ping(self) -> bool: ...

    async def close(self) -> None:
        return None


class OutboxSender(SmsSender):
    """One JSON line per SMS in a file another process delivers (numbers in clear: the
    outbox is the delivery queue, not a log).

    Group commit: the SMS of every turn waiting meanwhile are written and fsynced
    together, the fsync in a worker thread, so that a busy server neither stalls its
    event loop on the disk nor queues its SMS turns behind each other's fsync."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._sent: set[str] = set()
        self._queued: dict[str, tuple[str, asyncio.Future[None]]] = {}  # key -> line, done
        self._flusher: asyncio.Task[None] | None = None
        if self.path.is_file():
            for line in self.path.read_text("utf-8").splitlines():
                if line.strip():
                    self._sent.add(json.loads(line)["key"])

    async def send(self, key: str, to: str, text: str) -> None:
        if key in self._sent:
            return
        queued = self._queued.get(key)
        if queued is None:
            line = json.dumps({"key": key, "to": to, "text": text}, ensure_ascii=False)
            queued = self._queued[key] = (line, asyncio.get_running_loop().create_future())
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush())
        await asyncio.shield(queued[1])  # a cancelled turn does not cancel its batch

    async def _flush(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, {}
            data = "".join(line + "\n" for line, _ in batch.values()).encode()
            try:
                await self._append(data)
            except OSError as error:
                for _, done in batch.values():
                    done.set_exception(SmsError(f"SMS outbox not written: {error}"))
                continue
            self._sent.update(batch)
            for _, done in batch.values():
                done.set_result(None)

    async def _append(self, data: bytes) -> None:
        """Opened for each batch (the delivering process may move the file away); only
        the fsync, which can take long, leaves the event loop."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            while data:
                data = data[os.write(fd, data):]
            await asyncio.to_thread(os.fsync, fd)
        finally:
            os.close(fd)

    async def ping(self) -> bool:
        return os.access(self.path.parent, os.W_OK)

    async def close(self) -> None:
        if self._flusher is not None:
            await self._flusher  # SMS already promised are written before stopping


class HttpSmsSender(SmsSender):
    """POST ``{"to", "text", "idempotency_key"}`` to an SMS API, retried on failure."""

    def __init__(self, url: str, token: str = "", retries: int = 3, timeout_s: float = 5) -> None:
        self.url, self.token, self.retries = url, token, retries
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._sent: set[str] = set()

    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            self._session = aiohttp.ClientSession(timeout=self.timeout, headers=headers)
        return self._session

    async def send(self, key: str, to: str, text: str) -> None:
        if key in self._sent:
            return
        session = await self._client()
        error = ""
        for attempt in range(self.retries + 1):
            try:
                async with session.post(self.url, json={
                        "to": to, "text": text, "idempotency_key": key}) as response:
                    if response.status < 300:
                        self._sent.add(key)
                        return
                    error = f"HTTP {response.status}"
                    if response.status < 500:
                        break
            except (aiohttp.ClientError, TimeoutError) as failure:
                error = type(failure).__name__
            await asyncio.sleep(0.2 * 2 ** attempt)
        raise SmsError(f"SMS to {mask(to)} not sent: {error}")

    async def ping(self) -> bool:
        return True  # the API is only known to be down when a send fails

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
