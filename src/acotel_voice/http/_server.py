"""The HTTP endpoint the hosted callbot platform calls at each turn (aiohttp).

``create_app(config)``: a neutral JSON turn API (``/v1/calls``), jambonz webhooks
(``/jambonz/...``), resource endpoints for platforms with their own flow designer,
``/health``, ``/metrics`` and ``/openapi.json``. Routes are all in ``create_app``. The
handlers only translate: a call's life is the call service's (``calls/_service.py``).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

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
from ..calls._ended import CallEndHooks, OnCallEnd
from ..calls._metrics import Metrics
from ..calls._service import (
    CallBusy,
    CallConflict,
    CallError,
    CallNotFound,
    CallService,
    ServiceSettings,
    StaleEvent,
)
from ..calls._sms_sender import HttpSmsApi, OnSmsOutcome, SmsOutbox
from ..calls._store import CallStore, RedisStore, open_store, store_down
from ..dialog._care import model as care_model
from ..dialog._engine import Engine
from ..dialog._intents import detect, live_version, use_examples
from ..dialog._results import found_dict
from ..dialog._sms import compose, segments
from ..records import RecordsHook, RecordStore, create_reports_app, open_records
from ._auth import make_authenticate
from ._background import (
    REFRESH_EVERY_S,
    ChainStatus,
    catalogue_reloads,
    every,
    flush_metrics,
    metrics_flush,
    selftests,
    sweeper,
)
from ._openapi import OPENAPI
from ._validate import (
    BadRequest,
    call_id_field,
    coordinate,
    day_field,
    event_from,
    json_answer,
    json_body,
    number_field,
    text_field,
    time_field,
    whole_number,
)

log = logging.getLogger("acotel.voice")


@dataclass(frozen=True)
class ServerConfig:
    secret: str = ""  # shared secret: "Bearer <secret>" or an HMAC signature
    jambonz_secret: str = ""  # jambonz webhook signing secret
    store_url: str = "sqlite:///var/acotel/calls.db"
    snapshot: str | None = None  # catalogue snapshot (default: the demo)
    sms_outbox: str = "var/acotel/sms-outbox.jsonl"
    sms_api_url: str = ""  # a generic HTTP SMS API delivers the outbox
    sms_api_token: str = ""
    max_calls: int = 20  # simultaneous calls (the tender asks for at least 15)
    capacity_wait_s: int = 60  # beyond max_calls, a caller waits this long at most...
    capacity_retry_s: int = 15  # ...hearing the waiting message every this many seconds
    idle_timeout_s: float = 1800.0  # a call with no event for this long is ended
    max_body_bytes: int = 64 * 1024
    catalogue_max_age_days: int = 8
    records_url: str = ""  # call records (sqlite:///… or postgresql://…); "" keeps none
    records_spool: str = "var/acotel/records-spool.jsonl"  # records the database refused
    heldout: str = ""  # the understanding's held-out set ("": the repository's benchmark)


CONFIG = web.AppKey("config", ServerConfig)
ENGINE = web.AppKey("engine", Engine)
CATALOGUE = web.AppKey("catalogue", CatalogueHolder)
STORE = web.AppKey("store", CallStore)
OUTBOX = web.AppKey("outbox", SmsOutbox)
SERVICE = web.AppKey("service", CallService)
METRICS = web.AppKey("metrics", Metrics)
HOOKS = web.AppKey("hooks", CallEndHooks)
SELFTEST_HOOKS = web.AppKey("selftest_hooks", list)
PUBLISHED = web.AppKey("published", PublishedSentences)
CHAIN = web.AppKey("chain", ChainStatus)


# --- middlewares: errors ---------------------------------------------------------------------

def _json_error(error: type[web.HTTPException], message: str, field: str,
                **headers: str) -> web.HTTPException:
    return error(text=json.dumps({"error": message, "field": field}),
                 content_type="application/json", headers=headers or None)


@web.middleware
async def errors(request: web.Request,
                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    """The call service's errors as HTTP answers; never a stack trace to a client."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.content_type == "application/json" or error.status < 400:
            raise
        return json_answer({"error": error.reason}, status=error.status)
    except CallNotFound as error:
        raise _json_error(web.HTTPNotFound, str(error), error.field) from None
    except CallBusy as error:
        raise _json_error(web.HTTPServiceUnavailable, str(error), error.field,
                          **{"Retry-After": "1"}) from None
    except (StaleEvent, CallConflict) as error:
        raise _json_error(web.HTTPConflict, str(error), error.field) from None
    except CallError as error:
        raise _json_error(web.HTTPBadRequest, str(error), error.field) from None
    except ConnectionResetError:  # the client went away: nothing to answer, no traceback
        log.info("client gone during %s %s", request.method, request.path)
        return web.Response(status=400, text="client gone")
    except Exception as error:
        if store_down(error):  # Redis restarting: the platform retries the same turn
            request.app[METRICS].counters["store_unavailable_total"] += 1
            log.warning("call store unavailable on %s %s: %s", request.method, request.path,
                        type(error).__name__)
            raise _json_error(web.HTTPServiceUnavailable, "the call store is unavailable, "
                              "retry", "store", **{"Retry-After": "1"}) from None
        log.exception("unhandled error on %s %s", request.method, request.path)
        request.app[METRICS].counters["errors_total"] += 1
        raise web.HTTPInternalServerError(text=json.dumps({"error": "internal error"}),
                                          content_type="application/json") from None


