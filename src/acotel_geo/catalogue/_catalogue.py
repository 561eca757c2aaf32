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
import math
import os
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .._files import read_gzipped_json
from ._workshops import InvalidRecord, Theme, Workshop

FORMAT = "acotel-catalogue/1"
EARTH_RADIUS_KM = 6371.0088
KEEP_SNAPSHOTS = 5
DAY_BITS = 20  # date ordinals (~740,000) fit in 20 bits
DEMO_PATH = Path(__file__).resolve().parents[3] / "data" / "workshops" / "demo.json.gz"


class SnapshotError(RuntimeError):
    """A snapshot or a store that cannot be read or written."""


class GridIndex:
    """Points bucketed in cells of ``CELL`` degrees: a radius query reads the few cells that
    cover its bounding box and keeps the points within the great-circle radius. For the
    ladder's fixed radii (10 to 50 km) this beats a tree: no per-call traversal overhead.
    (Longitudes are not wrapped at ±180°: no French place lies within 50 km of it.)"""

    CELL = 0.2
    _ROW = 10_000  # cell key = row * _ROW + column, columns offset to stay positive

    def __init__(self, lat: np.ndarray, lon: np.ndarray) -> None:
        self.lat = np.radians(lat)
        self.lon = np.radians(lon)
        self.cos_lat = np.cos(self.lat)
        keys = self._key(np.floor(lat / self.CELL).astype(np.int64),
                         np.floor(lon / self.CELL).astype(np.int64))
        self.order = np.argsort(keys, kind="stable")
        cells, starts = np.unique(keys[self.order], return_index=True)
        ends = np.append(starts[1:], len(keys)) if len(keys) else starts
        self.cells = {int(k): (int(a), int(b)) for k, a, b in zip(cells, starts, ends,
                                                                  strict=True)}

    def _key(self, row: Any, column: Any) -> Any:
        """Cell key of integer rows and columns (numbers or numpy arrays alike)."""
        return row * self._ROW + column + self._ROW // 2

    def within(self, lat: float, lon: float, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        rows = range(math.floor((lat - dlat) / self.CELL), math.floor((lat + dlat) / self.CELL) + 1)
        columns = range(math.floor((lon - dlon) / self.CELL),
                        math.floor((lon + dlon) / self.CELL) + 1)
        cells = self.cells
        spans = [cells[k] for r in rows for c in columns if (k := self._key(r, c)) in cells]
        if not spans:
            return np.empty(0, dtype=np.int64), np.empty(0)
        found = np.concatenate([self.order[a:b] for a, b in spans])
        la, lo = math.radians(lat), math.radians(lon)
        h = (np.sin((self.lat[found] - la) / 2) ** 2
             + math.cos(la) * self.cos_lat[found] * np.sin((self.lon[found] - lo) / 2) ** 2)
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
        keep = distance <= radius_km
        return found[keep], distance[keep]


class Catalogue:
    """An immutable set of workshops, indexed for the widening search.

    On-site workshops are in a ``GridIndex``; their sessions are one sorted array of
    ``workshop << 20 | day`` keys, from which every workshop's next session after a day is
    computed once per day.
    """

    def __init__(self, workshops: Iterable[Workshop], meta: dict[str, Any]) -> None:
        self.workshops = tuple(workshops)
        self.meta = meta
        self.local = tuple(w for w in self.workshops if not w.remote)
        self.remote = tuple(w for w in self.workshops if w.remote)
        self.grid = GridIndex(np.array([w.lat for w in self.local], dtype=float),
                              np.array([w.lon for w in self.local], dtype=float))
        keys = [(i << DAY_BITS) | s.day.toordinal()
                for i, w in enumerate(self.local) for s in w.sessions]
        self.session_keys = np.array(sorted(keys), dtype=np.int64)
        self._next_by_day: dict[int, np.ndarray] = {}
        self.themes = tuple(Theme)
        self.theme_codes = np.array([self.themes.index(w.theme) for w in self.local],
                                    dtype=np.int64)
        # Remote workshops: their sessions as (day, workshop) pairs sorted by day.
        remote_sessions = sorted((s.day.toordinal(), i) for i, w in enumerate(self.remote)
                                 for s in w.sessions)
        self.remote_days = np.array([d for d, _ in remote_sessions], dtype=np.int64)
        self.remote_ids = np.array([i for _, i in remote_sessions], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.workshops)

    def within(self, lat: float, lon: float, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """Indices (into ``local``) and distances in km of on-site workshops in the radius."""
        return self.grid.within(lat, lon, radius_km)

    def first_session_day(self, candidates: np.ndarray, first: date) -> np.ndarray:
        """For each candidate, the ordinal of its first session on or after ``first``, or -1."""
        days: np.ndarray = self._next_sessions(first.toordinal())[candidates]
        return days

    def _next_sessions(self, day: int) -> np.ndarray:
        """Every on-site workshop's first session day on or after ``day`` (-1: none), computed
        once per day: calls of one day all share it."""
        cached = self._next_by_day.get(day)
        if cached is None:
            keys = self.session_keys
            workshops = np.arange(len(self.local), dtype=np.int64)
            if len(keys):
                at = np.searchsorted(keys, (workshops << DAY_BITS) | day)
                found = np.minimum(at, len(keys) - 1)
                ok = (at < len(keys)) & ((keys[found] >> DAY_BITS) == workshops)
                cached = np.where(ok, keys[found] & ((1 << DAY_BITS) - 1), -1)
            else:
                cached = np.full(len(workshops), -1, dtype=np.int64)
            if len(self._next_by_day) >= 4:
                self._next_by_day.clear()
            self._next_by_day[day] = cached
        return cached


    def remote_between(self, first: date, end: date) -> np.ndarray:
        """Indices (into ``remote``) of remote workshops with a session in [first, end),
        in the order of their first such session."""
        lo, hi = np.searchsorted(self.remote_days, [first.toordinal(), end.toordinal()])
        ids = self.remote_ids[lo:hi]
        _, first_seen = np.unique(ids, return_index=True)
        return ids[np.sort(first_seen)]


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


def read_snapshot_file(path: Path, anchor: date | None = None) -> Catalogue:
    """Load a snapshot file. A snapshot with relative dates (the demo) is moved so that its
    absorption day becomes ``anchor`` (today by default): it never goes stale."""
    data = read_gzipped_json(path, FORMAT, SnapshotError, "catalogue snapshot")
    meta = dict(data["meta"])
    days = 0
    if meta.get("relative_dates"):
        absorbed = datetime.fromisoformat(meta["absorbed_at"]).date()
        days = ((anchor or date.today()) - absorbed).days
        meta["anchored_to"] = (anchor or date.today()).isoformat()
    try:
        workshops = [Workshop.from_dict(w, days) for w in data["workshops"]]
    except InvalidRecord as error:
        raise SnapshotError(f"{path}: corrupt record: {error}") from error
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

    def __init__(self, source: str | os.PathLike[str] | None = None,
                 catalogue: Catalogue | None = None) -> None:
        """The catalogue of ``source`` (the demo by default), or ``catalogue`` as given."""
        self.source = source
        self._lock = threading.Lock()
        self._catalogue = catalogue if catalogue is not None else load_catalogue(source)

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def reload(self) -> Catalogue:
        """Load the source again; on failure the catalogue in use stays."""
        with self._lock:
            fresh = load_catalogue(self.source)
            self._catalogue = fresh
            return fresh
