"""Common French words that are not town names (data/lexicon/, see scripts/build_lexicon.py).

A caller's "je comprends rien" or "c'est pour ma mère" must not become Rians or Méré:
spans made only of such words are matched to places only exactly, and only when the
answer also says it is a place (a locative word before it, a postcode or a department).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from .._files import data_dir

PATH = data_dir() / "lexicon" / "fr_common_words.txt"
SAINTS = frozenset({"saint", "sainte", "saints", "saintes"})
# Words right before a name that say "this is where I live".
LOCATIVE_CUES = frozenset({"a", "au", "aux", "habite", "vis", "reside", "demeure", "commune",
                           "ville", "village"})
# Words right before a common noun that make it one: "ma mère", "un jardin".
DETERMINERS = frozenset({"ma", "mon", "mes", "ta", "ton", "tes", "sa", "son", "ses", "notre",
                         "votre", "nos", "vos", "leur", "leurs", "un", "une", "du", "des",
                         "ce", "cet", "cette", "ces", "au", "aux"})
# Kinds of places: "j'habite à la montagne", "au bord de la mer" say no town, unless a
# department or postcode comes with them ("La Montagne en Haute-Saône"). Said without an
# article they may be one ("à Mer").
GENERIC_PLACES = frozenset({"mer", "montagne", "montagnes", "campagne", "plage", "foret",
                            "riviere", "ville", "port", "lac", "bord", "centre", "banlieue",
                            "cite", "residence", "hopital", "maison", "colline", "vallee"})
# Regions and pays said after a town: "Louhans en Bresse", "Toulouse en Occitanie" locate
# the town, they are not a second one (La Bresse, Brie). Department names are hints already.
REGION_QUALIFIERS = frozenset("""
bresse sologne provence camargue beauce brie bourgogne bretagne normandie alsace lorraine
champagne picardie auvergne limousin gascogne dauphine occitanie languedoc roussillon
cevennes morvan perche berry touraine anjou poitou quercy perigord bearn cotentin vexin
gatinais dombes beaujolais forez velay vivarais luberon vercors chartreuse bugey chablais
aunis saintonge medoc armagnac bigorre lauragais albigeois rouergue gevaudan cerdagne
conflent minervois corbieres bocage puisaye auxois charolais brionnais maconnais bazois
nivernais
""".split())
# Subjects before "a" that make it the verb: "il a", "m'a dit", "on a".
HAS_SUBJECTS = frozenset({"il", "elle", "on", "m", "t", "l", "y", "n", "qui", "ca", "ce"})
_ARTICLES = frozenset({"le", "la", "les", "l"})
# A sentence about oneself: "je comprends rien", "on verra".
PRONOUNS = frozenset({"je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"})


def after_locative(tokens: Sequence[str], start: int, contracted: bool = True) -> bool:
    """A word like "à", "au", "habite" just before ``start``, articles skipped;
    ``contracted=False`` leaves "au"/"aux" out ("mal au dos")."""
    i = start - 1
    while i >= 0 and tokens[i] in _ARTICLES:
        i -= 1
    if i < 0 or tokens[i] not in LOCATIVE_CUES or (
            not contracted and tokens[i] in ("au", "aux")):
        return False
    return not (tokens[i] == "a" and i > 0 and tokens[i - 1] in HAS_SUBJECTS)


@cache
def common_words() -> frozenset[str]:
    with open(PATH, encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip() and line[0] != "#")


def is_common_phrase(tokens: Sequence[str], content: Sequence[bool]) -> bool:
    """All the span's content words are common words, and it is not a "Saint-…" name."""
    words = [t for t, is_content in zip(tokens, content, strict=True) if is_content]
    if not words or tokens[0] in SAINTS:
        return False
    lexicon = common_words()
    return all(w in lexicon for w in words)
