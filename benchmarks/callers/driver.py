"""Adaptive simulated callers: a persona (written apart from the code, see personas/) answers
what the bot is doing, turn by turn, through the real turn engine, on a Paris clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from acotel_voice.dialog._actions import Event, Hangup, Listen, Say, Sms, Turn
from acotel_voice.dialog._engine import Engine
from acotel_voice.dialog._simulate import spoken_seconds

PARIS = ZoneInfo("Europe/Paris")
MAX_TURNS = 40
CALLER_WORDS_PER_S = 2.0
CALLER_REACTION_S = 1.5

# What the bot is doing, by the engine's step (the personas' `when` vocabulary).
SITUATIONS = {
    "request": "welcome", "welcome": "welcome",
    "location": "ask_location", "ask_location": "ask_location",
    "location_confirm": "confirm_location", "confirm_location": "confirm_location",
    "location_choose": "choose_location", "choose_location": "choose_location",
    "theme": "ask_theme", "ask_theme": "ask_theme", "kind": "ask_theme",
    "refine": "refine", "offer_other_kinds": "refine", "other_kinds": "refine",
    "results": "results", "present": "results",
    "offer_number": "offer_number", "number": "offer_number",
    "sms": "offer_sms", "offer_sms": "offer_sms",
    "after": "ask_more", "ask_more": "ask_more", "anything_else": "ask_more",
    "evaluation": "evaluation", "evaluation_reason": "evaluation_reason",
    "safety_check": "safety_check", "safety": "safety_check",
}
MODULES = {"memoire": "mémoire", "equilibre": "équilibre", "sommeil": "sommeil",
           "nutrition": "nutrition", "gym_douce": "gym douce", "numerique": "numérique",
           "lien_social": "lien social", "habitat": "habitat",
           "securite_routiere": "sécurité routière", "bien_etre": "bien-être",
           "retraite": "retraite"}


def situation(state: Any) -> str:
    step = getattr(state, "step", None)
    if step is None and hasattr(state, "dialog"):
        step = getattr(state.dialog, "step", "")
    return SITUATIONS.get(str(step), "any")


@dataclass
class Exchange:
    """One caller turn and the bot's reply to it."""

    situation: str
    said: str
    reply: str
    check: str = ""
    hung_up: bool = False


@dataclass
class CallRun:
    persona: dict[str, Any]
    exchanges: list[Exchange] = field(default_factory=list)
    bot_text: list[str] = field(default_factory=list)
    sms: list[str] = field(default_factory=list)
    state: Any = None
    started: datetime | None = None
    ended_at: datetime | None = None
    spoken_s: float = 0.0
    error: str = ""
    defects: list[str] = field(default_factory=list)

    @property
    def all_bot_text(self) -> str:
        return " ".join(self.bot_text)


def _location_answer(persona: dict[str, Any], index: int) -> str:
    places = persona.get("says_place") or []
    if not places:
        return "je ne sais pas"
    return str(places[index % len(places)])


def _pending_town(state: Any) -> str:
    for name in ("pending", "candidate"):
        value = getattr(state, name, None) or getattr(getattr(state, "location", None),
                                                      name, None)
        if isinstance(value, dict) and value.get("insee"):
            return str(value["insee"])
    location = getattr(state, "location", None)
    if isinstance(location, dict):
        return str((location.get("pending") or {}).get("insee", ""))
    return ""


