"""The committed gazetteer: complete, located, and faithful to its sources."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

from acotel_geo import EXPERIMENT_REGIONS, Gazetteer, GazetteerError, region_of

ROOT = Path(__file__).resolve().parents[1]


def test_every_current_commune_is_there(resolver) -> None:
    places = resolver.gazetteer.places
    current = [p for p in places if p.kind == "commune"]
    assert len(current) >= 34_900  # 34,969 communes in the 2026 list, less 7 unlocated
    assert sum(p.kind == "arrondissement" for p in places) == 45
    assert sum(p.kind in ("deleguee", "associee") for p in places) > 2_500


def test_overseas_departments_are_included(resolver) -> None:
    departments = {p.department for p in resolver.gazetteer.places}
    assert {"971", "972", "973", "974", "976"} <= departments


def test_coordinates_are_in_france(resolver) -> None:
    for place in resolver.gazetteer.places:
        assert not math.isnan(place.lat)
        if (place.department.isdigit() and int(place.department) < 96) or place.department in (
                "2A", "2B"):
            assert 41.3 < place.lat < 51.2 and -5.3 < place.lon < 9.7, place


def test_experiment_communes_lie_near_their_department(resolver) -> None:
    """No commune of the four regions is placed far from the others of its department."""
    by_department: dict[str, list[tuple[float, float]]] = {}
    for place in resolver.gazetteer.places:
        if place.region != "autre" and place.kind == "commune":
            by_department.setdefault(place.department, []).append((place.lat, place.lon))
    for department, points in by_department.items():
        lat = sorted(p[0] for p in points)[len(points) // 2]
        lon = sorted(p[1] for p in points)[len(points) // 2]
        for p in points:
            assert abs(p[0] - lat) < 1.5 and abs(p[1] - lon) < 2.0, (department, p)


def test_regions_of_the_experiment() -> None:
    assert region_of("13") == "sud-est"
    assert region_of("2B") == "sud-est"
    assert region_of("48") == "languedoc-roussillon"
    assert region_of("37") == "centre-val-de-loire"
    assert region_of("90") == "bourgogne-franche-comte"
    assert region_of("75") == "autre"
    assert sum(len(d) for d in EXPERIMENT_REGIONS.values()) == 27


def test_build_report_matches_the_snapshot() -> None:
    report = json.loads((ROOT / "data/communes/build_report.json").read_text())
    with gzip.open(ROOT / "data/communes/communes.json.gz", "rt") as handle:
        snapshot = json.load(handle)
    assert report["rows"] == len(snapshot["rows"])
    assert snapshot["sources"]["communes"] == "@etalab/decoupage-administratif@6.0.0"


def test_a_missing_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.load(tmp_path / "nope.json.gz")
    bad = tmp_path / "bad.json.gz"
    with gzip.open(bad, "wt") as handle:
        json.dump({"format": "other"}, handle)
    with pytest.raises(GazetteerError, match="not an acotel-gazetteer"):
        Gazetteer.load(bad)
