"""Where calls live between turns: any process can continue a call from its stored state.

``CallStore`` is the interface; ``MemoryStore`` is for tests, ``SqliteStore`` the default
(a restart in the middle of a call resumes it), ``RedisStore`` for several instances
behind a load balancer. Each stored call keeps the answers to its last events by sequence
number, so a retried event gets the same answer and never acts twice.

Besides the calls, a store keeps the lines in use: the active calls with the time of
their last event (the background sweep ends those idle too long, so a call the platform
never ends cannot hold a line forever), and the callers waiting for a line, in order of
arrival. ``admit`` takes a line atomically across every worker sharing the store, first
come first served. An ended call is kept ``ENDED_KEEP_S`` (a late retry gets its answer),
then deleted: the caller's number does not stay at rest.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("acotel.voice")
KEEP_ANSWERS = 4  # platforms retry the latest events, not old ones
CALL_TTL_S = 6 * 3600  # an active call nobody touches for this long is gone (Redis)
ENDED_KEEP_S = 3600  # an ended call is deleted after this
LOCK_TTL_S = 10.0  # a crashed worker's lock frees itself after this
LOCK_WAIT_S = 5.0  # beyond this, the platform is told to retry (503)
REDIS_POOL_SIZE = 64  # connections per worker; beyond, a command waits for a free one
REDIS_POOL_WAIT_S = 5.0
REDIS_RETRIES = 9
REDIS_COMMAND_S = 0.5  # per try: a stalled Redis fails the turn (503), never hangs it


def store_down(error: BaseException) -> bool:
    """A failure of the call store itself (unreachable, restarting, locked): the turn
    can be retried by the platform."""
    kind = type(error)
    return (kind.__module__.startswith("redis") and kind.__name__ in (
        "ConnectionError", "TimeoutError", "BusyLoadingError")) or (
        isinstance(error, sqlite3.OperationalError) and "locked" in str(error))


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
        return orjson.dumps({"state": self.state, "answers": self.answers,
                             "last_seq": self.last_seq},
                            option=orjson.OPT_NON_STR_KEYS).decode("utf-8")

    @classmethod
    def loads(cls, text: str) -> StoredCall:
        data = orjson.loads(text)
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
    async def put(self, call_id: str, call: StoredCall, active: bool, now: float) -> None:
        """Store the call; an active one holds its line, seen at ``now`` (Unix time)."""

    @abstractmethod
    async def admit(self, call_id: str, max_calls: int, now: float,
                    waiting_ttl_s: float) -> bool:
        """Take a line for the call if one is free and no earlier waiting caller wants it
        (then the call is active); else the caller waits in line (kept ``waiting_ttl_s``
        seconds from their first try). A call already admitted is admitted again."""

    @abstractmethod
    async def leave_queue(self, call_id: str) -> None:
        """The caller gave up waiting (dissuaded, or hung up)."""

    @abstractmethod
    async def active(self) -> int:
        """Calls in progress (for the capacity limit)."""

    @abstractmethod
    async def idle(self, seen_before: float) -> list[str]:
        """Active calls with no event since ``seen_before`` (oldest first)."""

    @abstractmethod
    async def release(self, call_id: str) -> None:
        """Free the call's line (a call swept whose state is gone)."""

    @abstractmethod
    async def purge(self, ended_before: float) -> int:
        """Delete the ended calls last touched before ``ended_before``; how many."""

    @abstractmethod
    async def ping(self) -> bool: ...

    async def close(self) -> None:
        return None


class MemoryStore(CallStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, tuple[str, float]] = {}  # id -> (body, last seen)
        self.open: dict[str, float] = {}  # active id -> last seen
        self.waiting: dict[str, float] = {}  # id -> first try

    async def get(self, call_id: str) -> StoredCall | None:
        stored = self.calls.get(call_id)
        return StoredCall.loads(stored[0]) if stored else None

    async def put(self, call_id: str, call: StoredCall, active: bool, now: float) -> None:
        self.calls[call_id] = (call.dumps(), now)
        if active:
            self.open[call_id] = now
        else:
            self.open.pop(call_id, None)

    async def admit(self, call_id: str, max_calls: int, now: float,
                    waiting_ttl_s: float) -> bool:
        if call_id in self.open:
            return True
        for old in [c for c, since in self.waiting.items() if since < now - waiting_ttl_s]:
            del self.waiting[old]
        line = sorted(self.waiting, key=lambda c: (self.waiting[c], c))
        ahead = line.index(call_id) if call_id in self.waiting else len(line)
        if ahead < max_calls - len(self.open):
            self.waiting.pop(call_id, None)
            self.open[call_id] = now
            return True
        self.waiting.setdefault(call_id, now)
        return False

    async def leave_queue(self, call_id: str) -> None:
        self.waiting.pop(call_id, None)

    async def active(self) -> int:
        return len(self.open)

    async def idle(self, seen_before: float) -> list[str]:
        return sorted((c for c, seen in self.open.items() if seen < seen_before),
                      key=lambda c: self.open[c])

    async def release(self, call_id: str) -> None:
        self.open.pop(call_id, None)

    async def purge(self, ended_before: float) -> int:
        old = [c for c, (_, seen) in self.calls.items()
               if c not in self.open and seen < ended_before]
        for call_id in old:
            del self.calls[call_id]
        return len(old)

    async def ping(self) -> bool:
        return True


