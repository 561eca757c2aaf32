"""What a caller means, from what speech recognition heard.

High-stakes or unmistakable intents (suicidal distress, distress, insults, repeat, slower)
are caught by rules first; everything else by a scikit-learn model (character n-gram
TF-IDF + logistic regression) trained on ``corpus/intents.yaml``, robust to fillers and
misspellings. Below ``MIN_CONFIDENCE`` the answer is "unknown".

The steering app can publish extra training examples (utterances callers said that the
bot did not understand, assigned to an intent): ``use_examples`` trains the corpus plus
those examples and swaps the live model in one assignment, so calls never wait on it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from unidecode import unidecode

from acotel_geo import Theme

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "intents.yaml"
MIN_CONFIDENCE = 0.3
Examples = tuple[tuple[str, str], ...]  # extra (text, intent) training pairs
FILLERS = ("euh ", "ben ", "alors ", "bah ", "oui alors ", "euh ben ")

# Theme intents: the theme and the module to put first.
THEMES: dict[str, tuple[Theme | None, str]] = {
    "theme_memoire": (Theme.DANS_SA_TETE, "mémoire"),
    "theme_equilibre": (Theme.DANS_MON_CORPS, "équilibre"),
    "theme_sommeil": (Theme.DANS_MON_CORPS, "sommeil"),
    "theme_nutrition": (Theme.DANS_MON_CORPS, "nutrition"),
    "theme_forme": (Theme.DANS_MON_CORPS, "gym douce"),
    "theme_numerique": (Theme.AVEC_LES_AUTRES, "numérique"),
    "theme_social": (Theme.AVEC_LES_AUTRES, "lien social"),
    "theme_habitat": (Theme.CHEZ_SOI, "habitat"),
    "theme_any": (None, ""),
}

_RULE_PATTERNS = (
    ("slower", r"moins vite|plus lentement|trop vite|trop rapide|ralenti|plus doucement"),
    ("repeat", r"^(pardon|comment|quoi|hein|repetez?)$|repet|pas (bien )?compris"
               r"|pas (bien )?entendu|redi(tes|re)|pas saisi"),
)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern)) for intent, pattern in _RULE_PATTERNS)
# A theme named in so many words ("un atelier sommeil") is that theme.
THEME_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern)) for intent, pattern in (
        ("theme_memoire", r"\bmemoire\b"),
        ("theme_equilibre", r"\bequilibre\b|\bchutes?\b"),
        ("theme_sommeil", r"\bsommeil\b|\bdormir\b"),
        ("theme_nutrition", r"\bnutrition\b|\balimentation\b|\bcuisine\b"),
        ("theme_numerique", r"\bnumerique\b|\btablette\b|\bordinateur\b|\binternet\b"),
        ("theme_forme", r"\bgym\b|\bgymnastique\b|\byoga\b"),
        ("theme_habitat", r"\bhabitat\b|\blogement\b"),
    ))


# "jai", "jhabite": the apostrophe recognition dropped, put back as a space.
_ELIDED = re.compile(r"\bj(?=(?:ai|habite|aimerais|aime|avais|etais|entends|attends|ecoute|"
                     r"arrive|arrivais|oublie|y|en|appelle|aurais|aurai|aurait)\b)")
# "jsuis", "jvais", "jme": "je" said short, as recognition writes it.
_SHORT_JE = re.compile(r"\bj(?=(?:suis|vais|sais|me|te|peux|veux|dois|crois|pense|comprends|fais|"
                       r"le|la|les|lui|prends|mets|reste|dors|mange|marche|sors|connais|vois)\b)")


# The other elisions speech recognition writes as one word ("quil", "cest", "sendort",
# "lhopital", "daccord"), each only where the glued word is no French word itself.
_GLUED = re.compile(
    r"\b(?:(qu)(il|ils|on|un|une)|(quelqu)(un|une)|(c)(est|etait|etaient)|"
    r"(l)(hopital|hotel|eglise|ecole|ateliers?|age|appel|argent|ordinateur|equilibre|"
    r"alimentation|habitat|autre|adresse|annee|heure|aide|association|infirmiere|ambulance|"
    r"accueil|eau|escalier|insuffisance|attaque|avc|assistante|auxiliaire)|"
    r"([sm])(endort|endors|ennuie|ennuies|occupe|occupent|appelle|appellent|aide|aident|"
    r"inquiete|est|etait|en|y|oublie|oublient|enferme|enferment|envoie|ecoute|ecoutent|arrete|"
    r"aider|occupe|ennuyer|"
    r"arretent)|"
    r"(d)(un|une|abord|accord|ailleurs|habitude)|(n)(est|ai|a|y|en|ont|etait|avait)|"
    r"(l)(an|annee))\b")


def _unglued(match: re.Match[str]) -> str:
    parts = [part for part in match.groups() if part]
    return f"{parts[0]} {parts[1]}"


def normalize(text: str) -> str:
    """Folded, lowercase, apostrophes and punctuation as spaces (and put back where speech
    recognition dropped them)."""
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", unidecode(text or "").lower()).split())
    return _GLUED.sub(_unglued, _ELIDED.sub("j ", _SHORT_JE.sub("je ", folded)))


@dataclass(frozen=True, slots=True)
class Intent:
    name: str  # an intent of the corpus, or "unknown"
    confidence: float
    source: str  # "rule" | "model" | "empty"

    @property
    def theme(self) -> tuple[Theme | None, str] | None:
        return THEMES.get(self.name)


def load_corpus() -> tuple[list[str], list[str]]:
    data = yaml.safe_load(CORPUS.read_text("utf-8"))
    texts, labels = [], []
    for intent, block in data.items():
        for line in str(block).splitlines():
            if line.strip():
                texts.append(line.strip())
                labels.append(intent)
    return texts, labels


def augment(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """Each example as said plainly and after a filler, the way callers answer."""
    out_t, out_l = [], []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        out_t += [normalize(text), normalize(FILLERS[i % len(FILLERS)] + text)]
        out_l += [label, label]
    return out_t, out_l


def build_model() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
    ])
    return make_pipeline(features, LogisticRegression(C=20, max_iter=3000))


class FittedModel:
    """The fitted pipeline's own numbers, applied directly: the same probabilities as
    ``predict_proba`` without scikit-learn's per-call machinery (joblib, validation), about
    a quarter faster; the character n-grams' transform is the rest of the cost."""

    def __init__(self, pipeline: Any) -> None:
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
        self.coef = classifier.coef_.T
        self.intercept = classifier.intercept_
        self.classes_ = classifier.classes_

    def predict_proba(self, texts: list[str]) -> Any:
        from scipy.sparse import hstack

        features = hstack([v.transform(texts) for v in self.vectorizers]).tocsr()
        scores = features @ self.coef + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)


