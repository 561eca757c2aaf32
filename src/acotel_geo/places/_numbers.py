"""Spoken and typed French numbers, read as postcodes or department numbers.

A caller says a postcode in many ways: digit by digit ("un trois un zéro zéro"),
department then the rest ("treize cent" = 13 100), as one number ("treize mille cent"),
or speech recognition writes digits ("13 100"). A run of number tokens is cut into
groups, each group is a well-formed French number, and the groups' digits are glued.
Every cut is kept with a weight: "vingt deux cent quarante" reads as 20 240 and 22 140.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16,
}
TENS = {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}
HUNDRED = frozenset({"cent", "cents"})
THOUSAND = frozenset({"mille", "mil"})
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | HUNDRED | THOUSAND
ORDINALS = {"premier": 1, "premiere": 1, "second": 2, "seconde": 2}
ORDINAL_SUFFIXES = frozenset({"e", "eme", "er", "ere", "ieme"})
MAX_RUN = 14  # a postcode is never said in more words; longer runs are cut


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a run of number tokens: its digits and how plausible it is."""

    digits: str
    weight: float
    start: int  # token span in the answer, end excluded
    end: int


def is_number_token(token: str) -> bool:
    return token.isdigit() or token in NUMBER_WORDS


def _below_100(words: Sequence[str]) -> int | None:
    words = list(words)
    n = len(words)
    if n == 1:
        w = words[0]
        return UNITS.get(w, TENS.get(w))
    if n == 2 and words[0] == "dix" and words[1] in ("sept", "huit", "neuf"):
        return 10 + UNITS[words[1]]
    if words[:2] == ["quatre", "vingt"] or words[:2] == ["quatre", "vingts"]:
        if n == 2:
            return 80
        rest = _below_100(words[2:])
        return 80 + rest if rest is not None and 1 <= rest <= 19 else None
    head = TENS.get(words[0])
    if head is None:
        return None
    rest_words = list(words[1:])
    if rest_words and rest_words[0] == "et":
        rest_words = rest_words[1:]
        if rest_words not in (["un"], ["une"], ["onze"]):
            return None
    rest = _below_100(rest_words) if rest_words else None
    if rest is None:
        return None
    if head == 60 and 1 <= rest <= 19:  # soixante-dix, soixante et onze
        return 60 + rest
    return head + rest if 1 <= rest <= 9 else None


def _below_1000(words: Sequence[str]) -> tuple[int, bool] | None:
    """Value and whether the form is colloquial ("treize cent" for 1300)."""
    for i, w in enumerate(words):
        if w in HUNDRED:
            head = _below_100(words[:i]) if i else 1
            tail = _below_100(words[i + 1:]) if i + 1 < len(words) else 0
            if head is None or tail is None or head == 0 or (tail == 0 and i + 1 < len(words)):
                return None
            return head * 100 + tail, head > 9
    value = _below_100(words)
    return None if value is None else (value, False)


@lru_cache(maxsize=4096)
def words_value(words: tuple[str, ...]) -> tuple[int, bool] | None:
    """Value of one well-formed French number below a million, and whether it is
    colloquial; None if the words do not form one number ("vingt vingt")."""
    for i, w in enumerate(words):
        if w in THOUSAND:
            head = _below_1000(words[:i]) if i else (1, False)
            tail = _below_1000(words[i + 1:]) if i + 1 < len(words) else (0, False)
            if head is None or tail is None or head[0] == 0:
                return None
            return head[0] * 1000 + tail[0], head[1] or tail[1]
    return _below_1000(words)


def _group_digits(tokens: Sequence[str]) -> tuple[str, bool, bool] | None:
    """Digits of one group, whether colloquial, whether it contains "mille"."""
    if len(tokens) == 1 and tokens[0].isdigit():
        return tokens[0], False, False
    if any(t.isdigit() for t in tokens):
        return None
    parsed = words_value(tuple(tokens))
    if parsed is None:
        return None
    value, odd = parsed
    return str(value), odd, any(t in THOUSAND for t in tokens)


# Shapes of groups (digits per group) in which French speakers say a postcode.
_NATURAL_SHAPES = frozenset({
    (5,), (2, 3), (1, 1, 3), (1, 1, 1, 1, 1), (2, 1, 1, 1), (1, 1, 1, 2), (2, 1, 2),
})


