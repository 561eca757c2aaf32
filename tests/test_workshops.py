"""Fields of the catalogue as sources write them, and the clear errors for bad ones."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from catalogue_helpers import AIX, workshop

from acotel_geo import InvalidRecord, Theme
from acotel_geo.catalogue._model import (
    parse_date,
    parse_phone,
    parse_price,
    parse_theme,
    parse_time,
)


@pytest.mark.parametrize(("text", "day"), [
    ("2026-12-01", date(2026, 12, 1)), ("01/12/2026", date(2026, 12, 1)),
    ("1/12/2026", date(2026, 12, 1)), ("01-12-2026", date(2026, 12, 1)),
    ("2026-12-01T14:00:00", date(2026, 12, 1)),
])
def test_dates_french_or_iso(text, day) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["", "32/12/2026", "12/2026", "demain", "01/12/26"])
def test_bad_dates_name_the_field(text) -> None:
    with pytest.raises(InvalidRecord, match=r"sessions\.date"):
        parse_date(text, "sessions.date")


@pytest.mark.parametrize(("text", "value"), [("14:30", time(14, 30)), ("14h30", time(14, 30)),
                                             ("9h", time(9, 0)), ("9:05", time(9, 5))])
def test_times(text, value) -> None:
    assert parse_time(text) == value


@pytest.mark.parametrize(("text", "amount"), [
    ("gratuit", Decimal("0")), ("", Decimal("0")), (None, Decimal("0")), ("5 €", Decimal("5")),
    ("12,50", Decimal("12.50")), (30, Decimal("30")), ("20 EUR", Decimal("20")),
])
def test_prices(text, amount) -> None:
    assert parse_price(text) == amount


def test_bad_price_and_phone() -> None:
    with pytest.raises(InvalidRecord, match="price"):
        parse_price("cher")
    with pytest.raises(InvalidRecord, match="contact_phone"):
        parse_phone("12 34")
    assert parse_phone("+33 4 65 71 12 34") == "0465711234"


def test_themes_in_the_sites_own_words() -> None:
    assert parse_theme("Bien dans son corps") is Theme.DANS_MON_CORPS
    assert parse_theme("bien dans ma tete") is Theme.DANS_SA_TETE
    with pytest.raises(InvalidRecord, match="theme"):
        parse_theme("Bien au soleil")


def test_a_workshop_needs_sessions_and_a_place() -> None:
    with pytest.raises(InvalidRecord, match="sessions"):
        workshop("w1", AIX, date(2026, 12, 1), sessions=[])
    with pytest.raises(InvalidRecord, match="lat/lon"):
        workshop("w1", AIX, date(2026, 12, 1), lat=None, lon=None)
    with pytest.raises(InvalidRecord, match="before it starts"):
        workshop("w1", AIX, date(2026, 12, 1),
                 sessions=[{"date": "2026-12-01", "start": "16:00", "end": "14:00"}])


def test_round_trip_through_plain_values() -> None:
    original = workshop("w1", AIX, date(2026, 12, 1), weeks=3, price="12,50")
    assert type(original).from_dict(original.to_dict()) == original
