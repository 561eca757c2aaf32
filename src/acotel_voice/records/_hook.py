"""Writing records from the call service's hooks: one record when a call ends, the SMS
outcomes as the background sender learns them, the chain self-test's results.

A database that does not answer never loses a record: it goes to a spool file (0600,
one JSON line each, fsynced) and is written again by ``drain`` once the database is back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import datetime
from pathlib import Path

from ._build import Ended, build_record
from ._model import CallRecord
from ._store import RecordStore

log = logging.getLogger("acotel.records")
WRITE_TIMEOUT_S = 5.0
DRAIN_BATCH = 500


class RecordsHook:
    def __init__(self, store: RecordStore, spool: Path) -> None:
        self.store = store
        self.spool = spool
        self.written = 0
        self.spooled = 0

    async def on_call_end(self, ended: Ended) -> None:
        """The end-of-call hook: build the record (masked, anonymised) and keep it."""
        record = build_record(ended)
        try:
            await asyncio.wait_for(asyncio.to_thread(self.store.append, record),
                                   WRITE_TIMEOUT_S)
            self.written += 1
        except Exception as failure:
            log.error("record of call %s spooled: %s", record.call_id.encode("unicode_escape")
                      .decode(), type(failure).__name__)
            await asyncio.to_thread(self._spool, record)

    async def on_sms_outcome(self, call_id: str, sms_id: str, delivered: bool,
                             at: datetime) -> None:
        try:
            await asyncio.wait_for(asyncio.to_thread(self.store.sms_outcome, call_id, sms_id,
                                                     delivered, at), WRITE_TIMEOUT_S)
        except Exception as failure:
            log.error("SMS outcome of call %s not recorded: %s",
                      call_id.encode("unicode_escape").decode(), type(failure).__name__)

    async def on_selftest(self, at: datetime, ok: bool) -> None:
        try:
            await asyncio.wait_for(asyncio.to_thread(self.store.selftest, at, ok),
                                   WRITE_TIMEOUT_S)
        except Exception as failure:
            log.error("self-test result not recorded: %s", type(failure).__name__)

    def _spool(self, record: CallRecord) -> None:
        line = json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
        self.spool.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.spool, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.spooled += 1

    def drain(self) -> int:
        """Write the spooled records to the database; the number written. The spool is
        replaced atomically by what could not be written (a torn last line is dropped
        only if it cannot be read)."""
        if not self.spool.exists():
            return 0
        records, torn = [], 0
        for line in self.spool.read_text(encoding="utf-8").splitlines():
            try:
                records.append(CallRecord.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                torn += 1
        if torn:
            log.error("%d unreadable line(s) in the records spool %s", torn, self.spool)
        self.store.append_many(records, batch=DRAIN_BATCH)
        self.spool.unlink()
        return len(records)
