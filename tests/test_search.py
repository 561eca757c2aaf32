"""The tender's search rule: 10 km and 4 weeks, then 6 and 8 weeks, then 40 and 50 km."""

from __future__ import annotations

import threading
from datetime import date, datetime, time

from catalogue_helpers import AIX, offset, workshop

from acotel_geo import Catalogue, CatalogueHolder, Gazetteer, Step, Theme, load_catalogue, search

TODAY = date(2026, 12, 1)


def catalogue(*workshops) -> Catalogue:
    return Catalogue(workshops, {"source": "test"})


def ladder_of(result) -> list[tuple[float, int, int]]:
    return [(s.radius_km, s.weeks, n) for s, n in result.steps_tried]


def test_near_and_soon_is_found_at_the_first_step() -> None:
    result = search(catalogue(workshop("a", offset(AIX, 3), date(2026, 12, 8))),
                    *AIX, TODAY)
    assert ladder_of(result) == [(10, 4, 1)]
    assert result.workshops[0].workshop.id == "a"
    assert 2.9 < result.workshops[0].distance_km < 3.1
    assert not result.widened


def test_time_widens_before_distance() -> None:
    result = search(catalogue(workshop("in 5 weeks", offset(AIX, 3), date(2027, 1, 5)),
                              workshop("20 km, next week", offset(AIX, 20), date(2026, 12, 8))),
                    *AIX, TODAY)
    assert ladder_of(result) == [(10, 4, 0), (10, 6, 1)]
    assert [f.workshop.id for f in result.workshops] == ["in 5 weeks"]


def test_distance_widens_to_40_then_50_km() -> None:
    result = search(catalogue(workshop("45 km", offset(AIX, 45), date(2026, 12, 8))),
                    *AIX, TODAY)
    assert ladder_of(result) == [(10, 4, 0), (10, 6, 0), (10, 8, 0), (40, 8, 0), (50, 8, 1)]
    assert result.step == Step(50, 8)


def test_nothing_even_after_widening_reports_every_step() -> None:
    result = search(catalogue(workshop("far", offset(AIX, 80), date(2026, 12, 8)),
                              workshop("late", AIX, date(2027, 3, 1))), *AIX, TODAY)
    assert [n for _, n in result.steps_tried] == [0, 0, 0, 0, 0]
    assert result.workshops == () and result.step == Step(50, 8)


def test_past_sessions_are_never_offered() -> None:
    cycle = workshop("cycle", AIX, date(2026, 11, 10), weeks=5)  # 10 Nov ... 8 Dec
    over = workshop("over", AIX, date(2026, 11, 1), weeks=2)
    result = search(catalogue(cycle, over), *AIX, TODAY)
    assert [f.workshop.id for f in result.workshops] == ["cycle"]
    assert [s.day for s in result.workshops[0].next_sessions] == [TODAY, date(2026, 12, 8)]


def test_a_session_that_already_began_today_is_not_offered() -> None:
    today = workshop("today 14h", AIX, TODAY, weeks=2, start=time(14, 0))
    result = search(catalogue(today), *AIX, datetime(2026, 12, 1, 15, 0))
    assert result.workshops[0].next_sessions[0].day == date(2026, 12, 8)
    morning = search(catalogue(today), *AIX, datetime(2026, 12, 1, 9, 0))
    assert morning.workshops[0].next_sessions[0].day == TODAY


def test_sorted_by_distance_then_date() -> None:
    result = search(catalogue(workshop("5 km late", offset(AIX, 5), date(2026, 12, 20)),
                              workshop("5 km soon", offset(AIX, 5), date(2026, 12, 3)),
                              workshop("1 km", offset(AIX, 1), date(2026, 12, 22))),
                    *AIX, TODAY)
    assert [f.workshop.id for f in result.workshops] == ["1 km", "5 km soon", "5 km late"]


def test_theme_filter_and_counts_for_refining() -> None:
    workshops = [workshop(f"corps{i}", AIX, date(2026, 12, 3)) for i in range(3)]
    workshops.append(workshop("tete", AIX, date(2026, 12, 3), theme="Bien dans sa tête"))
    workshops.append(workshop("tete far", offset(AIX, 30), date(2026, 12, 3),
                              theme="Bien dans sa tête"))
    everything = search(catalogue(*workshops), *AIX, TODAY)
    assert everything.theme_counts == {"Bien dans mon corps": 3, "Bien dans sa tête": 1}
    head = search(catalogue(*workshops), *AIX, TODAY, theme=Theme.DANS_SA_TETE)
    assert [f.workshop.id for f in head.workshops] == ["tete"]
    home = search(catalogue(*workshops), *AIX, TODAY, theme=Theme.CHEZ_SOI)
    assert home.workshops == ()


