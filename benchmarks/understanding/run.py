"""The whole understanding on the held-out utterances written apart from the code
(``heldout_test.jsonl``; ``heldout_dev.jsonl`` for tuning; see README.md): per label
precision and recall, the recall of the safety labels, the precision of the insult label,
and the share of utterances understood exactly (every label right, none extra; the
``place:`` labels are the location benchmark's).

    .venv/bin/python benchmarks/understanding/run.py [--split test|dev|dev2|dev3] [--failures N]

Results in ``results-<split>.json``; the failures are listed, not only the rates.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from acotel_voice.dialog import understand

HERE = Path(__file__).resolve().parent
SAFETY = ("emergency", "suicide", "abuse", "loneliness", "illness")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev", "dev2", "dev3"))
    parser.add_argument("--failures", type=int, default=40)
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in
             (HERE / f"heldout_{args.split}.jsonl").read_text("utf-8").splitlines() if line]
    understand("oui", "welcome")  # the model trained before timing
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact, failures, latencies = 0, [], []
    for item in items:
        gold = {label for label in item["labels"] if not label.startswith("place:")}
        started = time.perf_counter()
        got = set(understand(item["text"], item["step"]))
        latencies.append(time.perf_counter() - started)
        for label in got & gold:
            tp[label] += 1
        for label in got - gold:
            fp[label] += 1
        for label in gold - got:
            fn[label] += 1
        if got == gold:
            exact += 1
        else:
            failures.append({"id": item["id"], "step": item["step"], "text": item["text"],
                             "missed": sorted(gold - got), "extra": sorted(got - gold)})

    def rate(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    labels = sorted(set(tp) | set(fp) | set(fn))
    per_label = {label: {"support": tp[label] + fn[label],
                         "recall": rate(tp[label], tp[label] + fn[label]),
                         "precision": rate(tp[label], tp[label] + fp[label])}
                 for label in labels}
    safety_tp = sum(tp[s] for s in SAFETY)
    urgent = ("emergency", "suicide", "abuse")
    ordered = sorted(latencies)
    results = {
        "split": args.split, "utterances": len(items),
        "exact": rate(exact, len(items)),
        "micro": {"recall": rate(sum(tp.values()), sum(tp.values()) + sum(fn.values())),
                  "precision": rate(sum(tp.values()), sum(tp.values()) + sum(fp.values()))},
        "safety_recall": rate(safety_tp, safety_tp + sum(fn[s] for s in SAFETY)),
        "urgent_safety_recall": rate(sum(tp[s] for s in urgent),
                                     sum(tp[s] + fn[s] for s in urgent)),
        "safety_false_alarms": sum(fp[s] for s in SAFETY),
        "insult_precision": per_label.get("insult", {}).get("precision"),
        "insult_recall": per_label.get("insult", {}).get("recall"),
        "latency_ms": {"median": round(statistics.median(ordered) * 1000, 3),
                       "p99": round(ordered[int(len(ordered) * 0.99)] * 1000, 3)},
        "per_label": per_label,
        "failures": failures,
    }
    (HERE / f"results-{args.split}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    summary = {k: v for k, v in results.items() if k not in ("per_label", "failures")}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    worst = sorted(per_label.items(), key=lambda kv: (kv[1]["recall"] or 0))[:15]
    for label, figures in worst:
        print(f"  {label:28} support {figures['support']:3}  recall {figures['recall']}"
              f"  precision {figures['precision']}")
    for failure in failures[:args.failures]:
        print(f"  {failure['id']} [{failure['step']}] {failure['text']!r} missed "
              f"{failure['missed']} extra {failure['extra']}")
    return results


if __name__ == "__main__":
    main()
