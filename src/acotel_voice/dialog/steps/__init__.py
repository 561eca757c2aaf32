"""The dialog as a declared graph (tender §5.1).

``STEPS``: every question the bot waits at, with the sentence that asks it, how its answer
is listened to, the handler that reads the answer, and what silence does.
``AT_ANY_STEP``: what is handled the same at every step, in the order it is tried, before
the step's handler. ``PASSAGES``: what the bot does on its way to the next question.

A handler says what it has to through the context and returns the transition (``_turn``):
``Ask`` the next question, ``Stay`` at this one, ``End`` the call, ``Go`` through a
passage, or ``Resume`` the question a safety answer interrupted. The engine applies it.

The phases: the request and the theme (``_request``), where the caller lives
(``_location``), the search (``_search``), the workshops presented (``_presentation``),
the SMS (``_sms_offer``), another search, the leave-taking and the evaluation
(``_closing``), and what is handled at any step with the safety check (``_anywhere``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .._actions import Listen
from .._turn import AnyStepHandler, Handler, Passage
from ._anywhere import (
    on_back,
    on_greeting_or_wait,
    on_insult,
    on_leaving,
    on_loneliness_or_illness,
    on_number_again,
    on_number_read_back,
    on_objection,
    on_other_service,
    on_repeat,
    on_safety,
    on_slower,
    on_stop,
    on_workshop_number_again,
)
from ._closing import leave, on_after, on_evaluation, on_evaluation_reason
from ._common import (
    FREE_TEXT_STEPS,
    PLACE_STEPS,
    SPEECH,
    SPEECH_OR_KEYS,
    THEME_HINTS,
    TOWN_HINTS,
    YES_NO,
    on_no_input,
)
from ._location import on_location, on_location_choose, on_location_confirm
from ._presentation import on_results, present_next
from ._request import on_request, on_theme
from ._safety_check import on_safety_check
from ._search import on_refine, run_search
from ._sms_offer import offer_sms, on_sms

__all__ = ["AT_ANY_STEP", "FREE_TEXT_STEPS", "PASSAGES", "PLACE_STEPS", "STEPS", "StepSpec"]


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One question of the dialog."""

    question: str  # the sentence that asks it; "" when it is only asked in its own words
    listen: Listen  # how the answer is listened to
    handler: Handler  # reads the answer, returns the transition
    on_silence: Passage = on_no_input  # when the caller says nothing
    # Whether asking it notes ``last_listen`` (a field kept in the stored state, read by
    # nothing): the evaluation and safety questions never did.
    notes_listen: bool = True


STEPS: dict[str, StepSpec] = {
    "request": StepSpec("ask_request", Listen(SPEECH, 8.0, THEME_HINTS), on_request),
    "location": StepSpec("ask_location", Listen(SPEECH_OR_KEYS, 10.0, TOWN_HINTS, True, 5),
                         on_location),
    "location_confirm": StepSpec("", Listen(SPEECH, 8.0, YES_NO), on_location_confirm),
    "location_choose": StepSpec("", Listen(SPEECH_OR_KEYS, 8.0, ()), on_location_choose),
    "theme": StepSpec("ask_theme", Listen(SPEECH, 8.0, THEME_HINTS), on_theme),
    "refine": StepSpec("", Listen(SPEECH, 8.0, THEME_HINTS), on_refine),
    "results": StepSpec("offer_next", Listen(SPEECH, 8.0, ("oui", "non", "le suivant")),
                        on_results),
    "offer_number": StepSpec("offer_number", Listen(SPEECH, 8.0, ("oui", "non", "répétez")),
                             on_results),
    "sms": StepSpec("", Listen(SPEECH, 8.0, YES_NO), on_sms),
    "after": StepSpec("ask_new_search",
                      Listen(SPEECH, 8.0, ("un autre atelier", "j'ai terminé")), on_after),
    "evaluation": StepSpec("", Listen(SPEECH_OR_KEYS, 8.0, ("1", "2", "3", "4"), True, 1),
                           on_evaluation, notes_listen=False),
    "evaluation_reason": StepSpec("ask_evaluation_reason", Listen(SPEECH, 15.0, ()),
                                  on_evaluation_reason),
    "safety_check": StepSpec("safety_continue", Listen(SPEECH, 10.0, YES_NO, False),
                             on_safety_check, notes_listen=False),
}

AT_ANY_STEP: tuple[AnyStepHandler, ...] = (
    # read in the answer (speech only)
    on_safety,  # an emergency now, suicidal words, maltreatment: 15, 3114, 3977
    on_insult,
    on_loneliness_or_illness,  # a kind word, and the turn goes on
    on_number_read_back,  # "trente six quarante six, c'est ça ?": yes
    on_number_again,  # the number of the service just given, said again
    on_workshop_number_again,  # and the workshop's, once presented
    on_other_service,
    on_leaving,
    on_greeting_or_wait,
    # the intent of the answer
    on_repeat,
    on_slower,
    on_objection,  # and questions off the topic
    on_back,
    on_stop,
)

PASSAGES: dict[str, Passage] = {
    "search": run_search,
    "present_next": present_next,
    "offer_sms": offer_sms,
    "goodbye": leave,
}
