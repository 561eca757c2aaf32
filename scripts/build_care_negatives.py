"""Write src/acotel_voice/corpus/care_negatives.txt: plain answers that hold no distress
and no insult, for the safety model of ``acotel_voice.dialog._care`` to learn that "je suis
à Béziers" or "allô, vous m'entendez ?" is nothing to worry about (the corpus by another
author has few such short answers, and a model trained on it alone took "je suis à …"
for "je suis tombée").

    .venv/bin/python scripts/build_care_negatives.py

Deterministic: the communes of the four regions taken in INSEE order at a fixed stride,
each in one of the templates below, in turn.
"""

from __future__ import annotations

from pathlib import Path

from acotel_geo import EXPERIMENT_REGIONS, Gazetteer

OUT = Path(__file__).resolve().parents[1] / "src" / "acotel_voice" / "corpus" / \
    "care_negatives.txt"
PLACE_TEMPLATES = (
    "{name}", "je suis à {name}", "j'habite à {name}", "bonjour je suis à {name}",
    "oui c'est ça {name}", "euh {name}", "moi c'est {name}", "j'habite {name}",
    "je suis de {name}", "c'est pour {name}", "à {name} dans le {department}",
    "oui bonjour j'habite à {name}", "non je suis à {name}", "je vis à {name}",
    "ben à {name}", "c'est {name}",
)
MOVES = (
    "allô", "allô allô", "allô vous m'entendez", "allô allô vous m'entendez",
    "vous m'entendez", "allô vous êtes là", "vous êtes toujours là", "oui bonjour",
    "bonjour madame", "bonjour monsieur", "bonsoir", "oui allô bonjour",
    "attendez je cherche mes lunettes", "attendez deux secondes", "je vous entends mal",
    "je vous entends très mal", "pardon je n'ai pas entendu", "vous pouvez répéter",
    "excusez-moi j'étais sourde d'une oreille", "je suis là je suis là", "oui je suis là",
    "c'est bon je suis là", "je suis toujours là", "je suis prête", "je suis d'accord",
    "je suis intéressée", "je suis intéressé par la mémoire", "je suis à la retraite",
    "je suis retraitée depuis dix ans", "je suis veuve et j'aimerais sortir un peu",
    "je suis en forme", "je suis bien contente", "je suis chez moi", "je suis dans ma cuisine",
    "je suis née en mille neuf cent quarante", "je suis pas pressée",
)


def main() -> None:
    gazetteer = Gazetteer.load()
    departments = {d for codes in EXPERIMENT_REGIONS.values() for d in codes}
    communes = sorted((p for p in gazetteer.by_insee.values()
                       if p.kind == "commune" and p.department in departments),
                      key=lambda p: p.insee)
    picked = communes[::12]
    names = {code: name for name, code in gazetteer.department_names.items()}
    lines = [template.format(name=place.name.lower(),
                             department=names.get(place.department, place.department))
             for place, template in zip(picked, PLACE_TEMPLATES * len(picked), strict=False)]
    text = "".join(f"{line}\n" for line in (*MOVES, *lines))
    OUT.write_text(text, "utf-8")
    print(f"{OUT}: {len(MOVES) + len(lines)} lines")


if __name__ == "__main__":
    main()
