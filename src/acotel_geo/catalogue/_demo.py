"""A synthetic, deterministic workshop catalogue, for the demo and for benchmarks.

Workshops land in communes drawn in proportion to population (dense in cities, sparse in
Lozère), with realistic programmes, weekly cycles around the absorption day, mostly free,
fictional organisers, and contact numbers only from the ranges ARCEP keeps for fiction
(plan national de numérotation, art. 2.5.12). The snapshot is marked synthetic and its
dates relative: loading it moves them to today.
"""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ..places._gazetteer import Gazetteer, Place
from ..places._regions import OTHER
from ._model import Session, Theme, Workshop

SEED = 2026
# (theme, module, title, summary, description, sessions in the cycle)
PROGRAMMES: tuple[tuple[Theme, str, str, str, str, int], ...] = (
    (Theme.DANS_SA_TETE, "mémoire", "Atelier mémoire",
     "Des exercices ludiques pour entretenir sa mémoire, en petit groupe.",
     "Comprendre comment fonctionne la mémoire et l'entraîner avec des jeux, des astuces "
     "pour le quotidien et des échanges conviviaux. Aucun niveau requis.", 10),
    (Theme.DANS_SA_TETE, "bien-être", "Gérer son stress et ses émotions",
     "Apprendre à se détendre et à mieux vivre ses émotions.",
     "Respiration, relaxation et échanges pour traverser sereinement les changements de la "
     "retraite. Animé par une sophrologue.", 6),
    (Theme.DANS_MON_CORPS, "équilibre", "Équilibre et prévention des chutes",
     "Des exercices simples pour garder l'équilibre et éviter les chutes.",
     "Renforcer ses muscles, travailler sa stabilité et apprendre à se relever en cas de "
     "chute, avec un professionnel de l'activité physique adaptée.", 12),
    (Theme.DANS_MON_CORPS, "gym douce", "Gym douce",
     "Une gymnastique tout en douceur, adaptée à chacun.",
     "Mobilité, souplesse et renforcement musculaire en douceur, assis ou debout, pour "
     "rester en forme à son rythme.", 10),
    (Theme.DANS_MON_CORPS, "sommeil", "Bien dormir, bien vivre",
     "Comprendre son sommeil et retrouver de bonnes nuits.",
     "Les cycles du sommeil, les bonnes habitudes, ce qui aide à s'endormir et à moins se "
     "réveiller la nuit. Conseils pratiques et échanges.", 5),
    (Theme.DANS_MON_CORPS, "nutrition", "Bien manger pour bien vieillir",
     "Des repères simples pour manger équilibré et avec plaisir.",
     "Composer ses repas, faire ses courses malin, cuisiner simplement pour une ou deux "
     "personnes et garder l'appétit. Un atelier cuisine est prévu.", 6),
    (Theme.CHEZ_SOI, "habitat", "Bien chez soi",
     "Adapter son logement pour y vivre en sécurité et avec confort.",
     "Aménager sa maison, prévenir les accidents domestiques, connaître les aides pour les "
     "travaux et les astuces pour économiser l'énergie.", 5),
    (Theme.CHEZ_SOI, "sécurité routière", "Conduire en toute sécurité",
     "Remettre à jour son code de la route et ses réflexes de conducteur.",
     "Les nouveaux panneaux, les ronds-points, la vue et les médicaments au volant. Une "
     "séance de conduite avec un moniteur est proposée.", 3),
    (Theme.AVEC_LES_AUTRES, "numérique", "Les bases de la tablette",
     "Apprendre à se servir d'une tablette, à son rythme.",
     "Allumer, écrire un message, faire un appel vidéo avec ses proches, faire ses démarches "
     "en ligne en sécurité. Tablettes prêtées pendant l'atelier.", 8),
    (Theme.AVEC_LES_AUTRES, "retraite", "Bienvenue à la retraite",
     "Bien préparer sa nouvelle vie de retraité, avec d'autres jeunes retraités.",
     "Les droits, la santé, les projets, le bénévolat : des rencontres pour bien démarrer "
     "sa retraite et créer des liens.", 4),
    (Theme.AVEC_LES_AUTRES, "lien social", "Rencontres et convivialité",
     "Des après-midi pour se retrouver, discuter et partager.",
     "Jeux, sorties et discussions autour d'un café, pour rompre l'isolement et se faire "
     "de nouveaux amis près de chez soi.", 8),
)
VENUES = ("Salle des fêtes", "Maison des associations", "Centre social", "Espace seniors",
          "Médiathèque", "Salle polyvalente", "Foyer-logement", "Maison de quartier")
