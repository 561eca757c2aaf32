"""The safety check: the step that follows a safety answer (15/112, 3114, 3977). The bot
stays with the caller; a clear wish goes on with the search, leaving to make the call or
a plain no ends calmly, anything else gets the number again."""

from __future__ import annotations

import re

from acotel_geo import Status

from .._intents import Intent, normalize
from .._kinds import chosen_kind
from .._moves import CALLING_NOW, GO_ON, PLAYED_DOWN
from .._turn import Context, End, Resume, Stay, Transition
from ._anywhere import SAFETY_NUMBERS, SAFETY_ORDER, moves, read_back
from ._common import PLACE_STEPS, take_kind

# Words of a wish, with a kind of workshop at the safety check.
WISH = re.compile(r"\b(?:pour|voudrais|veux|cherche|interesse\w*|atelier|truc|envie|aimerais|"
                  r"plutot|faire|parlez|dites|donnez)\b")


def on_safety_check(ctx: Context, intent: Intent) -> Transition:
    """After a safety answer: go on if the caller clearly wishes; a short "no", or leaving
    to make the call, is a calm goodbye; distress played down ("c'est peut-être rien") or a
    workshop asked for at once after an emergency gets the number again, once, before going
    on; anything else, the bot stays with the caller and gives the number again."""
    state, dialog = ctx.state, ctx.state.dialog
    norm = normalize(ctx.event.text)
    words = norm.split()
    urgent = next((m for m in reversed(state.outcome.safety) if m in SAFETY_ORDER), "")
    played_down = bool(PLAYED_DOWN.search(norm))
    # a wish, not only words of a kind ("il dit que je perds la tête" asks for nothing)
    workshop = bool((intent.theme and intent.source == "rule") or GO_ON.search(norm) or (
        chosen_kind(ctx.event.text) and WISH.search(norm)))
    if re.search(r"\brappellerai\b|\bune autre fois\b|\bplus tard\b", norm):
        workshop = False  # "je vous rappellerai pour l'atelier": not now
    goes_on = intent.name in ("affirm", "new_search", "request_workshop") or workshop
    if (CALLING_NOW.search(norm) or "goodbye" in moves(ctx)) and not workshop:
        # "bon, j'appelle", "il rentre, je raccroche", "je l'ai noté… bonne nuit"
        if urgent in SAFETY_NUMBERS:
            ctx.say("safety_remember", phone=SAFETY_NUMBERS[urgent])
        _safety_goodbye(ctx)
        return End("safety")
    if urgent in SAFETY_NUMBERS and read_back(ctx, SAFETY_NUMBERS[urgent]) and not (
            CALLING_NOW.search(norm) or "goodbye" in moves(ctx)):
        ctx.say("number_read_back", phone=SAFETY_NUMBERS[urgent])  # "le trente et un
        ctx.say("safety_stay")  # quatorze, c'est ça ?"
        return Stay(barge_in=False)
    if urgent in SAFETY_NUMBERS and not workshop and re.search(
            r"\bnumero\b.*\b(?:deja|encore|redi\w*|repet\w*|doucement|lentement)\b|"
            r"\b(?:c est quoi|quel|redonnez|donnez moi)\b.*\bnumero\b|\bredi(?:tes|re)\b|"
            r"\brepet|\bvous dites\b", norm):
        if re.search(r"\bdoucement\b|\blentement\b", norm):
            dialog.slow = True  # "redites-le doucement, j'ai pas de quoi écrire"
        ctx.say("give_number", phone=SAFETY_NUMBERS[urgent])
        ctx.say("safety_stay")
        return Stay(barge_in=False)
    if goes_on and not played_down and dialog.resume_step in ("evaluation",
                                                               "evaluation_reason"):
        _safety_goodbye(ctx)  # the call was over: nothing more to go on with
        return End("safety")
    if goes_on and not played_down and (dialog.safety_insisted or not workshop or
                                        urgent != "emergency"):
        # the number was given and the caller chose to go on (an emergency now: the
        # number once more first); what they asked for is read as the answer, after the
        # number said once more, briefly ("c'est des idées, donnez-moi l'atelier")
        if workshop and urgent in SAFETY_NUMBERS and not dialog.safety_insisted:
            ctx.say("safety_remember", phone=SAFETY_NUMBERS[urgent])
        ctx.say("safety_resume")
        return _go_on(ctx, intent)
    if not played_down and not workshop and (
            (intent.name in ("deny", "goodbye", "stop") and len(words) <= 4) or (
            "merci" in words or "gentille" in words or "gentil" in words)) and not re.search(
            r"\bje (?:ne )?sais pas\b|\bpersonne\b", norm):  # "je sais pas…": stay
        if urgent in SAFETY_NUMBERS:
            ctx.say("safety_remember", phone=SAFETY_NUMBERS[urgent])
        _safety_goodbye(ctx)
        return End("safety")
    if dialog.safety_insisted and (played_down or workshop):
        ctx.say("safety_resume")  # said twice: the caller knows, and chooses to go on
        return _go_on(ctx, intent)
    dialog.safety_insisted = True
    if played_down or urgent not in SAFETY_NUMBERS:
        ctx.say(urgent or "suicide")  # the whole message again: it was not taken in
    else:  # "j'ai personne ici", "il est parti au café": the number, short and calm
        ctx.say("safety_remember", phone=SAFETY_NUMBERS[urgent])
    ctx.say("safety_stay")
    return Stay(barge_in=False)


def _safety_goodbye(ctx: Context) -> None:
    """"Prenez soin de vous… Au revoir": the bot takes leave of the caller (tender §6.1:
    the call reached the leave-taking, abouti)."""
    ctx.state.outcome.reached_goodbye = True
    ctx.say("safety_goodbye")


def _go_on(ctx: Context, intent: Intent) -> Resume:
    """Back to the interrupted question; a kind or a town said with "go on" is read as its
    answer, except at a place question, where only the kind of workshop is kept
    ("dites-moi votre truc de mémoire, sinon la petite va me disputer" names no town)."""
    if ctx.state.dialog.resume_step in PLACE_STEPS:
        take_kind(ctx)
        return Resume()
    text = ctx.event.text
    return Resume(reread=bool(intent.theme or chosen_kind(text) or (
        ctx.engine.resolver.resolve(text).status is Status.RESOLVED)))
