"""What is handled the same at any step, before the step's own handler: safety first, then
abuse, distress said gently, other services, leaving, greetings and "attendez" (read in the
answer by ``_moves``), then "pardon ?", "moins vite", objections and off-topic questions,
"revenir en arrière" and "stop" (the intent of the answer). Each handler returns the
transition when it answers the turn, None to pass it on; the order is declared in
``steps.AT_ANY_STEP``. The safety check, the step that follows a safety answer, is in
``_safety_check``."""

from __future__ import annotations

import re

from acotel_geo import Status, spoken_numbers

from .._intents import Intent, normalize
from .._kinds import chosen_kind
from .._moves import (
    CALL_COST,
    FILE_ACCESS,
    NUMBER_AGAIN,
    PREVIOUS,
    SCOPE_DOUBT,
    SERVICE_DETAIL,
    WORKSHOP_NUMBER_AGAIN,
    other_service,
    read_moves,
)
from .._results import question_in
from .._safety_words import safety_by_rules
from .._turn import Ask, Context, End, Go, Stay, Transition, ask
from ._closing import spoken_mark
from ._common import FREE_TEXT_STEPS, PLACE_STEPS, kind_words, take_kind, understood
from ._presentation import give_number

SAFETY_ORDER = ("emergency", "suicide", "abuse")  # stop everything, stay with the caller
SAFETY_NUMBERS = {"emergency": "15", "suicide": "3114", "abuse": "3977"}
SERVICE_KEYS = ("service_scam", "service_home_help", "service_caf", "service_health_insurance",
                "service_pension", "service_human", "service_find_doctor", "service_doctor",
                "out_of_scope")
SERVICE_MOVES = frozenset(SERVICE_KEYS)
# Said again whenever heard again: a scam warning is never too often, and a caller who asks
# again for a person, or for what the bot does not do, hears the answer, not the question.
SAID_AGAIN = frozenset({"service_scam", "service_human", "out_of_scope"})
# "C'est gratuit ?", "ça coûte ?": the price of calling the service's number.
PRICE = re.compile(r"\bgratuit|\bpayant|\bcoute\b|\bcouter\b|\bprix\b|\bsurtaxe")
# The price asked about the service's number ("c'est gratuit de les appeler ?", "le
# trente-neuf soixante, c'est payant ?"), not about the workshops.
ABOUT_THE_NUMBER = re.compile(r"\b(?:les|l|le|ce numero|ce|leur numero|la)\b.{0,25}\b(?:appeler|"
                              r"joindre)\b|\bnumero\b|\btrente|\b39|\b32|\b36")
# Services answered with a number at the price of a normal call (3960, 3230, 3646).
NUMBERED_SERVICES = frozenset({"service_home_help", "service_caf", "service_health_insurance",
                               "service_pension", "service_human", "service_find_doctor"})
# Model intents acted on at any step only when this sure (rules are always sure).
GLOBAL_CONFIDENCE = 0.6
# Answered at any step by the sentence of the same name.
ANSWERED_ANYWHERE = frozenset({"objection_cost", "objection_robot", "objection_number",
                               "objection_what", "pension", "health_insurance", "out_of_scope"})
OFF_TOPIC = frozenset({"pension", "health_insurance", "out_of_scope"})


def moves(ctx: Context) -> frozenset[str]:
    """What the spoken answer holds that matters at any step (``_moves``; cached)."""
    if ctx.event.type != "speech":
        return frozenset()
    return read_moves(ctx.event.text, ctx.state.dialog.step)


# --- read in the answer: safety, abuse, services, conversational moves ----------------------

