"""Absorption: raw records from any source become a validated snapshot, or nothing.

Each record is validated by ``Workshop.from_dict``; a record with no coordinates is
located from the gazetteer (postcode and city); every rejected record is reported with
where it came from and why. Publishing is all or nothing (``SnapshotStore.publish``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..places._resolve import Resolver, Status
from ._model import InvalidRecord, Workshop
from ._store import SnapshotStore


class AbsorptionError(RuntimeError):
    """The import cannot be published; the current snapshot is left as it was."""


@dataclass(frozen=True, slots=True)
class Rejected:
    where: str  # "ligne 12", "page 3, enregistrement 7"
    reason: str


@dataclass(slots=True)
class Report:
    source: str
    read: int = 0
    geocoded: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "read": self.read, "accepted": len(self.workshops),
                "geocoded": self.geocoded,
                "rejected": [{"where": r.where, "reason": r.reason} for r in self.rejected]}


def locate(resolver: Resolver, postcode: str, city: str) -> tuple[float, float, str]:
    """Point and INSEE code of a venue known only by its postcode and/or city."""
    gazetteer = resolver.gazetteer
    if postcode or city:
        resolution = resolver.resolve(f"{city} {postcode}".strip())
        best = resolution.best
        if best and resolution.status in (Status.RESOLVED, Status.AMBIGUOUS) and (
                not postcode or postcode in best.postcodes):
            return best.lat, best.lon, best.insee
    ids = gazetteer.by_postcode.get(postcode, ())
    if ids:
        place = max((gazetteer.places[i] for i in ids), key=lambda p: p.population)
        return place.lat, place.lon, place.insee
    raise InvalidRecord(
        f"lat/lon: missing, and neither postcode {postcode!r} nor city {city!r} locates it")


def _is_remote(raw: dict[str, Any]) -> bool:
    return str(raw.get("remote", "")).strip().lower() in ("1", "true", "oui", "yes")


def absorb(records: Iterable[tuple[str, dict[str, Any]]], resolver: Resolver,
           source: str) -> Report:
    """Validate and locate every record; keep the first of duplicated ids."""
    report = Report(source=source)
    seen: set[str] = set()
    for where, raw in records:
        report.read += 1
        try:
            if "_error" in raw:
                raise InvalidRecord(raw["_error"])
            record = dict(raw)
            if not _is_remote(record) and record.get("lat") in (None, ""):
                lat, lon, insee = locate(resolver, str(record.get("postcode") or "").strip(),
                                         str(record.get("city") or "").strip())
                record.update(lat=lat, lon=lon, insee=record.get("insee") or insee)
                report.geocoded += 1
            workshop = Workshop.from_dict(record)
        except InvalidRecord as error:
            report.rejected.append(Rejected(where, str(error)))
            continue
        if workshop.id in seen:
            report.rejected.append(Rejected(where, f"id: duplicate {workshop.id!r}"))
            continue
        seen.add(workshop.id)
        report.workshops.append(workshop)
    return report


def publish(report: Report, store: SnapshotStore, *, max_rejected_share: float = 0.5,
            synthetic: bool = False) -> dict[str, Any]:
    """Publish the absorbed workshops as the new current snapshot, unless the import looks
    broken (nothing accepted, or too many rejected): then nothing changes."""
    if not report.workshops:
        raise AbsorptionError(f"{report.source}: no valid workshop among {report.read} records")
    share = len(report.rejected) / max(report.read, 1)
    if share > max_rejected_share:
        raise AbsorptionError(
            f"{report.source}: {len(report.rejected)} of {report.read} records rejected "
            f"({share:.0%} > {max_rejected_share:.0%}); the current snapshot is kept")
    meta = {
        "source": report.source,
        "absorbed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "synthetic": synthetic,
        "relative_dates": False,
        "counts": {"workshops": len(report.workshops),
                   "remote": sum(w.remote for w in report.workshops),
                   "rejected": len(report.rejected), "geocoded": report.geocoded},
    }
    path = store.publish(meta, report.workshops)
    return {**meta, "snapshot": str(path)}
