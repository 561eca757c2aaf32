"""CSV import and export of the catalogue, as French spreadsheet users expect it:
UTF-8 with BOM, ``;`` separator, decimal commas, dates as JJ/MM/AAAA.

Sessions fit one cell: ``JJ/MM/AAAA HH:MM-HH:MM`` separated by `` | ``. Export then import
gives back the same workshops.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ._model import InvalidRecord, Workshop

COLUMNS = ("id", "title", "theme", "module", "summary", "description", "sessions", "venue",
           "address", "postcode", "city", "insee", "lat", "lon", "remote", "price",
           "organiser", "contact_phone", "registration", "source_id", "updated_at")
SESSION_SEPARATOR = " | "


def _french_number(value: float | None) -> str:
    return "" if value is None else repr(value).replace(".", ",")


def workshop_row(workshop: Workshop) -> dict[str, str]:
    sessions = SESSION_SEPARATOR.join(
        f"{s.day:%d/%m/%Y} {s.start:%H:%M}-{s.end:%H:%M}" for s in workshop.sessions)
    return {
        "id": workshop.id, "title": workshop.title, "theme": str(workshop.theme),
        "module": workshop.module, "summary": workshop.summary,
        "description": workshop.description, "sessions": sessions, "venue": workshop.venue,
        "address": workshop.address, "postcode": workshop.postcode, "city": workshop.city,
        "insee": workshop.insee, "lat": _french_number(workshop.lat),
        "lon": _french_number(workshop.lon), "remote": "oui" if workshop.remote else "non",
        "price": str(workshop.price).replace(".", ","), "organiser": workshop.organiser,
        "contact_phone": workshop.contact_phone, "registration": workshop.registration,
        "source_id": workshop.source_id, "updated_at": workshop.updated_at.isoformat(),
    }


def export_csv(workshops: Iterable[Workshop], path: str | os.PathLike[str]) -> int:
    """Write the workshops to ``path`` (atomically); returns how many."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        for workshop in workshops:
            writer.writerow(workshop_row(workshop))
            count += 1
    tmp.replace(target)
    return count


def _sessions(cell: str) -> list[dict[str, str]]:
    sessions = []
    for part in filter(None, (p.strip() for p in cell.split("|"))):
        try:
            day, hours = part.split(" ", 1)
            start, end = hours.replace(" ", "").split("-", 1)
        except ValueError:
            raise InvalidRecord(
                f"sessions: {part!r} is not 'JJ/MM/AAAA HH:MM-HH:MM'") from None
        sessions.append({"date": day, "start": start, "end": end})
    return sessions


def read_csv(path: str | os.PathLike[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Records of a CSV file, each with its line number ("ligne 3"). A ``,``-separated file
    is accepted too. Rows that cannot be read become records that fail validation."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"id", "title", "theme", "sessions"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidRecord(f"header: missing columns {sorted(missing)}")
    for row in reader:
        where = f"ligne {reader.line_num}"
        record: dict[str, Any] = {k: (v or "").strip() for k, v in row.items() if k}
        try:
            record["sessions"] = _sessions(record.get("sessions", ""))
        except InvalidRecord as error:
            record["sessions"], record["_error"] = [], str(error)
        for key in ("lat", "lon"):
            record[key] = record.get(key, "").replace(",", ".")
        yield where, record
