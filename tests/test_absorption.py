"""Absorbing the catalogue: CSV as French spreadsheets write it, the JSON web services
through a real local HTTP server, and a store that never loses the current snapshot."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from aiohttp import web
from catalogue_helpers import AIX, workshop

from acotel_geo import (
    AbsorptionError,
    Gazetteer,
    Resolver,
    SnapshotError,
    SnapshotStore,
    SourceConfig,
    SourceError,
    absorb,
    export_csv,
    fetch_records,
    load_catalogue,
    publish,
    read_csv,
)

HEADER = ("id;title;theme;module;summary;description;sessions;venue;address;postcode;city;"
          "insee;lat;lon;remote;price;organiser;contact_phone;registration;source_id;"
          "updated_at\n")


@pytest.fixture(scope="module")
def locator() -> Resolver:
    return Resolver(Gazetteer.load())


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8-sig")
    return path


ROW = ("{id};Atelier mémoire;Bien dans sa tête;mémoire;Résumé;Description;"
       "{sessions};Salle des fêtes;1 place de la Mairie;{postcode};{city};;{lat};{lon};non;"
       "{price};CCAS;04 65 71 00 02;Par téléphone;src-{id};2026-11-01T00:00:00")


def row(id: str, sessions: str = "01/12/2026 14:00-16:00 | 08/12/2026 14:00-16:00",
        postcode: str = "13100", city: str = "Aix-en-Provence", lat: str = "43,5283",
        lon: str = "5,4497", price: str = "gratuit") -> str:
    return ROW.format(id=id, sessions=sessions, postcode=postcode, city=city, lat=lat, lon=lon,
                      price=price)


def test_csv_round_trip_is_lossless(tmp_path, locator) -> None:
    demo = load_catalogue(anchor=date(2026, 12, 1))
    path = tmp_path / "ateliers.csv"
    assert export_csv(demo.workshops, path) == len(demo)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    report = absorb(read_csv(path), locator, "csv")
    assert report.rejected == []
    assert report.workshops == list(demo.workshops)


def test_csv_rejects_bad_lines_with_their_number_and_reason(tmp_path, locator) -> None:
    path = write_csv(tmp_path / "a.csv", row("ok"),
                     row("bad-date", sessions="31/02/2026 14:00-16:00"),
                     row("bad-price", price="cher"), row("ok"),
                     row("no-place", lat="", lon="", postcode="", city=""))
    report = absorb(read_csv(path), locator, "csv")
    assert [w.id for w in report.workshops] == ["ok"]
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["ligne 3"].startswith("sessions")
    assert reasons["ligne 4"].startswith("price")
    assert "duplicate" in reasons["ligne 5"]
    assert "locates" in reasons["ligne 6"]


def test_rows_without_coordinates_are_located_from_the_gazetteer(tmp_path, locator) -> None:
    path = write_csv(tmp_path / "a.csv", row("geo", lat="", lon="", postcode="84000",
                                             city="Avignon"))
    report = absorb(read_csv(path), locator, "csv")
    assert report.geocoded == 1
    (located,) = report.workshops
    assert located.insee == "84007" and abs(located.lat - 43.95) < 0.05


def test_comma_separated_files_are_read_too(tmp_path, locator) -> None:
    path = tmp_path / "a.csv"
    path.write_text(HEADER.replace(";", ",") + row("x").replace(";", ",").replace(
        "43,5283", '"43,5283"').replace("5,4497", '"5,4497"') + "\n", encoding="utf-8")
    report = absorb(read_csv(path), locator, "csv")
    assert [w.id for w in report.workshops] == ["x"], report.rejected


def test_a_failed_import_leaves_the_current_snapshot(tmp_path, locator) -> None:
    store = SnapshotStore(tmp_path / "store")
    good = absorb(read_csv(write_csv(tmp_path / "g.csv", row("a"), row("b"))), locator, "g")
    first = publish(good, store)
    bad = absorb(read_csv(write_csv(tmp_path / "b.csv", row("c", price="x"),
                                    row("d", price="y"), row("e"))), locator, "b")
    with pytest.raises(AbsorptionError, match="rejected"):
        publish(bad, store)
    with pytest.raises(AbsorptionError, match="no valid workshop"):
        publish(absorb([], locator, "empty"), store)
    assert store.current_path() == Path(first["snapshot"])
    assert [w.id for w in store.load().workshops] == ["a", "b"]


def test_the_store_keeps_previous_snapshots(tmp_path, locator) -> None:
    store = SnapshotStore(tmp_path / "store")
    report = absorb([("1", workshop("a", AIX, date(2026, 12, 1)).to_dict())], locator, "x")
    paths = [publish(report, store)["snapshot"] for _ in range(7)]
    kept = sorted(p.name for p in store.snapshots.glob("*.json.gz"))
    assert len(kept) == 5 and Path(paths[-1]).name == kept[-1]
    assert store.current_path() == Path(paths[-1])


def test_a_corrupt_snapshot_is_a_clear_error(tmp_path) -> None:
    broken = tmp_path / "x.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(SnapshotError, match="cannot read"):
        load_catalogue(broken)
    with pytest.raises(SnapshotError, match="no snapshot yet"):
        load_catalogue(tmp_path)


# --- the JSON web-service connector, against a real HTTP server on 127.0.0.1 -------------

def record(i: int, **changes) -> dict:
    data = {
        "id": f"ws-{i}", "titre": f"Atelier {i}", "thematique": "Bien dans son corps",
        "module": "équilibre", "resume": "Résumé", "description": "Description",
        "seances": [{"date": "2026-12-03", "debut": "14:00", "fin": "16:00"}],
        "lieu": {"nom": "Salle", "adresse": "1 rue", "code_postal": "13100",
                 "ville": "Aix-en-Provence", "latitude": 43.53, "longitude": 5.45},
        "a_distance": False, "tarif": "gratuit",
        "structure": {"nom": "CCAS", "telephone": "04 65 71 00 03"},
        "inscription": "Par téléphone", "date_mise_a_jour": "2026-11-20T10:00:00",
    }
    data.update(changes)
    return data


class Catalogue:
    """What the fake web service serves, and how it misbehaves."""

    def __init__(self) -> None:
        self.records = [record(i) for i in range(1, 8)]
        self.records[2] = record(3, thematique="Inconnue")  # malformed: unknown theme
        self.records[4] = "not an object"
        self.fail: dict[int, int] = {}  # page -> failures left
        self.hits: list[int] = []


def start_server(state: Catalogue) -> Iterator[str]:
    async def pages(request: web.Request) -> web.StreamResponse:
        page, size = int(request.query["page"]), int(request.query["size"])
        state.hits.append(page)
        if state.fail.get(page, 0) > 0:
            state.fail[page] -= 1
            return web.Response(status=503, text="busy")
        chunk = state.records[(page - 1) * size: page * size]
        return web.json_response({"data": {"items": chunk}, "page": page})

    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_get("/api/ateliers", pages)
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    site = web.SockSite(runner, sock)
    loop.run_until_complete(site.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/api/ateliers"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


@pytest.fixture
def service():
    state = Catalogue()
    server = start_server(state)
    url = next(server)
    yield state, url
    next(server, None)


def config(tmp_path: Path, url: str, **source) -> SourceConfig:
    text = Path("config/catalogue_source.example.toml").read_text("utf-8").replace(
        'url = "https://www.pourbienvieillir.fr/api/ateliers"', f'url = "{url}"').replace(
        "size = 100", "size = 3").replace("backoff_s = 0.5", "backoff_s = 0.01")
    for key, value in source.items():
        text = text.replace(f"{key} = ", f"{key} = {json.dumps(value)}  # ", 1)
    path = tmp_path / "source.toml"
    path.write_text(text, "utf-8")
    return SourceConfig.load(path)


def test_json_service_pages_are_absorbed_and_bad_records_reported(
        tmp_path, service, locator) -> None:
    state, url = service
    records = fetch_records(config(tmp_path, url))
    assert state.hits == [1, 2, 3]  # 3 + 3 + 1 records: the short page is the last
    report = absorb(records, locator, "json")
    assert [w.id for w in report.workshops] == ["ws-1", "ws-2", "ws-4", "ws-6", "ws-7"]
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["page 1, enregistrement 3"].startswith("theme")
    assert reasons["page 2, enregistrement 2"].startswith("record: not an object")
    assert report.workshops[0].theme.value == "Bien dans mon corps"


def test_a_page_that_fails_once_is_retried(tmp_path, service) -> None:
    state, url = service
    state.fail = {2: 2}
    assert len(fetch_records(config(tmp_path, url))) == 7
    assert state.hits == [1, 2, 2, 2, 3]


def test_a_page_that_keeps_failing_fails_the_import_and_keeps_the_snapshot(
        tmp_path, service, locator) -> None:
    state, url = service
    store = SnapshotStore(tmp_path / "store")
    publish(absorb(fetch_records(config(tmp_path, url)), locator, "json"), store)
    before = store.current_path()
    state.fail = {2: 99}
    with pytest.raises(SourceError, match="page 2: failed after 4 tries"):
        fetch_records(config(tmp_path, url))
    assert store.current_path() == before and len(store.load()) == 5


def test_a_moved_url_is_a_config_edit(tmp_path, service) -> None:
    _, url = service
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch_records(config(tmp_path, url.replace("/api/ateliers", "/api/v2/ateliers")))
    with pytest.raises(SourceError, match="connector config"):
        SourceConfig.load(tmp_path / "missing.toml")


def test_an_unreachable_service_times_out_cleanly(tmp_path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()  # accepts, never answers
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
    with pytest.raises(SourceError, match="failed after"):
        fetch_records(config(tmp_path, url, timeout_s=0.3, retries=1))
    sock.close()
