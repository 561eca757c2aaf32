"""The `acotel-geo resolve` contract that other tools rely on, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

CLI = [sys.executable, "-m", "acotel_geo.cli"]
KEYS = {"insee", "name", "postcodes", "department", "region", "lat", "lon", "score"}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


def test_resolve_one_answer_as_json() -> None:
    done = run("resolve", "treize cent", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["query"] == "treize cent"
    assert data["status"] == "resolved"
    assert set(data["candidates"][0]) >= KEYS
    assert data["candidates"][0]["insee"] == "13001"


def test_resolve_stdin_one_object_per_line_in_order() -> None:
    answers = ["Aix", "Beaulieu", "oui", "", "dans le Var", "Marseille 13008"]
    done = run("resolve", "-", "--json", stdin="\n".join(answers) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == answers
    assert [line["status"] for line in lines] == [
        "resolved", "ambiguous", "not_found", "not_found", "needs_more", "resolved"]


def test_human_output_is_french() -> None:
    done = run("resolve", "Beaulieu")
    assert "plusieurs possibilités" in done.stdout
    assert "Côte-d'Or" in done.stdout


def test_a_missing_gazetteer_is_a_clear_error() -> None:
    done = run("resolve", "Aix", "--gazetteer", "/nonexistent.json.gz")
    assert done.returncode == 2
    assert "cannot read the gazetteer" in done.stderr
    assert "Traceback" not in done.stderr
