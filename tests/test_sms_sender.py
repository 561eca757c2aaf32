"""SMS senders: the file outbox and a generic HTTP SMS API (a real aiohttp server on
127.0.0.1), each retried safely and never sending one SMS twice."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from acotel_voice.calls._sms_sender import HttpSmsSender, OutboxSender, SmsError


def test_the_outbox_writes_each_sms_once_even_under_concurrent_retries(tmp_path) -> None:
    path = tmp_path / "outbox.jsonl"

    async def scenario() -> None:
        sender = OutboxSender(path)
        keys = [f"call-{n % 30}:4:0" for n in range(90)]  # every SMS asked three times
        await asyncio.gather(*(sender.send(key, "0612345678", f"Atelier {key}")
                               for key in keys))
        await sender.close()

    asyncio.run(scenario())
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert sorted(line["key"] for line in lines) == sorted({f"call-{n}:4:0" for n in range(30)})

    async def after_restart() -> None:  # a restarted server remembers what it sent
        sender = OutboxSender(path)
        await sender.send("call-3:4:0", "0612345678", "Atelier call-3:4:0")
        await sender.send("call-99:2:0", "0612345678", "Atelier nouveau")

    asyncio.run(after_restart())
    assert len(path.read_text("utf-8").splitlines()) == 31


def test_a_full_disk_is_an_sms_error_not_a_crash() -> None:
    async def scenario() -> None:
        sender = OutboxSender("/dev/full")  # every write fails: no space left on device
        with pytest.raises(SmsError, match="outbox not written"):
            await sender.send("call-1:4:0", "0612345678", "Atelier")

    asyncio.run(scenario())


class SmsApi:
    """A real HTTP SMS API on 127.0.0.1 that fails as told, then accepts."""

    def __init__(self, failures: list[int]) -> None:
        self.failures = failures
        self.received: list[dict[str, str]] = []
        self.app = web.Application()
        self.app.router.add_post("/sms", self.post)

    async def post(self, request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "Bearer token"
        if self.failures:
            return web.json_response({"error": "no"}, status=self.failures.pop(0))
        self.received.append(await request.json())
        return web.json_response({"id": len(self.received)}, status=201)


def with_api(failures: list[int], check) -> SmsApi:
    api = SmsApi(failures)

    async def main() -> None:
        async with TestServer(api.app, host="127.0.0.1") as server:
            sender = HttpSmsSender(str(server.make_url("/sms")), token="token", retries=2)
            try:
                await check(sender)
            finally:
                await sender.close()

    asyncio.run(main())
    return api


def test_the_http_api_is_retried_on_server_errors_and_sent_once() -> None:
    async def check(sender: HttpSmsSender) -> None:
        await sender.send("call-1:4:0", "0612345678", "Atelier mémoire")
        await sender.send("call-1:4:0", "0612345678", "Atelier mémoire")  # a retried event

    api = with_api([503, 502], check)
    assert api.received == [{"to": "0612345678", "text": "Atelier mémoire",
                             "idempotency_key": "call-1:4:0"}]


def test_a_refused_sms_is_not_retried_and_says_so_without_the_number() -> None:
    async def check(sender: HttpSmsSender) -> None:
        with pytest.raises(SmsError) as error:
            await sender.send("call-1:4:0", "0612345678", "Atelier mémoire")
        assert "HTTP 400" in str(error.value) and "0612345678" not in str(error.value)

    api = with_api([400, 400], check)
    assert api.received == [] and api.failures == [400]  # asked once only


def test_an_sms_api_that_keeps_failing_gives_up() -> None:
    async def check(sender: HttpSmsSender) -> None:
        with pytest.raises(SmsError, match="HTTP 503"):
            await sender.send("call-1:4:0", "0612345678", "Atelier mémoire")

    api = with_api([503] * 5, check)
    assert api.failures == [503, 503]  # the first try and two retries
