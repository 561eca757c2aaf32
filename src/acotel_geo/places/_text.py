"""Text processing for French place names and caller answers.

Like addok, text goes through a pipeline of small pure functions with one
signature each, ``(tokens) -> tokens``, listed in order in ``NAME_PIPELINE``.
``_phonetic.phonemicize`` turns a folded token into a French sound-alike key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from unidecode import unidecode

from ._phonetic import phonemicize, phonetic_key
from ._spelling import join_spelled

__all__ = ["ARTICLES", "answer_tokens", "fold", "name_key", "name_tokens", "phonemicize",
           "phonetic_key", "strip_article", "tokenize"]

Tokens = list[str]
Processor = Callable[[Tokens], Tokens]

_CEDILLA = re.compile(r"(?<=\w)[çÇ]")  # inside a word: "ça" stays "ca"
_SPLIT = re.compile(r"[^a-z0-9]+")
_DIGIT_ALPHA = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")

# Abbreviations seen in written and transcribed place names.
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "mt": "mont",
    "ft": "fort",
    "d": "de",  # "l'isle-d'abeau" -> "l isle de abeau"
    "l": "le",
}

# Leading articles that callers drop: "Le Puy-en-Velay" is often just "Puy-en-Velay".
ARTICLES = frozenset({"le", "la", "les", "l"})


def fold(text: str) -> str:
    """Lowercase ASCII: accents removed, ligatures expanded ("Œ" -> "oe"), "ç" written as
    it sounds ("Besançon" -> "besansson", so that its sound-alike key has an "s")."""
    return unidecode(_CEDILLA.sub("ss", text)).lower()


def tokenize(text: str) -> Tokens:
    """Fold then split on anything that is not a letter or digit; "13e" -> "13", "e"."""
    folded = _DIGIT_ALPHA.sub(" ", fold(text))
    return [t for t in _SPLIT.split(folded) if t]


def expand_abbreviations(tokens: Tokens) -> Tokens:
    """"st" -> "saint", "ste" -> "sainte", apostrophe leftovers "l"/"d" -> "le"/"de"."""
    return [_ABBREVIATIONS.get(t, t) for t in tokens]


NAME_PIPELINE: tuple[Processor, ...] = (expand_abbreviations,)


def name_tokens(text: str) -> Tokens:
    """Tokens of a place name or of a caller answer, through ``NAME_PIPELINE``."""
    tokens = tokenize(text)
    for process in NAME_PIPELINE:
        tokens = process(tokens)
    return tokens


# The people of the cities with arrondissements, said for the city ("je suis parisienne,
# dans le quinzième").
_DEMONYMS = {f"{stem}{ending}": city for stem, city in (("parisien", "paris"),
             ("marseillais", "marseille"), ("lyonnais", "lyon"))
             for ending in ("", "s", "e", "es", "ne", "nes")}


def city_demonyms(tokens: Tokens) -> Tokens:
    """"parisienne" -> "paris", "marseillais" -> "marseille", "lyonnaise" -> "lyon"."""
    return [_DEMONYMS.get(t, t) for t in tokens]


def answer_tokens(text: str) -> Tokens:
    """Tokens of a caller answer: as ``name_tokens``, with names spelled letter by letter
    joined back into words first ("c a v a i l l o n" -> "cavaillon") and the people of a
    city said for it ("parisienne" -> "paris")."""
    tokens = city_demonyms(join_spelled(tokenize(text)))
    for process in NAME_PIPELINE:
        tokens = process(tokens)
    return tokens


def name_key(text: str) -> str:
    """Canonical key of a name: "Saint-Rémy-de-Provence" -> "saint remy de provence"."""
    return " ".join(name_tokens(text))


def strip_article(tokens: Sequence[str]) -> Tokens:
    """Drop one leading article: ["le", "puy", "en", "velay"] -> ["puy", "en", "velay"]."""
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        return list(tokens[1:])
    return list(tokens)
