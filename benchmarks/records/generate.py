"""A month (or more) of plausible call records, for the steering notebook and the scale
benchmark: calls spread over service hours with a morning peak, the four regions and
others, mobiles and landlines, and statuses in the proportions of a young service."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from acotel_voice.records import PARIS, CallRecord

REGION_WEIGHTS = {"sud-est": 0.36, "languedoc-roussillon": 0.2, "centre-val-de-loire": 0.18,
                  "bourgogne-franche-comte": 0.18, "autre": 0.05, None: 0.03}
INSEE = {"sud-est": "13201", "languedoc-roussillon": "34172", "centre-val-de-loire": "45234",
         "bourgogne-franche-comte": "21231", "autre": "69123"}
MODULES = ("mémoire", "équilibre", "sommeil", "nutrition", "gym douce", "numérique",
           "lien social", "habitat")
PREFIXES = {"mobile": "67", "fixe": "1234", "autre": "8"}
WORDS = ("je voudrais un atelier", "pour la mémoire", "je dors mal", "j'habite à", "la tablette",
         "c'est loin", "il n'y a rien près de chez moi", "l'équilibre", "merci beaucoup",
         "c'est pour ma mère", "vous pouvez répéter", "rencontrer du monde")


def _moment(rng: random.Random, day: date) -> datetime:
    hour = min(20, max(6, int(rng.gauss(11, 3.2))))
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), PARIS)


def generate(count: int, start: date = date(2026, 12, 1), days: int = 31,
             seed: int = 7) -> Iterator[CallRecord]:
    rng = random.Random(seed)
    regions = list(REGION_WEIGHTS)
    weights = list(REGION_WEIGHTS.values())
    for i in range(count):
        started = _moment(rng, start + timedelta(days=rng.randrange(days)))
        region = rng.choices(regions, weights)[0]
        origin = rng.choices(("mobile", "fixe", "autre"), (0.55, 0.42, 0.03))[0]
        answered = rng.random() > 0.006
        roll = rng.random()
        statuses: tuple[str, ...]
        if not answered:
            statuses = ()
        elif roll < 0.05:
            statuses = ("non_traite", "abandonne")
        elif roll < 0.08:
            statuses = ("traite", "abandonne")
        elif roll < 0.10:
            statuses = ("non_traite", "hors_sujet", "abouti")
        else:
            found = "efficace" if rng.random() < 0.86 else "non_efficace"
            statuses = ("traite", "requete", found)
            if rng.random() < 0.95:
                statuses += ("abouti",)
                if rng.random() < 0.55:
                    statuses += ("evalue",)
        if answered and rng.random() < 0.01:
            statuses += ("malade",)
        located = "requete" in statuses
        tries = (rng.choices((1, 2, 3), (0.82, 0.13, 0.05))[0] if located else
                 rng.choice((0, 1, 2, 3)))
        duration = max(20.0, rng.gauss(140 if "abouti" in statuses else 70, 35))
        welcome = 9.0 if answered else 0.0
        yield CallRecord(
            call_id=f"gen-{seed}-{i:07d}", started_at=started,
            caller=f"0{rng.choice(PREFIXES[origin])}{rng.randrange(10**4):04d}XXXX",
            origin=origin, region=region if located else None,
            insee=INSEE.get(region or "") if located else None, answered=answered,
            handled_s=duration if answered else 0.0, welcome_s=welcome,
            conversation_s=max(0.0, duration - welcome), duration_s=duration,
            statuses=statuses, location_asked=answered and "non_traite" not in statuses,
            location_detected=located, location_tries=tries,
            module=rng.choice(MODULES), search_step=rng.randrange(1, 6) if located else None,
            found=rng.randrange(1, 12) if "efficace" in statuses else 0,
            sms_offered="efficace" in statuses and origin == "mobile",
            sms_accepted="efficace" in statuses and origin == "mobile" and rng.random() < 0.6,
            evaluation=(rng.choices((1, 2, 3, 4, 5), (0.04, 0.06, 0.15, 0.4, 0.35))[0], 1)
            if "evalue" in statuses else (),
            transcript=tuple(rng.sample(WORDS, 3)) if "non_efficace" in statuses else (),
            refused=not answered, end_reason="hangup")