@cache
def _pipeline() -> Any:
    model = build_model()
    model.fit(*augment(*load_corpus()))
    return model


@cache
def _model() -> FittedModel:
    return FittedModel(_pipeline())


@cache
def intent_names() -> tuple[str, ...]:
    """The corpus's intents, in its order."""
    return tuple(dict.fromkeys(load_corpus()[1]))


@lru_cache(maxsize=4)
def model_for(extra: Examples = ()) -> FittedModel:
    """A model of the corpus and ``extra`` examples (the corpus's own without any); a few
    are kept, the published one and the candidates being evaluated."""
    if not extra:
        return _model()
    unknown = {label for _, label in extra} - set(intent_names())
    if unknown:
        raise ValueError(f"unknown intents: {', '.join(sorted(unknown))}")
    texts, labels = load_corpus()
    pipeline = build_model()
    pipeline.fit(*augment(texts + [t for t, _ in extra], labels + [lb for _, lb in extra]))
    return FittedModel(pipeline)


@dataclass(frozen=True)
class _Live:
    version: str  # "" for the corpus's own model
    model: FittedModel | None  # None: the corpus's own, trained on first use


_live = _Live("", None)
_training = threading.Lock()


def live_version() -> str:
    return _live.version


def use_examples(version: str, extra: Examples) -> bool:
    """Train the corpus and ``extra`` (slow: call it in a thread) and make it the model of
    every next turn; False when another training is under way (try again later)."""
    global _live
    if not _training.acquire(blocking=False):
        return False
    try:
        if version != _live.version:
            _live = _Live(version, model_for(tuple(extra)) if extra else None)
            _predict.cache_clear()
        return True
    finally:
        _training.release()


def current_model() -> FittedModel:
    return _live.model or _model()


def detect(text: str) -> Intent:
    norm = normalize(text)
    if not norm:
        return Intent("unknown", 0.0, "empty")
    ruled = _rules(norm)
    if ruled is not None:
        return Intent(ruled, 1.0, "rule")
    return _predict(norm, current_model())


@lru_cache(maxsize=8192)
def _predict(norm: str, model: FittedModel) -> Intent:
    """The model's intent for a normalised answer; answers repeat a lot ("oui", "non")."""
    probabilities = model.predict_proba([norm])[0]
    best = int(np.argmax(probabilities))
    confidence = float(probabilities[best])
    if confidence < MIN_CONFIDENCE:
        return Intent("unknown", confidence, "model")
    return Intent(str(model.classes_[best]), confidence, "model")


def detect_many(texts: list[str], model: FittedModel) -> list[str]:
    """The intent names ``detect`` would give with ``model``, in one batch (evaluations)."""
    norms = [normalize(t) for t in texts]
    out = ["unknown" if not n else (_rules(n) or "") for n in norms]
    asked = [i for i, name in enumerate(out) if not name]
    if asked:
        probabilities = model.predict_proba([norms[i] for i in asked])
        for i, row in zip(asked, probabilities, strict=True):
            best = int(np.argmax(row))
            out[i] = str(model.classes_[best]) if row[best] >= MIN_CONFIDENCE else "unknown"
    return out


def _rules(norm: str) -> str | None:
    for intent, pattern in RULES:
        if pattern.search(norm):
            return intent
    themes = {intent for intent, pattern in THEME_WORDS if pattern.search(norm)}
    return themes.pop() if len(themes) == 1 else None


def cross_validated_accuracy(folds: int = 5, seed: int = 0, with_rules: bool = False) -> float:
    """Stratified k-fold accuracy on the corpus (augmentation applied to the training folds
    only, so a test sentence never leaks in): of the model alone, or of the whole detector
    (rules first, then the model trained on the other folds)."""
    from sklearn.model_selection import StratifiedKFold

    texts, labels = load_corpus()
    right = 0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, labels):
        model = build_model()
        model.fit(*augment([texts[i] for i in train], [labels[i] for i in train]))
        predicted = model.predict([normalize(texts[i]) for i in test])
        if with_rules:
            predicted = [_rules(normalize(texts[i])) or p
                         for p, i in zip(predicted, test, strict=True)]
        right += sum(p == labels[i] for p, i in zip(predicted, test, strict=True))
    return right / len(texts)
