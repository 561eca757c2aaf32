"""Anonymisation of what callers said, measured on a labelled set written apart from the
code (labelled.jsonl: personal-data spans and the words to keep).

    .venv/bin/python benchmarks/anonymisation/run.py

A span counts as removed when none of its words (names, numbers…) is left in the output;
a kept word counts when it is still there. Side by side with the reference of masking
phone numbers only (what the dialog did before).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from unidecode import unidecode

from acotel_voice.dialog._phone import mask_text
from acotel_voice.records import anonymise

HERE = Path(__file__).resolve().parent


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w@.]+", unidecode(text).lower()) if len(w) > 1 or w.isdigit()]


def removed(span: str, output: str) -> bool:
    """No meaningful word of the span is left (articles and street words may stay)."""
    left = set(words(output))
    meaningful = [w for w in words(span) if w not in KEEP_OK]
    return not any(w in left for w in meaningful)


# Words that may remain without revealing anyone.
KEEP_OK = frozenset("le la les de du des d l rue avenue boulevard chemin place route allee "
                    "impasse residence batiment numero ne nee le un une et a au en ma mon "
                    "madame monsieur fille fils mari femme point arobase zero".split())


def evaluate(clean: Callable[[str], str], items: list[dict[str, Any]]) -> dict[str, Any]:
    by_kind: dict[str, list[bool]] = {}
    kept, missed_spans, lost_words = [], [], []
    times = []
    for item in items:
        began = time.perf_counter()
        output = clean(item["text"])
        times.append(time.perf_counter() - began)
        for span in item.get("personal", []):
            piece = item["text"][span["start"]:span["end"]]
            ok = removed(piece, output)
            by_kind.setdefault(span["kind"], []).append(ok)
            if not ok:
                missed_spans.append({"kind": span["kind"], "span": piece, "output": output})
        out_words = set(words(output))
        for keep in item.get("keep", []):
            ok = all(w in out_words for w in words(keep))
            kept.append(ok)
            if not ok:
                lost_words.append({"keep": keep, "output": output})
    spans = [ok for oks in by_kind.values() for ok in oks]
    times.sort()
    return {
        "personal_spans": len(spans),
        "removed_pct": round(100 * sum(spans) / len(spans), 2) if spans else None,
        "removed_by_kind_pct": {k: round(100 * sum(v) / len(v), 1) for k, v in by_kind.items()},
        "kept_words": len(kept),
        "kept_pct": round(100 * sum(kept) / len(kept), 2) if kept else None,
        "ms_per_utterance": {"median": round(statistics.median(times) * 1000, 3),
                             "p99": round(times[int(len(times) * 0.99)] * 1000, 3)},
        "missed": missed_spans[:60], "lost": lost_words[:60],
        "missed_kinds": dict(Counter(m["kind"] for m in missed_spans)),
    }


def main() -> dict[str, Any]:
    path = HERE / "labelled.jsonl"
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    results = {"utterances": len(items), "acotel": evaluate(anonymise, items),
               "reference_phone_masking_only": evaluate(mask_text, items)}
    (HERE / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                                       "utf-8")
    for name in ("acotel", "reference_phone_masking_only"):
        r = results[name]
        print(f"{name}: removed {r['removed_pct']}% of {r['personal_spans']} spans "
              f"{r['removed_by_kind_pct']}, kept {r['kept_pct']}% of {r['kept_words']} words, "
              f"p99 {r['ms_per_utterance']['p99']} ms")
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
