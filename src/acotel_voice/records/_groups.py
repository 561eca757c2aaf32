"""What the bot did not understand, grouped by similarity (tender §5.19: continuous
improvement): character n-grams (robust to recognition misspellings), cosine similarity,
each utterance joining the first group whose first member it resembles enough."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from unidecode import unidecode

SIMILAR = 0.3  # cosine similarity to a group's first utterance to join it
MAX_UTTERANCES = 5000  # the most recent; a month of a young service holds far fewer


@dataclass
class Group:
    example: str  # the group's first utterance
    members: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def _normal(text: str) -> str:
    return " ".join(unidecode(text).lower().replace("'", " ").split())


def group(utterances: Iterable[str], similar: float = SIMILAR) -> list[Group]:
    """The utterances in groups, the largest first (ties: first seen first)."""
    texts = [t for t in utterances if t.strip()][-MAX_UTTERANCES:]
    if not texts:
        return []
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                              preprocessor=_normal).fit_transform(texts)
    groups: list[Group] = []
    heads: list[int] = []
    for i, text in enumerate(texts):
        if heads:
            scores = (vectors[heads] @ vectors[i].T).toarray().ravel()
            best = int(np.argmax(scores))
            if scores[best] >= similar:
                groups[best].members.append(text)
                continue
        heads.append(i)
        groups.append(Group(text, [text]))
    order = sorted(range(len(groups)), key=lambda g: (-groups[g].size, g))
    return [groups[g] for g in order]