class AccessLogger(AbstractAccessLogger):
    """The access log without query strings: what callers said (``?q=``) stays out."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse,
            time: float) -> None:
        self.logger.info("%s %s %s %.1f ms", request.method, request.path,
                         response.status, time * 1000)


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


async def post_call(request: web.Request) -> web.Response:
    data = await json_body(request)
    call_id = call_id_field(text_field(data, "call_id", max_length=128))
    caller = number_field(text_field(data, "from", max_length=32), "from")
    called = number_field(text_field(data, "to", required=False, max_length=32), "to")
    started_at = time_field(data, "started_at")
    waited_s = data.get("waited_s", 0)
    if not isinstance(waited_s, int) or isinstance(waited_s, bool) or not 0 <= waited_s <= 3600:
        raise BadRequest("waited_s", "waited_s must be a number of seconds from 0 to 3600")
    actions = await request.app[SERVICE].start(call_id, caller, called, started_at, waited_s)
    return json_answer({"actions": neutral_actions(actions)})


async def post_event(request: web.Request) -> web.Response:
    call_id = call_id_field(request.match_info["call_id"])
    seq, event = event_from(await json_body(request))
    _, actions = await request.app[SERVICE].event(call_id, seq, event)
    return json_answer({"actions": neutral_actions(actions)})


# --- resources, health, metrics --------------------------------------------------------------

async def get_resolve(request: web.Request) -> web.Response:
    query = request.query.get("q")
    if query is None:
        raise BadRequest("q", "q is required")
    if len(query) > 300:
        raise BadRequest("q", "q is longer than 300 characters")
    return json_answer(request.app[ENGINE].resolver.resolve(query).to_dict())


async def get_search(request: web.Request) -> web.Response:
    query = request.query
    gazetteer = request.app[ENGINE].resolver.gazetteer
    if "insee" in query:
        place = gazetteer.by_insee.get(query["insee"])
        if place is None:
            raise BadRequest("insee", f"unknown INSEE code {query['insee']!r}")
        lat, lon = place.lat, place.lon
    else:
        if "lat" not in query or "lon" not in query:
            raise BadRequest("insee", "give insee, or lat and lon")
        lat, lon = coordinate(query["lat"], "lat", 90), coordinate(query["lon"], "lon", 180)
    try:
        theme = Theme(query["theme"]) if "theme" in query else None
    except ValueError:
        raise BadRequest("theme", f"theme must be one of {[str(t) for t in Theme]}") from None
    day = day_field(query["date"]) if "date" in query else date.today()
    limit = whole_number(query.get("limit", "20"), "limit", 1, 100)
    result = search(request.app[CATALOGUE].catalogue, lat, lon, day, theme=theme,
                    limit=limit)
    return json_answer(result.to_dict())


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
    return json_answer({"messages": [{"text": t, "segments": segments(t)}
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
    outbox = app[OUTBOX]
    checks["sms"] = {"ok": await outbox.ping(), "pending": outbox.pending(),
                     **outbox.counts}
    chain = app[CHAIN]
    checks["chain"] = {"ok": chain.ok, "at": chain.at, "error": chain.error}
    ok = checks["gazetteer"] and fresh and len(catalogue) > 0 and checks["store"] and \
        checks["sms"]["ok"]
    ok = ok and chain.ok is not False
    return json_answer({"status": "ok" if ok else "degraded", "checks": checks},
                             status=200 if ok else 503)


async def get_metrics(request: web.Request) -> web.Response:
    try:
        active: int | None = await request.app[STORE].active()
    except Exception:  # the metrics must still be served: they say the store is down
        active = None
    metrics, store = request.app[METRICS], request.app[STORE]
    shared = None
    if isinstance(store, RedisStore):  # every worker's counts, whichever answers
        try:
            shared = await metrics.shared(store.redis, store.prefix)
        except Exception:
            shared = None
    outbox = request.app[OUTBOX]
    gauges = {"sms_pending": float(outbox.pending()), "sms_up": float(await outbox.ping()),
              "chain_up": float(request.app[CHAIN].ok is not False)}
    return web.Response(text=metrics.render(active, shared, gauges), content_type="text/plain")


async def get_openapi(request: web.Request) -> web.Response:
    return json_answer(OPENAPI)




# --- the application -------------------------------------------------------------------------

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
    """The sentences, voice and understanding published in the steering app reach live
    calls within seconds (no restart); records spooled while the database was down are
    written again."""
    async def refresh(app: web.Application) -> None:
        await asyncio.to_thread(published.refresh, records)
        await _understanding(published)
        if recorder.spool.exists():
            await asyncio.wait_for(asyncio.to_thread(recorder.drain), 60)

    loop = every(lambda app: REFRESH_EVERY_S, TRAIN_TIMEOUT_S + 90,
                 "steering publications refresh", refresh, first=True)

    async def context(app: web.Application) -> AsyncIterator[None]:
        async for _ in loop(app):
            yield
        # The corpus's model again: tests run several services in one process.
        await asyncio.to_thread(use_examples, "", ())
        await asyncio.to_thread(records.close)

    return context


def create_app(config: ServerConfig, engine: Engine | None = None,
               catalogue: CatalogueHolder | None = None,
               on_call_end: list[OnCallEnd] | None = None,
               on_sms_outcome: list[OnSmsOutcome] | None = None) -> web.Application:
    """The service; with ``config.records_url``, every call is recorded when it ends, the
    steering app is served under ``/admin`` and the reports under ``/v1/reports``."""
    from ._jambonz import jambonz_call, jambonz_gather, jambonz_status

    def refused(request: web.Request) -> None:
        request.app[METRICS].counters["unauthorized_total"] += 1

    authenticate = make_authenticate(
        lambda request: (config.secret, config.jambonz_secret), refused)
    app = web.Application(middlewares=[errors, authenticate],
                          client_max_size=config.max_body_bytes)
    app[CONFIG] = config
    app[METRICS] = Metrics()
    app[HOOKS] = CallEndHooks(on_call_end)
    app[CHAIN] = ChainStatus()
    app[SELFTEST_HOOKS] = []
    outcomes = list(on_sms_outcome or [])
    records = open_records(config.records_url) if config.records_url else None
    published = PublishedSentences()
    app[PUBLISHED] = published
    if not config.jambonz_secret:
        log.warning("ACOTEL_JAMBONZ_SECRET is not set: the jambonz webhooks are not "
                    "authenticated")
    if records is not None:
        recorder = RecordsHook(records, Path(config.records_spool))
        app[HOOKS].hooks.append(recorder.on_call_end)
        app[SELFTEST_HOOKS].append(recorder.on_selftest)
        outcomes.append(recorder.on_sms_outcome)
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
        care_model()  # and the safety and courtesy model
        gc.collect()
        gc.freeze()  # the gazetteer and catalogue live forever: no full GC pass over them
        app[STORE] = open_store(config.store_url)
        api = HttpSmsApi(config.sms_api_url, config.sms_api_token) if config.sms_api_url \
            else None
        store = app[STORE]
        app[OUTBOX] = SmsOutbox(config.sms_outbox, api, outcomes,
                                claims=store if isinstance(store, RedisStore) else None)
        app[OUTBOX].start()
        if records is not None:
            app[ENGINE].published = published
        app[SERVICE] = CallService(
            ServiceSettings(config.max_calls, config.capacity_wait_s, config.capacity_retry_s,
                            config.idle_timeout_s),
            app[STORE], app[ENGINE], app[OUTBOX], app[HOOKS], app[METRICS],
            chain_ok=lambda: app[CHAIN].ok, voice=published.voice)
        yield
        await app[HOOKS].drain()
        await app[OUTBOX].close()
        try:
            await flush_metrics(app)  # the last counts, before the store closes
        except Exception:
            log.warning("metrics not flushed at shutdown")
        await app[STORE].close()

    app.cleanup_ctx.append(resources)
    app.cleanup_ctx.append(selftests)
    app.cleanup_ctx.append(sweeper)
    app.cleanup_ctx.append(catalogue_reloads)
    app.cleanup_ctx.append(metrics_flush)
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

