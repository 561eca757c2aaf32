"""Text processing for French place names and caller answers.

Like addok, text goes through a pipeline of small pure functions with one
signature each, ``(tokens) -> tokens``, listed in order in ``NAME_PIPELINE``.
``phonemicize`` turns a folded token into a French sound-alike key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from unidecode import unidecode

from ._spelling import join_spelled

Tokens = list[str]
Processor = Callable[[Tokens], Tokens]

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
    """Lowercase ASCII: accents removed, ligatures expanded ("Œ" -> "oe")."""
    return unidecode(text).lower()


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


def answer_tokens(text: str) -> Tokens:
    """Tokens of a caller answer: as ``name_tokens``, with names spelled letter by letter
    joined back into words first ("c a v a i l l o n" -> "cavaillon")."""
    tokens = join_spelled(tokenize(text))
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


# French sound-alike rules, applied in order to one folded token. In the spirit of
# addok-fr's phonemicize: keep what a listener hears, drop silent letters.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?<=a)(mp|nd|nt)s?$", "n"),  # champs -> chan
        (r"([aeiouy])mp(?=[^aeiouyr])", r"\1n"),
        (r"ngt", "n"),  # vingt -> vin
        (r"(?<![g])g(?=[eiy])|^g(?=[eiy])", "j"),  # gigean -> jijean
        (r"(?<=g)u(?=[aeiy])", ""),  # guerin -> gerin
        (r"(?<=[gj])e(?=[aou])", ""),  # digeon -> dijon
        (r"(?<=[aeiou])ill", "i"),  # cavaillon -> cavaion
        (r"c(?=[eiy])", "s"),  # cernay -> sernay
        (r"(?<=[aeiouy])s(?=[aeiouy])", "z"),  # rosiere -> roziere
        (r"qu?", "k"),
        (r"ch", "X"),  # keep the sound "ch" apart from "c"
        (r"c|ck", "k"),
        (r"ph", "f"),
        (r"(?<=[^sX])h|^h", ""),  # silent h
        (r"sc(?=[eiy])", "s"),
        (r"w", "v"),
        (r"y", "i"),
        (r"(?:eau|au|o)", "o"),
        (r"(?:ain|aim|ein|in|im|un|um)(?=[^aeiouy]|$)", "1"),  # saint, sint, plein, brun
        (r"(?:ai|ei|e[tz]s?$|ers?$)", "E"),  # lait, ballet, béziers: a sounded "è/é"
        (r"(?:an|am|en|em)(?=[^aeiouy]|$)", "2"),  # champ, temps
        (r"on(?=[^aeiouy]|$)", "3"),
        (r"(?<=[123])[td](?=[^aeiouyr])", ""),  # montpellier -> m3pelier
        (r"ou", "u"),
        (r"([a-zE])\1+", r"\1"),  # double letters
        (r"(?<=[a-zE0-9])(?:[tdx]s|es|e|s|x|t|d)$", ""),  # silent endings
    )
)


@lru_cache(maxsize=65536)
def phonemicize(token: str) -> str:
    """Sound-alike key of one folded token: "beaulieu" -> "bolieu", "vinsobres" -> "v1sobr"."""
    if token.isdigit() or len(token) < 2:
        return token
    key = token
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key or token


def phonetic_key(tokens: Sequence[str]) -> str:
    """Sound-alike key of a whole name, words glued: hyphens and cuts heard differently
    by speech recognition ("Sainte Maxime" / "Saintemaxime") give one key."""
    return "".join(phonemicize(t) for t in tokens)
