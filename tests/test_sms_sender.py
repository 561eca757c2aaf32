"""The SMS outbox: each SMS written durably once, whole lines only, delivered after the
turn by the background sender through a real HTTP SMS API on 127.0.0.1 (retried, once,
with its idempotency key), its outcome reported, and the health degraded while SMS
cannot be delivered."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import time
from datetime import datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from acotel_voice.calls import HttpSmsApi, SmsError, SmsOutbox


def test_the_outbox_writes_each_sms_once_even_under_concurrent_retries(tmp_path) -> None:
    path = tmp_path / "outbox.jsonl"

    async def scenario() -> None:
        outbox = SmsOutbox(path)
        keys = [f"call-{n % 30}:4:0" for n in range(90)]  # every SMS asked three times
        await asyncio.gather(*(outbox.enqueue(key, "0612345678", f"Atelier {key}")
                               for key in keys))
        await outbox.close()

    asyncio.run(scenario())
    assert os.stat(path).st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert sorted(line["key"] for line in lines) == sorted({f"call-{n}:4:0" for n in range(30)})

    async def after_restart() -> None:  # a restarted server remembers what it wrote
        outbox = SmsOutbox(path)
        await outbox.enqueue("call-3:4:0", "0612345678", "Atelier call-3:4:0")
        await outbox.enqueue("call-99:2:0", "0612345678", "Atelier nouveau")

    asyncio.run(after_restart())
    assert len(path.read_text("utf-8").splitlines()) == 31


def test_a_full_disk_is_an_sms_error_and_degrades_health_until_a_write_succeeds(
        tmp_path) -> None:
    async def scenario() -> None:
        outbox = SmsOutbox("/dev/full")  # every write fails: no space left on device
        with pytest.raises(SmsError, match="outbox not written"):
            await outbox.enqueue("call-1:4:0", "0612345678", "Atelier")
        assert not await outbox.ping()

    asyncio.run(scenario())


def test_a_write_cut_by_a_full_disk_leaves_no_half_line(tmp_path, monkeypatch) -> None:
    path = tmp_path / "outbox.jsonl"
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if b"call-2" in data and len(data) > 20:
            real_write(fd, data[:20])  # the disk fills in the middle of the line
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    async def scenario() -> None:
        outbox = SmsOutbox(path)
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier un")
        monkeypatch.setattr(os, "write", half_then_full)
        with pytest.raises(SmsError):
            await outbox.enqueue("call-2:4:0", "0612345678", "Atelier deux")
        monkeypatch.setattr(os, "write", real_write)
        await outbox.enqueue("call-3:4:0", "0612345678", "Atelier trois")
        assert await outbox.ping()  # written again: healthy again

    asyncio.run(scenario())
    keys = [json.loads(line)["key"] for line in path.read_text("utf-8").splitlines()]
    assert keys == ["call-1:4:0", "call-3:4:0"]


def test_a_torn_line_left_by_a_crash_is_skipped_and_the_next_sms_not_glued_to_it(
        tmp_path, caplog) -> None:
    path = tmp_path / "outbox.jsonl"
    path.write_text('{"key": "call-1:4:0", "to": "0612345678", "text": "A"}\n{"key": "ca')

    async def scenario() -> None:
        outbox = SmsOutbox(path)  # starts, naming the file
        await outbox.enqueue("call-2:4:0", "0612345678", "Atelier")

    asyncio.run(scenario())
    assert str(path) in caplog.text
    assert json.loads(path.read_text("utf-8").splitlines()[-1])["key"] == "call-2:4:0"


class FakeSmsProvider:
    """A real HTTP SMS API on 127.0.0.1 that fails as told, then accepts; ``delay_s``
    makes each answer slow."""

    def __init__(self, failures: list[int], delay_s: float = 0.0) -> None:
        self.failures = failures
        self.delay_s = delay_s
        self.received: list[dict[str, str]] = []
        self.app = web.Application()
        self.app.router.add_post("/sms", self.post)

    async def post(self, request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "Bearer token"
        await asyncio.sleep(self.delay_s)
        if self.failures:
            return web.json_response({"error": "no"}, status=self.failures.pop(0))
        self.received.append(await request.json())
        return web.json_response({"id": len(self.received)}, status=201)


def run_with_provider(provider: FakeSmsProvider, check, tmp_path, **options) -> list:
    outcomes: list[tuple[str, str, bool]] = []

    async def outcome(call_id: str, key: str, delivered: bool, at: datetime) -> None:
        outcomes.append((call_id, key, delivered))

    async def main() -> None:
        async with TestServer(provider.app, host="127.0.0.1") as server:
            outbox = SmsOutbox(tmp_path / "outbox.jsonl",
                               HttpSmsApi(str(server.make_url("/sms")), token="token"),
                               [outcome], first_retry_s=0.05, **options)
            outbox.start()
            try:
                await check(outbox)
            finally:
                await outbox.close()

    asyncio.run(main())
    return outcomes


async def until(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.01)


def test_the_api_is_retried_after_the_turn_delivered_once_and_health_follows(
        tmp_path) -> None:
    provider = FakeSmsProvider([503, 502])
    health: list[bool] = []

    async def check(outbox: SmsOutbox) -> None:
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier mémoire", "call-1")
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier mémoire", "call-1")  # retry
        await until(lambda: provider.failures == [])
        health.append(await outbox.ping())  # a delivery failed: degraded
        await until(lambda: bool(provider.received))
        await until(lambda: outbox.pending() == 0)
        health.append(await outbox.ping())

    outcomes = run_with_provider(provider, check, tmp_path)
    assert provider.received == [{"to": "0612345678", "text": "Atelier mémoire",
                                  "idempotency_key": "call-1:4:0"}]
    assert outcomes == [("call-1", "call-1:4:0", True)]
    assert health == [False, True]
    assert (tmp_path / "outbox.jsonl.delivered").read_text().split() == ["call-1:4:0"]


def test_a_slow_api_does_not_delay_the_turn(tmp_path) -> None:
    provider = FakeSmsProvider([], delay_s=2.0)
    took: list[float] = []

    async def check(outbox: SmsOutbox) -> None:
        started = time.monotonic()
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier", "call-1")
        took.append(time.monotonic() - started)
        await until(lambda: bool(provider.received))

    run_with_provider(provider, check, tmp_path)
    assert took[0] < 1.0


def test_a_refused_sms_is_given_up_at_once_and_reported_not_delivered(tmp_path) -> None:
    provider = FakeSmsProvider([400, 400])

    async def check(outbox: SmsOutbox) -> None:
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier", "call-1")
        await until(lambda: outbox.counts["failed"] == 1)
        assert not await outbox.ping()

    outcomes = run_with_provider(provider, check, tmp_path)
    await_nothing = provider.failures == [400]  # asked once only
    assert await_nothing and outcomes == [("call-1", "call-1:4:0", False)]


def test_an_sms_past_its_deadline_is_given_up(tmp_path) -> None:
    provider = FakeSmsProvider([503] * 100)

    async def check(outbox: SmsOutbox) -> None:
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier", "call-1")
        await until(lambda: outbox.counts["failed"] == 1)

    outcomes = run_with_provider(provider, check, tmp_path, deadline_s=0.5)
    assert outcomes == [("call-1", "call-1:4:0", False)] and provider.received == []


def test_sms_written_but_not_delivered_before_a_restart_are_delivered_after(tmp_path) -> None:
    async def before() -> None:  # no API reachable: the SMS stays in the outbox
        outbox = SmsOutbox(tmp_path / "outbox.jsonl",
                           HttpSmsApi("http://127.0.0.1:9/sms", token="token"),
                           first_retry_s=10)
        outbox.start()
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier", "call-1")
        await outbox.close(grace_s=0.1)

    asyncio.run(before())
    provider = FakeSmsProvider([])

    async def check(outbox: SmsOutbox) -> None:
        await until(lambda: bool(provider.received))

    run_with_provider(provider, check, tmp_path)
    assert [r["idempotency_key"] for r in provider.received] == ["call-1:4:0"]


def test_sms_delivered_before_a_restart_are_not_delivered_again(tmp_path) -> None:
    provider = FakeSmsProvider([])

    async def check(outbox: SmsOutbox) -> None:
        await outbox.enqueue("call-1:4:0", "0612345678", "Atelier", "call-1")
        await until(lambda: outbox.pending() == 0)

    run_with_provider(provider, check, tmp_path)

    async def restarted(outbox: SmsOutbox) -> None:
        await asyncio.sleep(0.3)
        assert outbox.pending() == 0

    again = FakeSmsProvider([])  # a new server (an app serves one event loop)
    run_with_provider(again, restarted, tmp_path)
    assert len(provider.received) == 1 and again.received == []


def test_two_workers_recovering_one_outbox_deliver_each_sms_once(tmp_path, redis_url) -> None:
    """A worker restarted finds SMS its sibling is delivering: the Redis claims decide."""
    from acotel_voice.calls import RedisStore

    path = tmp_path / "outbox.jsonl"
    path.write_text("".join(json.dumps({"key": f"c{n}:4:0", "call_id": f"c{n}",
                                        "to": "0612345678", "text": "Atelier",
                                        "at": time.time()}) + "\n" for n in range(20)))
    provider = FakeSmsProvider([], delay_s=0.05)

    async def main() -> None:
        store = RedisStore(redis_url, prefix=f"claims-{time.monotonic_ns()}:")
        async with TestServer(provider.app, host="127.0.0.1") as server:
            outboxes = [SmsOutbox(path, HttpSmsApi(str(server.make_url("/sms")),
                                                   token="token"), claims=store)
                        for _ in range(2)]
            for outbox in outboxes:
                outbox.start()
            await until(lambda: all(o.pending() == 0 for o in outboxes), 20)
            for outbox in outboxes:
                await outbox.close()
        await store.close()

    asyncio.run(main())
    keys = [r["idempotency_key"] for r in provider.received]
    assert sorted(keys) == sorted(f"c{n}:4:0" for n in range(20))
