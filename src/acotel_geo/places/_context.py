"""Which place of an answer is the caller's, when it names two.

"à Caissargues, à côté de Nîmes", "j'habite à Saint-Vit, entre Besançon et Dole": the
bigger town is a landmark. "j'ai habité à Lyon mais maintenant je suis à Dijon", "je suis
à Aubagne, mais ma fille elle est à Paris", "Lille, non, Villeneuve-d'Ascq": the other
place is not where the caller is. "j'habite Béziers, mais pour l'atelier Agde ça m'irait":
the place of the workshop is the one asked for.

The answer is cut into clauses (punctuation, "mais", "maintenant", "non", "enfin"...),
each clause gets a role from its cue words, and the positions of landmark and other
clauses are returned. Nothing here looks places up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

# Words that open a new clause (the word belongs to the new clause).
_CLAUSE_WORDS = frozenset({"mais", "maintenant", "non", "enfin", "sinon", "pardon",
                           "desormais", "aujourd", "actuellement"})
# A clause opened by one of these corrects the one before it: "Lille, non, Villeneuve".
_CORRECTIONS = frozenset({"non", "enfin", "pardon", "plutot"})
# A landmark follows: "à côté de Nîmes", "près d'Avignon", "collé à Lyon".
_LANDMARK_CUES: tuple[tuple[str, ...], ...] = (
    ("a", "cote"), ("du", "cote"), ("pres",), ("colle",), ("collee",), ("en", "face"),
    ("entre",), ("agglomeration",), ("agglo",), ("loin",), ("proche",), ("banlieue",),
    ("environs",), ("autour",), ("vers",), ("region",), ("limite",), ("jouxte",),
)
# Past homes and other people's places.
_ELSEWHERE = frozenset({
    "habitais", "habitait", "vivais", "vivait", "travaillais", "travaillait", "etais",
    "etait", "avant", "autrefois", "anciennement", "fille", "fils", "soeur", "frere",
    "enfants", "petits", "neveu", "niece", "cousin", "cousine", "descends", "descend",
    "passe", "ete", "vacances", "souvent", "parfois", "travaille",
    "courses", "marche", "medecin", "hopital", "nee",
})
_PAST_PARTICIPLES = frozenset({"habite", "vecu", "travaille", "ete"})  # "j'ai habité"
# The place of the workshop, or the caller's now.
_WANTED = frozenset({"atelier", "ateliers", "participer", "prefere", "preferais",
                     "prefererais", "arrange", "arrangerait", "irait", "conviendrait",
                     "plutot", "maintenant", "desormais", "aujourd", "actuellement"})

# Phrases that bring the caller's own place: "je suis à Toulouse", "j'habite Dijon".
_CARRIERS: tuple[tuple[str, ...], ...] = (
    ("je", "suis", "a"), ("j", "habite", "a"), ("j", "habite", "au"), ("j", "habite", "aux"),
    ("j", "habite"), ("je", "vis", "a"), ("je", "demeure", "a"), ("je", "reside", "a"),
)
HINT, ELSEWHERE, WANTED, PLAIN = "hint", "elsewhere", "wanted", "plain"
_BREAK = re.compile(r"[,;!?]+|\.(?!\d)")


@dataclass(frozen=True, slots=True)
class Context:
    landmark: frozenset[int] = frozenset()  # positions of a landmark ("à côté de Nîmes")
    secondary: frozenset[int] = frozenset()  # landmarks and other places, not the caller's


def breaks(text: str, tokenize: Callable[[str], list[str]], total: int) -> set[int]:
    """Token positions where a punctuation mark started a new clause (none when the
    pieces do not tokenize back to the same number of tokens)."""
    found, position = set(), 0
    for piece in _BREAK.split(text):
        position += len(tokenize(piece))
        found.add(position)
    return found if position == total else set()


def _clauses(tokens: Sequence[str], cuts: set[int]) -> list[tuple[int, int]]:
    starts = sorted({0} | {c for c in cuts if 0 < c < len(tokens)}
                    | {i for i, t in enumerate(tokens) if t in _CLAUSE_WORDS and i > 0})
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(tokens)], strict=True) if s < e]


def _landmark_start(tokens: Sequence[str], start: int, end: int) -> int | None:
    for i in range(start, end):
        for cue in _LANDMARK_CUES:
            if tuple(tokens[i:i + len(cue)]) == cue:
                return i
    return None


def carrier_ends(tokens: Sequence[str]) -> list[int]:
    """Where the caller's own place may start: right after "je suis à", "j'habite"...,
    in the order they are said."""
    ends: list[int] = []
    for i in range(len(tokens)):
        for carrier in _CARRIERS:
            if tuple(tokens[i:i + len(carrier)]) == carrier:
                ends.append(i + len(carrier))
                break
    return ends


def _role(tokens: Sequence[str], start: int, end: int) -> str:
    words = tokens[start:end]
    if any(w in _ELSEWHERE for w in words) or any(
            a == "ai" and b in _PAST_PARTICIPLES for a, b in pairwise(words)):
        return ELSEWHERE
    if any(w in _WANTED for w in words):
        return WANTED
    return PLAIN


def context(tokens: Sequence[str], cuts: set[int], content: set[int]) -> Context:
    """Landmark and secondary positions of an answer; empty unless the answer keeps some
    content outside them (a lone "près de Nîmes" is about Nîmes)."""
    clauses = _clauses(tokens, cuts)
    roles: list[str] = []
    landmark: set[int] = set()
    secondary: set[int] = set()
    named: int | None = None  # start of the last clause with content
    correcting = False
    for index, (start, end) in enumerate(clauses):
        role = _role(tokens, start, end)
        cue = _landmark_start(tokens, start, end)
        if cue is not None:
            hinted = set(range(cue, end))
            if not hinted & content and index > 0:
                # "Blois, enfin à côté, à Vineuil": the landmark is the clause before
                hinted = set(range(*clauses[index - 1]))
            landmark |= hinted
        roles.append(role)
        # "Dijon, non pardon, Beaune": the place named before a correction is not meant
        correcting = correcting or tokens[start] in _CORRECTIONS
        if set(range(start, end)) & content:
            if correcting and named is not None:
                secondary |= set(range(named, start))
            named, correcting = start, False
    wanted = {i for (s, e), r in zip(clauses, roles, strict=True) if r == WANTED
              for i in range(s, e)}
    for (start, end), role in zip(clauses, roles, strict=True):
        if role == ELSEWHERE or (wanted & content and role != WANTED):
            secondary |= set(range(start, end))
    secondary |= landmark
    if not content - secondary:
        return Context()
    return Context(frozenset(landmark), frozenset(secondary))
