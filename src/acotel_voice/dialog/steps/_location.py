"""Where the caller lives: the town (or postcode, typed or said) resolved, confirmed when
unsure, chosen among homonyms, asked again with help; a town outside the experiment's four
regions is told so."""

from __future__ import annotations

import re
from typing import Any

from acotel_geo import Candidate, Resolution, Status

from .._intents import Intent, normalize
from .._moves import ACKNOWLEDGED, FOREIGN, RESIGNED, SCOPE_DOUBT, says_yes
from .._results import question_in
from .._turn import Context, End, Go, Stay, Transition, ask
from ._common import MAX_LOCATION_TRIES, kind_words, not_understood, take_kind


def on_location(ctx: Context, intent: Intent) -> Transition:
    location = ctx.state.location
    answer = ctx.event.digits if ctx.event.type == "dtmf" else ctx.event.text
    if intent.name == "dont_know":
        ctx.say("hesitation")
        ctx.say("location_examples")
        ctx.say("ask_location_keypad")
        return Stay()
    if ctx.state.outcome.off_topic and intent.name in ("deny", "goodbye", "stop") and len(
            normalize(answer).split()) <= 4:
        return Go("goodbye")  # "non, c'est bon" after another service's number: done
    if location.department_hint:
        answer = f"{answer} {location.department_hint}"
    resolution = ctx.engine.resolver.resolve(answer)
    if resolution.status is Status.NOT_FOUND and ctx.event.type == "speech" and take_kind(ctx):
        # "la gym douce" said at the town question: kept, and the town asked again, no
        # try counted
        ctx.say("request_theme_understood", theme_words=kind_words(ctx))
        return ask("location")
    if resolution.status is Status.NOT_FOUND and ctx.event.type == "speech" and question_in(
            ctx.event.text):  # "et c'est quand ?" before any workshop: said with it
        ctx.say("question_later")
        return Stay(repeat=True)
    location.tries += 1
    for alternative in ctx.event.alternatives:  # what speech recognition also heard
        if resolution.status is not Status.NOT_FOUND:
            break
        resolution = ctx.engine.resolver.resolve(f"{alternative} {location.department_hint}")
    if abroad(resolution, answer):
        return out_of_scope(ctx)  # "à Namur, en Belgique"
    if ctx.event.type == "speech" and not ctx.state.request.theme_chosen and re.search(
            r"\bateliers?\b|\bpour\b", normalize(answer)):
        take_kind(ctx)  # "un atelier pour voir du monde à Blois": the wish kept too
    return handle_resolution(ctx, resolution)


def abroad(resolution: Resolution, text: str) -> bool:
    """A caller abroad: no French commune, or only one heard approximately ("je suis
    anglaise, j'habite à Brighton" is not Brignon, in the Gard)."""
    sure = resolution.status is Status.RESOLVED and not resolution.confirm
    norm = normalize(text)
    country = FOREIGN.search(norm)
    if sure or country is None:
        return False
    before = norm[:country.start()].split()[-6:]
    # "mes petits-enfants qui sont au Canada": someone else is abroad, not the caller
    return not (set(before) & _SOMEONE_ELSE and not set(before) & {"je", "j", "nous"})


_SOMEONE_ELSE = frozenset({"qui", "il", "elle", "ils", "elles", "mes", "ma", "mon", "sa", "son",
                           "leur", "leurs", "ses"})


# A city this big, named exactly, is not a misheard small town: outside the four regions,
# the experiment's scope is said at once (another town can still be given after it).
PLAIN_CITY = 20_000


def _plainly_elsewhere(ctx: Context, best: Candidate) -> bool:
    """"Reims dans la Marne", "à Lille, dans le quartier de Fives": a city outside the
    four regions named in so many words."""
    place = ctx.engine.resolver.gazetteer.by_insee.get(best.insee)
    return best.region == "autre" and place is not None and (
        place.population >= PLAIN_CITY) and bool(best.why) and (
        best.why[0].startswith(("nom «", "arrondissement n°")))