def test_remote_workshops_are_listed_apart() -> None:
    remote = workshop("visio", None, date(2026, 12, 4))
    result = search(catalogue(remote), *AIX, TODAY)
    assert result.workshops == ()
    assert [f.workshop.id for f in result.remote] == ["visio"]
    assert result.remote[0].to_dict()["distance_km"] is None


def test_a_custom_ladder() -> None:
    result = search(catalogue(workshop("a", offset(AIX, 15), date(2026, 12, 8))), *AIX, TODAY,
                    ladder=(Step(5, 2), Step(20, 2)))
    assert ladder_of(result) == [(5, 2, 0), (20, 2, 1)]


def test_the_demo_catalogue_exercises_every_step() -> None:
    demo = load_catalogue(anchor=TODAY)
    assert demo.meta["synthetic"] is True
    gazetteer = Gazetteer.load()
    seen = set()
    communes = [p for p in gazetteer.places if p.kind == "commune" and p.region != "autre"]
    for place in communes[::40]:
        result = search(demo, place.lat, place.lon, TODAY, theme=Theme.CHEZ_SOI)
        seen.add((result.step.radius_km, result.step.weeks, bool(result.workshops)))
    assert {(10, 4, True), (10, 6, True), (10, 8, True), (40, 8, True), (50, 8, False)} <= seen


def test_the_demo_never_goes_stale() -> None:
    for anchor in (date(2026, 12, 1), date(2031, 6, 15)):
        demo = load_catalogue(anchor=anchor)
        result = search(demo, *AIX, anchor)
        assert result.workshops and result.steps_tried[0][1] > 0
        assert min(f.next_sessions[0].day for f in result.workshops) >= anchor


def test_demo_contacts_are_fiction_numbers() -> None:
    demo = load_catalogue(anchor=TODAY)
    roots = ("019900", "026191", "035301", "046571", "053649", "063998")
    assert all(w.contact_phone.startswith(roots) for w in demo.workshops)
    assert 2000 <= len(demo) <= 6000


def test_reload_does_not_disturb_searches_in_flight(tmp_path) -> None:
    from acotel_geo import write_snapshot_file
    path = tmp_path / "snap.json.gz"
    write_snapshot_file(path, {"source": "v1"}, [workshop("v1", AIX, date(2026, 12, 8))])
    holder = CatalogueHolder(path)
    errors: list[BaseException] = []

    def searching() -> None:
        try:
            for _ in range(300):
                found = search(holder.catalogue, *AIX, TODAY).workshops
                assert len(found) == 1 and found[0].workshop.id in ("v1", "v2")
        except BaseException as error:  # collected for the main thread
            errors.append(error)

    threads = [threading.Thread(target=searching) for _ in range(3)]
    for thread in threads:
        thread.start()
    for version in ("v2", "v1", "v2"):
        write_snapshot_file(path, {"source": version}, [workshop(version, AIX, date(2026, 12, 8))])
        holder.reload()
    for thread in threads:
        thread.join()
    assert not errors
    assert holder.catalogue.meta["source"] == "v2"


def test_search_by_kind_widens_for_it_and_counts_every_kind() -> None:
    from datetime import date as _date

    catalogue = load_catalogue(anchor=_date(2026, 12, 1))
    gazetteer = Gazetteer.load()
    place = gazetteer.by_insee["84007"]  # Avignon
    plain = search(catalogue, place.lat, place.lon, _date(2026, 12, 1), limit=None)
    sleep = search(catalogue, place.lat, place.lon, _date(2026, 12, 1), limit=None,
                   modules=["sommeil"])
    assert sleep.workshops and all(f.workshop.module == "sommeil" for f in sleep.workshops)
    assert sum(plain.module_counts.values()) == plain.steps_tried[-1][1]
    widest = search(catalogue, place.lat, place.lon, _date(2026, 12, 1), limit=None,
                    ladder=(sleep.step,))
    assert len(sleep.workshops) == sum(f.workshop.module == "sommeil" for f in widest.workshops)
    nothing = search(catalogue, place.lat, place.lon, _date(2026, 12, 1), modules=["pétanque"])
    assert nothing.workshops == () and len(nothing.steps_tried) == 5
