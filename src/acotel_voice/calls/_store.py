"""Where calls live between turns: any process can continue a call from its stored state.

``CallStore`` is the interface; ``MemoryStore`` is for tests, ``SqliteStore`` the default
(a restart in the middle of a call resumes it), ``RedisStore`` for several instances
behind a load balancer. Each stored call keeps the answers to its last events by sequence
number, so a retried event gets the same answer and never acts twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("acotel.voice")
KEEP_ANSWERS = 4  # platforms retry the latest events, not old ones
CALL_TTL_S = 6 * 3600
LOCK_TTL_S = 10.0  # a crashed worker's lock frees itself after this
LOCK_WAIT_S = 5.0  # beyond this, the platform is told to retry (503)


class StoreBusy(RuntimeError):
    """The call is held by another worker for longer than ``LOCK_WAIT_S``."""


class KeyedLocks:
    """One asyncio lock per key, forgotten as soon as nobody holds or awaits it: calls
    the platform never ends leave nothing behind."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class StoredCall:
    state: dict[str, Any]
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # seq -> actions
    last_seq: int = 0

    def remember(self, seq: int, actions: list[dict[str, Any]]) -> None:
        self.answers[str(seq)] = actions
        self.last_seq = max(self.last_seq, seq)
        for old in sorted(self.answers, key=int)[:-KEEP_ANSWERS]:
            del self.answers[old]

    def dumps(self) -> str:
        return json.dumps({"state": self.state, "answers": self.answers,
                           "last_seq": self.last_seq}, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> StoredCall:
        data = json.loads(text)
        return cls(data["state"], data.get("answers", {}), int(data.get("last_seq", 0)))


class CallStore(ABC):
    def __init__(self) -> None:
        self.locks = KeyedLocks()

    def lock(self, call_id: str) -> AbstractAsyncContextManager[None]:
        """Exclusive use of one call by every process sharing the store, so that an event
        and its retry are never handled at the same time. In-process by default."""
        return self.locks.hold(call_id)

    @abstractmethod
    async def get(self, call_id: str) -> StoredCall | None: ...

    @abstractmethod
    async def put(self, call_id: str, call: StoredCall, active: bool) -> None: ...

    @abstractmethod
    async def active(self) -> int:
        """Calls in progress (for the capacity limit)."""

    @abstractmethod
    async def ping(self) -> bool: ...

    async def close(self) -> None:
        return None


class MemoryStore(CallStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, StoredCall] = {}
        self.open: set[str] = set()

    async def get(self, call_id: str) -> StoredCall | None:
        stored = self.calls.get(call_id)
        return StoredCall.loads(stored.dumps()) if stored else None

    async def put(self, call_id: str, call: StoredCall, active: bool) -> None:
        self.calls[call_id] = StoredCall.loads(call.dumps())
        (self.open.add if active else self.open.discard)(call_id)

    async def active(self) -> int:
        return len(self.open)

    async def ping(self) -> bool:
        return True


class SqliteStore(CallStore):
    """One SQLite file; writes go through one connection in a worker thread."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, "
                         "body TEXT NOT NULL, active INTEGER NOT NULL)")
        self._lock = asyncio.Lock()

    async def _run(self, sql: str, *args: Any) -> list[Any]:
        async with self._lock:
            return await asyncio.to_thread(lambda: self._db.execute(sql, args).fetchall())

    async def get(self, call_id: str) -> StoredCall | None:
        rows = await self._run("SELECT body FROM calls WHERE call_id = ?", call_id)
        return StoredCall.loads(rows[0][0]) if rows else None

    async def put(self, call_id: str, call: StoredCall, active: bool) -> None:
        await self._run("INSERT INTO calls (call_id, body, active) VALUES (?, ?, ?) "
                        "ON CONFLICT(call_id) DO UPDATE SET body = excluded.body, "
                        "active = excluded.active", call_id, call.dumps(), int(active))

    async def active(self) -> int:
        rows = await self._run("SELECT COUNT(*) FROM calls WHERE active = 1")
        return int(rows[0][0])

    async def ping(self) -> bool:
        try:
            await self._run("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    async def close(self) -> None:
        self._db.close()


class RedisStore(CallStore):
    """Calls as Redis strings with a time to live; the open calls in a set. A call is
    locked across processes by a Redis lock (SET NX with a token and an expiry)."""

    def __init__(self, url: str, prefix: str = "acotel:",
                 lock_wait_s: float = LOCK_WAIT_S) -> None:
        import redis.asyncio as redis

        super().__init__()
        self.lock_wait_s = lock_wait_s
        # redis 6 (addok's pin, in the bench extra) has no type hints here, redis 8 has.
        factory: Any = redis.from_url
        self.redis = factory(url, decode_responses=True)
        self.prefix = prefix

    def lock(self, call_id: str) -> AbstractAsyncContextManager[None]:
        return self._locked(call_id)

    @asynccontextmanager
    async def _locked(self, call_id: str) -> AsyncIterator[None]:
        from redis.exceptions import LockError, LockNotOwnedError

        # The in-process lock first: this worker's own turns of the call wait without
        # polling Redis; then the shared lock, against other workers.
        async with self.locks.hold(call_id):
            shared = self.redis.lock(f"{self.prefix}lock:{call_id}", timeout=LOCK_TTL_S,
                                     sleep=0.005, blocking_timeout=self.lock_wait_s,
                                     thread_local=False)
            if not await shared.acquire():
                raise StoreBusy(f"call {call_id!r} is held by another worker")
            try:
                yield
            finally:
                try:
                    await shared.release()
                except LockNotOwnedError:  # held past LOCK_TTL_S: another may have it now
                    log.warning("call %s: lock expired while a turn was handled", call_id)
                except LockError:
                    log.warning("call %s: lock could not be released", call_id)

    async def get(self, call_id: str) -> StoredCall | None:
        text = await self.redis.get(f"{self.prefix}call:{call_id}")
        if not text:
            return None
        return StoredCall.loads(text if isinstance(text, str) else text.decode("utf-8"))

    async def put(self, call_id: str, call: StoredCall, active: bool) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(f"{self.prefix}call:{call_id}", call.dumps(), ex=CALL_TTL_S)
            if active:
                pipe.sadd(f"{self.prefix}active", call_id)
            else:
                pipe.srem(f"{self.prefix}active", call_id)
            await pipe.execute()

    async def active(self) -> int:
        return int(await self.redis.scard(f"{self.prefix}active"))

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except Exception:  # any connection failure means "not reachable"
            return False

    async def close(self) -> None:
        await self.redis.aclose()


def open_store(url: str) -> CallStore:
    """``memory://``, ``sqlite:///path/to/calls.db`` or ``redis://host:port/db``."""
    if url.startswith("memory:"):
        return MemoryStore()
    if url.startswith("sqlite:///"):
        return SqliteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(url)
    raise ValueError(f"store: unknown store URL {url!r} (memory://, sqlite:///, redis://)")
