"""The catalogue in columns: every field of every workshop in a numpy array (memory-mapped
from a columnar snapshot, or built from ``Workshop`` objects), the spatial grid and the
session index over those arrays, and ``Workshop`` objects made only for the few results
presented.

Rows: on-site workshops first, cell after cell of the grid (each cell's workshops
contiguous), then remote workshops; within a cell, and among remote workshops, the
order of the source. Texts with few distinct values (titles, venues, modules...) are
dictionary-encoded: a column of codes into a pool of distinct strings (``module`` and
``theme`` codes are small integers, cheap to filter on); texts with nearly one value per
row (ids, phones, cities) are kept together per row, decoded at once. Sessions are stored
once per distinct schedule (cycles repeat a lot), each row pointing at its schedule.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import Any, overload

import numpy as np
from unidecode import unidecode

from ._model import Session, Theme, Workshop

Columns = dict[str, np.ndarray]
EARTH_RADIUS_KM = 6371.0088
DAY_BITS = 20  # date ordinals (~740,000) fit in 20 bits
CELL = 0.2  # grid cells of 0.2 degrees
_ROW = 10_000  # cell key = row * _ROW + column, columns offset to stay positive
TEXTS = ("id", "title", "module", "summary", "description", "venue", "address", "postcode",
         "city", "insee", "price", "organiser", "contact_phone", "registration", "source_id",
         "updated_at")
THEMES = tuple(Theme)
SEPARATOR = "\x1f"  # between a row's own texts (a column holding it is pooled instead)
PREFILTER = 1000  # points in the cells read beyond which a box is cut before the distances
KEEP_MADE = 4096  # workshops kept once made (the results of recent searches)


def cell_key(row: Any, column: Any) -> Any:
    """Cell key of integer rows and columns (numbers or numpy arrays alike)."""
    return row * _ROW + column + _ROW // 2


def _codes(values: list[str]) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Dictionary encoding: (codes, offsets, utf-8 bytes) of the distinct values."""
    pool: dict[str, int] = {}
    codes = [pool.setdefault(v, len(pool)) for v in values]
    encoded = [v.encode("utf-8") for v in pool]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return codes, offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def build_columns(workshops: Iterable[Workshop]) -> Columns:
    """The columns of a catalogue, rows in index order (see the module's docstring)."""
    given = list(workshops)
    local = [i for i, w in enumerate(given) if not w.remote]
    lat = np.array([given[i].lat for i in local], dtype=float)
    lon = np.array([given[i].lon for i in local], dtype=float)
    keys = cell_key(np.floor(lat / CELL).astype(np.int64), np.floor(lon / CELL).astype(np.int64))
    order = np.argsort(keys, kind="stable")
    rows = [local[i] for i in order] + [i for i, w in enumerate(given) if w.remote]
    ws = [given[i] for i in rows]
    columns: Columns = {}
    codes, own = [], []
    for name in TEXTS:
        values = [w.updated_at.isoformat() if name == "updated_at" else str(getattr(w, name))
                  for w in ws]
        coded, offsets, utf8 = _codes(values)
        if name == "module" or len(offsets) - 1 <= max(256, len(ws) // 16) or any(
                SEPARATOR in v for v in values):
            codes.append(coded)
            columns[f"{name}.offsets"], columns[f"{name}.bytes"] = offsets, utf8
            if name == "module":
                columns["module"] = np.array(coded, dtype=np.uint8 if len(offsets) <= 257
                                             else np.uint32)
        else:  # nearly one value per row (ids, phones...): kept in the row's own texts
            own.append(values)
    columns["texts"] = np.array(codes, dtype=np.uint32).T.reshape(len(ws), len(codes))
    rows_own = [SEPARATOR.join(texts).encode("utf-8") for texts in zip(*own, strict=True)
                ] if own else [b""] * len(ws)
    columns["own.offsets"] = np.zeros(len(rows_own) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in rows_own], out=columns["own.offsets"][1:])
    columns["own.bytes"] = np.frombuffer(b"".join(rows_own), dtype=np.uint8)
    columns["theme"] = np.array([THEMES.index(w.theme) for w in ws], dtype=np.uint8)
    columns["lat"] = np.array([np.nan if w.lat is None else w.lat for w in ws], dtype=float)
    columns["lon"] = np.array([np.nan if w.lon is None else w.lon for w in ws], dtype=float)
    columns["source_order"] = np.argsort(np.array(rows, dtype=np.int64), kind="stable")
    columns["id_order"] = np.array(sorted(range(len(ws)), key=lambda r: ws[r].id),
                                   dtype=np.int64)
    # Each distinct schedule (tuple of sessions) once, and a code per row; sorted keys
    # ``schedule << DAY_BITS | day`` find every schedule's next session.
    schedules: dict[tuple[Session, ...], int] = {}
    columns["schedule"] = np.array([schedules.setdefault(w.sessions, len(schedules))
                                     for w in ws], dtype=np.uint32)
    columns["schedule.first"] = np.zeros(len(schedules) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in schedules], out=columns["schedule.first"][1:])
    columns["sessions"] = np.array(
        [(s.day.toordinal(), _seconds(s.start), _seconds(s.end)) for p in schedules
         for s in p],
        dtype=np.int32).reshape(-1, 3)  # day ordinal, start and end in seconds
    owner = np.repeat(np.arange(len(schedules), dtype=np.int64),
                      np.diff(columns["schedule.first"]))
    columns["schedule.keys"] = (owner << DAY_BITS) | columns["sessions"][:, 0]
    n_local = len(local)
    remote = sorted((s.day.toordinal(), n_local + k) for k, w in enumerate(ws[n_local:])
                    for s in w.sessions)
    columns["remote.days"] = np.array([d for d, _ in remote], dtype=np.int64)
    columns["remote.rows"] = np.array([r for _, r in remote], dtype=np.int64)
    columns["grid.rlat"] = np.radians(lat[order])
    columns["grid.rlon"] = np.radians(lon[order])
    columns["grid.cos"] = np.cos(columns["grid.rlat"])
    cells, starts = np.unique(keys[order], return_index=True)
    columns["grid.cells"] = cells.astype(np.int64)
    columns["grid.starts"] = np.append(starts, n_local).astype(np.int64)
    return columns


