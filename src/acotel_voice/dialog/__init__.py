"""acotel_voice.dialog: the conversation as a pure turn engine (no I/O, no clock).

``Engine.start`` and ``Engine.handle`` take a call's state and one ``Event`` and give the
next state and the actions (``Turn``); the steps are declared in ``steps/__init__.py``;
the sentences are in ``messages/fr.yaml`` (``Messages``); the statuses of §6.1 in
``_statuses.py``; ``understand`` reads everything an answer holds.

The names are loaded on first use, so that importing one module of the package (a step)
does not load the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._actions import Event, Turn
    from ._engine import Engine
    from ._messages import Messages
    from ._state import CallState
    from ._understanding import understand

_HOMES = {"CallState": "._state", "Engine": "._engine", "Event": "._actions",
          "Messages": "._messages", "Turn": "._actions", "understand": "._understanding"}
__all__ = ["CallState", "Engine", "Event", "Messages", "Turn", "understand"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
