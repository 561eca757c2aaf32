"""acotel_voice.dialog: the conversation as a pure turn engine (no I/O, no clock).

``Engine.start`` and ``Engine.handle`` take a call's state and one ``Event`` and give the
next state and the actions (``Turn``); the sentences are in ``messages/fr.yaml``
(``Messages``); the statuses of §6.1 in ``_statuses.py``.
"""

from ._actions import Event, Turn
from ._engine import Engine
from ._messages import Messages
from ._state import CallState
from ._understanding import understand

__all__ = ["CallState", "Engine", "Event", "Messages", "Turn", "understand"]
