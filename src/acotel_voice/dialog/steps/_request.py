"""The request: the open question (what the caller is looking for, a town said with it),
and the theme question asked once the town is known."""

from __future__ import annotations

import re

from acotel_geo import Status

from .._intents import Intent, normalize
from .._kinds import chosen_kind
from .._moves import ACKNOWLEDGED, DONE, MORE, PLAIN_YES, says_yes
from .._turn import Context, End, Go, Stay, Transition, ask
from ._common import kind_words, not_understood, take_kind, understood
from ._location import abroad, handle_resolution, next_after_location, out_of_scope, set_location

# "J'habite dans la Nièvre" says where, not what: "habite" is no wish for the habitat.
PLACE_STATEMENT = re.compile(
    r"\bj habite\b|\bje (?:suis|vis|reside|demeure) (?:a|au|aux|dans|en)\b")


# "Ce que vous avez", "je suis pas difficile": any workshop will do.
ANY_WORKSHOP = re.compile(r"(?<!sais pas )(?<!connais pas )\bce que vous avez\b(?!.*\bdites)|"
                          r"\bpas difficile\b|\bn importe (?:quoi|lequel|"
                          r"laquelle|quel|quelle)\b|\bpeu importe\b|\btout m interesse\b|"
                          r"\bqu importe\b")


def on_request(ctx: Context, intent: Intent) -> Transition:
    state, request = ctx.state, ctx.state.request
    theme = intent.theme
    if theme is not None and intent.source == "model" and PLACE_STATEMENT.search(
            normalize(ctx.event.text)) and not chosen_kind(ctx.event.text):
        theme = None  # the model's guess on words of a place
    if ANY_WORKSHOP.search(normalize(ctx.event.text)) and not chosen_kind(ctx.event.text):
        # "ce que vous avez, je suis pas difficile", "n'importe quel atelier": any kind
        request.theme, request.module, request.theme_chosen = "", "", True
        understood(ctx)
        ctx.say("request_understood")
        town = ctx.engine.resolver.resolve(ctx.event.text)
        if town.status is Status.RESOLVED and town.best is not None:
            state.location.tries += 1  # "n'importe lequel, à Dijon"
            return handle_resolution(ctx, town)
        return ask("location")
    if state.outcome.off_topic and not request.theme_chosen and not state.results.searches \
            and not chosen_kind(ctx.event.text):
        # Another service was answered, then a workshop offered: only a plain yes (or a
        # town) starts a search; "je vais les appeler, merci" is not one.
        norm = normalize(ctx.event.text)
        if intent.name in ("deny", "goodbye") or (
                DONE.search(norm) and not MORE.search(norm) and not PLAIN_YES.match(norm)):
            return Go("goodbye")  # "ah d'accord, c'est la mairie, bon merci": done
        if intent.name == "dont_know" or re.search(
                r"\bdites moi\b|\bqu est ce (?:que vous|qu il y) a\b|\bc est quoi\b", norm):
            ctx.say("objection_what")  # "je sais pas ce que vous avez, dites-moi"
            return ask("request")
        if intent.name == "repeat" or re.search(r"\bnumero\b|\brepet", norm):
            ctx.say(state.outcome.services_given[-1])  # the service's number, again
            return ask("request", "back_to_search_yes_no")
        plain_yes = (says_yes(ctx.event.text) and not ACKNOWLEDGED.match(norm)) or \
            intent.name in ("request_workshop", "theme_any")
        if not plain_yes and ctx.engine.resolver.resolve(ctx.event.text).status \
                is not Status.RESOLVED:
            if state.dialog.misunderstood:  # asked plainly already: no workshop wanted
                return Go("goodbye")
            state.dialog.misunderstood += 1
            return ask("request", "back_to_search_yes_no")
    if take_kind(ctx):
        understood(ctx)
        ctx.say("request_theme_understood", theme_words=kind_words(ctx))
    elif theme is not None and intent.name != "theme_any":
        request.theme, request.module, request.theme_chosen = str(theme[0]), theme[1], True
        understood(ctx)
        ctx.say("request_theme_understood",
                theme_words=ctx.messages.value("theme_words")[request.theme])
    elif intent.name in ("request_workshop", "affirm", "theme_any") or (
            intent.name not in ("deny", "goodbye", "stop", "dont_know")
            and re.search(r"\bateliers?\b", normalize(ctx.event.text))):
        understood(ctx)  # "c'est pour les ateliers, le papier de la mairie"
        ctx.say("request_understood")
    if request.understood and intent.name != "affirm":
        town = ctx.engine.resolver.resolve(ctx.event.text)  # "un atelier mémoire à Avignon"
        if abroad(town, ctx.event.text):
            return out_of_scope(ctx)
        if town.status is Status.RESOLVED and not town.confirm and town.best is not None:
            set_location(ctx, town.best)
            return next_after_location(ctx)
        if town.status is Status.RESOLVED and town.best is not None:
            state.location.tries += 1  # said early: confirmed, never asked again
            return handle_resolution(ctx, town)
    if request.understood:
        return ask("location")
    if intent.name == "dont_know":
        if state.dialog.misunderstood:  # "je sais pas, dites-moi" again: any workshop
            understood(ctx)
            ctx.say("request_understood")
            return ask("location")
        state.dialog.misunderstood += 1
        ctx.say("hesitation")
        return ask("request", "ask_request_help")
    if intent.name in ("deny", "goodbye") and (
            len(normalize(ctx.event.text).split()) <= 4 or state.outcome.off_topic
            or re.search(r"\bc est tout\b", normalize(ctx.event.text))):
        if state.outcome.off_topic:  # "non merci" after another service's answer
            return Go("goodbye")
        state.outcome.caller_hung_up = True  # the caller chose to leave
        ctx.say("stop")
        return End("stop")
    resolution = ctx.engine.resolver.resolve(ctx.event.text)
    if abroad(resolution, ctx.event.text):
        understood(ctx)
        return out_of_scope(ctx)
    if resolution.status is Status.RESOLVED and not resolution.confirm:
        understood(ctx)  # "je cherche un atelier à Avignon"
        ctx.say("request_understood")
        set_location(ctx, resolution.candidates[0])
        return next_after_location(ctx)
    if resolution.status in (Status.RESOLVED, Status.AMBIGUOUS) or (
            resolution.status is Status.NEEDS_MORE and resolution.departments):
        # "j'habite à Vaison": the town, to confirm, then the wish; "j'habite dans la
        # Nièvre": the town in the Nièvre
        understood(ctx)
        state.location.tries += 1
        return handle_resolution(ctx, resolution)
    return not_understood(ctx, "ask_request_help")


