"""The absorbed workshop catalogue: snapshot files, the versioned store, and the in-memory
catalogue with its spatial and date indexes.

A snapshot is one gzipped JSON file: ``{"format", "meta", "workshops"}``. A store is a
folder of snapshots with a ``CURRENT`` file naming the one in use; writing a new snapshot
and switching ``CURRENT`` are each an atomic rename, so a failed import changes nothing and
the previous snapshots stay on disk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ._workshops import InvalidRecord, Session, Theme, Workshop

FORMAT = "acotel-catalogue/1"
EARTH_RADIUS_KM = 6371.0088
KEEP_SNAPSHOTS = 5
DAY_BITS = 20  # date ordinals (~740,000) fit in 20 bits
DEMO_PATH = Path(__file__).resolve().parents[2] / "data" / "workshops" / "demo.json.gz"


class SnapshotError(RuntimeError):
    """A snapshot or a store that cannot be read or written."""


class Catalogue:
    """An immutable set of workshops, indexed for the widening search.

    On-site workshops are in a haversine ball tree; their sessions are one sorted array of
    ``workshop << 20 | day`` keys, so "the first session of each candidate on or after a
    day" is one vectorised ``searchsorted``.
    """

    def __init__(self, workshops: Iterable[Workshop], meta: dict[str, Any]) -> None:
        self.workshops = tuple(workshops)
        self.meta = meta
        self.local = tuple(w for w in self.workshops if not w.remote)
        self.remote = tuple(w for w in self.workshops if w.remote)
        points = np.radians(np.array([[w.lat, w.lon] for w in self.local], dtype=float)
                            ) if self.local else np.empty((0, 2))
        from sklearn.neighbors import BallTree  # a heavy import, paid only with a catalogue

        self.tree = BallTree(points, metric="haversine") if self.local else None
        keys = [(i << DAY_BITS) | s.day.toordinal()
                for i, w in enumerate(self.local) for s in w.sessions]
        self.session_keys = np.array(sorted(keys), dtype=np.int64)
        self.themes = tuple(Theme)
        self.theme_codes = np.array([self.themes.index(w.theme) for w in self.local],
                                    dtype=np.int64)

    def __len__(self) -> int:
        return len(self.workshops)

    def within(self, lat: float, lon: float, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """Indices (into ``local``) and distances in km of on-site workshops in the radius."""
        if self.tree is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        ind, dist = self.tree.query_radius(np.radians([[lat, lon]]), r=radius_km / EARTH_RADIUS_KM,
                                           return_distance=True)
        return ind[0].astype(np.int64), dist[0] * EARTH_RADIUS_KM

    def first_session_day(self, candidates: np.ndarray, first: date) -> np.ndarray:
        """For each candidate, the ordinal of its first session on or after ``first``, or -1."""
        keys = self.session_keys
        if not len(candidates) or not len(keys):
            return np.full(len(candidates), -1, dtype=np.int64)
        wanted = (candidates << DAY_BITS) | first.toordinal()
        at = np.searchsorted(keys, wanted)
        found = np.minimum(at, len(keys) - 1)
        ok = (at < len(keys)) & ((keys[found] >> DAY_BITS) == candidates)
        return np.where(ok, keys[found] & ((1 << DAY_BITS) - 1), -1)


def _dumps(meta: dict[str, Any], workshops: Iterable[Workshop]) -> bytes:
    payload = {"format": FORMAT, "meta": meta, "workshops": [w.to_dict() for w in workshops]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_snapshot_file(path: Path, meta: dict[str, Any], workshops: Iterable[Workshop]) -> None:
    """Write one snapshot file atomically (temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(_dumps(meta, workshops))
        raw.flush()
        os.fsync(raw.fileno())
    tmp.replace(path)


def _shift(workshop: Workshop, days: int) -> Workshop:
    delta = timedelta(days=days)
    return replace(workshop, sessions=tuple(
        Session(s.day + delta, s.start, s.end) for s in workshop.sessions))


def read_snapshot_file(path: Path, anchor: date | None = None) -> Catalogue:
    """Load a snapshot file. A snapshot with relative dates (the demo) is moved so that its
    absorption day becomes ``anchor`` (today by default): it never goes stale."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise SnapshotError(f"cannot read the catalogue snapshot {path}: {error}") from error
    if data.get("format") != FORMAT:
        raise SnapshotError(f"{path} is not an {FORMAT} snapshot")
    meta = dict(data["meta"])
    try:
        workshops = [Workshop.from_dict(w) for w in data["workshops"]]
    except InvalidRecord as error:
        raise SnapshotError(f"{path}: corrupt record: {error}") from error
    if meta.get("relative_dates"):
        absorbed = datetime.fromisoformat(meta["absorbed_at"]).date()
        days = ((anchor or date.today()) - absorbed).days
        workshops = [_shift(w, days) for w in workshops]
        meta["anchored_to"] = (anchor or date.today()).isoformat()
    return Catalogue(workshops, meta)


class SnapshotStore:
    """A folder of versioned snapshots and the ``CURRENT`` pointer to the one in use."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.snapshots = self.root / "snapshots"
        self.pointer = self.root / "CURRENT"

    def current_path(self) -> Path | None:
        try:
            name = self.pointer.read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        return self.snapshots / name

    def publish(self, meta: dict[str, Any], workshops: list[Workshop]) -> Path:
        """Write a new snapshot, then switch ``CURRENT`` to it; keep the last few."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        body = _dumps(meta, workshops)
        name = f"catalogue-{stamp}-{hashlib.sha256(body).hexdigest()[:8]}.json.gz"
        write_snapshot_file(self.snapshots / name, meta, workshops)
        tmp = self.root / ".CURRENT.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.pointer)
        for old in sorted(self.snapshots.glob("catalogue-*.json.gz"))[:-KEEP_SNAPSHOTS]:
            old.unlink()
        return self.snapshots / name

    def load(self, anchor: date | None = None) -> Catalogue:
        path = self.current_path()
        if path is None:
            raise SnapshotError(f"{self.root} holds no snapshot yet (no CURRENT file)")
        return read_snapshot_file(path, anchor)


def load_catalogue(path: str | os.PathLike[str] | None = None,
                   anchor: date | None = None) -> Catalogue:
    """A snapshot file, or a store folder (its current snapshot); the demo by default."""
    target = Path(path) if path else DEMO_PATH
    if target.is_dir():
        return SnapshotStore(target).load(anchor)
    return read_snapshot_file(target, anchor)


class CatalogueHolder:
    """The catalogue in use, swapped whole on reload: a search that started keeps the
    catalogue it started with, the next one gets the new one."""

    def __init__(self, source: str | os.PathLike[str] | None = None) -> None:
        self.source = source
        self._lock = threading.Lock()
        self._catalogue = load_catalogue(source)

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def reload(self) -> Catalogue:
        """Load the source again; on failure the catalogue in use stays."""
        with self._lock:
            fresh = load_catalogue(self.source)
            self._catalogue = fresh
            return fresh
