"""The HTTP endpoint the hosted callbot platform calls at each turn (aiohttp).

``create_app(config)``: a neutral JSON turn API (``/v1/calls``), jambonz webhooks
(``/jambonz/...``), resource endpoints for platforms with their own flow designer,
``/health``, ``/metrics`` and ``/openapi.json``. Routes are all in ``create_app``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import hmac
import json
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from acotel_geo import (
    CatalogueHolder,
    Found,
    Gazetteer,
    Resolver,
    SnapshotError,
    Theme,
    search,
)

from ..admin import PublishedSentences, create_admin_app
from ..calls._ended import CallEndHooks, EndedCall, OnCallEnd, aware
from ..calls._sms_sender import HttpSmsSender, OutboxSender, SmsError, SmsSender
from ..calls._store import CallStore, StoreBusy, StoredCall, open_store
from ..dialog._actions import Event
from ..dialog._engine import Engine
from ..dialog._intents import detect, live_version, use_examples
from ..dialog._messages import Messages
from ..dialog._phone import mask
from ..dialog._sms import compose, segments
from ..dialog._speech import NORMAL_RATE, plain, ssml
from ..dialog._state import CallState
from ..dialog._steps import found_dict
from ..records import RecordsHook, RecordStore, create_reports_app, open_records
from ._openapi import OPENAPI

log = logging.getLogger("acotel.voice")
SIGNATURE_TOLERANCE_S = 300
EVENT_TYPES = ("speech", "dtmf", "no_input", "hangup")


@dataclass(frozen=True)
class ServerConfig:
    secret: str = ""  # shared secret: "Bearer <secret>" or an HMAC signature
    jambonz_secret: str = ""  # jambonz webhook signing secret
    store_url: str = "sqlite:///var/acotel/calls.db"
    snapshot: str | None = None  # catalogue snapshot (default: the demo)
    sms_outbox: str = "var/acotel/sms-outbox.jsonl"
    sms_api_url: str = ""  # a generic HTTP SMS API instead of the outbox
    sms_api_token: str = ""
    max_calls: int = 20  # simultaneous calls (the tender asks for at least 15)
    capacity_wait_s: int = 60  # beyond max_calls, a caller waits this long at most...
    capacity_retry_s: int = 15  # ...hearing the waiting message every this many seconds
    max_body_bytes: int = 64 * 1024
    catalogue_max_age_days: int = 8
    records_url: str = ""  # call records (sqlite:///… or postgresql://…); "" keeps none
    records_spool: str = "var/acotel/records-spool.jsonl"  # records the database refused
    heldout: str = ""  # the understanding's held-out set ("": the repository's benchmark)


class BadRequest(web.HTTPBadRequest):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(text=json.dumps({"error": message, "field": field}),
                         content_type="application/json")


@dataclass
class Metrics:
    counters: Counter[str]
    latencies: deque[float]  # the most recent turns only: a server runs for months

    def render(self, active: int | None) -> str:
        """``active`` is None when the call store cannot be reached."""
        lines = [f"# TYPE acotel_{name} counter\nacotel_{name} {value}"
                 for name, value in sorted(self.counters.items())]
        lines.append(f"# TYPE acotel_store_up gauge\nacotel_store_up {int(active is not None)}")
        if active is not None:
            lines.append(f"# TYPE acotel_calls_active gauge\nacotel_calls_active {active}")
        recent = sorted(self.latencies)
        for quantile in (0.5, 0.99):
            value = recent[int(len(recent) * quantile)] if recent else 0.0
            lines.append(f'acotel_turn_seconds{{quantile="{quantile}"}} {value:.6f}')
        return "\n".join(lines) + "\n"


CONFIG = web.AppKey("config", ServerConfig)
ENGINE = web.AppKey("engine", Engine)
CATALOGUE = web.AppKey("catalogue", CatalogueHolder)
STORE = web.AppKey("store", CallStore)
SENDER = web.AppKey("sender", SmsSender)
METRICS = web.AppKey("metrics", Metrics)
HOOKS = web.AppKey("hooks", CallEndHooks)
SELFTEST_HOOKS = web.AppKey("selftest_hooks", list)
PUBLISHED = web.AppKey("published", PublishedSentences)


@dataclass
class ChainStatus:
    """The last chain self-test (tender §5.1): None before the first one."""

    ok: bool | None = None
    at: str = ""
    error: str = ""


CHAIN = web.AppKey("chain", ChainStatus)
SELFTEST_EVERY_S = 60.0
SELFTEST_TIMEOUT_S = 10.0


# --- middlewares: errors, authentication ---------------------------------------------------

@web.middleware
async def errors(request: web.Request,
                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.content_type == "application/json" or error.status < 400:
            raise
        return web.json_response({"error": error.reason}, status=error.status)
    except Exception:  # never a stack trace to a client
        log.exception("unhandled error on %s %s", request.method, request.path)
        request.app[METRICS].counters["errors_total"] += 1
        raise web.HTTPInternalServerError(text=json.dumps({"error": "internal error"}),
                                          content_type="application/json") from None


def signature_ok(secret: str, header: str, body: bytes, now: float) -> bool:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`` within 5 minutes (the scheme of
    jambonz's signed webhooks, used for both APIs)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        stamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - stamp) > SIGNATURE_TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, v) for k, v in parts.items() if k == "v1")


@web.middleware
async def authenticate(request: web.Request,
                       handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                       ) -> web.StreamResponse:
    config = request.app[CONFIG]
    if request.path in ("/health", "/metrics", "/openapi.json") or (
            request.path == "/admin" or request.path.startswith("/admin/")):
        return await handler(request)  # the steering app has its own accounts
    body = await request.read()
    now = time.time()
    if request.path.startswith("/jambonz/"):
        secret = config.jambonz_secret
        ok = not secret or signature_ok(secret, request.headers.get("Jambonz-Signature", ""),
                                        body, now)
    else:
        secret = config.secret
        bearer = request.headers.get("Authorization", "")
        ok = not secret or hmac.compare_digest(bearer, f"Bearer {secret}") or signature_ok(
            secret, request.headers.get("X-Acotel-Signature", ""), body, now)
    if not ok:
        request.app[METRICS].counters["unauthorized_total"] += 1
        raise web.HTTPUnauthorized(text=json.dumps({"error": "missing or wrong credentials"}),
                                   content_type="application/json")
    return await handler(request)


# --- validation ------------------------------------------------------------------------------

async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("body", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("body", "the body must be a JSON object")
    return data


def text_field(data: dict[str, Any], name: str, required: bool = True,
               max_length: int = 2000) -> str:
    value = data.get(name)
    if value is None:
        if required:
            raise BadRequest(name, f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise BadRequest(name, f"{name} must be a string")
    if len(value) > max_length:
        raise BadRequest(name, f"{name} is longer than {max_length} characters")
    return value


def event_from(data: dict[str, Any], at: str) -> tuple[int, Event]:
    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise BadRequest("seq", "seq must be a positive integer")
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise BadRequest("type", f"type must be one of {', '.join(EVENT_TYPES)}")
    confidence = data.get("confidence", 1.0)
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise BadRequest("confidence", "confidence must be a number between 0 and 1")
    alternatives = data.get("alternatives", [])
    if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
        raise BadRequest("alternatives", "alternatives must be a list of strings")
    digits = text_field(data, "digits", required=False, max_length=32)
    if digits and not all(c in "0123456789*#" for c in digits):
        raise BadRequest("digits", "digits may only hold 0-9, * and #")
    text = text_field(data, "text", required=kind == "speech")
    if kind == "dtmf" and not digits:
        raise BadRequest("digits", "digits is required for a dtmf event")
    return seq, Event(kind, text=text, confidence=float(confidence),
                      alternatives=tuple(alternatives[:5]), digits=digits, at=at)


def now_iso() -> str:
    """Now on the platform's clock, with its offset (the dialog reads it in Paris time)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- the neutral turn API ----------------------------------------------------------------------