class Driver:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def run(self, persona: dict[str, Any]) -> CallRun:
        run = CallRun(persona)
        start = datetime.fromisoformat(str(persona["call_time"])).replace(tzinfo=PARIS)
        clock = start
        run.started = start
        caller = "" if persona.get("caller") == "hidden" else str(persona.get("caller", ""))
        script = list(persona.get("script") or [])
        used = [False] * len(script)
        answers = persona.get("answers") or {}
        counters: dict[str, int] = {}
        hang_after = persona.get("hangs_up_after")
        try:
            state, turn = self.engine.start(str(persona["id"]), caller, "0900000000",
                                            clock.isoformat())
        except Exception as failure:
            run.error = f"start failed: {failure!r}"
            return run
        clock += self._bot(run, turn)
        for number in range(MAX_TURNS):
            if getattr(state, "ended", False):
                break
            where = situation(state)
            said, check = self._answer(persona, where, script, used, answers, counters, state)
            if hang_after is not None and number >= int(hang_after):
                said, check = "<hangup>", ""
            if said == "<hangup>":
                state, turn = self.engine.handle(state, Event("hangup", at=clock.isoformat()))
                run.exchanges.append(Exchange(where, said, "", check, hung_up=True))
                break
            clock += timedelta(seconds=CALLER_REACTION_S + len(said.split()) / CALLER_WORDS_PER_S)
            try:
                state, turn = self.engine.handle(state, Event("speech", text=said,
                                                              at=clock.isoformat()))
            except Exception as failure:
                run.error = f"turn failed on {said!r}: {failure!r}"
                break
            before = len(run.bot_text)
            clock += self._bot(run, turn)
            run.exchanges.append(Exchange(where, said, " ".join(run.bot_text[before:]), check))
        if not getattr(state, "ended", False):
            state, _ = self.engine.handle(state, Event("hangup", at=clock.isoformat()))
        run.state, run.ended_at = state, clock
        run.spoken_s = (clock - start).total_seconds()
        return run

    @staticmethod
    def _bot(run: CallRun, turn: Turn) -> timedelta:
        for action in turn.actions:
            if isinstance(action, Say):
                run.bot_text.append(action.text)
            elif isinstance(action, Sms):
                run.sms.append(action.text)
            elif isinstance(action, Listen | Hangup):
                pass
        return timedelta(seconds=spoken_seconds(turn))

    def _answer(self, persona: dict[str, Any], where: str, script: list[dict[str, Any]],
                used: list[bool], answers: dict[str, Any], counters: dict[str, int],
                state: Any) -> tuple[str, str]:
        if where == "welcome" and not counters.get("opened") and persona.get("opening"):
            counters["opened"] = 1  # the first thing a caller says is their opening
            counters["welcome"] = 1
            return str(persona["opening"]), ""
        for i, entry in enumerate(script):
            # "results" is while the workshops are read: a question or a distress said
            # there may come at the offer of a workshop's number too (the question right
            # after each presentation)
            check = str(entry.get("check") or "")
            # "any" with a check on a workshop's facts (when, where, the number…) is any
            # moment once a workshop was read: before, there is nothing to answer from
            about_workshop = check.startswith("answer_") or check == "give_number"
            # a script is read in order: "any" comes after the lines written before it
            # ("… then at the end, 'bon ben merci, au revoir'")
            in_turn = all(used[:i])
            if not used[i] and (entry.get("when") == where or (
                    entry.get("when") == "any" and in_turn and not (
                        about_workshop and where not in (
                            "results", "offer_number", "offer_sms", "ask_more"))) or (
                    entry.get("when") == "results" and where == "offer_number" and
                    check.startswith(("safety_", "answer_")))):
                used[i] = True
                return str(entry.get("say", "")), str(entry.get("check") or "")
        count = counters.get(where, 0)
        counters[where] = count + 1
        wish = persona.get("wish") or {}
        wish_says = list(wish.get("says") or []) or ["peu importe"]
        if where == "welcome":
            if count == 0 and persona.get("opening"):
                return str(persona["opening"]), ""
            if not persona.get("wish") and not (persona.get("expect") or {}).get("town_insee"):
                # Asked whether they want a workshop too, a caller who only called for
                # something else (no wish, no search expected) declines: "peu importe"
                # would ask for any workshop.
                return "non merci c'est tout", ""
            return wish_says[count % len(wish_says)], ""
        if where == "ask_location":
            return _location_answer(persona, count), ""
        if where == "confirm_location":
            home = (persona.get("home") or {}).get("insee")
            if answers.get("confirm_location") == "always_yes" or not home:
                return "oui", ""
            return ("oui c'est ça", "") if _pending_town(state) in ("", home) else \
                ("non " + _location_answer(persona, count), "")
        if where == "choose_location":
            return _location_answer(persona, count + 1), ""
        if where in ("ask_theme", "refine"):
            return wish_says[count % len(wish_says)], ""
        if where == "results":  # "shall I present the next workshop?"
            return "non merci ça ira", ""
        if where == "offer_number":
            return ("oui je veux bien le numéro" if answers.get("wants_number") else
                    "non merci"), ""
        if where == "offer_sms":
            return ("oui volontiers" if answers.get("wants_sms") else "non merci"), ""
        if where == "ask_more":
            return "non merci au revoir", ""
        if where == "evaluation":
            score = answers.get("evaluation")
            return ("<hangup>" if score is None else str(score)), ""
        if where == "evaluation_reason":
            return str(answers.get("evaluation_reason") or "c'était bien"), ""
        if where == "safety_check":
            return "non merci", ""
        return ("oui" if count == 0 else "au revoir"), ""
