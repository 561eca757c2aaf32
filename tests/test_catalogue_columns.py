"""The columnar catalogue gives the same search results as the implementation it replaced
(kept verbatim in benchmarks/search/json_reference.py), on a generated national catalogue
and many random queries; and its store, loading and helpers for filtering by module."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from catalogue_helpers import AIX, offset, workshop

from acotel_geo import (
    DEFAULT_LADDER,
    Catalogue,
    CatalogueHolder,
    Gazetteer,
    SearchResult,
    SnapshotError,
    SnapshotStore,
    Step,
    Theme,
    load_catalogue,
    search,
    write_snapshot_file,
)
from acotel_geo.catalogue import _index as index
from acotel_geo.catalogue import write_columns_file
from acotel_geo.catalogue._demo import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "search"))

import json_reference as reference

ABSORBED = date(2026, 12, 1)


def awkward_workshops() -> list:
    """Ties, remote workshops with coordinates, several sessions a day, a session today."""
    ties = [workshop(f"tie{i}", offset(AIX, 2), date(2026, 12, 3)) for i in range(4)]
    return [
        *ties,
        workshop("remote located", None, date(2026, 12, 2), weeks=3, lat=43.0, lon=5.0),
        workshop("remote", None, date(2026, 12, 1), weeks=2, start=time(9, 0)),
        workshop("twice a day", offset(AIX, 4), date(2026, 12, 1), weeks=3,
                 start=time(9, 0)),
        workshop("afternoon today", offset(AIX, 6), date(2026, 12, 1), start=time(15, 30)),
        workshop("past only", offset(AIX, 1), date(2026, 10, 1), weeks=2),
        workshop("priced", offset(AIX, 30), date(2026, 12, 20), price="12,5",
                 theme="Bien chez soi"),
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """A national catalogue (4,000 generated + awkward workshops), as a relative-dates JSON
    snapshot and as a published store."""
    folder = tmp_path_factory.mktemp("columns")
    meta, workshops = generate(Gazetteer.load(indexed=False), 4000, ABSORBED,
                               regions_only=False, remote_share=0.05, seed=11)
    workshops = [*workshops, *awkward_workshops()]
    snapshot = folder / "national.json.gz"
    write_snapshot_file(snapshot, meta, workshops)
    store = SnapshotStore(folder / "store")
    store.publish(meta, workshops)
    return snapshot, store.root


def same(ours: SearchResult, theirs: SearchResult) -> bool:
    """Equal in everything; distances to within a nanometre (floating-point noise)."""
    def parts(result: SearchResult) -> tuple:
        return (result.step, result.steps_tried, result.theme_counts,
                [(f.workshop, f.next_sessions) for f in (*result.workshops, *result.remote)])

    def distances(result: SearchResult) -> list[float]:
        return [f.distance_km for f in result.workshops]

    return parts(ours) == parts(theirs) and np.allclose(
        distances(ours), distances(theirs), rtol=0, atol=1e-12)


def random_queries(count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    places = [p for p in Gazetteer.load(indexed=False).places if p.kind == "commune"]
    weights = [p.population + 50 for p in places]
    ladders = (DEFAULT_LADDER, (Step(5, 2), Step(25, 3)), (Step(60, 12),))
    queries = []
    for place in rng.choices(places, weights=weights, k=count - 80) + [None] * 80:
        lat, lon = (place.lat, place.lon) if place else AIX
        day = ABSORBED + timedelta(days=rng.randrange(-20, 90))
        when: date | datetime = day if rng.random() < 0.5 else datetime.combine(
            day, time(rng.randrange(24), rng.choice((0, 15, 30, 59))))
        queries.append((lat, lon, when, rng.choice([None, *Theme]),
                        rng.choice((None, 1, 5, 20)), rng.choice(ladders)))
    return queries


@pytest.mark.parametrize(("anchor", "prefilter"), [(ABSORBED, 1000), (date(2027, 3, 9), 0)])
def test_the_same_results_as_the_json_implementation(generated, anchor, prefilter,
                                                     monkeypatch) -> None:
    """``prefilter`` 0: every radius query cuts a box before the distances (at national
    scale, what dense cities do)."""
    monkeypatch.setattr(index, "PREFILTER", prefilter)
    snapshot, store = generated
    theirs = reference.read_snapshot_file(snapshot, anchor)
    mapped = load_catalogue(store, anchor=anchor)  # the store's columnar twin, mapped
    assert not mapped.columns["texts"].flags.writeable
    in_memory = Catalogue(theirs.workshops, theirs.meta)
    shift = (anchor - ABSORBED).days
    seen = {"widened": 0, "found": 0, "remote": 0, "ties": 0}
    for lat, lon, when, theme, limit, ladder in random_queries(700, seed=anchor.toordinal()):
        when = when + timedelta(days=shift)
        expected = reference.search(theirs, lat, lon, when, theme=theme, ladder=ladder,
                                    limit=limit)
        for catalogue in (mapped, in_memory):
            got = search(catalogue, lat, lon, when, theme=theme, ladder=ladder, limit=limit)
            assert same(got, expected), (lat, lon, when, theme, limit, ladder)
        seen["widened"] += expected.widened
        seen["found"] += bool(expected.workshops)
        seen["remote"] += bool(expected.remote)
        seen["ties"] += any(f.workshop.id.startswith("tie") for f in expected.workshops)
    assert seen["widened"] > 50 and seen["found"] > 400 and seen["remote"] > 200, seen
    assert seen["ties"] >= 2, seen  # the four ties, in the reference's order


def test_a_different_catalogue_gives_different_results(generated) -> None:
    """The comparison can fail: one workshop moved 3 km changes what is found."""
    snapshot, _ = generated
    theirs = reference.read_snapshot_file(snapshot, ABSORBED)
    moved = [replace(w, lat=w.lat + 0.03) if w.id == "tie0" else w for w in theirs.workshops]
    expected = reference.search(theirs, *AIX, ABSORBED)
    assert not same(search(Catalogue(moved, theirs.meta), *AIX, ABSORBED), expected)


def test_workshops_are_listed_in_the_source_order_and_found_by_id(generated) -> None:
    snapshot, store = generated
    theirs = reference.read_snapshot_file(snapshot, ABSORBED)
    mapped = load_catalogue(store, anchor=ABSORBED)
    assert len(mapped) == len(theirs.workshops)
    assert list(mapped.workshops) == list(theirs.workshops)
    assert mapped.workshops[-1] == theirs.workshops[-1]
    for wanted in (theirs.workshops[0], theirs.workshops[1234], theirs.workshops[-1]):
        assert mapped.workshop_by_id(wanted.id) == wanted
    assert mapped.workshop_by_id("nobody") is None


def test_filtering_and_counting_by_module(generated) -> None:
    _, store = generated
    catalogue = load_catalogue(store, anchor=ABSORBED)
    every = list(catalogue.workshops)
    mask = catalogue.module_mask(["Mémoire", "gym douce "])  # accents and case ignored
    rows = np.flatnonzero(mask)
    assert {catalogue.workshop(int(r)).module for r in rows} == {"mémoire", "gym douce"}
    assert len(rows) == sum(w.module in ("mémoire", "gym douce") for w in every)
    assert not catalogue.module_mask(["astronomie"]).any()
    assert catalogue.module_mask(["gym douce", "mémoire"]) is mask  # kept for the next call
    assert not mask.flags.writeable
    near, _ = catalogue.within(*AIX, 40)
    counts = catalogue.module_counts(near)
    assert sum(counts.values()) == len(near)
    assert counts["équilibre"] == sum(catalogue.workshop(int(r)).module == "équilibre"
                                      for r in near)
    assert catalogue.module_codes.dtype == np.uint8


def test_publishing_writes_a_columnar_twin_and_switches_current_last(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "store")
    path = store.publish({"source": "v1"}, [workshop("v1", AIX, date(2026, 12, 8))])
    twin = path.with_name(path.name.replace(".json.gz", ".cols"))
    assert twin.exists() and store.current_path() == path
    assert not list(store.snapshots.glob(".*"))  # no temporary file left
    loaded = store.load()
    assert loaded.columns["lat"].base is not None  # a view on the mapped file
    assert [w.id for w in loaded.workshops] == ["v1"]


def test_a_store_without_a_readable_columnar_twin_gets_one(tmp_path) -> None:
    """Stores published by the previous version hold JSON snapshots only."""
    store = SnapshotStore(tmp_path / "store")
    path = store.publish({"source": "old"}, [workshop("old", AIX, date(2026, 12, 8))])
    twin = path.with_name(path.name.replace(".json.gz", ".cols"))
    twin.unlink()
    assert [w.id for w in store.load().workshops] == ["old"]
    assert twin.exists()
    twin.write_bytes(b"ACOTELC1 damaged")  # an unreadable twin is written again
    assert [w.id for w in store.load().workshops] == ["old"]


def test_a_damaged_columnar_snapshot_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "c.cols"
    write_columns_file(path, {"source": "x"},
                       Catalogue([workshop("a", AIX, date(2026, 12, 8))], {}).columns)
    assert [w.id for w in load_catalogue(path).workshops] == ["a"]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(SnapshotError, match="truncated"):
        load_catalogue(path)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(SnapshotError, match="cannot read"):
        load_catalogue(path)


def test_reload_maps_the_new_snapshot_and_old_catalogues_keep_working(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "store")
    store.publish({"source": "v0"}, [workshop("v0", AIX, date(2026, 12, 8))])
    holder = CatalogueHolder(store.root)
    first = holder.catalogue
    assert holder.reload() is first  # the same snapshot: kept, caches and all
    for version in range(1, 8):  # the first snapshot's files are pruned on the way
        store.publish({"source": f"v{version}"},
                      [workshop(f"v{version}", AIX, date(2026, 12, 8))])
        holder.reload()
    assert holder.catalogue.meta["source"] == "v7"
    assert len(list(store.snapshots.glob("*.cols"))) == 5
    found = search(first, *AIX, date(2026, 12, 1)).workshops
    assert [f.workshop.id for f in found] == ["v0"]


def test_a_truncated_snapshot_is_refused_naming_its_file(tmp_path) -> None:
    from acotel_geo import SnapshotError, load_catalogue
    from acotel_geo.catalogue._store import DEMO_PATH

    cut = tmp_path / "catalogue.json.gz"
    data = DEMO_PATH.read_bytes()
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(SnapshotError, match=str(cut)):
        load_catalogue(cut)
