"""One turn being built (``Context``), and what a step handler returns: the transition to
the next step, applied by the engine (``Ask``, ``Stay``, ``End``, ``Go``, ``Resume``).

Step handlers say what they have to say through the context and *return* where the dialog
goes; they never set the step nor the listening themselves. This module imports nothing
of the engine nor of the steps, so neither imports the other to work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from acotel_geo import Catalogue, Resolver

from ._actions import Event, Listen
from ._intents import Intent
from ._messages import Messages
from ._state import CallState


class Services(Protocol):
    """What a step may use of the engine: the resolver, the catalogue, the sentences."""

    resolver: Resolver
    catalogue: Callable[[], Catalogue]

    def messages(self, region: str) -> Messages: ...


@dataclass
class Context:
    """One turn being built: the state, the sentences said, the listening asked for."""

    engine: Services
    state: CallState
    event: Event
    sentences: list[str] = field(default_factory=list)
    listen: Listen | None = None
    hangup: str = ""
    extra: list[Any] = field(default_factory=list)  # SMS actions

    @property
    def messages(self) -> Messages:
        return self.engine.messages(self.state.location.region)

    def say(self, key: str, **values: Any) -> None:
        self.sentences.append(self.messages.text(key, **values))

    def say_text(self, text: str) -> None:
        self.sentences.append(text)

    def end(self, reason: str) -> None:
        self.hangup = reason
        self.listen = None


# --- transitions ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ask:
    """Put a question and listen for its answer at ``step``: the step's own question, or
    the sentence ``key`` (with ``values``), or ``text`` already composed. ``recap`` is said
    just before it and repeated with it on "pardon ?" (a workshop just presented)."""

    step: str
    key: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""
    recap: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Stay:
    """The question still open: listen again at the same step, after saying the last
    question again when ``repeat``; ``listen_as`` listens as another step does."""

    repeat: bool = False
    barge_in: bool = True
    listen_as: str = ""


@dataclass(frozen=True, slots=True)
class End:
    """Hang up, for ``reason`` (what was to be said is said)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Go:
    """Go on through a passage of the dialog (a search, the next workshop, the SMS offer,
    the leave-taking…): it says what it has to and returns the transition that follows."""

    passage: str


@dataclass(frozen=True, slots=True)
class Resume:
    """Back to the question a safety answer interrupted (the open question when that one
    cannot be asked on its own); with ``reread``, the answer is read again as the answer
    to that question ("bon, vous avez quoi à Carcassonne pour voir du monde ?")."""

    reread: bool = False


Transition = Ask | Stay | End | Go | Resume

# A step's handler reads the answer and returns where the dialog goes.
Handler = Callable[[Context, Intent], Transition]
# Handled at any step: a transition when the turn is answered, None to pass it on.
AnyStepHandler = Callable[[Context, Intent], Transition | None]
# A passage, and what is done when the caller says nothing.
Passage = Callable[[Context], Transition]


def ask(step: str, key: str = "", **values: Any) -> Ask:
    """The question of ``step`` (or the sentence ``key``), listening at ``step``."""
    return Ask(step, key, values)
