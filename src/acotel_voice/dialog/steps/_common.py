"""What the step handlers share: the listening of each question, failing to get an
answer, the caller's clock, the kind of workshop asked for."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from acotel_geo import Theme

from .._kinds import chosen_kind
from .._turn import Context, End, Stay, Transition

PARIS = ZoneInfo("Europe/Paris")
MAX_NO_INPUT = 3
MAX_MISUNDERSTOOD = 3
MAX_LOCATION_TRIES = 3
MAX_PRESENTED = 3
# Steps whose answer is free text: a reason is never taken for an objection.
FREE_TEXT_STEPS = frozenset({"evaluation_reason"})
# Steps whose answer is a place: a place found wins over what the intent model guessed.
PLACE_STEPS = frozenset({"location", "location_choose"})

# --- how each question is listened to (recognition hints, keypad, barge-in) ----------------

YES_NO = ("oui", "non")
THEME_HINTS = ("la mémoire", "l'équilibre", "le sommeil", "bien manger", "la tablette",
               "voir du monde", "adapter ma maison", "peu importe")
# Recognition hints for the town question: the biggest towns of the four regions.
TOWN_HINTS = ("Marseille", "Nice", "Montpellier", "Toulon", "Dijon", "Perpignan", "Orléans",
              "Tours", "Aix-en-Provence", "Avignon", "Nîmes", "Besançon", "Antibes", "Cannes",
              "Béziers", "Bourges", "Ajaccio", "Chartres", "Blois", "Bastia", "Belfort",
              "Châteauroux", "Nevers", "Auxerre", "Mâcon", "Chalon-sur-Saône", "Carcassonne",
              "Narbonne", "Mende", "Gap", "Digne-les-Bains", "Vesoul", "Lons-le-Saunier",
              "code postal")
SPEECH = ("speech",)
SPEECH_OR_KEYS = ("speech", "digits")


# --- failing to get an answer ---------------------------------------------------------------

def escalate(ctx: Context, key: str, count: int, limit: int, help_key: str = "") -> Transition:
    """The ``count``-th failure in a row to get an answer (silence, not understood): say
    ``key`` and ask again, with ``help_key`` from the second time; at ``limit``, say
    ``<key>_end`` and end the call with ``key`` as the reason."""
    if count >= limit:
        ctx.say(f"{key}_end")
        return End(key)
    ctx.say(key)
    if help_key and count >= 2:
        ctx.say(help_key)
    return Stay(repeat=True)


def on_no_input(ctx: Context) -> Transition:
    """Silence: the question again, help from the second time, the call ended at the third."""
    ctx.state.dialog.no_input += 1
    return escalate(ctx, "no_input", ctx.state.dialog.no_input, MAX_NO_INPUT, "hesitation")


def not_understood(ctx: Context, help_key: str = "") -> Transition:
    ctx.state.dialog.misunderstood += 1
    if ctx.state.log:  # this turn's entry: the steering app groups what was not understood
        ctx.state.log[-1]["not_understood"] = True
    return escalate(ctx, "not_understood", ctx.state.dialog.misunderstood, MAX_MISUNDERSTOOD,
                    help_key)


def understood(ctx: Context) -> None:
    """The open question was answered and understood (tender §6.1: "traité")."""
    ctx.state.request.understood = True
    ctx.state.dialog.misunderstood = 0


# --- the caller's clock ---------------------------------------------------------------------

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


# --- the kind of workshop asked for ---------------------------------------------------------

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
    request = ctx.state.request
    request.module, request.theme, request.theme_chosen = kind, str(MODULE_THEMES[kind]), True
    return True


def kind_words(ctx: Context) -> str:
    return str(ctx.messages.value("kind_words").get(ctx.state.request.module, ""))

