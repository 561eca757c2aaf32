"""Pages for the steering committee: the monthly report (COPIL) and continuous
improvement (verbatims of ``non_efficace`` calls, the improvement actions' log)."""

from __future__ import annotations

from datetime import date
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from ..dialog._intents import intent_names, normalize
from ..records import Filters, group, verbatims
from ._app import ACCOUNTS, PREFIX, STORE, current_user, in_thread
from ._copil import actions, add_action, copil_data, copil_pdf, copil_xlsx, month_bounds
from ._understanding import Understanding


def _month(request: web.Request) -> str:
    month = request.match_info.get("month") or request.query.get("month") or \
        date.today().strftime("%Y-%m")
    try:
        month_bounds(month)
    except ValueError:
        raise web.HTTPBadRequest(text="mois : AAAA-MM.") from None
    return month


@aiohttp_jinja2.template("copil.html")
async def copil_page(request: web.Request) -> dict[str, Any]:
    return {"month": _month(request)}


async def copil_file(request: web.Request) -> web.Response:
    month, fmt = _month(request), request.match_info["fmt"]
    user = current_user(request)
    store = request.app[STORE]
    data = await in_thread(copil_data, store, month, user.region)
    body = await in_thread(copil_xlsx if fmt == "xlsx" else copil_pdf, data)
    await in_thread(request.app[ACCOUNTS].audit, user.login, f"export.copil.{fmt}", month)
    content_type = ("application/pdf" if fmt == "pdf" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return web.Response(body=body, headers={
        "Content-Type": content_type,
        "Content-Disposition": f'attachment; filename="acotel-copil-{month}.{fmt}"'})


@aiohttp_jinja2.template("improvement.html")
async def improvement(request: web.Request) -> dict[str, Any]:
    month = _month(request)
    first, last = month_bounds(month)
    store, user = request.app[STORE], current_user(request)
    said = await in_thread(lambda: verbatims(store.records(Filters(first, last, user.region)),
                                             "non_efficace", top=30))
    done = await in_thread(actions, store, first, last)
    missed = await in_thread(lambda: group(
        turn for record in store.records(Filters(first, last, user.region))
        for turn in record.not_understood))
    assigned = {normalize(text): a["service"]["name"] if a["service"] else a["target"]
                for a in await in_thread(Understanding(store).assignments)
                for text in a["examples"]}
    return {"month": month, "said": said, "actions": done, "missed": missed[:30],
            "intents": intent_names(), "assigned": {
                g.example: assigned[normalize(g.example)] for g in missed[:30]
                if normalize(g.example) in assigned}}


async def log_action(request: web.Request) -> web.Response:
    user = current_user(request)
    if not user.can_publish:
        raise web.HTTPForbidden(text="Réservé aux comptes CNAV, AMOA et administrateur.")
    form = await request.post()
    title, detail = str(form.get("title", "")), str(form.get("detail", ""))
    if not title.strip():
        raise web.HTTPBadRequest(text="Donnez un titre à l'action.")
    await in_thread(add_action, request.app[STORE], user.login, title, detail)
    await in_thread(request.app[ACCOUNTS].audit, user.login, "improvement.action", title)
    raise web.HTTPSeeOther(request.app[PREFIX] + "/amelioration")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/copil", copil_page, name="copil")
    app.router.add_get(r"/copil/{month:\d{4}-\d{2}}.{fmt:xlsx|pdf}", copil_file)
    app.router.add_get("/amelioration", improvement, name="improvement")
    app.router.add_post("/amelioration", log_action)
