"""The tender's search rule (§3.4, §5.1): within 10 km and the next 4 weeks first; if
nothing, widen the time to 6 then 8 weeks, then the distance to 40 then 50 km.

Remote workshops ("à distance") have no distance: they never count in the ladder and are
listed apart (``SearchResult.remote``), with a session in the window of the last step
tried, so the dialog can offer them when nothing is near.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from ._index import Catalogue
from ._model import Session, Theme, Workshop


@dataclass(frozen=True, slots=True)
class Step:
    radius_km: float
    weeks: int


DEFAULT_LADDER: tuple[Step, ...] = (
    Step(10, 4), Step(10, 6), Step(10, 8), Step(40, 8), Step(50, 8))
MAX_NEXT_SESSIONS = 3


@dataclass(frozen=True, slots=True)
class Found:
    workshop: Workshop
    distance_km: float | None  # None for a remote workshop
    next_sessions: tuple[Session, ...]  # inside the window, at most MAX_NEXT_SESSIONS

    def to_dict(self) -> dict[str, Any]:
        w, first = self.workshop, self.next_sessions[0]
        return {
            "id": w.id, "title": w.title, "theme": str(w.theme), "module": w.module,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
            "lat": w.lat, "lon": w.lon,
            "next_session": {"date": first.day.isoformat(), "start": first.start.strftime("%H:%M"),
                             "end": first.end.strftime("%H:%M")},
            "venue": w.venue, "address": w.address, "postcode": w.postcode, "city": w.city,
            "price": str(w.price), "contact_phone": w.contact_phone,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    step: Step  # the last step tried: the one that found, or the widest
    steps_tried: tuple[tuple[Step, int], ...]
    workshops: tuple[Found, ...]
    theme_counts: dict[str, int]  # at the last step, before any theme filter
    remote: tuple[Found, ...]
    module_counts: dict[str, int] = field(default_factory=dict)  # at the last step, before
    # any theme or module filter: the nearest other kinds when the one asked is not found

    @property
    def widened(self) -> bool:
        return len(self.steps_tried) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": {"radius_km": self.step.radius_km, "weeks": self.step.weeks},
            "steps_tried": [{"radius_km": s.radius_km, "weeks": s.weeks, "count": n}
                            for s, n in self.steps_tried],
            "workshops": [f.to_dict() for f in self.workshops],
            "theme_counts": self.theme_counts,
            "module_counts": self.module_counts,
            "remote": [f.to_dict() for f in self.remote],
        }


def _window(workshop: Workshop, start: datetime, end: date) -> tuple[Session, ...]:
    """Sessions not yet begun at ``start`` and before ``end``."""
    day, moment = start.date(), start.time()
    return tuple(s for s in workshop.sessions if day <= s.day < end
                 and not (s.day == day and s.start <= moment))[:MAX_NEXT_SESSIONS]


def search(catalogue: Catalogue, lat: float, lon: float, on: date | datetime,
           theme: Theme | None = None, ladder: tuple[Step, ...] = DEFAULT_LADDER,
           limit: int | None = 20, modules: Collection[str] | None = None) -> SearchResult:
    """Workshops near (lat, lon) from ``on`` (a day, or the very moment of the call: a
    session that already began is not offered), along the widening ladder. ``limit``
    caps the workshops returned (the nearest); counts are always complete. ``modules``
    keeps the workshops of those kinds only ("sommeil", "équilibre"…): the ladder widens
    until one of them is found, so another kind is never the answer."""
    if not ladder:
        raise ValueError("the search ladder has no step")
    start = on if isinstance(on, datetime) else datetime.combine(on, datetime.min.time())
    first_day = start.date()
    wanted = None if theme is None else catalogue.themes.index(theme)
    kinds = None if modules is None else catalogue.module_mask(modules)
    kind_counts: dict[str, int] = {}
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
        kind_counts = catalogue.module_counts(candidates)
        if wanted is not None:
            mine = codes == wanted
            candidates, distances, first = candidates[mine], distances[mine], first[mine]
        if kinds is not None:
            mine = kinds[candidates]
            candidates, distances, first = candidates[mine], distances[mine], first[mine]
        tried.append((step, len(candidates)))
        if len(candidates):
            order = np.lexsort((first, distances))[:limit]
            made = [catalogue.workshop(int(candidates[i])) for i in order]
            found = [Found(w, float(distances[i]), _window(w, start, end))
                     for w, i in zip(made, order, strict=True)]
            break
    last = tried[-1][0]
    last_end = first_day + timedelta(weeks=last.weeks)
    remote: list[Found] = []
    for row in catalogue.remote_between(first_day, last_end):
        if (wanted is None or catalogue.theme_codes[row] == wanted) and (
                kinds is None or kinds[row]):
            workshop = catalogue.workshop(int(row))
            sessions = _window(workshop, start, last_end)
            if sessions:
                remote.append(Found(workshop, None, sessions))
                if limit is not None and len(remote) >= limit:
                    break
    return SearchResult(step=last, steps_tried=tuple(tried), workshops=tuple(found),
                        theme_counts=dict(sorted(counts.items())), remote=tuple(remote),
                        module_counts=dict(sorted(kind_counts.items())))


def _skip_begun_today(catalogue: Catalogue, candidates: np.ndarray, first: np.ndarray,
                      start: datetime) -> np.ndarray:
    """A session of today that began before the call is not offered: take the next one."""
    first = first.copy()
    for k in np.flatnonzero(first == start.date().toordinal()):
        first[k] = catalogue.first_session_after(int(candidates[k]), start)
    return first
