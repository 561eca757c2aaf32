"""Spoken French postcodes: every way a caller says one."""

from __future__ import annotations

import pytest

from acotel_geo.places._numbers import read_numbers, words_value
from acotel_geo.places._text import name_tokens


def best(utterance: str) -> str:
    return read_numbers(name_tokens(utterance))[0].digits


@pytest.mark.parametrize(("said", "postcode"), [
    ("un trois un zéro zéro", "13100"),
    ("treize cent", "13100"),
    ("treize cents", "13100"),
    ("quatre-vingt-trois quatre cents", "83400"),
    ("quatre vingt trois quatre cent", "83400"),
    ("treize zéro zéro un", "13001"),
    ("treize mille cent", "13100"),
    ("quatre-vingt-quatre mille", "84000"),
    ("vingt et un mille", "21000"),
    ("13 100", "13100"),
    ("13-100", "13100"),
    ("13.100", "13100"),
    ("1 3 1 0 0", "13100"),
    ("euh alors c'est le treize cent", "13100"),
    ("mon code postal c'est le 84000", "84000"),
    ("six mille deux cents", "06200"),
    ("zéro six deux cents", "06200"),
    ("zéro quatre cent", "04100"),
    ("soixante et onze cent", "71100"),
    ("soixante-dix-huit trois cents", "78300"),
    ("quatre vingt quatre deux cent dix", "84210"),
    ("trente-quatre mille", "34000"),
    ("dix-huit mille", "18000"),
    ("quarante-cinq mille", "45000"),
    ("nonante-neuf", "99"),
    ("treize", "13"),
])
def test_spoken_postcode(said: str, postcode: str) -> None:
    assert best(said) == postcode


def test_a_spoken_form_with_two_parses_keeps_both() -> None:
    readings = {r.digits: r.weight for r in read_numbers(name_tokens("vingt deux cent quarante"))}
    assert readings["20240"] == readings["22140"] == 1.0


def test_an_article_is_not_a_number() -> None:
    assert read_numbers(name_tokens("je voudrais un atelier")) == []


@pytest.mark.parametrize(("words", "value"), [
    (("quatre", "vingt", "dix", "sept"), 97),
    (("soixante", "et", "onze"), 71),
    (("deux", "cent", "quarante"), 240),
    (("mille", "deux", "cents"), 1200),
    (("vingt", "vingt"), None),
    (("deux", "trois"), None),
    (("cent", "zero"), None),
])
def test_words_value(words: tuple[str, ...], value: int | None) -> None:
    parsed = words_value(words)
    assert (parsed[0] if parsed else None) == value
