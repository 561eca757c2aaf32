"""Caller numbers: French mobile or not (SMS is for 06/07 only), and masked for logs."""

from __future__ import annotations

import re
from enum import StrEnum

import phonenumbers


class Origin(StrEnum):
    """Tender §6.2 "taux origine appelant"."""

    MOBILE = "mobile"
    LANDLINE = "fixe"
    OTHER = "autre"


def origin(number: str) -> Origin:
    """The tender's rule (§5.1): a French 06 or 07 number is a mobile; 01 to 05 and 09
    (internet boxes) are landlines; anything else, or no number, is "autre"."""
    try:
        parsed = phonenumbers.parse(number or "", "FR")
    except phonenumbers.NumberParseException:
        return Origin.OTHER
    national = str(parsed.national_number)
    if parsed.country_code != 33 or len(national) != 9:
        return Origin.OTHER
    if national[0] in "67":
        return Origin.MOBILE
    return Origin.LANDLINE if national[0] in "123459" else Origin.OTHER


def national(number: str) -> str:
    """0612345678 form of a French number ("+33 6 12 34 56 78"), else the digits."""
    try:
        parsed = phonenumbers.parse(number or "", "FR")
        if parsed.country_code == 33:
            return "0" + str(parsed.national_number)
    except phonenumbers.NumberParseException:
        pass
    return re.sub(r"\D", "", number or "")


def mask(number: str) -> str:
    """Last 4 digits hidden: "0612345678" -> "061234XXXX" (logs, traces, exports)."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) <= 4:
        return "X" * len(digits)
    return digits[:-4] + "XXXX"


_NUMBERS = re.compile(r"(?<!\d)(?:\+?\d[\d .-]{7,}\d)")


def mask_text(text: str) -> str:
    """Every phone-like number in a free text masked (transcripts kept for evaluations)."""
    return _NUMBERS.sub(lambda m: mask(m.group()), text)