class Pool:
    """The distinct strings of one text column, decoded on demand (and remembered)."""

    def __init__(self, columns: Columns, name: str) -> None:
        self.offsets = columns[f"{name}.offsets"].data  # Python ints when indexed
        self.bytes = columns[f"{name}.bytes"].data
        self._decoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def text(self, code: int) -> str:
        found = self._decoded.get(code)
        if found is None:
            if len(self._decoded) >= 65_536:
                self._decoded.clear()
            found = self._decoded[code] = str(
                self.bytes[self.offsets[code]:self.offsets[code + 1]], "utf-8")
        return found


class Catalogue:
    """An immutable set of workshops, indexed for the widening search (see the module's
    docstring for the row order). ``workshop(row)`` makes the ``Workshop`` of a row;
    ``workshops`` lists them all in the source's order, made one by one when read."""

    def __init__(self, workshops: Iterable[Workshop], meta: dict[str, Any]) -> None:
        self._open(build_columns(workshops), meta, 0)

    @classmethod
    def from_columns(cls, columns: Columns, meta: dict[str, Any],
                     day_shift: int = 0) -> Catalogue:
        """A catalogue over ready columns (a memory-mapped snapshot); its session days
        read ``day_shift`` days later (a snapshot with relative dates)."""
        catalogue = cls.__new__(cls)
        catalogue._open(columns, meta, day_shift)
        return catalogue

    def _open(self, columns: Columns, meta: dict[str, Any], day_shift: int) -> None:
        self.columns = columns
        self.meta = meta
        self.day_shift = day_shift
        pooled = [name for name in TEXTS if f"{name}.offsets" in columns]
        self.pools = [Pool(columns, name) for name in pooled]
        own = [name for name in TEXTS if name not in pooled]
        self._own_offsets, self._own_bytes = (columns["own.offsets"].data,
                                              columns["own.bytes"].data)
        self._has_own = bool(own)
        self._in_field_order = itemgetter(*((pooled + own).index(name) for name in TEXTS))
        self.themes = THEMES
        self.theme_codes = columns["theme"]
        self.module_codes = columns["module"]
        modules = self.pools[pooled.index("module")]
        self.modules = tuple(modules.text(c) for c in range(len(modules)))
        self.n_local = len(columns["grid.rlat"])
        self.texts = columns["texts"]
        self.schedules = columns["schedule"]
        self._remote_by_days: dict[tuple[int, int], np.ndarray] = {}
        self._module_masks: dict[frozenset[str], np.ndarray] = {}
        cells, starts = columns["grid.cells"].tolist(), columns["grid.starts"].tolist()
        self.cells = {k: (starts[i], starts[i + 1]) for i, k in enumerate(cells)}
        self._next_by_day: dict[int, np.ndarray] = {}
        self._made: OrderedDict[int, Workshop] = OrderedDict()
        self._schedules: dict[int, tuple[Session, ...]] = {}
        self._sessions: dict[tuple[int, int, int], Session] = {}

    def __len__(self) -> int:
        return len(self.theme_codes)

    def within(self, lat: float, lon: float, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows and distances in km of the on-site workshops within the great-circle radius:
        only the grid cells covering the radius's bounding box are read. (Longitudes are not
        wrapped at ±180°: no French place lies within 50 km of it.)"""
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        rows = range(math.floor((lat - dlat) / CELL), math.floor((lat + dlat) / CELL) + 1)
        columns = range(math.floor((lon - dlon) / CELL), math.floor((lon + dlon) / CELL) + 1)
        cells = self.cells
        spans: list[list[int]] = []
        for r in rows:
            for c in columns:
                span = cells.get(cell_key(r, c))
                if span is None:
                    continue
                if spans and spans[-1][1] == span[0]:  # neighbouring cells are contiguous
                    spans[-1][1] = span[1]
                else:
                    spans.append([span[0], span[1]])
        if not spans:
            return np.empty(0, dtype=np.int64), np.empty(0)
        found = np.concatenate([np.arange(a, b) for a, b in spans])
        la, lo = math.radians(lat), math.radians(lon)
        rlat, rlon = self.columns["grid.rlat"][found], self.columns["grid.rlon"][found]
        if len(found) > PREFILTER:  # many points: first a box a little wider than the radius
            reach = 1.01 * radius_km / EARTH_RADIUS_KM
            box = (np.abs(rlat - la) <= reach) & (
                np.abs(rlon - lo) <= reach / max(math.cos(abs(la) + reach), 0.01))
            found, rlat, rlon = found[box], rlat[box], rlon[box]
        h = (np.sin((rlat - la) / 2) ** 2
             + math.cos(la) * self.columns["grid.cos"][found] * np.sin((rlon - lo) / 2) ** 2)
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
        keep = distance <= radius_km
        return found[keep], distance[keep]

    def first_session_day(self, candidates: np.ndarray, first: date) -> np.ndarray:
        """For each candidate, the ordinal of its first session on or after ``first``, or -1."""
        days: np.ndarray = self._next_sessions(first.toordinal())[self.schedules[candidates]]
        return days

    def _next_sessions(self, day: int) -> np.ndarray:
        """Every schedule's first session day on or after ``day`` (-1: none), computed once
        per day: calls of one day all share it."""
        cached = self._next_by_day.get(day)
        if cached is None:
            keys = self.columns["schedule.keys"]
            schedules = np.arange(len(self.columns["schedule.first"]) - 1, dtype=np.int64)
            if len(keys):
                at = np.searchsorted(keys, (schedules << DAY_BITS) | (day - self.day_shift))
                found = np.minimum(at, len(keys) - 1)
                ok = (at < len(keys)) & ((keys[found] >> DAY_BITS) == schedules)
                cached = np.where(ok, (keys[found] & ((1 << DAY_BITS) - 1)) + self.day_shift,
                                  -1)
            else:
                cached = np.full(len(schedules), -1, dtype=np.int64)
            if len(self._next_by_day) >= 4:
                self._next_by_day.clear()
            self._next_by_day[day] = cached
        return cached

    def first_session_after(self, row: int, moment: datetime) -> int:
        """The ordinal of the row's first session that begins after ``moment``, or -1."""
        sessions = self._sessions_of(int(self.schedules[row]))
        today, now = moment.date(), moment.time()
        later = [s.day for s in sessions if s.day > today or (s.day == today and s.start > now)]
        return min(later).toordinal() if later else -1

    def remote_between(self, first: date, end: date) -> np.ndarray:
        """Rows of remote workshops with a session in [first, end), in the order of their
        first such session (the same for every call of a day: kept)."""
        window = (first.toordinal() - self.day_shift, end.toordinal() - self.day_shift)
        found = self._remote_by_days.get(window)
        if found is None:
            lo, hi = np.searchsorted(self.columns["remote.days"], window)
            rows = self.columns["remote.rows"][lo:hi]
            _, first_seen = np.unique(rows, return_index=True)
            if len(self._remote_by_days) >= 16:
                self._remote_by_days.clear()
            found = self._remote_by_days[window] = rows[np.sort(first_seen)]
        return found

    def module_mask(self, modules: Iterable[str]) -> np.ndarray:
        """A boolean mask over every row: the workshops whose module is one of ``modules``
        (accents, case and spaces around ignored). ``mask[rows]`` filters search rows.
        Kept per set of modules (read-only): a search pays one gather."""
        wanted = frozenset(_module_key(m) for m in modules)
        mask = self._module_masks.get(wanted)
        if mask is None:
            codes = [c for c, name in enumerate(self.modules) if _module_key(name) in wanted]
            mask = np.isin(self.module_codes, np.array(codes, dtype=np.int64))
            mask.flags.writeable = False
            if len(self._module_masks) >= 64:
                self._module_masks.clear()
            self._module_masks[wanted] = mask
        return mask

    def module_counts(self, rows: np.ndarray) -> dict[str, int]:
        """How many of ``rows`` there are per module (modules absent are left out)."""
        counts = np.bincount(self.module_codes[rows], minlength=len(self.modules))
        return {self.modules[c]: int(n) for c, n in enumerate(counts) if n}

    def workshop(self, row: int) -> Workshop:
        """The workshop of a row, made from the columns; the last few thousand used are
        kept (least recently used first out; races between threads only cost a remake)."""
        made = self._made.get(row)
        if made is not None:
            with suppress(KeyError):
                self._made.move_to_end(row)
            return made
        made = self._made[row] = self._make(row)
        if len(self._made) > KEEP_MADE:
            with suppress(KeyError):
                self._made.popitem(last=False)
        return made

    def _sessions_of(self, schedule: int) -> tuple[Session, ...]:
        sessions = self._schedules.get(schedule)
        if sessions is None:
            if len(self._schedules) >= 65_536:
                self._schedules.clear()
            a, b = self.columns["schedule.first"][schedule:schedule + 2].tolist()
            sessions = self._schedules[schedule] = tuple(
                self._session(day, start, end)
                for day, start, end in self.columns["sessions"][a:b].tolist())
        return sessions

    def _session(self, day: int, start: int, end: int) -> Session:
        """Sessions are shared: a day and a time slot make one ``Session``."""
        key = (day, start, end)
        session = self._sessions.get(key)
        if session is None:
            if len(self._sessions) >= 65_536:
                self._sessions.clear()
            session = self._sessions[key] = Session(
                date.fromordinal(day + self.day_shift), _time(start), _time(end))
        return session

    def _texts(self, row: int) -> tuple[str, ...]:
        """The row's texts, in the order of ``TEXTS``."""
        texts = list(map(Pool.text, self.pools, self.texts[row].tolist()))
        if self._has_own:
            a, b = self._own_offsets[row], self._own_offsets[row + 1]
            texts += str(self._own_bytes[a:b], "utf-8").split(SEPARATOR)
        found: tuple[str, ...] = self._in_field_order(texts)
        return found

    def _make(self, row: int) -> Workshop:
        text = self._texts(row)
        lat, lon = float(self.columns["lat"][row]), float(self.columns["lon"][row])
        located = not math.isnan(lat)
        # Positional, in the order of Workshop's fields (TEXTS keeps that order).
        return Workshop(
            text[0], text[1], THEMES[self.theme_codes[row]], text[2], text[3], text[4],
            self._sessions_of(int(self.schedules[row])),
            text[5], text[6], text[7], text[8], text[9],
            lat if located else None, lon if located else None, row >= self.n_local,
            Decimal(text[10]), text[11], text[12], text[13], text[14],
            datetime.fromisoformat(text[15]))

    @property
    def workshops(self) -> Sequence[Workshop]:
        """Every workshop, in the source's order, each made when read."""
        return _InSourceOrder(self)

    def workshop_by_id(self, workshop_id: str) -> Workshop | None:
        order = self.columns["id_order"]
        at = bisect_left(range(len(order)), workshop_id,
                         key=lambda k: self._texts(int(order[k]))[0])
        if at < len(order) and self._texts(int(order[at]))[0] == workshop_id:
            return self.workshop(int(order[at]))
        return None


class _InSourceOrder(Sequence[Workshop]):
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rows = catalogue.columns["source_order"]

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Workshop: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Workshop]: ...
    def __getitem__(self, index: int | slice) -> Workshop | Sequence[Workshop]:
        if isinstance(index, slice):
            return [self.catalogue._make(int(r)) for r in self.rows[index]]
        return self.catalogue._make(int(self.rows[index]))

    def __iter__(self) -> Iterator[Workshop]:
        return (self.catalogue._make(int(r)) for r in self.rows)


def _time(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _module_key(name: str) -> str:
    return unidecode(name).lower().strip()
