"""Safety and incivility read by a model, beside the patterns of ``_moves``.

The patterns catch what was foreseen; callers say distress in words nobody listed ("je
voudrais m'endormir pour de bon", "ma belle-fille me prend ma carte"). A logistic
regression per label, on character and word n-grams of the normalized answer plus the
kind of question it answers, is trained on ``corpus/care.jsonl`` (1,534 seniors'
phrasings written by an author who read neither the code nor the held-out sets; positives
and look-alike negatives) and on plain answers of the team's (``corpus/care_negatives.txt``).
A label is said when the patterns find it or when the model is at least as sure as its
threshold (``THRESHOLDS``, chosen on the held-out dev splits, never on the test split).
The model is trained once per process at first use (about two seconds) and reads an
answer in about a millisecond.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "care.jsonl"
# Plain answers with nothing to worry about ("je suis à Béziers", "allô vous m'entendez"),
# the team's own (scripts/build_care_negatives.py), learnt at the first two questions.
NEGATIVES = CORPUS.with_name("care_negatives.txt")
NEGATIVE_STEPS = ("welcome", "location")
LABELS = ("emergency", "suicide", "abuse", "loneliness", "illness", "insult")
# How sure the model must be to add a label the patterns did not find: for each label the
# lowest threshold at which the model adds at most two false alarms to the patterns' on the
# dev splits (753 utterances; ``benchmarks/understanding``), one for insults, which can end
# a call.
THRESHOLDS = {"emergency": 0.5, "suicide": 0.7, "abuse": 0.7, "loneliness": 0.9,
              "illness": 0.4, "insult": 0.95}
# An answer that names a kind of workshop is mostly about the workshop ("je me tiens plus
# bien sur mes jambes, l'équilibre"), one that says goodbye is a leave-taking ("bon, je
# vais vous laisser"): the model alone must then be this sure.
EXPLAINED_SURE = 0.9
# The dialog's steps as the kinds of question of the corpus (its ``step`` field).
QUESTION_KIND = {
    "request": "welcome", "location": "location", "location_confirm": "location",
    "location_choose": "location", "theme": "theme", "refine": "theme",
    "results": "results", "offer_number": "results", "after": "results", "sms": "sms",
    "evaluation": "evaluation", "evaluation_reason": "evaluation_reason",
}


@dataclass(frozen=True)
class CareModel:
    vectorizer: Any
    classifiers: dict[str, Any]

    def scores(self, norm: str, step: str) -> dict[str, float]:
        features = self.vectorizer.transform([_document(norm, step)])
        return {label: float(model.predict_proba(features)[0, 1])
                for label, model in self.classifiers.items()}


def _document(norm: str, step: str) -> str:
    """The answer with the kind of question as one more word (praise at the evaluation is
    no loneliness; "je suis tombée" answering "où habitez-vous ?" is an emergency)."""
    return f"{norm} step{QUESTION_KIND.get(step, step).replace('_', '')}"


def train(rows: list[dict[str, Any]]) -> CareModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from ._intents import normalize

    vectorizer = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True))
    features = vectorizer.fit_transform(
        [_document(normalize(row["text"]), row["step"]) for row in rows])
    classifiers = {
        label: LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(
            features, [label in row["labels"] for row in rows])
        for label in LABELS}
    return CareModel(vectorizer, classifiers)


_lock = threading.Lock()
_model: CareModel | None = None


def model() -> CareModel:
    """The model of the committed corpus, trained at first use (thread-safe)."""
    global _model
    with _lock:
        if _model is None:
            rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines()
                    if line.strip()]
            rows += [{"text": line, "step": step, "labels": []}
                     for line in NEGATIVES.read_text("utf-8").splitlines() if line.strip()
                     for step in NEGATIVE_STEPS]
            _model = train(rows)
        return _model


@lru_cache(maxsize=4096)
def care_labels(norm: str, step: str, explained: bool = False) -> frozenset[str]:
    """The safety and insult labels the model is sure enough of in a normalized answer."""
    if not norm:
        return frozenset()
    scores = model().scores(norm, step)
    floor = EXPLAINED_SURE if explained else 0.0
    return frozenset(label for label, score in scores.items()
                     if score >= max(THRESHOLDS[label], floor))
