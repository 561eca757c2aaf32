"""The built wheel carries every file the service reads at run time (issue 10: a wheel built
with ``pip install .`` had no ``data/``, so ``acotel-geo resolve`` failed outside an
editable install).

The wheel is built from this checkout, installed in a fresh venv, and its console scripts
run there from a folder outside the repository, with no PYTHONPATH: they resolve a town,
replay a scripted call (gazetteer, lexicon, demo catalogue, messages, intents corpus) and
serve the steering app's pages and vendored scripts.

The fresh venv gets the wheel alone (``--no-deps``, nothing downloaded); the third-party
dependencies are the test runner's own, seen through a ``.pth`` file, and the test checks
that they satisfy what the wheel declares. A ``.pth`` line does not run the ``.pth`` files
of the folder it adds, so the runner's editable install of ACOTEL stays out of sight: the
test asserts that the packages imported are the venv's.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("acotel_geo", "acotel_voice")
# The committed data is about 1.2 MB (communes 761 kB, lexicon 237 kB, demo 229 kB).
MAX_WHEEL_BYTES = 3_000_000
SCENARIO = ROOT / "scenarios" / "01_memoire_aix_postcode_sms.yaml"


def _run(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def _build_requirements_met() -> bool:
    system = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["build-system"]
    for text in system["requires"]:
        wanted = Requirement(text)
        try:
            if not wanted.specifier.contains(metadata.version(wanted.name), prereleases=True):
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # With the build requirements installed (hatchling is in the test extra), no isolated
    # build environment is made and nothing is downloaded; else pip fetches them.
    isolation = ["--no-build-isolation"] if _build_requirements_met() else []
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *isolation,
          "--wheel-dir", str(out), str(ROOT)])
    [built] = out.glob("acotel-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; the runner's third-party packages visible."""
    home = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(home)])
    python = home / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", "--no-index", str(wheel)], env=_clean_env())
    shared = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"]).stdout.strip())
    (site / "runner_dependencies.pth").write_text("".join(f"{p}\n" for p in shared))
    return home


def _clean_env() -> dict[str, str]:
    """The environment without what would let the checkout's code or data in."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP",
                        "ACOTEL_GAZETTEER"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working folder outside the repository (no ``data/`` or ``src/`` next to it)."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def test_the_wheel_holds_the_data_and_every_package_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [p for p in (ROOT / "data").rglob("*") if p.is_file()]
    assert {"communes/communes.json.gz", "lexicon/fr_common_words.txt",
            "workshops/demo.json.gz"} <= {p.relative_to(ROOT / "data").as_posix() for p in data}
    for path in data:
        assert f"acotel_geo/data/{path.relative_to(ROOT / 'data').as_posix()}" in names
    for package in PACKAGES:
        for path in (ROOT / "src" / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert path.relative_to(ROOT / "src").as_posix() in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert wheel.stat().st_size < MAX_WHEEL_BYTES


def test_the_venv_imports_the_wheel_and_its_declared_dependencies(venv: Path,
                                                                  outside: Path) -> None:
    check = (
        "import importlib.metadata as m, json, acotel_geo, acotel_voice\n"
        "from packaging.requirements import Requirement\n"
        "from acotel_geo._files import data_dir\n"
        "missing = []\n"
        "for text in m.requires('acotel'):\n"
        "    r = Requirement(text)\n"
        "    if r.marker is not None and not r.marker.evaluate({'extra': ''}):\n"
        "        continue\n"
        "    try:\n"
        "        if not r.specifier.contains(m.version(r.name), prereleases=True):\n"
        "            missing.append(text)\n"
        "    except m.PackageNotFoundError:\n"
        "        missing.append(text)\n"
        "print(json.dumps({'geo': acotel_geo.__file__, 'voice': acotel_voice.__file__,\n"
        "                  'data': str(data_dir()), 'missing': missing}))\n"
    )
    done = _run([str(venv / "bin" / "python"), "-c", check], env=_clean_env(), cwd=outside)
    found = json.loads(done.stdout)
    for key in ("geo", "voice", "data"):
        assert Path(found[key]).is_relative_to(venv), found
    assert found["missing"] == []


def test_acotel_geo_resolves_a_town_from_the_installed_data(venv: Path, outside: Path) -> None:
    done = _run([str(venv / "bin" / "acotel-geo"), "resolve", "j'habite à Cavaillon",
                 "--json"], env=_clean_env(), cwd=outside)
    data = json.loads(done.stdout)
    assert data["status"] == "resolved"
    assert (data["candidates"][0]["insee"], data["candidates"][0]["name"]) == ("84035",
                                                                                "Cavaillon")


def test_acotel_voice_replays_a_call_on_the_demo_catalogue(venv: Path, outside: Path) -> None:
    done = _run([str(venv / "bin" / "acotel-voice"), "simulate", str(SCENARIO), "--json"],
                env=_clean_env(), cwd=outside)
    record = json.loads(done.stdout)
    assert record["failures"] == []
    assert "abouti" in record["statuses"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def served(venv: Path, outside: Path) -> Iterator[str]:
    """``acotel-voice serve`` from the venv, with the steering app, on a free local port."""
    port = _free_port()
    env = _clean_env() | {"ACOTEL_SECRET": "wheel-test", "ACOTEL_JAMBONZ_SECRET": ""}
    server = subprocess.Popen(
        [str(venv / "bin" / "acotel-voice"), "serve", "--port", str(port),
         "--store", "memory://", "--sms-outbox", str(outside / "sms.jsonl"),
         "--records", f"sqlite:///{outside / 'records.db'}"],
        env=env, cwd=outside, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/health")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    _, err = server.communicate(timeout=10)
                    raise AssertionError(f"acotel-voice serve did not start:\n{err}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=10)


def test_acotel_voice_serves_the_steering_app_from_the_wheel(served: str) -> None:
    status, body = _get(served + "/health")
    health = json.loads(body)
    assert health["checks"]["gazetteer"] is True
    assert health["checks"]["catalogue"]["workshops"] > 0
    assert status == 200, health
    status, body = _get(served + "/admin/login")
    assert status == 200
    assert "Connexion" in body.decode() and "htmx-2.0.8.min.js" in body.decode()
    for script in ("vendor/htmx-2.0.8.min.js", "vendor/chart-4.5.1.umd.min.js", "admin.css"):
        status, body = _get(f"{served}/admin/static/{script}")
        assert status == 200 and len(body) > 500, script
