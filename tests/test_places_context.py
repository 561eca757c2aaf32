"""Answers that name two places: which one is where the caller lives (or wants the
workshop), and which one is only a landmark or somebody else's town."""

from __future__ import annotations

import pytest

from acotel_geo import Status
from acotel_geo.places._context import breaks, context
from acotel_geo.places._text import answer_tokens


@pytest.mark.parametrize(("said", "insee"), [
    # a landmark: the smaller place is the caller's
    ("à côté de Chartres, à Lucé", "28218"),
    ("j'habite Lucé, à côté de Chartres", "28218"),
    ("Pernes-les-Fontaines, près de Carpentras", "84088"),
    ("je suis à Morières, pas loin d'Avignon", "84081"),
    ("Le Pontet collé à Avignon", "84092"),
    ("à Saint-Jean-de-Braye, dans l'agglomération d'Orléans", "45284"),
    ("à Plan-de-Cuques entre Marseille et Allauch", "13075"),
    ("Chenôve, vers Dijon", "21166"),
    # the landmark settles a homonym
    ("Beaulieu, à côté de Montpellier", "34027"),
    ("Saint-Didier près de Carpentras", "84108"),
    # another person's place, a former home
    ("je suis à Cavaillon, mais mon fils est à Lyon", "84035"),
    ("j'habitais Toulon, maintenant je suis à Hyères", "83069"),
    ("avant j'étais à Nîmes, maintenant j'habite Uzès", "30334"),
    ("j'ai habité à Paris mais maintenant je vis à Gap", "05061"),
    ("Dijon, non pardon, Beaune", "21054"),
    ("Orange, enfin non, Bollène", "84019"),
    # the workshop place is the one asked for
    ("j'habite à Arles, mais je préfère un atelier à Tarascon", "13108"),
    ("je vis à Blois mais l'atelier plutôt à Vendôme", "41269"),
])
def test_the_callers_place_wins(resolver, said: str, insee: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best.insee == insee


@pytest.mark.parametrize("said", [
    "à côté de Chartres, à Lucé", "je suis à Cavaillon, mais mon fils est à Lyon",
])
def test_two_places_are_confirmed(resolver, said: str) -> None:
    assert resolver.resolve(said).confirm


@pytest.mark.parametrize("said", ["près de Nîmes", "à côté d'Avignon", "j'habite Apt"])
def test_a_single_place_stays_itself(resolver, said: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED
    assert not any("autre lieu cité" in why for why in resolution.best.why)


@pytest.mark.parametrize(("said", "aside"), [
    ("à côté de Chartres, à Lucé", ["chartres"]),
    ("lucé à côté de chartres", ["chartres"]),
    ("j'habite à apt mais je descends souvent à cavaillon", ["cavaillon"]),
    ("je vis à Blois mais l'atelier plutôt à Vendôme", ["blois"]),
    ("j'habite à apt", []),
])
def test_the_words_said_aside(said: str, aside: list[str]) -> None:
    tokens = answer_tokens(said)
    content = {i for i, t in enumerate(tokens) if t in ("chartres", "luce", "apt", "cavaillon",
                                                        "blois", "vendome")}
    found = context(tokens, breaks(said, answer_tokens, len(tokens)), content)
    assert sorted(tokens[i] for i in found.secondary & content) == aside
