"""The workshop model of the "Trouver un atelier" catalogue, and the parsing of its fields.

Every record that enters a snapshot goes through ``Workshop`` and these parsers, whatever
its source (JSON web service, CSV): a bad field raises ``InvalidRecord`` naming it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from sys import intern
from typing import Any

from unidecode import unidecode


class Theme(StrEnum):
    """The four themes of pourbienvieillir.fr (tender §3.2)."""

    AVEC_LES_AUTRES = "Bien avec les autres"
    CHEZ_SOI = "Bien chez soi"
    DANS_SA_TETE = "Bien dans sa tête"
    DANS_MON_CORPS = "Bien dans mon corps"


class InvalidRecord(ValueError):
    """A record that cannot enter the catalogue; the message names the field."""


_THEME_KEYS = {unidecode(t.value).lower(): t for t in Theme}


@lru_cache(maxsize=256)
def _theme(value: str) -> Theme | None:
    key = unidecode(value).lower().strip()
    key = key.replace("bien dans ma tete", "bien dans sa tete").replace(
        "bien dans son corps", "bien dans mon corps")
    return _THEME_KEYS.get(key)


def parse_theme(value: Any) -> Theme:
    theme = _theme(str(value or ""))
    if theme is not None:
        return theme
    key = unidecode(str(value or "")).lower().strip()
    key = key.replace("bien dans ma tete", "bien dans sa tete").replace(
        "bien dans son corps", "bien dans mon corps")
    if key in _THEME_KEYS:
        return _THEME_KEYS[key]
    raise InvalidRecord(f"theme: unknown theme {value!r}")


@lru_cache(maxsize=8192)
def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _iso_time(text: str) -> time | None:
    try:
        return time.fromisoformat(text) if len(text) == 5 else None
    except ValueError:
        return None


def parse_date(value: Any, name: str = "date") -> date:
    """ISO (2026-12-01) or French (01/12/2026, 1/12/26 is refused: the year has 4 digits)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value or "").strip()
    fast = _iso_date(text)  # snapshots: one shared object per day
    if fast is not None:
        return fast
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if "T" in text:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise InvalidRecord(f"{name}: not a date {value!r} (JJ/MM/AAAA or AAAA-MM-JJ)")


def parse_time(value: Any, name: str = "time") -> time:
    fast = _iso_time(value) if isinstance(value, str) else None
    if fast is not None:
        return fast
    text = str(value or "").strip().lower().replace("h", ":").rstrip(":")
    if re.fullmatch(r"\d{1,2}", text):
        text += ":00"
    try:
        return time.fromisoformat(text if len(text) > 4 else "0" + text)
    except ValueError:
        raise InvalidRecord(f"{name}: not a time {value!r} (HH:MM)") from None


def parse_price(value: Any) -> Decimal:
    """0 for free ("gratuit", "", None); "5 €", "5,50", 12 -> euros."""
    text = str(value if value is not None else "").strip().lower()
    if text in ("", "gratuit", "gratuite", "free", "0"):
        return Decimal("0")
    cleaned = text.replace("€", "").replace("eur", "").replace(",", ".").replace(" ", "")
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InvalidRecord(f"price: not an amount {value!r}") from None
    if amount < 0 or amount > 10_000:
        raise InvalidRecord(f"price: out of range {value!r}")
    return amount


def parse_phone(value: Any) -> str:
    """A French number as 10 digits ("04 65 71 12 34", "+33 4 65 71 12 34")."""
    digits = re.sub(r"\D", "", str(value or ""))
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise InvalidRecord(f"contact_phone: not a French phone number {value!r}")
    return digits


@dataclass(frozen=True, slots=True, order=True)
class Session:
    """One dated session of a workshop's cycle."""

    day: date
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidRecord(f"sessions: ends at {self.end} before it starts at {self.start}")


@dataclass(frozen=True, slots=True)
class Workshop:
    """One prevention workshop (a cycle of sessions) of the catalogue."""

    id: str
    title: str
    theme: Theme
    module: str  # mémoire, équilibre, sommeil, nutrition, numérique, habitat...
    summary: str  # short description, said on the phone
    description: str  # full description, said on request
    sessions: tuple[Session, ...]
    venue: str
    address: str
    postcode: str
    city: str
    insee: str
    lat: float | None
    lon: float | None
    remote: bool  # "à distance": no venue to go to
    price: Decimal  # 0 when free
    organiser: str
    contact_phone: str
    registration: str  # how to register, said to the caller
    source_id: str
    updated_at: datetime

    def __post_init__(self) -> None:
        if not self.id or not self.title:
            raise InvalidRecord("id/title: missing")
        if not self.sessions:
            raise InvalidRecord("sessions: a workshop needs at least one dated session")
        if not self.remote and (self.lat is None or self.lon is None):
            raise InvalidRecord("lat/lon: a workshop on site needs a location")
        if self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):  # type: ignore[operator]
            raise InvalidRecord(f"lat/lon: out of range ({self.lat}, {self.lon})")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["theme"] = str(self.theme)
        data["price"] = str(self.price)
        data["updated_at"] = self.updated_at.isoformat()
        data["sessions"] = [
            {"date": s.day.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M")} for s in self.sessions]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], shift_days: int = 0) -> Workshop:
        """Build and validate a workshop from plain values (the snapshot's own format, or
        a mapped source record), its sessions moved by ``shift_days``. Raises
        ``InvalidRecord`` naming the first bad field."""
        shift = timedelta(days=shift_days)
        try:
            sessions = tuple(sorted(
                Session(parse_date(s["date"], "sessions.date") + shift,
                        parse_time(s["start"], "sessions.start"),
                        parse_time(s["end"], "sessions.end"))
                for s in data.get("sessions") or ()))
        except (KeyError, TypeError) as error:
            raise InvalidRecord(f"sessions: malformed ({error})") from None
        lat, lon = data.get("lat"), data.get("lon")
        try:
            lat = None if lat in (None, "") else float(lat)
            lon = None if lon in (None, "") else float(lon)
        except (TypeError, ValueError):
            raise InvalidRecord(f"lat/lon: not numbers ({lat!r}, {lon!r})") from None
        remote = str(data.get("remote", "")).strip().lower() in ("1", "true", "oui", "yes")
        updated = data.get("updated_at") or "1970-01-01T00:00:00"
        try:
            updated_at = updated if isinstance(updated, datetime) else (
                datetime.fromisoformat(str(updated)))
        except ValueError:
            raise InvalidRecord(f"updated_at: not a timestamp {updated!r}") from None
        postcode = str(data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            raise InvalidRecord(f"postcode: not a postcode {postcode!r}")
        def text(key: str) -> str:  # catalogue texts repeat a lot: one copy each
            return intern(str(data.get(key) or "").strip())

        return cls(
            id=str(data.get("id") or "").strip(),
            title=text("title"),
            theme=parse_theme(data.get("theme")),
            module=text("module"),
            summary=text("summary"),
            description=text("description"),
            sessions=sessions,
            venue=text("venue"),
            address=text("address"),
            postcode=intern(postcode),
            city=text("city"),
            insee=str(data.get("insee") or "").strip(),
            lat=lat,
            lon=lon,
            remote=remote,
            price=parse_price(data.get("price")),
            organiser=text("organiser"),
            contact_phone=parse_phone(data.get("contact_phone")),
            registration=text("registration"),
            source_id=str(data.get("source_id") or data.get("id") or "").strip(),
            updated_at=updated_at,
        )