def on_safety(ctx: Context, intent: Intent) -> Transition | None:
    """An emergency now, suicidal words, maltreatment: the number to call, then the bot
    stays with the caller (the safety check)."""
    dialog, outcome = ctx.state.dialog, ctx.state.outcome
    urgent = next((m for m in SAFETY_ORDER if m in moves(ctx)), None)
    if urgent is None or (dialog.step == "safety_check" and urgent not in outcome.safety and (
            urgent not in safety_by_rules(ctx.event.text))):
        return None  # after a safety answer, only words that say it switch to another one
    outcome.distress = True
    understood(ctx)  # a first interaction, understood and answered (tender §6.1)
    mark = spoken_mark(ctx) if dialog.step == "evaluation" else None
    if mark is not None:
        outcome.evaluation.append(mark)  # "cinq… je serai plus là pour Noël": both heard
    if urgent not in outcome.safety:
        outcome.safety.append(urgent)
    ctx.say(urgent)
    if dialog.step != "safety_check":
        dialog.resume_step = dialog.step
        dialog.safety_insisted = False
    return Ask("safety_check")


def on_insult(ctx: Context, intent: Intent) -> Transition | None:
    """Abuse aimed at the bot: a warning, the call ended the second time."""
    outcome = ctx.state.outcome
    if ctx.state.dialog.step == "safety_check" or "insult" not in moves(ctx):
        return None
    outcome.insults += 1
    understood(ctx)  # recognised and answered as it deserves: an interaction (tender §6.1)
    if outcome.insults >= 2:
        ctx.say("insult_end")
        return End("incivilite")
    ctx.say("insult_warning")
    return Stay(repeat=True)


def on_loneliness_or_illness(ctx: Context, intent: Intent) -> Transition | None:
    """Loneliness, illness: a kind word once per call, and the turn goes on (the open
    question again when nothing else was said to it)."""
    step, outcome = ctx.state.dialog.step, ctx.state.outcome
    if step == "safety_check":
        return None
    said = moves(ctx)
    for gentle in ("loneliness", "illness"):
        if gentle not in said or step in FREE_TEXT_STEPS:
            continue
        again = gentle in outcome.safety
        if again and not (step == "request" and gentle == "loneliness"):
            continue  # a kind word once per call; loneliness told again is heard again
        outcome.distress = True
        if not again:
            outcome.safety.append(gentle)
        ctx.say("loneliness_again" if again else gentle)
        if said & SERVICE_MOVES:
            return None  # "toute seule j'y arrive plus, une aide ménagère": its number next
        if not chosen_kind(ctx.event.text) and step == "request":
            return ask("request")  # nothing else said: the question again, gently
    return None


def on_other_service(ctx: Context, intent: Intent) -> Transition | None:
    """Another service (pension, health insurance, home help, a human…): its answer, and
    back to the question."""
    step, outcome = ctx.state.dialog.step, ctx.state.outcome
    if step in ("safety_check", "evaluation") or step in FREE_TEXT_STEPS:
        return None
    found = moves(ctx)
    # A service published in the steering app is sharper than the generic out-of-scope one.
    service = next((k for k in SERVICE_KEYS if k in found and k != "out_of_scope"), None) or (
        other_service(ctx.event.text, ctx.messages.data.get("other_services") or ())) or (
        "out_of_scope" if "out_of_scope" in found else None)
    if service is None or (service == "out_of_scope" and "goodbye" in found):
        return None  # "je me suis trompé de numéro, au revoir": a plain goodbye
    if service == "out_of_scope" and re.search(r"\bateliers?\b", normalize(ctx.event.text)):
        return None  # "on m'a donné votre numéro à la mairie pour les ateliers": a wish
    norm = normalize(ctx.event.text)
    pressed = service in SAID_AGAIN and not re.search(  # "ah d'accord, c'est la mairie, merci"
        r"\bmerci\b|^(?:(?:ah|oh|bon|ben) )*d accord\b", norm)
    if service in outcome.services_given and not pressed and not _insists(norm):
        return None  # "oui, je vais appeler mon médecin, et sinon…": heard, not said again
    if step == "location_confirm" and ctx.state.location.pending.get("region") == "autre":
        return None  # "c'est pas normal, on paye des impôts": about the scope, said next
    if service not in outcome.services_given:
        outcome.services_given.append(service)
    outcome.off_topic += 1
    _say_service(ctx, service)
    if step == "request":
        understood(ctx)  # the open question was understood: it was another service
    if "goodbye" in found:
        return Go("goodbye")  # the number, then the leave-taking the caller asked for
    if step == "request" and re.search(r"\bateliers?\b", normalize(ctx.event.text)) and (
            take_kind(ctx)):  # "… et aussi un atelier pour préparer sa retraite": kept
        ctx.say("request_theme_understood", theme_words=kind_words(ctx))
        return ask("location")
    if step == "request":
        return ask("request", "back_to_search")
    return Stay(repeat=True)