def neutral_actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's actions in the API's shape (no internal fields)."""
    shaped = []
    for action in actions:
        kind = action["kind"]
        if kind == "say":
            shaped.append({"type": "say", "text": action["text"], "ssml": action["ssml"],
                           **({"voice": action["voice"]} if "voice" in action else {})})
        elif kind == "listen":
            shaped.append({"type": "listen", "input": list(action["input"]),
                           "timeout_s": action["timeout_s"], "hints": list(action["hints"]),
                           "barge_in": action["barge_in"], "digits_max": action["digits_max"]})
        elif kind == "sms":
            shaped.append({"type": "sms", "to": action["to"], "text": action["text"],
                           "segments": action["segments"]})
        elif kind == "hangup":
            shaped.append({"type": "hangup", "reason": action["reason"]})
        elif kind == "wait":
            shaped.append({"type": "wait", "seconds": action["seconds"]})
    return shaped


def voiced(actions: list[dict[str, Any]], voice: dict[str, str]) -> list[dict[str, Any]]:
    """The say actions spoken with the voice, rate and pauses chosen in the steering app
    for the caller's region (tender §5.3); a caller who asked to slow down keeps the slow
    rate."""
    out = []
    for action in actions:
        if action.get("kind") == "say":
            document = action["ssml"]
            if f'rate="{NORMAL_RATE}"' in document:
                document = document.replace(f'rate="{NORMAL_RATE}"', f'rate="{voice["rate"]}"')
            document = document.replace('<break time="600ms"/>',
                                        f'<break time="{voice["pause_ms"]}ms"/>')
            action = {**action, "ssml": document,
                      "voice": {k: voice[k] for k in ("vendor", "language", "voice")}}
        out.append(action)
    return out


@asynccontextmanager
async def call_locked(app: web.Application, call_id: str) -> AsyncIterator[None]:
    """One turn of a call at a time, across every worker: an event and its retry are never
    handled at once. A call held too long elsewhere gets 503: the platform retries."""
    try:
        async with app[STORE].lock(call_id):
            yield
    except StoreBusy:
        app[METRICS].counters["calls_busy_total"] += 1
        raise web.HTTPServiceUnavailable(
            text=json.dumps({"error": "the call is busy, retry", "field": "call_id"}),
            content_type="application/json", headers={"Retry-After": "1"}) from None


def capacity_answer(config: ServerConfig, waited_s: int) -> list[dict[str, Any]]:
    """Every line is busy (§2.5 of the tender): a waiting message and a new try a little
    later while the caller has waited less than ``capacity_wait_s``, then the dissuasion
    message."""
    if waited_s + config.capacity_retry_s <= config.capacity_wait_s:
        return [message_action("waiting_again" if waited_s else "waiting"),
                {"kind": "wait", "seconds": config.capacity_retry_s}]
    return [message_action("dissuasion_after_waiting" if waited_s else "dissuasion"),
            {"kind": "hangup", "reason": "capacity"}]


def message_action(key: str) -> dict[str, Any]:
    """A sentence of the message file as a say action outside any call's dialog (capacity,
    incidents), spoken like the engine's own sentences."""
    text = Messages().text(key)
    return {"kind": "say", "text": plain(text), "ssml": ssml([text])}


