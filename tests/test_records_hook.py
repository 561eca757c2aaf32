"""From a real call of the turn engine to its record, through the end-of-call hook; a
database that fails spools the record, written again later."""

from __future__ import annotations

import asyncio
import os
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from acotel_geo import default_resolver, load_catalogue
from acotel_voice.dialog._actions import Event
from acotel_voice.dialog._engine import Engine
from acotel_voice.records import RecordsHook, open_records

DAY = date(2026, 12, 1)


@dataclass(frozen=True)
class Ended:
    call_id: str
    caller: str
    called: str
    started_at: datetime
    ended_at: datetime
    reason: str
    answered: bool
    state: dict[str, Any] | None
    queued: bool = False
    waited_s: float = 0.0
    refused: bool = False
    incident: bool = False
    sms_ids: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def engine() -> Engine:
    catalogue = load_catalogue(anchor=DAY)
    return Engine(default_resolver(), lambda: catalogue)


def a_call(engine: Engine, caller: str, answers: list[str]) -> Ended:
    start = "2026-12-01T10:00:00+01:00"
    state, _ = engine.start("call-1", caller, "0900000000", start)
    for i, said in enumerate(answers, start=1):
        at = f"2026-12-01T10:0{i}:00+01:00"
        state, _ = engine.handle(state, Event("speech", text=said, at=at))
    state, _ = engine.handle(state, Event("hangup", at="2026-12-01T10:09:30+01:00"))
    return Ended("call-1", caller, "0900000000", datetime.fromisoformat(start),
                 datetime.fromisoformat("2026-12-01T10:09:30+01:00"), "hangup", True,
                 state.to_dict())


def test_a_call_becomes_its_record(engine: Engine, tmp_path: Path) -> None:
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    hook = RecordsHook(store, tmp_path / "spool.jsonl")
    ended = a_call(engine, "+33 6 12 34 56 78",
                   ["la mémoire", "treize cent", "oui", "non merci, je m'appelle Jeanne Dupont"])
    asyncio.run(hook.on_call_end(ended))
    (record,) = store.records()
    assert record.caller == "061234XXXX" and record.origin == "mobile"
    assert record.region == "sud-est" and record.insee
    assert set(record.statuses) == set(ended.state["statuses"])  # type: ignore[index]
    assert record.started_at.isoformat() == "2026-12-01T10:00:00+01:00"
    assert record.duration_s == 570.0
    assert not any("Dupont" in turn for turn in record.transcript)
    assert any("[nom]" in turn for turn in record.transcript)


def test_a_failing_database_spools_the_record_until_it_is_back(engine: Engine,
                                                               tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/records.db"
    broken = open_records(url)
    broken.close()  # every write now fails
    spool = tmp_path / "spool.jsonl"
    hook = RecordsHook(broken, spool)
    asyncio.run(hook.on_call_end(a_call(engine, "0467123456", ["l'équilibre"])))
    assert hook.spooled == 1 and stat.S_IMODE(os.stat(spool).st_mode) == 0o600
    spool.write_text(spool.read_text() + '{"torn": ', encoding="utf-8")  # a torn last line
    hook.store = open_records(url)
    assert hook.drain() == 1 and not spool.exists()
    (record,) = hook.store.records()
    assert record.origin == "fixe" and record.caller == "046712XXXX"
