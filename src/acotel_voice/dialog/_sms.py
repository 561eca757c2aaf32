"""SMS texts that fit the rules: GSM-7 characters only, segments counted, at most two
workshops per message (tender §5.1 "Phase communication SMS")."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

# GSM 03.38 basic character set, and the extension table (2 septets each).
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€")
TRANSLITERATE = {"ê": "e", "ë": "e", "â": "a", "î": "i", "ï": "i", "ô": "o", "û": "u",
                 "ç": "c", "œ": "oe", "Œ": "OE", "’": "'", "«": '"', "»": '"', "–": "-",
                 "—": "-", "È": "E", "Ê": "E", "À": "A", "Â": "A", "Î": "I", "Ô": "O",
                 "Û": "U", "\u00a0": " ", "…": "..."}
MAX_PER_SMS = 2


def to_gsm7(text: str) -> str:
    out = []
    for char in text:
        char = TRANSLITERATE.get(char, char)
        out.append(char if all(c in GSM7 or c in GSM7_EXTENDED for c in char) else "?")
    return "".join(out)


def segments(text: str) -> int:
    """Number of SMS segments of a GSM-7 text (160 septets alone, 153 when split)."""
    septets = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
    return 1 if septets <= 160 else math.ceil(septets / 153)


def workshop_lines(w: dict[str, Any]) -> str:
    """One workshop as presented on the phone (``_results.found_dict``), in one SMS line."""
    day, start, end = w["sessions"][0]
    price = "gratuit" if Decimal(w["price"]) == 0 else f"{w['price']} EUR".replace(".", ",")
    place = "a distance" if w["remote"] else f"{w['venue']}, {w['address']}, {w['city']}"
    return (f"{w['title']} - {date.fromisoformat(day):%d/%m/%Y} {start.replace(':', 'h')}-"
            f"{end.replace(':', 'h')} - {place} - {price} - Inscription : {w['contact_phone']}")


def compose(workshops: list[dict[str, Any]]) -> list[str]:
    """SMS texts for the workshops presented, two at most per SMS."""
    texts = []
    for i in range(0, len(workshops), MAX_PER_SMS):
        chunk = workshops[i:i + MAX_PER_SMS]
        body = "ACOTEL - Vos ateliers :\n" + "\n".join(workshop_lines(w) for w in chunk)
        texts.append(to_gsm7(body + "\nPlus d'infos : pourbienvieillir.fr"))
    return texts
