"""Workshop search benchmark: acotel_geo's full widening ladder on a national-scale
catalogue (100,000 synthetic workshops), side by side with a plain geopandas distance
filter over all rows, in the same run and on the same queries.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/search/run.py [--workshops 100000] [--queries 2000]

Writes benchmarks/search/results.json. The reference computes, for each query, the
distance to every workshop (Lambert-93, EPSG:2154) and filters each ladder step with
boolean masks over the whole frame, with each workshop's next session day precomputed
once for the query day (an advantage given to it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from acotel_geo import DEFAULT_LADDER, Gazetteer, Theme, read_snapshot_file, search
from acotel_geo.catalogue._catalogue import write_snapshot_file
from acotel_geo.catalogue._demo import generate

HERE = Path(__file__).resolve().parent
ANCHOR = date(2026, 12, 1)
MEMORY_PROBE = """
import os, sys
from datetime import date
def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
import acotel_geo.catalogue._catalogue as c
before = rss_mb()
catalogue = c.read_snapshot_file(sys.argv[1], date(2026, 12, 1))
print(rss_mb() - before)
"""


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 4),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 4),
            "max_ms": round(ordered[-1] * 1000, 4), "n": len(ordered)}


def reference_frame(catalogue: Any) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    local = catalogue.local
    frame = gpd.GeoDataFrame(
        {"theme": [str(w.theme) for w in local]},
        geometry=gpd.points_from_xy([w.lon for w in local], [w.lat for w in local]),
        crs="EPSG:4326").to_crs("EPSG:2154")
    start = ANCHOR.toordinal()
    next_day = np.array([min((s.day.toordinal() for s in w.sessions
                              if s.day.toordinal() >= start), default=-1) for w in local])
    return frame, next_day


def reference_search(frame: gpd.GeoDataFrame, next_day: np.ndarray, point: Any,
                     theme: str | None) -> list[int]:
    distance_km = frame.distance(point).to_numpy() / 1000
    themed = np.ones(len(frame), dtype=bool) if theme is None else (
        frame["theme"].to_numpy() == theme)
    counts = []
    for step in DEFAULT_LADDER:
        end = (ANCHOR + timedelta(weeks=step.weeks)).toordinal()
        mask = (distance_km <= step.radius_km) & (next_day >= 0) & (next_day < end) & themed
        counts.append(int(mask.sum()))
        if counts[-1]:
            break
    return counts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    gazetteer = Gazetteer.load(indexed=False)
    meta, workshops = generate(gazetteer, args.workshops, ANCHOR, regions_only=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.json.gz"
        write_snapshot_file(path, meta, workshops)
        started = time.perf_counter()
        catalogue = read_snapshot_file(path, ANCHOR)
        load_s = time.perf_counter() - started
        memory = float(subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path)],
                                      capture_output=True, text=True, check=True).stdout)
        size_mb = path.stat().st_size / 2**20

    rng = random.Random(7)
    communes = [p for p in gazetteer.places if p.kind == "commune" and p.region != "autre"]
    weights = [p.population + 100 for p in communes]
    queries = [(p, rng.choice([None, *Theme])) for p in
               rng.choices(communes, weights=weights, k=args.queries // 2)
               + rng.sample(communes, args.queries - args.queries // 2)]
    frame, next_day = reference_frame(catalogue)
    points = gpd.GeoSeries(gpd.points_from_xy([p.lon for p, _ in queries],
                                              [p.lat for p, _ in queries]),
                           crs="EPSG:4326").to_crs("EPSG:2154")

    for place, theme in queries[:50]:  # warm-up
        search(catalogue, place.lat, place.lon, ANCHOR, theme=theme)
    ours, theirs, agree, steps = [], [], 0, {}
    for (place, theme), point in zip(queries, points, strict=True):
        t0 = time.perf_counter()
        result = search(catalogue, place.lat, place.lon, ANCHOR, theme=theme)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        counts = reference_search(frame, next_day, point, None if theme is None else str(theme))
        theirs.append(time.perf_counter() - t0)
        mine = [n for _, n in result.steps_tried]
        agree += mine == counts
        key = f"{result.step.radius_km:g} km / {result.step.weeks} weeks" + (
            "" if result.workshops else " (none)")
        steps[key] = steps.get(key, 0) + 1
    results = {
        "workshops": len(catalogue), "queries": len(queries),
        "snapshot": {"load_s": round(load_s, 3), "memory_mb": round(memory, 1),
                     "file_mb": round(size_mb, 1)},
        "acotel_full_ladder": stats(ours),
        "geopandas_reference": stats(theirs),
        "speedup_median": round(statistics.median(theirs) / statistics.median(ours), 1),
        "speedup_p99": round(stats(theirs)["p99_ms"] / stats(ours)["p99_ms"], 1),
        "same_counts_per_step": round(agree / len(queries), 4),
        "final_steps": dict(sorted(steps.items())),
    }
    args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
