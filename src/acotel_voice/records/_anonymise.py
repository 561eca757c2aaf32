"""Anonymising what callers said before it is kept (RGPD annex, tender §6.3): names,
street addresses, phone numbers (digits or words), e-mails, dates of birth, social
security and other identifiers are replaced by a tag; towns, postcodes and workshop
words are kept, since the verbatims are read to improve the service.

A pipeline of small rules, each ``(text) -> text``, applied in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NUMBER_WORDS = (
    "zéro|zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    "quatorze|quinze|seize|vingt|vingts|trente|quarante|cinquante|soixante|cent|cents|mille|et")
_NW = rf"(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))*(?![\w-])"

_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\s+(?:point|tiret|underscore)\s+[\w-]+)*\s+(?:arobase|arrobase|at)\s+"
    r"[\w-]+(?:\s+point\s+[\w-]+)+", re.IGNORECASE)
_NIR = re.compile(r"\b[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}"
                  r"(?:[\s.]?\d{2})?\b")
_PHONE_DIGITS = re.compile(r"(?:\+\d{2}[\s.]?|\b0)\d(?:[\s.-]?\d{2}){4}\b|\b\d{10}\b")
# Spoken phone: "zéro six douze trente-quatre…" (a leading zero, then 4+ number words).
_PHONE_WORDS = re.compile(rf"\b(?:zéro|zero)\s+{_NW}(?:\s+{_NW}){{3,}}", re.IGNORECASE)
_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|"
           "octobre|novembre|décembre|decembre")
_DATE = rf"(?:\d{{1,2}}|{_NW}|premier|1er)\s+(?:{_MONTHS})(?:\s+(?:\d{{2,4}}|{_NW}(?:\s+{_NW})*))?"
_BIRTH = re.compile(
    rf"\b(?:(?:je\s+suis\s+)?n[ée]e?s?\s+(?:le\s+)?|(?:je\s+suis|il\s+est|elle\s+est)\s+du\s+"
    rf"|date\s+de\s+naissance\s*(?:c'est\s+|:\s*)?(?:le\s+)?)(?:{_DATE}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})",
    re.IGNORECASE)
# Street words that are addresses on their own, and those that need a number before
# them ("des cours de gym", "la place du marché" are kept).
_STREETS = ("rue|avenue|boulevard|bd|chemin|impasse|allée|allee|lotissement|résidence|"
            "residence|lieu-dit")
_NUMBERED = "place|route|quai|cours|square|passage|villa|domaine|hameau|montée|montee|traverse"
_STREET_NAME = (r"(?:\s+(?:de la|de l'|d'|de|du|des|la|le|les|l'|saint|sainte|"
                r"(?!à\b|a\b|et\b|pour\b|dans\b|je\b|j'|qui\b|c'est\b)[\w'-]+)(?![\w'-])){1,5}")
_ADDRESS = re.compile(
    rf"\b(?:(?:\d{{1,4}}|{_NW}(?:\s+{_NW})*)(?:\s*(?:bis|ter))?[\s,]+(?:{_STREETS}|{_NUMBERED})"
    rf"|(?:{_STREETS}))\b{_STREET_NAME}"
    r"(?:,?\s+(?:bâtiment|batiment|bat|escalier|appartement|appt)\s+[\w-]+)?",
    re.IGNORECASE)
_ID = re.compile(r"\b(?:numéro|numero|n°)\s+(?:d'?\s*)?(?:allocataire|de retraite|de dossier|"
                 r"sécu|secu|de sécurité sociale|client)\s*(?:c'est\s+|:\s*)?[\w\s-]*?\d[\d\s]*",
                 re.IGNORECASE)
_NAME_CUES = re.compile(
    r"\b(?P<cue>je\s+m'appelle|mon\s+nom\s+(?:c'est|est)|moi\s+c'est|ici|madame|monsieur|"
    r"de\s+la\s+part\s+d[e']|"
    r"mademoiselle|mme|m\.|docteur|ma\s+(?:fille|sœur|soeur|voisine|mère|mere|petite-fille|"
    r"belle-fille|nièce|amie)|mon\s+(?:fils|frère|frere|voisin|mari|petit-fils|gendre|neveu|"
    r"ami|père|pere))\s+(?P<name>(?:[A-ZÉÈ][\w'-]+|[a-zéèêëïî][\w'-]+)"
    r"(?:\s+(?:(?:le|la|dos|da|van|von)\s+)?(?!et\b|qui\b|à\b|a\b|de\b|du\b|elle\b|il\b|j'|je\b)"
    r"[A-ZÉÈa-zéè][\w'-]+){0,2})")
# "c'est Jeanne Martin à l'appareil", "bonjour Jeanne Martin de Lucé pour…": the two words
# the telephone formula frames are a name.
_ON_THE_LINE = re.compile(
    r"\b(?P<cue>c'est|bonjour)\s+(?P<name>(?!madame\b|monsieur\b|je\b|moi\b|pour\b|ma\b|mon\b)"
    r"[\w'-]+(?:\s+(?!à\b|de\b)[\w'-]+){0,2})(?=\s+(?:à\s+l'appareil|de\s+[\w'-]+\s+pour\b))",
    re.IGNORECASE)
# Words that follow the cues but are no names ("ma fille habite", "madame je voudrais").
_NOT_NAMES = frozenset(
    "je j' qui habite habitait est était a avait elle il vous voudrait voudrais veut cherche "
    "bonjour oui non merci euh alors voilà voila s'il c'est ce que pour dans à au aux sur "
    "de la le les un une mon ma mes et qu'elle qu'il aussi y en ne n'est vit m'a l'atelier "
    "atelier".split())


def _tag(tag: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: f"[{tag}]"


_PARTICLES = frozenset("le la de du des dos da van von".split())


def _names(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        words = match.group("name").split()
        if words[0].lower() in _NOT_NAMES:
            return match.group(0)
        size = 1  # the name's words: up to the first stop word; "Le Roux", "dos Santos"
        while size < len(words):
            word = words[size].lower()
            if word in _PARTICLES and size + 1 < len(words) and \
                    words[size + 1].lower() not in _NOT_NAMES | _PARTICLES:
                size += 2
            elif word not in _NOT_NAMES:
                size += 1
            else:
                break
        rest = " ".join(words[size:])
        return f"{match.group('cue')} [nom]" + (f" {rest}" if rest else "")
    return _NAME_CUES.sub(replace, text)


RULES: tuple[Callable[[str], str], ...] = (
    lambda t: _ON_THE_LINE.sub(lambda m: f"{m.group('cue')} [nom]", t),
    lambda t: _EMAIL.sub(_tag("email"), t),
    lambda t: _BIRTH.sub(_tag("date de naissance"), t),
    lambda t: _NIR.sub(_tag("numéro"), t),
    lambda t: _ID.sub(_tag("numéro"), t),
    lambda t: _PHONE_DIGITS.sub(_tag("téléphone"), t),
    lambda t: _PHONE_WORDS.sub(_tag("téléphone"), t),
    lambda t: _ADDRESS.sub(_tag("adresse"), t),
    _names,
)


def anonymise(text: str) -> str:
    """``text`` with its personal data replaced by tags such as ``[nom]``."""
    for rule in RULES:
        text = rule(text)
    return text
