"""Quarters and former communes said with their town: "Mazargues à Marseille", "aux
Moulins à Nice", "Montfavet 84140", "Annecy-le-Vieux, c'est Annecy maintenant".

A quarter ("Montfavet", "Riquier") stands for its commune, as a former commune does, and
keeps its own name and point. Its name counts QUARTER_NAME of a commune's, so that a plain
commune answer is never taken by a homonymous quarter ("Saint-Marcel" alone is the
communes, "Saint-Marcel à Marseille" the quarter). When the answer also names the part's
commune, or gives one of its postcodes, the part's evidence explains those words too.
"""

from __future__ import annotations

from ._gazetteer import Gazetteer
from ._matching import Evidence
from ._scoring import QUARTER_NAME, TOWN_NAMED


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
