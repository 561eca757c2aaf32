"""Builds labelled.jsonl: caller utterances as a speech recogniser writes them (lower case
mostly, fillers), with the spans of personal data to remove and the words to keep.

    .venv/bin/python benchmarks/anonymisation/make_set.py   # needs the bench extra (faker)

Names come from Faker's French lists (the anonymiser has no name list), towns from the
gazetteer, phone numbers and dates in digits and in words (num2words). The templates
include what the rules are weak at (names without a cue word, a surname first, names that
are also towns or common words), so the measure is not flattering by construction.
Deterministic (fixed seed).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from faker import Faker
from num2words import num2words

from acotel_geo import Gazetteer

HERE = Path(__file__).resolve().parent
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
WORKSHOPS = ("l'atelier mémoire", "l'équilibre", "le sommeil", "la gym douce",
             "bien manger", "la tablette", "le code de la route", "rencontrer du monde")
SERVICES = ("la carsat", "la caf", "la sécu", "ma caisse de retraite")
FILLERS = ("", "euh ", "alors ", "bon ", "oui ", "bah ")


def spoken_phone(rng: random.Random) -> tuple[str, str]:
    digits = "0" + rng.choice("67") + "".join(rng.choice("0123456789") for _ in range(8))
    pairs = [digits[i:i + 2] for i in range(0, 10, 2)]
    if rng.random() < 0.5:
        return digits, " ".join(pairs) if rng.random() < 0.6 else digits
    words = ["zéro " + num2words(int(pairs[0][1]), lang="fr")]
    words += [("zéro " + num2words(int(p[1]), lang="fr")) if p[0] == "0"
              else num2words(int(p), lang="fr") for p in pairs[1:]]
    return digits, " ".join(words)


def spoken_date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(1930, 1956)
    if rng.random() < 0.5:
        return f"{day} {month} {year}"
    return (f"{num2words(day, lang='fr') if day > 1 else 'premier'} {month} "
            f"{num2words(year, lang='fr')}")


class Builder:
    def __init__(self, seed: int = 17) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        gazetteer = Gazetteer.load()
        self.towns = [p.name.lower() for p in gazetteer.places
                      if p.kind == "commune" and p.region != "autre" and p.population > 2000]
        # Towns that are also first names or look like names, to test what must be kept.
        self.name_towns = [t for t in ("sainte-maxime", "saint-rémy-de-provence", "lucé",
                                       "bourges", "florensac", "saint-florent-sur-cher",
                                       "marie", "sainte-cécile-les-vignes", "saint-paul-de-vence",
                                       "vincelles", "martigues", "saint-jean-de-braye")]
        self.items: list[dict[str, Any]] = []

    def add(self, parts: list[tuple[str, str | None]], keep: list[str]) -> None:
        """``parts``: text pieces, each with its personal-data kind (or None)."""
        text, spans = "", []
        for piece, kind in parts:
            if kind:
                spans.append({"start": len(text), "end": len(text) + len(piece), "kind": kind})
            text += piece
        for word in keep:
            assert word in text, (word, text)
        self.items.append({"text": text, "personal": spans, "keep": keep})

    def name(self) -> str:
        return self.fake.first_name().lower() if self.rng.random() < 0.7 else \
            self.fake.first_name()

    def surname(self) -> str:
        return self.fake.last_name().lower() if self.rng.random() < 0.7 else \
            self.fake.last_name()

    def town(self) -> str:
        return self.rng.choice(self.towns)

    def build(self, count: int = 420) -> list[dict[str, Any]]:
        makers = [self.named, self.named_no_cue, self.relative, self.address, self.phone,
                  self.email, self.birth, self.nir, self.allocataire, self.plain,
                  self.name_town, self.mixed]
        while len(self.items) < count:
            self.rng.choice(makers)()
        return self.items

    def f(self) -> str:
        return self.rng.choice(FILLERS)

    def named(self) -> None:
        town, workshop = self.town(), self.rng.choice(WORKSHOPS)
        cue = self.rng.choice(("je m'appelle ", "mon nom c'est ", "moi c'est ", "ici "))
        self.add([(self.f() + cue, None), (f"{self.name()} {self.surname()}", "name"),
                  (f" j'habite à {town} et je voudrais {workshop}", None)], [town, workshop])

    def named_no_cue(self) -> None:
        town = self.town()
        form = self.rng.randrange(3)
        who = f"{self.surname()} {self.name()}"
        if form == 0:
            self.add([(self.f() + "c'est ", None), (who, "name"),
                      (f" à l'appareil je suis à {town}", None)], [town])
        elif form == 1:
            self.add([(self.f() + "bonjour ", None), (who, "name"),
                      (f" de {town} pour un atelier", None)], [town])
        else:
            self.add([(f"{self.f()}de la part de ", None), (who, "name"),
                      (" ma voisine m'a dit d'appeler", None)], [])

    def relative(self) -> None:
        town = self.town()
        rel = self.rng.choice(("ma fille ", "mon fils ", "ma voisine ", "mon mari ",
                               "ma belle-fille ", "mon neveu "))
        self.add([(self.f() + "c'est " + rel, None), (self.name(), "name"),
                  (f" qui m'a donné le numéro elle habite {town}", None)], [town])

    def address(self) -> None:
        town, number = self.town(), self.rng.randint(1, 180)
        street = self.fake.street_name().lower()
        said = str(number) if self.rng.random() < 0.6 else num2words(number, lang="fr")
        tail = self.rng.choice(("", " bâtiment b", " appartement 12"))
        self.add([(self.f() + "j'habite au ", None), (f"{said} {street}{tail}", "address"),
                  (f" à {town}", None)], [town])

    def phone(self) -> None:
        _digits, said = spoken_phone(self.rng)
        lead = self.rng.choice(("rappelez-moi au ", "mon numéro c'est le ",
                                "vous pouvez m'envoyer le sms au ", "mon portable "))
        self.add([(self.f() + lead, None), (said, "phone")], [])

    def email(self) -> None:
        first, last = self.name().lower(), self.surname().lower().replace(" ", "")
        domain = self.rng.choice(("orange", "wanadoo", "gmail", "free", "laposte"))
        if self.rng.random() < 0.5:
            said = f"{first}.{last}@{domain}.fr"
        else:
            said = f"{first} point {last} arobase {domain} point fr"
        self.add([(self.f() + "mon adresse mail c'est ", None), (said, "email"),
                  (" pour recevoir le programme", None)], [])

    def birth(self) -> None:
        lead = self.rng.choice(("je suis née le ", "je suis né le ", "ma date de naissance "
                                "c'est le ", "je suis du "))
        self.add([(self.f() + lead, None), (spoken_date(self.rng), "birth_date"),
                  (f" et j'habite {self.town()}", None)], [])

    def nir(self) -> None:
        sex, year = self.rng.choice("12"), self.rng.randint(30, 56)
        month, dept = self.rng.randint(1, 12), self.rng.choice(("13", "84", "34", "21", "45"))
        code = (f"{sex} {year:02d} {month:02d} {dept} {self.rng.randint(1, 999):03d} "
                f"{self.rng.randint(1, 999):03d} {self.rng.randint(1, 97):02d}")
        self.add([(self.f() + "mon numéro de sécurité sociale c'est ", None), (code, "nir")],
                 [])

    def allocataire(self) -> None:
        number = "".join(self.rng.choice("0123456789") for _ in range(7))
        service = self.rng.choice(("numéro allocataire ", "numéro de retraite ",
                                   "numéro de dossier "))
        self.add([(self.f() + "j'ai mon ", None), (f"{service}{number}", "other_id"),
                  (" si vous voulez", None)], [])

    def plain(self) -> None:
        town, workshop = self.town(), self.rng.choice(WORKSHOPS)
        service = self.rng.choice(SERVICES)
        self.add([(f"{self.f()}je suis à {town} c'est {service} qui m'a parlé de {workshop}",
                   None)], [town, workshop])

    def name_town(self) -> None:
        town = self.rng.choice(self.name_towns)
        self.add([(f"{self.f()}j'habite à {town} je voudrais un atelier pour la mémoire",
                   None)], [town, "mémoire"])

    def mixed(self) -> None:
        town = self.town()
        _d, phone = spoken_phone(self.rng)
        self.add([(self.f() + "madame ", None), (self.surname(), "name"),
                  (f" à {town} vous me rappelez au ", None), (phone, "phone")], [town])


def main() -> None:
    items = Builder().build()
    with open(HERE / "labelled.jsonl", "w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} utterances, {sum(len(i['personal']) for i in items)} personal spans")


if __name__ == "__main__":
    main()
