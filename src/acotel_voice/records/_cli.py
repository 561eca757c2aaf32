"""``acotel-voice traces | report | verbatims | purge``: the records, for the steering."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from ._exports import (
    jsonl,
    report_csv,
    report_xlsx,
    traces,
    traces_csv,
    traces_xlsx,
    write_atomic,
)
from ._model import GRANULARITIES, ORIGINS, REGIONS
from ._report import report
from ._store import Filters, open_records
from ._verbatims import verbatims

DEFAULT_RECORDS = "sqlite:///var/acotel/records.db"
KEEP_RECORDS_DAYS = 395  # 13 months: the experiment (9 months) and its final report
KEEP_VERBATIMS_DAYS = 90


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (AAAA-MM-JJ)") from None


def _emit(args: argparse.Namespace, out: TextIO, data: str | bytes) -> None:
    if args.out:
        write_atomic(Path(args.out), data)
    elif isinstance(data, bytes):
        raise ValueError("--format xlsx needs --out FILE")
    else:
        out.write(data)


def _traces(args: argparse.Namespace, out: TextIO) -> int:
    store = open_records(args.records)
    items = list(traces(store, Filters(args.start, args.end)))
    data: str | bytes = (jsonl(items) if args.format == "json" else
                         traces_csv(items) if args.format == "csv" else traces_xlsx(items))
    _emit(args, out, data)
    return 0


def _report(args: argparse.Namespace, out: TextIO) -> int:
    store = open_records(args.records)
    result = report(store, start=args.start, end=args.end, by=args.by, region=args.region,
                    origin=args.origin)
    data: str | bytes
    if args.format == "json":
        data = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    else:
        data = report_csv(result) if args.format == "csv" else report_xlsx(result)
    _emit(args, out, data)
    return 0


def _verbatims(args: argparse.Namespace, out: TextIO) -> int:
    store = open_records(args.records)
    status = None if args.status == "all" else args.status
    result = verbatims(store.records(Filters(args.start, args.end)), status, args.top)
    if args.format == "json":
        _emit(args, out, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        return 0
    rows: list[dict[str, Any]] = [{"kind": "mot", "term": t, "count": c}
                                  for t, c in result["vocabulary"]["words"]]
    rows += [{"kind": "expression", "term": t, "count": c}
             for t, c in result["vocabulary"]["expressions"]]
    lines = ["\ufeffType;Terme;Occurrences\r\n"]
    lines += [f"{r['kind']};{r['term']};{r['count']}\r\n" for r in rows]
    _emit(args, out, "".join(lines))
    return 0


def _purge(args: argparse.Namespace, out: TextIO) -> int:
    store = open_records(args.records)
    done = store.purge(datetime.now(UTC), timedelta(days=args.keep_records_days),
                       timedelta(days=args.keep_verbatims_days))
    print(json.dumps(done), file=out)
    return 0


def add_commands(commands: Any) -> None:
    """The records commands, added to ``acotel-voice``'s sub-commands."""
    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--records", default=DEFAULT_RECORDS,
                            help="sqlite:///PATH or postgresql://…")
        parser.add_argument("--from", dest="start", type=_day, help="first day (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="end", type=_day, help="last day, included")
        parser.add_argument("--out", help="write to this file (atomically, mode 600)")

    parser = commands.add_parser("traces", help="one record per call")
    common(parser)
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    parser.set_defaults(handler=_traces)
    parser = commands.add_parser("report", help="the tender's indicators")
    common(parser)
    parser.add_argument("--by", choices=GRANULARITIES, default="day")
    parser.add_argument("--region", choices=(*REGIONS, "none"))
    parser.add_argument("--origin", choices=ORIGINS)
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    parser.set_defaults(handler=_report)
    parser = commands.add_parser("verbatims", help="transcripts and vocabulary of a status")
    common(parser)
    parser.add_argument("--status", default="non_efficace", help="a status, or all")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.set_defaults(handler=_verbatims)
    parser = commands.add_parser("purge", help="apply the retention periods")
    parser.add_argument("--records", default=DEFAULT_RECORDS)
    parser.add_argument("--keep-records-days", type=int, default=KEEP_RECORDS_DAYS)
    parser.add_argument("--keep-verbatims-days", type=int, default=KEEP_VERBATIMS_DAYS)
    parser.set_defaults(handler=_purge)

