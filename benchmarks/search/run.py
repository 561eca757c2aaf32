"""Workshop catalogue benchmark at national scale (100,000 and 1,000,000 synthetic
workshops): loading and searching with acotel_geo's columnar snapshot, side by side with
two references on the same queries:

- ``json_reference``: the previous implementation (json_reference.py), which reads the
  gzipped JSON snapshot into Workshop objects, searched with the same ladder;
- ``geopandas_reference``: a plain geopandas distance filter over all rows (Lambert-93,
  EPSG:2154), each ladder step a boolean mask over the whole frame, with each workshop's
  next session day precomputed once for the query day (an advantage given to it).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/search/run.py [--sizes 100000 1000000] [--queries 2000]

Each catalogue is published into a snapshot store (JSON snapshot + columnar twin); each
implementation is then loaded and searched in a fresh process (probe.py), which reports
its load time and resident memory (VmRSS, mapped file pages included). Writes
benchmarks/search/results.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from acotel_geo import DEFAULT_LADDER, Gazetteer, SnapshotStore, Theme
from acotel_geo.catalogue._demo import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from probe import ANCHOR, stats  # noqa: E402


def reference_frame(workshops: list[Any]) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    local = [w for w in workshops if not w.remote]
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


def probe(kind: str, snapshot: Path, queries: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(HERE / "probe.py"), kind, str(snapshot),
                           str(queries)], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(gazetteer: Gazetteer, size: int, queries: list[tuple[Any, Theme | None]],
            geopandas_queries: int, folder: Path) -> dict[str, Any]:
    meta, workshops = generate(gazetteer, size, ANCHOR, regions_only=False)
    store = SnapshotStore(folder / f"store-{size}")
    started = time.perf_counter()
    snapshot = store.publish(meta, workshops)
    publish_s = time.perf_counter() - started
    frame, next_day = reference_frame(workshops)
    del workshops
    gc.collect()
    path = folder / "queries.json"
    path.write_text(json.dumps([(p.lat, p.lon, None if t is None else str(t))
                                for p, t in queries]), "utf-8")
    columnar = probe("columnar", store.root, path)
    reference = probe("json_reference", snapshot, path)
    ours, theirs = columnar.pop("results"), reference.pop("results")

    points = gpd.GeoSeries(gpd.points_from_xy([p.lon for p, _ in queries],
                                              [p.lat for p, _ in queries]),
                           crs="EPSG:4326").to_crs("EPSG:2154")
    timings, agree = [], 0
    for k in range(min(geopandas_queries, len(queries))):
        theme = queries[k][1]
        started = time.perf_counter()
        counts = reference_search(frame, next_day, points[k], None if theme is None else str(theme))
        timings.append(time.perf_counter() - started)
        agree += ours[k][0] == counts
    steps: dict[str, int] = {}
    for counts, found, _ in ours:
        step = DEFAULT_LADDER[len(counts) - 1]
        key = f"{step.radius_km:g} km / {step.weeks} weeks" + ("" if found else " (none)")
        steps[key] = steps.get(key, 0) + 1
    geopandas = stats(timings)
    return {
        "workshops": size,
        "files_mb": {"json_gz": round(snapshot.stat().st_size / 2**20, 1),
                     "columnar": round(snapshot.with_name(snapshot.name.replace(
                         ".json.gz", ".cols")).stat().st_size / 2**20, 1)},
        "publish_s": round(publish_s, 1),
        "columnar": columnar,
        "json_reference": reference,
        "geopandas_reference": {"search": geopandas},
        "load_speedup_vs_json": round(reference["load_s"] / columnar["load_s"]),
        "p99_speedup_vs_json": round(reference["search"]["p99_ms"]
                                     / columnar["search"]["p99_ms"], 2),
        "p99_speedup_vs_geopandas": round(geopandas["p99_ms"] / columnar["search"]["p99_ms"], 1),
        "same_results_as_json_reference": round(
            sum(a == b for a, b in zip(ours, theirs, strict=True)) / len(ours), 4),
        "same_counts_per_step_as_geopandas": round(agree / len(timings), 4),
        "final_steps": dict(sorted(steps.items())),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--geopandas-queries", type=int, default=2_000,
                        help="queries timed with geopandas (at most 300 at 1M workshops)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    gazetteer = Gazetteer.load(indexed=False)
    rng = random.Random(7)
    communes = [p for p in gazetteer.places if p.kind == "commune" and p.region != "autre"]
    weights = [p.population + 100 for p in communes]
    queries = [(p, rng.choice([None, *Theme])) for p in
               rng.choices(communes, weights=weights, k=args.queries // 2)
               + rng.sample(communes, args.queries - args.queries // 2)]
    rng.shuffle(queries)
    results: dict[str, Any] = {
        "command": "benchmarks/search/run.py " + " ".join(sys.argv[1:] if argv is None
                                                          else argv),
        "queries": len(queries),
        "note": "2 cores shared with other jobs while measured: timings are noisy",
        "sizes": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            cap = args.geopandas_queries if size <= 200_000 else min(args.geopandas_queries, 300)
            results["sizes"][str(size)] = measure(gazetteer, size, queries, cap, Path(tmp))
            print(json.dumps(results["sizes"][str(size)], indent=1), flush=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return results


if __name__ == "__main__":
    main()
