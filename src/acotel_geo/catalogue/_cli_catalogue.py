"""``acotel-geo search | import | export | generate-demo``: the catalogue commands."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..places._gazetteer import Gazetteer, GazetteerError
from ..places._resolve import Resolver
from ._absorb import AbsorptionError, absorb, publish
from ._demo import generate
from ._model import InvalidRecord, parse_date, parse_theme
from ._search import search
from ._source_csv import export_csv, read_csv
from ._source_json import SourceConfig, SourceError, fetch_records
from ._store import SnapshotError, SnapshotStore, load_catalogue, write_snapshot_file


class CommandError(Exception):
    """A user error: printed on stderr, exit code 2."""


def _print(data: dict[str, Any], out: TextIO) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")), file=out)


def _day(text: str | None) -> date:
    try:
        return parse_date(text) if text else date.today()
    except InvalidRecord as error:
        raise CommandError(str(error)) from None


def search_command(args: argparse.Namespace, out: TextIO) -> int:
    gazetteer = Gazetteer.load(args.gazetteer, indexed=False)
    if args.insee:
        place = gazetteer.by_insee.get(args.insee)
        if place is None:
            raise CommandError(f"unknown INSEE code {args.insee!r}")
        lat, lon = place.lat, place.lon
    elif args.lat is not None and args.lon is not None:
        lat, lon = args.lat, args.lon
    else:
        raise CommandError("give --insee, or --lat and --lon")
    try:
        theme = parse_theme(args.theme) if args.theme else None
    except InvalidRecord as error:
        raise CommandError(str(error)) from None
    catalogue = load_catalogue(args.snapshot)
    result = search(catalogue, lat, lon, _day(args.date), theme=theme, limit=args.limit)
    if args.json:
        _print(result.to_dict(), out)
        return 0
    tried = ", ".join(f"{s.radius_km:g} km/{s.weeks} sem. : {n}" for s, n in result.steps_tried)
    print(f"recherche : {tried}", file=out)
    for found in result.workshops:
        w, first = found.workshop, found.next_sessions[0]
        print(f"  {found.distance_km:5.1f} km  {first.day:%d/%m/%Y} {first.start:%H:%M}  "
              f"{w.title} — {w.venue}, {w.city} — {w.contact_phone}", file=out)
    return 0


def import_command(args: argparse.Namespace, out: TextIO) -> int:
    resolver = Resolver(Gazetteer.load(args.gazetteer))
    try:
        if args.csv:
            records = list(read_csv(args.csv))
            source = f"csv:{Path(args.csv).name}"
        else:
            config = SourceConfig.load(args.json)
            records = fetch_records(config)
            source = f"json:{config.name}"
        report = absorb(records, resolver, source)
        published = publish(report, SnapshotStore(Path(args.store)),
                            max_rejected_share=args.max_rejected_share)
    except (OSError, InvalidRecord, SourceError, AbsorptionError) as error:
        print(f"acotel-geo import: {error}; the current snapshot is unchanged", file=sys.stderr)
        return 1
    _print({**report.to_dict(), "published": published}, out)
    return 0


def export_command(args: argparse.Namespace, out: TextIO) -> int:
    catalogue = load_catalogue(args.snapshot)
    count = export_csv(catalogue.workshops, args.csv)
    print(f"{count} ateliers exportés vers {args.csv}", file=out)
    return 0


def generate_command(args: argparse.Namespace, out: TextIO) -> int:
    gazetteer = Gazetteer.load(args.gazetteer, indexed=False)
    meta, workshops = generate(gazetteer, args.count, _day(args.date),
                               regions_only=not args.national)
    write_snapshot_file(Path(args.out), meta, workshops)
    print(f"{len(workshops)} ateliers -> {args.out}", file=out)
    return 0


def add_commands(commands: Any) -> None:
    find = commands.add_parser("search", help="workshops near a commune, widening the search")
    find.add_argument("--insee", help="INSEE code of the commune")
    find.add_argument("--lat", type=float)
    find.add_argument("--lon", type=float)
    find.add_argument("--theme", help='"Bien avec les autres", "Bien chez soi", ...')
    find.add_argument("--date", help="first day (AAAA-MM-JJ or JJ/MM/AAAA); default today")
    find.add_argument("--snapshot", help="snapshot file or store folder (default: the demo)")
    find.add_argument("--limit", type=int, default=20, help="workshops listed at most")
    find.add_argument("--json", action="store_true")
    find.set_defaults(handler=search_command)

    load = commands.add_parser("import", help="absorb a catalogue into a snapshot store")
    source = load.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", help="CSV file (UTF-8, ';', JJ/MM/AAAA)")
    source.add_argument("--json", help="TOML config of the JSON web-service connector")
    load.add_argument("--store", required=True, help="snapshot store folder")
    load.add_argument("--max-rejected-share", type=float, default=0.5)
    load.set_defaults(handler=import_command)

    dump = commands.add_parser("export", help="write a snapshot as CSV")
    dump.add_argument("--csv", required=True, help="output file")
    dump.add_argument("--snapshot", help="snapshot file or store folder (default: the demo)")
    dump.set_defaults(handler=export_command)

    demo = commands.add_parser("generate-demo", help="write a synthetic catalogue snapshot")
    demo.add_argument("--out", required=True)
    demo.add_argument("--count", type=int, default=3000)
    demo.add_argument("--national", action="store_true", help="all of France, not 4 regions")
    demo.add_argument("--date", help="absorption day (default today)")
    demo.set_defaults(handler=generate_command)
    for parser in (find, load, dump, demo):
        parser.add_argument("--gazetteer", help="gazetteer snapshot (default: data/communes)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        result: int = args.handler(args, out)
        return result
    except (CommandError, SnapshotError, GazetteerError) as error:
        print(f"acotel-geo {args.command}: {error}", file=sys.stderr)
        return 2