async def start_call(app: web.Application, call_id: str, caller: str, called: str,
                     at: str, waited_s: int = 0) -> list[dict[str, Any]]:
    """A new call, or a retried start; beyond ``max_calls``, the capacity answer."""
    store, metrics = app[STORE], app[METRICS]
    async with call_locked(app, call_id):
        existing = await store.get(call_id)
        if existing is not None:
            return existing.answers.get("0", [])  # a retried start
        if app[CHAIN].ok is False:  # the chain is broken: the incident message at once
            metrics.counters["incidents_total"] += 1
            return [message_action("incident"), {"kind": "hangup", "reason": "incident"}]
        if await store.active() >= app[CONFIG].max_calls:
            actions = capacity_answer(app[CONFIG], waited_s)
            waits = actions[-1]["kind"] == "wait"
            if waits and not waited_s:
                metrics.counters["calls_queued_total"] += 1  # callers who had to wait
            elif not waits:
                metrics.counters["calls_refused_total"] += 1
                moment = aware(at)
                await app[HOOKS].fire(EndedCall(
                    call_id, caller, called, moment, datetime.now(UTC), "refused", False,
                    None, queued=waited_s > 0, waited_s=float(waited_s), refused=True))
            return actions
        state, turn = app[ENGINE].start(call_id, caller, called, at)
        actions = voiced(turn.to_dicts(), app[PUBLISHED].voice(state.region))
        stored = StoredCall({**state.to_dict(), "queued_s": waited_s})
        stored.remember(0, actions)
        await store.put(call_id, stored, active=not state.ended)
        metrics.counters["calls_started_total"] += 1
        if waited_s:
            metrics.counters["calls_started_after_waiting_total"] += 1
        log.info("call %s started from %s", call_id, mask(caller))
        return actions


