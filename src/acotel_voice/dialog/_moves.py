"""What matters at any step, read before anything else: safety (an emergency now, suicidal
words said directly or not, maltreatment, loneliness, illness), abuse aimed at the bot,
other services, and the conversational moves (greeting, "attendez", leaving).

A table of French patterns with their context guards, in the order they are tried: high
recall on what must never be missed, guards against false alarms (a past fall, a workshop
topic, praise at the evaluation, a late husband mentioned plainly, swearing at things).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ._intents import normalize


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


EMERGENCY = _any(
    r"\bje (?:suis|viens de) tombee?\b",
    r"\b(?:suis|est) (?:tombee? )?par terre\b", r"\bne (?:bouge|respire) plus\b",
    r"\bpar terre\b.*\b(?:relever|lever)\b",
    r"\b(?:n arrive|arrive) (?:pas|plus) a me (?:relever|lever)\b",
    r"\b(?:peux|peut) (?:pas|plus) (?:me|se) (?:relever|lever)\b",
    r"\bmal (?:a|dans) la poitrine\b", r"\bdouleur\w* (?:dans|a) la poitrine\b",
    r"\b(?:du mal a|peux plus|peux pas) respirer\b", r"\bj etouffe\b", r"\bje saigne\b",
    r"\b(?:je fais|j ai fait|il fait|elle fait|il a fait|elle a fait) un malaise\b",
    r"\bau secours\b", r"\bappelez (?:les pompiers|le samu|une ambulance)\b",
    r"\bil y a le feu\b", r"\bca sent le gaz\b",
    r"\bje me suis (?:fait tres mal|cogne la tete)\b",
    r"\b(?:je suis|elle est|il est) (?:coincee?|bloquee?) par terre\b",
    r"\b(?:ma femme|mon mari|il|elle) (?:a fait|fait) un (?:malaise|avc)\b",
    r"\bje ne sens plus (?:mon bras|ma jambe)\b", r"\b(?:il|elle) ne respire plus\b",
    r"\b(?:il|elle) est (?:tombee?|inconsciente?|par terre)\b")
EMERGENCY_PAST = re.compile(
    r"\b(?:hier|l an dernier|l annee derniere|il y a (?:\w+ )?(?:ans?|mois|semaines?)|"
    r"autrefois|quand je suis tombee?|depuis que je suis tombee?|deja tombee?|"
    r"prevention|peur de tomber|pour eviter|atelier)\b")
SUICIDE = _any(
    r"\ben finir\b", r"\bmettre fin a (?:mes|ses) jours\b", r"\bsuicid", r"\bme tuer\b",
    r"\b(?:plus|pas) (?:envie|le gout|la force) de vivre\b", r"\benvie de mourir\b",
    r"\b(?:veux|voudrais|vais|prefere|prefererais) mourir\b",
    r"\b(?:rejoindre|retrouver) (?:mon mari|ma femme|mon epoux|mon epouse|mon defunt|"
    r"ma defunte|mon homme|(?:le|la) bas)\b",
    r"\b(?:le|la) rejoindre\b", r"\ba quoi bon\b", r"\bun (?:poids|fardeau) pour\b",
    r"\bm endormir et (?:ne )?plus (?:me )?reveiller\b", r"\bplus me reveiller\b",
    r"\bne plus etre la\b", r"\bdisparaitre\b", r"\bplus de raison de vivre\b",
    r"\bje ne vois plus (?:l interet|le sens|pourquoi)\b", r"\bplus la peine\b.*\bvivre\b",
    r"\bpartir pour de bon\b", r"\bje n en peux plus de vivre\b", r"\bvie ne vaut plus\b",
    r"\bje ne sers plus a rien\b", r"\bplus (?:gout|envie) a rien\b",
    r"\bmarre de (?:la|cette) vie\b",
    r"\bque tout s arrete\b", r"\bvie n a plus (?:de|aucun) sens\b", r"\bidees noires\b",
    r"\bpense (?:a|souvent a) la mort\b", r"\bme laisser mourir\b", r"\bplus rien a faire ici\b",
    r"\b(?:avaler|prendre) (?:tous )?mes (?:cachets|medicaments|comprimes)\b",
    r"\bne (?:veux|peux) plus (?:me battre|continuer|vivre comme ca)\b",
    r"\bmieux vaut (?:que je )?(?:disparaisse|parte|meure)\b", r"\bpartir moi aussi\b")
SUICIDE_NOT = re.compile(r"\bmeurs? de (?:faim|soif|froid|rire)\b|\bmort de rire\b")
ABUSE = _any(
    r"\b(?:me|m) (?:frappe|bat|tape|battait|frappait|brutalise|menace|maltraite)\b",
    r"\b(?:me|m a) vole\b", r"\bvole mon\b", r"\b(?:prend|pris|prennent|vide|vident|vidé) "
    r"(?:mon argent|mes economies|mon compte|ma carte|ma pension|ma retraite)\b",
    r"\bmaltrait", r"\bescroqu", r"\barnaqu", r"\bon m a (?:pris|vole)\b",
    r"\b(?:emprunte|pris|prend|vole|garde) (?:toutes? )?mes (?:economies|sous|bijoux)\b",
    r"\bm enferme\b", r"\bme (?:secoue|bouscule|pousse|crie dessus|insulte)\b",
    r"\bme force a signer\b", r"\bprend ma carte (?:bleue|bancaire)\b")
LONELINESS = _any(
    r"\bje suis (?:tres |toute |tout )?seule?\b", r"\btout seul\b", r"\btoute seule\b",
    r"\bpersonne ne (?:vient|m appelle|me rend visite|me parle)\b",
    r"\bje ne (?:vois|parle a) personne\b", r"\bje ne parle plus a personne\b",
    r"\bje me sens (?:tres )?seule?\b", r"\bisolee?\b", r"\bsolitude\b",
    r"\b(?:mes enfants|ma fille|mon fils) (?:n )?(?:appellent?|viennent?) jamais\b",
    r"\bj ai personne\b", r"\bje n ai personne\b", r"\bpersonne a qui parler\b",
    r"\bje m ennuie (?:toute )?seule?\b", r"\bjournees sont (?:longues|vides)\b")
ILLNESS = _any(
    r"\bje suis (?:tres )?malade\b", r"\bj ai (?:la grippe|le covid|un cancer|une bronchite)\b",
    r"\bje sors de l hopital\b", r"\bje suis a l hopital\b", r"\bparkinson\b", r"\bavc\b",
    r"\bchimio", r"\bje suis (?:en )?depression\b", r"\bje deprime\b", r"\bdepressi")
INSULT = _any(
    r"\b(?:espece d|sale|pauvre|grosse?) (?:conne?|idiote?|debile|cretine?|abrutie?|"
    r"imbecile|machine|robot|garce)\b",
    r"\b(?:t es|tu es|vous etes|t es qu une|vous n etes qu une?) (?:vraiment )?"
    r"(?:conne?|idiote?|nulle?|debile|cretine?|abrutie?|imbecile|bete|stupide|incapable)\b",
    r"\bta gueule\b", r"\bfermez? la\b", r"\bconnasse\b", r"\bconnard\b", r"\bva te faire\b",
    r"\b(?:service|robot|machine|truc) de merde\b", r"\bva chier\b", r"\bpetasse\b",
    r"\bsalope\b", r"\bencule\b", r"\bpute\b")
INSULT_NOT = re.compile(r"\bje suis (?:vraiment |tellement |trop )?(?:nulle?|bete|idiote?)\b")
SERVICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("service_scam", _any(r"\b(?:mon |mes |le |les )?codes? (?:de )?(?:ma |la )?(?:carte|banque)",
                          r"\bcode secret\b", r"\bcoordonnees bancaires\b",
                          r"\bon m a (?:appele|appelee|telephone) pour (?:me )?demander\b")),
    ("service_home_help", _any(r"\baide menagere\b", r"\baide a domicile\b", r"\bapa\b",
                               r"\bteleassistance\b", r"\bccas\b", r"\baide a la personne\b",
                               r"\bquelqu un (?:a la maison|pour m aider)\b",
                               r"\bauxiliaire\b", r"\bdependance\b",
                               r"\bauxiliaire de vie\b", r"\bportage (?:de|des) repas\b",
                               r"\bfemme de menage\b", r"\b(?:aide|quelqu un) pour le menage\b")),
    ("service_caf", _any(r"\bcaf\b", r"\bapl\b", r"\ballocations? (?:logement|familiale)")),
    ("service_health_insurance", _any(r"\bsecu\b", r"\bsecurite sociale\b", r"\bcarte vitale\b",
                                      r"\bcaisse (?:primaire|maladie)\b",
                                      r"\brembourse", r"\bfeuille de soins?\b",
                                      r"\bremboursement", r"\bcpam\b", r"\bameli\b",
                                      r"\bmutuelle\b", r"\bassurance maladie\b")),
    ("service_pension", _any(r"\b(?:ma|mon) (?:retraite|pension)\b(?!.*\b(?:preparer|atelier|"
                             r"bien vivre|bien vieillir|vie)\b)",
                             r"\b(?:paiement|versement|virement) de (?:ma |la )?"
                             r"(?:retraite|pension)",
                             r"\battestation de paiement\b", r"\breleve de carriere\b",
                             r"\breversion\b", r"\bdossier de retraite\b",
                             r"\bnumero de (?:la |l )?(?:assurance )?retraite\b",
                             r"\bassurance retraite\b", r"\bcaisse de retraite\b",
                             r"\bagirc\b", r"\barrco\b", r"\bretraite complementaire\b",
                             r"\b(?:pas recu|pas touche|pas ete paye)e? (?:ma |mon )?(?:retraite|"
                             r"pension|virement)", r"\bpension de reversion\b",
                             r"\bmon dossier (?:de retraite|a la carsat)\b",
                             r"\bdepart a la retraite\b.*\b(?:dossier|demande|date)\b")),
    ("service_human", _any(r"\bparler a (?:quelqu un|une personne|un conseiller|une conseillere"
                           r"|une vraie personne|un humain|un etre humain|une dame|un monsieur)\b",
                           r"\bpassez moi\b", r"\bun vrai (?:interlocuteur|conseiller)\b",
                           r"\bune (?:vraie )?personne (?:en chair|humaine)\b",
                           r"\bun(?:e)? conseill(?:er|ere)\b", r"\bune vraie personne\b",
                           r"\bun (?:etre )?humain\b", r"\bpersonne physique\b")),
    ("service_doctor", _any(r"\brendez vous (?:chez|avec) (?:le|mon|un|une) (?:medecin|docteur|"
                            r"dentiste|kine|specialiste|ophtalmo|cardiologue)",
                            r"\bmon (?:medecin|docteur)\b", r"\binfirmiere?\b",
                            r"\bmedecin traitant\b", r"\bprendre rendez vous\b",
                            r"\bordonnance\b", r"\bun medecin\b", r"\bun docteur\b")),
    ("out_of_scope", _any(r"\bmairie\b", r"\bimpots?\b", r"\bcarte grise\b", r"\btaxi\b",
                          r"\bnotaire\b", r"\bedf\b", r"\bfacture\b", r"\bpolice\b",
                          r"\bpasseport\b", r"\bcarte d identite\b", r"\bmeteo\b",
                          r"\bquel temps\b", r"\bhoraires? (?:du|de la|des) (?:bus|train|poste)\b",
                          r"\bla poste\b", r"\bmenuisier\b", r"\belectricien\b",
                          r"\bfaire mes courses\b", r"\bplombier\b", r"\bma banque\b",
                          r"\bcode (?:de )?(?:la )?carte bleue\b", r"\bpermis de construire\b",
                          r"\bcoiffeur\b", r"\bpharmacie de garde\b")),
)
GREETING = re.compile(
    r"^(?:(?:oui |ah |euh |alors )*(?:allo|bonjour|bonsoir|salut)(?: madame| monsieur)?"
    r"(?: allo)*(?: (?:vous m entendez|il y a quelqu un|qui est la|c est bien acotel))?|"
    r"(?:allo )?vous m entendez|il y a quelqu un|(?:allo )+)$")
WAIT = re.compile(
    r"\b(?:attendez|une (?:seconde|minute)|un instant|ne quittez pas|je cherche mes lunettes|"
    r"je prends (?:un|mon) (?:crayon|stylo|papier)|je (?:vais|dois) chercher|"
    r"(?:c est bon )?j ai (?:mon|un) (?:crayon|stylo|papier)|je suis prete?)\b")
THANKS = re.compile(
    r"^(?:(?:tres bien|bon|ok|d accord|parfait|ah) )?(?:je note )?(?:merci|c est (?:bien )?"
    r"(?:gentil|aimable))(?: (?:beaucoup|bien|madame|monsieur|infiniment|c est gentil))*$")
LEAVE = re.compile(
    r"\b(?:laissez tomber|je rappellerai|je vous rappellerai|ca m interesse pas|ca ne m interesse"
    r" pas|c est trop complique|on verra plus tard|je raccroche|au revoir|bonne journee|"
    r"bonne soiree|a bientot|arretez)\b")


@lru_cache(maxsize=4096)
def read_moves(text: str, step: str = "any") -> frozenset[str]:
    """The labels (see INTENTS.md) of what the answer holds that matters at any step."""
    norm = normalize(text)
    found: set[str] = set()
    if not norm:
        return frozenset()
    praise = step in ("evaluation", "evaluation_reason") and not re.search(
        r"\bmal\b.*\b(?:poitrine|respirer)\b|\bpar terre\b|\bsuicid|\ben finir\b", norm)
    if EMERGENCY.search(norm) and not (EMERGENCY_PAST.search(norm) and not re.search(
            r"\b(?:maintenant|la|en ce moment|tout de suite|vient|viens)\b", norm)):
        found.add("emergency")
    if SUICIDE.search(norm) and not SUICIDE_NOT.search(norm):
        found.add("suicide")
    if ABUSE.search(norm):
        found.add("abuse")
    if LONELINESS.search(norm) and not praise:
        found.add("loneliness")
    if ILLNESS.search(norm) and not praise:
        found.add("illness")
    if INSULT.search(norm) and not INSULT_NOT.search(norm):
        found.add("insult")
    for label, pattern in SERVICES:
        if pattern.search(norm):
            found.add(label)
            break
    if GREETING.match(norm):
        found.add("greeting")
    if WAIT.search(norm):
        found.add("wait")
    if THANKS.match(norm):
        found.add("thanks")
    if LEAVE.search(norm):
        found.add("goodbye")
    return frozenset(found)


@lru_cache(maxsize=256)
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b{re.escape(normalize(w))}\b" for w in words))


def other_service(text: str, services: Iterable[Mapping[str, Any]]) -> str | None:
    """The key of the first "other service" published in the steering app whose words
    the answer holds (``services``: ``{"key", "words"}`` each), or None."""
    norm = normalize(text)
    for service in services:
        if norm and _words(tuple(service["words"])).search(norm):
            return str(service["key"])
    return None


# The kinds of workshop (the catalogue's modules) in seniors' words, the most specific first.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (module, re.compile(pattern)) for module, pattern in (
        ("sécurité routière", r"\bcode de la route\b|\bconduite\b|\bconduire\b|\bvoiture\b|"
                              r"\bpermis\b|\bau volant\b|\bsecurite routiere\b"),
        ("sommeil", r"\bsommeil\b|\bdormir\b|\bdors\b|\binsomnie|\bme reveille\b|\bnuits?\b"),
        ("équilibre", r"\bequilibre\b|\bchutes?\b|\btomber\b|\btombe\b|\btiens (?:mal|plus) "
                      r"debout\b|\bvertige"),
        ("mémoire", r"\bmemoire\b|\boubli|\bcerveau\b|\bla tete\b|\balzheimer\b|\bretenir\b"),
        ("nutrition", r"\bnutrition\b|\bmanger\b|\balimentation\b|\bcuisine|\bregime\b|"
                      r"\brepas\b|\bmange\b"),
        ("numérique", r"\bnumerique\b|\btablette\b|\bordinateur\b|\binternet\b|"
                      r"\bsmartphone\b|\b(?:apprendre|utiliser|servir|comprendre)\b.{0,25}\bportable\b|"
                      r"\bmails?\b|\be mails?\b|\ben ligne\b|"
                      r"\binformatique\b"),
        ("gym douce", r"\bgym\b|\bgymnastique\b|\bbouger\b|\bsport\b|\byoga\b|"
                      r"\bactivite physique\b|\bmarche\b|\bmarcher\b|\bforme\b|\bpilates\b|"
                      r"\bstretching\b|\betirements?\b|\bassouplissement"),
        ("habitat", r"\bhabitat\b|\blogement\b|\bsalle de bain|\bescaliers?\b|\btravaux\b|"
                    r"\bamenager\b|\bmaison\b|\bdomicile\b|\bbaignoire\b"),
        ("lien social", r"\brencontrer\b|\bdu monde\b|\bdes gens\b|\bsortir\b|\bamis?\b|"
                        r"\bcompagnie\b|\ben groupe\b|\bconvivial|\blien social\b|"
                        r"\bdiscuter\b|\bvoir du monde\b"),
        ("bien-être", r"\bbien etre\b|\bstress|\bdetente\b|\brelax|\bmoral\b|\bsophro|"
                      r"\bangoiss|\banxi"),
        ("retraite", r"\bpreparer (?:ma|sa|la) retraite\b|\bnouveaux? retraites?\b|"
                     r"\bjeune retraite|\bbien vivre (?:ma|sa) retraite\b|"
                     r"\bpasser a la retraite\b|\bvie de retraitee?\b|\bla retraite\b"),
    ))


def wished_kinds(text: str) -> tuple[str, ...]:
    """The kinds of workshop the answer names, in the order they are said (the last one
    wins on a correction: "non, plutôt le sommeil")."""
    norm = normalize(text)
    found = [(match.start(), module) for module, pattern in KINDS
             for match in [pattern.search(norm)] if match]
    return tuple(module for _, module in sorted(found))


def chosen_kind(text: str) -> str:
    """The kind of workshop the caller settles on: the one after "plutôt", else the last
    one after a "pas …" correction, else the first one said ("" when none)."""
    kinds = wished_kinds(text)
    if not kinds:
        return ""
    norm = normalize(text)
    if "plutot" in norm:
        after = norm[norm.index("plutot"):]
        later = wished_kinds(after)
        if later:
            return later[0]
    if re.search(r"\b(?:non|pas)\b", norm) and len(kinds) > 1:
        return kinds[-1]
    return kinds[0]
