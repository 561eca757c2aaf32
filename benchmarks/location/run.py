"""Location recognition benchmark: acotel_geo and addok side by side, in one run.

    .venv/bin/pip install -e '.[bench]'    # addok, addok-fr, addok-france (Redis on 127.0.0.1)
    .venv/bin/python benchmarks/location/run.py [--sample N] [--no-addok]

Writes benchmarks/location/results.json and prints a summary. addok is indexed with the
same places (Redis databases 12 and 13 are flushed) and asked the same forms; it has no
status, so an answer counts as found when its score reaches a threshold, and addok is
reported at the threshold that suits it best.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import Answer, load_forms, score_answers, timing

from acotel_geo import Gazetteer, Resolution, Resolver

HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MEMORY_PROBE = """
import os
def rss_mb():  # current resident set (ru_maxrss survives exec on Linux: not usable here)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
before = rss_mb()
from acotel_geo import Gazetteer, Resolver
resolver = Resolver(Gazetteer.load())
resolver.resolve("treize cent")
print(rss_mb() - before)
"""


def acotel_answer(resolution: Resolution) -> Answer:
    return Answer(str(resolution.status), tuple(c.insee for c in resolution.candidates),
                  resolution.confirm, tuple(code for code, _ in resolution.departments))


def run_acotel(forms: list[dict[str, Any]]) -> tuple[list[Answer], dict[str, Any]]:
    started = time.perf_counter()
    resolver = Resolver(Gazetteer.load())
    load_s = time.perf_counter() - started
    for form in forms[:50]:
        resolver.resolve(form["text"])  # warm-up
    answers, samples = [], []
    for form in forms:
        t0 = time.perf_counter_ns()
        resolution = resolver.resolve(form["text"])
        samples.append(time.perf_counter_ns() - t0)
        answers.append(acotel_answer(resolution))
    memory = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True,
                            text=True, check=True).stdout.strip()
    return answers, {"load_s": round(load_s, 3), "memory_mb": round(float(memory), 1),
                     **timing(samples)}


def run_addok(forms: list[dict[str, Any]], gazetteer: Gazetteer,
              regions: dict[str, str]) -> dict[str, Any]:
    from addok_engine import AddokEngine

    engine = AddokEngine(gazetteer)
    raw, samples = [], []
    for form in forms[:50]:
        engine.raw(form["text"])
    for form in forms:
        t0 = time.perf_counter_ns()
        raw.append(engine.raw(form["text"]))
        samples.append(time.perf_counter_ns() - t0)
    best: dict[str, Any] | None = None
    for threshold in THRESHOLDS:
        answers = []
        for results in raw:
            offered = tuple(dict.fromkeys(code for code, score in results if score >= threshold))
            # addok has no status: several results above the threshold count as a choice
            # offered to the caller, one as a pick.
            status = "ambiguous" if len(offered) > 1 else "resolved" if offered else "not_found"
            answers.append(Answer(status, offered))
        scored = score_answers(forms, answers, regions)
        if best is None or scored["overall"]["rate"] > best["scores"]["overall"]["rate"]:
            best = {"threshold": threshold, "scores": scored}
    assert best is not None
    return {**best, "index_s": engine.index_seconds, "redis_memory_mb": engine.redis_memory_mb,
            **timing(samples)}


def summary(results: dict[str, Any]) -> str:
    acotel = results["acotel"]
    lines = [f"forms: {results['forms']}", "",
             "| kind / category | n | acotel | addok |", "|---|---|---|---|"]
    addok = results.get("addok", {}).get("scores")
    for group in ("kind", "category", "region"):
        for key, value in acotel["scores"][group].items():
            other = addok[group].get(key, {}).get("rate") if addok else None
            lines.append(f"| {group}: {key} | {value['n']} | {value['rate']:.1%} | "
                         + (f"{other:.1%}" if other is not None else "n/a") + " |")
    lines.append(f"| overall | {acotel['scores']['overall']['n']} | "
                 f"{acotel['scores']['overall']['rate']:.1%} | "
                 + (f"{addok['overall']['rate']:.1%}" if addok else "n/a") + " |")
    lines += ["", f"acotel: median {acotel['median_ms']} ms, p99 {acotel['p99_ms']} ms, "
              f"load {acotel['load_s']} s, memory {acotel['memory_mb']} MB, "
              f"silent errors {acotel['scores']['silent_errors']}, doubtful codes never silent "
              f"{acotel['scores']['doubtful_never_silent']['rate']:.1%}"]
    if "addok" in results:
        a = results["addok"]
        lines.append(f"addok (threshold {a['threshold']}): median {a['median_ms']} ms, "
                     f"p99 {a['p99_ms']} ms, index {a['index_s']} s, "
                     f"Redis {a['redis_memory_mb']} MB")
        lines.append(f"speed: acotel is {results['speedup_median']}x faster (median)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="evaluate every n-th form only")
    parser.add_argument("--no-addok", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    forms = load_forms(args.sample)
    gazetteer = Gazetteer.load()
    regions = {p.insee: p.region for p in gazetteer.places}
    answers, acotel = run_acotel(forms)
    results: dict[str, Any] = {
        "forms": len(forms),
        "acotel": {**acotel, "scores": score_answers(forms, answers, regions)},
    }
    if not args.no_addok:
        from addok_engine import AddokUnavailable
        try:
            results["addok"] = run_addok(forms, gazetteer, regions)
            results["speedup_median"] = round(
                results["addok"]["median_ms"] / results["acotel"]["median_ms"], 1)
        except AddokUnavailable as error:
            print(f"addok skipped: {error}", file=sys.stderr)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(summary(results))
    return results


if __name__ == "__main__":
    main()
