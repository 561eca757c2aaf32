"""The service under bad input, slow clients, a failing SMS API and catalogue imports,
through a real HTTP server on 127.0.0.1: a clear 400 naming the field, never a 500; no
caller words in the access log; the health follows SMS delivery; the catalogue reloads
without a restart; every worker's metrics in one answer."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from acotel_geo import CatalogueHolder, SnapshotStore, default_resolver, load_catalogue
from acotel_voice.dialog import Engine
from acotel_voice.http import _auth, _background
from acotel_voice.http._server import AccessLogger, ServerConfig, create_app

DAY = date(2026, 12, 1)
SECRET = "s3cret"
AUTH = {"Authorization": f"Bearer {SECRET}"}
AT = "2026-12-01T10:00:00+01:00"


@pytest.fixture(scope="module")
def engine() -> Engine:
    holder = CatalogueHolder(catalogue=load_catalogue(anchor=DAY))
    return Engine(default_resolver(), lambda: holder.catalogue)


def config(tmp_path: Path, **changes: Any) -> ServerConfig:
    return replace(ServerConfig(secret=SECRET, jambonz_secret="jz",
                                store_url=f"sqlite:///{tmp_path}/calls.db",
                                sms_outbox=str(tmp_path / "outbox.jsonl")), **changes)


def serve(cfg: ServerConfig, scenario, engine: Engine | None = None,
          catalogue: CatalogueHolder | None = None, **server: Any) -> None:
    async def main() -> None:
        app = create_app(cfg, engine, catalogue or CatalogueHolder(
            catalogue=load_catalogue(anchor=DAY)))
        async with TestClient(TestServer(app, host="127.0.0.1", **server)) as client:
            await scenario(client)

    asyncio.run(main())


async def start(client: TestClient, call_id: str) -> dict[str, Any]:
    response = await client.post("/v1/calls", headers=AUTH, json={
        "call_id": call_id, "from": "0612345678", "to": "0900000000", "started_at": AT})
    assert response.status == 200, await response.text()
    return dict(await response.json())


BAD_EVENTS = [
    ('{"seq": 1, "type": "speech", "text": "\\ud800"}', "text"),  # a lone surrogate
    ('{"seq": 1000000000000000000000000000, "type": "no_input"}', "seq"),
    ('{"seq": 1, "type": "no_input", "at": "hier"}', "at"),
    ('{"seq": 1, "type": "no_input", "at": "2026-12-01T10:00:00"}', "at"),  # no offset
    ('{"seq": 1, "type": "speech", "text": "x", "confidence": NaN}', "body"),
    ("[" * 100_000 + "]" * 100_000, "body"),  # deeply nested
    ('{"seq": 1, "type": "speech", "text": "x", "alternatives": ["\\udfff"]}', "alternatives"),
]


@pytest.mark.parametrize(("body", "field"), BAD_EVENTS)
def test_bad_events_are_a_400_naming_the_field(tmp_path, engine, body, field) -> None:
    async def scenario(client: TestClient) -> None:
        await start(client, "call-1")
        response = await client.post("/v1/calls/call-1/events", data=body.encode(),
                                      headers={**AUTH, "Content-Type": "application/json"})
        assert response.status == 400, await response.text()
        assert (await response.json())["field"] == field

    serve(config(tmp_path, max_body_bytes=1 << 20), scenario, engine)


@pytest.mark.parametrize(("request_", "field"), [
    (("POST", "/v1/calls", '{"call_id": "a\\nINFO forged", "from": "0612345678"}'), "call_id"),
    (("POST", "/v1/calls", '{"call_id": "a", "from": "0612345678", "started_at": "x"}'),
     "started_at"),
    (("POST", "/v1/calls", '{"call_id": "a", "from": "<script>"}'), "from"),
    (("POST", "/v1/calls/a%0Ab/events", '{"seq": 1, "type": "no_input"}'), "call_id"),
    (("GET", "/v1/workshops/search?insee=13001&limit=%C2%B2", ""), "limit"),  # limit=²
    (("GET", "/v1/workshops/search?lat=nan&lon=5", ""), "lat"),
    (("GET", "/v1/workshops/search?lat=43&lon=inf", ""), "lon"),
    (("GET", "/v1/workshops/search?insee=13001&date=9999-12-31", ""), "date"),
])
def test_bad_requests_are_a_400_naming_the_field(tmp_path, engine, request_, field) -> None:
    method, path, body = request_

    async def scenario(client: TestClient) -> None:
        response = await client.request(method, path, data=body.encode(), headers={
            **AUTH, "Content-Type": "application/json"})
        assert response.status == 400, await response.text()
        assert (await response.json())["field"] == field

    serve(config(tmp_path), scenario, engine)


def test_an_unknown_charset_is_read_as_utf8_not_a_500(tmp_path, engine) -> None:
    async def scenario(client: TestClient) -> None:
        response = await client.post("/v1/calls", data=json.dumps(
            {"call_id": "a", "from": "0612345678", "started_at": AT}).encode(), headers={
            **AUTH, "Content-Type": "application/json; charset=x-nonexistent"})
        assert response.status == 200

    serve(config(tmp_path), scenario, engine)


def test_a_client_that_never_finishes_its_body_is_cut_off(tmp_path, engine,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(_auth, "BODY_TIMEOUT_S", 0.5)

    async def scenario(client: TestClient) -> None:
        host, port = client.server.host, client.server.port
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"POST /v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                     b"Content-Type: application/json\r\n\r\n{\"call_id\"")
        await writer.drain()
        started = time.monotonic()
        answer = await asyncio.wait_for(reader.read(200), 5)
        assert time.monotonic() - started < 3
        assert answer.startswith(b"HTTP/1.1 408")
        writer.close()

    serve(config(tmp_path), scenario, engine)


def test_the_access_log_keeps_no_caller_words(tmp_path, engine, caplog) -> None:
    async def main() -> None:
        server = TestServer(create_app(config(tmp_path), engine, CatalogueHolder(
            catalogue=load_catalogue(anchor=DAY))), host="127.0.0.1")
        await server.start_server(access_log_class=AccessLogger)
        async with TestClient(server) as client:
            response = await client.get(
                "/v1/locations/resolve?q=j%27habite%2013%20rue%20Dupont", headers=AUTH)
            assert response.status == 200

    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        asyncio.run(main())
    logged = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert logged and all("Dupont" not in line and "q=" not in line for line in logged)
    assert any("/v1/locations/resolve" in line for line in logged)


class FailingSmsApi:
    """A real SMS API on 127.0.0.1 that fails until told to accept."""

    def __init__(self) -> None:
        self.up = False
        self.received: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_post("/sms", self.post)

    async def post(self, request: web.Request) -> web.Response:
        if not self.up:
            return web.json_response({}, status=503)
        self.received.append(await request.json())
        return web.json_response({}, status=201)


def test_health_is_503_soon_after_a_failed_sms_and_ok_once_delivered(tmp_path,
                                                                     engine) -> None:
    api = FailingSmsApi()

    async def main() -> None:
        async with TestServer(api.app, host="127.0.0.1") as sms_server:
            cfg = config(tmp_path, sms_api_url=str(sms_server.make_url("/sms")))
            app = create_app(cfg, engine, CatalogueHolder(catalogue=load_catalogue(anchor=DAY)))
            async with TestClient(TestServer(app, host="127.0.0.1")) as client:
                await start(client, "c1")
                for seq, text in enumerate(["la mémoire", "Tours", "non", "oui"], start=1):
                    answer = await (await client.post("/v1/calls/c1/events", headers=AUTH,
                                                      json={"seq": seq, "type": "speech",
                                                            "text": text, "at": AT})).json()
                said = " ".join(a["text"] for a in answer["actions"] if a["type"] == "say")
                assert "Je vous l'envoie" in said  # the turn did not wait for the API
                deadline = time.monotonic() + 30
                while (await client.get("/health")).status != 503:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.1)
                api.up = True
                deadline = time.monotonic() + 30
                while (await client.get("/health")).status != 200:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.2)
                assert len(api.received) == 1

    asyncio.run(main())


def test_a_published_catalogue_is_served_without_a_restart(tmp_path, engine,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(_background, "RELOAD_EVERY_S", 0.1)
    demo = load_catalogue()
    store = SnapshotStore(tmp_path / "catalogue")
    store.publish(dict(demo.meta), list(demo.workshops)[:3])
    holder = CatalogueHolder(tmp_path / "catalogue")

    async def scenario(client: TestClient) -> None:
        async def count() -> int:
            health = await (await client.get("/health")).json()
            return int(health["checks"]["catalogue"]["workshops"])

        assert await count() == 3
        store.publish(dict(demo.meta), list(demo.workshops)[:7])
        deadline = time.monotonic() + 10
        while await count() != 7:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)

    serve(config(tmp_path), scenario, catalogue=holder)


def test_every_workers_counts_are_in_one_metrics_answer(tmp_path, engine, redis_url,
                                                        monkeypatch) -> None:
    monkeypatch.setattr(_background, "METRICS_EVERY_S", 0.1)
    cfg = config(tmp_path, store_url=redis_url)

    async def main() -> None:
        holder = CatalogueHolder(catalogue=load_catalogue(anchor=DAY))
        first = TestClient(TestServer(create_app(cfg, engine, holder), host="127.0.0.1"))
        second = TestClient(TestServer(create_app(cfg, engine, holder), host="127.0.0.1"))
        async with first, second:
            for n in range(3):
                await start(first, f"w1-{n}")
            await start(second, "w2-0")
            await asyncio.sleep(0.5)
            for client in (first, second):
                text = await (await client.get("/metrics", headers=AUTH)).text()
                assert "acotel_calls_started_total 4" in text, text

    asyncio.run(main())


def test_a_port_scan_is_not_an_error(tmp_path, engine, caplog) -> None:
    """A client that connects and goes away is not logged as an error."""
    async def scenario(client: TestClient) -> None:
        with socket.create_connection((client.server.host, client.server.port)) as sock:
            sock.sendall(b"POST /v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n")
        await asyncio.sleep(0.2)

    serve(config(tmp_path), scenario, engine)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