def handle_resolution(ctx: Context, resolution: Resolution) -> Transition:
    location = ctx.state.location
    best = resolution.best
    if resolution.status is Status.RESOLVED and best is not None:
        location.department_hint = ""
        if resolution.postcode and shared_postcode(ctx, resolution.postcode):
            # A postcode shared by several communes: the postcode is what was said, and
            # the search covers its area. Typed on the keypad it needs no confirmation.
            area = {**candidate_dict(best), "label": postcode_words(resolution.postcode)}
            if ctx.event.type == "dtmf":
                set_location_dict(ctx, area)
                return next_after_location(ctx)
            location.pending = area
            return ask("location_confirm", "confirm_postcode",
                       postcode=postcode_words(resolution.postcode))
        if resolution.confirm and not _plainly_elsewhere(ctx, best):
            location.pending = candidate_dict(best)
            if best.name == best.department_name:  # Paris: "à Paris, à Paris" said once
                return ask("location_confirm", "confirm_location_alone", name=best.name)
            phrase = ctx.messages.department_phrase(best.department, best.department_name)
            return ask("location_confirm", "confirm_location", name=best.name,
                       department_phrase=phrase)
        set_location(ctx, best)
        return next_after_location(ctx)
    if resolution.status is Status.AMBIGUOUS and best is not None:
        location.options = choices(resolution.candidates)
        if len({o["name"] for o in location.options}) > 1:  # "Vauvert, ou Issoudun ?"
            in_dept = ctx.messages.department_phrase
            options = ", ou ".join(
                f"{o['name']} {in_dept(o['department'], o['department_name'])}"
                for o in location.options)
            return ask("location_choose", "choose_between", options=options)
        options = ", ou ".join(ctx.messages.department_phrase(o["department"], o["department_name"])
                               for o in location.options)
        return ask("location_choose", "choose_location", name=best.name, options=options)
    if resolution.status is Status.NEEDS_MORE and resolution.departments:
        code, name = resolution.departments[0]
        location.department_hint = name
        return ask("location", "ask_town_in_department",
                   department_phrase=ctx.messages.department_phrase(code, name))
    return location_failed_once(ctx)


def shared_postcode(ctx: Context, postcode: str) -> bool:
    gazetteer = ctx.engine.resolver.gazetteer
    communes = {gazetteer.commune_of(gazetteer.places[i]).insee
                for i in gazetteer.by_postcode.get(postcode, ())}
    return len(communes) > 1


def postcode_words(postcode: str) -> str:
    """"le 37 150": how a postcode is said back."""
    return f"le {postcode[:2]} {postcode[2:]}"


def location_failed_once(ctx: Context) -> Transition:
    location = ctx.state.location
    if location.tries >= MAX_LOCATION_TRIES:
        ctx.say("location_failed")
        return End("location_not_found")
    location.department_hint = ""
    if location.tries == 2:
        ctx.say("ask_location_keypad")  # just before the question
    return ask("location", "ask_location_again")


def on_location_confirm(ctx: Context, intent: Intent) -> Transition:
    location = ctx.state.location
    norm = normalize(ctx.event.text)
    if intent.name == "affirm" or (intent.name != "deny" and (
            says_yes(ctx.event.text) or ACKNOWLEDGED.match(norm))):
        set_location_dict(ctx, location.pending)
        return next_after_location(ctx)
    if location.pending.get("region") == "autre" and not norm.startswith("non") and (
            SCOPE_DOUBT.search(norm) or re.search(r"\bdommage\b|\bquatre regions\b", norm)):
        set_location_dict(ctx, location.pending)  # "ah bon, c'est pas chez nous alors ?"
        return next_after_location(ctx)
    if intent.name == "deny":
        pending, location.pending = location.pending, {}
        corrected = ctx.engine.resolver.resolve(ctx.event.text)
        if corrected.status is not Status.NOT_FOUND and not (
                corrected.best is not None and corrected.best.insee == pending.get("insee")):
            location.tries += 1  # "non, je suis à Vendôme": the town said instead
            return handle_resolution(ctx, corrected)
        return location_failed_once(ctx)
    if RESIGNED.search(norm):  # "tant pis" is no town ("Pis", in the Gers): asked again
        return not_understood(ctx)
    resolution = ctx.engine.resolver.resolve(ctx.event.text or ctx.event.digits)
    if resolution.status is Status.NOT_FOUND and ctx.event.type == "speech" and question_in(
            ctx.event.text) and location.pending.get("region") != "autre":
        # "et ça commence quand ?" to "Vous habitez bien à Gray ?", the town the caller
        # said: taken as it is, and the workshop read next answers the question
        set_location_dict(ctx, location.pending)
        return next_after_location(ctx)
    if resolution.status is Status.NOT_FOUND and ctx.event.type == "speech":
        if take_kind(ctx):  # "la gym douce": kept, and the town confirmed, no try
            ctx.say("request_theme_understood", theme_words=kind_words(ctx))
            return Stay(repeat=True)
        return not_understood(ctx)  # no town and no "non": the question again, no try
    location.tries += 1  # another town said at once: "non, Aix-les-Bains"
    return handle_resolution(ctx, resolution)


