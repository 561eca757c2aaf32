"""The dialog steps of tender §5.1, one handler each. A handler reads the caller's answer
(the event and its intent), says what follows and chooses the next step explicitly with
``ask``. Every sentence comes from the message files."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from acotel_geo import Candidate, Found, Resolution, Status, Theme, search

from ._actions import Listen, Sms
from ._engine import MAX_MISUNDERSTOOD, Context
from ._intents import Intent, normalize
from ._moves import chosen_kind, other_service
from ._phone import mask_text
from ._results import answer as answer_question
from ._results import question_in, where_sentence
from ._sms import compose, segments
from ._speech import spoken_price, spoken_time

PARIS = ZoneInfo("Europe/Paris")
MAX_LOCATION_TRIES = 3
MAX_PRESENTED = 3
YES_NO = ("oui", "non")
THEME_HINTS = ("la mémoire", "l'équilibre", "le sommeil", "bien manger", "la tablette",
               "voir du monde", "adapter ma maison", "peu importe")
# Steps whose answer is free text: a reason is never taken for an objection.
FREE_TEXT_STEPS = frozenset({"evaluation_reason"})
# Steps whose answer is a place: a place found wins over what the intent model guessed.
PLACE_STEPS = frozenset({"location", "location_choose"})

# Recognition hints for the town question: the biggest towns of the four regions.
TOWN_HINTS = ("Marseille", "Nice", "Montpellier", "Toulon", "Dijon", "Perpignan", "Orléans",
              "Tours", "Aix-en-Provence", "Avignon", "Nîmes", "Besançon", "Antibes", "Cannes",
              "Béziers", "Bourges", "Ajaccio", "Chartres", "Blois", "Bastia", "Belfort",
              "Châteauroux", "Nevers", "Auxerre", "Mâcon", "Chalon-sur-Saône", "Carcassonne",
              "Narbonne", "Mende", "Gap", "Digne-les-Bains", "Vesoul", "Lons-le-Saunier",
              "code postal")

PROMPTS: dict[str, tuple[str, Listen]] = {
    "request": ("ask_request", Listen(("speech",), 8.0, THEME_HINTS)),
    "location": ("ask_location", Listen(("speech", "digits"), 10.0, TOWN_HINTS, True, 5)),
    "location_confirm": ("", Listen(("speech",), 8.0, YES_NO)),
    "location_choose": ("", Listen(("speech", "digits"), 8.0, ())),
    "theme": ("ask_theme", Listen(("speech",), 8.0, THEME_HINTS)),
    "refine": ("", Listen(("speech",), 8.0, THEME_HINTS)),
    "results": ("offer_next", Listen(("speech",), 8.0, ("oui", "non", "le suivant"))),
    "offer_number": ("offer_number", Listen(("speech",), 8.0, ("oui", "non", "répétez"))),
    "sms": ("", Listen(("speech",), 8.0, YES_NO)),
    "after": ("ask_new_search", Listen(("speech",), 8.0, ("un autre atelier", "j'ai terminé"))),
    "evaluation": ("", Listen(("speech", "digits"), 8.0, ("1", "2", "3", "4"), True, 1)),
    "evaluation_reason": ("ask_evaluation_reason", Listen(("speech",), 15.0, ())),
    "safety_check": ("safety_continue", Listen(("speech",), 10.0, YES_NO, False)),
}


def ask(ctx: Context, step: str, key: str = "", **values: Any) -> None:
    """Ask the question of ``step`` (or the sentence ``key``) and listen for its answer."""
    sentence_key, listen = PROMPTS[step]
    question = ctx.messages.text(key or sentence_key, **values)
    ctx.sentences.append(question)
    ctx.state.step = step
    ctx.state.theme_asked = ctx.state.theme_asked or step == "theme"
    ctx.state.last_prompt = [question]
    ctx.state.last_listen = {"step": step}
    ctx.listen = listen


def repeat_prompt(ctx: Context, say: bool = True) -> None:
    """Ask the last question again (the whole of it: a workshop is presented again)."""
    if say:
        ctx.sentences.extend(ctx.state.last_prompt)
    ctx.listen = PROMPTS[ctx.state.step][1]


def listen_again(ctx: Context, barge_in: bool = True) -> None:
    listen = PROMPTS[ctx.state.step][1]
    ctx.listen = Listen(listen.input, listen.timeout_s, listen.hints, barge_in, listen.digits_max)


def escalate(ctx: Context, key: str, count: int, limit: int, help_key: str = "") -> None:
    """The ``count``-th failure in a row to get an answer (silence, not understood): say
    ``key`` and ask again, with ``help_key`` from the second time; at ``limit``, say
    ``<key>_end`` and end the call with ``key`` as the reason."""
    if count >= limit:
        ctx.say(f"{key}_end")
        ctx.end(key)
        return
    ctx.say(key)
    if help_key and count >= 2:
        ctx.say(help_key)
    repeat_prompt(ctx)


def not_understood(ctx: Context, help_key: str = "") -> None:
    ctx.state.misunderstood += 1
    if ctx.state.log:  # this turn's entry: the steering app groups what was not understood
        ctx.state.log[-1]["not_understood"] = True
    escalate(ctx, "not_understood", ctx.state.misunderstood, MAX_MISUNDERSTOOD, help_key)


def today(ctx: Context) -> datetime:
    """The moment of the turn on the caller's clock (Europe/Paris): the platform stamps
    events with their offset (often UTC); a stamp without one is Paris time already."""
    for stamp in (ctx.event.at, ctx.state.started_at):
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        return moment.astimezone(PARIS).replace(tzinfo=None) if moment.tzinfo else moment
    return datetime.combine(date.today(), datetime.min.time())


# --- the kind of workshop asked for -------------------------------------------------------

MODULE_THEMES = {"mémoire": Theme.DANS_SA_TETE, "bien-être": Theme.DANS_SA_TETE,
                 "équilibre": Theme.DANS_MON_CORPS, "sommeil": Theme.DANS_MON_CORPS,
                 "nutrition": Theme.DANS_MON_CORPS, "gym douce": Theme.DANS_MON_CORPS,
                 "numérique": Theme.AVEC_LES_AUTRES, "lien social": Theme.AVEC_LES_AUTRES,
                 "retraite": Theme.AVEC_LES_AUTRES, "habitat": Theme.CHEZ_SOI,
                 "sécurité routière": Theme.CHEZ_SOI}


def take_kind(ctx: Context) -> bool:
    """The kind of workshop the answer names, kept (a later one replaces it); True if any."""
    kind = chosen_kind(ctx.event.text)
    if not kind:
        return False
    state = ctx.state
    state.module, state.theme, state.theme_chosen = kind, str(MODULE_THEMES[kind]), True
    return True


def kind_words(ctx: Context) -> str:
    return str(ctx.messages.value("kind_words").get(ctx.state.module, ""))


# --- what is handled at any step (safety first) -------------------------------------------

SAFETY_ORDER = ("emergency", "suicide", "abuse")  # stop everything, stay with the caller
SAFETY_NUMBERS = {"emergency": "15", "suicide": "3114", "abuse": "3977"}
SERVICE_KEYS = ("service_scam", "service_home_help", "service_caf", "service_health_insurance",
                "service_pension", "service_human", "service_doctor", "out_of_scope")


def on_moves(ctx: Context, moves: frozenset[str]) -> bool:
    """Safety, incivility, other services and the caller's conversational moves; True
    when the turn is answered."""
    state = ctx.state
    urgent = next((m for m in SAFETY_ORDER if m in moves), None)
    if urgent is not None:
        state.distress = True
        understood(ctx)  # a first interaction, understood and answered (tender §6.1)
        if urgent not in state.safety:
            state.safety.append(urgent)
        ctx.say(urgent)
        ctx.say("safety_continue")
        if state.step != "safety_check":
            state.resume_step = state.step
        state.step, state.last_prompt = "safety_check", [ctx.messages.text("safety_continue")]
        ctx.listen = PROMPTS["safety_check"][1]
        return True
    if state.step == "safety_check":
        return False
    if "insult" in moves:
        state.insults += 1
        if state.insults >= 2:
            ctx.say("insult_end")
            ctx.end("incivilite")
        else:
            ctx.say("insult_warning")
            repeat_prompt(ctx)
        return True
    for gentle in ("loneliness", "illness"):
        if gentle in moves and gentle not in state.safety and state.step not in FREE_TEXT_STEPS:
            state.distress = True
            state.safety.append(gentle)
            ctx.say(gentle)
            if not chosen_kind(ctx.event.text) and state.step == "request":
                ask(ctx, "request")  # nothing else said: the question again, gently
                return True
    service = next((k for k in SERVICE_KEYS if k in moves and k != "out_of_scope"), None) or (
        other_service(ctx.event.text, ctx.messages.data.get("other_services") or ())) or (
        "out_of_scope" if "out_of_scope" in moves else None)  # a published service is sharper
    if service is not None and state.step not in FREE_TEXT_STEPS and state.step != "evaluation":
        state.services_given.append(service)
        state.off_topic += 1
        ctx.say(service)
        if service == "service_human":
            ctx.say("regional_contact")
        if state.step == "request":
            understood(ctx)  # the open question was understood: it was another service
            ask(ctx, "request", "back_to_search")
        else:
            repeat_prompt(ctx)
        return True
    if ("goodbye" in moves or ("thanks" in moves and state.off_topic and state.step == "request")
            ) and state.step not in ("evaluation", "evaluation_reason"):
        if state.searches or state.off_topic:
            leave(ctx)
        else:
            state.caller_hung_up = True  # leaving before the first result
            ctx.say("stop")
            ctx.end("stop")
        return True
    if moves & {"greeting", "wait"} and len(ctx.event.text.split()) <= 12 and not moves & {
            "loneliness", "illness"}:
        ctx.say("greeting_reply" if "greeting" in moves else "wait_reply")
        if "greeting" in moves:
            repeat_prompt(ctx)
        else:
            listen_again(ctx)
        return True
    return False


def on_safety_check(ctx: Context, intent: Intent) -> None:
    """After a safety answer: go on if the caller wishes; a short "no" is a calm goodbye;
    anything else, the bot stays with the caller and gives the number again."""
    state = ctx.state
    words = normalize(ctx.event.text).split()
    if intent.name in ("affirm", "new_search", "request_workshop") or intent.theme or (
            chosen_kind(ctx.event.text)):
        step = state.resume_step or "request"
        ctx.say("safety_resume")
        ask(ctx, step if PROMPTS[step][0] else "request")
    elif (intent.name in ("deny", "goodbye", "stop") and len(words) <= 4) or (
            "merci" in words or "gentille" in words or "gentil" in words):
        urgent = next((m for m in reversed(state.safety) if m in SAFETY_ORDER), "")
        if urgent in SAFETY_NUMBERS:
            ctx.say("safety_remember", phone=SAFETY_NUMBERS[urgent])
        ctx.say("safety_goodbye")
        ctx.end("safety")
    else:
        urgent = next((m for m in reversed(state.safety) if m in SAFETY_ORDER), "suicide")
        ctx.say(urgent)
        ctx.say("safety_stay")
        listen_again(ctx, barge_in=False)


# --- request ----------------------------------------------------------------------------

def on_request(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    theme = intent.theme
    if take_kind(ctx):
        understood(ctx)
        ctx.say("request_theme_understood", theme_words=kind_words(ctx))
    elif theme is not None and intent.name != "theme_any":
        state.theme, state.module, state.theme_chosen = str(theme[0]), theme[1], True
        understood(ctx)
        ctx.say("request_theme_understood",
                theme_words=ctx.messages.value("theme_words")[state.theme])
    elif intent.name in ("request_workshop", "affirm", "theme_any"):
        understood(ctx)
        ctx.say("request_understood")
    if state.request_understood and intent.name != "affirm":
        town = ctx.engine.resolver.resolve(ctx.event.text)  # "un atelier mémoire à Avignon"
        if town.status is Status.RESOLVED and not town.confirm and town.best is not None:
            set_location(ctx, town.best)
            next_after_location(ctx)
            return
        if town.status is Status.RESOLVED and town.best is not None:
            state.location_tries += 1  # said early: confirmed, never asked again
            handle_resolution(ctx, town)
            return
    if state.request_understood:
        ask(ctx, "location")
        return
    elif intent.name == "dont_know":
        ctx.say("hesitation")
        ask(ctx, "request", "ask_request_help")
        return
    elif intent.name in ("deny", "goodbye") and (
            len(normalize(ctx.event.text).split()) <= 4 or state.off_topic):
        if state.off_topic:  # "non merci" after another service's answer
            leave(ctx)
            return
        ctx.state.caller_hung_up = True  # the caller chose to leave
        ctx.say("stop")
        ctx.end("stop")
        return
    else:
        resolution = ctx.engine.resolver.resolve(ctx.event.text)
        if resolution.status is Status.RESOLVED and not resolution.confirm:
            understood(ctx)  # "je cherche un atelier à Avignon"
            ctx.say("request_understood")
            set_location(ctx, resolution.candidates[0])
            next_after_location(ctx)
            return
        if resolution.status in (Status.RESOLVED, Status.AMBIGUOUS):
            understood(ctx)  # "j'habite à Vaison": the town, to confirm, then the wish
            state.location_tries += 1
            handle_resolution(ctx, resolution)
            return
        not_understood(ctx, "ask_request_help")


def understood(ctx: Context) -> None:
    ctx.state.request_understood = True
    ctx.state.misunderstood = 0


# --- location ---------------------------------------------------------------------------

def on_location(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    answer = ctx.event.digits if ctx.event.type == "dtmf" else ctx.event.text
    if intent.name == "dont_know":
        ctx.say("hesitation")
        ctx.say("location_examples")
        ctx.say("ask_location_keypad")
        listen_again(ctx)
        return
    if state.department_hint:
        answer = f"{answer} {state.department_hint}"
    state.location_tries += 1
    resolution = ctx.engine.resolver.resolve(answer)
    for alternative in ctx.event.alternatives:  # what speech recognition also heard
        if resolution.status is not Status.NOT_FOUND:
            break
        resolution = ctx.engine.resolver.resolve(f"{alternative} {state.department_hint}")
    handle_resolution(ctx, resolution)


def handle_resolution(ctx: Context, resolution: Resolution) -> None:
    state = ctx.state
    best = resolution.best
    if resolution.status is Status.RESOLVED and best is not None:
        state.department_hint = ""
        if resolution.postcode and shared_postcode(ctx, resolution.postcode):
            # A postcode shared by several communes: the postcode is what was said, and
            # the search covers its area. Typed on the keypad it needs no confirmation.
            area = {**candidate_dict(best), "label": postcode_words(resolution.postcode)}
            if ctx.event.type == "dtmf":
                set_location_dict(ctx, area)
                next_after_location(ctx)
            else:
                state.pending = area
                ask(ctx, "location_confirm", "confirm_postcode",
                    postcode=postcode_words(resolution.postcode))
            return
        if resolution.confirm:
            state.pending = candidate_dict(best)
            phrase = ctx.messages.department_phrase(best.department, best.department_name)
            ask(ctx, "location_confirm", "confirm_location", name=best.name,
                department_phrase=phrase)
            return
        set_location(ctx, best)
        next_after_location(ctx)
        return
    if resolution.status is Status.AMBIGUOUS and best is not None:
        state.options = [candidate_dict(c) for c in resolution.candidates[:3]]
        options = ", ou ".join(ctx.messages.department_phrase(o["department"], o["department_name"])
                               for o in state.options)
        ask(ctx, "location_choose", "choose_location", name=best.name, options=options)
        return
    if resolution.status is Status.NEEDS_MORE and resolution.departments:
        code, name = resolution.departments[0]
        state.department_hint = name
        ask(ctx, "location", "ask_town_in_department",
            department_phrase=ctx.messages.department_phrase(code, name))
        return
    location_failed_once(ctx)


def shared_postcode(ctx: Context, postcode: str) -> bool:
    gazetteer = ctx.engine.resolver.gazetteer
    communes = {gazetteer.commune_of(gazetteer.places[i]).insee
                for i in gazetteer.by_postcode.get(postcode, ())}
    return len(communes) > 1


def postcode_words(postcode: str) -> str:
    """"le 37 150": how a postcode is said back."""
    return f"le {postcode[:2]} {postcode[2:]}"


def location_failed_once(ctx: Context) -> None:
    state = ctx.state
    if state.location_tries >= MAX_LOCATION_TRIES:
        ctx.say("location_failed")
        ctx.end("location_not_found")
        return
    state.department_hint = ""
    ask(ctx, "location", "ask_location_again")
    if state.location_tries == 2:
        ctx.sentences.insert(-1, ctx.messages.text("ask_location_keypad"))


def on_location_confirm(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    if intent.name == "affirm":
        set_location_dict(ctx, state.pending)
        next_after_location(ctx)
    elif intent.name == "deny":
        state.pending = {}
        location_failed_once(ctx)
    else:  # another town said at once: "non, Aix-les-Bains"
        state.location_tries += 1
        handle_resolution(ctx, ctx.engine.resolver.resolve(ctx.event.text or ctx.event.digits))


def on_location_choose(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    said = normalize(ctx.event.text or ctx.event.digits)
    for option in state.options:
        names = {normalize(option["department_name"]), option["department"].lower(),
                 normalize(option["name"]) + " " + option["department"].lower()}
        if any(n and re.search(rf"\b{re.escape(n)}\b", said) for n in names):
            set_location_dict(ctx, option)
            next_after_location(ctx)
            return
    ordinal = {"premier": 0, "premiere": 0, "1": 0, "deuxieme": 1, "second": 1, "2": 1,
               "troisieme": 2, "3": 2}
    for word, index in ordinal.items():
        if re.search(rf"\b{word}\b", said) and index < len(state.options):
            set_location_dict(ctx, state.options[index])
            next_after_location(ctx)
            return
    if intent.name == "deny":
        location_failed_once(ctx)
        return
    name = state.options[0]["name"] if state.options else ""
    state.location_tries += 1
    handle_resolution(ctx, ctx.engine.resolver.resolve(f"{name} {ctx.event.text}"))


def candidate_dict(c: Candidate) -> dict[str, Any]:
    return {"insee": c.insee, "name": c.name, "department": c.department,
            "department_name": c.department_name, "region": c.region, "lat": c.lat,
            "lon": c.lon}


def set_location(ctx: Context, c: Candidate) -> None:
    set_location_dict(ctx, candidate_dict(c))


def set_location_dict(ctx: Context, location: dict[str, Any]) -> None:
    state = ctx.state
    state.location, state.pending, state.options = dict(location), {}, []
    state.region = location["region"] if location["region"] != "autre" else ""
    state.location_first_try = state.location_tries <= 1
    ctx.say("location_found", name=location.get("label") or location["name"])


def next_after_location(ctx: Context) -> None:
    if ctx.state.location.get("region") == "autre":
        out_of_scope(ctx)  # no workshop question for a town outside the four regions
    elif ctx.state.theme_chosen:
        run_search(ctx)
    else:
        ask(ctx, "theme")


# --- theme and search -------------------------------------------------------------------

def on_theme(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    theme = intent.theme
    if take_kind(ctx):
        state.misunderstood = 0
        run_search(ctx)
        return
    if theme is None:
        if intent.name == "dont_know":
            ctx.say("ask_theme_help")
            listen_again(ctx)
        else:
            not_understood(ctx, "ask_theme_help")
        return
    state.theme = str(theme[0]) if theme[0] else ""
    state.module, state.theme_chosen = theme[1], True
    state.misunderstood = 0
    run_search(ctx)


def run_search(ctx: Context) -> None:
    """The requested kind first, widening the ladder for it; the whole theme group only
    when it is nowhere within 50 km and 8 weeks, and with the caller's agreement."""
    state = ctx.state
    if state.location.get("region") == "autre":
        out_of_scope(ctx)
        return
    if state.module and state.module in MODULE_THEMES:
        search_kind(ctx)
        return
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
        ask(ctx, "after")
        return
    state.found_any = True
    state.results = [found_dict(f) for f in found[:MAX_PRESENTED]]
    state.presented = 0
    kinds = list(dict.fromkeys(f.workshop.module for f in found))
    words = ctx.messages.value("kind_words")
    if len(found) > 2 and len(kinds) > 1 and not state.refine_offered:
        state.refine_offered = True
        named = [str(words[k]).split(" ", 1)[1] for k in kinds[:4] if k in words]
        ask(ctx, "refine", "offer_refine", themes=", ".join(named))
        return
    count = len(state.results)
    ctx.say("found_one" if count == 1 else "found_count", count=count)
    present_next(ctx)


