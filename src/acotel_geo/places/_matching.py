"""Find the places an analysed answer may mean, with the evidence for each.

Name evidence comes from the answer's spans (exact, sound-alike, partial, fuzzy);
postcode evidence from its number readings (exact, then near misses). Scoring the
evidence is ``_scoring``'s job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import jellyfish

from ._gazetteer import LINK_WORDS, Gazetteer, Place
from ._lexicon import (
    DETERMINERS,
    GENERIC_PLACES,
    PRONOUNS,
    after_locative,
    is_common_phrase,
)
from ._query import NOISE, Query
from ._scoring import (
    ARTICLE_CLASH,
    ARTICLE_DROPPED,
    CEILINGS,
    COVERAGE,
    EXACT,
    FIRST_PART_TOWNS,
    FUZZY,
    FUZZY_MIN,
    GLUED_SOUND_MIN_KEY,
    MIDDLE_DROPPED,
    PREFIX,
    PREFIX_LENGTH,
    SHORT_NAME,
    SHORT_NAME_LENGTH,
    SOUND_ALIKE,
    SOUND_ALIKE_START,
    SOUND_ALIKE_START_LENGTH,
    SOUND_ALIKE_TOWN,
)
from ._text import ARTICLES, name_tokens, phonetic_key, strip_article

MAX_PREFIX_HITS = 60  # "saint" alone matches thousands of names: too vague to offer
MAX_FUZZY_HITS = 40
_CONTRACTED = {"au": "le", "aux": "les"}  # "au Charme": à + le


@dataclass(slots=True)
class Evidence:
    """Why one place matches: the best name match and the best postcode match."""

    name: float = 0.0
    name_why: str = ""
    name_span: tuple[int, int] | None = None
    name_bonus: float = 0.0  # coverage the name's span brings, to pick the best match
    postcode: float = 0.0
    postcode_why: str = ""
    postcode_span: tuple[int, int] | None = None
    town_span: tuple[int, int] | None = None  # a quarter's commune said with it (_parts)
    part_span: tuple[int, int] | None = None  # a part of this town we do not know (_parts)

    def used(self) -> set[int]:
        """Token positions this evidence explains."""
        positions: set[int] = set()
        for span in (self.name_span, self.postcode_span, self.town_span, self.part_span):
            if span:
                positions.update(range(*span))
        return positions


def offer_name(found: dict[int, Evidence], ids: tuple[int, ...], score: float, why: str,
               span: tuple[int, int], content: set[int] | None = None) -> None:
    """Keep, for each place, the name match worth most: its score plus the coverage its
    span would bring ("lézignan corbière" heard alike beats the exact start "lézignan")."""
    bonus = 0.0
    if content:
        bonus = CEILINGS[COVERAGE] * len(content.intersection(range(*span))) / len(content)
    for i in ids:
        evidence = found.setdefault(i, Evidence())
        longer = evidence.name_span is None or (span[1] - span[0]) > (
            evidence.name_span[1] - evidence.name_span[0])
        value, held = score + bonus, evidence.name + evidence.name_bonus
        if value > held + 1e-9 or (abs(value - held) < 1e-9 and longer):
            evidence.name, evidence.name_why, evidence.name_span = score, why, span
            evidence.name_bonus = bonus


def _prefix_score(place: Place, span: list[str], namesake: int = 0) -> tuple[float, str]:
    """A name cut before its complement is how people say it: "Aix" for Aix-en-Provence,
    "Salon" for Salon-de-Provence; so is the first part of a hyphenated town's name
    ("Lézignan" for Lézignan-Corbières), the more so as the town is big, and only when it
    is bigger than the ``namesake`` town of that very name ("La Garde" is not La
    Garde-Freinet). Any other cut is a weaker, partial match."""
    name = place.name
    tokens = strip_article(name_tokens(name))
    if tokens[:len(span)] != span:
        tokens = name_tokens(name)
    ratio = len(" ".join(span)) / max(len(" ".join(tokens)), 1)
    if len(tokens) > len(span) and tokens[len(span)] in LINK_WORDS:
        return SHORT_NAME + SHORT_NAME_LENGTH * ratio, f"nom court « {' '.join(span)} »"
    if "-" in name and place.population > namesake and strip_article(
            name_tokens(name.split("-")[0])) == span:
        low, high = FIRST_PART_TOWNS
        size = math.log10(place.population + 1)
        share = min(1.0, max(0.0, (size - low) / (high - low)))
        return (PREFIX + (SHORT_NAME - PREFIX) * share + (
            PREFIX_LENGTH + (SHORT_NAME_LENGTH - PREFIX_LENGTH) * share) * ratio,
            f"nom court « {' '.join(span)} »")
    return PREFIX + PREFIX_LENGTH * ratio, f"début du nom « {' '.join(span)} »"


def _fuzzy_span(tokens: list[str], start: int, end: int) -> bool:
    """Fuzzy matching is tried on spans that look like a name: content words, with
    only linking words inside ("saint remy de provence")."""
    span = tokens[start:end]
    if span[0] in NOISE or span[-1] in NOISE:
        return False
    return all(t not in NOISE or t in LINK_WORDS for t in span)


def _article_mismatch(gazetteer: Gazetteer, found: dict[int, Evidence], query: Query) -> None:
    """The article said must fit the name's: "La Seyne" is La Seyne-sur-Mer rather than
    Seyne, "au Charme" Le Charme, "aux Rousses" Les Rousses, and "à Choux" is Choux rather
    than Les Choux (who lives there says "aux Choux"). A bare word that is both a whole
    name and another name without its article ("Buisson") is the whole name."""
    whole: set[tuple[int, int]] = set()
    for i, evidence in found.items():
        span = evidence.name_span
        if span and evidence.name >= 1.0 and not _article_of(gazetteer, i):
            whole.add(span)
    for i, evidence in found.items():
        span = evidence.name_span
        if span is None:
            continue
        article = _article_of(gazetteer, i)
        before = query.tokens[span[0] - 1] if span[0] > 0 else ""
        said = query.tokens[span[0]] in ARTICLES
        clash = (before in ARTICLES and not article) or (
            before in _CONTRACTED and not said and article != _CONTRACTED[before])
        if clash:
            evidence.name *= ARTICLE_CLASH
        elif article and not said and before not in _CONTRACTED:
            bare_a = before == "a" and _after_locative(query, span[0])
            evidence.name *= ARTICLE_CLASH if bare_a else (
                ARTICLE_DROPPED if span in whole else 1.0)


def _article_of(gazetteer: Gazetteer, i: int) -> str:
    """The leading article of a place's name ("le", "la", "les", "l"), or ""."""
    first = name_tokens(gazetteer.places[i].name)[0]
    return first if first in ARTICLES else ""