_SQLITE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, body TEXT NOT NULL,"
    " active INTEGER NOT NULL, last_seen REAL NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS waiting (call_id TEXT PRIMARY KEY, since REAL NOT NULL)",
)


class SqliteStore(CallStore):
    """One SQLite file (created 0600: it holds callers' numbers while their calls last);
    writes go through one connection in a worker thread; a line is taken in one
    ``BEGIN IMMEDIATE`` transaction."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)  # also an older file made world-readable
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in _SQLITE_SCHEMA:
            self._db.execute(statement)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(calls)")}
        if "last_seen" not in columns:  # a store from before the sweep
            self._db.execute("ALTER TABLE calls ADD COLUMN last_seen REAL NOT NULL DEFAULT 0")
        self._db.execute("CREATE INDEX IF NOT EXISTS calls_active ON calls (active, last_seen)")
        self._lock = asyncio.Lock()

    async def _run(self, sql: str, *args: Any) -> list[Any]:
        async with self._lock:
            return await asyncio.to_thread(lambda: self._db.execute(sql, args).fetchall())

    async def get(self, call_id: str) -> StoredCall | None:
        rows = await self._run("SELECT body FROM calls WHERE call_id = ?", call_id)
        return StoredCall.loads(rows[0][0]) if rows else None

    async def put(self, call_id: str, call: StoredCall, active: bool, now: float) -> None:
        await self._run("INSERT INTO calls (call_id, body, active, last_seen) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT(call_id) DO UPDATE SET body = excluded.body,"
                        " active = excluded.active, last_seen = excluded.last_seen",
                        call_id, call.dumps(), int(active), now)

    def _admit(self, call_id: str, max_calls: int, now: float, waiting_ttl_s: float) -> bool:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM calls WHERE call_id = ? AND active = 1",
                          (call_id,)).fetchone():
                admitted = True
            else:
                db.execute("DELETE FROM waiting WHERE since < ?", (now - waiting_ttl_s,))
                active = db.execute("SELECT COUNT(*) FROM calls WHERE active = 1").fetchone()[0]
                mine = db.execute("SELECT since FROM waiting WHERE call_id = ?",
                                  (call_id,)).fetchone()
                ahead = db.execute(
                    "SELECT COUNT(*) FROM waiting WHERE since < ? OR (since = ? AND call_id < ?)",
                    (mine[0], mine[0], call_id)).fetchone()[0] if mine else db.execute(
                    "SELECT COUNT(*) FROM waiting").fetchone()[0]
                admitted = ahead < max_calls - active
                if admitted:
                    db.execute("DELETE FROM waiting WHERE call_id = ?", (call_id,))
                    db.execute("INSERT INTO calls (call_id, body, active, last_seen)"
                               " VALUES (?, '{\"state\": {}}', 1, ?) ON CONFLICT(call_id)"
                               " DO UPDATE SET active = 1, last_seen = excluded.last_seen",
                               (call_id, now))
                elif not mine:
                    db.execute("INSERT INTO waiting (call_id, since) VALUES (?, ?)",
                               (call_id, now))
            db.execute("COMMIT")
            return bool(admitted)
        except BaseException:
            db.execute("ROLLBACK")
            raise

    async def admit(self, call_id: str, max_calls: int, now: float,
                    waiting_ttl_s: float) -> bool:
        async with self._lock:
            return await asyncio.to_thread(self._admit, call_id, max_calls, now, waiting_ttl_s)

    async def leave_queue(self, call_id: str) -> None:
        await self._run("DELETE FROM waiting WHERE call_id = ?", call_id)

    async def active(self) -> int:
        rows = await self._run("SELECT COUNT(*) FROM calls WHERE active = 1")
        return int(rows[0][0])

    async def idle(self, seen_before: float) -> list[str]:
        rows = await self._run("SELECT call_id FROM calls WHERE active = 1 AND last_seen < ?"
                               " ORDER BY last_seen", seen_before)
        return [row[0] for row in rows]

    async def release(self, call_id: str) -> None:
        await self._run("UPDATE calls SET active = 0 WHERE call_id = ?", call_id)

    async def purge(self, ended_before: float) -> int:
        rows = await self._run("DELETE FROM calls WHERE active = 0 AND last_seen < ?"
                               " RETURNING call_id", ended_before)
        return len(rows)

    async def ping(self) -> bool:
        try:
            await self._run("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    async def close(self) -> None:
        self._db.close()


@dataclass
class _Held:
    """A call under the shared Redis lock: the lock's token, the call read when the lock
    was taken (used by the first ``get``), and whether ``put`` gave the lock back."""

    token: str
    prefetched: str | None = None
    fresh: bool = True
    released: bool = False

    def check(self, owned: int, call_id: str) -> None:
        if not owned:  # held past LOCK_TTL_S: another worker may have it now
            log.warning("call %s: lock expired while a turn was handled",
                        call_id.encode("unicode_escape").decode())


# KEYS: lock, call. ARGV: token, ttl (ms). {1, the call or nil} if taken, else {0}.
_LOCK_GET = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
    or redis.call('GET', KEYS[1]) == ARGV[1] then  -- ours already: a retried command
  return {1, redis.call('GET', KEYS[2])}
end
return {0}
"""

