"""The steering web app (tender §6.5), an aiohttp sub-app mounted under ``/admin``:
server-rendered French pages, htmx and Chart.js served from ``static/vendor`` (no CDN),
session cookies, a CSRF token on every form, throttled logins, an audit log."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from ..records import RecordStore
from ._accounts import Accounts, User

HERE = Path(__file__).resolve().parent
COOKIE = "acotel_admin"
ACCOUNTS: web.AppKey[Accounts] = web.AppKey("accounts", Accounts)
STORE: web.AppKey[RecordStore] = web.AppKey("store", RecordStore)
PREFIX: web.AppKey[str] = web.AppKey("prefix", str)
USER: web.RequestKey[User] = web.RequestKey("user", User)
CSRF: web.RequestKey[str] = web.RequestKey("csrf", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC = ("/login", "/static/")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
                               " script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def is_https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def current_user(request: web.Request) -> User:
    return request[USER]


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Database work off the event loop: callers' turns share it."""
    return await asyncio.to_thread(function, *args)


@web.middleware
async def security(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Who is asking (a session), whether a form carries its CSRF token, and the headers
    every page carries."""
    path = request.path.removeprefix(request.app[PREFIX])
    if not path.startswith(PUBLIC):
        token = request.cookies.get(COOKIE, "")
        found = await in_thread(request.app[ACCOUNTS].session, token) if token else None
        if found is None:
            if request.method == "GET" and "HX-Request" not in request.headers:
                raise web.HTTPSeeOther(request.app[PREFIX] + "/login?next=" + path)
            raise web.HTTPUnauthorized(text="Session expirée : reconnectez-vous.")
        request[USER], request[CSRF] = found
        if request.method == "POST":
            form = await request.post()
            sent = str(form.get("csrf", "")) or request.headers.get("X-CSRF-Token", "")
            if sent != request[CSRF]:
                raise web.HTTPForbidden(text="Jeton de formulaire invalide : rechargez la page.")
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_admin_app(store: RecordStore, prefix: str = "/admin",
                     heldout: Path | None = None) -> web.Application:
    """The steering app over ``store`` (records, accounts, audit), to be mounted with
    ``app.add_subapp(prefix, create_admin_app(store))``; ``heldout``: the understanding's
    held-out set (``benchmarks/understanding/heldout_test.jsonl`` by default)."""
    from . import _improve, _sentence_views, _understanding_views, _views

    app = web.Application(middlewares=[security], client_max_size=256 * 1024)
    app[PREFIX] = prefix
    app[STORE] = store
    app[ACCOUNTS] = Accounts(store)
    env = aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        context_processors=[_views.page_context])
    env.globals["prefix"] = prefix
    env.filters.update(_views.FILTERS)
    env.filters.update(_understanding_views.FILTERS)
    _views.add_routes(app)
    _improve.add_routes(app)
    _understanding_views.add_routes(app, heldout)
    _sentence_views.add_routes(app)
    app.router.add_static("/static/", HERE / "static", name="static")
    return app
