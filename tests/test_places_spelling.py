"""Town names spelled letter by letter, as callers do when they are not understood."""

from __future__ import annotations

import pytest

from acotel_geo import Status
from acotel_geo.places._spelling import join_spelled
from acotel_geo.places._text import tokenize


@pytest.mark.parametrize(("said", "tokens"), [
    ("C A V A I L L O N", ["cavaillon"]),
    ("c a v a i l l o n", ["cavaillon"]),
    ("C. A. V. A. I. L. L. O. N.", ["cavaillon"]),
    ("cé a vé a i deux l o n", ["cavaillon"]),
    ("A-P-T-É", ["apte"]),
    ("ça s'écrit bé é zed i e èr èss", ["ca", "s", "ecrit", "beziers"]),
    ("èss a i ène té tiret èm a ix i èm e", ["saint", "maxime"]),
    ("èss a i ène té trait d'union ji e a ène", ["saint", "jean"]),
    ("i grec e u ène e", ["yeune"]),
    ("double vé i èl èl e", ["wille"]),
    ("dé o l e accent grave", ["dole"]),
    # a spelling that repeats the name said is dropped
    ("Carpentras, je vous épelle c a r p e n t r a s", ["carpentras", "je", "vous", "epelle"]),
    ("lons le saunier l o n s", ["lons", "le", "saunier"]),
    # ordinary answers keep their words
    ("c'est à Apt", ["c", "est", "a", "apt"]),
    ("j'y vais le 12e", ["j", "y", "vais", "le", "12", "e"]),
    ("qu'il y a", ["qu", "il", "y", "a"]),
])
def test_spelled_letters_become_words(said: str, tokens: list[str]) -> None:
    assert join_spelled(tokenize(said)) == tokens


@pytest.mark.parametrize(("said", "insee"), [
    ("C A V A I L L O N", "84035"),
    ("c a v a i l l o n", "84035"),
    ("cé a vé a i deux l o n", "84035"),
    ("euh c'est p e r t u i s", "84089"),
    ("ça s'écrit bé é zed i e èr èss", "34032"),
    ("èss a i ène té e tiret èm a ix i èm e", "83115"),
    ("Manosque, ça s'écrit èm a ène o èss ku u e", "04112"),
    ("èm a accent circonflexe cé o ène", "71270"),
    ("g i e n", "45155"),
    ("dans le Loiret, g i e n", "45155"),
])
def test_a_spelled_name_is_resolved(resolver, said: str, insee: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert resolution.best.insee == insee
