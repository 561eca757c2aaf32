"""The end of the call: another search or not (step ``after``), the leave-taking, and the
evaluation questions of the message file (tender §5.1: editable)."""

from __future__ import annotations

from acotel_geo import Status

from .._intents import Intent, normalize
from .._moves import ACKNOWLEDGED, RESIGNED, read_moves
from .._phone import mask_text
from .._turn import Ask, Context, End, Go, Stay, Transition, ask
from ._common import not_understood, take_kind
from ._location import handle_resolution
from ._request import on_theme


def on_after(ctx: Context, intent: Intent) -> Transition:
    state = ctx.state
    norm = normalize(ctx.event.text)
    if not state.location.place and ctx.event.type == "speech":
        town = ctx.engine.resolver.resolve(ctx.event.text)
        if town.status in (Status.RESOLVED, Status.AMBIGUOUS) and not (
                RESIGNED.search(norm) or ACKNOWLEDGED.match(norm)
                or "goodbye" in read_moves(ctx.event.text, "after")):
            state.location.tries += 1  # "non, Mâcon": the town said again, or another one
            return handle_resolution(ctx, town)
    if not state.location.place and not take_kind(ctx) and (RESIGNED.search(norm) or (
            ACKNOWLEDGED.match(norm) and not norm.startswith("oui"))):
        return leave(ctx)  # outside the four regions, "ah bon, tant pis": nothing more
    if intent.name in ("new_search", "affirm") or (intent.theme and intent.name != "theme_any"):
        state.request.theme_chosen = False
        state.results.refine_offered, state.results.items = False, []
        if not state.location.place:  # after "not in the four regions": another town
            return ask("location")
        if take_kind(ctx):
            return Go("search")
        if intent.theme and intent.theme[0] is not None:
            return on_theme(ctx, intent)
        return ask("theme")
    if intent.name in ("deny", "goodbye", "stop"):
        return leave(ctx)
    return not_understood(ctx)


def leave(ctx: Context) -> Transition:
    """The leave-taking, then the evaluation."""
    ctx.state.outcome.reached_goodbye = True
    ctx.say("goodbye")
    ctx.say("evaluation_intro")
    return ask_evaluation(ctx)


def ask_evaluation(ctx: Context) -> Transition:
    """The next evaluation question of the message file (tender §5.1: editable)."""
    settings = ctx.messages.value("evaluation")
    asked = settings["questions"][len(ctx.state.outcome.evaluation)]
    question = asked.format(scale=settings["scale"])
    return Ask("evaluation", text=question)


_SPOKEN_DIGITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                  "sept": 7, "huit": 8, "neuf": 9, "dix": 10}


def _article_one(words: list[str], i: int) -> bool:
    """"une bonne journée": "une" is an article there, not the mark 1."""
    return words[i] in ("un", "une") and i + 1 < len(words) and words[i + 1] not in (
        "sur", "etoile", "etoiles", "point", "points", "seul", "seule")


def spoken_mark(ctx: Context) -> int | None:
    """The mark in the answer to an evaluation question, or None."""
    said = ctx.event.digits or normalize(ctx.event.text)
    top = int(ctx.messages.value("evaluation")["scale"])
    words = said.split()
    numbers = [int(t) if t.isdigit() else _SPOKEN_DIGITS[t] for i, t in enumerate(words)
               if ((t.isdigit() and 1 <= int(t) <= 10) or t in _SPOKEN_DIGITS)
               and not _article_one(words, i)]
    # "je vous mets 5" on a scale of 4: the caller means the best mark
    return min(numbers[0], top) if numbers else None


def on_evaluation(ctx: Context, intent: Intent) -> Transition:
    state = ctx.state
    settings = ctx.messages.value("evaluation")
    score = spoken_mark(ctx)
    if score is None and (intent.name in ("goodbye", "stop") or "goodbye" in read_moves(
            ctx.event.text, "evaluation")):
        ctx.say("evaluation_skipped")  # "au revoir": no mark wanted, the call ends kindly
        return End("done")
    if score is None:
        if state.dialog.misunderstood:
            ctx.say("evaluation_thanks")
            return End("done")
        state.dialog.misunderstood += 1
        ctx.say("evaluation_not_understood", scale=settings["scale"])
        return Stay()
    state.outcome.evaluation.append(score)
    state.dialog.misunderstood = 0
    if score <= settings["bad_at_most"] and not state.outcome.evaluation_reason:
        return ask("evaluation_reason")
    if len(state.outcome.evaluation) < len(settings["questions"]):
        return ask_evaluation(ctx)
    ctx.say("evaluation_thanks")
    return End("done")


def on_evaluation_reason(ctx: Context, intent: Intent) -> Transition:
    ctx.state.outcome.evaluation_reason = mask_text(ctx.event.text) or "-"
    if len(ctx.state.outcome.evaluation) < len(ctx.messages.value("evaluation")["questions"]):
        return ask_evaluation(ctx)
    ctx.say("evaluation_thanks")
    return End("done")
