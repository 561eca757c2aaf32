"""Pages to edit what the bot says and the synthesis voice (tender §6.5, §5.3)."""

from __future__ import annotations

import re
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from ..dialog._speech import plain, ssml
from ._accounts import User
from ._app import ACCOUNTS, PREFIX, STORE, current_user, in_thread
from ._sentences import (
    REGION_KEYS,
    VENDORS,
    PublishedSentences,
    SentenceError,
    Sentences,
    check,
    check_evaluation,
    placeholders,
)

# Sample values for the preview of a sentence's placeholders.
SAMPLES = {"name": "Cavaillon", "department_phrase": "dans le Vaucluse", "postcode": "84300",
           "phone": "0490712345", "count": "3", "theme_words": "sur la mémoire",
           "ordinal": "Premier atelier", "title": "Mémoire en forme",
           "summary": "Des exercices pour entretenir sa mémoire.", "day": "mardi 8 décembre",
           "start": "14 heures", "end": "16 heures", "venue": "au foyer-logement",
           "city": "Cavaillon", "distance": "à 2 kilomètres", "scale": "5",
           "description": "Dix séances en petit groupe.", "options": "Saint-Rémy ou Lucé"}


def _region(request: web.Request, user: User, writing: bool = False) -> str:
    region = request.query.get("region", "")
    if region not in REGION_KEYS:
        raise web.HTTPBadRequest(text="Région inconnue.")
    if writing and not user.can_publish and region != (user.region or "-"):
        raise web.HTTPForbidden(text="Vous pouvez modifier les phrases de votre région seulement.")
    return region


def _preview(text: str, key: str) -> dict[str, str]:
    values = {name: SAMPLES.get(name, "…") for name in placeholders(text)}
    sentence = text.format(**values)
    return {"text": plain(sentence), "ssml": ssml([sentence])}


@aiohttp_jinja2.template("messages.html")
async def listing(request: web.Request) -> dict[str, Any]:
    user = current_user(request)
    region = _region(request, user)
    query = request.query.get("q", "").strip().lower()
    current = await in_thread(Sentences(request.app[STORE]).current, region)
    shown = {k: v for k, v in current.items()
             if not query or query in k.lower() or query in v["text"].lower()}
    return {"region": region, "regions": REGION_KEYS, "sentences": shown, "q": query}


async def _edit_context(request: web.Request, key: str, region: str, text: str | None = None,
                        error: str = "") -> dict[str, Any]:
    sentences = Sentences(request.app[STORE])
    current = await in_thread(sentences.current, region)
    if key not in current:
        raise web.HTTPNotFound(text="Phrase inconnue.")
    shown = text if text is not None else current[key]["text"]
    preview = {}
    if not error:
        try:
            preview = _preview(check(key, shown, region), key)
        except SentenceError as problem:
            error = str(problem)
    return {"key": key, "region": region, "entry": current[key], "text": shown,
            "error": error, "preview": preview,
            "fields": sorted(placeholders(current[key]["file"])),
            "history": await in_thread(sentences.history, region, key)}


@aiohttp_jinja2.template("message.html")
async def edit_page(request: web.Request) -> dict[str, Any]:
    user = current_user(request)
    return await _edit_context(request, request.match_info["key"], _region(request, user))


async def edit(request: web.Request) -> web.Response:
    user, key = current_user(request), request.match_info["key"]
    region = _region(request, user, writing=True)
    form = await request.post()
    action, text = str(form.get("action", "preview")), str(form.get("text", ""))
    sentences, accounts = Sentences(request.app[STORE]), request.app[ACCOUNTS]
    try:
        if action in ("save", "publish"):
            edit_id = await in_thread(sentences.save, region, key, text, user.login)
            await in_thread(accounts.audit, user.login, "sentence.draft",
                            f"{region or 'national'}:{key}")
            if action == "publish":
                await in_thread(sentences.publish, edit_id, user.login)
                await in_thread(accounts.audit, user.login, "sentence.published",
                                f"{region or 'national'}:{key}")
            raise web.HTTPSeeOther(f"{request.app[PREFIX]}/messages/{key}?region={region}")
        if action == "rollback":
            await in_thread(sentences.roll_back, region, key, user.login)
            await in_thread(accounts.audit, user.login, "sentence.rolled_back",
                            f"{region or 'national'}:{key}")
            raise web.HTTPSeeOther(f"{request.app[PREFIX]}/messages/{key}?region={region}")
        if action.startswith("publish:"):
            await in_thread(sentences.publish, int(action.split(":", 1)[1]), user.login)
            await in_thread(accounts.audit, user.login, "sentence.published",
                            f"{region or 'national'}:{key}")
            raise web.HTTPSeeOther(f"{request.app[PREFIX]}/messages/{key}?region={region}")
        context = await _edit_context(request, key, region, text)
    except (SentenceError, ValueError) as problem:
        context = await _edit_context(request, key, region, text, error=str(problem))
        return aiohttp_jinja2.render_template("message.html", request, context, status=422)
    return aiohttp_jinja2.render_template("message.html", request, context)