def _segmentations(tokens: Sequence[str]) -> list[list[tuple[str, bool, bool]]]:
    """Every cut of ``tokens`` into groups that are each a well-formed number."""
    n = len(tokens)
    memo: dict[int, list[list[tuple[str, bool, bool]]]] = {n: [[]]}
    for start in range(n - 1, -1, -1):
        found: list[list[tuple[str, bool, bool]]] = []
        for end in range(start + 1, min(n, start + 8) + 1):
            group = _group_digits(tokens[start:end])
            if group is None:
                continue
            for rest in memo.get(end, []):
                found.append([group, *rest])
                if len(found) > 256:
                    break
        memo[start] = found
    return memo[0]


def _weigh(groups: list[tuple[str, bool, bool]]) -> list[tuple[str, float]]:
    digits = "".join(g[0] for g in groups)
    shape = tuple(len(g[0]) for g in groups)
    odd = any(g[1] for g in groups)
    readings: list[tuple[str, float]] = []
    if len(digits) == 5:
        weight = 1.0 if shape in _NATURAL_SHAPES else 0.7
        readings.append((digits, weight * (0.8 if odd else 1.0)))
    elif len(digits) == 4:
        # "six mille deux cents" is 06 200; other four-digit forms are a digit short.
        has_thousand = any(g[2] for g in groups)
        if has_thousand and len(groups) == 1:
            weight = 0.95
        elif shape == (1, 3):  # "six quatre cent soixante-dix": 06 470, its zero unsaid
            weight = 0.9
        else:
            weight = 0.5
        readings.append(("0" + digits, weight))
        readings.append((digits, 0.5))
    elif len(digits) in (1, 2, 3):
        readings.append((digits, 0.9 if len(groups) == 1 else 0.6))
    return readings


def read_numbers(tokens: Sequence[str]) -> list[Reading]:
    """All readings of every run of number tokens in an answer, best first.

    A reading of 5 digits is a postcode, 4 digits an incomplete one, 1-3 digits a
    department or an arrondissement number. A lone "un"/"une" is an article, not a number.
    """
    readings: dict[tuple[str, int, int], float] = {}
    i = 0
    while i < len(tokens):
        if not is_number_token(tokens[i]):
            i += 1
            continue
        j = i
        while j < len(tokens) and (is_number_token(tokens[j]) or (
                tokens[j] == "et" and tokens[j + 1:j + 2] in (["un"], ["une"], ["onze"]))):
            j += 1
        run = list(tokens[i:min(j, i + MAX_RUN)])
        whole = None if any(t.isdigit() for t in run) else words_value(tuple(run))
        if run not in (["un"], ["une"]):
            segmentations = _segmentations(run)
            if whole is not None and len(run) > 8:  # too long for one group of the cuts
                digits = str(whole[0])
                segmentations.append([(digits, whole[1], any(t in THOUSAND for t in run))])
            for groups in segmentations:
                if whole is not None and len(groups) > 1 and (
                        whole[0] < 100 or len("".join(g[0] for g in groups)) < 5):
                    continue  # "quatre-vingt-dix-neuf" is 99, not 80 19 nor 4 20 19
                for digits, weight in _weigh(groups):
                    key = (digits, i, i + len(run))
                    readings[key] = max(readings.get(key, 0.0), weight)
        i = j
    ranked = [Reading(d, w, s, e) for (d, s, e), w in readings.items()]
    ranked.sort(key=lambda r: (-r.weight, r.digits))
    return ranked


def spoken_numbers(tokens: Sequence[str]) -> tuple[str, ...]:
    """The digits every run of number words may stand for ("trente six quarante six" ->
    "3646", …), best reading first: what a caller reads back of a number."""
    return tuple(dict.fromkeys(r.digits for r in read_numbers(tokens)))


_ORDINAL_BASES = {"unieme": "un", "cinquieme": "cinq", "neuvieme": "neuf"}


def ordinal_value(tokens: Sequence[str], index: int) -> int | None:
    """Ordinal ending at ``index``: "huitieme", "dix septieme", "vingt et unieme", "8 e"."""
    token = tokens[index]
    if token.isdigit():
        return int(token) if tokens[index + 1:index + 2] and tokens[index + 1] in (
            ORDINAL_SUFFIXES) else None
    if token in ("premier", "premiere", "second", "seconde"):
        return ORDINALS[token]
    if not token.endswith("ieme"):
        return None
    base = _ORDINAL_BASES.get(token, token[:-4])
    if base not in NUMBER_WORDS:
        base += "e"  # quatrieme -> quatre, onzieme -> onze
    if base not in NUMBER_WORDS:
        return None
    start = index
    while start > 0 and ((is_number_token(tokens[start - 1]) and not tokens[start - 1].isdigit())
                         or tokens[start - 1] == "et"):
        start -= 1
    for first in range(start, index + 1):
        parsed = words_value((*tokens[first:index], base))
        if parsed is not None:
            return parsed[0]
    return None