def search_kind(ctx: Context) -> None:
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
    if kind:
        state.found_any = True
        state.results = [found_dict(f) for f in kind[:MAX_PRESENTED]]
        state.presented = 0
        count = len(state.results)
        ctx.say("found_kind_one" if count == 1 else "found_kind", count=count,
                kind_words=kind_words(ctx))
        present_next(ctx)
        return
    ctx.say("kind_not_found", kind_words=kind_words(ctx))
    group = search(catalogue, location["lat"], location["lon"], moment,
                   theme=Theme(state.theme) if state.theme else None, limit=MAX_PRESENTED)
    if not group.workshops:
        group = search(catalogue, location["lat"], location["lon"], moment,
                       limit=MAX_PRESENTED)
    if not group.workshops:
        ctx.say("nothing_found")
        ctx.say("regional_contact")
        ask(ctx, "after")
        return
    state.results = [found_dict(f) for f in group.workshops[:MAX_PRESENTED]]
    state.presented = 0
    ask(ctx, "refine", "offer_other_kinds")


def out_of_scope(ctx: Context) -> None:
    """A caller living outside the experiment's four regions (tender §3.4)."""
    state = ctx.state
    state.off_topic += 1
    if "scope" not in state.services_given:
        state.services_given.append("scope")
    ctx.say("scope_out")
    state.location = {}
    ask(ctx, "after", "ask_other_town")


