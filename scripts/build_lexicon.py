"""Build data/lexicon/fr_common_words.txt: common French words that are not town names.

Source: the PyPI package ``wordfreq==3.1.1`` (its French frequency list, CC BY-SA 4.0),
the 30,000 most frequent words, folded like place names. Words that are the name (or the
first word of the name) of a commune of 5,000 people or more are left out: "Sens",
"Orange", "Salon" are places, "rien", "mère", "jardin" are words; so are "grande",
"maison" (``EVERYDAY_FIRST_WORDS``), first words of longer names only.

Run: ``pip install -e '.[build]' && python scripts/build_lexicon.py``.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from wordfreq import top_n_list

from acotel_geo import Gazetteer
from acotel_geo.places._text import name_tokens, strip_article

WORDFREQ_VERSION = "3.1.1"
TOP_N = 30_000
TOWN = 5_000
# First words of town names said daily for themselves ("la maison est trop grande" is no
# La Grande-Motte): kept as common words unless a town of that very name exists. Numbers
# stay out: "Six-Fours" is said "six fours".
EVERYDAY_FIRST_WORDS = frozenset({
    "grand", "grande", "grands", "petit", "petite", "haute", "basse", "bon", "bel", "vieux",
    "vieille", "longue", "vert", "gros", "maison", "maisons", "murs", "porte", "riviere",
    "ile", "baie", "chene", "pre", "folie", "chutes", "entre", "notre", "neuves"})
OUT = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "fr_common_words.txt"


def main() -> None:
    if version("wordfreq") != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq=={WORDFREQ_VERSION} is required for a reproducible build")
    towns: set[str] = set()
    for place in Gazetteer.load().places:
        if place.population >= TOWN and place.kind != "quarter":  # a quarter's name is
            # matched only as a whole name ("Belle de Mai"): "belle", "rue" stay words
            tokens = strip_article(name_tokens(place.name))
            if len(tokens) == 1 or tokens[0] not in EVERYDAY_FIRST_WORDS:
                towns.add(tokens[0])
    words: set[str] = set()
    for word in top_n_list("fr", TOP_N):
        for token in name_tokens(word):
            if token.isalpha() and len(token) > 1 and token not in towns:
                words.add(token)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# common French words, folded; wordfreq=={WORDFREQ_VERSION} top {TOP_N} "
              f"(CC BY-SA 4.0) minus names of towns of {TOWN}+ people; "
              "built by scripts/build_lexicon.py\n")
    OUT.write_text(header + "\n".join(sorted(words)) + "\n", "utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
