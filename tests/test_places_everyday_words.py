"""Communes whose name is an everyday French word (La Machine, Quarante, Les Aires,
Choux, La Celle, Orange, Mer...): never refused for it, told apart by the way they are
said — a carrier phrase ("j'habite à"), an article ("au Charme", "aux Rousses"), a
department — while the same words in ordinary sentences stay no place."""

from __future__ import annotations

import pytest

from acotel_geo import Status


@pytest.mark.parametrize(("said", "insee"), [
    ("j'habite à la machine", "58151"),
    ("à La Machine dans la Nièvre", "58151"),
    ("La Machine", "58151"),
    ("à quarante", "34226"),
    ("j'habite à Quarante", "34226"),
    ("Quarante dans l'Hérault", "34226"),
    ("j'habite aux aires", "34008"),
    ("Les Aires dans l'Hérault", "34008"),
    ("je suis à choux", "39151"),
    ("Choux dans le Jura", "39151"),
    ("aux choux", "45096"),
    ("Les Choux dans le Loiret", "45096"),
    ("au charme", "45079"),
    ("j'habite au Charme", "45079"),
    ("aux rousses", "39470"),
    ("j'habite aux Rousses", "39470"),
    ("la côte en haute-saône", "70178"),
    ("j'habite à la Côte, en Haute-Saône", "70178"),
    ("buisson", "84022"),
    ("j'habite à Buisson", "84022"),
    ("à la celle dans le var", "83037"),
    ("La Celle dans le Cher", "18042"),
    ("j'habite à Orange", "84087"),
    ("à mer", "41136"),
    ("à sens dans l'Yonne", "89387"),
    ("poil dans la nièvre", "58211"),
    ("à la grave", "05063"),
])
def test_an_everyday_word_town_is_found(resolver, said: str, insee: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best.insee == insee


@pytest.mark.parametrize("said", [
    "c'est une machine", "je parle à une machine", "vous êtes une machine ?",
    "j'ai quarante ans", "quarante euros", "la mer", "à la montagne", "je mange des choux",
    "c'est du charme", "il fait beau", "ma fille", "je me sens seule",
])
def test_the_same_words_in_a_sentence_are_no_place(resolver, said: str) -> None:
    assert resolver.resolve(said).status is Status.NOT_FOUND, resolver.resolve(said).candidates