def _insists(norm: str) -> bool:
    """The same service asked for again, its number wanted ("y a pas un numéro où on tombe
    sur quelqu'un ?", "je peux appeler qui pour vérifier ?")."""
    return bool(NUMBER_AGAIN.search(norm) or re.search(
        r"\bnumero\b|\bqui\b.*\b(?:appeler|joindre|contacter|verifier)\b", norm))


def read_back(ctx: Context, number: str) -> bool:
    """Whether the caller reads ``number`` back ("trente six quarante six, c'est ça ?")."""
    return bool(number) and any(number in digits for digits in spoken_numbers(
        normalize(ctx.event.text).split()))


def on_number_read_back(ctx: Context, intent: Intent) -> Transition | None:
    """"Trente-six quarante-six, c'est ça ?" after another service's number: yes, that
    one, and the question again."""
    given = ctx.state.outcome.services_given
    if not given or ctx.state.dialog.step in ("safety_check", *FREE_TEXT_STEPS):
        return None
    number = "".join(re.findall(r"\[tel:(\d+)\]", str(ctx.messages.data.get(given[-1], ""))))
    if not read_back(ctx, number[:4]) or re.search(r"\bnote\b", normalize(ctx.event.text)):
        return None  # "trente-neuf soixante, je l'ai noté, merci": no question asked
    ctx.say("number_read_back", phone=number[:4])
    if re.search(r"\bmerci\b|\bau revoir\b|\badeu\b", normalize(ctx.event.text)):
        return Go("goodbye")  # "trente-deux trente. bon. adéu, merci": noted, and leaving
    return Stay(repeat=True)


def on_number_again(ctx: Context, intent: Intent) -> Transition | None:
    """"Vous pouvez me redire le numéro ?", "alors je fais comment ?" after another service
    or the experiment's scope was answered ("ah bon, c'est pas toute la France ?" after the
    scope): that answer again, with its number, and the question again (during the
    results, the number is the workshop's: not here)."""
    state, norm = ctx.state, normalize(ctx.event.text)
    given = state.outcome.services_given
    if not given or state.dialog.step in (
            "safety_check", "results", "offer_number", "sms", "evaluation",
            "evaluation_reason"):
        return None
    doubt = given[-1] == "scope" and state.dialog.step == "after" and SCOPE_DOUBT.search(norm)
    priced = PRICE.search(norm) and ABOUT_THE_NUMBER.search(norm)
    detail = given[-1] != "scope" and (SERVICE_DETAIL.search(norm) or FILE_ACCESS.search(norm))
    if not (NUMBER_AGAIN.search(norm) or doubt or priced or detail):
        return None
    if detail and not FILE_ACCESS.search(norm):  # "ils viennent combien de fois ?" (no
        ctx.say("service_details")  # access to the file is said with the service's answer)
    if given[-1] == "scope":
        ctx.say("scope_out")
    else:
        _say_service(ctx, given[-1])
    return Stay(repeat=True)


def _say_service(ctx: Context, service: str) -> None:
    """Another service's answer with its number; the advisor's regional contact; the
    price of the call when asked ("c'est gratuit de les appeler ?")."""
    if FILE_ACCESS.search(normalize(ctx.event.text)):
        ctx.say("no_file_access")  # "regardez mon dossier, j'ai mon numéro de sécu"
    ctx.say(service)
    if service == "service_human" and ctx.messages.region:
        ctx.say("regional_contact")  # the region's Carsat, once the region is known
    if service in NUMBERED_SERVICES and PRICE.search(normalize(ctx.event.text)):
        ctx.say("service_cost")


