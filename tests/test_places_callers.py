"""Answers of simulated callers that went wrong, through the public ``resolve``: the first
part of a hyphenated name, a region after a town, a compound name missing a middle word,
the place brought by "je suis à", a spelled name next to a landmark, a nationality."""

from __future__ import annotations

import pytest

from acotel_geo import Status, resolve

# The caller's commune, resolved (a confirmation may follow).
RESOLVED = [
    # the first part of a hyphenated town's name
    ("louhans", "71263"),
    ("j'habite à Louhans", "71263"),
    # a region (pays) after the town locates it; it is not a second town
    ("louhans en bresse", "71263"),
    ("j'habite Louhans en Bresse", "71263"),
    ("Romorantin en Sologne", "41194"),
    ("Salon en Provence", "13103"),
    # a compound name said without one of its middle words
    ("cosne sur loire", "58086"),
    ("j'habite à Cosne-sur-Loire", "58086"),
    # the place brought by "je suis à", "j'habite" wins over a place mentioned later
    ("je suis à toulouse en occitanie on m'a dit que c'était la même région que "
     "montpellier maintenant", "31555"),
    ("j'habite à Dijon, ma soeur dit que Beaune c'est plus joli", "21231"),
    ("je vis à Gap et l'hiver il neige autant qu'à Briançon", "05061"),
    # a name spelled letter by letter is the place; "à côté de Nîmes" is a hint
    ("u z è s à côté de nîmes", "30334"),
    ("c a v a i l l o n à côté d'Avignon", "84035"),
    # exact names still win
    ("Lézignan-Corbières", "11203"),
    ("Aix", "13001"),
    ("Corbières", "11100"),
]


@pytest.mark.parametrize(("said", "insee"), RESOLVED)
def test_the_callers_commune_is_found(said: str, insee: str) -> None:
    resolution = resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best is not None and resolution.best.insee == insee


# The caller is asked which one, the town most callers mean first.
OFFERED_FIRST = [
    ("lézignan", "11203", {"34136", "65271"}),
    ("j'habite à Lézignan", "11203", {"34136"}),
]


@pytest.mark.parametrize(("said", "first", "others"), OFFERED_FIRST)
def test_the_biggest_town_of_that_first_name_is_offered_first(
        said: str, first: str, others: set[str]) -> None:
    resolution = resolve(said)
    assert resolution.status is Status.AMBIGUOUS, resolution.candidates[:3]
    assert resolution.best is not None and resolution.best.insee == first
    assert others <= {c.insee for c in resolution.candidates}


@pytest.mark.parametrize(("said", "insee", "quarter"), [
    ("j'habite à Marseille quartier Mazargues", "13055", "Mazargues"),
    ("j'habite à Nice, à Cimiez", "06088", "Cimiez"),
])
def test_a_quarter_after_the_town_said_stays_the_callers(said: str, insee: str,
                                                        quarter: str) -> None:
    resolution = resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best is not None
    assert (resolution.best.insee, resolution.best.matched_name) == (insee, quarter)


@pytest.mark.parametrize("said", [
    "j'habite à monaco je suis française",
    "je suis français",
    "je suis francaise",
])
def test_a_nationality_is_no_commune(said: str) -> None:
    assert resolve(said).status is Status.NOT_FOUND
