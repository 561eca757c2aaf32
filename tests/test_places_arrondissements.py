"""Arrondissements of Paris, Lyon and Marseille, in the ways callers say them."""

from __future__ import annotations

import pytest

from acotel_geo import Status


@pytest.mark.parametrize(("said", "insee"), [
    ("Marseille huitième", "13208"),
    ("marseille douzième", "13212"),
    ("Marseille 12e", "13212"),
    ("le 12e à Marseille", "13212"),
    ("dans le douzième à Marseille", "13212"),
    ("marseille le huit", "13208"),
    ("marseille cinq", "13205"),
    ("marseille treize", "13213"),
    ("marseille dans le quinzième", "13215"),
    ("le troisième à lyon", "69383"),
    ("j'habite à Lyon, dans le troisième", "69383"),
    ("lyon sept", "69387"),
    ("paris douze", "75112"),
    ("Paris 14e.", "75114"),
    ("paris dix-septième arrondissement", "75117"),
    ("je suis dans le vingtième à paris", "75120"),
])
def test_an_arrondissement_said_with_its_city(resolver, said: str, insee: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best.insee == insee


@pytest.mark.parametrize("said", ["dans le douzième", "le douzième arrondissement"])
def test_a_number_alone_is_asked_about(resolver, said: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.confirm
    offered = {c.insee for c in resolution.candidates}
    assert {"13212", "75112"} <= offered


def test_a_city_alone_stays_the_city(resolver) -> None:
    assert resolver.resolve("Marseille").best.insee == "13055"
    assert resolver.resolve("Paris").best.insee == "75056"
