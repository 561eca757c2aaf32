"""The results: each workshop presented for the ear (what, when, where, price), then the
number to register or the next one; the caller's questions about it answered from the
catalogue record (steps ``offer_number`` and ``results``)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from acotel_geo import Resolution, Status

from .._intents import Intent, normalize
from .._kinds import chosen_kind
from .._moves import FROM_START, PREVIOUS, says_yes
from .._results import answer as answer_question
from .._results import question_in, when_words, where_sentence
from .._speech import spoken_price, spoken_time
from .._turn import Ask, Context, Go, Stay, Transition, ask
from ._common import take_kind, today
from ._location import handle_resolution


def workshop_sentences(ctx: Context, w: dict[str, Any], index: int) -> list[str]:
    """Key facts first, in short sentences: what, when, where (with the address), price."""
    day, start, end = w["sessions"][0]
    m = ctx.messages
    ordinal = m.value("ordinals")[index]
    title = w["title"]
    introduction = (
        m.text("present_workshop", ordinal=ordinal, title=title.removeprefix("Atelier "),
               summary=w["summary"]) if title.startswith("Atelier ") else
        m.text("present_workshop_titled", ordinal=ordinal, title=title, summary=w["summary"]))
    return [
        introduction,
        m.text("present_when", day=when_words(date.fromisoformat(day), today(ctx).date()),
               start=spoken_time(time.fromisoformat(start)),
               end=spoken_time(time.fromisoformat(end))),
        where_sentence(m, w, at_venue(w["venue"])),
        spoken_price(Decimal(w["price"])),
    ]


_MASCULINE = ("centre", "foyer", "club", "local", "gymnase", "stade", "cinéma", "musée")


def at_venue(venue: str) -> str:
    """"à la Médiathèque", "au Centre social", "à l'Espace seniors"."""
    first = venue.split()[0].lower() if venue else ""
    first = first.split("-")[0]  # "Foyer-logement" is a "foyer"
    if first in ("le", "la", "les", "l'") or venue.lower().startswith(("l'", "l’")):
        return f"à {venue[0].lower()}{venue[1:]}".replace("à le ", "au ").replace(
            "à les ", "aux ")
    if first[:1] in "aeéèêiîouyh":
        return f"à l'{venue}"
    return f"au {venue}" if first in _MASCULINE else f"à la {venue}"


def present_next(ctx: Context) -> Transition:
    """The next workshop found, and the number offered; the SMS when none is left."""
    results = ctx.state.results
    if results.presented >= len(results.items):
        ctx.say("no_more_workshops")
        return Go("offer_sms")
    sentences = workshop_sentences(ctx, results.items[results.presented], results.presented)
    results.presented += 1
    return replace(ask_about_current(ctx, "number"), recap=tuple(sentences))


def ask_about_current(ctx: Context, what: str) -> Ask:
    """After a workshop: the number to register (step ``offer_number``), or the next one
    (step ``results``)."""
    results = ctx.state.results
    results.question = what
    if what == "number":
        more = results.presented < len(results.items)
        return ask("offer_number", "offer_number_or_next" if more else "offer_number")
    return ask("results", "offer_next")


def give_number(ctx: Context, w: dict[str, Any]) -> Transition:
    results = ctx.state.results
    ctx.say("give_number", phone=w["contact_phone"])
    if results.presented < len(results.items):
        return ask_about_current(ctx, "next")
    return Go("offer_sms")


TOO_FAR = re.compile(r"\btrop loin\b|\bpas (?:la|le) bon (?:jour|moment)\b|\bpas libre\b|"
                     r"\bpas disponible\b|\bca tombe mal\b")
PLACE_CUE = re.compile(r"\b(?:habite|habitent|vit|vis|vivent|j suis|je suis a|c est a|"
                       r"plutot a|pas a|non a|a cote de|pres de|c est pour ma|c est pour mon)\b")


def elsewhere(ctx: Context) -> Resolution | None:
    """Another town said while the results are read, with words that say it is where
    the caller (or the person the call is for) lives."""
    text = ctx.event.text
    if not PLACE_CUE.search(normalize(text)):
        return None
    resolution = ctx.engine.resolver.resolve(text)
    place = ctx.state.location.place
    if resolution.status is Status.RESOLVED and resolution.best is not None and \
            resolution.best.insee != place.get("insee"):
        return resolution
    return None


def on_results(ctx: Context, intent: Intent) -> Transition:
    results = ctx.state.results
    current = results.items[results.presented - 1]
    norm = normalize(ctx.event.text)
    if PREVIOUS.search(norm) and results.presented > 1:
        results.presented -= 2  # "et l'autre, celui d'avant ?": that one again
        return Go("present_next")
    if FROM_START.search(norm):
        results.presented -= 1  # "vous pouvez reprendre depuis le début ?"
        return Go("present_next")
    question = question_in(ctx.event.text)
    kind = chosen_kind(ctx.event.text)
    if kind and kind != ctx.state.request.module and question == "":
        take_kind(ctx)  # "non, plutôt le sommeil"
        results.items = []
        return Go("search")
    if question == "" and TOO_FAR.search(normalize(ctx.event.text)):
        return Go("present_next")  # "non, c'est trop loin": the next one, if any
    moved = elsewhere(ctx) if question == "" else None
    if moved is not None:  # "non pardon, c'est pour ma mère, elle habite à Beaune"
        results.items = []
        ctx.state.location.tries += 1
        return handle_resolution(ctx, moved)
    if question in ("ask_number", "ask_register") or (results.question == "number" and not (
            question) and (intent.name == "affirm" or says_yes(ctx.event.text))):
        if question == "ask_register":
            ctx.sentences.extend(answer_question(ctx.messages, question, current,
                                                 at_venue(current["venue"]), today(ctx).date()))
        return give_number(ctx, current)
    if question:
        ctx.sentences.extend(answer_question(ctx.messages, question, current,
                                             at_venue(current["venue"]), today(ctx).date()))
        return ask_about_current(ctx, results.question or "number")
    if intent.name == "more_info":
        ctx.say("more_info", description=current["description"])
        ctx.say("more_info_call", phone=current["contact_phone"])
        return ask_about_current(ctx, results.question or "number")
    if intent.name in ("next", "new_search") or (
            intent.name == "affirm" and results.question == "next"):
        return Go("present_next")
    if intent.name in ("deny", "goodbye", "theme_any", "next", "affirm"):
        return Go("offer_sms")
    ctx.say("results_choice")
    return Stay(listen_as="results")
