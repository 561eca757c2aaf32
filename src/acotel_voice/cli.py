"""``acotel-voice``: talk to ACOTEL in the terminal, or replay scripted calls.

    acotel-voice chat [--caller 0612345678] [--date 2026-12-01]
        type what the caller says; "#13100" for keypad digits; an empty line for silence;
        Ctrl-D to hang up.
    acotel-voice simulate scenarios/ --json
    acotel-voice serve [--host 127.0.0.1] [--port 8080] [--store sqlite:///var/acotel/calls.db]
        the HTTP endpoint a callbot platform calls; ACOTEL_SECRET and ACOTEL_JAMBONZ_SECRET
        hold the shared secrets.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from acotel_geo import (
    Catalogue,
    CatalogueHolder,
    Gazetteer,
    GazetteerError,
    Resolver,
    SnapshotError,
    load_catalogue,
)

from .admin import AccountError
from .admin._cli import add_commands as add_admin_commands
from .dialog._engine import Engine
from .dialog._simulate import Call, ScriptError, load_script, replay, script_day, script_paths
from .records import RecordsError
from .records._cli import add_commands as add_records_commands


class AnchoredCatalogues:
    """The catalogue for the day of the call: a snapshot with relative dates (the demo) is
    anchored to that day, so scripted calls give the same answers whenever they run."""

    def __init__(self, snapshot: str | None) -> None:
        self.holder = CatalogueHolder(snapshot)
        self.snapshot = snapshot
        self.day: date | None = None
        self._anchored: dict[date, Catalogue] = {}

    def __call__(self) -> Catalogue:
        if self.day is None or not self.holder.catalogue.meta.get("relative_dates"):
            return self.holder.catalogue
        if self.day not in self._anchored:
            self._anchored[self.day] = load_catalogue(self.snapshot, anchor=self.day)
        return self._anchored[self.day]


def build_engine(snapshot: str | None) -> tuple[Engine, AnchoredCatalogues]:
    catalogues = AnchoredCatalogues(snapshot)
    return Engine(Resolver(Gazetteer.load()), catalogues), catalogues


def chat(args: argparse.Namespace, out: TextIO) -> int:
    day = date.fromisoformat(args.date) if args.date else date.today()
    print("Chargement…", file=sys.stderr)
    engine, catalogues = build_engine(args.snapshot)
    catalogues.day = day
    call = Call(engine, "chat", args.caller, day)
    shown = 0

    def show() -> None:
        nonlocal shown
        for line in call.record.transcript[shown:]:
            if line["speaker"] == "bot":
                print(f"\nACOTEL : {line['text']}", file=out)
        for text in call.record.sms:
            print(f"\n[SMS envoyé au {call.state.caller_masked}]\n{text}", file=out)
        call.record.sms.clear()
        shown = len(call.record.transcript)

    show()
    while not call.ended:
        try:
            line = input("\nVous : ").strip()
        except EOFError:
            line = "<hangup>"
        turn = "<silence>" if not line else f"dtmf:{line[1:]}" if line.startswith("#") else line
        call.say(turn)
        show()
    record = call.finish()
    statuses = record.state.statuses if record.state else []
    print(f"\n[fin de l'appel — statuts : {', '.join(statuses)}]", file=out)
    return 0


def simulate(args: argparse.Namespace, out: TextIO) -> int:
    engine, catalogues = build_engine(args.snapshot)
    failed = 0
    for path in script_paths(Path(args.target)):
        try:
            script = load_script(path)
            catalogues.day = script_day(script)
            record = replay(engine, script, path.stem)
        except ScriptError as error:
            print(f"acotel-voice simulate: {error}", file=sys.stderr)
            failed += 1
            continue
        failed += bool(record.failures)
        if args.json:
            print(json.dumps(record.to_dict(), ensure_ascii=False), file=out)
        else:
            mark = "ok " if not record.failures else "ÉCHEC"
            print(f"{mark} {record.name}: {', '.join(record.to_dict()['statuses'])}"
                  + "".join(f"\n     {f}" for f in record.failures), file=out)
    return 1 if failed else 0


def serve(args: argparse.Namespace, out: TextIO) -> int:
    import logging
    import os

    from .http._server import ServerConfig
    from .http._workers import run_workers

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = ServerConfig(
        secret=os.environ.get("ACOTEL_SECRET", ""),
        jambonz_secret=os.environ.get("ACOTEL_JAMBONZ_SECRET", ""),
        store_url=args.store, snapshot=args.snapshot, sms_outbox=args.sms_outbox,
        sms_api_url=os.environ.get("ACOTEL_SMS_API_URL", ""),
        sms_api_token=os.environ.get("ACOTEL_SMS_API_TOKEN", ""), max_calls=args.max_calls,
        capacity_wait_s=args.max_wait, records_url=args.records,
        idle_timeout_s=args.idle_timeout, heldout=args.heldout)
    if not config.secret:
        print("acotel-voice serve: ACOTEL_SECRET is not set, requests are not authenticated",
              file=sys.stderr)
    if not config.jambonz_secret:
        print("acotel-voice serve: ACOTEL_JAMBONZ_SECRET is not set, the jambonz webhooks "
              "are not authenticated", file=sys.stderr)
    if args.workers > 1 and config.store_url.startswith(("memory:", "sqlite:")):
        print("acotel-voice serve: several workers need a shared store (redis://...)",
              file=sys.stderr)
        return 2
    return run_workers(config, args.host, args.port, args.workers)


def _positive_int(text: str) -> int:
    """A count of at least 1 (``--max-calls 0`` made the server refuse every caller)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="acotel-voice", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    talk = commands.add_parser("chat", help="a call in the terminal")
    talk.add_argument("--caller", default="0612345678", help="the caller's number")
    talk.add_argument("--date", help="the day of the call (AAAA-MM-JJ); default today")
    talk.add_argument("--snapshot", help="catalogue snapshot (default: the demo)")
    talk.set_defaults(handler=chat)
    replay_parser = commands.add_parser("simulate", help="replay scripted calls")
    replay_parser.add_argument("target", help="a script file or a folder of scripts")
    replay_parser.add_argument("--json", action="store_true", help="one JSON object per call")
    replay_parser.add_argument("--snapshot", help="catalogue snapshot (default: the demo)")
    replay_parser.set_defaults(handler=simulate)
    server = commands.add_parser("serve", help="the HTTP endpoint for the callbot platform")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8080)
    server.add_argument("--store", default="sqlite:///var/acotel/calls.db",
                        help="memory://, sqlite:///PATH or redis://HOST:PORT/DB")
    server.add_argument("--snapshot", help="catalogue snapshot (default: the demo)")
    server.add_argument("--sms-outbox", default="var/acotel/sms-outbox.jsonl")
    server.add_argument("--max-calls", type=_positive_int, default=20, help="simultaneous calls")
    server.add_argument("--max-wait", type=int, default=60,
                        help="seconds a caller may wait for a free line (0: dissuade at once)")
    server.add_argument("--records", default="",
                        help="keep call records and serve the steering app (/admin): "
                             "sqlite:///PATH or postgresql://…")
    server.add_argument("--heldout", default="",
                        help="the understanding's held-out set for the steering app's"
                             " evaluations (default: benchmarks/understanding/heldout_test.jsonl)")
    server.add_argument("--idle-timeout", type=_positive_int, default=1800,
                        help="seconds without any event after which a call is ended")
    server.add_argument("--workers", type=_positive_int, default=1,
                        help="processes sharing the port (needs a redis:// store)")
    server.set_defaults(handler=serve)
    add_records_commands(commands)
    add_admin_commands(commands)
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args, out or sys.stdout)
        return result
    except (GazetteerError, SnapshotError, RecordsError, AccountError, ValueError) as error:
        print(f"acotel-voice {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
