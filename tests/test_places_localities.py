"""Localities and parts of towns that callers give as where they live: La Poste's delivery
localities ("CANNES LA BOCCA"), former communes merged without being communes déléguées
(GeoNames' postal places: Nods, Chauffayer), and a part of a town the gazetteer does not
hold, said with its town ("Saint-Cyprien à Toulouse")."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from acotel_geo import Status

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dlat, dlon = lat2 - lat1, math.radians(b[1] - a[1])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# Real French forms: what a caller says, the commune, the locality's name in the gazetteer.
LA_POSTE = [
    ("J'habite à La Bocca.", "06029", "La Bocca"),  # CANNES LA BOCCA
    ("cannes la bocca", "06029", "La Bocca"),
    ("les issambres", "83107", "Les Issambres"),  # Roquebrune-sur-Argens
    ("à puyricard", "13001", "Puyricard"),  # Aix-en-Provence
    ("les milles", "13001", "Les Milles"),
    ("salin de giraud", "13004", "Salin de Giraud"),  # Arles
    ("je suis à mas thibert", "13004", "Mas Thibert"),
    ("entressen", "13047", "Entressen"),  # Istres
    ("agay", "83118", "Agay"),  # Saint-Raphaël
    ("lavera à martigues", "13056", "Lavera"),
    ("mezzavia", "2A004", "Mezzavia"),  # Ajaccio
    ("la plaine des cafres", "97422", "La Plaine des Cafres"),  # Le Tampon
    ("valence d'agen", "82186", "Valence d'Agen"),  # the commune's longer name
]
POSTAL_PLACES = [
    ("nods dans le doubs", "25424", "Nods"),  # Les Premiers Sapins
    ("chauffayer dans les hautes-alpes", "05039", "Chauffayer"),  # Aubessagne
    ("à dionay", "38359", "Dionay"),  # Saint-Antoine-l'Abbaye
    ("moval", "90068", "Moval"),  # Meroux-Moval
]


@pytest.mark.parametrize(("text", "insee", "name"), LA_POSTE + POSTAL_PLACES)
def test_a_locality_resolves_to_its_commune_with_a_point_inside(
        resolver, text: str, insee: str, name: str) -> None:
    result = resolver.resolve(text)
    assert result.status is Status.RESOLVED, result.candidates[:3]
    best = result.best
    assert (best.insee, best.matched_name, best.matched_kind) == (insee, name, "quarter")
    assert result.confirm  # "La Bocca, à Cannes, c'est bien ça ?"
    commune = resolver.gazetteer.by_insee[insee]
    assert _km((best.lat, best.lon), (commune.lat, commune.lon)) <= 15.0
    assert any(why.startswith("quartier d") for why in best.why)


def test_la_poste_labels_that_are_no_locality_are_not_quarters(resolver) -> None:
    gazetteer = resolver.gazetteer
    quarters = {(p.parent, p.name.lower()) for p in gazetteer.places if p.kind == "quarter"}
    # A neighbour's post office (MIRAMAS for part of Istres, PARIS for part of Issy),
    # the commune's own name abbreviated (QUINT for Quint-Fonsegrives), an air base.
    for parent, name in [("13047", "miramas"), ("92040", "paris"), ("31445", "quint"),
                         ("17308", "rochefort air"), ("13047", "istres-air")]:
        assert (parent, name) not in quarters
    # A plain word said alone is still the town, not the locality.
    assert resolver.resolve("miramas").best.insee == "13063"
    assert resolver.resolve("luynes").best.insee == "37139"  # not Aix's Luynes


@pytest.mark.parametrize(("text", "insee", "part"), [
    ("saint-cyprien à toulouse", "31555", "saint cyprien"),  # communes in 66, 42, 24...
    ("la bastide à bordeaux", "33063", "la bastide"),  # communes in 83, 66
    ("pont de crau à arles", "13004", "pont de crau"),
    ("j'habite à montchat à lyon", "69123", "montchat"),
])
def test_a_part_said_with_its_town_is_the_town(resolver, text: str, insee: str,
                                               part: str) -> None:
    result = resolver.resolve(text)
    assert result.status is Status.RESOLVED
    assert result.best.insee == insee
    assert result.confirm
    assert any(f"« {part} » : un quartier" in why for why in result.best.why)


def test_a_known_part_or_a_near_commune_is_not_an_unknown_part(resolver) -> None:
    # Les Moulins is a quarter of Nice: the quarter, not "a part we do not know".
    moulins = resolver.resolve("aux moulins à nice").best
    assert (moulins.insee, moulins.matched_name) == ("06088", "Les Moulins")
    # Caissargues lies next to Nîmes: no unknown part of Nîmes.
    near = resolver.resolve("caissargues à nîmes")
    assert not any("un quartier" in why for c in near.candidates for why in c.why)
    # Spoken postcode digits before "à" are no part of the town.
    assert resolver.resolve("zéro six quatre cent soixante-dix à Péone").best.why[-1:] != (
        "« zero six » : un quartier de Péone ?",)


def test_a_word_said_alone_that_sounds_like_a_big_town(resolver) -> None:
    troyes = resolver.resolve("troie")
    assert troyes.status is Status.RESOLVED and troyes.best.insee == "10387"
    assert troyes.confirm
    assert resolver.resolve("je marche avec une canne").status is Status.NOT_FOUND
    assert resolver.resolve("je comprends rien").status is Status.NOT_FOUND
    saint_malo = resolver.resolve("saint malot")  # not Saint-Malo-en-Donziois
    assert saint_malo.best.insee == "35288" and saint_malo.confirm


@pytest.fixture(scope="module")
def localities_module():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import gazetteer_localities
    finally:
        sys.path.remove(str(SCRIPTS))
    return gazetteer_localities


def _commune(insee: str, name: str, department: str, point: tuple[float, float],
             kind: str = "commune", parent: str = "") -> dict[str, object]:
    return {"insee": insee, "name": name, "kind": kind, "parent": parent,
            "department": department, "postcodes": [], "population": 1000,
            "point": point, "source": ""}


def test_the_build_reads_la_poste_labels(localities_module) -> None:
    from acotel_geo.places._text import name_key, strip_article

    def place_key(name: str) -> str:
        return name_key(" ".join(strip_article(name_key(name).split())))

    records = [
        _commune("06029", "Cannes", "06", (43.55, 7.01)),
        _commune("13047", "Istres", "13", (43.51, 4.99)),
        _commune("13063", "Miramas", "13", (43.58, 5.0)),
        _commune("31445", "Quint-Fonsegrives", "31", (43.58, 1.53)),
        _commune("82186", "Valence", "82", (44.11, 0.89)),
        _commune("01112", "Condamine", "01", (46.11, 5.55)),
        _commune("97415", "Saint-Paul", "974", (-21.01, 55.27)),
        _commune("93066", "Saint-Denis", "93", (48.94, 2.35)),
    ]
    geonames = [{"postal_code": "06150", "city": "Cannes La Bocca", "latitude": 43.55,
                 "longitude": 6.98}]
    deliveries = [
        ("06150", "06029", "CANNES LA BOCCA"),  # the town's name taken off
        ("06150", "06029", "CANNES CEDEX"),
        ("13140", "13047", "MIRAMAS"),  # a neighbour's post office
        ("13118", "13047", "ENTRESSEN"),
        ("13128", "13047", "ISTRES-AIR"),  # an air base
        ("31130", "31445", "QUINT"),  # the commune's name, cut
        ("82400", "82186", "VALENCE D AGEN"),  # a complement: the whole name
        ("01430", "01112", "CONDAMINE-LA-DOYE"),  # one name, hyphenated
        ("97411", "97415", "BOIS DE NEFLES SAINT PAUL"),  # the town's name after
        ("93210", "93066", "ST DENIS LA PLAINE"),  # an article GeoNames does not confirm
    ]
    found, sources = localities_module.localities(
        records, geonames, [], deliveries, place_key, ["nèfles", "plaine"])
    names = {(r["insee"], r["name"]) for r in found}
    assert names == {("06029", "La Bocca"), ("13047", "Entressen"),
                     ("82186", "Valence d'Agen"), ("01112", "Condamine-la-Doye"),
                     ("97415", "Bois de Nèfles"), ("93066", "Saint-Denis la Plaine")}
    bocca = next(r for r in found if r["name"] == "La Bocca")
    assert bocca["point"] == (43.55, 6.98) and bocca["kind"] == "quarter"
    assert bocca["source"] == "la poste, point: geonames postcode"
    assert sources["locality left out: another commune's name nearby"] == 1
    assert sources["locality left out: CEDEX, post office or air base"] == 2
