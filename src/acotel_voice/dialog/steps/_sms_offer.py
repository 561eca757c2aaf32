"""After the workshops: the SMS offered to French mobiles (tender §5.1), the contacts said
again to other numbers."""

from __future__ import annotations

from .._actions import Sms
from .._intents import Intent, normalize
from .._moves import says_yes
from .._results import answer as answer_question
from .._results import question_in
from .._sms import compose, segments
from .._turn import Context, Stay, Transition, ask
from ._common import not_understood, today
from ._presentation import at_venue


def offer_sms(ctx: Context) -> Transition:
    """SMS only to French mobiles (tender §5.1); a landline or another number is told so in
    its own words, and offered the number again."""
    origin = ctx.state.origin
    if origin == "mobile":
        ctx.state.results.sms_offered = True
        return ask("sms", "offer_sms")
    return ask("sms", "landline_no_sms" if origin == "fixe" else "other_no_sms")


def on_sms(ctx: Context, intent: Intent) -> Transition:
    state = ctx.state
    question = question_in(ctx.event.text)
    if question and question != "ask_number" and state.results.items:
        # "et c'est loin de chez moi ?": answered from the workshop just presented, then
        # the SMS question again
        current = state.results.items[max(state.results.presented, 1) - 1]
        ctx.sentences.extend(answer_question(ctx.messages, question, current,
                                             at_venue(current["venue"]), today(ctx).date()))
        return Stay(repeat=True)
    if intent.name not in ("affirm", "deny", "goodbye") and says_yes(ctx.event.text):
        intent = Intent("affirm", intent.confidence, "rule")
    shown = state.results.items[:max(state.results.presented, 1)]
    if intent.name == "affirm" and state.origin == "mobile":
        for text in compose(shown):
            ctx.extra.append(Sms(state.caller, text, segments(text)))
            state.results.sms_sent.append(text)
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
        return not_understood(ctx)
    return ask("after")
