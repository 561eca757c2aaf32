"""The kinds of workshop (the catalogue's modules) in seniors' words, and which one an
answer settles on (a correction, a purpose, the workshop named, what the caller already
does)."""

from __future__ import annotations

import re

from ._intents import normalize
from ._safety_words import FALL_IDIOM

# The kinds of workshop (the catalogue's modules) in seniors' words, the most specific first.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (module, re.compile(pattern)) for module, pattern in (
        ("sécurité routière", r"\bcode de la route\b|\bconduite\b|\bconduire\b|"
                              r"\bconduis\b|\bconducte?u?r(?:s|ice|ices)?\b|\bpanneaux\b|"
                              r"\brevoir le code\b|\bronds? points?\b|"
                              r"\b(?:ma|en) voiture\b(?! de mon| de ma| de mes)|"
                              r"\bpermis\b|\bau volant\b|\bsecurite routiere\b"),
        ("sommeil", r"\bsommeil\b|\bdormir\b|\bdors\b|\binsomnie|\bme reveille\b|"
                    r"\b(?:mes|les|des|ses) nuits\b|\bla nuit je\b|\bnuits? blanches?\b"),
        ("équilibre", r"\bequilibre\b|\bchutes?\b|(?<!laissez )(?<!laisse )(?<!fait )\btomber\b|"
                      r"(?<!ca )\btombe\b(?! des nues| mal| bien| de sommeil)|"
                      r"\btiens (?:mal|plus) debout\b|"
                      r"\bvertige|\b(?:suis|etais|etait|est) tombee?\b(?! (?:en panne|malade))"),
        ("mémoire", r"\bmemoire\b|\boubli|\bcerveau\b|(?<!mal a )\bla tete\b(?! qui tourne)|"
                    r"\balzheimer\b|\bretenir\b"),
        ("nutrition", r"\bnutrition\b|\bmanger\b|\balimentation\b|\bcuisine|\bregime\b|"
                      r"\brepas\b|\bmange\b"),
        ("numérique", r"\bnumerique\b|\btablette\b|\bordinateur\b|"
                      r"(?<!sur )(?<!par )(?<!site )\binternet\b|"
                      r"\bsmartphone\b|\b(?:apprendre|utiliser|servir|comprendre)\b.{0,25}\bportable\b|"
                      r"\bmails?\b|\be mails?\b|\ben ligne\b|"
                      r"\binformatique\b|\bateliers? (?:pour|sur) (?:le |les )?(?:telephones? )?"
                      r"portables?\b"),
        ("gym douce", r"\bgym\b|\bgymnastique\b|\bbouger\b|\bsport\b|\byoga\b|"
                      r"\bactivite physique\b|(?<!ca )\bmarche\b|\bmarcher\b|\bforme\b|\bpilates\b|"
                      r"\bstretching\b|\betirements?\b|\bassouplissement"),
        # "la maison" alone says where one is ("tout seul dans la maison"), not a wish
        ("habitat", r"\bhabitat\b|\blogement\b|\bsalle de bain|\bescaliers?\b|\btravaux\b|"
                    r"\bamenager\b|\bbaignoire\b|\b(?:adapter|securiser|equiper) (?:ma |la |sa |"
                    r"le |mon |son )?(?:maison|domicile|chez moi)\b|"
                    r"\bmaison (?:adaptee|securisee)\b|"
                    r"\brester (?:chez moi|a la maison|a domicile)\b|\bchez soi\b|"
                    r"\b(?:rendre|adapter) (?:la|ma|sa) maison\b|\bmaison (?:plus )?pratique\b|"
                    r"\bmaison (?:devient|est) (?:pas|plus) pratique\b"),
        # "sortir le porte-monnaie" takes something out: no wish to go out
        ("lien social", r"\brencontrer\b|\bdu monde\b|\bdes gens\b|"
                        r"\bsortir\b(?! (?:le|les|mon|mes|son|ses|des|ma|sa|la poubelle)\b)|"
                        r"\bamis?\b|"
                        r"\bje m ennuie\b|\bje tourne en rond\b|\ble club\b|"
                        r"\bclubs? des (?:anciens|retraites|aines|seniors)\b|"
                        r"\bcompagnie\b|\ben groupe\b|\bconvivial|\blien social\b|"
                        r"\bdiscuter\b|\bvoir du monde\b|\bon discute\b|\b(?:un|des) clubs?\b|"
                        r"\bbelote\b|"
                        r"\b(?:jouer|jeux?) (?:aux|de) (?:cartes|societe|scrabble)\b|"
                        r"\bcopains\b|\bcopines\b|\bpapoter\b"),
        ("bien-être", r"\bbien etre\b|\bstress|\bdetente\b|\bdetendre\b|\brelax|\bmoral\b|"
                      r"\bsophro|\bangoiss|\banxi|\bprendre (?:un peu )?soin de (?:moi|soi)\b|"
                      r"\blacher prise\b|\bzen\b|\bemotions?\b|\bpenser (?:un peu )?a moi\b|"
                      r"\bsouffler un peu\b|\bpour souffler\b|\bme ressourcer\b|\bdecompresser\b"),
        ("retraite", r"\bpreparer (?:ma|sa|la) retraite\b|\bnouveaux? retraites?\b|"
                     r"\bjeune retraite|\bbien vivre (?:ma|sa) retraite\b|"
                     r"\bpasser a la retraite\b|\bvie de retraitee?\b|"
                     r"(?<!suis a )(?<!depuis )(?<!deja a )\bla retraite\b|"
                     r"\b(?:m arrete|arreter|arrete) de travailler\b|"
                     r"\b(?:pars|part|partir|passe) (?:en|a la) retraite\b|"
                     r"\b(?:prendre|prends|pris) (?:ma|sa) retraite\b|"
                     r"\b(?:quoi faire de|occuper) (?:mes|ses) journees\b"),
    ))


