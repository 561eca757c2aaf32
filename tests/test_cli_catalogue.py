"""The `acotel-geo search | import | export` contracts, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "acotel_geo.cli"]
WORKSHOP_KEYS = {"id", "title", "theme", "module", "distance_km", "lat", "lon", "next_session",
                 "venue", "address", "postcode", "city", "price", "contact_phone"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_search_json_contract() -> None:
    done = run("search", "--insee", "13001", "--theme", "Bien dans mon corps",
               "--date", "2026-12-01", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= {"step", "steps_tried", "workshops", "theme_counts"}
    assert set(data["step"]) == {"radius_km", "weeks"}
    assert data["steps_tried"][0] == {**data["steps_tried"][0], "radius_km": 10, "weeks": 4}
    assert data["step"] == {k: data["steps_tried"][-1][k] for k in ("radius_km", "weeks")}
    assert data["workshops"], "the demo has workshops near Aix"
    for found in data["workshops"]:
        assert set(found) == WORKSHOP_KEYS
        assert found["theme"] == "Bien dans mon corps"
        assert set(found["next_session"]) == {"date", "start", "end"}
        assert found["next_session"]["date"] >= "2026-12-01"
    distances = [f["distance_km"] for f in data["workshops"]]
    assert distances == sorted(distances)


def test_search_errors_are_clear() -> None:
    done = run("search", "--insee", "00000", "--json")
    assert done.returncode == 2 and "unknown INSEE code" in done.stderr
    done = run("search", "--insee", "13001", "--theme", "Bien au soleil")
    assert done.returncode == 2 and "unknown theme" in done.stderr
    done = run("search", "--insee", "13001", "--date", "demain")
    assert done.returncode == 2 and "not a date" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_then_import_into_a_store_then_search_it(tmp_path: Path) -> None:
    csv_path, store = tmp_path / "ateliers.csv", tmp_path / "store"
    assert run("export", "--csv", str(csv_path)).returncode == 0
    done = run("import", "--csv", str(csv_path), "--store", str(store))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["accepted"] == report["read"] > 2000 and report["rejected"] == []
    done = run("search", "--insee", "13001", "--snapshot", str(store), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["workshops"]


def test_a_broken_import_exits_non_zero_and_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("colonne;autre\n1;2\n", encoding="utf-8")
    done = run("import", "--csv", str(bad), "--store", str(tmp_path / "store"))
    assert done.returncode == 1
    assert "missing columns" in done.stderr and "unchanged" in done.stderr
    assert not (tmp_path / "store" / "CURRENT").exists()
