"""acotel_geo: offline French commune resolution from spoken answers.

>>> from acotel_geo import resolve
>>> resolve("treize cent").best.name
'Aix-en-Provence'
"""

from .catalogue import (
    DEFAULT_LADDER,
    AbsorptionError,
    Catalogue,
    CatalogueHolder,
    Found,
    InvalidRecord,
    Rejected,
    Report,
    SearchResult,
    Session,
    SnapshotError,
    SnapshotStore,
    SourceConfig,
    SourceError,
    Step,
    Theme,
    Workshop,
    absorb,
    export_csv,
    fetch_records,
    load_catalogue,
    publish,
    read_csv,
    read_snapshot_file,
    search,
    write_snapshot_file,
)
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