async def handle_event(app: web.Application, call_id: str, seq: int, event: Event,
                       platform_sends_sms: bool = False) -> list[dict[str, Any]]:
    """One event of a call; its SMS go through the configured sender, unless the platform
    sends them itself from the answer (jambonz's ``message`` verb)."""
    async with call_locked(app, call_id):
        stored = await app[STORE].get(call_id)
        if stored is None:
            raise web.HTTPNotFound(text=json.dumps({"error": f"no call {call_id!r}",
                                                    "field": "call_id"}),
                                   content_type="application/json")
        if str(seq) in stored.answers:
            app[METRICS].counters["events_retried_total"] += 1
            return stored.answers[str(seq)]  # a retried event: the same answer, no new SMS
        if seq <= stored.last_seq:
            raise web.HTTPConflict(text=json.dumps({
                "error": f"seq {seq} is older than the last event {stored.last_seq}",
                "field": "seq"}), content_type="application/json")
        started = time.perf_counter()
        was_ended = bool(stored.state.get("ended"))
        queued_s = int(stored.state.get("queued_s") or 0)
        state, turn = app[ENGINE].handle(CallState.from_dict(stored.state), event,
                                         copy_state=False)
        app[METRICS].latencies.append(time.perf_counter() - started)
        actions = voiced(turn.to_dicts(), app[PUBLISHED].voice(state.region))
        if platform_sends_sms:
            app[METRICS].counters["sms_to_platform_total"] += sum(
                a["kind"] == "sms" for a in actions)
        else:
            await send_sms(app, call_id, seq, actions)
        stored.state = {**state.to_dict(), "queued_s": queued_s}
        stored.remember(seq, actions)
        await app[STORE].put(call_id, stored, active=not state.ended)
        app[METRICS].counters[f"events_{event.type}_total"] += 1
        if state.ended and not was_ended:  # once per call: the lock is held
            log.info("call %s ended (%s): %s", call_id, mask(state.caller),
                     ", ".join(state.statuses))
            sms_ids = tuple(f"{call_id}:{number}:{index}"
                            for number, answer in sorted(stored.answers.items())
                            for index, action in enumerate(
                                a for a in answer if a.get("kind") == "sms"))
            await app[HOOKS].fire(EndedCall(
                call_id, state.caller, state.called, aware(state.started_at),
                aware(event.at), "hangup" if event.type == "hangup" else "dialog", True,
                stored.state, queued=queued_s > 0, waited_s=float(queued_s),
                incident=state.incident, sms_ids=sms_ids))
        return actions


async def send_sms(app: web.Application, call_id: str, seq: int,
                   actions: list[dict[str, Any]]) -> None:
    for index, action in enumerate(a for a in actions if a["kind"] == "sms"):
        try:
            await app[SENDER].send(f"{call_id}:{seq}:{index}", action["to"], action["text"])
            app[METRICS].counters["sms_sent_total"] += 1
        except SmsError as error:
            app[METRICS].counters["sms_failed_total"] += 1
            log.warning("call %s: %s", call_id, error)


