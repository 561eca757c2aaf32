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

from ._phone import mask


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
    outbox is the delivery queue, not a log)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = asyncio.Lock()
        self._sent: set[str] = set()
        if self.path.exists():
            for line in self.path.read_text("utf-8").splitlines():
                if line.strip():
                    self._sent.add(json.loads(line)["key"])

    async def send(self, key: str, to: str, text: str) -> None:
        async with self._lock:
            if key in self._sent:
                return
            line = json.dumps({"key": key, "to": to, "text": text}, ensure_ascii=False)
            await asyncio.to_thread(self._append, line)  # an fsync must not stall other calls
            self._sent.add(key)

    def _append(self, line: str) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    async def ping(self) -> bool:
        return os.access(self.path.parent, os.W_OK)


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
