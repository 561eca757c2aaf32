"""``resolve``: one caller answer in, a located commune (or the question to ask) out."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from ._arrondissements import match_arrondissements
from ._context import Context, carrier_ends
from ._gazetteer import Gazetteer, Place
from ._matching import Evidence, match_names
from ._parts import unknown_parts, weigh_parts
from ._postcodes import match_postcodes, rival_readings, weigh_readings
from ._query import Query, analyse
from ._scoring import LANDMARK_NAME, Scored, people, score
from ._text import ARTICLES

MIN_SCORE = 0.45  # below this, nothing the caller said is a place
MARGIN = 0.03  # a runner-up this close makes the answer ambiguous
CONFIDENT = 0.85  # a resolved answer below this is confirmed with the caller
MAX_CANDIDATES = 6
# A town of at least PROMINENT_TOWN people, PROMINENCE times bigger than its close
# homonyms, is the one meant ("Aix"); a confirmation follows.
PROMINENCE = 25
PROMINENT_TOWN = 10_000
MIN_NAME = 0.55  # name evidence below this is no evidence
MIN_POSTCODE = 0.15


class Status(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    NEEDS_MORE = "needs_more"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Candidate:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    department_name: str
    region: str
    lat: float
    lon: float
    score: float
    kind: str
    matched_name: str  # the name the caller used, when it is a former commune's or a quarter's
    why: tuple[str, ...]
    matched_kind: str = ""  # "deleguee", "associee" or "quarter" when matched_name is set


@dataclass(frozen=True, slots=True)
class Resolution:
    query: str
    status: Status
    candidates: tuple[Candidate, ...] = ()
    confirm: bool = False  # resolved, but worth a "c'est bien ça ?"
    postcode: str = ""  # the postcode the caller gave, when one was recognised exactly
    departments: tuple[tuple[str, str], ...] = field(default=())  # to tell candidates apart
    postcodes: tuple[str, ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["departments"] = [{"code": c, "name": n} for c, n in self.departments]
        for candidate in data["candidates"]:
            candidate["score"] = round(candidate["score"], 4)
        return data


def _candidate(gazetteer: Gazetteer, scored: Scored) -> Candidate:
    commune, place = scored.commune, scored.place
    return Candidate(
        insee=commune.insee,
        name=commune.name,
        postcodes=commune.postcodes,
        department=commune.department,
        department_name=gazetteer.departments.get(commune.department, ""),
        region=commune.region,
        lat=place.lat,  # a former commune or a quarter keeps its own point: where the
        lon=place.lon,  # caller lives
        score=scored.score,
        kind=commune.kind,
        matched_name=place.name if place is not commune else "",
        why=tuple(scored.why),
        matched_kind=place.kind if place is not commune else "",
    )


def _carried(query: Query, evidence: dict[int, Evidence]) -> None:
    """The place brought by "je suis à", "j'habite" is the caller's: the names said after
    it are other places ("je suis à Toulouse... la même région que Montpellier"), unless
    the answer already sets it aside ("j'habite Béziers, mais pour l'atelier Agde").
    Departments, postcodes and ordinals said after it still describe it."""
    tokens, context = query.tokens, query.context
    content = query.content_positions()
    for end in carrier_ends(tokens):
        start = end
        while start < len(tokens) and tokens[start] in ARTICLES:
            start += 1
        if start not in content or start in context.secondary:
            continue
        carried = [ev.name_span for ev in evidence.values() if ev.name_span is not None
                   and end <= ev.name_span[0] <= start and ev.name >= MIN_NAME]
        if not carried:
            continue
        ends = [span[1] for span in carried]
        kept = set(query.ordinals) | {i for r in query.postcodes for i in range(r.start, r.end)}
        kept |= {i for h in query.departments for i in range(h.start, h.end)}
        kept |= {i for ev in evidence.values()  # "j'habite à Marseille, à Mazargues"
                 if ev.name_span is not None and ev.town_span in carried
                 for i in range(*ev.name_span)}
        kept |= {i for ev in evidence.values()  # "j'habite à Saint-Cyprien, à Toulouse"
                 if ev.name_span is not None and ev.part_span is not None
                 and any(ev.part_span[0] <= a and b <= ev.part_span[1] for a, b in carried)
                 for i in range(*ev.name_span)}
        later = {i for i in content if i >= max(ends)} - kept
        if later:
            query.context = Context(context.landmark, context.secondary | frozenset(later))
        return


class Resolver:
    """Resolves answers against one gazetteer. Thread-safe: it keeps no state per call."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def _landmarks(self, query: Query, evidence: dict[int, Evidence]) -> tuple[Place, ...]:
        """The towns said as landmarks ("à côté de Nîmes"): the biggest for each name."""
        landmark = query.context.landmark
        if not landmark:
            return ()
        biggest: dict[tuple[int, int], Place] = {}
        for i, ev in evidence.items():
            span = ev.name_span
            if span is None or ev.name < LANDMARK_NAME or not set(range(*span)) <= landmark:
                continue
            commune = self.gazetteer.commune_of(self.gazetteer.places[i])
            if span not in biggest or commune.population > biggest[span].population:
                biggest[span] = commune
        return tuple(biggest.values())

    def resolve(self, utterance: str) -> Resolution:
        g = self.gazetteer
        if not isinstance(utterance, str):
            utterance = "" if utterance is None else str(utterance)
        query = analyse(utterance, g.departments, g.department_names, g.full_names)
        query.postcodes = weigh_readings(g, query.postcodes)
        evidence = match_names(g, query)
        match_arrondissements(g, query, evidence)
        for i, found in match_postcodes(g, query).items():
            mine = evidence.setdefault(i, found)
            if mine is not found:
                mine.postcode, mine.postcode_why = found.postcode, found.postcode_why
                mine.postcode_span = found.postcode_span
        weigh_parts(g, evidence, landmark=bool(query.context.landmark))
        unknown_parts(g, query, evidence)
        _carried(query, evidence)
        landmarks = self._landmarks(query, evidence)
        best: dict[tuple[str, str], Scored] = {}
        for i, ev in evidence.items():
            scored = score(g, query, i, ev, landmarks)
            key = (scored.commune.insee, scored.commune.kind)
            if key not in best or scored.score > best[key].score:
                best[key] = scored
        ranked = sorted(best.values(), key=lambda s: (
            -s.score, -s.commune.population, s.commune.insee))
        ranked = [s for s in ranked if s.score >= MIN_SCORE and (
            s.evidence.name >= MIN_NAME or s.evidence.postcode >= MIN_POSTCODE)]
        # An arrondissement the caller named precisely ("Marseille 8e", 13008) stands
        # for its city.
        precise = {s.commune.parent for s in ranked if s.commune.kind == "arrondissement"
                   and (s.evidence.name >= 1.0 or s.evidence.postcode >= 0.9)}
        ranked = [s for s in ranked if s.commune.insee not in precise]
        hinted = tuple(dict.fromkeys(h.code for h in query.departments))
        exact_postcode = next((r.digits for r in query.postcodes
                               if r.weight >= 0.9 and r.digits in g.by_postcode), "")
        covered = {i for h in query.departments for i in range(h.start, h.end)}
        hint_spans = {(h.start, h.end) for h in query.departments}
        big_namesake = any(  # "Paris", "Paris 14e": a town, not the department
            s.evidence.name >= 1.0 and s.commune.population >= PROMINENT_TOWN
            and s.evidence.name_span is not None
            and any(s.evidence.name_span[0] <= a and b <= s.evidence.name_span[1]
                    for a, b in hint_spans) for s in ranked)
        if (hinted and not query.postcodes and query.content_positions() <= covered
                and not big_namesake):
            # Only a department ("dans le Var", "treize"): ask for the town. A commune that
            # bears the department's name (Vaucluse, Doubs) is kept as a candidate.
            return Resolution(utterance, Status.NEEDS_MORE,
                              tuple(_candidate(g, s) for s in ranked[:MAX_CANDIDATES]),
                              confirm=True,
                              departments=tuple((c, g.departments[c]) for c in hinted))
        if not ranked:
            return Resolution(utterance, Status.NOT_FOUND)
        top = ranked[0]
        close = [s for s in ranked if top.score - s.score < MARGIN]
        # The prominent town among the close ones is the one meant, even a little behind a
        # village ("saint malot": Saint-Malo before Saint-Malo-en-Donziois); confirmed.
        biggest = max(close, key=lambda s: people(s.place, s.commune))
        if biggest is not top and people(biggest.place, biggest.commune) >= max(
                PROMINENT_TOWN, PROMINENCE * max(people(s.place, s.commune)
                                                 for s in close if s is not biggest)):
            ranked.remove(biggest)
            ranked.insert(0, biggest)
            close.remove(biggest)
            close.insert(0, biggest)
            top = biggest
        listed = close if len(close) > 1 else ranked
        candidates = tuple(_candidate(g, s) for s in listed[:MAX_CANDIDATES])
        departments = tuple(dict.fromkeys(
            (c.department, c.department_name) for c in candidates))
        postcodes = tuple(sorted({p for c in candidates for p in c.postcodes}))[:12]
        same_postcode_area = bool(exact_postcode) and not query.spans and all(
            exact_postcode in s.commune.postcodes or exact_postcode in s.place.postcodes
            for s in close)
        prominent = len(close) > 1 and people(top.place, top.commune) >= max(
            PROMINENT_TOWN, PROMINENCE * max(people(s.place, s.commune) for s in close[1:]))
        if len(close) == 1 or same_postcode_area or prominent:
            runner_up = ranked[1].score if len(ranked) > 1 else 0.0
            homonym = any(  # same words, and nothing else in the answer sets them apart
                s.evidence.name >= top.evidence.name > 0
                and s.evidence.name_span == top.evidence.name_span
                and all(s.scores.get(k, 0) >= top.scores.get(k, 0)
                        for k in ("department", "postcode"))
                for s in ranked[1:])
            aside = query.context.secondary & query.content_positions()
            rivals = rival_readings(g, query.postcodes, top.evidence.postcode_span)
            confirm = (bool(aside) or len(rivals) > 1 or top.score < CONFIDENT
                       or top.place.is_quarter  # "Riquier, à Nice, c'est bien ça ?"
                       or top.evidence.part_span is not None
                       or top.score - runner_up < 2 * MARGIN or homonym
                       or 0 < top.evidence.postcode < 0.9 or 0 < top.evidence.name < 1.0)
            return Resolution(utterance, Status.RESOLVED, candidates, confirm=confirm,
                              postcode=exact_postcode, departments=departments,
                              postcodes=postcodes)
        return Resolution(utterance, Status.AMBIGUOUS, candidates, confirm=True,
                          postcode=exact_postcode, departments=departments, postcodes=postcodes)


_default: Resolver | None = None
_default_lock = threading.Lock()


def default_resolver() -> Resolver:
    """The resolver over the committed gazetteer, loaded once on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Resolver(Gazetteer.load())
        return _default


def resolve(utterance: str) -> Resolution:
    """Resolve the raw text of one caller answer (or keypad digits) to a commune."""
    return default_resolver().resolve(utterance)
