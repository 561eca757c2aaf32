"""The search: the kind of workshop asked for first, the ladder widened for it; the other
kinds near home when there is none, if the caller wishes (the refine step)."""

from __future__ import annotations

from acotel_geo import Step, Theme, search

from .._intents import Intent
from .._kinds import chosen_kind
from .._results import found_dict
from .._turn import Context, Go, Transition, ask
from ._common import MAX_PRESENTED, MODULE_THEMES, kind_words, not_understood, take_kind, today
from ._location import out_of_scope


def run_search(ctx: Context) -> Transition:
    """The requested kind first, widening the ladder for it; the whole theme group only
    when it is nowhere within 50 km and 8 weeks, and with the caller's agreement."""
    request, results, place = ctx.state.request, ctx.state.results, ctx.state.location.place
    if place.get("region") == "autre":
        return out_of_scope(ctx)
    if request.module and request.module in MODULE_THEMES:
        return search_kind(ctx)
    theme = Theme(request.theme) if request.theme else None
    result = search(ctx.engine.catalogue(), place["lat"], place["lon"], today(ctx),
                    theme=theme, limit=MAX_PRESENTED * 3)
    results.searches += 1
    if result.widened:
        ctx.say("searching_wider")
    found = list(result.workshops)
    if found:
        results.search_step = len(result.steps_tried)
    if not found:
        ctx.say("nothing_found")
        ctx.say("regional_contact")
        return ask("after")
    results.found_any = True
    results.items = [found_dict(f) for f in found[:MAX_PRESENTED]]
    results.presented = 0
    kinds = list(dict.fromkeys(f.workshop.module for f in found))
    words = ctx.messages.value("kind_words")
    if len(found) > 2 and len(kinds) > 1 and not results.refine_offered:
        results.refine_offered = True
        named = [str(words[k]) for k in kinds[:4] if k in words]  # "de gym douce", "pour…"
        themes = ", ou ".join((", ".join(named[:-1]), named[-1])) if len(named) > 1 else (
            "".join(named))
        return ask("refine", "offer_refine", themes=themes)
    count = len(results.items)
    ctx.say("found_one" if count == 1 else "found_count", count=count)
    return Go("present_next")


def search_kind(ctx: Context) -> Transition:
    request, results, place = ctx.state.request, ctx.state.results, ctx.state.location.place
    catalogue, moment = ctx.engine.catalogue(), today(ctx)
    results.searches += 1
    result = search(catalogue, place["lat"], place["lon"], moment,
                    limit=MAX_PRESENTED, modules=(request.module,))
    kind = list(result.workshops)
    if kind:
        results.search_step = len(result.steps_tried)
        if result.widened:
            ctx.say("searching_wider")
        results.found_any = True
        results.items = [found_dict(f) for f in kind[:MAX_PRESENTED]]
        results.presented = 0
        count = len(results.items)
        ctx.say("found_kind_one" if count == 1 else "found_kind", count=count,
                kind_words=kind_words(ctx))
        return Go("present_next")
    ctx.say("kind_not_found", kind_words=kind_words(ctx))
    group = search(catalogue, place["lat"], place["lon"], moment,
                   theme=Theme(request.theme) if request.theme else None, limit=MAX_PRESENTED)
    if not group.workshops:
        group = search(catalogue, place["lat"], place["lon"], moment,
                       limit=MAX_PRESENTED)
    if not group.workshops:
        ctx.say("nothing_found")
        ctx.say("regional_contact")
        return ask("after")
    results.items = [found_dict(f) for f in group.workshops[:MAX_PRESENTED]]
    results.presented = 0
    return ask("refine", "offer_other_kinds")


# Where a caller who holds to one kind of workshop is told of the nearest (tender §5: the
# 50 km / 8 weeks ladder first; beyond it, only for the kind asked, and said as such).
FARTHER = (Step(radius_km=80, weeks=12), Step(radius_km=120, weeks=26))


def search_farther(ctx: Context) -> Transition | None:
    """The requested kind beyond the ladder, once: "Le plus proche est plus loin, ou plus
    tard", then the usual presentation (its distance and date are said)."""
    request, results, place = ctx.state.request, ctx.state.results, ctx.state.location.place
    if results.searched_farther or not request.module:
        return None
    results.searched_farther = True
    result = search(ctx.engine.catalogue(), place["lat"], place["lon"], today(ctx),
                    ladder=FARTHER, limit=MAX_PRESENTED, modules=(request.module,))
    if not result.workshops:
        return None
    results.found_any = True
    results.items = [found_dict(f) for f in result.workshops[:MAX_PRESENTED]]
    results.presented = 0
    ctx.say("found_kind_farther", kind_words=kind_words(ctx))
    return Go("present_next")


def on_refine(ctx: Context, intent: Intent) -> Transition:
    """After "no workshop of that kind": the other kinds near home, if the caller wishes."""
    results = ctx.state.results
    if chosen_kind(ctx.event.text) == ctx.state.request.module and not results.found_any:
        # The kind just not found, asked again: the caller holds to it. The nearest of
        # that kind further away or later, said as such; else the answer again in other
        # words, then the way out.
        farther = search_farther(ctx)
        if farther is not None:
            return farther
        ctx.state.dialog.misunderstood += 1
        if ctx.state.dialog.misunderstood >= 2:
            ctx.say("regional_contact")
            return ask("after")
        return ask("refine", "kind_still_none", kind_words=kind_words(ctx))
    if take_kind(ctx):
        return run_search(ctx)
    if intent.name in ("affirm", "theme_any", "next", "more_info", "dont_know") or (
            intent.name == "deny" and results.found_any):
        results.found_any = True
        return Go("present_next")
    if intent.name in ("deny", "goodbye", "stop"):
        ctx.say("regional_contact")
        return ask("after")
    return not_understood(ctx)