def on_theme(ctx: Context, intent: Intent) -> Transition:
    """The kind of workshop once the town is known: the search follows."""
    state, request = ctx.state, ctx.state.request
    theme = intent.theme
    if take_kind(ctx):
        state.dialog.misunderstood = 0
        return Go("search")
    if theme is None:
        if re.match(r"(?:(?:ah|euh|mais) )*non\b", normalize(ctx.event.text)):
            town = ctx.engine.resolver.resolve(ctx.event.text)
            if town.status is not Status.NOT_FOUND and not (
                    town.best is not None and town.best.insee == state.location.place.get(
                        "insee")):
                state.location.tries += 1  # "non, Mâcon": the town corrected, then the kind
                return handle_resolution(ctx, town)
        if intent.name == "dont_know":
            if state.dialog.misunderstood:  # "je sais pas, dites-moi" again: any kind
                request.theme, request.module, request.theme_chosen = "", "", True
                state.dialog.misunderstood = 0
                return Go("search")
            state.dialog.misunderstood += 1
            ctx.say("ask_theme_help")
            return Stay()
        return not_understood(ctx, "ask_theme_help")
    request.theme = str(theme[0]) if theme[0] else ""
    request.module, request.theme_chosen = theme[1], True
    state.dialog.misunderstood = 0
    return Go("search")
