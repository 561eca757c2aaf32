"""Calls driven over HTTP land as call records (through the end-of-call hook), in the
right Paris half-hour across the autumn clock change; refused calls are recorded too; a
sentence published in the steering app is spoken in the next call, without a restart."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from acotel_geo import CatalogueHolder, default_resolver, load_catalogue
from acotel_voice.admin import Accounts
from acotel_voice.dialog._engine import Engine
from acotel_voice.http._server import STORE, ServerConfig, create_app
from acotel_voice.records import bucket_key, open_records, report

DAY = date(2026, 10, 25)
AUTH = {"Authorization": "Bearer s3cret"}
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def shared() -> tuple[Engine, CatalogueHolder]:
    catalogue = load_catalogue(anchor=DAY)
    holder = CatalogueHolder(catalogue=catalogue)
    return Engine(default_resolver(), lambda: holder.catalogue), holder


def config(tmp_path: Path, **changes: Any) -> ServerConfig:
    return replace(ServerConfig(secret="s3cret", store_url="memory://",
                                sms_outbox=str(tmp_path / "outbox.jsonl"),
                                records_url=f"sqlite:///{tmp_path}/records.db",
                                records_spool=str(tmp_path / "spool.jsonl")), **changes)


def serve(shared, cfg: ServerConfig, scenario) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        app = create_app(cfg, *shared)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await scenario(client, app)
    asyncio.run(main())


async def call(client: TestClient, call_id: str, caller: str, started: str,
               answers: list[str]) -> list[str]:
    response = await client.post("/v1/calls", headers=AUTH, json={
        "call_id": call_id, "from": caller, "to": "0900000000", "started_at": started})
    assert response.status == 200, await response.text()
    spoken = [await response.text()]
    for seq, text in enumerate([*answers, None], start=1):
        body = {"seq": seq, "type": "speech", "text": text} if text else {
            "seq": seq, "type": "hangup"}
        response = await client.post(f"/v1/calls/{call_id}/events", headers=AUTH,
                                     json={**body, "at": started})
        assert response.status == 200, await response.text()
        spoken.append(await response.text())
    return spoken


def test_calls_over_http_become_records_in_their_paris_half_hour(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    finals: dict[str, Any] = {}

    async def scenario(client: TestClient, app: Any) -> None:
        # 00:40 UTC and 01:40 UTC on 25 October 2026 are both 02:40 in Paris.
        await call(client, "summer", "+33 6 12 34 56 78", "2026-10-25T00:40:00Z",
                   ["la mémoire", "treize cent", "oui", "non", "non"])
        await call(client, "winter", "0467123456", "2026-10-25T01:40:00+00:00",
                   ["l'équilibre", "montpellier"])
        for call_id in ("summer", "winter"):
            finals[call_id] = (await app[STORE].get(call_id)).state
        retried = await client.post("/v1/calls/winter/events", headers=AUTH,
                                    json={"seq": 3, "type": "hangup"})
        assert retried.status == 200  # a retried hangup: no second record
        await asyncio.sleep(0.5)

    serve(shared, config(tmp_path), scenario)
    records = {r.call_id: r for r in open_records(f"sqlite:///{tmp_path}/records.db").records()}
    assert set(records) == {"summer", "winter"}
    summer, winter = records["summer"], records["winter"]
    assert list(summer.statuses) == [s for s in finals["summer"]["statuses"]]
    assert set(winter.statuses) == set(finals["winter"]["statuses"])
    assert (summer.caller, summer.origin, summer.region) == ("061234XXXX", "mobile", "sud-est")
    assert (winter.caller, winter.origin) == ("046712XXXX", "fixe")
    assert winter.region == "languedoc-roussillon"
    assert bucket_key(summer.started_at, "halfhour") == "2026-10-25T02:30:00+02:00"
    assert bucket_key(winter.started_at, "halfhour") == "2026-10-25T02:30:00+01:00"


def test_a_caller_refused_for_capacity_is_recorded(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient, app: Any) -> None:
        first = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "in", "from": "0612345678", "started_at": "2026-12-01T09:00:00Z"})
        assert first.status == 200
        refused = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "out", "from": "0698765432", "started_at": "2026-12-01T09:00:05Z"})
        assert "hangup" in await refused.text()
        await asyncio.sleep(0.3)

    serve(shared, config(tmp_path, max_calls=1, capacity_wait_s=0), scenario)
    (record,) = open_records(f"sqlite:///{tmp_path}/records.db").records()
    assert record.call_id == "out" and record.refused and not record.answered
    assert record.caller == "069876XXXX" and record.statuses == ()


def test_a_published_sentence_is_spoken_in_the_next_call(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    Accounts(open_records(f"sqlite:///{tmp_path}/records.db")).add_user(
        "amoa", "amoa", PASSWORD)

    async def scenario(client: TestClient, app: Any) -> None:
        first = await call(client, "before", "0612345678", "2026-12-01T09:00:00Z", [])
        assert "bienvenue sur ACOTEL" in first[0]
        login = await client.post("/admin/login", data={"login": "amoa",
                                                        "password": PASSWORD})
        page = await login.text()
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        published = await client.post("/admin/messages/welcome?region=", data={
            "csrf": token, "action": "publish",
            "text": "Bonjour et bienvenue, je suis ACOTEL, l'assistant des ateliers."})
        assert published.status == 200
        await asyncio.sleep(6)  # the service refreshes the publications every 5 s
        after = await call(client, "after", "0612345678", "2026-12-01T09:05:00Z", [])
        assert "je suis ACOTEL, l" in after[0]
        rolled = await client.post("/admin/messages/welcome?region=", data={
            "csrf": token, "action": "rollback"})
        assert rolled.status == 200
        await asyncio.sleep(6)
        again = await call(client, "again", "0612345678", "2026-12-01T09:10:00Z", [])
        assert "bienvenue sur ACOTEL" in again[0]

    serve(shared, config(tmp_path), scenario)


def test_the_voice_chosen_for_a_region_is_carried_in_every_say(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess

    from acotel_voice.admin import Sentences

    store = open_records(f"sqlite:///{tmp_path}/records.db")
    Sentences(store).set_voice("", {"vendor": "microsoft", "language": "fr-FR",
                                    "voice": "fr-FR-DeniseNeural", "rate": "85%",
                                    "pause_ms": "800"}, "amoa")
    store.close()

    async def scenario(client: TestClient, app: Any) -> None:
        answer = await (await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "v", "from": "0612345678", "started_at": "2026-12-01T09:00:00Z"})).json()
        say = answer["actions"][0]
        assert say["voice"] == {"vendor": "microsoft", "language": "fr-FR",
                                "voice": "fr-FR-DeniseNeural"}
        assert 'rate="85%"' in say["ssml"] and 'time="800ms"' in say["ssml"]
        response = await client.post("/jambonz/call", json={
            "call_sid": "j", "from": "0612345678", "to": "0900000000"})
        verbs = await response.json()
        spoken = [v for v in verbs if v["verb"] == "say"] + [
            v["say"] for v in verbs if v["verb"] == "gather" and "say" in v]
        assert spoken and all(v.get("synthesizer", {}).get("voice") == "fr-FR-DeniseNeural"
                              for v in spoken if "bienvenue" in v["text"])
        js = Path(__file__).resolve().parent / "js"
        done = subprocess.run(["node", str(js / "validate.js")], input=json.dumps(verbs),
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr

    serve(shared, config(tmp_path), scenario)


def test_a_caller_gone_before_the_welcome_is_recorded_as_presented(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient, app: Any) -> None:
        response = await client.post("/jambonz/status", json={
            "call_sid": "gone", "call_status": "completed", "from": "0612345678",
            "to": "0900000000"})
        assert response.status == 200
        await asyncio.sleep(0.3)

    serve(shared, config(tmp_path), scenario)
    (record,) = open_records(f"sqlite:///{tmp_path}/records.db").records()
    assert (record.call_id, record.answered, record.end_reason) == ("gone", False, "dropped")
    assert record.caller == "061234XXXX"


def test_the_chain_self_test_feeds_health_availability_and_the_incident_message(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(anchor=DAY)
    holder = CatalogueHolder(catalogue=catalogue)
    resolver = default_resolver()
    engine = Engine(resolver, lambda: holder.catalogue)

    async def scenario(client: TestClient, app: Any) -> None:
        health = await (await client.get("/health")).json()
        assert health["checks"]["chain"]["ok"] is True
        resolver.resolve = lambda text: (_ for _ in ()).throw(RuntimeError("broken"))  # type: ignore[method-assign]
        from acotel_voice.http._background import chain_selftest
        from acotel_voice.http._server import CHAIN
        try:
            chain_selftest(app)
        except RuntimeError:
            app[CHAIN].ok = False
        response = await client.get("/health")
        assert response.status == 503
        answer = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "x", "from": "0612345678", "started_at": "2026-10-25T09:00:00Z"})
        text = await answer.text()
        assert "incident technique" in text and "hangup" in text

    serve((engine, holder), config(tmp_path), scenario)
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    assert store.query("SELECT ok FROM selftests") == [(1,)]  # the start-up self-test
    assert report(store)["totals"]["availability"]["objective"] == 0.998
