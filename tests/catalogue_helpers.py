"""Small hand-built workshops for catalogue tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from acotel_geo import Workshop

AIX = (43.5283, 5.4497)


def offset(point: tuple[float, float], km_north: float) -> tuple[float, float]:
    """A point ``km_north`` km north of ``point``."""
    return point[0] + km_north / 111.195, point[1]


def workshop(id: str, at: tuple[float, float] | None, first: date, weeks: int = 1,
             theme: str = "Bien dans mon corps", start: time = time(14, 0),
             **extra: Any) -> Workshop:
    data: dict[str, Any] = {
        "id": id, "title": f"Atelier {id}", "theme": theme, "module": "équilibre",
        "summary": "Résumé.", "description": "Description.",
        "sessions": [{"date": (first + timedelta(weeks=k)).isoformat(),
                      "start": start.strftime("%H:%M"), "end": "16:30"} for k in range(weeks)],
        "venue": "Salle des fêtes", "address": "1 place de la Mairie", "postcode": "13100",
        "city": "Aix-en-Provence", "insee": "13001",
        "lat": at[0] if at else None, "lon": at[1] if at else None,
        "remote": at is None, "price": "0", "organiser": "Club des Jours Heureux",
        "contact_phone": "04 65 71 00 01", "registration": "Par téléphone.",
        "updated_at": datetime(2026, 11, 1).isoformat(),
    }
    data.update(extra)
    return Workshop.from_dict(data)
