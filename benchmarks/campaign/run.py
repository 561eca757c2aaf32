"""A simulated campaign of calls through the turn engine, reporting the tender's indicators.

    .venv/bin/python benchmarks/campaign/run.py [--calls 2000] [--seed 11]

Synthetic callers live in the four regions (drawn by population), call from mobiles or
landlines, and answer what the bot just asked the way seniors do: a theme in their words
or a hesitation, their town (sometimes misheard by speech recognition, or a bare homonym),
a postcode said the French ways or typed; a few are in distress, rude, silent, or hang up.
Writes benchmarks/campaign/results.json. Needs the ``test`` extra (num2words).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "location"))

from generate_set import asr_misspelling, postcode_forms  # noqa: E402

from acotel_geo import Gazetteer, Place, Resolver, load_catalogue  # noqa: E402
from acotel_voice.dialog._actions import Event, Turn  # noqa: E402
from acotel_voice.dialog._engine import Engine  # noqa: E402
from acotel_voice.dialog._simulate import Call  # noqa: E402
from acotel_voice.dialog._state import CallState  # noqa: E402

DAY = date(2026, 12, 1)
THEME_PHRASES = ["un atelier mémoire", "je perds un peu la mémoire", "je tombe souvent",
                 "l'équilibre", "je dors mal", "bien manger", "la tablette", "l'ordinateur",
                 "voir du monde", "je me sens un peu seule", "adapter ma maison", "la gym douce"]
GENERIC = ["je cherche un atelier", "c'est pour les ateliers", "je voudrais des renseignements "
           "sur les ateliers", "ma fille m'a dit d'appeler pour un atelier"]


@dataclass
class Persona:
    home: Place
    number: str
    request: list[str]  # what is said to the open question, in order
    location: list[str]  # what is said when asked where, in order
    theme: str
    special: str  # "", "distress", "insult", "silence", "hangup_welcome", "hangup_location"


class TimedEngine(Engine):
    """The engine, timed turn by turn."""

    samples: list[float]

    def handle(self, state: CallState, event: Event) -> tuple[CallState, Turn]:
        started = time.perf_counter()
        result = super().handle(state, event)
        self.samples.append(time.perf_counter() - started)
        return result


def make_persona(rng: random.Random, home: Place, gazetteer: Gazetteer) -> Persona:
    mobile = rng.random() < 0.7
    number = ("0639" if mobile else "0465") + f"{rng.randrange(10**6):06d}"
    roll = rng.random()
    theme = rng.choice(THEME_PHRASES)
    request = [theme] if roll < 0.6 else [rng.choice(GENERIC)] if roll < 0.85 else [
        "je ne sais pas trop", rng.choice(GENERIC)]
    postcode = rng.choice(home.postcodes)
    spoken = [text for _, text in postcode_forms(postcode, rng)]
    name = home.name
    style = rng.random()
    if style < 0.45:
        first = name
    elif style < 0.55:
        first = asr_misspelling(name, rng) or name
    elif style < 0.85:
        first = rng.choice(spoken[:3])
    else:
        first = f"dtmf:{postcode}"
    location = [first, name, f"dtmf:{postcode}"]
    special_roll = rng.random()
    special = ("distress" if special_roll < 0.03 else "insult" if special_roll < 0.05 else
               "silence" if special_roll < 0.09 else "hangup_welcome" if special_roll < 0.11
               else "hangup_location" if special_roll < 0.13 else "")
    return Persona(home, number, request, location, theme, special)


def answer(persona: Persona, call: Call, rng: random.Random, asked: Counter[str]) -> str:
    state = call.state
    step = state.dialog.step
    asked[step] += 1
    n = asked[step]
    if persona.special == "hangup_welcome":
        return "<hangup>"
    if persona.special == "hangup_location" and step == "location":
        return "<hangup>"
    if persona.special == "silence" and sum(asked.values()) == 1:
        return "<silence>"
    if persona.special == "distress" and sum(asked.values()) == 1:
        return "je ne vais pas bien en ce moment"
    if persona.special == "insult" and sum(asked.values()) == 2:
        return "vous êtes nul"
    if step == "request":
        if state.log and state.log[-1]["intent"] == "distress":
            return "oui"
        return persona.request[min(n, len(persona.request)) - 1]
    if step == "location":
        return persona.location[min(n, len(persona.location)) - 1]
    if step == "location_confirm":
        label = state.location.pending.get("label", "")  # "le 37 150": a postcode to confirm
        if label:
            return "oui" if label.replace("le ", "").replace(" ", "") in persona.home.postcodes \
                else "non"
        mine = {persona.home.insee, persona.home.parent}
        return "oui" if state.location.pending.get("insee") in mine else "non"
    if step == "location_choose":
        dep = persona.home.department
        name = call.engine.resolver.gazetteer.departments.get(dep, dep)
        return call.engine.messages("").department_phrase(dep, name)
    if step in ("theme", "refine"):
        return persona.theme if rng.random() < 0.7 else "peu importe"
    if step == "results":
        return "le suivant" if rng.random() < 0.35 else "non merci"
    if step == "sms":
        return "oui" if rng.random() < 0.6 else "non"
    if step == "after":
        return "une autre recherche" if n == 1 and rng.random() < 0.08 else "non merci, au revoir"
    if step == "evaluation":
        return str(rng.choices([1, 2, 3, 4], weights=[5, 10, 35, 50])[0])
    if step == "evaluation_reason":
        return "c'était un peu long"
    return "oui"


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    gazetteer = Gazetteer.load()
    catalogue = load_catalogue(anchor=DAY)
    engine = TimedEngine(Resolver(gazetteer), lambda: catalogue)
    engine.samples = []
    homes = [p for p in gazetteer.places if p.kind == "commune" and p.region != "autre"
             and p.postcodes]
    weights = [p.population + 200 for p in homes]
    records, personas = [], []
    for i in range(args.calls):
        persona = make_persona(rng, rng.choices(homes, weights=weights)[0], gazetteer)
        call = Call(engine, f"call-{i}", persona.number, DAY)
        asked: Counter[str] = Counter()
        while not call.ended and sum(asked.values()) < 40:
            call.say(answer(persona, call, rng, asked))
        records.append(call.finish())
        personas.append(persona)
    states = [r.state for r in records if r.state is not None]
    statuses = Counter(s for st in states for s in st.statuses)
    asked_location = [st for st in states if st.location.tries or st.location.place]
    located = [st for st in asked_location if st.location.place]
    right = [st for st, p in zip(states, personas, strict=True) if st.location.place and (
        st.location.place["insee"] in (p.home.insee, p.home.parent)
        or set(p.home.postcodes) & set(gazetteer.by_insee[st.location.place["insee"]].postcodes))]
    efficace_mobile = [st for st in states if "efficace" in st.statuses and st.origin == "mobile"]
    abouti = [r for r in records if r.state and "abouti" in r.state.statuses]
    durations = sorted(r.duration_s for r in abouti)
    samples = sorted(engine.samples)
    results = {
        "calls": len(records),
        "statuses_pct": {k: pct(v, len(states)) for k, v in sorted(statuses.items())},
        "requete_pct": pct(statuses["requete"], len(states)),
        "location": {
            "asked": len(asked_location), "found_pct": pct(len(located), len(asked_location)),
            "first_try_pct": pct(sum(st.location.first_try for st in located),
                                 len(asked_location)),
            "mean_tries": round(statistics.mean(max(st.location.tries, 1) for st in located), 2),
            "right_commune_pct": pct(len(right), len(located)),
        },
        "sms_rate_pct": pct(sum(bool(st.results.sms_sent) for st in efficace_mobile),
                            len(efficace_mobile)),
        "origin_pct": {k: pct(v, len(states)) for k, v in Counter(st.origin for st in states)
                       .items()},
        "abouti_duration_s": {
            "median": round(statistics.median(durations), 1),
            "p90": round(durations[int(len(durations) * 0.9)], 1),
            "under_3_min_pct": pct(sum(d < 180 for d in durations), len(durations))},
        "turns_per_call": round(statistics.mean(r.turns for r in records), 2),
        "engine_ms_per_turn": {"median": round(statistics.median(samples) * 1000, 3),
                               "p99": round(samples[int(len(samples) * 0.99)] * 1000, 3)},
    }
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
