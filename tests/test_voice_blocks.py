"""The voice side's building blocks: caller numbers, spoken French, SMS rules, wording."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from acotel_voice.dialog._messages import MessageError, Messages
from acotel_voice.dialog._phone import Origin, mask, mask_text, national, origin
from acotel_voice.dialog._sms import compose, segments, to_gsm7
from acotel_voice.dialog._speech import (
    phone_pairs,
    plain,
    spoken_day,
    spoken_distance,
    spoken_price,
    spoken_time,
    ssml,
)


@pytest.mark.parametrize(("number", "kind"), [
    ("0612345678", Origin.MOBILE), ("+33 7 81 23 45 67", Origin.MOBILE),
    ("0033612345678", Origin.MOBILE), ("0465711234", Origin.LANDLINE),
    ("01 99 00 12 34", Origin.LANDLINE), ("+44 20 7946 0958", Origin.OTHER),
    ("", Origin.OTHER), ("anonymous", Origin.OTHER), ("0972123456", Origin.LANDLINE),
])
def test_caller_origin(number, kind) -> None:
    assert origin(number) is kind


def test_numbers_are_masked_on_their_last_four_digits() -> None:
    assert mask("0612345678") == "061234XXXX"
    assert national("+33 6 12 34 56 78") == "0612345678"
    assert mask_text("rappelez-moi au 06 12 34 56 78 svp") == "rappelez-moi au 061234XXXX svp"


def test_spoken_dates_hours_prices_distances() -> None:
    assert spoken_day(date(2026, 12, 1)) == "mardi 1er décembre"
    assert spoken_day(date(2026, 12, 2)) == "mercredi 2 décembre"
    assert spoken_time(time(14, 30)) == "14 heures 30"
    assert spoken_time(time(9, 0)) == "9 heures"
    assert spoken_time(time(12, 0)) == "midi"
    assert spoken_price(Decimal("0")) == "C'est gratuit."
    assert spoken_price(Decimal("12.50")) == "La participation est de 12 euros 50."
    assert spoken_distance(0.4) == "à moins d'un kilomètre de chez vous"
    assert spoken_distance(3.6) == "à environ 4 kilomètres de chez vous"


def test_phone_numbers_are_read_in_pairs_slowly() -> None:
    assert phone_pairs("0465711234") == "04 65 71 12 34"
    assert plain("appelez le [tel:0465711234].") == "appelez le 04 65 71 12 34."
    document = ssml(["Appelez le [tel:0465711234]."], slow=True)
    assert document.count('<break time="300ms"/>') == 4 and 'rate="75%"' in document
    assert "<speak>" in ssml(["Tom & Jerry"]) and "&amp;" in ssml(["Tom & Jerry"])


def test_sms_are_gsm7_with_two_workshops_at_most() -> None:
    from catalogue_helpers import AIX, workshop

    from acotel_geo import Found, Session
    from acotel_voice.dialog._results import found_dict

    w = workshop("a", AIX, date(2026, 12, 8), title="Atelier mémoire à l'Hôtel-Dieu")
    found = found_dict(Found(w, 1.0, (Session(date(2026, 12, 8), time(14, 0), time(16, 0)),)))
    texts = compose([found, found, found])
    assert len(texts) == 2
    assert texts[0].count("Inscription") == 2 and texts[1].count("Inscription") == 1
    for text in texts:
        assert to_gsm7(text) == text and "?" not in text
        assert segments(text) <= 3
    assert to_gsm7("être à l'hôpital, ça œuvre") == "etre à l'hopital, ca oeuvre"
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("€" * 80) == 1


def test_every_sentence_lives_in_the_message_files() -> None:
    messages = Messages()
    assert messages.text("confirm_location", name="Aix-en-Provence",
                         department_phrase="dans les Bouches-du-Rhône").startswith("Vous habitez")
    with pytest.raises(MessageError, match="needs"):
        messages.text("confirm_location")
    with pytest.raises(MessageError, match="no sentence"):
        messages.text("nope")


def test_regions_override_their_contact() -> None:
    assert "Sud-Est" in Messages("sud-est").text("regional_contact")
    assert "Bourgogne" in Messages("bourgogne-franche-comte").text("regional_contact")
    assert "caisse de retraite" in Messages("autre").text("regional_contact")
