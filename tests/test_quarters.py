"""Quarters, sections and hamlets (kind "quarter"): a spoken quarter resolves to its
commune with the quarter's own name and point, and never takes a plain commune answer."""

from __future__ import annotations

import pytest

from acotel_geo import Status


def _quarter(gazetteer, name: str, parent: str):
    return next(p for p in gazetteer.places
                if p.kind == "quarter" and p.name == name and p.parent == parent)


@pytest.mark.parametrize(("text", "insee", "quarter"), [
    ("j'habite à montfavet", "84007", "Montfavet"),
    ("euh montfavet", "84007", "Montfavet"),
    ("à mazargues", "13055", "Mazargues"),
    ("cimiez", "06088", "Cimiez"),
    ("riquier", "06088", "Riquier"),
    ("à l'estaque", "13055", "L'Estaque"),
    ("J'habite le Cap d'Agde.", "34003", "Le Cap d'Agde"),
    ("bonneveine marseille", "13055", "Bonneveine"),
    ("aux moulins à nice", "06088", "Les Moulins"),
    ("montfavet 84140", "84007", "Montfavet"),
])
def test_a_spoken_quarter_resolves_to_its_commune_with_its_own_point(
        resolver, text: str, insee: str, quarter: str) -> None:
    result = resolver.resolve(text)
    assert result.status is Status.RESOLVED
    best = result.best
    assert best.insee == insee
    assert best.matched_name == quarter
    assert best.matched_kind == "quarter"
    place = _quarter(resolver.gazetteer, quarter, insee)
    assert (best.lat, best.lon) == (place.lat, place.lon)
    commune = resolver.gazetteer.by_insee[insee]
    assert (best.lat, best.lon) != (commune.lat, commune.lon)
    assert result.confirm  # "Montfavet, à Avignon, c'est bien ça ?"
    assert any(why.startswith("quartier d") for why in best.why)  # "de Nice", "d'Avignon"


def test_a_homonymous_commune_is_not_stolen_by_a_quarter(resolver) -> None:
    # Saint-Marcel is a quarter of Marseille and the name of several communes.
    alone = resolver.resolve("saint-marcel")
    assert alone.status is Status.AMBIGUOUS
    assert "13055" not in {c.insee for c in alone.candidates}
    in_eure = resolver.resolve("saint-marcel dans l'eure")
    assert in_eure.status is Status.RESOLVED and in_eure.best.insee == "27562"
    assert in_eure.best.matched_name == ""
    # Thiers is a town of the Puy-de-Dôme and a quarter of Nice and of Marseille.
    thiers = resolver.resolve("thiers")
    assert thiers.best.insee == "63430" and thiers.best.matched_name == ""
    assert {c.insee for c in thiers.candidates}.isdisjoint({"06088", "13055"})


def test_a_quarter_said_with_its_town_is_the_quarter(resolver) -> None:
    result = resolver.resolve("saint-marcel à marseille")
    assert result.status is Status.RESOLVED
    assert (result.best.insee, result.best.matched_name) == ("13055", "Saint-Marcel")
    assert resolver.resolve("thiers à nice").best.insee == "06088"


def test_a_postcode_alone_is_the_commune_not_a_quarter(resolver) -> None:
    best = resolver.resolve("84140").best
    assert best.insee == "84007" and best.matched_name == ""


def test_quarters_in_the_gazetteer(resolver) -> None:
    gazetteer = resolver.gazetteer
    quarters = [p for p in gazetteer.places if p.kind == "quarter"]
    assert len(quarters) > 400
    for place in quarters:
        assert place.is_part and not place.is_former
        assert gazetteer.commune_of(place).insee == place.parent == place.insee
        assert place.insee not in gazetteer.by_insee or gazetteer.by_insee[place.insee] \
            is not place
    montfavet = _quarter(gazetteer, "Montfavet", "84007")
    assert montfavet.postcodes == gazetteer.by_insee["84007"].postcodes
    assert gazetteer.by_insee["84007"].kind == "commune"