STREETS = ("place de la Mairie", "rue des Écoles", "avenue de la République", "rue du Stade",
           "place de l'Église", "rue Victor-Hugo", "boulevard Pasteur", "rue des Tilleuls")
ORGANISERS = ("Association Bien Vieillir {dep}", "CCAS de {city}", "Club des Jours Heureux",
              "Association Seniors en Forme {dep}", "Centre social de {city}",
              "Mutuelle fictive Horizon", "Association Lien et Partage")
SLOTS = ((time(9, 30), time(11, 30)), (time(10, 0), time(12, 0)), (time(14, 0), time(16, 0)),
         (time(14, 30), time(16, 30)), (time(15, 0), time(17, 0)))
# ARCEP fiction roots, by the caller's zone.
FICTION_ROOTS = {"sud-est": "046571", "languedoc-roussillon": "046571",
                 "centre-val-de-loire": "026191", "bourgogne-franche-comte": "035301",
                 OTHER: "019900"}


def _of(text: str) -> str:
    """French elision: "CCAS de Aix-en-Provence" -> "CCAS d'Aix-en-Provence"."""
    return re.sub(r"\bde ([AEIOUYÉÈÎH])", r"d'\1", text)


def _phone(rng: random.Random, region: str) -> str:
    root = "063998" if rng.random() < 0.15 else FICTION_ROOTS.get(region, "019900")
    return root + f"{rng.randrange(10_000):04d}"


def _price(rng: random.Random) -> Decimal:
    roll = rng.random()
    if roll < 0.7:
        return Decimal("0")
    return Decimal(rng.choice((5, 10, 15, 20, 30, 40, 60))).quantize(Decimal("0.01"))


def _sessions(rng: random.Random, absorbed: date, count: int) -> tuple[Session, ...]:
    first = absorbed + timedelta(days=rng.randrange(-35, 110))
    first += timedelta(days=(rng.randrange(5) - first.weekday()) % 7)  # a weekday
    start, end = rng.choice(SLOTS)
    return tuple(Session(first + timedelta(weeks=k), start, end) for k in range(count))


def generate(gazetteer: Gazetteer, count: int, absorbed: date, *, regions_only: bool = True,
             remote_share: float = 0.03, seed: int = SEED) -> tuple[dict[str, Any], list[Workshop]]:
    """``count`` workshops and the snapshot metadata. Deterministic for a given seed."""
    rng = random.Random(seed)
    places: list[Place] = [p for p in gazetteer.places if p.kind == "commune"
                           and (not regions_only or p.region != OTHER)]
    weights = [max(p.population, 1) ** 1.05 for p in places]
    picks = rng.choices(places, weights=weights, k=count)
    stamp = datetime.combine(absorbed, time(6, 0), tzinfo=UTC)
    workshops = []
    for n, place in enumerate(picks):
        theme, module, title, summary, description, length = rng.choice(PROGRAMMES)
        remote = rng.random() < remote_share
        department = gazetteer.departments.get(place.department, place.department)
        jitter = 0.012 * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        workshops.append(Workshop(
            id=f"demo-{n + 1:06d}",
            title=title + (" (à distance)" if remote else ""),
            theme=theme,
            module=module,
            summary=summary,
            description=description,
            sessions=_sessions(rng, absorbed, rng.choice((1, length, length))),
            venue="En visioconférence" if remote else rng.choice(VENUES),
            address="" if remote else f"{rng.randrange(1, 40)} {rng.choice(STREETS)}",
            postcode=place.postcodes[0] if place.postcodes else "",
            city=place.name,
            insee=place.insee,
            lat=None if remote else round(place.lat + jitter * math.sin(angle), 6),
            lon=None if remote else round(place.lon + jitter * math.cos(angle), 6),
            remote=remote,
            price=_price(rng),
            organiser=_of(rng.choice(ORGANISERS).format(dep=department, city=place.name)),
            contact_phone=_phone(rng, place.region),
            registration="Inscription par téléphone auprès de l'organisateur.",
            source_id=f"demo:{n + 1}",
            updated_at=stamp,
        ))
    meta = {
        "source": f"synthetic demo catalogue (acotel_geo.catalogue._demo, seed {seed})",
        "absorbed_at": stamp.isoformat(),
        "synthetic": True,
        "relative_dates": True,
        "counts": {"workshops": len(workshops), "remote": sum(w.remote for w in workshops),
                   "rejected": 0},
    }
    return meta, workshops
