"""Generate the labelled set of spoken location answers (benchmarks/location/spoken_forms.jsonl).

Deterministic (seeded): the same gazetteer gives the same file; the categories added for
issue 13 (spelling, two places, everyday-word names, one-digit départements) come from a
generator of their own, after the others, which stay as they were. Each line is one answer as
the hosted speech recognition would transcribe it, with what it means:

- ``expected``: the INSEE codes of acceptable answers (several for a postcode shared by
  communes, or for homonyms);
- ``kind``: ``unambiguous`` (one place is meant and can be told), ``ambiguous`` (homonyms
  said bare: the right commune must be among those offered), ``doubtful`` (wrong or
  incomplete postcode: offered and confirmed, never silently guessed), ``department``
  (only a department: ask for more), ``junk`` (not a place);
- ``category``: how it was said.

Run: ``python benchmarks/location/generate_set.py`` (needs the ``test`` extra: num2words).
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from num2words import num2words

from acotel_geo import Gazetteer, Place
from acotel_geo.places._lexicon import PATH as LEXICON
from acotel_geo.places._text import name_key
from acotel_voice.dialog._messages import Messages

HERE = Path(__file__).resolve().parent
SEED = 2026
PER_CATEGORY = 110

DIGIT_WORDS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
FILLERS = ["euh ", "alors ", "alors c'est ", "euh c'est ", "c'est ", "ben ", "bah euh ", ""]
POSTCODE_LEADS = ["mon code postal c'est le ", "le code postal c'est ", "c'est le ", "euh le ",
                  "alors le ", ""]
CITY_LEADS = ["j'habite à ", "je suis à ", "j'habite ", "c'est ", "euh ", "je vis à ",
              "alors j'habite à ", "moi c'est ", "à ", ""]
# "dans le Var", "en Côte-d'Or": the bot's own table (acotel_voice/messages/fr.yaml).
DEPARTMENT_ARTICLES: dict[str, str] = Messages().value("department_article")
# Sound-preserving rewrites that speech recognition makes on unusual names.
ASR_REWRITES = [
    (r"é|è|ê", "e"), (r"eau", "o"), (r"aux$", "o"), (r"ille", "ye"), (r"ph", "f"),
    (r"qu", "k"), (r"ain", "in"), (r"en(?=[^aeiou])", "an"), (r"an(?=[^aeiou])", "en"),
    (r"([a-z])\1", r"\1"), (r"s$", ""), (r"t$", ""), (r"x$", ""), (r"c(?=[ei])", "s"),
    (r"ç", "s"), (r"ô|ö", "o"), (r"î|ï", "i"), (r"y", "i"), (r"-", " "),
]
JUNK = [
    "oui", "non", "d'accord", "je sais pas", "je ne sais pas", "euh", "pardon", "pardon ?",
    "vous pouvez répéter", "répétez s'il vous plaît", "parlez plus lentement",
    "je voudrais un atelier mémoire", "un atelier sur l'équilibre", "c'est payant ?",
    "c'est gratuit ?", "vous êtes un robot ?", "je parle à une machine ?",
    "qui vous a donné mon numéro", "je me sens seule", "je suis malade", "je suis tombée",
    "j'ai quatre-vingt-trois ans", "bonjour madame", "bonjour monsieur", "merci au revoir",
    "au revoir", "la gym douce", "le sommeil", "je dors mal", "manger mieux",
    "je voudrais voir du monde", "adapter ma maison", "la tablette", "l'ordinateur",
    "ma retraite", "ma pension de retraite", "je veux parler à quelqu'un",
    "je comprends rien", "c'est quoi ce truc", "arrêtez", "stop", "laissez-moi tranquille",
    "j'en sais rien moi", "attendez je cherche mes lunettes", "un instant", "allô ?",
    "allô allô", "vous m'entendez", "quoi ?", "hein ?", "comment ?", "peu importe",
    "n'importe lequel", "je m'ennuie", "mon mari est décédé", "j'ai mal au dos",
    "ma fille m'a dit d'appeler", "c'est pour ma mère", "je cherche une activité",
    "vous avez des ateliers ?", "le prix c'est combien", "il fait beau aujourd'hui",
    "c'est à quelle heure", "le mardi ça m'arrange", "plutôt le matin",
    "je suis fatiguée", "j'ai perdu la mémoire", "je n'entends pas bien", "rappelez-moi",
    "non merci", "oui oui", "ouais", "bien sûr", "volontiers", "pas du tout",
    "je préfère pas dire", "c'est personnel", "secret", "ça vous regarde pas",
    "espèce d'idiot", "vous êtes nul", "...", "", "   ", "?", "hmm hmm",
    "un deux trois", "douze", "quatre-vingt-dix-neuf", "cent", "mille",
    "je suis née en mille neuf cent quarante", "j'ai deux enfants",
    "mon numéro c'est le zéro six douze", "trois fois par semaine",
    "la caisse de retraite", "la Carsat", "l'assurance maladie", "ma mutuelle",
    "le médecin", "la pharmacie", "les impôts", "la mairie",
    "le bus", "le train", "la voiture", "mon chien", "le jardin", "la cuisine",
    "la danse", "la musique", "la peinture", "le yoga", "la natation", "marcher",
]


def spoken_number(value: int) -> str:
    return num2words(value, lang="fr")


def postcode_forms(postcode: str, rng: random.Random) -> list[tuple[str, str]]:
    """The ways a postcode is said, each with its category."""
    department, rest = postcode[:2], postcode[2:]
    forms = [("postcode_digits", " ".join(DIGIT_WORDS[int(d)] for d in postcode))]
    value = int(postcode)
    forms.append(("postcode_whole", spoken_number(value)))
    head = ("zéro " + DIGIT_WORDS[int(department[1])]) if department[0] == "0" else (
        spoken_number(int(department)))
    if rest[0] == "0":
        tail = " ".join(DIGIT_WORDS[int(d)] for d in rest) if rng.random() < 0.5 else (
            "zéro " + (spoken_number(int(rest[1:])) if rest[1] != "0" else
                       " ".join(DIGIT_WORDS[int(d)] for d in rest[1:])))
    else:
        tail = spoken_number(int(rest))
    forms.append(("postcode_department_rest", f"{head} {tail}"))
    separator = rng.choice([" ", "-", "", " ", "."])
    forms.append(("postcode_asr_digits", f"{department}{separator}{rest}"))
    lead = rng.choice(POSTCODE_LEADS)
    forms.append(("postcode_fillers", f"{lead}{rng.choice(forms[:3])[1]}"))
    return forms


def plain(name: str) -> str:
    """The name lowercase without accents, as a recogniser may write it ("besancon":
    ``name_key`` now spells the cedilla out for matching)."""
    return name_key(name.replace("ç", "c").replace("Ç", "C"))


def asr_misspelling(name: str, rng: random.Random) -> str | None:
    text = name.lower()
    applicable = [(p, r) for p, r in ASR_REWRITES if re.search(p, text)]
    if not applicable:
        return None
    for pattern, replacement in rng.sample(applicable, min(len(applicable), 2)):
        text = re.sub(pattern, replacement, text, count=1)
    return text if name_key(text) != name_key(name) else None


def abbreviate_saint(name: str) -> str | None:
    abbreviated = re.sub(r"\bSaint(e?)(s?)\b", lambda m: "St" + m.group(1) + m.group(2), name)
    return abbreviated if abbreviated != name else None


def drop_article(name: str) -> str | None:
    match = re.match(r"^(Le |La |Les |L')(.+)$", name)
    return match.group(2) if match else None


class Builder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        self.rng = random.Random(SEED)
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        for place in gazetteer.places:
            if place.kind == "commune":
                self.by_name[name_key(place.name)].append(place)
        communes = [p for p in gazetteer.places if p.kind == "commune"]
        self.in_region = [p for p in communes if p.region != "autre"]
        self.elsewhere = [p for p in communes if p.region == "autre"]

    def sample(self, n: int) -> list[Place]:
        """Callers: three in four from the experiment's regions; half of those drawn in
        proportion to population (towns), half uniformly (villages)."""
        picked = []
        for _ in range(n):
            roll = self.rng.random()
            if roll < 0.375:
                picked.append(self.rng.choices(
                    self.in_region, weights=[p.population + 50 for p in self.in_region])[0])
            elif roll < 0.75:
                picked.append(self.rng.choice(self.in_region))
            else:
                picked.append(self.rng.choices(
                    self.elsewhere, weights=[p.population + 50 for p in self.elsewhere])[0])
        return picked

    def unique_name(self, place: Place) -> bool:
        return len(self.by_name[name_key(place.name)]) == 1

    def item(self, text: str, category: str, kind: str, expected: list[str],
             place: Place | None) -> dict[str, Any]:
        return {
            "text": text, "category": category, "kind": kind, "expected": sorted(expected),
            "region": place.region if place else "",
        }

    def postcode_items(self) -> Iterator[dict[str, Any]]:
        counts: dict[str, int] = defaultdict(int)
        for place in self.sample(PER_CATEGORY * 4):
            postcode = self.rng.choice(place.postcodes)
            expected = sorted({self.g.commune_of(self.g.places[i]).insee
                               for i in self.g.by_postcode[postcode]})
            for category, text in postcode_forms(postcode, self.rng):
                if counts[category] < PER_CATEGORY:
                    counts[category] += 1
                    yield self.item(text, category, "unambiguous", expected, place)

    def name_items(self) -> Iterator[dict[str, Any]]:
        counts: dict[str, int] = defaultdict(int)
        for place in self.sample(PER_CATEGORY * 12):
            unique = self.unique_name(place)
            name = place.name
            variants: list[tuple[str, str | None]] = [
                ("city_exact", name if unique else None),
                ("city_lowercase_no_accents",
                 plain(name) if unique and plain(name) != name.lower() else None),
                ("city_saint_abbreviated", abbreviate_saint(name) if unique else None),
                ("city_article_dropped", drop_article(name) if unique else None),
                ("city_with_fillers", self.rng.choice(CITY_LEADS) + name if unique else None),
                ("city_asr_misspelled", asr_misspelling(name, self.rng) if unique else None),
            ]
            for category, text in variants:
                if text and counts[category] < PER_CATEGORY:
                    counts[category] += 1
                    yield self.item(text, category, "unambiguous", [place.insee], place)
            homonyms = self.by_name[name_key(name)]
            departments = {p.department for p in homonyms}
            if len(homonyms) > 1 and len(departments) == len(homonyms):
                if counts["city_homonym_with_department"] < PER_CATEGORY:
                    counts["city_homonym_with_department"] += 1
                    yield self.item(self.with_department(name, place.department),
                                    "city_homonym_with_department", "unambiguous",
                                    [place.insee], place)
                if counts["city_homonym_bare"] < PER_CATEGORY:
                    counts["city_homonym_bare"] += 1
                    yield self.item(name, "city_homonym_bare", "ambiguous",
                                    [p.insee for p in homonyms], place)
            if counts["city_with_postcode"] < PER_CATEGORY and place.postcodes:
                counts["city_with_postcode"] += 1
                postcode = self.rng.choice(place.postcodes)
                arrondissements = [self.g.places[i].insee for i in self.g.by_postcode[postcode]
                                   if self.g.places[i].kind == "arrondissement"]
                yield self.item(f"{name} {postcode}", "city_with_postcode", "unambiguous",
                                [place.insee, *arrondissements], place)

    def with_department(self, name: str, department: str) -> str:
        department_name = self.g.departments[department]
        style = self.rng.random()
        if style < 0.4:
            article = DEPARTMENT_ARTICLES.get(department, "dans le")
            joiner = "" if article.endswith("'") else " "
            return f"{name} {article}{joiner}{department_name}"
        if style < 0.7:
            return f"{name} ({department_name})"
        return f"{name} {department}"

    def former_items(self) -> Iterator[dict[str, Any]]:
        name_counts: dict[str, int] = defaultdict(int)
        for place in self.g.places:
            name_counts[name_key(place.name)] += 1
        formers = [p for p in self.g.places if p.is_former and p.parent in self.g.current
                   and name_key(p.name) != name_key(self.g.current[p.parent].name)
                   and name_counts[name_key(p.name)] == 1]
        in_region = [p for p in formers if p.region != "autre"]
        for place in self.rng.sample(in_region, min(PER_CATEGORY, len(in_region))):
            yield self.item(self.rng.choice(CITY_LEADS) + place.name, "former_commune",
                            "unambiguous", [place.parent], place)

    def arrondissement_items(self) -> Iterator[dict[str, Any]]:
        for place in self.g.places:
            if place.kind != "arrondissement":
                continue
            city = place.name.split()[0]
            number = int(re.search(r"\d+", place.name).group())  # type: ignore[union-attr]
            ordinal = "premier" if number == 1 else num2words(number, lang="fr", to="ordinal")
            for text in (f"{city} {ordinal}", f"{city} {number}e", f"{city} {place.postcodes[0]}"):
                yield self.item(text, "arrondissement", "unambiguous", [place.insee], place)

    def doubtful_items(self) -> Iterator[dict[str, Any]]:
        made = 0
        for place in self.sample(PER_CATEGORY * 6):
            postcode = self.rng.choice(place.postcodes)
            position = self.rng.randrange(2, 5)
            wrong = postcode[:position] + self.rng.choice(
                [d for d in "0123456789" if d != postcode[position]]) + postcode[position + 1:]
            if wrong in self.g.by_postcode or made >= PER_CATEGORY:
                continue
            made += 1
            yield self.item(wrong, "postcode_one_wrong_digit", "doubtful", [place.insee], place)
        for place in self.sample(PER_CATEGORY):
            postcode = self.rng.choice(place.postcodes)
            position = self.rng.randrange(2, 5)
            yield self.item(postcode[:position] + postcode[position + 1:],
                            "postcode_four_digits", "doubtful", [place.insee], place)

    def department_items(self) -> Iterator[dict[str, Any]]:
        for department in sorted(DEPARTMENT_ARTICLES):
            name = self.g.departments[department]
            article = DEPARTMENT_ARTICLES[department]
            joiner = "" if article.endswith("'") else " "
            yield self.item(f"{article}{joiner}{name}", "department_only", "department",
                            [department], None)
            if department.isdigit():
                yield self.item(spoken_number(int(department)), "department_only",
                                "department", [department], None)

    def junk_items(self) -> Iterator[dict[str, Any]]:
        for text in JUNK:
            yield self.item(text, "junk", "junk", [], None)

    def spoken_items(self) -> Iterator[dict[str, Any]]:
        """What seniors do beyond naming a place (issue 13), with a generator of its own so
        that the earlier categories stay as they were: a name spelled letter by letter, a
        landmark town before the home town, a commune named like an everyday word, a
        postcode whose département is said as one digit."""
        rng = random.Random(SEED + 13)
        words = {line.strip() for line in LEXICON.read_text("utf-8").splitlines()
                 if line.strip() and not line.startswith("#")}
        biggest: dict[str, Place] = {}
        for place in self.in_region:
            if place.population > biggest.get(place.department, place).population or \
                    place.department not in biggest:
                biggest[place.department] = place
        counts: dict[str, int] = defaultdict(int)
        for place in self.sample(PER_CATEGORY * 8):
            unique, name = self.unique_name(place), place.name
            letters = [c for c in name_key(name) if c != " "]
            if unique and counts["city_spelled"] < PER_CATEGORY and 3 <= len(letters) <= 9 \
                    and name_key(name).isalpha():
                counts["city_spelled"] += 1
                spelled = " ".join(c.upper() for c in letters)
                yield self.item(rng.choice(["", "je vous l'épelle ", "ça s'écrit "]) + spelled,
                                "city_spelled", "unambiguous", [place.insee], place)
            landmark = biggest.get(place.department)
            if unique and landmark is not None and landmark.insee != place.insee and \
                    counts["two_places"] < PER_CATEGORY:
                counts["two_places"] += 1
                text = rng.choice([f"à côté de {landmark.name}, à {name}",
                                   f"près de {landmark.name}, j'habite à {name}",
                                   f"j'habite à {name}, pas loin de {landmark.name}"])
                yield self.item(text, "two_places", "unambiguous", [place.insee], place)
            postcode = rng.choice(place.postcodes) if place.postcodes else ""
            # "six quatre cent soixante-dix" (06470): the way seniors say it, a hundreds
            # part after the one-digit département (never "six cent", which is 600)
            if postcode.startswith("0") and postcode[2] not in "01" and postcode[3:] != "00" and \
                    counts["postcode_short_department"] < PER_CATEGORY:
                expected = sorted({self.g.commune_of(self.g.places[i]).insee
                                   for i in self.g.by_postcode[postcode]})
                counts["postcode_short_department"] += 1
                text = f"{DIGIT_WORDS[int(postcode[1])]} {spoken_number(int(postcode[2:]))}"
                yield self.item(text, "postcode_short_department", "unambiguous", expected,
                                place)
        everyday = [p for p in self.in_region if self.unique_name(p)
                    and name_key(p.name) in words]
        for place in rng.sample(everyday, min(PER_CATEGORY, len(everyday))):
            yield self.item(f"{rng.choice(['j habite à ', 'je suis à ', 'à '])}{place.name}",
                            "everyday_word_name", "unambiguous", [place.insee], place)

    def build(self) -> list[dict[str, Any]]:
        items = [*self.postcode_items(), *self.name_items(), *self.former_items(),
                 *self.arrondissement_items(), *self.doubtful_items(),
                 *self.department_items(), *self.junk_items(), *self.spoken_items()]
        seen: set[str] = set()
        unique = []
        for item in items:
            if item["text"] not in seen:
                seen.add(item["text"])
                unique.append(item)
        return unique


def main() -> None:
    items = Builder(Gazetteer.load()).build()
    target = HERE / "spoken_forms.jsonl"
    with open(target, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    by_category: dict[str, int] = defaultdict(int)
    for item in items:
        by_category[item["category"]] += 1
    for category, count in sorted(by_category.items()):
        print(f"{count:5d}  {category}")
    print(f"{len(items):5d}  total -> {target}")


if __name__ == "__main__":
    main()