def voice_preview(settings: dict[str, str]) -> str:
    """The SSML a caller's first sentence gets with these settings."""
    document = ssml(["Bonjour, bienvenue sur ACOTEL.", "Je vous écoute."])
    document = re.sub(r'rate="[^"]*"', f'rate="{settings["rate"]}"', document)
    return document.replace('time="600ms"', f'time="{settings["pause_ms"]}ms"')


async def _voice_context(request: web.Request, region: str) -> dict[str, Any]:
    published = PublishedSentences()
    await in_thread(published.refresh, request.app[STORE])
    settings = published.voice(region)
    return {"region": region, "regions": REGION_KEYS, "settings": settings,
            "vendors": VENDORS, "error": "", "preview": voice_preview(settings)}


@aiohttp_jinja2.template("_preview.html")
async def preview(request: web.Request) -> dict[str, Any]:
    """The preview alone (htmx swaps it in place while the text is being edited)."""
    user, key = current_user(request), request.match_info["key"]
    region = _region(request, user)
    form = await request.post()
    context = await _edit_context(request, key, region, str(form.get("text", "")))
    return {**context, "partial": True}


@aiohttp_jinja2.template("voice.html")
async def voice_page(request: web.Request) -> dict[str, Any]:
    return await _voice_context(request, _region(request, current_user(request)))


async def voice(request: web.Request) -> web.Response:
    user = current_user(request)
    region = _region(request, user, writing=True)
    form = await request.post()
    settings = {k: str(form.get(k, "")).strip() for k in
                ("vendor", "language", "voice", "rate", "pause_ms")}
    try:
        await in_thread(Sentences(request.app[STORE]).set_voice, region, settings, user.login)
    except SentenceError as problem:
        context = await _voice_context(request, region)
        return aiohttp_jinja2.render_template("voice.html", request,
                                              {**context, "settings": settings,
                                               "error": str(problem)}, status=422)
    await in_thread(request.app[ACCOUNTS].audit, user.login, "voice.published",
                    f"{region or 'national'}: {settings}")
    raise web.HTTPSeeOther(f"{request.app[PREFIX]}/voix?region={region}")


async def _evaluation_context(request: web.Request, region: str) -> dict[str, Any]:
    settings = await in_thread(Sentences(request.app[STORE]).evaluation, region)
    return {"region": region, "regions": REGION_KEYS, "error": "", "scale": settings["scale"],
            "bad_at_most": settings["bad_at_most"],
            "questions": "\n".join(settings["questions"])}


@aiohttp_jinja2.template("evaluation.html")
async def evaluation_page(request: web.Request) -> dict[str, Any]:
    return await _evaluation_context(request, _region(request, current_user(request)))


async def evaluation(request: web.Request) -> web.Response:
    user = current_user(request)
    region = _region(request, user, writing=True)
    form = await request.post()
    fields = {k: str(form.get(k, "")) for k in ("scale", "bad_at_most", "questions")}
    try:
        settings = check_evaluation(fields["scale"], fields["bad_at_most"], fields["questions"])
    except SentenceError as problem:
        context = await _evaluation_context(request, region)
        return aiohttp_jinja2.render_template("evaluation.html", request,
                                              {**context, **fields, "error": str(problem)},
                                              status=422)
    await in_thread(Sentences(request.app[STORE]).publish_evaluation, region, settings,
                    user.login)
    await in_thread(request.app[ACCOUNTS].audit, user.login, "evaluation.published",
                    f"{region or 'national'}: {settings}")
    raise web.HTTPSeeOther(f"{request.app[PREFIX]}/evaluation?region={region}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/evaluation", evaluation_page, name="evaluation")
    app.router.add_post("/evaluation", evaluation)
    app.router.add_get("/messages", listing, name="messages")
    app.router.add_get(r"/messages/{key:[a-z0-9_]+}", edit_page, name="message")
    app.router.add_post(r"/messages/{key:[a-z0-9_]+}", edit)
    app.router.add_post(r"/messages/{key:[a-z0-9_]+}/apercu", preview)
    app.router.add_get("/voix", voice_page, name="voice")
    app.router.add_post("/voix", voice)