# KEYS: call, active, lock. ARGV: the call, its ttl (s), active (1/0), now, call id,
# token ('' when no lock is held). 0 when the lock was no longer ours.
_PUT_RELEASE = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
else
  redis.call('ZREM', KEYS[2], ARGV[5])
end
if ARGV[6] == '' then return 1 end
if redis.call('GET', KEYS[3]) == ARGV[6] then
  redis.call('DEL', KEYS[3])
  return 1
end
return 0
"""

# KEYS: lock. ARGV: token. 0 when the lock was no longer ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: active, waiting. ARGV: call id, max calls, now, waiting ttl. 1 = admitted.
_ADMIT = """
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - tonumber(ARGV[4])))
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
local ahead = rank or redis.call('ZCARD', KEYS[2])
if ahead < free then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
return 0
"""


class RedisStore(CallStore):
    """Calls as Redis strings with a time to live; the active calls and the waiting
    callers in sorted sets (by last event, by arrival). A call is locked across
    processes by a Redis lock (SET NX with a token and an expiry). Each worker has a
    bounded pool: beyond ``REDIS_POOL_SIZE`` commands at once, a command waits for a free
    connection (up to ``REDIS_POOL_WAIT_S``) instead of failing."""

    def __init__(self, url: str, prefix: str = "acotel:",
                 lock_wait_s: float = LOCK_WAIT_S, pool_size: int = REDIS_POOL_SIZE) -> None:
        import redis.asyncio as redis

        super().__init__()
        self.lock_wait_s = lock_wait_s
        # redis 6 (addok's pin, in the bench extra) has no type hints here, redis 8 has.
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError

        pool_class: Any = redis.BlockingConnectionPool
        # A Redis restart (a few seconds) is waited out: commands are retried with
        # back-off for about 5 s before the turn fails (then 503: the platform retries).
        pool = pool_class.from_url(url, decode_responses=True, max_connections=pool_size,
                                   timeout=REDIS_POOL_WAIT_S,
                                   socket_timeout=REDIS_COMMAND_S,
                                   socket_connect_timeout=REDIS_COMMAND_S,
                                   retry=Retry(ExponentialBackoff(cap=1.0, base=0.05),
                                               REDIS_RETRIES),
                                   retry_on_error=[RedisConnectionError, OSError])
        self.redis: Any = redis.Redis(connection_pool=pool)
        self.prefix = prefix
        self._admit = self.redis.register_script(_ADMIT)
        self._lock_get = self.redis.register_script(_LOCK_GET)
        self._put_release = self.redis.register_script(_PUT_RELEASE)
        self._release = self.redis.register_script(_RELEASE)
        self._held: dict[str, _Held] = {}  # this worker's calls under the shared lock

    def lock(self, call_id: str) -> AbstractAsyncContextManager[None]:
        return self._locked(call_id)

    @asynccontextmanager
    async def _locked(self, call_id: str) -> AsyncIterator[None]:
        # The in-process lock first: this worker's own turns of the call wait without
        # polling Redis; then the shared lock, against other workers. Taking the shared
        # lock reads the call in the same round trip (the next ``get`` uses it), and the
        # call's ``put`` gives the shared lock back in its own round trip: a turn costs
        # two round trips to Redis, not four.
        async with self.locks.hold(call_id):
            held = _Held(secrets.token_hex(16))
            keys = [f"{self.prefix}lock:{call_id}", f"{self.prefix}call:{call_id}"]
            deadline = time.monotonic() + self.lock_wait_s
            while True:
                reply = await self._lock_get(keys=keys, args=[held.token,
                                                              int(LOCK_TTL_S * 1000)])
                if reply[0]:
                    held.prefetched = reply[1] if len(reply) > 1 else None
                    break
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"call {call_id!r} is held by another worker")
                await asyncio.sleep(0.005)
            self._held[call_id] = held
            try:
                yield
            finally:
                del self._held[call_id]
                if not held.released:
                    owned = await self._release(keys=keys[:1], args=[held.token])
                    held.check(owned, call_id)

    async def get(self, call_id: str) -> StoredCall | None:
        held = self._held.get(call_id)
        if held is not None and held.fresh:
            held.fresh = False
            text = held.prefetched
        else:
            text = await self.redis.get(f"{self.prefix}call:{call_id}")
        if not text:
            return None
        return StoredCall.loads(text if isinstance(text, str) else text.decode("utf-8"))

    async def put(self, call_id: str, call: StoredCall, active: bool, now: float) -> None:
        """Store the call; under the call's lock, give the shared lock back in the same
        round trip (the in-process lock stays held until the turn is over)."""
        held = self._held.get(call_id)
        token = "" if held is None or held.released else held.token
        owned = await self._put_release(
            keys=[f"{self.prefix}call:{call_id}", f"{self.prefix}active",
                  f"{self.prefix}lock:{call_id}"],
            args=[call.dumps(), CALL_TTL_S if active else ENDED_KEEP_S, int(active), now,
                  call_id, token])
        if held is not None and token:
            held.released = True
            held.fresh = False
            held.check(owned, call_id)

    async def admit(self, call_id: str, max_calls: int, now: float,
                    waiting_ttl_s: float) -> bool:
        return bool(await self._admit(
            keys=[f"{self.prefix}active", f"{self.prefix}waiting"],
            args=[call_id, max_calls, now, waiting_ttl_s]))

    async def leave_queue(self, call_id: str) -> None:
        await self.redis.zrem(f"{self.prefix}waiting", call_id)

    async def active(self) -> int:
        return int(await self.redis.zcard(f"{self.prefix}active"))

    async def idle(self, seen_before: float) -> list[str]:
        found = await self.redis.zrangebyscore(f"{self.prefix}active", "-inf",
                                               f"({seen_before}")
        return [str(call_id) for call_id in found]

    async def release(self, call_id: str) -> None:
        await self.redis.zrem(f"{self.prefix}active", call_id)

    async def purge(self, ended_before: float) -> int:
        return 0  # ended calls expire by themselves (ENDED_KEEP_S)

    async def claim_sms(self, key: str, owner: str, ttl_s: float) -> str:
        """Who delivers the SMS ``key`` among the workers: "mine" (claimed or already
        ours; held ``ttl_s``), "taken" (another worker is on it) or "delivered"."""
        name = f"{self.prefix}sms:{key}"
        if await self.redis.set(name, owner, nx=True, ex=int(ttl_s)):
            return "mine"
        holder = await self.redis.get(name)
        if holder == owner:
            await self.redis.expire(name, int(ttl_s))
            return "mine"
        return "delivered" if holder == "delivered" else "taken"

    async def sms_delivered(self, key: str) -> None:
        await self.redis.set(f"{self.prefix}sms:{key}", "delivered", ex=24 * 3600)

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except Exception:  # any connection failure means "not reachable"
            return False

    async def close(self) -> None:
        await self.redis.aclose()
        await self.redis.connection_pool.disconnect()


def open_store(url: str) -> CallStore:
    """``memory://``, ``sqlite:///path/to/calls.db`` or ``redis://host:port/db``."""
    if url.startswith("memory:"):
        return MemoryStore()
    if url.startswith("sqlite:///"):
        return SqliteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(url)
    raise ValueError(f"store: unknown store URL {url!r} (memory://, sqlite:///, redis://)")
