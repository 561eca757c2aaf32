"""The pages of the steering app: login, dashboard, traces and their detail, exports,
audit log. Every route is listed in ``add_routes``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from ..records import (
    INDICATORS,
    ORIGINS,
    PARIS,
    REGIONS,
    STATUSES,
    Filters,
    report,
    report_csv,
    report_xlsx,
    traces,
    traces_csv,
    traces_xlsx,
)
from ._accounts import CARSAT_REGIONS
from ._app import ACCOUNTS, COOKIE, CSRF, PREFIX, STORE, USER, current_user, in_thread, is_https

REGION_NAMES = {"sud-est": "Sud-Est", "languedoc-roussillon": "Languedoc-Roussillon",
                "centre-val-de-loire": "Centre-Val de Loire",
                "bourgogne-franche-comte": "Bourgogne-Franche-Comté", "autre": "Autre région",
                None: "Non localisé"}
STATUS_NAMES = {"traite": "Traité", "non_traite": "Non traité", "requete": "Requêté",
                "efficace": "Efficace", "non_efficace": "Non efficace",
                "abandonne": "Abandonné", "abouti": "Abouti", "evalue": "Évalué",
                "malade": "Malade", "incivilite": "Incivilité", "hors_sujet": "Hors sujet"}
ORIGIN_NAMES = {"mobile": "Mobile national", "fixe": "Fixe national", "autre": "Autre"}
PERIODS = {"day": "Jour", "week": "Semaine", "month": "Mois"}
PAGE_SIZE = 50


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _paris(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}".replace(".", ",")


FILTERS = {"percent": _percent, "paris": _paris, "number": _number,
           "region_name": lambda r: REGION_NAMES.get(r, r),
           "status_name": lambda s: STATUS_NAMES.get(s, s),
           "origin_name": lambda o: ORIGIN_NAMES.get(o, o)}


async def page_context(request: web.Request) -> dict[str, Any]:
    return {"user": request.get(USER), "csrf": request.get(CSRF, ""),
            "path": request.path}


# -- the period and filters a page shows ------------------------------------------------
def _today() -> date:
    return datetime.now(PARIS).date()


def _period(query: Any) -> tuple[str, date, date, date]:
    """``(kind, reference day, first day, last day)`` of ``?period=&date=``."""
    kind = query.get("period", "month")
    if kind not in PERIODS:
        raise web.HTTPBadRequest(text="period : jour (day), semaine (week) ou mois (month).")
    try:
        day = date.fromisoformat(query.get("date", "")) if query.get("date") else _today()
    except ValueError:
        raise web.HTTPBadRequest(text="date : AAAA-MM-JJ.") from None
    if kind == "day":
        return kind, day, day, day
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return kind, day, first, first + timedelta(days=6)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return kind, day, first, following - timedelta(days=1)


def _scope(request: web.Request) -> tuple[str | None, str | None]:
    """The region and origin asked for; a Carsat account is held to its own region."""
    user, query = current_user(request), request.query
    region = query.get("region") or None
    origin = query.get("origin") or None
    if region is not None and region not in (*REGIONS, "none"):
        raise web.HTTPBadRequest(text="region inconnue.")
    if origin is not None and origin not in ORIGINS:
        raise web.HTTPBadRequest(text="origin : mobile, fixe ou autre.")
    if user.region is not None:
        region = user.region
    return region, origin


# -- login ------------------------------------------------------------------------------
async def login_page(request: web.Request) -> web.Response:
    return aiohttp_jinja2.render_template("login.html", request,
                                          {"error": "", "next": request.query.get("next", "/")})


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    login_name, password = str(form.get("login", "")).strip(), str(form.get("password", ""))
    target = str(form.get("next", "/"))
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    accounts = request.app[ACCOUNTS]
    address = request.remote or "?"
    if await in_thread(accounts.throttled, login_name, address):
        return aiohttp_jinja2.render_template(
            "login.html", request, {"error": "Trop d'essais : réessayez dans un quart d'heure.",
                                    "next": target}, status=429)
    user = await in_thread(accounts.authenticate, login_name, password, address)
    if user is None:
        return aiohttp_jinja2.render_template(
            "login.html", request, {"error": "Identifiant ou mot de passe incorrect.",
                                    "next": target}, status=401)
    token, _csrf = await in_thread(accounts.open_session, user)
    response = web.HTTPSeeOther(request.app[PREFIX] + target)
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict",
                        secure=is_https(request), path=request.app[PREFIX])
    raise response


async def logout(request: web.Request) -> web.Response:
    await in_thread(request.app[ACCOUNTS].close_session, request.cookies.get(COOKIE, ""))
    response = web.HTTPSeeOther(request.app[PREFIX] + "/login")
    response.del_cookie(COOKIE, path=request.app[PREFIX])
    raise response


# -- dashboard --------------------------------------------------------------------------
@aiohttp_jinja2.template("dashboard.html")
async def dashboard(request: web.Request) -> dict[str, Any]:
    kind, day, first, last = _period(request.query)
    region, origin = _scope(request)
    store = request.app[STORE]
    by = "halfhour" if kind == "day" else "day"
    result = await in_thread(lambda: report(store, start=first, end=last, by=by,
                                            region=region, origin=origin))
    totals = result["totals"]
    per_slot: dict[str, int] = {}
    for row in result["rows"]:
        label = row["start"][11:16] if by == "halfhour" else row["start"][8:10] + "/" + \
            row["start"][5:7]
        per_slot[label] = per_slot.get(label, 0) + row["calls"]
    charts = {"calls": {"labels": list(per_slot), "values": list(per_slot.values())},
              "statuses": {"labels": [STATUS_NAMES[s] for s in STATUSES],
                           "values": [totals["statuses"][s] for s in STATUSES]}}
    return {"kind": kind, "day": day, "first": first, "last": last, "region": region,
            "origin": origin, "totals": totals, "indicators": INDICATORS,
            "charts": json.dumps(charts).replace("<", "\\u003c"), "periods": PERIODS,
            "regions": (*CARSAT_REGIONS, "autre"), "origins": ORIGINS,
            "region_locked": current_user(request).region is not None}


# -- traces -----------------------------------------------------------------------------
@aiohttp_jinja2.template("traces.html")
async def trace_list(request: web.Request) -> dict[str, Any]:
    kind, day, first, last = _period(request.query)
    region, origin = _scope(request)
    status = request.query.get("status") or None
    if status is not None and status not in STATUSES:
        raise web.HTTPBadRequest(text="statut inconnu.")
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        raise web.HTTPBadRequest(text="page : un nombre.") from None
    store = request.app[STORE]
    items = await in_thread(lambda: [t for t in traces(store, Filters(first, last, region,
                                                                       origin))
                                     if status is None or status in t["statuses"]])
    items.reverse()  # newest first
    shown = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return {"kind": kind, "day": day, "first": first, "last": last, "region": region,
            "origin": origin, "status": status, "items": shown, "count": len(items),
            "page": page, "pages": max(1, -(-len(items) // PAGE_SIZE)), "statuses": STATUSES,
            "periods": PERIODS}


@aiohttp_jinja2.template("trace.html")
async def trace_detail(request: web.Request) -> dict[str, Any]:
    store = request.app[STORE]
    record = await in_thread(store.record, request.match_info["call_id"])
    user = current_user(request)
    # Another region's call is as absent as an unknown one (no existence leak).
    if record is None or (user.region is not None and record.region != user.region):
        raise web.HTTPNotFound(text="Appel introuvable.")
    return {"r": record}


# -- exports ----------------------------------------------------------------------------
async def export(request: web.Request) -> web.Response:
    what, fmt = request.match_info["what"], request.match_info["fmt"]
    _kind, _day, first, last = _period(request.query)
    region, origin = _scope(request)
    store = request.app[STORE]
    body: str | bytes
    if what == "report":
        by = request.query.get("by", "day")
        if by not in ("halfhour", "hour", "day", "week", "month"):
            raise web.HTTPBadRequest(text="by : halfhour, hour, day, week ou month.")
        result = await in_thread(lambda: report(store, start=first, end=last, by=by,
                                                region=region, origin=origin))
        body = report_csv(result) if fmt == "csv" else await in_thread(report_xlsx, result)
    else:
        items = await in_thread(lambda: list(traces(store, Filters(first, last, region,
                                                                   origin))))
        body = traces_csv(items) if fmt == "csv" else await in_thread(traces_xlsx, items)
    user = current_user(request)
    await in_thread(request.app[ACCOUNTS].audit, user.login, f"export.{what}.{fmt}",
                    f"{first}..{last} region={region or 'toutes'} origin={origin or 'toutes'}")
    name = f"acotel-{what}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    content_type = ("text/csv; charset=utf-8" if fmt == "csv" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return web.Response(body=body.encode("utf-8") if isinstance(body, str) else body,
                        headers={"Content-Type": content_type,
                                 "Content-Disposition": f'attachment; filename="{name}"'})


@aiohttp_jinja2.template("audit.html")
async def audit(request: web.Request) -> dict[str, Any]:
    if not current_user(request).can_publish:
        raise web.HTTPForbidden(text="Réservé aux comptes CNAV, AMOA et administrateur.")
    rows = await in_thread(request.app[ACCOUNTS].audit_log)
    return {"rows": [(datetime.fromtimestamp(at, PARIS).strftime("%d/%m/%Y %H:%M:%S"),
                      login, action, detail) for at, login, action, detail in rows]}


def add_routes(app: web.Application) -> None:
    """Every page of the steering app, in one place."""
    app.router.add_get("/login", login_page, name="login")
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout, name="logout")
    app.router.add_get("/", dashboard, name="dashboard")
    app.router.add_get("/traces", trace_list, name="traces")
    app.router.add_get("/traces/{call_id}", trace_detail, name="trace")
    app.router.add_get(r"/exports/{what:report|traces}.{fmt:csv|xlsx}", export, name="export")
    app.router.add_get("/audit", audit, name="audit")