async def post_call(request: web.Request) -> web.Response:
    data = await json_body(request)
    call_id = text_field(data, "call_id", max_length=128)
    caller = text_field(data, "from", max_length=32)
    called = text_field(data, "to", required=False, max_length=32)
    started_at = text_field(data, "started_at", required=False, max_length=40) or now_iso()
    try:
        datetime.fromisoformat(started_at)
    except ValueError:
        raise BadRequest("started_at", "started_at must be an ISO 8601 timestamp") from None
    waited_s = data.get("waited_s", 0)
    if not isinstance(waited_s, int) or isinstance(waited_s, bool) or waited_s < 0:
        raise BadRequest("waited_s", "waited_s must be a number of seconds (0 or more)")
    actions = await start_call(request.app, call_id, caller, called, started_at, waited_s)
    return web.json_response({"actions": neutral_actions(actions)})


async def post_event(request: web.Request) -> web.Response:
    data = await json_body(request)
    seq, event = event_from(data, text_field(data, "at", required=False) or now_iso())
    actions = await handle_event(request.app, request.match_info["call_id"], seq, event)
    return web.json_response({"actions": neutral_actions(actions)})


# --- resources, health, metrics --------------------------------------------------------------

async def get_resolve(request: web.Request) -> web.Response:
    query = request.query.get("q")
    if query is None:
        raise BadRequest("q", "q is required")
    if len(query) > 300:
        raise BadRequest("q", "q is longer than 300 characters")
    return web.json_response(request.app[ENGINE].resolver.resolve(query).to_dict())


async def get_search(request: web.Request) -> web.Response:
    query = request.query
    gazetteer = request.app[ENGINE].resolver.gazetteer
    if "insee" in query:
        place = gazetteer.by_insee.get(query["insee"])
        if place is None:
            raise BadRequest("insee", f"unknown INSEE code {query['insee']!r}")
        lat, lon = place.lat, place.lon
    else:
        try:
            lat, lon = float(query["lat"]), float(query["lon"])
        except KeyError:
            raise BadRequest("insee", "give insee, or lat and lon") from None
        except ValueError:
            raise BadRequest("lat", "lat and lon must be numbers") from None
    try:
        theme = Theme(query["theme"]) if "theme" in query else None
    except ValueError:
        raise BadRequest("theme", f"theme must be one of {[str(t) for t in Theme]}") from None
    try:
        day = date.fromisoformat(query["date"]) if "date" in query else date.today()
    except ValueError:
        raise BadRequest("date", "date must be AAAA-MM-JJ") from None
    limit = query.get("limit", "20")
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        raise BadRequest("limit", "limit must be an integer from 1 to 100")
    result = search(request.app[CATALOGUE].catalogue, lat, lon, day, theme=theme,
                    limit=int(limit))
    return web.json_response(result.to_dict())


