"""Pages of the understanding's continuous improvement (tender §5.19): assign what the
bot did not understand, retrain and evaluate on the held-out set, publish, roll back.
Every change goes to the audit log and to the improvement actions' log."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from ..dialog._intents import intent_names
from ._accounts import User
from ._app import ACCOUNTS, PREFIX, STORE, current_user, in_thread
from ._copil import add_action
from ._understanding import INTENT_NAMES, Understanding, UnderstandingError, live

HELDOUT: web.AppKey[Path | None] = web.AppKey("heldout")
TRAINING: web.AppKey[asyncio.Lock] = web.AppKey("training", asyncio.Lock)
RETRAIN_TIMEOUT_S = 180.0


def _points(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f} pt".replace(".", ",").replace("+0,0", "0,0")


def _intent_name(key: str) -> str:
    return INTENT_NAMES.get(key, key)


FILTERS = {"points": _points, "intent_name": _intent_name}


def _writer(request: web.Request) -> User:
    user = current_user(request)
    if not user.can_publish:
        raise web.HTTPForbidden(text="Réservé aux comptes CNAV, AMOA et administrateur.")
    return user


async def _log(request: web.Request, user: User, action: str, title: str,
               detail: str = "") -> None:
    """The audit log and the improvement actions' log."""
    await in_thread(request.app[ACCOUNTS].audit, user.login, action, f"{title} {detail}")
    await in_thread(add_action, request.app[STORE], user.login, title, detail)


async def _context(request: web.Request, error: str = "",
                   form: dict[str, str] | None = None) -> dict[str, Any]:
    understanding = Understanding(request.app[STORE])
    shown = request.query.get("evaluation", "")
    run = await in_thread(understanding.run, int(shown) if shown.isdigit() else None)
    version, _content = await in_thread(live, request.app[STORE])
    return {"assignments": await in_thread(understanding.assignments), "run": run,
            "versions": await in_thread(understanding.versions), "live": version,
            "intents": intent_names(), "error": error, "form": form or {}}


def _page(request: web.Request) -> str:
    return request.app[PREFIX] + "/comprehension"


@aiohttp_jinja2.template("understanding.html")
async def page(request: web.Request) -> dict[str, Any]:
    return await _context(request)


async def _refused(request: web.Request, error: str, status: int,
                   form: dict[str, str] | None = None) -> web.Response:
    context = await _context(request, error, form)
    return aiohttp_jinja2.render_template("understanding.html", request, context, status=status)


async def assign(request: web.Request) -> web.Response:
    user = _writer(request)
    form = {k: str(v) for k, v in (await request.post()).items() if k != "csrf"}
    service = None
    if form.get("kind") == "service":
        service = (form.get("name", ""), form.get("words", ""), form.get("answer", ""))
    try:
        done = await in_thread(Understanding(request.app[STORE]).assign, user.login,
                               form.get("examples", ""), form.get("intent", ""), service)
    except UnderstandingError as error:
        return await _refused(request, str(error), 400, form)
    said = done["examples"]
    detail = f"{len(said)} formulation(s) : " + " ; ".join(said[:5])
    if done["service"]:
        title = f"Nouvelle réponse « autre service » : {done['service']['name']} (brouillon)"
    else:
        title = (f"Groupe « {said[0]} » affecté à l'intention "
                 f"« {INTENT_NAMES.get(done['target'], done['target'])} » (brouillon)")
    await _log(request, user, "understanding.assigned", title, detail)
    raise web.HTTPSeeOther(_page(request))


async def withdraw(request: web.Request) -> web.Response:
    user = _writer(request)
    form = await request.post()
    try:
        gone = await in_thread(Understanding(request.app[STORE]).withdraw,
                               int(str(form.get("assignment", "0")) or 0))
    except (UnderstandingError, ValueError):
        return await _refused(request, "Affectation introuvable.", 404)
    await _log(request, user, "understanding.withdrawn",
               f"Affectation n° {gone['id']} retirée ({gone['target']})")
    raise web.HTTPSeeOther(_page(request))


async def retrain(request: web.Request) -> web.Response:
    user = _writer(request)
    lock = request.app[TRAINING]
    if lock.locked():
        return await _refused(request, "Un entraînement est déjà en cours : patientez.", 409)
    understanding = Understanding(request.app[STORE])
    async with lock:
        try:
            run_id = await asyncio.wait_for(asyncio.to_thread(
                understanding.retrain, user.login, request.app[HELDOUT]), RETRAIN_TIMEOUT_S)
        except TimeoutError:
            return await _refused(request, f"L'entraînement a dépassé {RETRAIN_TIMEOUT_S:.0f} s :"
                                  " réessayez plus tard.", 503)
        except UnderstandingError as error:
            return await _refused(request, str(error), 500)
    run = await in_thread(understanding.run, run_id)
    report = run["report"]
    before, after = report["published"]["accuracy"], report["candidate"]["accuracy"]
    verdict = ("publiable" if not run["refusals"] else
               "publication refusée : " + " ".join(run["refusals"]))
    await _log(request, user, "understanding.retrained",
               f"Réentraînement et évaluation n° {run_id}",
               f"exactitude sur le jeu de test : publiée {_pct(before)}, candidate {_pct(after)} ;"
               f" {verdict}")
    raise web.HTTPSeeOther(_page(request) + f"?evaluation={run_id}#evaluation")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


async def publish(request: web.Request) -> web.Response:
    user = _writer(request)
    form = await request.post()
    run_id = int(str(form.get("run", "0")) or 0) if str(form.get("run", "")).isdigit() else 0
    understanding = Understanding(request.app[STORE])
    async with request.app[TRAINING]:  # one publication at a time
        try:
            version = await in_thread(understanding.publish, run_id, user.login)
        except UnderstandingError as error:
            return await _refused(request, str(error), 409)
    run = await in_thread(understanding.run, run_id)
    content = run["content"] if run else {"examples": [], "services": []}
    await _log(request, user, "understanding.published",
               f"Compréhension publiée : version n° {version} (évaluation n° {run_id})",
               f"{len(content['examples'])} exemple(s) ajouté(s) au corpus,"
               f" {len(content['services'])} réponse(s) « autre service »")
    raise web.HTTPSeeOther(_page(request) + "#versions")


async def roll_back(request: web.Request) -> web.Response:
    user = _writer(request)
    form = await request.post()
    target = str(form.get("version", ""))
    if not target.isdigit():
        raise web.HTTPBadRequest(text="Version inconnue.")
    async with request.app[TRAINING]:
        try:
            version = await in_thread(Understanding(request.app[STORE]).roll_back,
                                      int(target), user.login)
        except UnderstandingError as error:
            return await _refused(request, str(error), 409)
    await _log(request, user, "understanding.rolled_back",
               f"Compréhension : retour à la version n° {target} (publiée comme n° {version})")
    raise web.HTTPSeeOther(_page(request) + "#versions")


def add_routes(app: web.Application, heldout: Path | None = None) -> None:
    app[HELDOUT] = heldout
    app[TRAINING] = asyncio.Lock()
    app.router.add_get("/comprehension", page, name="understanding")
    app.router.add_post("/comprehension/affecter", assign)
    app.router.add_post("/comprehension/retirer", withdraw)
    app.router.add_post("/comprehension/reentrainer", retrain)
    app.router.add_post("/comprehension/publier", publish)
    app.router.add_post("/comprehension/revenir", roll_back)
