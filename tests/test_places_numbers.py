"""Spoken postcodes with more than one parse: every parse is weighed by whether the code
exists and is in the experiment's regions, and the caller is asked when two remain."""

from __future__ import annotations

import pytest

from acotel_geo import Status


@pytest.mark.parametrize(("said", "postcode"), [
    ("six quatre cent soixante-dix", "06470"),  # not 64 170 (Pyrénées-Atlantiques)
    ("six deux cent quarante", "06240"),
    ("quatre deux cent vingt", "04220"),
    ("vingt et un mille cinq cent quatre-vingt-dix", "21590"),
    ("vingt et un cinq cent quatre-vingt-dix", "21590"),
    ("quatre-vingt-quatre mille huit cent soixante-dix", "84870"),
    ("trente-quatre mille quatre cent quatre-vingt-dix", "34490"),
    ("soixante et onze mille cinq cent quatre-vingts", "71580"),
    ("vingt deux cent quarante", "20240"),  # Corsica rather than 22 140 (Côtes-d'Armor)
])
def test_the_parse_in_the_regions_wins(resolver, said: str, postcode: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status in (Status.RESOLVED, Status.AMBIGUOUS), resolution
    assert postcode in resolution.best.postcodes, resolution.candidates[:2]


@pytest.mark.parametrize("said", [
    "six quatre cent soixante-dix",  # 06 470 or 64 170
    "vingt deux cent quarante",  # 20 240 or 22 140
])
def test_two_plausible_parses_are_asked_about(resolver, said: str) -> None:
    assert resolver.resolve(said).confirm


@pytest.mark.parametrize("said", [
    "quatre-vingt-quatre mille", "zéro six quatre cent soixante-dix à Péone",
])
def test_one_parse_is_not_asked_about(resolver, said: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED
    assert not resolution.confirm
