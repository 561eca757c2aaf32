"""The turn engine: a call's state and one event in, the next state and actions out.

No I/O and no clock: the platform adapter passes the time in each event, the location
resolver and the catalogue are in-memory. The dialog is declared in ``steps``: each turn,
the at-any-step handlers are tried in their order (safety first), then the handler of the
step the call is at; the transition it returns is applied here (``_apply``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from acotel_geo import Catalogue, Resolver

from ._actions import Event, Hangup, Say, Turn
from ._intents import Intent, detect
from ._messages import Messages
from ._moves import read_moves
from ._phone import mask, mask_text, national, origin
from ._speech import plain, ssml
from ._state import CallState
from ._statuses import statuses
from ._turn import Ask, Context, End, Go, Resume, Stay, Transition
from .steps import AT_ANY_STEP, PASSAGES, STEPS

SAFETY_AND_ABUSE = frozenset({"suicide", "distress", "insult"})
# Passages gone through in one turn at most (a search, a workshop, the SMS offer…).
MAX_PASSAGES = 8
# Answers in a row that leave the dialog on the same question before the bot gives up
# politely (a caller saying the same thing again and again must not be kept forever);
# never during a safety answer.
MAX_STAYS = 6

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
        number = national(caller)
        state = CallState(call_id=call_id, caller=number, caller_masked=mask(number),
                          origin=str(origin(caller)), called=called, started_at=at)
        ctx = Context(self, state, Event("start", caller=caller, called=called, at=at))
        ctx.say("welcome")
        self._apply(ctx, Ask("request"))
        return state, self._finish(ctx)

    def handle(self, state: CallState, event: Event, *,
               copy_state: bool = True) -> tuple[CallState, Turn]:
        """The next state and actions. ``state`` itself is left untouched, unless
        ``copy_state`` is False (a caller that just deserialised it needs no copy)."""
        if copy_state:
            state = copy.deepcopy(state)
        ctx = Context(self, state, event)
        if state.ended:
            return state, Turn()
        if event.type == "hangup":
            state.outcome.caller_hung_up = True
            state.ended, state.ended_at = True, event.at
            self._log(ctx, None)
            state.statuses = statuses(state)
            return state, Turn()
        if event.type == "no_input":
            self._log(ctx, None)
            self._apply(ctx, STEPS[state.dialog.step].on_silence(ctx))
            return state, self._finish(ctx)
        state.dialog.no_input = 0
        if not state.first_answer_at:
            state.first_answer_at = event.at
        intent = self._understand(event)
        self._log(ctx, intent)
        try:
            transition = (self._at_any_step(ctx, intent)
                          or STEPS[state.dialog.step].handler(ctx, intent))
            if isinstance(transition, Resume) and transition.reread and STEPS[
                    resumed := state.dialog.resume_step or "request"].question:
                state.dialog.step = resumed
                transition = STEPS[resumed].handler(ctx, intent)
            waits = "wait" in read_moves(event.text, state.dialog.step)  # "attendez": fine
            # the same question asked again, in its own words or others, is a stay too
            again = isinstance(transition, Stay) or (
                isinstance(transition, Ask) and transition.step == state.dialog.step)
            state.dialog.stays = state.dialog.stays + (not waits) if again else 0
            if state.dialog.stays >= MAX_STAYS and state.dialog.step != "safety_check":
                ctx.sentences = []
                ctx.say("not_understood_end")
                transition = End("stuck")
            self._apply(ctx, transition)
        except Exception:  # a failing component: an incident message, the call flagged
            state.incident = True
            ctx.sentences, ctx.extra = [], []
            ctx.say("incident")
            ctx.end("incident")
        return state, self._finish(ctx)

    @staticmethod
    def _at_any_step(ctx: Context, intent: Intent) -> Transition | None:
        """What is handled the same at every step, tried in its declared order."""
        for handler in AT_ANY_STEP:
            transition = handler(ctx, intent)
            if transition is not None:
                return transition
        return None

    @staticmethod
    def _apply(ctx: Context, transition: Transition) -> None:
        """Where the dialog goes: through the passages, to a question, or to the end."""
        state = ctx.state
        for _ in range(MAX_PASSAGES):
            if isinstance(transition, Go):
                transition = PASSAGES[transition.passage](ctx)
            elif isinstance(transition, Resume):
                step = state.dialog.resume_step or "request"
                transition = Ask(step if STEPS[step].question else "request")
            else:
                break
        else:
            raise RuntimeError(f"more than {MAX_PASSAGES} passages in one turn")
        if isinstance(transition, Ask):
            spec = STEPS[transition.step]
            question = transition.text or ctx.messages.text(
                transition.key or spec.question, **transition.values)
            ctx.sentences.extend(transition.recap)
            ctx.sentences.append(question)
            state.dialog.step = transition.step
            state.request.theme_asked = state.request.theme_asked or transition.step == "theme"
            state.dialog.last_prompt = [*transition.recap, question]
            if spec.notes_listen:
                state.dialog.last_listen = {"step": transition.step}
            ctx.listen = spec.listen
        elif isinstance(transition, Stay):
            if transition.repeat:
                ctx.sentences.extend(state.dialog.last_prompt)
            listen = STEPS[transition.listen_as or state.dialog.step].listen
            ctx.listen = listen if transition.barge_in else replace(listen, barge_in=False)
        elif isinstance(transition, End):
            ctx.end(transition.reason)

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

    def _log(self, ctx: Context, intent: Intent | None) -> None:
        event = ctx.event
        ctx.state.log.append({
            "at": event.at, "step": ctx.state.dialog.step, "type": event.type,
            "text": mask_text(event.text), "digits": "X" * len(event.digits),
            "intent": intent.name if intent else "",
            "confidence": round(intent.confidence, 3) if intent else None,
        })

    def _finish(self, ctx: Context) -> Turn:
        state = ctx.state
        turn = Turn()
        if ctx.sentences:
            turn.actions.append(Say(" ".join(plain(s) for s in ctx.sentences),
                                    ssml(ctx.sentences, slow=state.dialog.slow)))
        turn.actions.extend(ctx.extra)
        if ctx.hangup:
            state.ended, state.ended_at = True, ctx.event.at
            turn.actions.append(Hangup(ctx.hangup))
        elif ctx.listen is not None:
            turn.actions.append(ctx.listen)
        state.statuses = statuses(state)
        return turn