def on_refine(ctx: Context, intent: Intent) -> None:
    """After "no workshop of that kind": the other kinds near home, if the caller wishes."""
    state = ctx.state
    if take_kind(ctx):
        run_search(ctx)
    elif intent.name in ("affirm", "theme_any", "next", "more_info", "dont_know") or (
            intent.name == "deny" and state.found_any):
        state.found_any = True
        present_next(ctx)
    elif intent.name in ("deny", "goodbye", "stop"):
        ctx.say("regional_contact")
        ask(ctx, "after")
    else:
        not_understood(ctx)


def found_dict(found: Found) -> dict[str, Any]:
    w = found.workshop
    return {
        "id": w.id, "title": w.title, "theme": str(w.theme), "module": w.module,
        "summary": w.summary, "description": w.description, "venue": w.venue,
        "address": w.address, "postcode": w.postcode, "city": w.city, "remote": w.remote,
        "distance_km": found.distance_km, "price": str(w.price), "organiser": w.organiser,
        "contact_phone": w.contact_phone,
        "sessions": [[s.day.isoformat(), s.start.strftime("%H:%M"), s.end.strftime("%H:%M")]
                     for s in found.next_sessions],
    }


# --- results ----------------------------------------------------------------------------

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
    from ._results import when_words

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
    if first in ("le", "la", "les", "l'") or venue.lower().startswith(("l'", "l’")):
        return f"à {venue[0].lower()}{venue[1:]}".replace("à le ", "au ").replace(
            "à les ", "aux ")
    if first[:1] in "aeéèêiîouyh":
        return f"à l'{venue}"
    return f"au {venue}" if first in _MASCULINE else f"à la {venue}"


