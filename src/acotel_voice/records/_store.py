"""Where call records live: SQLite (one file, 0600, WAL) or PostgreSQL, with the same
schema, the same queries and versioned migrations.

Records are appended once and never updated; SMS delivery outcomes and the chain
self-test results are kept beside them. Retention is enforced by ``purge``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from ._model import GRANULARITIES, PARIS, STATUSES, CallRecord, bucket_key
from ._sums import ROLLUP_TABLE, roll_sql


class RecordsError(Exception):
    """A records store that cannot be opened or written; the message says which."""


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...


# Versioned migrations: each is applied once, in order, in one transaction.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        "CREATE TABLE call_records ("
        " call_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, started_utc BIGINT NOT NULL,"
        " b_halfhour TEXT NOT NULL, b_hour TEXT NOT NULL, b_day TEXT NOT NULL,"
        " b_week TEXT NOT NULL, b_month TEXT NOT NULL,"
        " caller TEXT NOT NULL, origin TEXT NOT NULL, region TEXT, insee TEXT,"
        " answered INTEGER NOT NULL, duration_s REAL NOT NULL,"
        + "".join(f" s_{s} INTEGER NOT NULL," for s in STATUSES)
        + " location_asked INTEGER NOT NULL, location_detected INTEGER NOT NULL,"
        " location_tries INTEGER NOT NULL, sms_enqueued INTEGER NOT NULL,"
        " eval_score INTEGER, eval_scale INTEGER NOT NULL,"
        " verbatim_kept INTEGER NOT NULL DEFAULT 1, data TEXT NOT NULL)",
        "CREATE INDEX call_records_started ON call_records (started_utc)",
        "CREATE TABLE sms_outcomes (sms_id TEXT PRIMARY KEY, call_id TEXT NOT NULL,"
        " delivered INTEGER NOT NULL, at_utc BIGINT NOT NULL)",
        "CREATE INDEX sms_outcomes_call ON sms_outcomes (call_id)",
        "CREATE TABLE selftests (at_utc BIGINT NOT NULL, ok INTEGER NOT NULL)",
        "CREATE INDEX selftests_at ON selftests (at_utc)",
    )),
    (2, (  # the steering web app's accounts, sessions, login throttle and audit log
        "CREATE TABLE admin_users (login TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
        " role TEXT NOT NULL, region TEXT, created_utc BIGINT NOT NULL)",
        "CREATE TABLE admin_sessions (token_hash TEXT PRIMARY KEY, login TEXT NOT NULL,"
        " csrf TEXT NOT NULL, expires_utc BIGINT NOT NULL)",
        "CREATE TABLE admin_failures (login TEXT NOT NULL, address TEXT NOT NULL,"
        " at_utc BIGINT NOT NULL)",
        "CREATE INDEX admin_failures_at ON admin_failures (at_utc)",
        "CREATE TABLE admin_audit (id {serial}, at_utc BIGINT NOT NULL, login TEXT NOT NULL,"
        " action TEXT NOT NULL, detail TEXT NOT NULL)",
    )),
    (3, (  # the improvement plan's log (tender §5.19, §7.2)
        "CREATE TABLE improvement_actions (id {serial}, at_utc BIGINT NOT NULL,"
        " login TEXT NOT NULL, title TEXT NOT NULL, detail TEXT NOT NULL)",
    )),
    (4, (  # what the bot says, edited in the steering app, and the synthesis voice
        "CREATE TABLE sentence_edits (id {serial}, region TEXT NOT NULL, key TEXT NOT NULL,"
        " text TEXT, author TEXT NOT NULL, at_utc BIGINT NOT NULL, published_utc BIGINT,"
        " publisher TEXT)",
        "CREATE INDEX sentence_edits_key ON sentence_edits (region, key)",
        "CREATE TABLE voice_settings (id {serial}, region TEXT NOT NULL, vendor TEXT NOT NULL,"
        " language TEXT NOT NULL, voice TEXT NOT NULL, rate TEXT NOT NULL,"
        " pause_ms INTEGER NOT NULL, author TEXT NOT NULL, at_utc BIGINT NOT NULL)",
    )),
    (6, (  # the half-hour rollup the reports read (records/_sums.py)
        ROLLUP_TABLE,
        "ALTER TABLE call_records ADD COLUMN rolled INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX call_records_unrolled ON call_records (rolled) WHERE rolled = 0",
        "CREATE INDEX call_records_bucket ON call_records (b_halfhour)",
        roll_sql("r.rolled = 0"),
        "UPDATE call_records SET rolled = 1 WHERE rolled = 0",
    )),
    (5, (  # SMS delivered per call, kept beside the record (no join in reports)
        "ALTER TABLE call_records ADD COLUMN sms_delivered INTEGER NOT NULL DEFAULT 0",
        "UPDATE call_records SET sms_delivered = (SELECT COUNT(*) FROM sms_outcomes o"
        " WHERE o.call_id = call_records.call_id AND o.delivered = 1)",
    )),
    (7, (  # continuous improvement of the understanding (admin/_understanding.py)
        "CREATE TABLE understanding_assignments (id {serial}, at_utc BIGINT NOT NULL,"
        " login TEXT NOT NULL, target TEXT NOT NULL, examples TEXT NOT NULL, service TEXT,"
        " withdrawn_utc BIGINT)",
        "CREATE TABLE understanding_runs (id {serial}, at_utc BIGINT NOT NULL,"
        " login TEXT NOT NULL, base_version BIGINT NOT NULL, content TEXT NOT NULL,"
        " report TEXT NOT NULL)",
        "CREATE TABLE understanding_versions (id {serial}, at_utc BIGINT NOT NULL,"
        " login TEXT NOT NULL, run_id BIGINT, content TEXT NOT NULL, note TEXT NOT NULL)",
    )),
    (8, (  # the rollup summed again with today's sums (taux_abouti's abouti_requete)
        "DROP TABLE call_rollup",
        ROLLUP_TABLE,
        roll_sql("r.rolled = 1"),
    )),
)
# The SMS delivered of a call, counted again from their outcomes (an outcome may come
# before the call's record, or be retried and change).
_COUNT_DELIVERED = ("UPDATE call_records SET sms_delivered = (SELECT COUNT(*) FROM"
                    " sms_outcomes o WHERE o.call_id = call_records.call_id AND o.delivered = 1)")
_SERIAL = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgresql": "BIGSERIAL PRIMARY KEY"}

_COLUMNS = ("call_id", "started_at", "started_utc", *(f"b_{g}" for g in GRANULARITIES),
            "caller", "origin", "region", "insee", "answered", "duration_s",
            *(f"s_{s}" for s in STATUSES), "location_asked", "location_detected",
            "location_tries", "sms_enqueued", "eval_score", "eval_scale", "data")


def _row(record: CallRecord) -> tuple[Any, ...]:
    started = record.started_at
    return (record.call_id, started.isoformat(), int(started.timestamp()),
            *(bucket_key(started, g) for g in GRANULARITIES),
            record.caller, record.origin, record.region, record.insee,
            int(record.answered), record.duration_s,
            *(int(s in record.statuses) for s in STATUSES),
            int(record.location_asked), int(record.location_detected),
            record.location_tries, record.sms_enqueued,
            record.evaluation[0] if record.evaluation else None, record.evaluation_scale,
            json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")))


def _utc(day: date | None, end: bool = False) -> int | None:
    """Epoch seconds of a Paris day's start (or of the next day's start with ``end``)."""
    if day is None:
        return None
    if end:
        day += timedelta(days=1)
    return int(datetime.combine(day, time(0), PARIS).timestamp())


@dataclass(frozen=True)
class Filters:
    """Which calls a query covers: Paris days ``start``..``end`` included, a region
    (``"none"`` for never located), an origin."""

    start: date | None = None
    end: date | None = None
    region: str | None = None
    origin: str | None = None

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        p = f"{alias}." if alias else ""
        clauses: list[str] = ["1=1"]
        params: list[Any] = []
        low, high = _utc(self.start), _utc(self.end, end=True)
        if low is not None:
            clauses.append(f"{p}started_utc >= ?")
            params.append(low)
        if high is not None:
            clauses.append(f"{p}started_utc < ?")
            params.append(high)
        if self.region == "none":
            clauses.append(f"{p}region IS NULL")
        elif self.region:
            clauses.append(f"{p}region = ?")
            params.append(self.region)
        if self.origin:
            clauses.append(f"{p}origin = ?")
            params.append(self.origin)
        return " AND ".join(clauses), params


class RecordStore:
    """The records of one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = urlparse(url)
        self.dialect = "postgresql" if parsed.scheme in ("postgresql", "postgres") else "sqlite"
        self._lock = threading.Lock()
        self._reader: Any = None  # PostgreSQL: a second connection for concurrent reads
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="records-read")
        self._reader_lock = threading.Lock()
        if self.dialect == "sqlite":
            self._conn: Any = self._open_sqlite(url)
        else:
            self._conn = self._open_postgresql(url)
        self._migrate()

    # -- opening -----------------------------------------------------------------------
    @staticmethod
    def _open_sqlite(url: str) -> sqlite3.Connection:
        if url in ("sqlite://:memory:", "sqlite:///:memory:", ":memory:"):
            path = ":memory:"
        else:
            path = url.removeprefix("sqlite:///") if url.startswith("sqlite:") else url
            folder = Path(path).expanduser().resolve().parent
            folder.mkdir(parents=True, exist_ok=True)
            if not Path(path).exists():  # created 0600: it holds calls
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(path, 0o600)
        try:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as failure:
            raise RecordsError(f"cannot open the records {path}: {failure}") from failure
        return conn

    @staticmethod
    def _open_postgresql(url: str) -> Any:
        try:
            import psycopg
        except ImportError as missing:  # pragma: no cover - psycopg is a dependency
            raise RecordsError("PostgreSQL records need psycopg") from missing
        try:
            # A stalled server or a held lock fails the statement instead of hanging.
            return psycopg.connect(url, autocommit=True, connect_timeout=5,
                                   options="-c statement_timeout=30000 -c lock_timeout=10000")
        except psycopg.Error as failure:
            raise RecordsError(f"cannot open the records {_safe(url)}: {failure}") from failure

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._conn.close()
        if self._reader is not None:
            self._reader.close()

    # -- SQL plumbing ------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    @contextmanager
    def _transaction(self) -> Iterator[_Cursor]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute(self._sql(sql), list(params))
            return list(cursor.fetchall())

    def query_beside(self, first: tuple[str, Sequence[Any]],
                     second: tuple[str, Sequence[Any]]) -> tuple[list[Any], Future[list[Any]]]:
        """Two read queries: the first's rows, and the second's as a future. On PostgreSQL
        the second runs meanwhile on a second connection (a report's sums and medians each
        scan a month of calls), and the caller can work on the first's rows until it ends."""
        if self.dialect != "postgresql":
            done: Future[list[Any]] = Future()
            done.set_result(self.query(*second))
            return self.query(*first), done
        if self._reader is None:
            self._reader = self._open_postgresql(self.url)
        other = self._pool.submit(self._read_on, self._reader, *second)
        return self.query(*first), other

    def _read_on(self, conn: Any, sql: str, params: Sequence[Any]) -> list[Any]:
        with self._reader_lock:
            cursor = conn.cursor()
            cursor.execute(self._sql(sql), list(params))
            return list(cursor.fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write in its own transaction; the number of rows it touched."""
        with self._transaction() as cursor:
            cursor.execute(self._sql(sql), list(params))
            return int(getattr(cursor, "rowcount", 0) or 0)

    def _migrate(self) -> None:
        with self._transaction() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                           "(version INTEGER PRIMARY KEY)")
            cursor.execute("SELECT version FROM schema_migrations")
            done = {row[0] for row in cursor.fetchall()}
            for version, statements in sorted(MIGRATIONS):
                if version in done:
                    continue
                for statement in statements:
                    cursor.execute(statement.replace("{serial}", _SERIAL[self.dialect]))
                cursor.execute(self._sql("INSERT INTO schema_migrations VALUES (?)"), [version])

    @property
    def schema_version(self) -> int:
        return int(self.query("SELECT MAX(version) FROM schema_migrations")[0][0])

    # -- writing -----------------------------------------------------------------------
    def append(self, record: CallRecord) -> bool:
        """Keep ``record``; False when a record of that call exists already (a call is
        recorded once, whatever retries the hook sees)."""
        marks = ", ".join("?" for _ in _COLUMNS)
        sql = (f"INSERT INTO call_records ({', '.join(_COLUMNS)}) VALUES ({marks}) "
               "ON CONFLICT (call_id) DO NOTHING")
        with self._transaction() as cursor:
            cursor.execute(self._sql(sql), _row(record))
            added = bool(getattr(cursor, "rowcount", 1))
            cursor.execute(self._sql(_COUNT_DELIVERED + " WHERE call_id = ?"), [record.call_id])
            self._roll(cursor)
            return added

    @staticmethod
    def _roll(cursor: _Cursor) -> None:
        """Add the calls recorded in this transaction to the rollup, once."""
        cursor.execute(roll_sql("r.rolled = 0"))
        cursor.execute("UPDATE call_records SET rolled = 1 WHERE rolled = 0")

    def append_many(self, records: Iterable[CallRecord], batch: int = 5000) -> int:
        """Keep many records (an import, a benchmark), ``batch`` per transaction; the
        number of records new to the store."""
        marks = ", ".join("?" for _ in _COLUMNS)
        sql = self._sql(f"INSERT INTO call_records ({', '.join(_COLUMNS)}) VALUES ({marks}) "
                        "ON CONFLICT (call_id) DO NOTHING")
        added, rows = 0, []
        for record in records:
            rows.append(_row(record))
            if len(rows) >= batch:
                added += self._insert(sql, rows)
                rows = []
        return added + (self._insert(sql, rows) if rows else 0)

    def _insert(self, sql: str, rows: list[tuple[Any, ...]]) -> int:
        before = self._count()
        with self._transaction() as cursor:
            cursor.executemany(sql, rows)  # type: ignore[attr-defined]
            cursor.execute(_COUNT_DELIVERED + " WHERE call_id IN (SELECT call_id FROM"
                           " sms_outcomes WHERE delivered = 1)")
            self._roll(cursor)
        return self._count() - before

    def _count(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM call_records")[0][0])

    def sms_outcome(self, call_id: str, sms_id: str, delivered: bool, at: datetime) -> None:
        """The last known outcome of an SMS (the sender may retry, then succeed)."""
        sql = ("INSERT INTO sms_outcomes (sms_id, call_id, delivered, at_utc) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (sms_id) DO UPDATE SET delivered = excluded.delivered,"
               " at_utc = excluded.at_utc")
        with self._transaction() as cursor:
            cursor.execute(self._sql(sql), (sms_id, call_id, int(delivered),
                                            int(at.timestamp())))
            cursor.execute(self._sql(_COUNT_DELIVERED + " WHERE call_id = ?"), [call_id])
            self._reroll(cursor, "r.b_halfhour = (SELECT b_halfhour FROM call_records"
                         " WHERE call_id = ?)", [call_id])

    def _reroll(self, cursor: _Cursor, where: str, params: list[Any]) -> None:
        """Sum again the rollup rows of the half-hours ``where`` selects (a record changed
        after it was rolled up: an SMS delivered, a purge)."""
        cursor.execute(self._sql(f"DELETE FROM call_rollup WHERE b_halfhour IN (SELECT"
                                 f" r.b_halfhour FROM call_records r WHERE {where})"), params)
        cursor.execute(self._sql(roll_sql(f"r.b_halfhour IN (SELECT r.b_halfhour FROM"
                                          f" call_records r WHERE {where})")), params)

    def selftest(self, at: datetime, ok: bool) -> None:
        """One result of the chain self-test (availability, tender §2.5)."""
        with self._transaction() as cursor:
            cursor.execute(self._sql("INSERT INTO selftests (at_utc, ok) VALUES (?, ?)"),
                           (int(at.timestamp()), int(ok)))

    # -- reading -----------------------------------------------------------------------
    def records(self, filters: Filters | None = None) -> Iterator[CallRecord]:
        """The records, oldest first."""
        where, params = (filters or Filters()).where()
        for (data,) in self.query(f"SELECT data FROM call_records WHERE {where} "
                                  "ORDER BY started_utc, call_id", params):
            yield CallRecord.from_dict(json.loads(data))

    def record(self, call_id: str) -> CallRecord | None:
        rows = self.query("SELECT data FROM call_records WHERE call_id = ?", [call_id])
        return CallRecord.from_dict(json.loads(rows[0][0])) if rows else None

    def delivered(self, filters: Filters | None = None) -> dict[str, int]:
        """SMS delivered per call."""
        where, params = (filters or Filters()).where("r")
        rows = self.query("SELECT o.call_id, COUNT(*) FROM sms_outcomes o JOIN call_records r"
                          f" ON r.call_id = o.call_id WHERE o.delivered = 1 AND {where}"
                          " GROUP BY o.call_id", params)
        return {str(call_id): int(count) for call_id, count in rows}

    def maintain(self) -> None:
        """Refresh the planner's statistics and reclaim dead rows (after an import or a
        purge; PostgreSQL's autovacuum does it on its own in the long run)."""
        with self._lock:
            if self.dialect == "postgresql":
                self._conn.execute("VACUUM ANALYZE call_records")
            else:
                self._conn.execute("ANALYZE")

    # -- retention (RGPD annex) --------------------------------------------------------
    def purge(self, now: datetime, keep_records: timedelta,
              keep_verbatims: timedelta) -> dict[str, int]:
        """Delete records older than ``keep_records``; blank the verbatims (caller turns,
        evaluation reason) of those older than ``keep_verbatims``."""
        records_before = int((now - keep_records).timestamp())
        verbatims_before = int((now - keep_verbatims).timestamp())
        with self._transaction() as cursor:
            cursor.execute(self._sql(
                "DELETE FROM sms_outcomes WHERE call_id IN (SELECT call_id FROM call_records"
                " WHERE started_utc < ?)"), [records_before])
            cursor.execute(self._sql("DELETE FROM call_records WHERE started_utc < ?"),
                           [records_before])
            deleted = int(getattr(cursor, "rowcount", 0) or 0)
            if deleted:  # the rollup summed again from the records kept
                cursor.execute("DELETE FROM call_rollup")
                cursor.execute("UPDATE call_records SET rolled = 0")
                self._roll(cursor)
            cursor.execute(self._sql("DELETE FROM selftests WHERE at_utc < ?"),
                           [records_before])
            cursor.execute(self._sql(
                "SELECT call_id, data FROM call_records WHERE verbatim_kept = 1"
                " AND started_utc < ?"), [verbatims_before])
            stale = cursor.fetchall()
            for call_id, data in stale:
                record = json.loads(data)
                record["transcript"], record["evaluation_reason"] = [], ""
                record["not_understood"] = []
                cursor.execute(self._sql(
                    "UPDATE call_records SET data = ?, verbatim_kept = 0 WHERE call_id = ?"),
                    [json.dumps(record, ensure_ascii=False, separators=(",", ":")), call_id])
        self.maintain()
        return {"records_deleted": deleted, "verbatims_blanked": len(stale)}


def _safe(url: str) -> str:
    """A database URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def open_records(url: str) -> RecordStore:
    """``sqlite:///path/records.db`` (or a plain path) or ``postgresql://…``."""
    return RecordStore(url)


def utc_now() -> datetime:
    return datetime.now(UTC)
