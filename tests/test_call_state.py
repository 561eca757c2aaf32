"""The call's state by part (dialog, request, location, results, outcome), stored flat as
it always was: a state saved before the parts loads and the call goes on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from acotel_geo import default_resolver, load_catalogue
from acotel_voice.dialog._actions import Event, Say
from acotel_voice.dialog._engine import Engine
from acotel_voice.dialog._state import STORED, CallState

# Saved by the flat CallState (commit 41d4887) after "oui" confirmed "le 13 100": the
# first of two memory workshops presented, its number offered.
OLD = json.loads((Path(__file__).parent / "old_call_state.json").read_text("utf-8"))
# Fields added since, with the value a call saved without them goes on with.
ADDED = {"safety_insisted": False, "searched_farther": False, "stays": 0}


def test_a_state_saved_flat_loads_by_part_and_is_stored_the_same() -> None:
    state = CallState.from_dict({**OLD, "queued_s": 12})  # the server's own key: ignored
    assert state.dialog.step == "offer_number" and state.dialog.last_listen == {
        "step": "offer_number"}
    assert state.request.understood and state.request.module == "mémoire"
    assert state.location.place["label"] == "le 13 100" and state.location.region == "sud-est"
    assert state.location.tries == 1 and state.location.first_try
    assert state.results.presented == 1 and len(state.results.items) == 2
    assert state.results.question == "number" and state.outcome.evaluation == []
    stored = state.to_dict()
    assert [key for key in stored if key not in ADDED] == list(OLD)  # same keys, same order
    assert {key: value for key, value in stored.items() if key not in ADDED} == OLD
    assert {key: stored[key] for key in ADDED} == ADDED
    assert [key for key, _ in STORED if key not in ADDED] == list(OLD)


def test_a_call_saved_flat_goes_on() -> None:
    catalogue = load_catalogue(anchor=date(2026, 12, 1))
    engine = Engine(default_resolver(), lambda: catalogue)
    state, turn = engine.handle(CallState.from_dict(json.loads(json.dumps(OLD))),
                                Event("speech", text="oui", at="2026-12-01T10:00:50"))
    said = turn.actions[0]
    assert isinstance(said, Say) and "04 65 71 86 56" in said.text  # the number
    assert state.dialog.step == "results" and state.results.question == "next"
    state, turn = engine.handle(state, Event("speech", text="le suivant",
                                             at="2026-12-01T10:01:00"))
    assert state.results.presented == 2 and "Médiathèque" in turn.actions[0].text  # type: ignore[union-attr]


def test_a_state_missing_later_fields_takes_their_defaults() -> None:
    old = {key: OLD[key] for key in ("call_id", "caller", "caller_masked", "origin",
                                     "called", "started_at", "step", "location")}
    state = CallState.from_dict(old)
    assert state.dialog.step == "offer_number" and state.location.place == OLD["location"]
    assert state.results.items == [] and state.outcome.safety == [] and not state.ended
    assert CallState.from_dict(state.to_dict()) == state
