"""Municipal arrondissements said with their number: "Marseille huitième", "Lyon 3e",
"Paris 15", "paris douze", "le 12e à Marseille", "j'habite à Lyon, dans le troisième",
and "dans le douzième arrondissement" alone (then every city with one is offered).

("Marseille 13008" is settled by the postcode.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ._gazetteer import Gazetteer
from ._matching import Evidence, offer_name
from ._numbers import NUMBER_WORDS, ORDINAL_SUFFIXES, words_value
from ._query import Query
from ._scoring import ARRONDISSEMENT_ALONE, ARRONDISSEMENT_NAMED

_NUMBER = re.compile(r"(\d+)")
_MAX_ARRONDISSEMENT = 20
_BRIDGES = (("le",), ("dans", "le"), ("l",))  # "marseille le 8", "lyon dans le 3"


def _number_of(name: str) -> int:
    found = _NUMBER.search(name)
    return int(found.group(1)) if found else 0


@cache
def _by_number(gazetteer: Gazetteer) -> dict[int, tuple[int, ...]]:
    index: dict[int, list[int]] = defaultdict(list)
    for i, place in enumerate(gazetteer.places):
        if place.kind == "arrondissement":
            index[_number_of(place.name)].append(i)
    return {n: tuple(ids) for n, ids in index.items()}


def _ordinals(query: Query) -> list[tuple[int, int, int]]:
    """(value, start, end) of every ordinal of the answer, "arrondissement" included."""
    tokens, found = query.tokens, []
    for index, value in query.ordinals.items():
        start = index
        while start > 0 and (tokens[start - 1] in NUMBER_WORDS or tokens[start - 1] == "et"):
            start -= 1
        end = index + 1
        if end < len(tokens) and tokens[end] in ORDINAL_SUFFIXES and tokens[index].isdigit():
            end += 1
        if end < len(tokens) and tokens[end] == "arrondissement":
            end += 1
        found.append((value, start, end))
    return found


def _cardinal_after(query: Query, end: int) -> tuple[int, int] | None:
    """A plain number right after the city's name: "paris douze", "marseille le 8"."""
    tokens = query.tokens
    for bridge in ((), *_BRIDGES):
        start = end + len(bridge)
        if tuple(tokens[end:start]) != bridge or start >= len(tokens):
            continue
        if tokens[start].isdigit():
            stop = start + 1
            value: int | None = int(tokens[start])
        else:
            stop = start
            while stop < len(tokens) and tokens[stop] in NUMBER_WORDS | {"et"}:
                stop += 1
            parsed = words_value(tuple(tokens[start:stop])) if stop > start else None
            value = parsed[0] if parsed else None
        if value is not None and 1 <= value <= _MAX_ARRONDISSEMENT:
            if stop < len(tokens) and tokens[stop] in ORDINAL_SUFFIXES | {"arrondissement"}:
                stop += 1
            return value, stop
    return None


def match_arrondissements(gazetteer: Gazetteer, query: Query,
                          found: dict[int, Evidence]) -> None:
    ordinals = _ordinals(query)
    named = False
    for i, evidence in list(found.items()):
        place = gazetteer.places[i]
        if place.kind != "arrondissement" or evidence.name_span is None:
            continue
        number = _number_of(place.name)
        start, end = evidence.name_span
        spans = [(s, e) for value, s, e in ordinals
                 if value == number and (e <= start or s >= end)]
        cardinal = _cardinal_after(query, end)
        if cardinal and cardinal[0] == number:
            spans.append((end, cardinal[1]))
        if spans:
            first, last = spans[0]
            evidence.name = ARRONDISSEMENT_NAMED
            evidence.name_why = f"arrondissement n° {number}"
            evidence.name_span = (min(start, first), max(end, last))
            named = True
    if named:
        return
    tokens = query.tokens
    for value, start, end in ordinals:
        said = tokens[end - 1] == "arrondissement" or tokens[max(0, start - 2):start] == [
            "dans", "le"]
        if said and 1 <= value <= _MAX_ARRONDISSEMENT:
            offer_name(found, _by_number(gazetteer).get(value, ()), ARRONDISSEMENT_ALONE,
                       f"{value}e arrondissement", (start, end))
