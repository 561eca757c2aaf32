"""Call records (tender §6.1–6.3): one record per call, the indicators, verbatims, exports."""

from ._anonymise import anonymise
from ._build import build_record
from ._exports import report_csv, report_xlsx, traces, traces_csv, traces_xlsx
from ._groups import Group, group
from ._hook import RecordsHook
from ._http import create_reports_app
from ._indicators import INDICATORS, Indicator, indicators, values
from ._model import GRANULARITIES, ORIGINS, PARIS, REGIONS, STATUSES, CallRecord, bucket_key
from ._report import report
from ._store import Filters, RecordsError, RecordStore, open_records
from ._verbatims import verbatims

__all__ = [
    "GRANULARITIES",
    "INDICATORS",
    "ORIGINS",
    "PARIS",
    "REGIONS",
    "STATUSES",
    "CallRecord",
    "Filters",
    "Group",
    "Indicator",
    "RecordStore",
    "RecordsError",
    "RecordsHook",
    "anonymise",
    "bucket_key",
    "build_record",
    "create_reports_app",
    "group",
    "indicators",
    "open_records",
    "report",
    "report_csv",
    "report_xlsx",
    "traces",
    "traces_csv",
    "traces_xlsx",
    "values",
    "verbatims",
]
