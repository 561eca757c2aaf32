"""One implementation measured in a fresh process (run by run.py): load time, resident
memory, then the searches' latencies and results.

    python probe.py columnar|json_reference SNAPSHOT QUERIES.json

``columnar`` maps the store's columnar snapshot (acotel_geo today); ``json_reference``
reads the gzipped JSON snapshot into Workshop objects, as the previous version did
(json_reference.py). Prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ANCHOR = date(2026, 12, 1)


def rss_mb() -> float:
    """Resident set size, mapped file pages included (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 4),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 4),
            "max_ms": round(ordered[-1] * 1000, 4), "n": len(ordered)}


def main(kind: str, snapshot: str, queries_path: str) -> dict[str, Any]:
    from acotel_geo import Theme, load_catalogue, search

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import json_reference

    queries = [(lat, lon, None if theme is None else Theme(theme))
               for lat, lon, theme in json.loads(Path(queries_path).read_text("utf-8"))]
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    if kind == "columnar":
        catalogue: Any = load_catalogue(snapshot, anchor=ANCHOR)
        find: Any = search
    else:
        catalogue = json_reference.read_snapshot_file(Path(snapshot), ANCHOR)
        find = json_reference.search
    load_s = time.perf_counter() - started
    loaded = rss_mb()
    started = time.perf_counter()
    find(catalogue, *queries[0][:2], ANCHOR)
    first_ms = (time.perf_counter() - started) * 1000
    for lat, lon, theme in queries[:50]:  # warm-up
        find(catalogue, lat, lon, ANCHOR, theme=theme)
    timings, results = [], []
    for lat, lon, theme in queries:
        started = time.perf_counter()
        result = find(catalogue, lat, lon, ANCHOR, theme=theme)
        timings.append(time.perf_counter() - started)
        results.append([[n for _, n in result.steps_tried],
                        [(f.workshop.id, round(f.distance_km, 9),
                          [s.day.isoformat() for s in f.next_sessions])
                         for f in result.workshops],
                        [f.workshop.id for f in result.remote]])
    return {"workshops": len(catalogue), "load_s": round(load_s, 4),
            "rss_mb": round(loaded, 1), "rss_load_mb": round(loaded - before, 1),
            "rss_after_searches_mb": round(rss_mb(), 1),
            "first_search_ms": round(first_ms, 3), "search": stats(timings),
            "results": results}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