def on_workshop_number_again(ctx: Context, intent: Intent) -> Transition | None:
    """"Vous pouvez répéter le numéro ?", "plus lentement, j'écris pas vite" once a workshop
    was presented: its number again (slowly when asked), and the question again."""
    state = ctx.state
    results = state.results
    if state.dialog.step not in ("results", "offer_number", "sms", "after") or not (
            results.presented and results.items):
        return None
    norm = normalize(ctx.event.text)
    if not WORKSHOP_NUMBER_AGAIN.search(norm) or (
            question_in(norm) not in ("", "ask_number") and "numero" not in norm):
        return None  # "j'ai pas entendu la fin, c'était quel jour ?": the day, answered next
    if intent.name == "slower" or "lentement" in norm or "doucement" in norm:
        state.dialog.slow = True
    shown = results.items[min(results.presented, len(results.items)) - 1]
    if state.dialog.step == "offer_number":
        return give_number(ctx, shown)  # "allez-y doucement" to "Voulez-vous le numéro ?"
    ctx.say("give_number", phone=shown["contact_phone"])
    return Stay(repeat=True)


def on_leaving(ctx: Context, intent: Intent) -> Transition | None:
    """"Au revoir": the leave-taking and the evaluation once something was done for the
    caller, a plain goodbye before."""
    state = ctx.state
    if state.dialog.step in ("safety_check", "evaluation", "evaluation_reason"):
        return None
    said = moves(ctx)
    if not ("goodbye" in said or ("thanks" in said and state.outcome.off_topic
                                  and state.dialog.step == "request")):
        return None
    if state.dialog.step == "location_confirm" and (
            state.location.pending.get("region") == "autre"):
        # "ah, c'est que dans le sud ? bon, au revoir" at "Vous habitez bien à Lille ?":
        # the experiment's scope, then the leave-taking
        state.outcome.off_topic += 1
        if "scope" not in state.outcome.services_given:
            state.outcome.services_given.append("scope")
        ctx.say("scope_out")
        return Go("goodbye")
    if state.results.searches or state.outcome.off_topic:
        return Go("goodbye")
    state.outcome.caller_hung_up = True  # leaving before the first result
    ctx.say("stop")
    return End("stop")


def on_greeting_or_wait(ctx: Context, intent: Intent) -> Transition | None:
    """"Allô ?", "bonjour": answered, and the question again; "attendez": the bot waits."""
    said = moves(ctx)
    if ctx.state.dialog.step == "safety_check" or not said & {"greeting", "wait"} or len(
            ctx.event.text.split()) > 12 or said & {"loneliness", "illness"} or (
            ctx.state.results.presented and (question_in(ctx.event.text) or PREVIOUS.search(
                normalize(ctx.event.text)))):
        return None  # "attendez, c'est quand déjà ?": a question, answered next
    if "greeting" in said:
        ctx.say("greeting_reply")
        return Stay(repeat=True)
    ctx.say("wait_reply")
    return Stay()


# --- the intent of the answer: "pardon ?", slower, objections, back, stop --------------------

def _sure(intent: Intent) -> bool:
    return intent.source == "rule" or intent.confidence >= GLOBAL_CONFIDENCE


def _acted_on(ctx: Context, intent: Intent) -> bool:
    """Whether an objection, "back" or "stop" is acted on at this step: a sure intent, not
    at a free-text step, and not a place at a place step ("deux un trois six zéro" is a
    postcode, whatever the model says)."""
    state = ctx.state
    if not _sure(intent) or state.dialog.step in FREE_TEXT_STEPS:
        return False
    return not (intent.source == "model" and state.dialog.step in PLACE_STEPS and (
        ctx.engine.resolver.resolve(ctx.event.text).status is not Status.NOT_FOUND))


def on_repeat(ctx: Context, intent: Intent) -> Transition | None:
    """"Pardon ?": the last question again, the whole of it (a workshop is presented
    again)."""
    state, text = ctx.state, ctx.event.text
    if intent.name != "repeat" or not _sure(intent) or state.dialog.step in (
            *FREE_TEXT_STEPS, "safety_check"):
        return None  # at the safety check, the number is what is said again
    if (state.dialog.step in ("results", "offer_number") and question_in(text)) or (
            " oui " in f" {text.lower()} "):
        return None  # "j'ai pas compris le nom de la salle": answered by the results
    ctx.say("repeat_intro")
    return Stay(repeat=True)


