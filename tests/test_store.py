"""Call stores: one turn of a call at a time, in one process and across processes (the
real Redis of the tests: see the ``redis_url`` fixture)."""

from __future__ import annotations

import asyncio
import time

import pytest

from acotel_voice.calls._store import (
    KeyedLocks,
    MemoryStore,
    RedisStore,
    StoreBusy,
    StoredCall,
    store_down,
)


def redis_store(url: str, **options: float) -> RedisStore:
    return RedisStore(url, prefix="acotel-test:", **options)


async def turns_overlap(lock_for_each_turn: list, turns: int = 20) -> bool:
    """Runs ``turns`` read-then-write turns of one call at once, each under the lock its
    index gives; True if any two were ever inside at the same time."""
    inside = 0
    overlapped = False

    async def turn(n: int) -> None:
        nonlocal inside, overlapped
        async with lock_for_each_turn[n % len(lock_for_each_turn)]("call-1"):
            inside += 1
            overlapped |= inside > 1
            await asyncio.sleep(0.002)  # a store round trip in the middle of the turn
            inside -= 1

    await asyncio.gather(*(turn(n) for n in range(turns)))
    return overlapped


def test_turns_of_one_call_never_overlap_and_leave_no_lock_behind() -> None:
    store = MemoryStore()

    async def scenario() -> None:
        assert not await turns_overlap([store.lock])
        assert len(store.locks) == 0  # calls that never hang up leave nothing behind

    asyncio.run(scenario())


def test_keyed_locks_keep_different_calls_independent() -> None:
    locks = KeyedLocks()

    async def both() -> None:
        async with locks.hold("a"), locks.hold("b"):  # "b" does not wait for "a"
            assert len(locks) == 2

    async def scenario() -> None:
        await asyncio.wait_for(both(), timeout=1)
        assert len(locks) == 0

    asyncio.run(scenario())


def test_two_redis_workers_never_handle_one_call_at_once(redis_url) -> None:
    async def scenario() -> None:
        # two workers, each with its own connection pool
        first, second = redis_store(redis_url), redis_store(redis_url)
        try:
            assert not await turns_overlap([first.lock, second.lock])
            assert len(first.locks) == len(second.locks) == 0
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())


def test_two_redis_workers_lose_no_update_of_one_call(redis_url) -> None:
    """Each turn reads the call and writes it back (the read comes with the lock, the
    write gives the lock back): 30 turns on two workers count 30."""
    async def scenario() -> None:
        workers = [redis_store(redis_url), redis_store(redis_url)]
        try:
            await workers[0].put("call-2", StoredCall({"turns": 0}), active=True,
                                 now=time.time())

            async def turn(store: RedisStore) -> None:
                async with store.lock("call-2"):
                    stored = await store.get("call-2")
                    assert stored is not None
                    await asyncio.sleep(0.001)
                    stored.state["turns"] += 1
                    await store.put("call-2", stored, active=True, now=time.time())

            await asyncio.gather(*(turn(workers[n % 2]) for n in range(30)))
            final = await workers[1].get("call-2")
            assert final is not None and final.state["turns"] == 30
            assert await workers[0].redis.get("acotel-test:lock:call-2") is None
        finally:
            for store in workers:
                await store.close()

    asyncio.run(scenario())


def test_a_turn_whose_lock_expired_never_frees_the_next_holders_lock(redis_url,
                                                                     caplog) -> None:
    async def scenario() -> None:
        store = redis_store(redis_url)
        try:
            async with store.lock("call-3"):
                # the turn outlived its lock and another worker took the call meanwhile
                await store.redis.set("acotel-test:lock:call-3", "other-worker", px=5000)
                await store.put("call-3", StoredCall({"step": "results"}), active=True,
                                now=time.time())
            assert await store.redis.get("acotel-test:lock:call-3") == "other-worker"
            stored = await store.get("call-3")
            assert stored is not None and stored.state == {"step": "results"}
        finally:
            await store.close()

    asyncio.run(scenario())
    assert "lock expired while a turn was handled" in caplog.text


def test_a_call_held_too_long_elsewhere_is_busy_then_freed_by_its_expiry(redis_url) -> None:
    async def scenario() -> None:
        store = redis_store(redis_url, lock_wait_s=0.2)
        try:
            # a worker that crashed mid-turn: its lock is still there, for 600 ms
            await store.redis.set("acotel-test:lock:call-9", "dead-worker", px=600)
            with pytest.raises(StoreBusy):
                async with store.lock("call-9"):
                    pass
            await asyncio.sleep(0.5)
            started = time.monotonic()
            async with store.lock("call-9"):  # expired: the call goes on
                await store.put("call-9", StoredCall({"step": "theme"}), active=True,
                                now=time.time())
            assert time.monotonic() - started < 0.3
            stored = await store.get("call-9")
            assert stored is not None and stored.state == {"step": "theme"}
        finally:
            await store.close()

    asyncio.run(scenario())


def test_a_burst_beyond_the_redis_pool_waits_instead_of_failing(redis_url) -> None:
    """200 commands at once on a pool of 4 connections: every one is served (redis-py's
    default pool failed at once beyond its size, and the turn answered 500)."""
    async def scenario() -> None:
        store = RedisStore(redis_url, prefix="acotel-test:", pool_size=4)
        try:
            await store.put("call-1", StoredCall({"step": "theme"}), active=True,
                            now=time.time())
            found = await asyncio.gather(*(store.get("call-1") for _ in range(200)))
            assert all(f is not None and f.state == {"step": "theme"} for f in found)
        finally:
            await store.close()

    asyncio.run(scenario())


def test_a_stalled_redis_fails_the_turn_as_store_down_instead_of_hanging() -> None:
    """A Redis that accepts connections but never answers (paused, swapping): each try
    times out, and the failure is one the platform is told to retry (503)."""

    async def scenario() -> BaseException | None:
        async def never_answer(reader: asyncio.StreamReader,
                               writer: asyncio.StreamWriter) -> None:
            await reader.read()  # holds the connection until the client gives up

        server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        store = RedisStore(f"redis://127.0.0.1:{port}/0", prefix="acotel-test:")
        failure: BaseException | None = None
        try:
            await store.get("call-1")
        except Exception as error:
            failure = error
        server.close()
        return failure

    failure = asyncio.run(scenario())
    assert failure is not None and store_down(failure)