def _after_locative(query: Query, start: int) -> bool:
    return after_locative(query.tokens, start)


def _common_words_fit(gazetteer: Gazetteer, query: Query, start: int, end: int,
                      ids: tuple[int, ...]) -> tuple[int, ...]:
    """Places an all-common-words span may still name exactly: "Le Buisson", "Montréal",
    but not "le jardin" (Jardin has no article), "ma mère" (Méré), "je comprends rien".
    A locative word before it, or a postcode or department, settles it as a place."""
    if _after_locative(query, start) or query.postcodes:
        return ids
    if query.departments:  # "La Veuve" only if the department said is the Marne
        hinted = {h.code for h in query.departments}
        return tuple(i for i in ids if gazetteer.places[i].department in hinted)
    i = start - 1
    while i >= 0 and query.tokens[i] in ARTICLES:
        i -= 1
    if (i >= 0 and query.tokens[i] in DETERMINERS) or any(
            t in PRONOUNS for t in query.tokens):
        return ()
    if start > 0 and query.tokens[start - 1] in ARTICLES:
        return ()  # "le bus": an article the name does not have
    return ids


def _generic_place(query: Query, start: int, end: int, content: set[int]) -> bool:
    """"la mer", "à la montagne": a kind of place, with its article, and no department or
    postcode to make it a town's name."""
    if query.postcodes or query.departments:
        return False
    words = [query.tokens[i] for i in range(start, end) if i in content]
    said_article = query.tokens[start] in ARTICLES or (
        start > 0 and query.tokens[start - 1] in ARTICLES | {"au", "aux"})
    return said_article and bool(words) and all(w in GENERIC_PLACES for w in words)


# What may follow a town's name in an answer ("à Sète, dans l'Hérault", "à Sées et…").
_PLACE_FOLLOWERS = frozenset({"dans", "en", "a", "au", "aux", "pres", "cote", "sur", "de", "du",
                              "des", "et", "ou", "euh", "le", "la", "les", "l", "oui", "non"})


def _common_sound_alikes(gazetteer: Gazetteer, query: Query, start: int, end: int,
                         pkey: str, content: set[int]) -> tuple[int, ...]:
    """Sound-alikes of plain French words, only where a place was clearly meant: after
    "à" ("à Toure"), in the department said ("mets en Moselle": Metz), glued from two
    words into a long name ("vent dôme": Vendôme, "is sous dun": Issoudun), or a town's
    name said alone ("troie": Troyes)."""
    ids = gazetteer.phonetic.get(pkey, ())
    if not ids:
        return ()
    if end - start == 1 and query.tokens[start] in DETERMINERS and end < len(query.tokens) \
            and query.tokens[end].isalpha() and query.tokens[end] not in _PLACE_FOLLOWERS:
        return ()  # "à cette heure-là", "à ces téléphones": a determiner, no Sète, no Sées
    if after_locative(query.tokens, start, contracted=False):
        return ids
    hinted = {h.code for h in query.departments}
    if hinted:
        return tuple(i for i in ids if gazetteer.places[i].department in hinted)
    words = sum(1 for i in range(start, end) if i in content)
    if words >= 2 and len(pkey) >= GLUED_SOUND_MIN_KEY:
        return ids
    if content and content <= set(range(start, end)):
        # The word is the whole answer: "troie" is Troyes, as the common words are the
        # lexicon's less the names of towns of SOUND_ALIKE_TOWN people.
        # Not after a determiner or in a sentence ("je marche avec une canne").
        return tuple(i for i in _common_words_fit(gazetteer, query, start, end, ids)
                     if gazetteer.commune_of(gazetteer.places[i]).population
                     >= SOUND_ALIKE_TOWN)
    return ()


