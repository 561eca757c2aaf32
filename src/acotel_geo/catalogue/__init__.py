"""acotel_geo.catalogue: the absorbed workshop catalogue and its widening search.

- model (``_model``): ``Workshop``, ``Session``, ``Theme`` and the field parsers;
- store (``_store``): gzipped-JSON and columnar snapshot files, the versioned
  ``SnapshotStore``, ``load_catalogue`` and the reloadable ``CatalogueHolder``;
- index (``_index``): the ``Catalogue`` in columns, with its grid, session and module
  indexes, making ``Workshop`` objects only for the results presented;
- search (``_search``): the tender's widening ladder;
- absorb (``_absorb``): validation, geocoding and all-or-nothing publishing;
- sources: CSV (``_source_csv``), the JSON web services (``_source_json``), and the
  synthetic demo (``_demo``).
"""

from ._absorb import AbsorptionError, Rejected, Report, absorb, publish
from ._index import Catalogue
from ._model import InvalidRecord, Session, Theme, Workshop
from ._search import DEFAULT_LADDER, Found, SearchResult, Step, search
from ._source_csv import export_csv, read_csv
from ._source_json import SourceConfig, SourceError, fetch_records
from ._store import (
    CatalogueHolder,
    SnapshotError,
    SnapshotStore,
    load_catalogue,
    read_snapshot_file,
    write_columns_file,
    write_snapshot_file,
)

__all__ = [
    "DEFAULT_LADDER",
    "AbsorptionError",
    "Catalogue",
    "CatalogueHolder",
    "Found",
    "InvalidRecord",
    "Rejected",
    "Report",
    "SearchResult",
    "Session",
    "SnapshotError",
    "SnapshotStore",
    "SourceConfig",
    "SourceError",
    "Step",
    "Theme",
    "Workshop",
    "absorb",
    "export_csv",
    "fetch_records",
    "load_catalogue",
    "publish",
    "read_csv",
    "read_snapshot_file",
    "search",
    "write_columns_file",
    "write_snapshot_file",
]
