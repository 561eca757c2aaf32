"""The HTTP adapter, through a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acotel_geo import CatalogueHolder, default_resolver, load_catalogue
from acotel_voice.dialog._engine import Engine
from acotel_voice.http._openapi import OPENAPI
from acotel_voice.http._server import ServerConfig, create_app

DAY = date(2026, 12, 1)
SECRET = "s3cret"
AUTH = {"Authorization": f"Bearer {SECRET}"}
JS = Path(__file__).resolve().parent / "js"


@pytest.fixture(scope="module")
def shared() -> tuple[Engine, CatalogueHolder]:
    catalogue = load_catalogue(anchor=DAY)  # the demo, anchored to DAY
    holder = CatalogueHolder(catalogue=catalogue)
    return Engine(default_resolver(), lambda: holder.catalogue), holder


def config(tmp_path: Path, **changes: Any) -> ServerConfig:
    return replace(ServerConfig(secret=SECRET, jambonz_secret="jz",
                                store_url=f"sqlite:///{tmp_path}/calls.db",
                                sms_outbox=str(tmp_path / "outbox.jsonl")), **changes)


def serve(shared, cfg: ServerConfig,
          scenario: Callable[[TestClient], Awaitable[None]]) -> None:
    async def main() -> None:
        server = TestServer(create_app(cfg, *shared), host="127.0.0.1")
        async with TestClient(server) as client:
            await scenario(client)

    asyncio.run(main())


async def start(client: TestClient, call_id: str, caller: str = "0612345678") -> dict:
    response = await client.post("/v1/calls", headers=AUTH, json={
        "call_id": call_id, "from": caller, "to": "0900000000",
        "started_at": "2026-12-01T10:00:00+01:00"})
    assert response.status == 200, await response.text()
    return await response.json()


async def event(client: TestClient, call_id: str, seq: int, **body: Any) -> dict:
    response = await client.post(f"/v1/calls/{call_id}/events", headers=AUTH,
                                 json={"seq": seq, "at": "2026-12-01T10:01:00+01:00", **body})
    assert response.status == 200, await response.text()
    return await response.json()


def said(answer: dict) -> str:
    return " ".join(a["text"] for a in answer["actions"] if a["type"] == "say")


def test_a_whole_call_through_the_neutral_api(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        first = await start(client, "call-1")
        assert "bienvenue sur ACOTEL" in said(first)
        assert first["actions"][-1]["type"] == "listen"
        turns = [("speech", "la mémoire"), ("dtmf", "37000"), ("speech", "non"),
                 ("speech", "oui"), ("speech", "non merci"), ("dtmf", "4")]
        for seq, (kind, value) in enumerate(turns, start=1):
            body = {"type": kind, "text": value} if kind == "speech" else {
                "type": kind, "digits": value}
            answer = await event(client, "call-1", seq, **body)
        assert answer["actions"][-1]["type"] == "hangup"
        outbox = (tmp_path / "outbox.jsonl").read_text().splitlines()
        assert len(outbox) == 1 and json.loads(outbox[0])["to"] == "0612345678"
        metrics = await (await client.get("/metrics", headers=AUTH)).text()
        assert "acotel_calls_started_total 1" in metrics
        assert "acotel_sms_enqueued_total 1" in metrics

    serve(shared, config(tmp_path), scenario)


def test_a_retried_event_gets_the_same_answer_and_no_second_sms(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        await start(client, "call-2")
        for seq, text in enumerate(["la mémoire", "Tours", "non"], start=1):
            await event(client, "call-2", seq, type="speech", text=text)
        once = await event(client, "call-2", 4, type="speech", text="oui")
        again = await event(client, "call-2", 4, type="speech", text="oui")
        assert once == again and any(a["type"] == "sms" for a in once["actions"])
        assert len((tmp_path / "outbox.jsonl").read_text().splitlines()) == 1
        late_retry = await event(client, "call-2", 2, type="speech", text="Tours")
        assert "C'est noté : Tours" in said(late_retry)  # its original answer
        await event(client, "call-2", 10, type="no_input")
        stale = await client.post("/v1/calls/call-2/events", headers=AUTH,
                                  json={"seq": 7, "type": "no_input"})
        assert stale.status == 409 and (await stale.json())["field"] == "seq"

    serve(shared, config(tmp_path), scenario)


def test_a_restart_in_the_middle_of_a_call_resumes_it(tmp_path, shared) -> None:
    async def before(client: TestClient) -> None:
        await start(client, "call-3")
        await event(client, "call-3", 1, type="speech", text="la mémoire")

    async def after(client: TestClient) -> None:
        answer = await event(client, "call-3", 2, type="speech", text="Tours")
        assert "C'est noté : Tours" in said(answer)

    serve(shared, config(tmp_path), before)
    serve(shared, config(tmp_path), after)  # a new server, the same SQLite file


def serve_two(shared, cfg: ServerConfig,
              scenario: Callable[[TestClient, TestClient], Awaitable[None]]) -> None:
    """Two instances of the server sharing one store, as behind a load balancer."""
    async def both(client: TestClient) -> None:
        other = TestClient(TestServer(create_app(cfg, *shared), host="127.0.0.1"))
        await other.start_server()
        try:
            await scenario(client, other)
        finally:
            await other.close()

    serve(shared, cfg, both)


def test_calls_in_redis_are_shared_by_two_instances(tmp_path, shared, redis_url) -> None:
    async def scenario(client: TestClient, other: TestClient) -> None:
        await start(client, "call-4")
        response = await other.post("/v1/calls/call-4/events", headers=AUTH, json={
            "seq": 1, "type": "speech", "text": "la mémoire"})
        assert response.status == 200
        answer = await event(client, "call-4", 2, type="speech", text="Tours")
        assert "C'est noté : Tours" in said(answer)

    serve_two(shared, config(tmp_path, store_url=redis_url), scenario)


def test_one_event_sent_to_two_workers_at_once_acts_once(tmp_path, shared, redis_url) -> None:
    """The platform retries on a timeout and the load balancer picks the other worker:
    both get the same answer, and the caller gets one SMS."""
    async def scenario(client: TestClient, other: TestClient) -> None:
        await start(client, "call-5")
        for seq, text in enumerate(["la mémoire", "Tours", "non"], start=1):
            await event(client, "call-5", seq, type="speech", text=text)
        answers = await asyncio.gather(*(
            worker.post("/v1/calls/call-5/events", headers=AUTH, json={
                "seq": 4, "type": "speech", "text": "oui"})
            for worker in (client, other, client, other)))
        bodies = [await answer.json() for answer in answers]
        assert all(answer.status == 200 for answer in answers)
        assert all(body == bodies[0] for body in bodies)
        assert any(action["type"] == "sms" for action in bodies[0]["actions"])
        assert len((tmp_path / "outbox.jsonl").read_text().splitlines()) == 1

    serve_two(shared, config(tmp_path, store_url=redis_url), scenario)


def signed(body: bytes, path: str = "/v1/calls", method: str = "POST",
           stamp: int | None = None) -> dict[str, str]:
    """``X-Acotel-Signature`` over the time, method, path and body."""
    stamp = int(time.time()) if stamp is None else stamp
    signature = hmac.new(SECRET.encode(), f"{stamp}.{method}\n{path}\n".encode() + body,
                         hashlib.sha256).hexdigest()
    return {"X-Acotel-Signature": f"t={stamp},v1={signature}",
            "Content-Type": "application/json"}


def test_strangers_are_refused(tmp_path, shared) -> None:
    body = json.dumps({"call_id": "x", "from": "0612345678"}).encode()

    async def scenario(client: TestClient) -> None:
        assert (await client.post("/v1/calls", data=body)).status == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (await client.post("/v1/calls", data=body, headers=wrong)).status == 401
        non_ascii = {"Authorization": "Bearer sécret"}  # was a 500
        assert (await client.post("/v1/calls", data=body, headers=non_ascii)).status == 401
        good = signed(body)
        assert (await client.post("/v1/calls", data=body, headers=good)).status == 200
        # the same signed request again (a replay) is refused
        assert (await client.post("/v1/calls", data=body, headers=good)).status == 401
        old = signed(body, stamp=int(time.time()) - 900)
        assert (await client.post("/v1/calls", data=body, headers=old)).status == 401
        assert (await client.post("/jambonz/call", json={"call_sid": "j"})).status == 401
        assert (await client.get("/metrics")).status == 401  # metrics need the secret too
        assert (await client.get("/health")).status in (200, 503)

    serve(shared, config(tmp_path), scenario)


def test_a_signed_hangup_replayed_on_another_call_is_refused(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        await start(client, "call-a")
        await start(client, "call-b")
        body = json.dumps({"seq": 1, "type": "hangup"}).encode()
        headers = signed(body, "/v1/calls/call-a/events")
        ok = await client.post("/v1/calls/call-a/events", data=body, headers=headers)
        assert ok.status == 200
        other = await client.post("/v1/calls/call-b/events", data=body, headers=headers)
        assert other.status == 401
        answer = await event(client, "call-b", 1, type="speech", text="la mémoire")
        assert answer["actions"][-1]["type"] == "listen"  # call-b goes on

    serve(shared, config(tmp_path), scenario)


@pytest.mark.parametrize(("body", "field"), [
    ({"seq": 0, "type": "speech", "text": "x"}, "seq"),
    ({"seq": "1", "type": "speech", "text": "x"}, "seq"),
    ({"seq": 1, "type": "shout"}, "type"),
    ({"seq": 1, "type": "speech"}, "text"),
    ({"seq": 1, "type": "dtmf"}, "digits"),
    ({"seq": 1, "type": "dtmf", "digits": "12a"}, "digits"),
    ({"seq": 1, "type": "speech", "text": "x", "confidence": 7}, "confidence"),
    ({"seq": 1, "type": "speech", "text": "x", "alternatives": "x"}, "alternatives"),
    ([1, 2], "body"),
])
def test_invalid_events_name_the_wrong_field(tmp_path, shared, body, field) -> None:
    async def scenario(client: TestClient) -> None:
        await start(client, "call-5")
        response = await client.post("/v1/calls/call-5/events", headers=AUTH, json=body)
        assert response.status == 400
        assert (await response.json())["field"] == field

    serve(shared, config(tmp_path), scenario)


def test_bad_requests_get_clear_errors_never_a_trace(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        response = await client.post("/v1/calls", headers=AUTH, data=b"{not json")
        assert response.status == 400 and "not JSON" in (await response.json())["error"]
        response = await client.post("/v1/calls/none/events", headers=AUTH,
                                     json={"seq": 1, "type": "no_input"})
        assert response.status == 404
        huge = {"call_id": "x", "from": "06", "to": "x" * 100_000}
        response = await client.post("/v1/calls", headers=AUTH, json=huge)
        assert response.status == 413
        response = await client.get("/v1/workshops/search?insee=00000", headers=AUTH)
        assert response.status == 400 and (await response.json())["field"] == "insee"
        assert "Traceback" not in await response.text()

    serve(shared, config(tmp_path), scenario)


def test_beyond_capacity_callers_hear_the_dissuasion_message(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        await start(client, "a")
        await start(client, "b")
        refused = await start(client, "c")
        assert "lignes sont occupées" in said(refused)
        assert refused["actions"][-1]["type"] == "hangup"
        await event(client, "a", 1, type="hangup")
        accepted = await start(client, "d")
        assert accepted["actions"][-1]["type"] == "listen"
        metrics = await (await client.get("/metrics", headers=AUTH)).text()
        assert "acotel_calls_refused_total 1" in metrics

    serve(shared, config(tmp_path, max_calls=2, capacity_wait_s=0), scenario)


def test_beyond_capacity_callers_wait_for_a_free_line_then_are_dissuaded(tmp_path,
                                                                        shared) -> None:
    async def start_waited(client: TestClient, call_id: str, waited_s: int) -> dict:
        response = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": call_id, "from": "0612345678", "waited_s": waited_s})
        assert response.status == 200, await response.text()
        return await response.json()

    async def scenario(client: TestClient) -> None:
        await start(client, "a")
        first = await start_waited(client, "b", 0)
        assert "Merci de patienter" in said(first)
        assert first["actions"][-1] == {"type": "wait", "seconds": 15}
        again = await start_waited(client, "b", 15)
        assert "patienter encore" in said(again) and again["actions"][-1]["type"] == "wait"
        given_up = await start_waited(client, "b", 30)
        assert "toujours occupées" in said(given_up)
        assert given_up["actions"][-1]["type"] == "hangup"
        await start_waited(client, "c", 0)
        await event(client, "a", 1, type="hangup")  # a line is free again
        answered = await start_waited(client, "c", 15)
        assert "bienvenue sur ACOTEL" in said(answered)
        assert answered["actions"][-1]["type"] == "listen"
        bad = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "d", "from": "0612345678", "waited_s": -4})
        assert bad.status == 400 and (await bad.json())["field"] == "waited_s"
        metrics = await (await client.get("/metrics", headers=AUTH)).text()
        for line in ("acotel_calls_queued_total 2", "acotel_calls_refused_total 1",
                     "acotel_calls_started_after_waiting_total 1"):
            assert f"{line}\n" in metrics

    serve(shared, config(tmp_path, max_calls=1, capacity_wait_s=30, capacity_retry_s=15),
          scenario)


def test_resources_for_flow_designers(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        resolved = await (await client.get("/v1/locations/resolve",
                                           params={"q": "treize cent"}, headers=AUTH)).json()
        assert resolved["status"] == "resolved" and resolved["candidates"][0]["insee"]
        found = await (await client.get("/v1/workshops/search", headers=AUTH, params={
            "insee": "37261", "theme": "Bien dans sa tête", "date": "2026-12-01"})).json()
        assert found["workshops"] and found["steps_tried"][0]["radius_km"] == 10
        ids = [w["id"] for w in found["workshops"][:3]]
        sms = await (await client.post("/v1/sms/compose", headers=AUTH,
                                       json={"workshop_ids": ids})).json()
        assert len(sms["messages"]) == 2 and all(m["segments"] <= 3 for m in sms["messages"])

    serve(shared, config(tmp_path), scenario)


def test_health_checks_the_whole_chain(tmp_path, shared) -> None:
    async def healthy(client: TestClient) -> None:
        response = await client.get("/health")
        body = await response.json()
        assert response.status == 200 and body["checks"]["store"] and body["checks"]["sms"]

    async def unhealthy(client: TestClient) -> None:
        response = await client.get("/health")
        assert response.status == 503 and not (await response.json())["checks"]["store"]

    serve(shared, config(tmp_path), healthy)
    serve(shared, config(tmp_path, store_url="redis://127.0.0.1:1/0"), unhealthy)


def test_openapi_lists_exactly_the_routes(tmp_path, shared) -> None:
    app = create_app(config(tmp_path, records_url=f"sqlite:///{tmp_path}/records.db"),
                     *shared)
    routes = {(r.resource.canonical, r.method.lower()) for r in app.router.routes()
              if r.resource is not None and r.method != "HEAD"
              and not r.resource.canonical.startswith("/admin")}  # web pages, not the API
    documented = {(path, method) for path, ops in OPENAPI["paths"].items() for method in ops}
    assert routes == documented


def test_answers_match_the_documented_schema(tmp_path, shared) -> None:
    action = OPENAPI["paths"]["/v1/calls"]["post"]["responses"]["200"]["content"][
        "application/json"]["schema"]["properties"]["actions"]["items"]["properties"]

    async def scenario(client: TestClient) -> None:
        answers = [await start(client, "call-6")]
        answers.append(await event(client, "call-6", 1, type="speech", text="la mémoire"))
        for answer in answers:
            for item in answer["actions"]:
                assert set(item) <= set(action) and item["type"] in action["type"]["enum"]

    serve(shared, config(tmp_path), scenario)


def jambonz_signed(body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    data = json.dumps(body).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(b"jz", f"{stamp}.".encode() + data, hashlib.sha256).hexdigest()
    return data, {"Jambonz-Signature": f"t={stamp},v1={signature}",
                  "Content-Type": "application/json"}


def assert_valid_verbs(verbs: list[dict[str, Any]]) -> None:
    assert (JS / "node_modules").exists(), "run: cd tests/js && npm ci (scripts/test.sh does)"
    done = subprocess.run(["node", str(JS / "validate.js")], input=json.dumps(verbs),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


async def jambonz_post(client: TestClient, path: str,
                       body: dict[str, Any]) -> list[dict[str, Any]]:
    """A signed webhook; its answer must be valid jambonz verbs."""
    data, headers = jambonz_signed(body)
    response = await client.post(path, data=data, headers=headers)
    assert response.status == 200, await response.text()
    verbs = await response.json()
    assert_valid_verbs(verbs)
    return verbs


def gather_of(verbs: list[dict[str, Any]]) -> dict[str, Any]:
    gathers = [verb for verb in verbs if verb["verb"] == "gather"]
    assert len(gathers) == 1, verbs
    return gathers[0]


def test_a_call_through_jambonz_webhooks(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        post = partial(jambonz_post, client)
        verbs = await post("/jambonz/call", {"call_sid": "jz-1", "from": "+33612345678",
                                             "to": "+33900000000", "direction": "inbound"})
        first = gather_of(verbs)
        assert first["say"]["text"].startswith("<speak>")  # the question, interruptible
        # after the gather, a polite end in case the gather brings no new verbs
        assert [v["verb"] for v in verbs[-2:]] == ["say", "hangup"]
        assert "rappeler" in verbs[-2]["text"]
        speech = [("speechDetected", "la mémoire"), ("dtmfDetected", "37000"),
                  ("timeout", ""), ("speechDetected", "non"), ("speechDetected", "oui")]
        for reason, value in speech:
            body: dict[str, Any] = {"call_sid": "jz-1", "reason": reason}
            if reason == "speechDetected":
                body["speech"] = {"alternatives": [{"transcript": value, "confidence": 0.9}]}
            elif reason == "dtmfDetected":
                body["digits"] = value
            hook = gather_of(verbs)["actionHook"]  # where jambonz reports its result
            verbs = await post(hook, body)
        assert any(v["verb"] == "message" and v["to"] == "0612345678" for v in verbs)
        retried = await post(hook, body)  # jambonz retries the last webhook (rp=rt)
        assert retried == verbs  # the same answer, not a second turn
        outbox = tmp_path / "outbox.jsonl"
        assert not outbox.exists()  # through jambonz, the SMS is the message verb
        metrics = await (await client.get("/metrics", headers=AUTH)).text()
        assert "acotel_sms_to_platform_total 1\n" in metrics
        follow = await post(gather_of(verbs)["actionHook"], {"call_sid": "jz-1",
                                                             "reason": "timeout"})
        assert follow != verbs  # the dialog goes on from where it was
        data, headers = jambonz_signed({"call_sid": "jz-1", "reason": "timeout"})
        bad = await client.post("/jambonz/gather?seq=zéro", data=data, headers=headers)
        assert bad.status == 400 and (await bad.json())["field"] == "seq"
        data, headers = jambonz_signed({"call_sid": "jz-1", "call_status": "completed"})
        assert (await client.post("/jambonz/status", data=data, headers=headers)).status == 200

    serve(shared, config(tmp_path), scenario)


def test_jambonz_callers_beyond_capacity_are_held_then_answered(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        post = partial(jambonz_post, client)
        call = {"from": "+33612345678", "to": "+33900000000", "direction": "inbound"}
        await post("/jambonz/call", {"call_sid": "jz-a", **call})
        held = await post("/jambonz/call", {"call_sid": "jz-b", **call})
        assert [v["verb"] for v in held] == ["say", "pause", "redirect"]
        assert "patienter" in held[0]["text"] and held[1]["length"] == 15
        assert held[2]["actionHook"] == "/jambonz/call?waited=15"
        data, headers = jambonz_signed({"call_sid": "jz-a", "call_status": "completed"})
        assert (await client.post("/jambonz/status", data=data, headers=headers)).status == 200
        answered = await post(held[2]["actionHook"], {"call_sid": "jz-b", **call})
        assert gather_of(answered)["actionHook"] == "/jambonz/gather?seq=1"  # it begins

    serve(shared, config(tmp_path, max_calls=1), scenario)


def test_when_the_call_store_is_down_jambonz_callers_hear_why(tmp_path, shared) -> None:
    async def scenario(client: TestClient) -> None:
        data, headers = jambonz_signed({"call_sid": "jz-9", "from": "+33612345678"})
        response = await client.post("/jambonz/call", data=data, headers=headers)
        assert response.status == 200
        verbs = await response.json()
        assert_valid_verbs(verbs)
        assert "incident technique" in verbs[0]["text"] and verbs[-1] == {"verb": "hangup"}
        neutral = await client.post("/v1/calls", headers=AUTH, json={
            "call_id": "n-9", "from": "0612345678"})
        assert neutral.status == 503 and neutral.headers["Retry-After"] == "1"
        assert (await neutral.json())["field"] == "store"  # the platform retries
        health = await client.get("/health")
        assert health.status == 503 and (await health.json())["checks"]["store"] is False
        metrics = await (await client.get("/metrics", headers=AUTH)).text()
        assert "acotel_incidents_total 1\n" in metrics and "acotel_store_up 0\n" in metrics

    # nothing listens on port 1: every store operation fails
    serve(shared, config(tmp_path, store_url="redis://127.0.0.1:1/0"), scenario)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4), max_leaves=12)
EVENT_BODIES = st.fixed_dictionaries({}, optional={
    "seq": st.one_of(st.integers(-3, 10**12), JSON_VALUES),
    "type": st.one_of(st.sampled_from(["speech", "dtmf", "no_input", "hangup"]), JSON_VALUES),
    "text": JSON_VALUES, "digits": JSON_VALUES, "confidence": JSON_VALUES,
    "alternatives": JSON_VALUES, "at": JSON_VALUES})


@given(st.lists(EVENT_BODIES, min_size=1, max_size=8))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_events_never_break_the_server(tmp_path, shared, bodies) -> None:
    async def scenario(client: TestClient) -> None:
        call_id = f"fuzz-{time.perf_counter_ns()}"
        await start(client, call_id)
        for body in bodies:
            response = await client.post(f"/v1/calls/{call_id}/events", headers=AUTH,
                                         json=body)
            assert response.status in (200, 400, 409), (body, await response.text())

    serve(shared, config(tmp_path, store_url="memory://"), scenario)


CALL_BODIES = st.fixed_dictionaries({}, optional={
    "call_id": st.one_of(st.text(max_size=140), JSON_VALUES),
    "from": st.one_of(st.sampled_from(["0612345678", "+33 4 65 71 00 00", "anonymous"]),
                      JSON_VALUES),
    "to": JSON_VALUES, "started_at": st.one_of(st.just("2026-12-01T10:00:00+01:00"), JSON_VALUES),
    "waited_s": st.one_of(st.integers(-5, 10**6), JSON_VALUES)})
GATHER_BODIES = st.fixed_dictionaries({"call_sid": st.just("jz-fuzz")}, optional={
    "reason": st.one_of(st.sampled_from(["speechDetected", "dtmfDetected", "timeout"]),
                        JSON_VALUES),
    "speech": st.one_of(st.builds(lambda t: {"alternatives": [{"transcript": t}]},
                                  st.text(max_size=40)), JSON_VALUES),
    "digits": JSON_VALUES})


@given(st.lists(CALL_BODIES, min_size=1, max_size=6),
       st.lists(st.tuples(GATHER_BODIES, st.text(max_size=6)), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_starts_and_webhooks_never_break_the_server(tmp_path, shared, starts,
                                                          gathers) -> None:
    async def scenario(client: TestClient) -> None:
        for body in starts:
            response = await client.post("/v1/calls", headers=AUTH, json=body)
            assert response.status in (200, 400), (body, await response.text())
        data, headers = jambonz_signed({"call_sid": "jz-fuzz", "from": "0612345678"})
        assert (await client.post("/jambonz/call", data=data, headers=headers)).status == 200
        for body, seq in gathers:
            data, headers = jambonz_signed(body)
            response = await client.post("/jambonz/gather", params={"seq": seq}, data=data,
                                         headers=headers)
            assert response.status in (200, 400, 409), (body, seq, await response.text())
            if response.status == 200:  # whatever came in, the answer is valid verbs
                assert all("verb" in verb for verb in await response.json())

    serve(shared, config(tmp_path, store_url="memory://", max_calls=1000), scenario)