def on_location_choose(ctx: Context, intent: Intent) -> Transition:
    location = ctx.state.location
    said = normalize(ctx.event.text or ctx.event.digits)
    several_names = len({o["name"] for o in location.options}) > 1
    alone = ctx.engine.resolver.resolve(ctx.event.text) if ctx.event.text else None
    # "Lézignan-Corbières" when asked "Lézignan-la-Cèbe, ou Lézignan ?": a longer name
    # than the option it contains, and none of the options
    other = (alone.best if alone is not None and alone.status is Status.RESOLVED
             and alone.best is not None and normalize(alone.best.name) in said
             and all(o["insee"] != alone.best.insee for o in location.options) else None)
    for option in location.options:
        names = {normalize(option["department_name"]), option["department"].lower(),
                 normalize(option["name"]) + " " + option["department"].lower(),
                 normalize(option["name"]) if several_names else ""}
        if other is not None and len(normalize(other.name)) > len(normalize(option["name"])):
            names.discard(normalize(option["name"]))
        if any(n and re.search(rf"\b{re.escape(n)}\b", said) for n in names):
            set_location_dict(ctx, option)
            return next_after_location(ctx)
    ordinal = {"premier": 0, "premiere": 0, "1": 0, "deuxieme": 1, "second": 1, "2": 1,
               "troisieme": 2, "3": 2}
    for word, index in ordinal.items():
        if re.search(rf"\b{word}\b", said) and index < len(location.options):
            set_location_dict(ctx, location.options[index])
            return next_after_location(ctx)
    if intent.name == "deny":
        return location_failed_once(ctx)
    location.tries += 1
    if alone is not None and alone.status is Status.RESOLVED:  # another town, said plainly
        return handle_resolution(ctx, alone)
    name = location.options[0]["name"] if location.options else ""
    return handle_resolution(ctx, ctx.engine.resolver.resolve(f"{name} {ctx.event.text}"))


def choices(candidates: tuple[Candidate, ...]) -> list[dict[str, Any]]:
    """Up to three options a caller can tell apart: one per name and department (never
    "dans le Gard, ou dans l'Indre, ou dans le Gard")."""
    seen: set[tuple[str, str]] = set()
    options = []
    for candidate in candidates:
        key = (candidate.name, candidate.department)
        if key not in seen:
            seen.add(key)
            options.append(candidate_dict(candidate))
    return options[:3]


def candidate_dict(c: Candidate) -> dict[str, Any]:
    return {"insee": c.insee, "name": c.name, "department": c.department,
            "department_name": c.department_name, "region": c.region, "lat": c.lat,
            "lon": c.lon}


def set_location(ctx: Context, c: Candidate) -> None:
    set_location_dict(ctx, candidate_dict(c))


def set_location_dict(ctx: Context, place: dict[str, Any]) -> None:
    location = ctx.state.location
    location.place, location.pending, location.options = dict(place), {}, []
    location.region = place["region"] if place["region"] != "autre" else ""
    location.first_try = location.tries <= 1
    ctx.say("location_found", name=place.get("label") or place["name"])


def next_after_location(ctx: Context) -> Transition:
    """The town known: the search when the kind of workshop is, else the theme question."""
    if ctx.state.location.place.get("region") == "autre":
        return out_of_scope(ctx)  # no workshop question for a town outside the four regions
    if ctx.state.request.theme_chosen:
        return Go("search")
    return ask("theme")


def out_of_scope(ctx: Context) -> Transition:
    """A caller living outside the experiment's four regions (tender §3.4)."""
    state = ctx.state
    state.outcome.off_topic += 1
    if "scope" not in state.outcome.services_given:
        state.outcome.services_given.append("scope")
    ctx.say("scope_out")
    state.location.place = {}
    return ask("after", "ask_other_town")
