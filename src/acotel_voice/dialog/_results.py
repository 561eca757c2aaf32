"""Workshops for the ear (tender §5): short sentences, key facts first, and the questions
callers ask during the results answered from the catalogue record (pure functions)."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

from acotel_geo import Found

from ._intents import normalize
from ._messages import Messages
from ._speech import spoken_distance, spoken_price, spoken_time

QUESTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        # "leur téléphone", not "ce téléphone il grésille" (the caller's own phone)
        ("ask_number", r"\bnumero\b|(?<!avec )(?<!par )\b(?:leur|son|votre|un|le) telephone\b"
                       r"(?! (?:il|elle|est|"
                       r"marche|gresille|sonne|coupe))|\bjoindre\b|"
                       r"\bjoins\b|\bappeler qui\b|\bcoordonnees\b"),
        ("ask_register", r"\binscri|\breserver\b|\bvenir comme ca\b|\bsans (?:m )?inscri"),
        ("ask_price", r"\bpayant|\bpayer\b|\bcombien (?:ca|ça) (?:coute|fait)|\bgratuit|"
                      r"\bprix\b|\btarif|\brembours|\bcoute\b"),
        # the arrondissement or the distance: where, even with "le bus" in the sentence
        ("ask_where", r"\bdans le (?:\w+ieme|\d+e)\b|\bquel arrondissement\b|"
                      r"\bcombien de (?:kilometres|km|kilometre)\b|\ba combien d ici\b"),
        ("ask_access", r"\bascenseur|\bfauteuil|\baccessible|\bgarer\b|\bparking|\bcanne\b|"
                       r"\bhandicap|\bbus\b|\bmarche (?:mal|avec)|\bescalier|\b(?:un|le) car\b|"
                       r"\bautocar\b|\bnavette\b"),
        ("ask_bring", r"\bamener\b|\bapporter\b|\btenue\b|\bcertificat\b|\bprevoir\b|"
                      r"\bemmener\b|\bemporter\b|\ben (?:jogging|survetement|baskets)\b|"
                      r"\bcomment (?:s habiller|on s habille)\b"),
        ("ask_eligibility", r"\bc est pour (?:qui|moi)\b|\bj ai \d+ ans\b|\bj ai (?:quatre|"
                            r"quatre-vingt|soixante)\w* ans\b|\bmon (?:mari|epoux) (?:peut|pourra)|"
                            r"\bma (?:femme|soeur|voisine) (?:peut|pourra)|\breserve (?:aux|a)\b|"
                            r"\bouvert a tous\b|\btrop (?:vieux|vieille|"
                            r"age)|\bje peux (?:y aller|venir)|\bpeux y aller\b|\bquand meme\b"),
        ("ask_when", r"\bquand\b|\bquel jour\b|\bquelle heure\b|\ba quelle heure\b|\bmatin\b|"
                     r"\bapres midi\b|\bcombien de (?:seances|fois|semaines)\b|\bca dure\b|"
                     r"\bhoraires?\b|\bquelle date\b|\ble combien\b|\bc etait quel\b|"
                     r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) ou (?:le )?"
                     r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b|"
                     r"\b(?:y en a|il y en a|vous avez|vous en avez|y a) (?:pas |rien |aussi )?"
                     r"(?:le |un |une |en |l )?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|"
                     r"dimanche|matin|apres midi)\b|\bun autre jour\b|"
                     r"\b(?:\w+|\d+) heures? ou (?:\w+|\d+) heures?\b|\bl heure\b|\bmeme jour\b|"
                     r"\b(?:apres|avant) (?:les fetes|noel|le nouvel an)\b|\bquel mois\b|"
                     r"\ben (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
                     r"octobre|novembre|decembre)\b"),
        ("ask_where", r"\bc est ou\b|\bou (?:ca|c est|est ce)\b|\badresse\b|(?<!trop )\bloin\b|"
                      r"\bquelle salle\b|\bgps\b|\by aller\b|\bdans quelle rue\b|"
                      r"\bca se passe ou\b|\ben vrai\b|\bau telephone\b|\ben ligne\b|"
                      r"\ba distance\b|\bou exactement\b|\bsalle\b|\ble nom\b|"
                      r"\bquel quartier\b|\ba l etage\b|\brez de chaussee\b|\bvisio\b|"
                      r"\bse deplacer\b|\bsur place\b"),
        # any other question about the workshop: the organiser will say
        ("ask_other", r"^(?:(?:et|mais|euh|alors) )*si je\b|\bet si (?:je|on|il|elle)\b|"
                      r"\best ce qu (?:on|il|elle|il y)\b|\bon (?:peut|doit)\b|"
                      r"\bc est (?:grave|embetant|genant|possible|oblige|obligatoire)\b|"
                      r"\bca pose (?:un )?(?:probleme|souci)\b|\bfaut il\b|"
                      r"\bil faut (?:etre|avoir)\b"),
    ))


def question_in(text: str) -> str:
    """The kind of question asked about a workshop, or ""."""
    norm = normalize(text)
    for name, pattern in QUESTIONS:
        if pattern.search(norm):
            return name
    return ""


def part_of_day(start: time) -> str:
    return "le matin" if start.hour < 12 else "l'après-midi" if start.hour < 18 else "le soir"


def when_words(day: date, today: date) -> str:
    from ._speech import spoken_day

    delta = (day - today).days
    return "aujourd'hui" if delta == 0 else "demain" if delta == 1 else spoken_day(day)


def where_sentence(m: Messages, w: dict[str, Any], venue: str) -> str:
    if w["remote"]:
        return m.text("present_where_remote")
    address = f"{w['address']}, " if w.get("address") else ""
    return m.text("answer_where", venue=venue, address=address, city=w["city"],
                  distance=spoken_distance(w["distance_km"]))


def answer(m: Messages, question: str, w: dict[str, Any], venue: str, today: date) -> list[str]:
    """The sentences that answer ``question`` about workshop ``w``."""
    day, start, end = w["sessions"][0]
    first, begin = date.fromisoformat(day), time.fromisoformat(start)
    if question == "ask_where":
        return [where_sentence(m, w, venue)]
    if question == "ask_when":
        sentences = [m.text("answer_when", day=when_words(first, today), part=part_of_day(begin),
                            start=spoken_time(begin),
                            end=spoken_time(time.fromisoformat(end)))]
        if len(w["sessions"]) > 1:
            following = ", puis ".join(when_words(date.fromisoformat(s[0]), today)
                                       for s in w["sessions"][1:])
            sentences.append(m.text("answer_next_sessions", days=following))
        return sentences
    if question == "ask_price":
        return [spoken_price(Decimal(w["price"]))]
    if question == "ask_register":
        return [m.text("answer_register", organiser=w["organiser"])]
    if question == "ask_eligibility":
        return [m.text("answer_eligibility")]
    return [m.text("answer_ask_organiser")]  # what to bring, access: the record does not say


def found_dict(found: Found) -> dict[str, Any]:
    """A workshop found, as the call keeps it (plain JSON) to present it and send it."""
    w = found.workshop
    return {
        "id": w.id, "title": w.title, "theme": str(w.theme), "module": w.module,
        "summary": w.summary, "description": w.description, "venue": w.venue,
        "address": w.address, "postcode": w.postcode, "city": w.city, "remote": w.remote,
        "distance_km": found.distance_km, "price": str(w.price), "organiser": w.organiser,
        "contact_phone": w.contact_phone,
        "sessions": [[s.day.isoformat(), s.start.strftime("%H:%M"), s.end.strftime("%H:%M")]
                     for s in found.next_sessions],
    }
