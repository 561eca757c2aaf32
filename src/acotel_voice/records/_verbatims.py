"""Verbatims (tender §6.3): the anonymised transcripts of calls of a status (``non_efficace``
by default), and how often callers used each word and 2–3-word expression."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from unidecode import unidecode

from ._model import CallRecord

# French function words and fillers: not what callers asked for.
STOP_WORDS = frozenset("""
a ai aie ainsi alors au aussi autre aux avait avec avez avoir b bah ben bon c ca ce cela ces
cet cette ceux chez comme comment d dans de des deja dire dis dit donc du elle elles en encore
est et etait ete etre eu euh eux fait faire faut hein il ils j je jusqu l la le les leur leurs
lui m ma mais me meme mes moi mon n ne ni non nos notre nous o oh on ont ou oui par parce pas
peu peut plus pour pourquoi puis qu quand que quel quelle quelque qui quoi s sa sans se ses si
sil son sont suis sur t ta te tes toi ton tout tous tres tu un une vais vas voila vos votre
vous vraiment y madame monsieur bonjour merci allo ah voir ici la-bas
""".split())
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def lemma(word: str) -> str:
    """A light French lemma: plural and feminine forms folded ("ateliers" → "atelier")."""
    if len(word) > 4 and word.endswith(("aux",)):
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The content words of a turn, lemmatised; tags such as ``[nom]`` are dropped."""
    text = re.sub(r"\[[^\]]*\]", " ", unidecode(text).lower().replace("'", " "))
    return [lemma(w) for w in _WORD.findall(text) if w not in STOP_WORDS and len(w) > 1]


def expressions(words: list[str], n: int) -> list[str]:
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]


def vocabulary(records: Iterable[CallRecord], top: int = 50) -> dict[str, Any]:
    """The ``top`` words and 2–3-word expressions, counted once per turn."""
    counts: dict[int, Counter[str]] = {1: Counter(), 2: Counter(), 3: Counter()}
    calls = turns = 0
    for record in records:
        calls += 1
        for turn in record.transcript:
            turns += 1
            words = terms(turn)
            for n, counter in counts.items():
                counter.update(set(expressions(words, n)))
    return {"calls": calls, "turns": turns,
            "words": counts[1].most_common(top),
            "expressions": (counts[2] + counts[3]).most_common(top)}


def verbatims(records: Iterable[CallRecord], status: str | None = "non_efficace",
              top: int = 50) -> dict[str, Any]:
    """The transcripts of the calls of ``status`` (all calls with None) and their
    vocabulary, by region."""
    chosen = [r for r in records if status is None or status in r.statuses]
    by_region: dict[str, list[CallRecord]] = {}
    for record in chosen:
        by_region.setdefault(record.region or "inconnue", []).append(record)
    return {
        "status": status,
        "vocabulary": vocabulary(chosen, top),
        "by_region": {region: vocabulary(items, top)
                      for region, items in sorted(by_region.items())},
        "transcripts": [{"call_id": r.call_id, "started_at": r.started_at.isoformat(),
                         "region": r.region, "statuses": list(r.statuses),
                         "turns": list(r.transcript),
                         "evaluation_reason": r.evaluation_reason} for r in chosen],
    }
