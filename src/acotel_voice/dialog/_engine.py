"""The turn engine: a call's state and one event in, the next state and actions out.

No I/O and no clock: the platform adapter passes the time in each event, the location
resolver and the catalogue are in-memory. Each dialog step is a handler in ``_steps``;
what can happen at any step (silence, distress, insults, "pardon ?", "moins vite",
objections, other services, hang-up) is handled here, before the step's handler.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from acotel_geo import Catalogue, Resolver, Status

from ._actions import Event, Hangup, Listen, Say, Turn
from ._intents import Intent, detect
from ._messages import Messages
from ._moves import read_moves
from ._phone import mask, mask_text, national, origin
from ._results import question_in
from ._speech import plain, ssml
from ._state import CallState
from ._statuses import statuses

MAX_NO_INPUT = 3
MAX_MISUNDERSTOOD = 3
# Model intents acted on at any step only when this sure (rules are always sure).
GLOBAL_CONFIDENCE = 0.6
# Answered at any step by the sentence of the same name.
ANSWERED_ANYWHERE = frozenset({"objection_cost", "objection_robot", "objection_number",
                               "objection_what", "pension", "health_insurance", "out_of_scope"})
OFF_TOPIC = frozenset({"pension", "health_insurance", "out_of_scope"})
SAFETY_AND_ABUSE = frozenset({"suicide", "distress", "insult"})


@dataclass
class Context:
    """One turn being built: the state, the sentences said, the listening asked for."""

    engine: Engine
    state: CallState
    event: Event
    sentences: list[str] = field(default_factory=list)
    listen: Listen | None = None
    hangup: str = ""
    extra: list[Any] = field(default_factory=list)  # SMS actions

    @property
    def messages(self) -> Messages:
        return self.engine.messages(self.state.region)

    def say(self, key: str, **values: Any) -> None:
        self.sentences.append(self.messages.text(key, **values))

    def say_text(self, text: str) -> None:
        self.sentences.append(text)

    def end(self, reason: str) -> None:
        self.hangup = reason
        self.listen = None


# The sentences published in the steering app for a region: (version, key -> text).
Published = Callable[[str], tuple[str, Mapping[str, Any]]]


class Engine:
    def __init__(self, resolver: Resolver, catalogue: Callable[[], Catalogue]) -> None:
        self.resolver = resolver
        self.catalogue = catalogue
        self.published: Published | None = None
        self._messages: dict[str, tuple[str, Messages]] = {}

    def messages(self, region: str) -> Messages:
        """The region's sentences, with what the steering app published (a publication
        reaches the next turn of every call, without a restart)."""
        version, texts = self.published(region) if self.published else ("", {})
        cached = self._messages.get(region)
        if cached is None or cached[0] != version:
            cached = (version, Messages(region, published=texts))
            self._messages[region] = cached
        return cached[1]

    def start(self, call_id: str, caller: str, called: str, at: str) -> tuple[CallState, Turn]:
        from . import _steps

        number = national(caller)
        state = CallState(call_id=call_id, caller=number, caller_masked=mask(number),
                          origin=str(origin(caller)), called=called, started_at=at)
        ctx = Context(self, state, Event("start", caller=caller, called=called, at=at))
        ctx.say("welcome")
        _steps.ask(ctx, "request")
        return state, self._finish(ctx)

    def handle(self, state: CallState, event: Event, *,
               copy_state: bool = True) -> tuple[CallState, Turn]:
        """The next state and actions. ``state`` itself is left untouched, unless
        ``copy_state`` is False (a caller that just deserialised it needs no copy)."""
        from . import _steps

        if copy_state:
            state = copy.deepcopy(state)
        ctx = Context(self, state, event)
        if state.ended:
            return state, Turn()
        if event.type == "hangup":
            state.caller_hung_up = True
            state.ended, state.ended_at = True, event.at
            self._log(ctx, None)
            state.statuses = statuses(state)
            return state, Turn()
        if event.type == "no_input":
            self._log(ctx, None)
            self._on_silence(ctx)
            return state, self._finish(ctx)
        state.no_input = 0
        if not state.first_answer_at:
            state.first_answer_at = event.at
        intent = self._understand(event)
        self._log(ctx, intent)
        try:
            if not self._anywhere(ctx, intent):
                _steps.STEPS[state.step](ctx, intent)
        except Exception:  # a failing component: an incident message, the call flagged
            state.incident = True
            ctx.sentences, ctx.extra = [], []
            ctx.say("incident")
            ctx.end("incident")
        return state, self._finish(ctx)

    def _anywhere(self, ctx: Context, intent: Intent) -> bool:
        """What is handled the same at every step; True when the turn is done."""
        from . import _steps

        if ctx.event.type == "speech" and _steps.on_moves(
                ctx, read_moves(ctx.event.text, ctx.state.step)):
            return True
        state, sure = ctx.state, intent.source == "rule" or intent.confidence >= GLOBAL_CONFIDENCE
        if intent.name in ("repeat", "slower") and not sure:
            return False
        if intent.name == "repeat" and (
                (state.step in ("results", "offer_number") and question_in(ctx.event.text))
                or " oui " in f" {ctx.event.text.lower()} "):
            return False  # "j'ai pas compris le nom de la salle": answered by the results
        if state.step in _steps.FREE_TEXT_STEPS:
            return False
        if intent.name == "repeat":
            ctx.say("repeat_intro")
            _steps.repeat_prompt(ctx)
            return True
        if intent.name == "slower":
            state.slow = True
            ctx.say("slower")
            _steps.repeat_prompt(ctx)
            return True
        if not sure or state.step in _steps.FREE_TEXT_STEPS:
            return False
        if intent.source == "model" and state.step in _steps.PLACE_STEPS and (
                self.resolver.resolve(ctx.event.text).status is not Status.NOT_FOUND):
            return False  # "deux un trois six zéro" is a postcode, whatever the model says
        if intent.name in ANSWERED_ANYWHERE:
            ctx.say(intent.name)
            if intent.name in OFF_TOPIC:
                state.off_topic += 1
                ctx.say("back_to_search")
            _steps.repeat_prompt(ctx, say=intent.name not in OFF_TOPIC)
            return True
        if intent.name == "back" and _steps.go_back(ctx):
            return True
        if intent.name == "stop":
            state.caller_hung_up = True  # the caller chose to leave
            ctx.say("stop")
            ctx.end("stop")
            return True
        return False

    @staticmethod
    def _understand(event: Event) -> Intent:
        """The intent of the best transcript; when it means nothing, of the first of the
        recogniser's alternatives that does."""
        if event.type != "speech":
            return Intent("digits", 1.0, "dtmf")
        intent = detect(event.text)
        for alternative in event.alternatives:
            if intent.name != "unknown":
                break
            intent = detect(alternative)
        if intent.name in SAFETY_AND_ABUSE:  # read with their context guards (_moves)
            return Intent("unknown", 0.0, "guarded")
        return intent

    def _on_silence(self, ctx: Context) -> None:
        from . import _steps

        ctx.state.no_input += 1
        _steps.escalate(ctx, "no_input", ctx.state.no_input, MAX_NO_INPUT, "hesitation")

    def _log(self, ctx: Context, intent: Intent | None) -> None:
        event = ctx.event
        ctx.state.log.append({
            "at": event.at, "step": ctx.state.step, "type": event.type,
            "text": mask_text(event.text), "digits": "X" * len(event.digits),
            "intent": intent.name if intent else "",
            "confidence": round(intent.confidence, 3) if intent else None,
        })

    def _finish(self, ctx: Context) -> Turn:
        state = ctx.state
        turn = Turn()
        if ctx.sentences:
            turn.actions.append(Say(" ".join(plain(s) for s in ctx.sentences),
                                    ssml(ctx.sentences, slow=state.slow)))
        turn.actions.extend(ctx.extra)
        if ctx.hangup:
            state.ended, state.ended_at = True, ctx.event.at
            turn.actions.append(Hangup(ctx.hangup))
        elif ctx.listen is not None:
            turn.actions.append(ctx.listen)
        state.statuses = statuses(state)
        return turn
