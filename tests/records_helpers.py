"""Records for the tests: built the way the end-of-call hook builds them."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import datetime

import pytest

from acotel_voice.records import CallRecord, open_records


def record(call_id: str, started: str, statuses: tuple[str, ...] = ("traite", "requete",
           "efficace", "abouti"), **fields: object) -> CallRecord:
    base = CallRecord(
        call_id=call_id, started_at=datetime.fromisoformat(started), caller="061234XXXX",
        origin="mobile", region="sud-est", insee="13201", answered=True, handled_s=100.0,
        welcome_s=8.0, conversation_s=92.0, duration_s=100.0, statuses=statuses,
        location_asked=True, location_detected=True, location_tries=1)
    return replace(base, **fields)  # type: ignore[arg-type]


def postgres_url() -> str | None:
    """A fresh PostgreSQL database on 127.0.0.1 (dropped by the fixture), or None."""
    try:
        import psycopg
        admin = os.environ.get("ACOTEL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
        name = f"acotel_records_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return admin.rsplit("/", 1)[0] + "/" + name
    except Exception as failure:
        pytest.fail(f"PostgreSQL is needed on 127.0.0.1:5432 for the records tests: {failure}")
    return None


def drop_postgres(url: str) -> None:
    import psycopg
    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def store_with(url: str, *records: CallRecord):  # type: ignore[no-untyped-def]
    store = open_records(url)
    for r in records:
        store.append(r)
    return store
