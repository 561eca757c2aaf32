"""``acotel-geo``: resolve caller answers and search the workshop catalogue.

    acotel-geo resolve "treize cent" --json
    printf 'Aix\nBeaulieu 21\n' | acotel-geo resolve - --json
    acotel-geo resolve            (interactive: one answer per line)
    acotel-geo search --insee 13001 --theme "Bien dans mon corps" --json
    acotel-geo import --csv ateliers.csv --store var/catalogue
    acotel-geo export --csv ateliers.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from .catalogue._cli_catalogue import add_commands, run
from .places._gazetteer import Gazetteer, GazetteerError
from .places._resolve import Resolution, Resolver, Status

_STATUS_FR = {
    Status.RESOLVED: "trouvé",
    Status.AMBIGUOUS: "plusieurs possibilités",
    Status.NEEDS_MORE: "il faut préciser",
    Status.NOT_FOUND: "pas trouvé",
}


def _json_line(resolution: Resolution) -> str:
    data = resolution.to_dict()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _text(resolution: Resolution) -> str:
    lines = [f"{_STATUS_FR[resolution.status]}"
             + (" (à confirmer)" if resolution.confirm and resolution.candidates else "")]
    for candidate in resolution.candidates:
        said = "quartier" if candidate.matched_kind == "quarter" else "ancien nom"
        former = f", {said} {candidate.matched_name}" if candidate.matched_name else ""
        lines.append(
            f"  {candidate.score:.3f}  {candidate.name} ({candidate.department_name}, "
            f"{' '.join(candidate.postcodes[:4])}{former}) — {'; '.join(candidate.why)}"
        )
    if resolution.status is Status.NEEDS_MORE:
        lines.append("  départements : " + ", ".join(n for _, n in resolution.departments))
    return "\n".join(lines)


def _answers(source: TextIO) -> Iterable[str]:
    for line in source:
        yield line.rstrip("\n")


def _resolve_command(args: argparse.Namespace, out: TextIO) -> int:
    try:
        resolver = Resolver(Gazetteer.load(args.gazetteer))
    except GazetteerError as error:
        print(f"acotel-geo: {error}", file=sys.stderr)
        return 2
    interactive = args.utterance is None
    if interactive:
        print("Tapez une ville ou un code postal (Ctrl-D pour finir).", file=sys.stderr)
    if args.utterance in (None, "-"):
        for answer in _answers(sys.stdin):
            resolution = resolver.resolve(answer)
            print(_json_line(resolution) if args.json else _text(resolution), file=out,
                  flush=True)
        return 0
    resolution = resolver.resolve(args.utterance)
    print(_json_line(resolution) if args.json else _text(resolution), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acotel-geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    resolve = commands.add_parser("resolve", help="resolve a spoken place answer")
    resolve.add_argument("utterance", nargs="?",
                         help="the answer; '-' reads one per line on stdin; none: interactive")
    resolve.add_argument("--json", action="store_true", help="one JSON object per answer")
    resolve.add_argument("--gazetteer", help="gazetteer snapshot (default: data/communes)")
    add_commands(commands)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    if args.command == "resolve":
        return _resolve_command(args, out)
    return run(args, out)


if __name__ == "__main__":
    sys.exit(main())
