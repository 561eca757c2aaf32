"""Dates, hours, prices, distances and phone numbers written to be spoken, and SSML that
speaks slowly with pauses (callers are elderly: rate below normal, breaks between ideas)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from html import escape

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
NORMAL_RATE, SLOW_RATE = "90%", "75%"


def spoken_day(day: date) -> str:
    """"mardi 2 décembre" ("1er" for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"


def spoken_time(moment: time) -> str:
    """"14 heures", "14 heures 30", "midi"."""
    if moment.hour == 12 and moment.minute == 0:
        return "midi"
    hours = f"{moment.hour} heure" + ("s" if moment.hour > 1 else "")
    return hours if moment.minute == 0 else f"{hours} {moment.minute:02d}"


def spoken_price(price: Decimal) -> str:
    if price == 0:
        return "C'est gratuit."
    euros, cents = divmod(int(price * 100), 100)
    amount = f"{euros} euro" + ("s" if euros > 1 else "") + (f" {cents:02d}" if cents else "")
    return f"La participation est de {amount}."


def spoken_distance(km: float | None) -> str:
    if km is None:
        return "à distance, depuis chez vous"
    if km < 1:
        return "à moins d'un kilomètre de chez vous"
    rounded = round(km)
    return f"à environ {rounded} kilomètre{'s' if rounded > 1 else ''} de chez vous"


def phone_pairs(number: str) -> str:
    """"04 65 71 12 34": a French number read in pairs of digits."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) <= 3:  # 15, 112: said as one number
        return digits
    return " ".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def ssml(sentences: list[str], slow: bool = False) -> str:
    """One SSML document: each sentence followed by a pause; phone numbers (marked with
    ``[tel:...]``) read pair by pair with a short break between pairs."""
    parts = []
    for sentence in sentences:
        text = escape(sentence)
        while "[tel:" in text:
            start = text.index("[tel:")
            end = text.index("]", start)
            pairs = phone_pairs(text[start + 5:end]).split()
            spoken = '<break time="300ms"/>'.join(
                f'<say-as interpret-as="characters">{p}</say-as>' if p.startswith("0")
                else p for p in pairs)
            text = text[:start] + spoken + text[end + 1:]
        parts.append(f'{text}<break time="600ms"/>')
    rate = SLOW_RATE if slow else NORMAL_RATE
    return f'<speak><prosody rate="{rate}">{"".join(parts)}</prosody></speak>'


def plain(sentence: str) -> str:
    """The text form of a sentence: phone markers become digit pairs."""
    while "[tel:" in sentence:
        start = sentence.index("[tel:")
        end = sentence.index("]", start)
        sentence = sentence[:start] + phone_pairs(sentence[start + 5:end]) + sentence[end + 1:]
    return sentence