async def post_compose(request: web.Request) -> web.Response:
    data = await json_body(request)
    ids = data.get("workshop_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise BadRequest("workshop_ids", "workshop_ids must be a non-empty list of ids")
    catalogue = request.app[CATALOGUE].catalogue
    by_id = {i: w for i in ids if (w := catalogue.workshop_by_id(i)) is not None}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise BadRequest("workshop_ids", f"unknown workshops {unknown[:5]}")
    today = date.today()
    found = []
    for workshop_id in ids:
        workshop = by_id[workshop_id]
        upcoming = tuple(s for s in workshop.sessions if s.day >= today)[:3]
        found.append(found_dict(Found(workshop, None, upcoming or workshop.sessions[-1:])))
    texts = compose(found)
    return web.json_response({"messages": [{"text": t, "segments": segments(t)}
                                           for t in texts]})


async def get_health(request: web.Request) -> web.Response:
    app = request.app
    checks: dict[str, Any] = {}
    catalogue = app[CATALOGUE].catalogue
    checks["gazetteer"] = len(app[ENGINE].resolver.gazetteer.places) > 30_000
    absorbed = datetime.fromisoformat(catalogue.meta.get("absorbed_at", "1970-01-01"))
    age = (datetime.now(UTC) - absorbed.replace(tzinfo=absorbed.tzinfo or UTC)).days
    fresh = bool(catalogue.meta.get("relative_dates")) or age <= app[CONFIG].catalogue_max_age_days
    checks["catalogue"] = {"workshops": len(catalogue), "fresh": fresh,
                           "synthetic": bool(catalogue.meta.get("synthetic"))}
    checks["store"] = await app[STORE].ping()
    checks["sms"] = await app[SENDER].ping()
    chain = app[CHAIN]
    checks["chain"] = {"ok": chain.ok, "at": chain.at, "error": chain.error}
    ok = checks["gazetteer"] and fresh and len(catalogue) > 0 and checks["store"] and checks["sms"]
    ok = ok and chain.ok is not False
    return web.json_response({"status": "ok" if ok else "degraded", "checks": checks},
                             status=200 if ok else 503)


async def get_metrics(request: web.Request) -> web.Response:
    try:
        active: int | None = await request.app[STORE].active()
    except Exception:  # the metrics must still be served: they say the store is down
        active = None
    return web.Response(text=request.app[METRICS].render(active),
                        content_type="text/plain")


async def get_openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


# --- the application -------------------------------------------------------------------------

def chain_selftest(app: web.Application) -> None:
    """A synthetic call through the chain: resolve a town, search its workshops, compose
    the SMS. Raises on any failure."""
    resolution = app[ENGINE].resolver.resolve("treize cent")
    if resolution.best is None:
        raise RuntimeError("the resolver found no town for a known postcode")
    result = search(app[CATALOGUE].catalogue, resolution.best.lat, resolution.best.lon,
                    date.today(), limit=3)
    if not result.workshops and not result.remote:
        raise RuntimeError("the search found no workshop near a known town")
    found = (result.workshops or result.remote)[:1]
    if not compose([found_dict(f) for f in found]):
        raise RuntimeError("no SMS could be composed")


async def _selftests(app: web.Application) -> AsyncIterator[None]:
    """The chain self-test every minute, with a timeout; its result is in /health and
    /metrics, written to the call records (availability), and while it fails callers
    hear the incident message at once."""
    status = app[CHAIN]

    async def once() -> None:
        try:
            await asyncio.wait_for(asyncio.to_thread(chain_selftest, app), SELFTEST_TIMEOUT_S)
            status.ok, status.error = True, ""
        except Exception as failure:
            status.ok, status.error = False, type(failure).__name__
            log.error("chain self-test failed: %s", status.error)
        status.at = now_iso()
        app[METRICS].counters["selftests_total"] += 1
        if not status.ok:
            app[METRICS].counters["selftests_failed_total"] += 1
        for hook in app[SELFTEST_HOOKS]:
            await hook(datetime.now(UTC), bool(status.ok))

    async def loop() -> None:
        while True:
            await asyncio.sleep(SELFTEST_EVERY_S)
            await once()

    await once()
    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


REFRESH_EVERY_S = 5.0
TRAIN_TIMEOUT_S = 120.0


async def _understanding(published: PublishedSentences) -> None:
    """The understanding published in the steering app, trained in a thread (seconds; the
    calls go on with the model before) and swapped in for the next turns."""
    version, examples = published.understanding
    if version != live_version():
        await asyncio.wait_for(asyncio.to_thread(use_examples, version, examples),
                               TRAIN_TIMEOUT_S)


def _published_refresh(records: RecordStore, published: PublishedSentences,
                       recorder: RecordsHook) -> Callable[[web.Application],
                                                          AsyncIterator[None]]:
    """A background task: the sentences, voice and understanding published in the
    steering app reach live calls within seconds (no restart); records spooled while the
    database was down are written again. Each pass has a timeout; the task stops with the
    app."""
    async def refresh(app: web.Application) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                try:
                    await asyncio.wait_for(asyncio.to_thread(published.refresh, records),
                                           REFRESH_EVERY_S)
                    await _understanding(published)
                    if recorder.spool.exists():
                        await asyncio.wait_for(asyncio.to_thread(recorder.drain), 60)
                except Exception:
                    log.warning("steering publications or records spool not refreshed")
                await asyncio.sleep(REFRESH_EVERY_S)

        await asyncio.to_thread(published.refresh, records)
        try:
            await _understanding(published)
        except Exception:  # the corpus's model meanwhile; the loop tries again
            log.warning("published understanding not trained at start")
        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # The corpus's model again: tests run several services in one process.
        await asyncio.to_thread(use_examples, "", ())
        await asyncio.to_thread(records.close)

    return refresh


def create_app(config: ServerConfig, engine: Engine | None = None,
               catalogue: CatalogueHolder | None = None,
               on_call_end: list[OnCallEnd] | None = None) -> web.Application:
    """The service; with ``config.records_url``, every call is recorded when it ends, the
    steering app is served under ``/admin`` and the reports under ``/v1/reports``."""
    from ._jambonz import jambonz_call, jambonz_gather, jambonz_status

    app = web.Application(middlewares=[errors, authenticate],
                          client_max_size=config.max_body_bytes)
    app[CONFIG] = config
    app[METRICS] = Metrics(Counter(), deque(maxlen=5000))
    app[HOOKS] = CallEndHooks(on_call_end)
    app[CHAIN] = ChainStatus()
    app[SELFTEST_HOOKS] = []
    records = open_records(config.records_url) if config.records_url else None
    published = PublishedSentences()
    app[PUBLISHED] = published
    if records is not None:
        recorder = RecordsHook(records, Path(config.records_spool))
        app[HOOKS].hooks.append(recorder.on_call_end)
        app[SELFTEST_HOOKS].append(recorder.on_selftest)
        app.add_subapp("/admin", create_admin_app(
            records, heldout=Path(config.heldout) if config.heldout else None))
        app.add_subapp("/v1/reports", create_reports_app(records))
        app.cleanup_ctx.append(_published_refresh(records, published, recorder))

    async def resources(app: web.Application) -> AsyncIterator[None]:
        try:
            holder = catalogue or CatalogueHolder(config.snapshot)
        except SnapshotError as error:
            raise RuntimeError(f"cannot start: {error}") from error
        app[CATALOGUE] = holder
        app[ENGINE] = engine or Engine(Resolver(Gazetteer.load()), lambda: holder.catalogue)
        detect("oui")  # train the intent model now, not during a caller's first turn
        gc.collect()
        gc.freeze()  # the gazetteer and catalogue live forever: no full GC pass over them
        app[STORE] = open_store(config.store_url)
        app[SENDER] = (HttpSmsSender(config.sms_api_url, config.sms_api_token)
                       if config.sms_api_url else OutboxSender(config.sms_outbox))
        if records is not None:
            app[ENGINE].published = published
        yield
        await app[HOOKS].drain()
        await app[SENDER].close()
        await app[STORE].close()

    app.cleanup_ctx.append(resources)
    app.cleanup_ctx.append(_selftests)
    app.router.add_post("/v1/calls", post_call)
    app.router.add_post("/v1/calls/{call_id}/events", post_event)
    app.router.add_get("/v1/locations/resolve", get_resolve)
    app.router.add_get("/v1/workshops/search", get_search)
    app.router.add_post("/v1/sms/compose", post_compose)
    app.router.add_post("/jambonz/call", jambonz_call)
    app.router.add_post("/jambonz/gather", jambonz_gather)
    app.router.add_post("/jambonz/status", jambonz_status)
    app.router.add_get("/health", get_health)
    app.router.add_get("/metrics", get_metrics)
    app.router.add_get("/openapi.json", get_openapi)
    return app
