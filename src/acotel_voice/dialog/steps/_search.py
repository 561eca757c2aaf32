"""The search: the kind of workshop asked for first, the ladder widened for it; the other
kinds near home when there is none, if the caller wishes (the refine step)."""

from __future__ import annotations

from acotel_geo import Theme, search

from .._intents import Intent
from .._results import found_dict
from .._turn import Context, Go, Transition, ask
from ._common import MAX_PRESENTED, MODULE_THEMES, kind_words, not_understood, take_kind, today
from ._location import out_of_scope


def run_search(ctx: Context) -> Transition:
    """The requested kind first, widening the ladder for it; the whole theme group only
    when it is nowhere within 50 km and 8 weeks, and with the caller's agreement."""
    state = ctx.state
    if state.location.get("region") == "autre":
        return out_of_scope(ctx)
    if state.module and state.module in MODULE_THEMES:
        return search_kind(ctx)
    location = state.location
    theme = Theme(state.theme) if state.theme else None
    result = search(ctx.engine.catalogue(), location["lat"], location["lon"], today(ctx),
                    theme=theme, limit=MAX_PRESENTED * 3)
    state.searches += 1
    if result.widened:
        ctx.say("searching_wider")
    found = list(result.workshops)
    if found:
        state.search_step = len(result.steps_tried)
    if not found:
        ctx.say("nothing_found")
        ctx.say("regional_contact")
        return ask("after")
    state.found_any = True
    state.results = [found_dict(f) for f in found[:MAX_PRESENTED]]
    state.presented = 0
    kinds = list(dict.fromkeys(f.workshop.module for f in found))
    words = ctx.messages.value("kind_words")
    if len(found) > 2 and len(kinds) > 1 and not state.refine_offered:
        state.refine_offered = True
        named = [str(words[k]).split(" ", 1)[1] for k in kinds[:4] if k in words]
        return ask("refine", "offer_refine", themes=", ".join(named))
    count = len(state.results)
    ctx.say("found_one" if count == 1 else "found_count", count=count)
    return Go("present_next")


def search_kind(ctx: Context) -> Transition:
    state, location = ctx.state, ctx.state.location
    catalogue, moment = ctx.engine.catalogue(), today(ctx)
    state.searches += 1
    result = search(catalogue, location["lat"], location["lon"], moment,
                    limit=MAX_PRESENTED, modules=(state.module,))
    kind = list(result.workshops)
    if kind:
        state.search_step = len(result.steps_tried)
        if result.widened:
            ctx.say("searching_wider")
        state.found_any = True
        state.results = [found_dict(f) for f in kind[:MAX_PRESENTED]]
        state.presented = 0
        count = len(state.results)
        ctx.say("found_kind_one" if count == 1 else "found_kind", count=count,
                kind_words=kind_words(ctx))
        return Go("present_next")
    ctx.say("kind_not_found", kind_words=kind_words(ctx))
    group = search(catalogue, location["lat"], location["lon"], moment,
                   theme=Theme(state.theme) if state.theme else None, limit=MAX_PRESENTED)
    if not group.workshops:
        group = search(catalogue, location["lat"], location["lon"], moment,
                       limit=MAX_PRESENTED)
    if not group.workshops:
        ctx.say("nothing_found")
        ctx.say("regional_contact")
        return ask("after")
    state.results = [found_dict(f) for f in group.workshops[:MAX_PRESENTED]]
    state.presented = 0
    return ask("refine", "offer_other_kinds")


def on_refine(ctx: Context, intent: Intent) -> Transition:
    """After "no workshop of that kind": the other kinds near home, if the caller wishes."""
    state = ctx.state
    if take_kind(ctx):
        return run_search(ctx)
    if intent.name in ("affirm", "theme_any", "next", "more_info", "dont_know") or (
            intent.name == "deny" and state.found_any):
        state.found_any = True
        return Go("present_next")
    if intent.name in ("deny", "goodbye", "stop"):
        ctx.say("regional_contact")
        return ask("after")
    return not_understood(ctx)
