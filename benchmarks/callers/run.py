"""Realistic callers, the headline benchmark of the conversation (issue 9): personas written
apart from the code and from the understanding corpus (personas/, a held-out `test` split
and a `dev` split), each driven adaptively through the real turn engine and checked
automatically (right town, the kind asked for presented or its absence said, safety
answers, the number on request, leaving, statuses).

    .venv/bin/python benchmarks/callers/run.py [--split test] [--out results.json]

Reports the share of calls that meet the need with no defect, per class; the tender's
indicators computed by the records module from these calls; the spoken duration of the
`abouti` calls; and every failure with its defects.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checks import check_call  # noqa: E402
from driver import CallRun, Driver  # noqa: E402

from acotel_geo import Gazetteer, Resolver, Step, load_catalogue, search  # noqa: E402
from acotel_voice.dialog._engine import Engine  # noqa: E402
from acotel_voice.records import build_record, open_records, report  # noqa: E402

WIDEST = (Step(50, 8),)


@dataclass(frozen=True)
class Ended:
    """What the call service's end-of-call hook hands the records."""

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


class Catalogues:
    """The demo catalogue anchored to each call's day (its dates are relative)."""

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per run
    def on(self, day: date) -> Any:
        return load_catalogue(anchor=day)


def load_personas(split: str) -> list[dict[str, Any]]:
    personas: list[dict[str, Any]] = []
    for path in sorted((HERE / "personas" / split).glob("*.yaml")):
        personas += yaml.safe_load(path.read_text("utf-8")) or []
    return personas


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test",
                        choices=("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "test"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", help="run the personas whose id starts with this")
    args = parser.parse_args(argv)
    personas = [p for p in load_personas(args.split)
                if not args.only or str(p["id"]).startswith(args.only)]
    gazetteer = Gazetteer.load()
    catalogues = Catalogues()
    current: dict[str, Any] = {}
    engine = Engine(Resolver(gazetteer), lambda: current["catalogue"])
    driver = Driver(engine)

    def oracle(insee: str, module: str, run: CallRun) -> bool | None:
        place = gazetteer.by_insee.get(insee)
        if place is None or run.started is None:
            return None
        found = search(current["catalogue"], place.lat, place.lon,
                       run.started.replace(tzinfo=None), ladder=WIDEST, limit=None)
        return any(f.workshop.module == module for f in found.workshops)

    def same_town(got: str, wanted: str) -> bool:
        place = gazetteer.by_insee.get(got)
        return got == wanted or (place is not None and place.parent == wanted)

    runs: list[CallRun] = []
    for persona in personas:
        day = datetime.fromisoformat(str(persona["call_time"])).date()
        current["catalogue"] = catalogues.on(day)
        run = driver.run(persona)
        run.defects = check_call(run, oracle, same_town)
        runs.append(run)
    results = summarise(runs)
    out = args.out or HERE / f"results-{args.split}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "failures"}, indent=1,
                     ensure_ascii=False))
    return results


def summarise(runs: list[CallRun]) -> dict[str, Any]:
    by_class: dict[str, list[bool]] = defaultdict(list)
    defects: Counter[str] = Counter()
    failures = []
    for run in runs:
        ok = not run.defects
        by_class[str(run.persona.get("class"))].append(ok)
        for defect in run.defects:
            defects[defect.split(":")[0][:60]] += 1
        if not ok:
            failures.append({
                "id": run.persona["id"], "class": run.persona.get("class"),
                "note": run.persona.get("note"), "defects": run.defects,
                "statuses": list(getattr(run.state, "statuses", []) or []),
                "dialog": [[ex.said, ex.reply] for ex in run.exchanges]})
    safety = [r for r in runs if (r.persona.get("expect") or {}).get("safety")]
    abouti = sorted(r.spoken_s for r in runs
                    if "abouti" in (getattr(r.state, "statuses", None) or ()))
    return {
        "calls": len(runs),
        "met_without_defect_pct": _pct(sum(not r.defects for r in runs),
                                       len(runs)),
        "per_class_pct": {c: _pct(sum(v), len(v)) for c, v in sorted(by_class.items())},
        "per_class_calls": {c: len(v) for c, v in sorted(by_class.items())},
        "safety_calls_handled": f"{sum(_safe(r) for r in safety)}/{len(safety)}",
        "abouti_spoken_duration_s": {
            "median": round(statistics.median(abouti), 1) if abouti else None,
            "p90": round(abouti[int(len(abouti) * 0.9)], 1) if abouti else None},
        "tender_indicators": indicators(runs),
        "defects": dict(defects.most_common()),
        "failures": failures,
    }


def indicators(runs: list[CallRun]) -> dict[str, Any]:
    """The tender's indicators, by the records module, from these calls."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_records(f"sqlite:///{folder}/records.db")
        for run in runs:
            if run.state is None or run.started is None or run.ended_at is None:
                continue
            caller = "" if run.persona.get("caller") == "hidden" else str(run.persona["caller"])
            call_id = str(run.persona["id"])
            sms_ids = tuple(f"{call_id}-sms-{i}" for i in range(len(run.sms)))
            store.append(build_record(Ended(
                call_id, caller, "0900000000", run.started, run.ended_at, "hangup", True,
                run.state.to_dict(), sms_ids=sms_ids)))
            for sms_id in sms_ids:  # delivered in-process here (no SMS gateway)
                store.sms_outcome(call_id, sms_id, True, run.ended_at)
        totals = report(store, by="month")["totals"]
        store.close()
    return {"statuses": totals["statuses"],
            **{k: v["value"] for k, v in totals["indicators"].items()
               if isinstance(v, dict) and "value" in v}}


def _safe(run: CallRun) -> bool:
    return not any(d.startswith(("safety", "false alarm")) for d in run.defects)


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


if __name__ == "__main__":
    main()