def match_names(gazetteer: Gazetteer, query: Query) -> dict[int, Evidence]:
    found: dict[int, Evidence] = {}
    tokens = query.tokens
    content = query.content_positions()
    for start, end in query.spans:
        span = tokens[start:end]
        key = " ".join(span)
        pkey = phonetic_key(span)
        where = (start, end)

        def offer(ids: tuple[int, ...], score: float, why: str) -> None:
            offer_name(found, ids, score, why, where, content)  # noqa: B023 - called at once

        hit = False
        if _generic_place(query, start, end, content):
            continue
        if is_common_phrase(span, [i in content for i in range(start, end)]):
            # Plain French words ("rien", "ma mère", "le jardin"): only an exact name, and
            # only if the answer says it is a place.
            offer(_common_words_fit(gazetteer, query, start, end, gazetteer.exact.get(key, ())),
                  EXACT, f"nom « {key} »")
            offer(_common_sound_alikes(gazetteer, query, start, end, pkey, content),
                  SOUND_ALIKE, f"son proche de « {key} »")
            continue
        if key in gazetteer.exact:
            offer(gazetteer.exact[key], EXACT, f"nom « {key} »")
            hit = True
        if key in gazetteer.middle_dropped:
            offer(gazetteer.middle_dropped[key], MIDDLE_DROPPED, f"nom incomplet « {key} »")
            hit = True
        if query.in_department_hint(start, end):
            # "dans le Var", "deux B": a department; only names that begin with its very
            # words fit (Paris and its arrondissements), no sound-alikes.
            department_ids = gazetteer.prefix.get(key, ())
            for i in department_ids if len(department_ids) <= MAX_PREFIX_HITS else ():
                offer((i,), *_prefix_score(gazetteer.places[i], span))
            continue
        if pkey in gazetteer.phonetic and len(pkey) >= 3:
            offer(gazetteer.phonetic[pkey], SOUND_ALIKE, f"son proche de « {key} »")
            hit = True
        prefix_ids = gazetteer.prefix.get(key, ())
        if 0 < len(prefix_ids) <= MAX_PREFIX_HITS and span[-1] not in ARTICLES:
            namesake = max((gazetteer.places[i].population for i in gazetteer.exact.get(
                key, ()) if not gazetteer.places[i].is_part), default=0)
            for i in prefix_ids:
                offer((i,), *_prefix_score(gazetteer.places[i], span, namesake))
            hit = True
        phonetic_prefix_ids = gazetteer.phonetic_prefix.get(pkey, ())
        if 0 < len(phonetic_prefix_ids) <= MAX_PREFIX_HITS and len(pkey) >= 3:
            for i in phonetic_prefix_ids:
                ratio = len(key) / max(len(gazetteer.places[i].name), 1)
                offer((i,), SOUND_ALIKE_START + SOUND_ALIKE_START_LENGTH * ratio,
                      f"début proche de « {key} »")
            hit = True
        if not hit and len(pkey) >= 4 and _fuzzy_span(tokens, start, end):
            _match_fuzzy(gazetteer, found, key, pkey, where, content)
    _article_mismatch(gazetteer, found, query)
    return found


def _match_fuzzy(gazetteer: Gazetteer, found: dict[int, Evidence], key: str, pkey: str,
                 where: tuple[int, int], content: set[int]) -> None:
    """Speech-recognition misspellings: phonetic keys within two edits, then scored by how
    close the written forms are."""
    keys = gazetteer.fuzzy_keys(pkey)
    if len(keys) > MAX_FUZZY_HITS:
        return
    for other in keys:
        distance = jellyfish.damerau_levenshtein_distance(pkey, other)
        if distance > 2 or (distance == 2 and len(pkey) < 7):
            continue
        for i in gazetteer.phonetic[other]:
            written = " ".join(strip_article(gazetteer.places[i].name.lower().split()))
            close = jellyfish.jaro_winkler_similarity(key, written)
            sound = 1 - distance / max(len(pkey), len(other))
            score = FUZZY * (0.5 * sound + 0.5 * close)
            if score >= FUZZY_MIN:
                offer_name(found, (i,), score, f"ressemble à « {key} »", where, content)
