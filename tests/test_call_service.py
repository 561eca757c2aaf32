"""The call service without HTTP, on each store (memory, SQLite, the real Redis): no
leaked line, the end-of-call hook once whatever ends a call, capacity taken atomically and
first come first served, each call counted once, no full number at rest."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from acotel_geo import CatalogueHolder, default_resolver, load_catalogue
from acotel_voice.calls import (
    CallConflict,
    CallEndHooks,
    CallNotFound,
    CallService,
    CallStore,
    EndedCall,
    Metrics,
    RedisStore,
    ServiceSettings,
    SmsOutbox,
    open_store,
)
from acotel_voice.dialog import Engine, Event

DAY = date(2026, 12, 1)
AT = "2026-12-01T10:00:00+01:00"


@pytest.fixture(scope="module")
def engine() -> Engine:
    holder = CatalogueHolder(catalogue=load_catalogue(anchor=DAY))
    return Engine(default_resolver(), lambda: holder.catalogue)


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/calls.db"
    return str(request.getfixturevalue("redis_url"))


def run(engine: Engine, store_url: str, tmp_path: Path,
        scenario: Callable[[CallService, list[EndedCall]], Awaitable[None]],
        **settings: Any) -> list[EndedCall]:
    ended: list[EndedCall] = []

    async def on_end(call: EndedCall) -> None:
        ended.append(call)

    async def main() -> None:
        store: CallStore = open_store(store_url)
        if isinstance(store, RedisStore):
            store = RedisStore(store_url, prefix=f"svc-{time.monotonic_ns()}:")
        hooks = CallEndHooks([on_end])
        outbox = SmsOutbox(tmp_path / "outbox.jsonl")
        service = CallService(ServiceSettings(**settings), store, engine, outbox, hooks,
                              Metrics())
        try:
            await scenario(service, ended)
            await hooks.drain()
        finally:
            await outbox.close()
            await store.close()

    asyncio.run(main())
    return ended


def test_a_call_the_platform_never_ends_is_swept_and_frees_its_line(
        engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("c1", "0612345678", "0900", AT)
        assert await service.store.active() == 1
        assert await service.sweep(time.time() + 10) == 0  # not idle yet
        assert await service.sweep(time.time() + 120) == 1
        assert await service.store.active() == 0
        assert await service.sweep(time.time() + 240) == 0  # once only
        # the platform's late hangup for it is answered, without error or second hook
        _, actions = await service.event("c1", 1, Event("hangup", at=AT))
        assert actions == []
        await service.end("c1", AT)
        # a hangup for a call nobody knows (expired, purged) is answered too
        assert (await service.event("gone", 3, Event("hangup", at=AT)))[1] == []

    ended = run(engine, store_url, tmp_path, scenario, idle_timeout_s=60)
    assert [(e.call_id, e.reason) for e in ended] == [("c1", "idle")]


def test_leaked_calls_no_longer_block_every_caller(engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        for n in range(3):  # three calls the platform forgot to end: every line taken
            await service.start(f"lost-{n}", "0612345678", "0900", AT)
        busy = await service.start("new", "0612345679", "0900", AT)
        assert busy[-1]["kind"] == "wait"
        await service.sweep(time.time() + 120)
        welcome = await service.start("new", "0612345679", "0900", AT, waited_s=15)
        assert welcome[-1]["kind"] == "listen"

    run(engine, store_url, tmp_path, scenario, max_calls=3, idle_timeout_s=60)


def test_a_burst_never_exceeds_the_capacity_and_a_retried_start_counts_once(
        engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        answers = await asyncio.gather(*(
            service.start(f"b{n}", f"06123456{n:02d}", "0900", AT) for n in range(50)))
        admitted = [a for a in answers if a[-1]["kind"] == "listen"]
        assert len(admitted) == 5 and await service.store.active() == 5
        again = await service.start("b0", "0612345600", "0900", AT)  # a retried start
        if answers[0][-1]["kind"] == "listen":
            assert json.loads(json.dumps(again)) == json.loads(json.dumps(answers[0]))
        assert await service.store.active() == 5
        assert service.metrics.counters["calls_started_total"] == 5

    run(engine, store_url, tmp_path, scenario, max_calls=5)


def test_waiting_callers_are_served_first_come_first_served(
        engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("first", "0612345601", "0900", AT)
        assert (await service.start("early", "0612345602", "0900", AT))[-1]["kind"] == "wait"
        await asyncio.sleep(0.01)
        assert (await service.start("late", "0612345603", "0900", AT))[-1]["kind"] == "wait"
        await service.event("first", 1, Event("hangup", at=AT))  # a line is free
        # the later caller retries first: the line is kept for the earlier one
        assert (await service.start("late", "0612345603", "0900", AT, 15))[-1]["kind"] == "wait"
        early = await service.start("early", "0612345602", "0900", AT, 15)
        assert early[-1]["kind"] == "listen"

    run(engine, store_url, tmp_path, scenario, max_calls=1)


def test_the_hook_fires_once_whatever_ends_the_call(engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("h1", "0612345678", "0900", AT)
        await asyncio.gather(service.event("h1", 1, Event("hangup", at=AT)),
                             service.end("h1", AT), service.end("h1", AT))
        await service.start("h2", "0612345678", "0900", AT)
        await service.end("h2", AT)  # the platform's status: a hang-up
        await service.end("never", AT, "0612345678", "0900")  # gone before the welcome

    ended = run(engine, store_url, tmp_path, scenario)
    assert sorted((e.call_id, e.reason) for e in ended) == [
        ("h1", "hangup"), ("h2", "status"), ("never", "dropped")]


def test_a_status_during_a_gather_never_loses_the_hangup(engine, store_url, tmp_path) -> None:
    """The status numbers its event under the call's lock: it comes after the gather's."""
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("g1", "0612345678", "0900", AT)
        await asyncio.gather(service.event("g1", None, Event("speech", text="la mémoire",
                                                            at=AT)),
                             service.end("g1", AT))
        stored = await service.store.get("g1")
        assert stored is not None and stored.state["ended"]

    ended = run(engine, store_url, tmp_path, scenario)
    assert [e.call_id for e in ended] == ["g1"]


def test_a_call_id_reused_by_another_caller_is_a_conflict(engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("r1", "0612345678", "0900", AT)
        with pytest.raises(CallConflict):
            await service.start("r1", "0698765432", "0900", AT)
        with pytest.raises(CallNotFound):
            await service.event("nobody", 1, Event("speech", text="oui", at=AT))

    run(engine, store_url, tmp_path, scenario)


def test_no_full_caller_number_stays_at_rest_after_the_call(engine, store_url, tmp_path) -> None:
    async def scenario(service: CallService, ended: list[EndedCall]) -> None:
        await service.start("p1", "0612345678", "0900", AT)
        for seq, text in enumerate(["la mémoire", "Tours", "non", "oui"], start=1):
            _, actions = await service.event("p1", seq, Event("speech", text=text, at=AT))
        assert any(a["kind"] == "sms" and a["to"] == "0612345678" for a in actions)
        await service.event("p1", 5, Event("hangup", at=AT))
        stored = await service.store.get("p1")
        assert stored is not None and "0612345678" not in stored.dumps()
        await service.sweep(time.time() + 2 * 3600)  # past the retention of ended calls
        if not isinstance(service.store, RedisStore):  # Redis expires them by itself
            assert await service.store.get("p1") is None

    run(engine, store_url, tmp_path, scenario)
    db = tmp_path / "calls.db"
    if store_url.startswith("sqlite"):
        assert os.stat(db).st_mode & 0o777 == 0o600
