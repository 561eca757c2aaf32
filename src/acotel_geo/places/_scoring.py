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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._gazetteer import Gazetteer, Place
from ._matching import Evidence
from ._query import Query

NAME, POSTCODE, DEPARTMENT, COVERAGE, REGION, POPULATION = (
    "name", "postcode", "department", "coverage", "region", "population")
CEILINGS = {NAME: 1.0, POSTCODE: 1.0, DEPARTMENT: 1.0, COVERAGE: 0.5, REGION: 0.1,
            POPULATION: 0.1}

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


def score(gazetteer: Gazetteer, query: Query, place_index: int, evidence: Evidence) -> Scored:
    place = gazetteer.places[place_index]
    commune = gazetteer.commune_of(place)
    scored = Scored(place=place, commune=commune, evidence=evidence)
    scores, why = scored.scores, scored.why
    used = evidence.used()
    name_positions = set(range(*evidence.name_span)) if evidence.name_span else set()
    content = query.content_positions()

    if query.spans:
        scores[NAME] = evidence.name
        if evidence.name_why:
            why.append(evidence.name_why)
        if place is not commune:
            why.append(f"ancien nom, aujourd'hui {commune.name}")
    postcodes = [r for r in query.postcodes if not name_positions & set(range(r.start, r.end))]
    if postcodes:
        scores[POSTCODE] = evidence.postcode
        if evidence.postcode_why:
            why.append(evidence.postcode_why)
    hints = [h for h in query.departments
             if not (name_positions | used) & set(range(h.start, h.end))]
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
    scores[REGION] = CEILINGS[REGION] if commune.region != "autre" else 0.0
    population = commune.population or place.population
    scores[POPULATION] = CEILINGS[POPULATION] * min(1.0, math.log10(population + 1) / 6)
    return scored
