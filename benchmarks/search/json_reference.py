"""The reference: the catalogue as it was before the columnar snapshot (commit 17192a1),
kept verbatim for the benchmark and for the test that compares results.

Every workshop of a gzipped JSON snapshot becomes a ``Workshop`` object at load time;
on-site workshops sit in a grid of 0.2° cells; each workshop's next session is computed
once per day. ``search`` is the widening ladder of that version, line for line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from acotel_geo import (
    DEFAULT_LADDER,
    Found,
    SearchResult,
    Session,
    SnapshotError,
    Step,
    Theme,
    Workshop,
)
from acotel_geo._files import read_gzipped_json

FORMAT = "acotel-catalogue/1"
EARTH_RADIUS_KM = 6371.0088
DAY_BITS = 20
MAX_NEXT_SESSIONS = 3


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

def read_snapshot_file(path: Path, anchor: date | None = None) -> Catalogue:
    data = read_gzipped_json(path, FORMAT, SnapshotError, "catalogue snapshot")
    meta = dict(data["meta"])
    days = 0
    if meta.get("relative_dates"):
        absorbed = datetime.fromisoformat(meta["absorbed_at"]).date()
        days = ((anchor or date.today()) - absorbed).days
        meta["anchored_to"] = (anchor or date.today()).isoformat()
    return Catalogue([Workshop.from_dict(w, days) for w in data["workshops"]], meta)




def _window(workshop: Workshop, start: datetime, end: date) -> tuple[Session, ...]:
    """Sessions not yet begun at ``start`` and before ``end``."""
    return tuple(s for s in workshop.sessions
                 if start.date() <= s.day < end
                 and not (s.day == start.date() and s.start <= start.time()))[:MAX_NEXT_SESSIONS]


def search(catalogue: Catalogue, lat: float, lon: float, on: date | datetime,
           theme: Theme | None = None, ladder: tuple[Step, ...] = DEFAULT_LADDER,
           limit: int | None = 20) -> SearchResult:
    """Workshops near (lat, lon) from ``on`` (a day, or the very moment of the call: a
    session that already began is not offered), along the widening ladder. ``limit``
    caps the workshops returned (the nearest); counts are always complete."""
    if not ladder:
        raise ValueError("the search ladder has no step")
    start = on if isinstance(on, datetime) else datetime.combine(on, datetime.min.time())
    first_day = start.date()
    wanted = None if theme is None else catalogue.themes.index(theme)
    near: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    tried: list[tuple[Step, int]] = []
    found: list[Found] = []
    counts: dict[str, int] = {}
    for step in ladder:
        if step.radius_km not in near:
            near[step.radius_km] = catalogue.within(lat, lon, step.radius_km)
        candidates, distances = near[step.radius_km]
        end = first_day + timedelta(weeks=step.weeks)
        first = catalogue.first_session_day(candidates, first_day)
        if start.time() != datetime.min.time():
            first = _skip_begun_today(catalogue, candidates, first, start)
        keep = (first >= 0) & (first < end.toordinal())
        candidates, distances, first = candidates[keep], distances[keep], first[keep]
        codes = catalogue.theme_codes[candidates]
        counts = {str(catalogue.themes[c]): int(n)
                  for c, n in enumerate(np.bincount(codes, minlength=len(catalogue.themes)))
                  if n}
        if wanted is not None:
            mine = codes == wanted
            candidates, distances, first = candidates[mine], distances[mine], first[mine]
        tried.append((step, len(candidates)))
        if len(candidates):
            order = np.lexsort((first, distances))[:limit]
            found = [Found(catalogue.local[candidates[i]], float(distances[i]),
                           _window(catalogue.local[candidates[i]], start, end)) for i in order]
            break
    last = tried[-1][0]
    last_end = first_day + timedelta(weeks=last.weeks)
    remote: list[Found] = []
    for i in catalogue.remote_between(first_day, last_end):
        workshop = catalogue.remote[i]
        if theme is None or workshop.theme == theme:
            sessions = _window(workshop, start, last_end)
            if sessions:
                remote.append(Found(workshop, None, sessions))
                if limit is not None and len(remote) >= limit:
                    break
    return SearchResult(step=last, steps_tried=tuple(tried), workshops=tuple(found),
                        theme_counts=dict(sorted(counts.items())), remote=tuple(remote))


def _skip_begun_today(catalogue: Catalogue, candidates: np.ndarray, first: np.ndarray,
                      start: datetime) -> np.ndarray:
    """A session of today that began before the call is not offered: take the next one."""
    today = start.date().toordinal()
    first = first.copy()
    for k in np.flatnonzero(first == today):
        later = [s.day.toordinal() for s in catalogue.local[candidates[k]].sessions
                 if s.day > start.date() or (s.day == start.date() and s.start > start.time())]
        first[k] = min(later) if later else -1
    return first
