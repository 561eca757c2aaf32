"""The records as authenticated HTTP endpoints (the same reports as ``acotel-voice
report | traces | verbatims``), an aiohttp sub-app mounted under ``/v1/reports`` behind the
service's API authentication.

    GET /v1/reports/indicators?from=&to=&by=&region=&origin=&format=json|csv|xlsx
    GET /v1/reports/traces?from=&to=&region=&origin=&format=json|csv|xlsx
    GET /v1/reports/verbatims?from=&to=&status=&top=
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

from aiohttp import web

from ._exports import jsonl, report_csv, report_xlsx, traces, traces_csv, traces_xlsx
from ._model import GRANULARITIES, ORIGINS, REGIONS, STATUSES
from ._report import report
from ._store import Filters, RecordStore
from ._verbatims import verbatims

REPORTS_STORE: web.AppKey[RecordStore] = web.AppKey("reports_store", RecordStore)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bad(field: str, message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message, "field": field}),
                              content_type="application/json")


def _day(query: Any, name: str) -> date | None:
    value = query.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(name, "a date AAAA-MM-JJ") from None


def _choice(query: Any, name: str, allowed: tuple[str, ...], default: str | None = None
            ) -> str | None:
    value = query.get(name, default)
    if value is not None and value not in allowed:
        raise _bad(name, f"one of {', '.join(allowed)}")
    return None if value is None else str(value)


def _filters(request: web.Request) -> Filters:
    q = request.query
    start, end = _day(q, "from"), _day(q, "to")
    if start and end and start > end:
        raise _bad("from", "the first day is after the last")
    return Filters(start, end, _choice(q, "region", (*REGIONS, "none")),
                   _choice(q, "origin", ORIGINS))


def _file(body: str | bytes, fmt: str, name: str) -> web.Response:
    types = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX,
             "json": "application/x-ndjson; charset=utf-8"}
    data = body.encode("utf-8") if isinstance(body, str) else body
    return web.Response(body=data, headers={
        "Content-Type": types[fmt], "Content-Disposition": f'attachment; filename="{name}"'})


async def indicators_view(request: web.Request) -> web.Response:
    f = _filters(request)
    by = _choice(request.query, "by", GRANULARITIES, "day") or "day"
    fmt = _choice(request.query, "format", ("json", "csv", "xlsx"), "json") or "json"
    store = request.app[REPORTS_STORE]
    result = await asyncio.to_thread(report, store, start=f.start, end=f.end, by=by,
                                     region=f.region, origin=f.origin)
    if fmt == "json":
        return web.json_response(result)
    body = report_csv(result) if fmt == "csv" else await asyncio.to_thread(report_xlsx, result)
    return _file(body, fmt, f"acotel-indicateurs.{fmt}")


async def traces_view(request: web.Request) -> web.Response:
    f = _filters(request)
    fmt = _choice(request.query, "format", ("json", "csv", "xlsx"), "json") or "json"
    store = request.app[REPORTS_STORE]
    items = await asyncio.to_thread(lambda: list(traces(store, f)))
    body: str | bytes = (jsonl(items) if fmt == "json" else traces_csv(items) if fmt == "csv"
                         else await asyncio.to_thread(traces_xlsx, items))
    return _file(body, fmt, f"acotel-traces.{'jsonl' if fmt == 'json' else fmt}")


async def verbatims_view(request: web.Request) -> web.Response:
    f = _filters(request)
    status = request.query.get("status", "non_efficace")
    if status != "all" and status not in STATUSES:
        raise _bad("status", f"one of {', '.join(STATUSES)}, or all")
    try:
        top = int(request.query.get("top", "50"))
    except ValueError:
        raise _bad("top", "a whole number") from None
    if not 1 <= top <= 1000:
        raise _bad("top", "from 1 to 1000")
    store = request.app[REPORTS_STORE]
    result = await asyncio.to_thread(lambda: verbatims(store.records(f),
                                                       None if status == "all" else status,
                                                       top))
    return web.json_response(result)


def create_reports_app(store: RecordStore) -> web.Application:
    """The reports sub-app; the parent app's authentication middleware guards it."""
    app = web.Application()
    app[REPORTS_STORE] = store
    app.router.add_get("/indicators", indicators_view)
    app.router.add_get("/traces", traces_view)
    app.router.add_get("/verbatims", verbatims_view)
    return app