def on_slower(ctx: Context, intent: Intent) -> Transition | None:
    """"Moins vite": slower speech for the rest of the call, and the question again."""
    dialog = ctx.state.dialog
    if intent.name != "slower" or not _sure(intent) or dialog.step in (
            *FREE_TEXT_STEPS, "safety_check"):
        return None
    dialog.slow = True
    ctx.say("slower")
    return Stay(repeat=True)


def on_objection(ctx: Context, intent: Intent) -> Transition | None:
    """"C'est payant ?", "vous êtes un robot ?", "c'est qui ?", a question off the topic:
    answered, and back to the question."""
    if ctx.state.dialog.step == "safety_check":
        return None  # "j'ai personne à qui parler" is no question about the robot
    if "who" in moves(ctx) and ctx.state.dialog.step not in FREE_TEXT_STEPS and not (
            ctx.state.dialog.step == "request" and chosen_kind(ctx.event.text)):
        # ("c'est qui ? … c'est pour le club des anciens à Nevers": the wish is answered)
        ctx.say("objection_what")
        return Stay(repeat=True)
    step = ctx.state.dialog.step
    if step not in ("results", "offer_number", "sms", *FREE_TEXT_STEPS) and CALL_COST.search(
            normalize(ctx.event.text)):
        ctx.say("objection_cost")  # "ça va pas me coûter une fortune ?", at any question
        return Stay(repeat=True)
    if intent.name not in ANSWERED_ANYWHERE or not _acted_on(ctx, intent) or (
            ctx.state.dialog.step == "evaluation" and intent.source == "model"):
        return None  # "cinq, ça fait du bien de parler à quelqu'un de poli": a mark
    if ctx.state.dialog.step in ("results", "offer_number", "sms") and question_in(
            ctx.event.text):
        return None  # "il faut payer ?" about a workshop: the record answers it
    if intent.source == "model" and (chosen_kind(ctx.event.text) or (
            intent.name in OFF_TOPIC and re.search(r"\bateliers?\b", normalize(
                ctx.event.text)))):
        return None  # "un club, un endroit pour parler", "préparer ma retraite": a wish
    ctx.say(intent.name)
    if intent.name in OFF_TOPIC:
        outcome = ctx.state.outcome
        outcome.off_topic += 1
        if intent.name not in outcome.services_given:
            outcome.services_given.append(intent.name)  # its number asked again next
        if ctx.state.dialog.step == "request":
            understood(ctx)  # the open question was understood: it was off the topic
        ctx.say("back_to_search")
    return Stay(repeat=intent.name not in OFF_TOPIC)


def on_back(ctx: Context, intent: Intent) -> Transition | None:
    """"Je me suis trompé", "revenir en arrière": the previous question again."""
    if intent.name != "back" or not _acted_on(ctx, intent):
        return None
    step, request, location, results = (ctx.state.dialog.step, ctx.state.request,
                                        ctx.state.location, ctx.state.results)
    if step in ("location_confirm", "location_choose", "theme") or (
            step == "location" and location.tries):
        location.place, location.pending, location.options = {}, {}, []
        location.department_hint = ""
        return ask("location")
    if step in ("results", "offer_number") and results.presented > 1:
        results.presented -= 2
        return Go("present_next")
    if step in ("refine", "results", "offer_number", "sms", "after") and location.place:
        results.refine_offered, results.items = False, []
        if request.theme_asked:
            request.theme_chosen = False
            return ask("theme")
        location.place = {}  # the theme came with the request: the town was the last question
        return ask("location")
    return None


def on_stop(ctx: Context, intent: Intent) -> Transition | None:
    """"Arrêtez": the caller chose to leave."""
    if intent.name != "stop" or not _acted_on(ctx, intent):
        return None
    ctx.state.outcome.caller_hung_up = True
    ctx.say("stop")
    return End("stop")
