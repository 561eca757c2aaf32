"""Postcode evidence: every reading of a spoken number weighed by how it was said, whether
the code exists and whether it is in the experiment's regions ("six quatre cent
soixante-dix" is 06 470 in the Alpes-Maritimes rather than 64 170 in the Pyrénées-
Atlantiques: both are asked about), then matched exactly or as a near miss."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ._gazetteer import Gazetteer
from ._matching import Evidence
from ._numbers import Reading
from ._query import Query
from ._scoring import OUT_OF_REGION_READING, PLAUSIBLE_READING


def _in_region(gazetteer: Gazetteer, postcode: str) -> bool:
    return any(gazetteer.places[i].region != "autre" for i in gazetteer.by_postcode[postcode])


def weigh_readings(gazetteer: Gazetteer, readings: list[Reading]) -> list[Reading]:
    """Readings of one run of number words that are existing postcodes compete: when one
    of them is in the experiment's regions, the others out of them count
    OUT_OF_REGION_READING of their weight."""
    runs: dict[tuple[int, int], list[Reading]] = defaultdict(list)
    for reading in readings:
        runs[(reading.start, reading.end)].append(reading)
    weighed: list[Reading] = []
    for run in runs.values():
        existing = {r.digits for r in run
                    if len(r.digits) == 5 and r.digits in gazetteer.by_postcode}
        local = {d for d in existing if _in_region(gazetteer, d)}
        for reading in run:
            if local and reading.digits in existing - local:
                reading = replace(reading, weight=reading.weight * OUT_OF_REGION_READING)
            weighed.append(reading)
    weighed.sort(key=lambda r: (-r.weight, r.digits))
    return weighed


def rival_readings(gazetteer: Gazetteer, readings: list[Reading],
                   span: tuple[int, int] | None) -> set[str]:
    """Existing postcodes the same words may plausibly be: more than one, ask."""
    return {r.digits for r in readings if (r.start, r.end) == span and len(r.digits) == 5
            and r.weight >= PLAUSIBLE_READING and r.digits in gazetteer.by_postcode}


def _near_postcodes(gazetteer: Gazetteer, reading: Reading) -> list[tuple[str, float, str]]:
    """Existing postcodes a wrong or incomplete one may stand for."""
    digits = reading.digits
    near: list[tuple[str, float, str]] = []
    if len(digits) == 5:
        if digits.endswith("000") and digits[:2] + "001" in gazetteer.by_postcode:
            # 13000, 69000, 75000: the city of arrondissements as a whole
            near.append((digits[:2] + "001", 0.85, f"{digits} : code de la grande ville"))
        for position in range(5):
            weight = 0.55 if position >= 2 else 0.35
            for d in "0123456789":
                variant = digits[:position] + d + digits[position + 1:]
                if variant != digits and variant in gazetteer.by_postcode:
                    near.append((variant, weight, f"{digits} : un chiffre près de {variant}"))
    elif len(digits) == 4:
        for position in range(5):
            for d in "0123456789":
                variant = digits[:position] + d + digits[position:]
                if variant in gazetteer.by_postcode:
                    near.append((variant, 1.0, f"{digits} : il manque un chiffre ({variant} ?)"))
    return near


def match_postcodes(gazetteer: Gazetteer, query: Query) -> dict[int, Evidence]:
    found: dict[int, Evidence] = {}

    def offer(ids: tuple[int, ...], score: float, why: str, reading: Reading) -> None:
        for i in ids:
            evidence = found.setdefault(i, Evidence())
            if score > evidence.postcode:
                evidence.postcode, evidence.postcode_why = score, why
                evidence.postcode_span = (reading.start, reading.end)

    exact_found = False
    postcodes = query.postcodes
    for reading in postcodes:
        ids = gazetteer.by_postcode.get(reading.digits, ()) if len(reading.digits) == 5 else ()
        if ids:
            offer(ids, reading.weight, f"code postal {reading.digits}", reading)
            exact_found = exact_found or reading.weight >= 0.9
    for reading in postcodes:
        if exact_found or (reading.weight < 0.9 and len(reading.digits) == 5):
            continue  # a code found, or an unnatural reading ("quatre-vingt-dix-neuf")
        if len(reading.digits) == 5 and reading.digits in gazetteer.by_postcode:
            continue
        for postcode, factor, why in _near_postcodes(gazetteer, reading):
            ids = gazetteer.by_postcode[postcode]
            if why.endswith("grande ville"):
                ids = tuple(i for i in ids if gazetteer.places[i].kind == "commune")
            offer(ids, reading.weight * factor, why, reading)
    return found
