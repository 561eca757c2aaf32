"""Catalogue snapshots on disk and the versioned store.

Two snapshot forms hold the same catalogue:

- gzipped JSON, ``{"format", "meta", "workshops"}``: what ``import`` has always written
  and the committed demo; readable anywhere, loaded by making every ``Workshop``;
- columnar (``.cols``): the catalogue's columns (see ``_index``) in one file, a JSON header
  then 64-byte-aligned arrays, memory-mapped when loaded: nothing is parsed or copied
  until a search reads it.

A store is a folder of snapshots with a ``CURRENT`` file naming the one in use. Publishing
writes the JSON snapshot and its columnar twin (each to a temporary file, fsynced, then
renamed), and only then switches ``CURRENT``: a failed import changes nothing, and a
reader never sees half a snapshot. A store whose current snapshot has no columnar twin
(written by an older version) gets one on its first load.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import mmap
import os
import tempfile
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .._files import data_dir, read_gzipped_json
from ._index import Catalogue, Columns, build_columns
from ._model import InvalidRecord, Workshop

FORMAT = "acotel-catalogue/1"
COLUMNS_FORMAT = "acotel-catalogue-columns/1"
MAGIC = b"ACOTELC1"
ALIGN = 64
KEEP_SNAPSHOTS = 5
DEMO_PATH = data_dir() / "workshops" / "demo.json.gz"


class SnapshotError(RuntimeError):
    """A snapshot or a store that cannot be read or written."""


def _dumps(meta: dict[str, Any], workshops: Iterable[Workshop]) -> bytes:
    payload = {"format": FORMAT, "meta": meta, "workshops": [w.to_dict() for w in workshops]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _atomic_write(path: Path, chunks: Iterable[bytes], gzipped: bool = False) -> None:
    """Write ``path`` through a temporary file, fsynced, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with open(handle, "wb") as raw:
            if gzipped:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
                    for chunk in chunks:
                        gz.write(chunk)
            else:
                for chunk in chunks:
                    raw.write(chunk)
            raw.flush()
            os.fsync(raw.fileno())
        tmp.chmod(0o644)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the renames inside ``folder`` durable."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_snapshot_file(path: Path, meta: dict[str, Any], workshops: Iterable[Workshop]) -> None:
    """Write one gzipped JSON snapshot file atomically (temporary file, fsync, rename)."""
    _atomic_write(Path(path), [_dumps(meta, workshops)], gzipped=True)


