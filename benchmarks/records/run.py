"""Records at scale: write throughput, the time of a month's report by half-hour × region ×
origin, and memory, for the experiment (30,000 calls, SQLite) and a national service
(1,000,000 calls, PostgreSQL on 127.0.0.1). The reference, side by side: reading every
trace back and summing in Python (what a report without SQL sums would cost).

    .venv/bin/python benchmarks/records/run.py [--sizes 30000 1000000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from acotel_voice.records import bucket_key, open_records, report

HERE = Path(__file__).parent
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timings(run: Any, repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        samples.append(time.perf_counter() - began)
    samples.sort()
    return {"median_s": round(statistics.median(samples), 4),
            "p99_s": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 4),
            "runs": repeat}


def python_reference(store: Any) -> int:
    """Every record read back, grouped and counted in Python."""
    groups: Counter[tuple[Any, ...]] = Counter()
    for r in store.records():
        key = (bucket_key(r.started_at, "halfhour"), r.region, r.origin)
        groups[key] += 1
        for status in r.statuses:
            groups[(*key, status)] += 1
    return len(groups)


def measure(url: str, size: int, repeat: int, reference: bool) -> dict[str, Any]:
    store = open_records(url)
    began = time.perf_counter()
    added = store.append_many(generate(size, start=date(2026, 12, 1), days=31))
    write_s = time.perf_counter() - began
    store.maintain()  # a month of calls at rest, statistics up to date
    month = lambda: report(store, start=date(2026, 12, 1), end=date(2026, 12, 31),  # noqa: E731
                           by="halfhour")
    rows = len(month()["rows"])
    result = {"calls": added, "write_s": round(write_s, 2),
              "writes_per_s": round(added / write_s), "report_rows": rows,
              "month_report_by_halfhour_region_origin": timings(month, repeat),
              "rss_mb_after": round(rss_mb(), 1)}
    if reference:
        result["reference_python_sums"] = timings(lambda: python_reference(store),
                                                  max(1, repeat // 3))
    store.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": "2 cores, shared", "runs": []}
    for size in args.sizes:
        if "sqlite" in args.stores:
            with tempfile.TemporaryDirectory() as folder:
                sqlite = measure(f"sqlite:///{folder}/records.db", size, args.repeat,
                                 reference=size <= 100_000)
            results["runs"].append({"store": "sqlite", **sqlite})
            print(json.dumps(results["runs"][-1]), flush=True)
        if "postgresql" not in args.stores:
            continue
        import psycopg
        name = f"acotel_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        try:
            pg = measure(ADMIN.rsplit("/", 1)[0] + "/" + name, size, args.repeat,
                         reference=size <= 100_000)
        finally:
            with psycopg.connect(ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        results["runs"].append({"store": "postgresql", **pg})
        print(json.dumps(results["runs"][-1]), flush=True)
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
