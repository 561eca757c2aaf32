"""Traces and reports as French users open them: JSON lines, CSV (UTF-8 with BOM, ``;``,
JJ/MM/AAAA, decimal comma) and XLSX (one sheet per view, frozen headers, number
formats, a chart of the main indicators)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ._indicators import INDICATORS
from ._model import STATUSES, CallRecord
from ._store import Filters, RecordStore

TRACE_COLUMNS = (
    ("call_id", "Appel"), ("date", "Date"), ("time", "Heure"), ("caller", "N° appelant"),
    ("origin", "Origine"), ("region", "Région"), ("insee", "Code INSEE"),
    ("handled_s", "Durée prise en compte (s)"), ("welcome_s", "Durée accueil (s)"),
    ("conversation_s", "Durée conversation (s)"), ("duration_s", "Durée totale (s)"),
    ("statuses", "Statuts"), ("location_tries", "Essais de localisation"),
    ("module", "Atelier demandé"), ("found", "Ateliers trouvés"),
    ("sms_sent", "SMS envoyés"), ("evaluation", "Évaluation"), ("special", "Situations"),
)


def traces(store: RecordStore, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """One trace per call: the record, plus the SMS actually delivered."""
    filters = filters or Filters()
    delivered = store.delivered(filters)
    for record in store.records(filters):
        yield trace(record, delivered.get(record.call_id, 0))


def trace(record: CallRecord, sms_sent: int) -> dict[str, Any]:
    data = record.to_dict()
    data["sms_sent"] = sms_sent
    return data


def _french(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _trace_cells(t: dict[str, Any]) -> list[Any]:
    started = datetime.fromisoformat(t["started_at"])
    values = dict(t, date=started.strftime("%d/%m/%Y"), time=started.strftime("%H:%M:%S"))
    return [values.get(key) for key, _ in TRACE_COLUMNS]


def _report_table(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["Début", "Région", "Origine", "Appels", *STATUSES,
              *(ind.label for ind in INDICATORS), "Durée médiane abouti (s)"]
    rows = []
    for row in report["rows"]:
        start = datetime.fromisoformat(row["start"])
        cells: list[Any] = [start.strftime("%d/%m/%Y %H:%M"), row["region"] or "inconnue",
                            row["origin"], row["calls"], *(row["statuses"][s] for s in STATUSES)]
        cells += [row["indicators"][ind.key] for ind in INDICATORS]
        cells.append(row["indicators"]["duree_abouti_mediane_s"])
        rows.append(cells)
    return header, rows


def _csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_french(v) for v in row])
    return "\ufeff" + out.getvalue()


def traces_csv(items: Iterable[dict[str, Any]]) -> str:
    return _csv_text([label for _, label in TRACE_COLUMNS], (_trace_cells(t) for t in items))


def report_csv(report: dict[str, Any]) -> str:
    header, rows = _report_table(report)
    return _csv_text(header, rows)


def _xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]], chart_sheet: str | None,
          chart_columns: tuple[int, ...]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True})
    share = book.add_format({"num_format": "0.0%"})
    number = book.add_format({"num_format": "# ##0"})
    decimal = book.add_format({"num_format": "0.0"})
    for name, header, rows in sheets:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(header) - 1, 14)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, float) and header[c].startswith(("Taux", "Appels ", "SMS",
                                                                      "Localisation",
                                                                      "Évaluations")):
                    sheet.write_number(r, c, value, share)
                elif isinstance(value, bool):
                    sheet.write_string(r, c, _french(value))
                elif isinstance(value, int):
                    sheet.write_number(r, c, value, number)
                elif isinstance(value, float):
                    sheet.write_number(r, c, value, decimal)
                else:
                    sheet.write(r, c, _french(value) if isinstance(value, list | tuple)
                                else value)
        if name == chart_sheet and rows:
            chart = book.add_chart({"type": "line"})
            for column in chart_columns:
                chart.add_series({"name": [name, 0, column],
                                  "categories": [name, 1, 0, len(rows), 0],
                                  "values": [name, 1, column, len(rows), column]})
            chart.set_title({"name": "Indicateurs principaux"})
            chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
            sheet.insert_chart(len(rows) + 3, 1, chart, {"x_scale": 2, "y_scale": 1.5})
    book.close()
    return buffer.getvalue()


def report_xlsx(report: dict[str, Any]) -> bytes:
    header, rows = _report_table(report)
    first = 4 + len(STATUSES)
    keys = [ind.key for ind in INDICATORS]
    main = tuple(first + keys.index(k) for k in ("taux_traite", "taux_requete", "taux_abouti",
                                                  "taux_localisation"))
    totals = report["totals"]
    summary = [[ind.label, totals["indicators"][ind.key]["value"], ind.objective]
               for ind in INDICATORS]
    return _xlsx([("Indicateurs", header, rows),
                  ("Totaux", ["Indicateur", "Taux", "Objectif"], summary)],
                 "Indicateurs", main)


def traces_xlsx(items: Iterable[dict[str, Any]]) -> bytes:
    return _xlsx([("Traces", [label for _, label in TRACE_COLUMNS],
                   [_trace_cells(t) for t in items])], None, ())


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (0600: exports hold calls)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def jsonl(items: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
