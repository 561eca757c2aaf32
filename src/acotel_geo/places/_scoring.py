"""Explainable scores, as in addok: each scorer adds a named score under its ceiling, and a
candidate's score is the sum of its scores over the sum of the ceilings that apply to it.

| scorer      | ceiling | applies when                                  |
|-------------|---------|-----------------------------------------------|
| name        | 1.0     | the answer has words that may name a place    |
| postcode    | 1.0     | the answer has a postcode the name did not use |
| department  | 1.0     | the answer names a department the name did not use |
| coverage    | 0.5     | the answer has words that may name a place: the share explained |
| region      | 0.1     | always: the four regions of the experiment first |
| population  | 0.1     | always: the bigger town first, on a log scale |
| near        | 0.3     | the answer gives a landmark ("à côté de Nîmes") the name is not in |

A name said as a landmark or as somebody else's place ("près de Nîmes", "ma fille est à
Paris") counts SECONDARY_NAME of itself, and the other places leave its words out of
their coverage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._gazetteer import Gazetteer, Place
from ._query import Query

if TYPE_CHECKING:  # _matching reads its weights from here
    from ._matching import Evidence

NAME, POSTCODE, DEPARTMENT, COVERAGE, REGION, POPULATION, NEAR = (
    "name", "postcode", "department", "coverage", "region", "population", "near")
CEILINGS = {NAME: 1.0, POSTCODE: 1.0, DEPARTMENT: 1.0, COVERAGE: 0.5, REGION: 0.1,
            POPULATION: 0.1, NEAR: 0.3}
SECONDARY_NAME = 0.85  # share of a name's evidence when said as a landmark or elsewhere
NEAR_FULL_KM, NEAR_NONE_KM = 25.0, 60.0  # landmark distance: full score, no score
LANDMARK_NAME = 0.95  # name evidence for a landmark to count

# Name evidence, by how the words match a name (_matching).
EXACT = 1.0  # the name's words
SHORT_NAME, SHORT_NAME_LENGTH = 0.9, 0.05  # "Aix", "Salon": cut before "de", "en"... (+ share)
PREFIX, PREFIX_LENGTH = 0.8, 0.1  # another cut of the name (+ share of the name said)
# The first part of a hyphenated name ("Lézignan" for Lézignan-Corbières, "Louhans" for
# Louhans-Châteaurenaud) goes from a PREFIX to a SHORT_NAME as the town grows from
# 10**FIRST_PART_TOWNS[0] to 10**FIRST_PART_TOWNS[1] people: who says it means the big one.
FIRST_PART_TOWNS = (3.0, 4.0)
MIDDLE_DROPPED = 0.85  # a compound name said without one of its middle words ("Cosne-sur-Loire")
SOUND_ALIKE = 0.8  # the same phonetic key
SOUND_ALIKE_START, SOUND_ALIKE_START_LENGTH = 0.7, 0.1  # the key of the name's start
FUZZY, FUZZY_MIN = 0.8, 0.55  # keys within two edits, times their closeness; floor
GLUED_SOUND_MIN_KEY = 5  # plain words glued into a name's key: "vent dôme", "is sous dun"
# A plain word said alone that sounds like a town of this many people is that town
# ("troie": Troyes); the common-word lexicon leaves out the names of such towns too.
SOUND_ALIKE_TOWN = 5_000

# Quarters and hamlets (_parts): a quarter's name counts this much of a commune's, so that
# a commune of the same name comes first; its commune, said by a name matched at least
# TOWN_NAMED, is words the quarter explains ("Mazargues à Marseille").
QUARTER_NAME = 0.9
TOWN_NAMED = 0.9
# "Saint-Cyprien à Toulouse": words said before "à" and a town are a part of it we do not
# know when no place they may name lies this close to the town.
PART_NEAR_KM = 25.0

# Articles: "au Charme" is Le Charme, "aux Rousses" Les Rousses, "à Choux" not Les Choux.
ARTICLE_CLASH = 0.9  # the article said (or its absence after "à") does not fit the name
ARTICLE_DROPPED = 0.92  # a bare word that is another commune's whole name ("Buisson")

# Readings of one spoken number that are existing postcodes: out of the experiment's
# regions when another is in them; plausible enough to make the answer asked about.
OUT_OF_REGION_READING = 0.8
PLAUSIBLE_READING = 0.6

# Name evidence of an arrondissement: the city and its number said ("Marseille 8e",
# "le 12e à Marseille"); its number alone ("dans le douzième arrondissement").
ARRONDISSEMENT_NAMED = 1.0
ARRONDISSEMENT_ALONE = 0.9


@dataclass(slots=True)
class Scored:
    place: Place  # the place that matched (a former commune stays itself here)
    commune: Place  # what the caller gets: the current commune or arrondissement
    evidence: Evidence
    scores: dict[str, float] = field(default_factory=dict)
    why: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        ceiling = sum(CEILINGS[name] for name in self.scores)
        return sum(self.scores.values()) / ceiling if ceiling else 0.0


def _department_matches(place: Place, code: str) -> bool:
    return place.department == code


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def of(name: str) -> str:
    """"de Nice", "d'Arles"."""
    return f"d'{name}" if name[:1].lower() in "aeiouyéèêâîôh" else f"de {name}"


def people(place: Place, commune: Place) -> int:
    """Who the caller may be among: a quarter's own population, not its town's."""
    return place.population if place.is_quarter else (commune.population or place.population)


def score(gazetteer: Gazetteer, query: Query, place_index: int, evidence: Evidence,
          landmarks: tuple[Place, ...] = ()) -> Scored:
    place = gazetteer.places[place_index]
    commune = gazetteer.commune_of(place)
    scored = Scored(place=place, commune=commune, evidence=evidence)
    scores, why = scored.scores, scored.why
    used = evidence.used()
    name_positions = set(range(*evidence.name_span)) if evidence.name_span else set()
    content = query.content_positions()
    secondary = query.context.secondary
    said_aside = bool(name_positions) and name_positions <= secondary
    if not said_aside and content - secondary:
        content -= secondary

    if query.spans:
        scores[NAME] = evidence.name * (SECONDARY_NAME if said_aside else 1.0)
        if evidence.name_why:
            why.append(evidence.name_why)
        if said_aside:
            why.append("autre lieu cité (repère, ancien, d'un proche)")
        if evidence.part_span is not None:
            part = " ".join(query.tokens[evidence.part_span[0]:evidence.part_span[1]])
            why.append(f"« {part} » : un quartier {of(commune.name)} ?")
        if place.is_quarter:
            why.append(f"quartier {of(commune.name)}")
        elif place is not commune:
            why.append(f"ancien nom, aujourd'hui {commune.name}")
    postcodes = [r for r in query.postcodes if not name_positions & set(range(r.start, r.end))]
    if postcodes:
        scores[POSTCODE] = evidence.postcode
        if evidence.postcode_why:
            why.append(evidence.postcode_why)
    hints = [h for h in query.departments
             if not (name_positions | used) & set(range(h.start, h.end))
             and (said_aside or not set(range(h.start, h.end)) <= secondary)]
    if hints:
        best = max((h.weight for h in hints if _department_matches(place, h.code)), default=0.0)
        scores[DEPARTMENT] = best
        if best:
            why.append(f"département {place.department}")
            used |= {i for h in hints if _department_matches(place, h.code)
                     for i in range(h.start, h.end)}
        elif evidence.postcode >= 0.9:
            # "Saint-Didier 84210 Vaucluse": a postcode outranks a stray department word.
            scores[DEPARTMENT] = 0.5
    if content:
        explained = len(content & used) / len(content)
        scores[COVERAGE] = CEILINGS[COVERAGE] * explained
    if landmarks and not said_aside:
        km, mark = min((distance_km(place, mark), mark.name) for mark in landmarks)
        scores[NEAR] = CEILINGS[NEAR] * min(1.0, max(0.0, (NEAR_NONE_KM - km) / (
            NEAR_NONE_KM - NEAR_FULL_KM)))
        if scores[NEAR]:
            why.append(f"à {km:.0f} km de {mark}")
    scores[REGION] = CEILINGS[REGION] if commune.region != "autre" else 0.0
    population = people(place, commune)
    scores[POPULATION] = CEILINGS[POPULATION] * min(1.0, math.log10(population + 1) / 6)
    return scored
