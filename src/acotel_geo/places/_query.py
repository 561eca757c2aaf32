"""What one caller answer says about a place: number readings, department hints, name spans.

The answer is tokenized once; each later step reads the same tokens. Nothing here looks
communes up: that is ``_matching``'s job.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from ._context import Context, breaks, context
from ._lexicon import REGION_QUALIFIERS, after_locative
from ._numbers import ORDINAL_SUFFIXES, Reading, is_number_token, ordinal_value, read_numbers
from ._regions import in_experiment
from ._text import ARTICLES, answer_tokens

MAX_CHARS = 300
MAX_TOKENS = 40
MAX_SPAN = 7

# Words that carry no place: fillers, the question's own words, common verbs, and the
# vocabulary of the rest of the call. A span made only of these is never a place name.
NOISE = frozenset("""
euh euhh heu eu hum hmm mmh ben bah bon alors donc voila voici ah ha oh eh hein quoi enfin bref
oui ouais non si ok okay d accord daccord merci bonjour bonsoir madame monsieur mademoiselle
c ce cest est etait sera ca cela celle celui il elle ils elles on nous vous je j me moi m
mon ma mes ton ta tes son sa ses notre votre leur
code postal postale codepostal numero ville commune village bourg lieu adresse habitation
habite habites habitons habitez habitent vis vit vivons vivez suis sommes reside residons
demeure demeurons trouve situe situee pres proche cote vers environs autour loin
a au aux en dans de du des le la les l d un une sur sous et ou chez par pour avec sans
pas plus ne n y que qui quel quelle comment pourquoi quand combien
ai as avons avez ont avait suis ans an annees heure heures fois euros
sais sait savoir connais dire dis disons exactement precisement environ peu
ecrit ecrire ecris epelle epeler epele lettre lettres accent
region departement secteur quartier coin
je voudrais veux voulais voudrait cherche cherchais aimerais souhaite souhaiterais
atelier ateliers memoire equilibre sommeil nutrition numerique habitat prevention
gym gymnastique sport marche cours informatique tablette ordinateur cuisine manger dormir
retraite retraites retraitee senior seniors personne agee age
payant gratuit prix robot machine ordinateur appel appelle appeler telephone rappeler
repeter repetez pardon comprends compris entendu entends parler parlez lentement
aide aider besoin probleme malade mal triste seul seule seuls
revoir douce douces donne donner donnez donnee mal fatigue fatiguee tombe tombee nee ne
carsat cnav cpam caf msa mutuelle assurance maladie secu securite sociale agirc arrco
participer prefere prefererais preferais arrange arrangerait irait conviendrait plutot mieux
maintenant desormais actuellement aujourd hui avant autrefois habitais habitait vivais
travaillais travaille travaillait etait fils soeur frere enfants descends descend passe
vacances souvent parfois agglomeration agglo banlieue colle collee face entre limite jouxte
peux venir aller vais va nee travail mais puis aussi toujours depuis ici dit fait vu
francais francaise francaises franssais franssaise franssaises
""".split())

# Word sequences that carry no place even though one of their words is a commune's name
# ("je me sens seule": Sens, Yonne).
NOISE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("me", "sens"), ("me", "sent"), ("se", "sent"), ("je", "sens"), ("au", "revoir"),
)

# A number followed by one of these is an age, a price, a time: not a place.
UNITS_AFTER = frozenset({"ans", "an", "annees", "euros", "euro", "heures", "heure", "h",
                         "minutes", "fois", "kilometres", "km", "kilos", "enfants", "mois",
                         "jours", "semaines", "pour", "cent"})

CORSICA = {("deux", "a"): "2A", ("deux", "b"): "2B", ("2", "a"): "2A", ("2", "b"): "2B",
           ("vingt", "a"): "2A", ("vingt", "b"): "2B", ("20", "a"): "2A", ("20", "b"): "2B"}


@dataclass(frozen=True, slots=True)
class DepartmentHint:
    code: str
    weight: float
    start: int
    end: int
    source: str  # "name" | "number"


@dataclass(slots=True)
class Query:
    """One caller answer, analysed."""

    raw: str
    tokens: list[str]
    postcodes: list[Reading] = field(default_factory=list)  # 4 or 5 digits
    departments: list[DepartmentHint] = field(default_factory=list)
    ordinals: dict[int, int] = field(default_factory=dict)  # token index -> value
    spans: list[tuple[int, int]] = field(default_factory=list)  # candidate name spans

    noise: set[int] = field(default_factory=set)  # positions inside a NOISE_PHRASES match
    context: Context = field(default_factory=Context)  # landmarks and other places
    named: set[int] = field(default_factory=set)  # noise or number words naming a town here

    def content_positions(self) -> set[int]:
        """Tokens that must be explained by a place: not noise, not an ordinal suffix."""
        return {
            i for i, t in enumerate(self.tokens)
            if t not in NOISE and t not in ORDINAL_SUFFIXES and not t.isdigit()
            and len(t) > 1 and i not in self.noise
        } | self.named

    def in_department_hint(self, start: int, end: int) -> bool:
        return any(h.start <= start and end <= h.end for h in self.departments)


def _department_code(digits: str, departments: dict[str, str]) -> str | None:
    code = digits.zfill(2) if len(digits) <= 2 else digits
    return code if code in departments and code not in ("20",) else None


def _named_words(query: Query, names: Container[str]) -> set[int]:
    """Noise and number words that are a commune's name where they stand: "à Quarante",
    "j'habite à la Machine", "La Celle dans le Var" (not "je parle à une machine", "à côté
    de", "quarante ans")."""
    tokens, found = query.tokens, set()
    said_place = bool(query.postcodes) or any(h.source == "name" for h in query.departments)
    for i, token in enumerate(tokens):
        if len(token) < 4 or i in query.noise or not (token in NOISE or is_number_token(token)):
            continue
        article = tokens[i - 1] if i > 0 and tokens[i - 1] in ARTICLES else ""
        if f"{article} {token}".strip() not in names:
            continue
        if i + 1 < len(tokens) and tokens[i + 1] in UNITS_AFTER:
            continue
        if any(0 <= j < len(tokens) and not tokens[j].isdigit() and (
                is_number_token(tokens[j]) or tokens[j] == "et") for j in (i - 1, i + 1)):
            continue  # "quarante-cinq mille": part of a number
        alone = article != "" and len(tokens) == 2
        if said_place or alone or after_locative(tokens, i):
            found.add(i)
    return found


def _region_qualifiers(tokens: list[str], names: Container[str]) -> set[int]:
    """"Louhans en Bresse", "Toulouse en Occitanie": the region said after a town is no
    second place, unless it ends the name said (Lans-en-Vercors, Verdun-en-Lauragais)."""
    found = set()
    for i in range(2, len(tokens)):
        if tokens[i - 1] != "en" or tokens[i] not in REGION_QUALIFIERS or (
                tokens[i - 2] in NOISE or is_number_token(tokens[i - 2])):
            continue
        if not any(" ".join(tokens[j:i + 1]) in names for j in range(max(0, i - MAX_SPAN), i - 1)):
            found.add(i)
    return found


def analyse(utterance: str, departments: dict[str, str],
            department_names: dict[str, str], names: Container[str] = frozenset()) -> Query:
    """Tokenize an answer and find its number readings, department hints and name spans."""
    text = utterance[:MAX_CHARS]
    every_token = answer_tokens(text)
    tokens = every_token[:MAX_TOKENS]
    query = Query(raw=utterance, tokens=tokens)
    for i in range(len(tokens)):
        for phrase in NOISE_PHRASES:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                query.noise.update(range(i, i + len(phrase)))
    query.noise |= _region_qualifiers(tokens, names)
    for i in range(len(tokens)):
        value = ordinal_value(tokens, i)
        if value is not None:
            query.ordinals[i] = value
    for i in range(len(tokens) - 1):
        code = CORSICA.get((tokens[i], tokens[i + 1]))
        if code:
            query.departments.append(DepartmentHint(code, 0.9, i, i + 2, "number"))
    for reading in read_numbers(tokens):
        if reading.end < len(tokens) and tokens[reading.end] in UNITS_AFTER:
            continue
        words = tokens[reading.start:reading.end]
        if len(reading.digits) in (4, 5):
            if len(words) == 1 and not words[0].isdigit():
                continue  # "mille", "cent": a number, not a postcode
            if reading.digits.isdigit() and 1900 <= int(reading.digits) <= 1999:
                continue  # "mille neuf cent quarante": a year
            query.postcodes.append(reading)
        elif reading.end - reading.start <= 4:
            code = _department_code(reading.digits, departments)
            if code and (in_experiment(code) or words[0].isdigit()):
                # A spoken number alone is taken for a department of the experiment only:
                # "treize" is the Bouches-du-Rhône, "douze" is just twelve.
                query.departments.append(
                    DepartmentHint(code, reading.weight, reading.start, reading.end, "number")
                )
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + MAX_SPAN) + 1):
            key = " ".join(tokens[start:end])
            if key in department_names:
                query.departments.append(
                    DepartmentHint(department_names[key], 1.0, start, end, "name")
                )
            if key == "corse":
                for code in ("2A", "2B"):
                    query.departments.append(DepartmentHint(code, 0.8, start, end, "name"))
    query.named = _named_words(query, names)
    content = query.content_positions()
    query.context = context(tokens, breaks(text, answer_tokens, len(every_token)), content)
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + MAX_SPAN) + 1):
            if any(i in content and (not is_number_token(tokens[i]) or i in query.named)
                   for i in range(start, end)):
                query.spans.append((start, end))
    return query