def write_columns_file(path: Path, meta: dict[str, Any], columns: Columns) -> None:
    """Write one columnar snapshot file atomically: ``MAGIC``, the header's length (8 bytes,
    little-endian), the JSON header (``format``, ``meta``, ``size``, and each column's
    dtype, shape and offset), then the arrays, each at a 64-byte boundary."""
    layout: dict[str, list[Any]] = {}
    arrays = {name: np.ascontiguousarray(array) for name, array in columns.items()}
    offset = 0
    for name, array in arrays.items():
        layout[name] = [array.dtype.str, list(array.shape), offset]
        offset += -(-array.nbytes // ALIGN) * ALIGN

    def header(start: int) -> bytes:
        placed = {n: [d, s, start + o] for n, (d, s, o) in layout.items()}
        return json.dumps({"format": COLUMNS_FORMAT, "meta": meta, "size": start + offset,
                           "columns": placed}, ensure_ascii=False).encode("utf-8")

    start = -(-(len(MAGIC) + 8 + len(header(0)) + 32) // ALIGN) * ALIGN  # room for digits
    text = header(start)
    head = MAGIC + len(text).to_bytes(8, "little") + text
    chunks = [head + bytes(start - len(head))]
    for array in arrays.values():
        data = array.tobytes()
        chunks += [data, bytes(-len(data) % ALIGN)]
    _atomic_write(Path(path), chunks)


def is_columns_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _anchoring(meta: dict[str, Any], anchor: date | None) -> tuple[dict[str, Any], int]:
    """A snapshot with relative dates (the demo) is moved so that its absorption day
    becomes ``anchor`` (today by default): it never goes stale. The days to move by."""
    meta = dict(meta)
    if not meta.get("relative_dates"):
        return meta, 0
    absorbed = datetime.fromisoformat(meta["absorbed_at"]).date()
    meta["anchored_to"] = (anchor or date.today()).isoformat()
    return meta, ((anchor or date.today()) - absorbed).days


def read_columns_file(path: Path, anchor: date | None = None) -> Catalogue:
    """Memory-map a columnar snapshot: the arrays are views on the file."""
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if mapped[:len(MAGIC)] != MAGIC:
            raise SnapshotError(f"{path} is not an {COLUMNS_FORMAT} snapshot")
        size = int.from_bytes(mapped[len(MAGIC):len(MAGIC) + 8], "little")
        header = json.loads(mapped[len(MAGIC) + 8:len(MAGIC) + 8 + size])
        if header.get("format") != COLUMNS_FORMAT:
            raise SnapshotError(f"{path} is not an {COLUMNS_FORMAT} snapshot")
        if header["size"] != len(mapped):
            raise SnapshotError(f"{path} is truncated ({len(mapped)} of {header['size']} bytes)")
        columns = {name: np.frombuffer(mapped, dtype=np.dtype(dtype), count=math.prod(shape),
                                       offset=offset).reshape(shape)
                   for name, (dtype, shape, offset) in header["columns"].items()}
        meta, shift = _anchoring(header["meta"], anchor)
        return Catalogue.from_columns(columns, meta, shift)
    except (OSError, ValueError, KeyError, TypeError) as failure:
        raise SnapshotError(f"cannot read the catalogue snapshot {path}: {failure}") from failure


def read_snapshot_file(path: Path, anchor: date | None = None) -> Catalogue:
    """Load a snapshot file, columnar or gzipped JSON (see ``_anchoring`` for ``anchor``)."""
    path = Path(path)
    if is_columns_file(path):
        return read_columns_file(path, anchor)
    data = read_gzipped_json(path, FORMAT, SnapshotError, "catalogue snapshot")
    meta, days = _anchoring(data["meta"], anchor)
    try:
        workshops = [Workshop.from_dict(w, days) for w in data["workshops"]]
    except InvalidRecord as error:
        raise SnapshotError(f"{path}: corrupt record: {error}") from error
    return Catalogue(workshops, meta)


def columns_twin(path: Path) -> Path:
    """The columnar twin of a store's JSON snapshot (``x.json.gz`` -> ``x.cols``)."""
    return path.with_name(path.name.removesuffix(".json.gz") + ".cols")


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
        """Write a new snapshot and its columnar twin, then switch ``CURRENT`` to it;
        keep the last few."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        body = _dumps(meta, workshops)
        name = f"catalogue-{stamp}-{hashlib.sha256(body).hexdigest()[:8]}.json.gz"
        path = self.snapshots / name
        _atomic_write(path, [body], gzipped=True)
        write_columns_file(columns_twin(path), meta, build_columns(workshops))
        _sync_folder(self.snapshots)
        _atomic_write(self.pointer, [(name + "\n").encode("utf-8")])
        _sync_folder(self.root)
        for old in sorted(self.snapshots.glob("catalogue-*.json.gz"))[:-KEEP_SNAPSHOTS]:
            columns_twin(old).unlink(missing_ok=True)
            old.unlink()
        return path

    def load(self, anchor: date | None = None) -> Catalogue:
        """The current snapshot, memory-mapped from its columnar twin; a twin missing
        (a store published by an older version) or unreadable is written again first."""
        path = self.current_path()
        if path is None:
            raise SnapshotError(f"{self.root} holds no snapshot yet (no CURRENT file)")
        twin = columns_twin(path)
        if twin.exists():
            try:
                return read_columns_file(twin, anchor)
            except SnapshotError:
                pass
        data = read_gzipped_json(path, FORMAT, SnapshotError, "catalogue snapshot")
        try:
            workshops = [Workshop.from_dict(w) for w in data["workshops"]]
        except InvalidRecord as error:
            raise SnapshotError(f"{path}: corrupt record: {error}") from error
        try:
            write_columns_file(twin, data["meta"], build_columns(workshops))
        except OSError:  # a read-only store: load from the JSON snapshot
            return read_snapshot_file(path, anchor)
        return read_columns_file(twin, anchor)


def load_catalogue(path: str | os.PathLike[str] | None = None,
                   anchor: date | None = None) -> Catalogue:
    """A snapshot file, or a store folder (its current snapshot); the demo by default."""
    target = Path(path) if path else DEMO_PATH
    if target.is_dir():
        return SnapshotStore(target).load(anchor)
    return read_snapshot_file(target, anchor)


class CatalogueHolder:
    """The catalogue in use, swapped whole on reload: a search that started keeps the
    catalogue it started with, the next one gets the new one. With a store, a reload
    maps the current columnar snapshot (milliseconds, whatever the catalogue's size),
    and a reload that finds the same snapshot keeps the catalogue in use (and its warm
    caches): polling is cheap."""

    def __init__(self, source: str | os.PathLike[str] | None = None,
                 catalogue: Catalogue | None = None) -> None:
        """The catalogue of ``source`` (the demo by default), or ``catalogue`` as given."""
        self.source = source
        self._lock = threading.Lock()
        self._signature = None if catalogue is not None else _signature(source)
        self._catalogue = catalogue if catalogue is not None else load_catalogue(source)

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def reload(self) -> Catalogue:
        """Load the source again if its snapshot changed; on failure the catalogue in use
        stays."""
        with self._lock:
            signature = _signature(self.source)
            if signature != self._signature:
                self._catalogue = load_catalogue(self.source)
                self._signature = signature
            return self._catalogue


def _signature(source: str | os.PathLike[str] | None) -> tuple[Any, ...]:
    """What changes with the snapshot in use: the file ``CURRENT`` names (or the file
    given), its identity, and the day (a snapshot with relative dates moves to today)."""
    target = Path(source) if source else DEMO_PATH
    if target.is_dir():
        target = SnapshotStore(target).current_path() or target
    try:
        stat = target.stat()
    except OSError:
        return (str(target), date.today())
    return (str(target), stat.st_ino, stat.st_mtime_ns, stat.st_size, date.today())
