"""The commune gazetteer: the committed snapshot of data/communes/ and its look-up indexes."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .._files import data_dir, read_gzipped_json
from ._regions import region_of
from ._text import name_tokens, phonetic_key, strip_article

# Words that link the parts of a compound name ("Saint-Rémy-de-Provence").
LINK_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "sur", "sous", "en",
                        "et", "aux", "au", "a"})
DEFAULT_PATH = data_dir() / "communes" / "communes.json.gz"
ENV_PATH = "ACOTEL_GAZETTEER"
SNAPSHOT_FORMAT = "acotel-gazetteer/1"


class GazetteerError(RuntimeError):
    """The gazetteer snapshot is missing or unreadable."""


@dataclass(frozen=True, slots=True)
class Place:
    """A commune, a former commune (déléguée or associée), a municipal arrondissement, or a
    quarter (a named section of a town or a hamlet: Montfavet in Avignon, Mazargues in
    Marseille), whose ``insee`` and ``parent`` are its commune's."""

    insee: str
    name: str
    kind: str  # "commune" | "deleguee" | "associee" | "arrondissement" | "quarter"
    parent: str  # current commune of a former one, a quarter or an arrondissement
    department: str
    postcodes: tuple[str, ...]
    population: int
    lat: float
    lon: float

    @property
    def region(self) -> str:
        return region_of(self.department)

    @property
    def is_former(self) -> bool:
        return self.kind in ("deleguee", "associee") and self.parent != ""

    @property
    def is_quarter(self) -> bool:
        return self.kind == "quarter"

    @property
    def is_part(self) -> bool:
        """A former commune or a quarter: said for the current commune it is part of."""
        return self.is_former or self.is_quarter


def _freeze(index: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(dict.fromkeys(ids)) for key, ids in index.items()}


def _deletes(key: str) -> Iterable[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class Gazetteer:
    """Every place of the snapshot with exact, prefix, phonetic and fuzzy indexes."""

    def __init__(self, places: list[Place], departments: dict[str, str],
                 indexed: bool = True) -> None:
        self.places = tuple(places)
        self.departments = departments
        self.current: dict[str, Place] = {p.insee: p for p in places if p.kind == "commune"}
        self.by_insee: dict[str, Place] = {p.insee: p for p in places if not p.is_part}
        self.index_of: dict[str, int] = {  # a current commune's position in ``places``
            p.insee: i for i, p in enumerate(self.places) if p.kind == "commune"}
        by_postcode: dict[str, list[int]] = defaultdict(list)
        exact: dict[str, list[int]] = defaultdict(list)
        prefix: dict[str, list[int]] = defaultdict(list)
        phonetic: dict[str, list[int]] = defaultdict(list)
        phonetic_prefix: dict[str, list[int]] = defaultdict(list)
        middle_dropped: dict[str, list[int]] = defaultdict(list)
        full_names: set[str] = set()
        for i, place in enumerate(self.places if indexed else ()):
            for postcode in () if place.is_quarter else place.postcodes:
                by_postcode[postcode].append(i)  # a quarter's are its commune's
            tokens = name_tokens(place.name)
            full_names.add(" ".join(tokens))
            if place.kind == "arrondissement":
                tokens = [t for t in tokens if t not in ("arrondissement", "er", "e")]
            variants = [tokens]
            bare = strip_article(tokens)
            if bare != tokens:
                variants.append(bare)
            for variant in variants:
                exact[" ".join(variant)].append(i)
                phonetic[phonetic_key(variant)].append(i)
                for n in range(1, len(variant)):
                    prefix[" ".join(variant[:n])].append(i)
                    phonetic_prefix[phonetic_key(variant[:n])].append(i)
                for n in range(1, len(variant) - 1):  # "cosne sur loire": Cosne-Cours-sur-Loire
                    if variant[n] not in LINK_WORDS and variant[n - 1] not in LINK_WORDS:
                        middle_dropped[" ".join(variant[:n] + variant[n + 1:])].append(i)
        self.full_names = frozenset(full_names)  # every name's key, article kept
        self.by_postcode = _freeze(by_postcode)
        self.exact = _freeze(exact)
        self.prefix = _freeze(prefix)
        self.phonetic = _freeze(phonetic)
        self.phonetic_prefix = _freeze(phonetic_prefix)
        self.middle_dropped = _freeze(middle_dropped)
        self.department_names = {
            " ".join(strip_article(name_tokens(name))): code for code, name in departments.items()
        }

    @cached_property
    def fuzzy_deletes(self) -> dict[str, tuple[str, ...]]:
        """Symmetric-delete index (as in SymSpell) over whole-name phonetic keys: every key
        with one character removed points back to the keys it came from."""
        index: dict[str, list[str]] = defaultdict(list)
        for key in self.phonetic:
            if len(key) >= 4:
                index[key].append(key)
                for variant in _deletes(key):
                    index[variant].append(key)
        return {k: tuple(v) for k, v in index.items()}

    def fuzzy_keys(self, key: str) -> set[str]:
        """Phonetic keys within about two edits of ``key``."""
        found: set[str] = set()
        for variant in (key, *_deletes(key)):
            found.update(self.fuzzy_deletes.get(variant, ()))
        return found

    def commune_of(self, place: Place) -> Place:
        """The current commune a former commune or a quarter belongs to (itself otherwise)."""
        if place.is_part:
            return self.current.get(place.parent, place)
        return place

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, indexed: bool = True) -> Gazetteer:
        """The committed snapshot (or ``path``). ``indexed=False`` skips the name and
        postcode indexes, for tools that only look places up by INSEE code."""
        path = Path(path or os.environ.get(ENV_PATH) or DEFAULT_PATH)
        data = read_gzipped_json(path, SNAPSHOT_FORMAT, GazetteerError, "gazetteer snapshot")
        columns = data["columns"]
        places = []
        for row in data["rows"]:
            record = dict(zip(columns, row, strict=True))
            record["postcodes"] = tuple(record["postcodes"])
            places.append(Place(**record))
        departments = {code: d["name"] for code, d in data["departments"].items()}
        gazetteer = cls(places, departments, indexed)
        if indexed:
            gazetteer.fuzzy_deletes  # noqa: B018 - build now, not during the first call
        return gazetteer