def _kinds_at(norm: str) -> list[tuple[int, str]]:
    """Where each kind of workshop is first named in a folded answer, in order."""
    norm = FALL_IDIOM.sub(lambda m: " " * len(m.group()), norm)  # positions kept
    return sorted((match.start(), module) for module, pattern in KINDS
                  for match in [pattern.search(norm)] if match)


def wished_kinds(text: str) -> tuple[str, ...]:
    """The kinds of workshop the answer names, in the order they are said (the last one
    wins on a correction: "non, plutôt le sommeil")."""
    return tuple(module for _, module in _kinds_at(normalize(text)))


def chosen_kind(text: str) -> str:
    """The kind of workshop the caller settles on: the one after "plutôt", else the
    purpose of the first one ("la gym pour l'équilibre"), else the last one after a
    correction ("non…", "pas la mémoire, …"), else the first one said ("" when none)."""
    norm = normalize(text)
    found = _kinds_at(norm)
    if not found:
        return ""
    kinds = [module for _, module in found]
    for marker in ("plutot", "alors", "donc"):  # "…, alors l'équilibre": the conclusion
        if marker in norm.split() and wished_kinds(norm[norm.rindex(marker):]):
            return wished_kinds(norm[norm.rindex(marker):])[0]
    if "plutot" in norm:
        after = norm[norm.index("plutot"):]
        later = wished_kinds(after)
        if later:
            return later[0]
    if len(kinds) == 1:
        return kinds[0]
    doing = [module for at, module in found if _DOING.search(norm[max(0, at - 60):at])]
    if doing and len(doing) < len(found):  # "je fais de la marche, mais la mémoire…"
        found = [(at, module) for at, module in found if module not in doing]
        kinds = [module for _, module in found]
        if len(kinds) == 1:
            return kinds[0]
    first = found[0][0]
    named = [module for at, module in found if _AFTER_ATELIER.search(norm[:at])]
    if len(named) == 1 and not (re.search(r"\bnon\b", norm) or _NEGATED.search(norm)):
        return named[0]  # "pour la retraite, un atelier numérique": the workshop named
    purpose = re.search(r"\bpour (.*)", norm[first:])
    aimed = wished_kinds(purpose.group(1)) if purpose else ()
    if aimed:
        return aimed[0]  # "la gym pour l'équilibre": its purpose
    if re.search(r"\bnon\b", norm) or _NEGATED.search(norm[:first]):
        return kinds[-1]  # "pas la mémoire, le sommeil" (not "pour pas tomber")
    return kinds[0]


# "Je fais de la chorale, de la marche": what the caller does already, not a wish.
_DOING = re.compile(r"\bje (?:fais|pratique|vais a la|vais au) (?:deja |encore |toujours )?"
                    r"(?:(?:de la|du|des|de l|a la) )?(?:\w+ ){0,3}(?:(?:de la|du|des|de l) )?$")
# "Un atelier (sur la) …" just before a kind: the workshop named as such.
_AFTER_ATELIER = re.compile(r"\bateliers? (?:(?:de|d|du|des|sur|pour|sur le|sur la) )?"
                            r"(?:(?:la|le|l|les) )?$")
# "pas (la) mémoire" just before the first kind said: a correction follows.
_NEGATED = re.compile(r"(?<!pour )(?<!de )(?<!ne )\bpas (?:(?:le|la|l|les|du|des|un|une|de|d|"
                      r"atelier|trop|plutot) )*$")
