"""acotel_geo: offline French commune resolution from spoken answers.

>>> from acotel_geo import resolve
>>> resolve("treize cent").best.name
'Aix-en-Provence'
"""

from .catalogue._absorb import AbsorptionError, Rejected, Report, absorb, publish
from .catalogue._catalogue import (
    Catalogue,
    CatalogueHolder,
    SnapshotError,
    SnapshotStore,
    load_catalogue,
    read_snapshot_file,
    write_snapshot_file,
)
from .catalogue._csv_io import export_csv, read_csv
from .catalogue._json_source import SourceConfig, SourceError, fetch_records
from .catalogue._search import DEFAULT_LADDER, Found, SearchResult, Step, search
from .catalogue._workshops import InvalidRecord, Session, Theme, Workshop
from .places._gazetteer import Gazetteer, GazetteerError, Place
from .places._regions import EXPERIMENT_REGIONS, OTHER, region_of
from .places._resolve import Candidate, Resolution, Resolver, Status, default_resolver, resolve

__all__ = [
    "DEFAULT_LADDER",
    "EXPERIMENT_REGIONS",
    "OTHER",
    "AbsorptionError",
    "Candidate",
    "Catalogue",
    "CatalogueHolder",
    "Found",
    "Gazetteer",
    "GazetteerError",
    "InvalidRecord",
    "Place",
    "Rejected",
    "Report",
    "Resolution",
    "Resolver",
    "SearchResult",
    "Session",
    "SnapshotError",
    "SnapshotStore",
    "SourceConfig",
    "SourceError",
    "Status",
    "Step",
    "Theme",
    "Workshop",
    "absorb",
    "default_resolver",
    "export_csv",
    "fetch_records",
    "load_catalogue",
    "publish",
    "read_csv",
    "read_snapshot_file",
    "region_of",
    "resolve",
    "search",
    "write_snapshot_file",
]