def present_next(ctx: Context) -> None:
    state = ctx.state
    if state.presented >= len(state.results):
        ctx.say("no_more_workshops")
        offer_sms(ctx)
        return
    sentences = workshop_sentences(ctx, state.results[state.presented], state.presented)
    state.presented += 1
    ctx.sentences.extend(sentences)
    ask_about_current(ctx, "number")
    state.last_prompt = [*sentences, *state.last_prompt]


def ask_about_current(ctx: Context, what: str) -> None:
    """After a workshop: the number to register (step ``offer_number``), or the next one
    (step ``results``)."""
    state = ctx.state
    state.results_question = what
    if what == "number":
        more = state.presented < len(state.results)
        ask(ctx, "offer_number", "offer_number_or_next" if more else "offer_number")
    else:
        ask(ctx, "results", "offer_next")


def give_number(ctx: Context, w: dict[str, Any]) -> None:
    state = ctx.state
    ctx.say("give_number", phone=w["contact_phone"])
    if state.presented < len(state.results):
        ask_about_current(ctx, "next")
    else:
        offer_sms(ctx)


def on_results(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    current = state.results[state.presented - 1]
    question = question_in(ctx.event.text)
    kind = chosen_kind(ctx.event.text)
    if kind and kind != state.module and question == "":
        take_kind(ctx)  # "non, plutôt le sommeil"
        state.results = []
        run_search(ctx)
    elif question in ("ask_number", "ask_register") or (
            intent.name == "affirm" and state.results_question == "number"):
        if question == "ask_register":
            ctx.sentences.extend(answer_question(ctx.messages, question, current,
                                                 at_venue(current["venue"]), today(ctx).date()))
        give_number(ctx, current)
    elif question:
        ctx.sentences.extend(answer_question(ctx.messages, question, current,
                                             at_venue(current["venue"]), today(ctx).date()))
        ask_about_current(ctx, state.results_question or "number")
    elif intent.name == "more_info":
        ctx.say("more_info", description=current["description"])
        ctx.say("more_info_call", phone=current["contact_phone"])
        ask_about_current(ctx, state.results_question or "number")
    elif intent.name in ("next", "new_search") or (
            intent.name == "affirm" and state.results_question == "next"):
        present_next(ctx)
    elif intent.name in ("deny", "goodbye", "theme_any", "next", "affirm"):
        offer_sms(ctx)
    else:
        ctx.say("results_choice")
        ctx.listen = PROMPTS["results"][1]


# --- SMS, next search, leave-taking, evaluation -------------------------------------------

def offer_sms(ctx: Context) -> None:
    """SMS only to French mobiles (tender §5.1); a landline or another number is told so in
    its own words, and offered the number again."""
    origin = ctx.state.origin
    if origin == "mobile":
        ctx.state.sms_offered = True
        ask(ctx, "sms", "offer_sms")
    else:
        ask(ctx, "sms", "landline_no_sms" if origin == "fixe" else "other_no_sms")


def on_sms(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    shown = state.results[:max(state.presented, 1)]
    if intent.name == "affirm" and state.origin == "mobile":
        for text in compose(shown):
            ctx.extra.append(Sms(state.caller, text, segments(text)))
            state.sms_sent.append(text)
        ctx.say("sms_sent")
        if "numero" in normalize(ctx.event.text):  # "oui, et dites-moi le numéro aussi"
            ctx.say("give_number", phone=shown[-1]["contact_phone"])
    elif intent.name == "affirm":
        contacts = ", puis ".join(f"{w['organiser']} au [tel:{w['contact_phone']}]"
                                  for w in shown)
        ctx.say("repeat_contacts", contacts=contacts)
        ctx.say("call_from_mobile")
    elif intent.name in ("deny", "goodbye"):
        if state.origin == "mobile":
            ctx.say("sms_declined")
    else:
        not_understood(ctx)
        return
    ask(ctx, "after")


def on_after(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    if intent.name in ("new_search", "affirm") or (intent.theme and intent.name != "theme_any"):
        state.theme_chosen, state.refine_offered, state.results = False, False, []
        if not state.location:  # after "not in the four regions": another town
            ask(ctx, "location")
        elif take_kind(ctx):
            run_search(ctx)
        elif intent.theme and intent.theme[0] is not None:
            on_theme(ctx, intent)
        else:
            ask(ctx, "theme")
    elif intent.name in ("deny", "goodbye", "stop"):
        leave(ctx)
    else:
        not_understood(ctx)


def leave(ctx: Context) -> None:
    ctx.state.reached_goodbye = True
    ctx.say("goodbye")
    ctx.say("evaluation_intro")
    ask_evaluation(ctx)


def ask_evaluation(ctx: Context) -> None:
    """The next evaluation question of the message file (tender §5.1: editable)."""
    settings = ctx.messages.value("evaluation")
    question = settings["questions"][len(ctx.state.evaluation)].format(scale=settings["scale"])
    ctx.sentences.append(question)
    ctx.state.step, ctx.state.last_prompt = "evaluation", [question]
    ctx.listen = PROMPTS["evaluation"][1]


_SPOKEN_DIGITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                  "sept": 7, "huit": 8, "neuf": 9, "dix": 10}


def on_evaluation(ctx: Context, intent: Intent) -> None:
    state = ctx.state
    settings = ctx.messages.value("evaluation")
    said = ctx.event.digits or normalize(ctx.event.text)
    top = int(settings["scale"])
    numbers = [int(t) if t.isdigit() else _SPOKEN_DIGITS[t] for t in said.split()
               if (t.isdigit() and 1 <= int(t) <= 10) or t in _SPOKEN_DIGITS]
    # "je vous mets 5" on a scale of 4: the caller means the best mark
    score = min(numbers[0], top) if numbers else None
    if score is None:
        if state.misunderstood:
            ctx.say("evaluation_thanks")
            ctx.end("done")
            return
        state.misunderstood += 1
        ctx.say("evaluation_not_understood", scale=settings["scale"])
        listen_again(ctx)
        return
    state.evaluation.append(score)
    state.misunderstood = 0
    if score <= settings["bad_at_most"] and not state.evaluation_reason:
        ask(ctx, "evaluation_reason")
    elif len(state.evaluation) < len(settings["questions"]):
        ask_evaluation(ctx)
    else:
        ctx.say("evaluation_thanks")
        ctx.end("done")


def on_evaluation_reason(ctx: Context, intent: Intent) -> None:
    ctx.state.evaluation_reason = mask_text(ctx.event.text) or "-"
    if len(ctx.state.evaluation) < len(ctx.messages.value("evaluation")["questions"]):
        ask_evaluation(ctx)
        return
    ctx.say("evaluation_thanks")
    ctx.end("done")


def go_back(ctx: Context) -> bool:
    """"Je me suis trompé", "revenir en arrière": the previous question again."""
    state = ctx.state
    if state.step in ("location_confirm", "location_choose", "theme") or (
            state.step == "location" and state.location_tries):
        state.location, state.pending, state.options, state.department_hint = {}, {}, [], ""
        ask(ctx, "location")
        return True
    if state.step in ("results", "offer_number") and state.presented > 1:
        state.presented -= 2
        present_next(ctx)
        return True
    if state.step in ("refine", "results", "offer_number", "sms", "after") and state.location:
        state.refine_offered, state.results = False, []
        if state.theme_asked:
            state.theme_chosen = False
            ask(ctx, "theme")
        else:  # the theme came with the request: the town was the last question
            state.location = {}
            ask(ctx, "location")
        return True
    return False


STEPS: dict[str, Callable[[Context, Intent], None]] = {
    "request": on_request,
    "location": on_location,
    "location_confirm": on_location_confirm,
    "location_choose": on_location_choose,
    "theme": on_theme,
    "refine": on_refine,
    "results": on_results,
    "offer_number": on_results,
    "sms": on_sms,
    "after": on_after,
    "evaluation": on_evaluation,
    "evaluation_reason": on_evaluation_reason,
    "safety_check": on_safety_check,
}
