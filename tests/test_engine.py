"""The turn engine: scripted calls, calls resumed from JSON, and no event that breaks it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acotel_geo import default_resolver, load_catalogue
from acotel_voice.dialog._actions import Event, Hangup, Listen, Say
from acotel_voice.dialog._engine import Engine
from acotel_voice.dialog._simulate import Call, load_script, replay, script_day
from acotel_voice.dialog._state import CallState
from acotel_voice.dialog._statuses import DEFINITIONS

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    catalogue = load_catalogue(anchor=DAY)
    return Engine(default_resolver(), lambda: catalogue)


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scripted_call(engine, path: Path) -> None:
    script = load_script(path)
    assert script_day(script) == DAY, "scenarios run on the day the demo is anchored to"
    record = replay(engine, script, path.stem)
    assert not record.failures, "\n".join(record.failures)


def test_every_question_is_followed_by_listening_or_the_end(engine) -> None:
    state, turn = engine.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    for said in ["la mémoire", "treize cent", "oui", "le suivant", "pardon", "non", "oui",
                 "non", "2", "trop long"]:
        kinds = [a.kind for a in turn.actions]
        assert kinds[0] == "say" and kinds[-1] in ("listen", "hangup"), kinds
        say = turn.actions[0]
        assert isinstance(say, Say) and say.ssml.startswith("<speak>")
        state, turn = engine.handle(state, Event("speech", text=said, at="2026-12-01T10:01:00"))
    assert isinstance(turn.actions[-1], Hangup)


def test_a_call_resumes_from_its_json_state_in_another_engine(engine) -> None:
    state, _ = engine.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    for said in ["la mémoire", "Tours"]:
        state, _ = engine.handle(state, Event("speech", text=said, at="2026-12-01T10:01:00"))
    stored = json.dumps(state.to_dict())
    other = Engine(default_resolver(), lambda: load_catalogue(anchor=DAY))
    resumed, turn = other.handle(CallState.from_dict(json.loads(stored)),
                                 Event("speech", text="non", at="2026-12-01T10:02:00"))
    direct, turn_direct = engine.handle(state, Event("speech", text="non",
                                                     at="2026-12-01T10:02:00"))
    assert resumed.to_dict() == direct.to_dict()
    assert turn.to_dicts() == turn_direct.to_dicts()


def test_handling_an_event_does_not_change_the_given_state(engine) -> None:
    state, _ = engine.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    before = json.dumps(state.to_dict())
    engine.handle(state, Event("speech", text="la mémoire", at="2026-12-01T10:01:00"))
    assert json.dumps(state.to_dict()) == before


def test_logs_keep_no_number_and_no_digits(engine) -> None:
    call = Call(engine, "c", "0612345678", DAY)
    for turn in ["la mémoire", "dtmf:37000", "rappelez moi au 06 11 22 33 44", "<hangup>"]:
        call.say(turn)
    dumped = json.dumps(call.state.log)
    assert "0612345678" not in dumped and "37000" not in dumped and "0611223344" not in dumped
    assert call.state.caller_masked == "061234XXXX"


def test_a_failing_component_gives_an_incident_message(engine) -> None:
    def broken():
        raise OSError("catalogue unavailable")

    failing = Engine(default_resolver(), broken)
    state, _ = failing.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    for said in ["la mémoire"]:
        state, turn = failing.handle(state, Event("speech", text=said, at="2026-12-01T10:01"))
    state, turn = failing.handle(state, Event("speech", text="Tours", at="2026-12-01T10:01"))
    assert state.incident and state.ended
    assert "incident technique" in turn.actions[0].text  # type: ignore[union-attr]
    assert isinstance(turn.actions[-1], Hangup)


def test_every_status_is_defined() -> None:
    assert set(DEFINITIONS) == {"traite", "non_traite", "requete", "efficace", "non_efficace",
                                "abandonne", "abouti", "evalue", "malade", "incivilite",
                                "hors_sujet"}


EVENTS = st.one_of(
    st.builds(lambda t: Event("speech", text=t, at="2026-12-01T10:01:00"), st.text(max_size=80)),
    st.builds(lambda d: Event("dtmf", digits=d, at="2026-12-01T10:01:00"),
              st.text("0123456789*#", max_size=8)),
    st.just(Event("no_input", at="2026-12-01T10:01:00")),
    st.sampled_from([Event("speech", text=t, at="2026-12-01T10:01:00") for t in (
        "oui", "non", "la mémoire", "Tours", "pardon", "peu importe", "le suivant", "4",
        "je sais pas", "au revoir", "une autre recherche", "dites m'en plus")]),
)


@given(st.lists(EVENTS, max_size=25))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_sequence_of_events_breaks_a_call(engine, events) -> None:
    state, turn = engine.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    for event in events:
        state, turn = engine.handle(state, event)
        assert not state.incident, event
        if not state.ended:
            assert isinstance(turn.actions[-1], Listen)
    json.dumps(state.to_dict())


def test_chat_in_the_terminal() -> None:
    lines = "la mémoire\n#37000\n\nnon\nnon\nnon\n4\n"
    done = subprocess.run([sys.executable, "-m", "acotel_voice.cli", "chat", "--date",
                           "2026-12-01"], input=lines, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "ACOTEL : Bonjour" in done.stdout and "Tours" in done.stdout
    assert "statuts : traite, requete, efficace, abouti, evalue" in done.stdout


def test_simulate_json_output() -> None:
    done = subprocess.run([sys.executable, "-m", "acotel_voice.cli", "simulate",
                           str(SCENARIOS[0]), "--json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert set(record) >= {"name", "transcript", "statuses", "sms", "ok"} and record["ok"]
    assert record["transcript"][0]["speaker"] == "bot"


def test_a_small_simulated_campaign_meets_the_tenders_goals(tmp_path) -> None:
    """60 synthetic callers (the benchmark runs 2,000): indicators of tender §6."""
    out = tmp_path / "campaign.json"
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "campaign" / "run.py"
    done = subprocess.run([sys.executable, str(script), "--calls", "60", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    assert results["requete_pct"] > 90
    assert results["location"]["first_try_pct"] > 85
    assert results["location"]["right_commune_pct"] > 95
    assert results["abouti_duration_s"]["median"] < 180


def test_evaluation_questions_and_scale_come_from_the_message_file() -> None:
    from acotel_voice.dialog._messages import Messages

    catalogue = load_catalogue(anchor=DAY)
    custom = Engine(default_resolver(), lambda: catalogue)
    for region in ("", "centre-val-de-loire"):
        messages = Messages(region)
        messages.data["evaluation"] = {
            "scale": 9, "bad_at_most": 4,
            "questions": ["De 1 à {scale}, quelle note pour cet appel ?",
                          "De 1 à {scale}, recommanderiez-vous ce service ?"]}
        custom._messages[region] = ("", messages)
    call = Call(custom, "c", "0612345678", DAY)
    for said in ["la mémoire", "Tours", "non", "non", "non", "3", "trop de questions", "8"]:
        call.say(said)
    record = call.finish()
    said = " ".join(t["text"] for t in record.transcript if t["speaker"] == "bot")
    assert "De 1 à 9, quelle note" in said and "recommanderiez-vous" in said
    assert record.state.outcome.evaluation == [3, 8]
    assert record.state.outcome.evaluation_reason == "trop de questions"


def test_recogniser_alternatives_are_tried(engine) -> None:
    state, _ = engine.start("c", "0612345678", "0900", "2026-12-01T10:00:00")
    state, _ = engine.handle(state, Event("speech", text="la mémoire", at="2026-12-01T10:01"))
    state, _ = engine.handle(state, Event("speech", text="xq zzt", alternatives=(
        "grmbl", "Tours"), confidence=0.3, at="2026-12-01T10:01"))
    assert state.location.place.get("name") == "Tours"
