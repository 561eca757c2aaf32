"""Quarters and former communes said with their town: "Mazargues à Marseille", "aux
Moulins à Nice", "Montfavet 84140", "Annecy-le-Vieux, c'est Annecy maintenant".

A quarter ("Montfavet", "Riquier") stands for its commune, as a former commune does, and
keeps its own name and point. Its name counts QUARTER_NAME of a commune's, so that a plain
commune answer is never taken by a homonymous quarter ("Saint-Marcel" alone is the
communes, "Saint-Marcel à Marseille" the quarter). When the answer also names the part's
commune, or gives one of its postcodes, the part's evidence explains those words too.

"Saint-Cyprien à Toulouse", "pont de Crau à Arles": a part of a town said before "à" and
the town, that the gazetteer does not hold as a part of it. When no place those words may
name lies within PART_NEAR_KM of the town, they are a part of the town we do not know
(Saint-Cyprien, Pyrénées-Orientales, is no place in Toulouse): the town's evidence
explains them too (``part_span``), and the caller is asked to confirm.
"""

from __future__ import annotations

from ._gazetteer import LINK_WORDS, Gazetteer
from ._matching import Evidence
from ._numbers import is_number_token
from ._query import Query
from ._scoring import PART_NEAR_KM, QUARTER_NAME, TOWN_NAMED, distance_km
from ._text import ARTICLES


def _apart(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and (a[1] <= b[0] or b[1] <= a[0])


def weigh_parts(gazetteer: Gazetteer, evidence: dict[int, Evidence],
                landmark: bool = False) -> None:
    """Quarters' names weigh QUARTER_NAME; a part's commune said by name or postcode
    elsewhere in the answer is credited to the part. A quarter said alone, with no
    landmark, is dropped when a commune has its very name ("Thiers" is the town, not the
    quarter of Nice): the caller is not asked about it."""
    communes: dict[tuple[int, int], float] = {}  # span -> best name evidence of a commune
    for i, found in evidence.items():
        if found.name_span is not None and not gazetteer.places[i].is_part:
            communes[found.name_span] = max(found.name, communes.get(found.name_span, 0.0))
    shadowed = []
    for i, found in evidence.items():
        place = gazetteer.places[i]
        if not place.is_part:
            continue
        town = evidence.get(gazetteer.index_of.get(place.parent, -1))
        if town is not None:
            if town.name >= TOWN_NAMED and _apart(town.name_span, found.name_span):
                found.town_span = town.name_span
            if town.postcode > found.postcode and _apart(town.postcode_span, found.name_span):
                found.postcode, found.postcode_why = town.postcode, town.postcode_why
                found.postcode_span = town.postcode_span
        if not place.is_quarter:
            continue
        if (found.name_span is not None and not landmark and found.town_span is None
                and found.postcode == 0 and communes.get(found.name_span, 0.0) >= found.name):
            shadowed.append(i)
        found.name *= QUARTER_NAME
    for i in shadowed:
        del evidence[i]


def _before_town(tokens: list[str], start: int, content: set[int]) -> tuple[int, int] | None:
    """The words said right before "à" and a town starting at ``start``: "saint cyprien" in
    "saint cyprien à toulouse", "pont de crau" in "j'habite pont de crau à arles"."""
    at = start - 1
    while at >= 0 and tokens[at] in ARTICLES:
        at -= 1
    if at < 1 or tokens[at] not in ("a", "au", "aux"):
        return None
    first = at
    while first > 0 and (first - 1 in content or tokens[first - 1] in LINK_WORDS):
        first -= 1
    while first < at and first not in content and tokens[first] not in ARTICLES:
        first += 1  # leading linking words are not the part's
    return (first, at) if first < at else None


def unknown_parts(gazetteer: Gazetteer, query: Query, evidence: dict[int, Evidence]) -> None:
    """A town said after "à" explains the words before it ("Saint-Cyprien à Toulouse")
    when none of the places they may name lies within PART_NEAR_KM of the town, and the
    gazetteer has no part of the town by those words (``weigh_parts`` ties those)."""
    numbers = {i for r in query.postcodes for i in range(r.start, r.end)}
    numbers |= {i for h in query.departments for i in range(h.start, h.end)}
    numbers |= {i for i, t in enumerate(query.tokens) if is_number_token(t)} - query.named
    content = query.content_positions() - numbers
    aside = query.context.secondary
    for i, found in evidence.items():
        town = gazetteer.places[i]
        if town.kind != "commune" or found.name < TOWN_NAMED or found.name_span is None:
            continue
        words = _before_town(query.tokens, found.name_span[0], content)
        if words is None or set(range(*words)) & aside:
            continue
        near = False
        for j, other in evidence.items():
            span = other.name_span
            if j == i or span is None or not (words[0] <= span[0] and span[1] <= words[1]):
                continue
            place = gazetteer.places[j]
            if other.town_span == found.name_span or place.parent == town.insee or (
                    distance_km(gazetteer.commune_of(place), town) <= PART_NEAR_KM):
                near = True
                break
        if not near:
            found.part_span = words
