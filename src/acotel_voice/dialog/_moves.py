"""What matters at any step, read before anything else (``read_moves``): safety and abuse
aimed at the bot (their words in ``_safety_words``; what the patterns did not foresee, the
model of ``_care`` adds, under the same guards), other services (the table ``SERVICES``),
the conversational moves (greeting, "attendez", thanks, leaving), and what is said again
(a number, a doubt about the scope, the previous workshop, going on after a safety answer).
The kinds of workshop are in ``_kinds``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ._care import care_labels
from ._intents import normalize
from ._kinds import wished_kinds
from ._results import question_in
from ._safety_words import (
    ABUSE,
    DANGER,
    DROPPED,
    EMERGENCY,
    EMERGENCY_PAST,
    ENCOURAGED,
    FALL_IDIOM,
    ILLNESS,
    ILLNESS_PAST,
    INSULT,
    INSULT_NOT,
    LONELINESS,
    LONELY_BUT_FINE,
    LONELY_EVEN_IN_PRAISE,
    NOW,
    RECENT,
    SUICIDE,
    SUICIDE_NOT,
    UNAIDED,
    any_of,
)

SERVICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("service_scam", any_of(r"\b(?:mon |mes |le |les )?codes? (?:de )?(?:ma |la )?(?:carte|banque)",
                          r"\bdonne (?:pas )?mes codes\b",
                          r"\b(?:c est|c etait) (?:une |pas une )?arnaque\b(?! (?:votre|vos|ce|"
                          r"cette|ici|chez vous|vous))",
                          r"\b(?:recuperer|chercher|prendre) (?:ma|mes) cartes? (?:bleues?|"
                          r"bancaires?)\b", r"\bfraudes? sur mon compte\b",
                          r"\bcode secret\b", r"\bcoordonnees bancaires\b",
                          r"\bcode (?:recu|envoye) par (?:sms|texto|message)\b",
                          r"\bdebloquer mon compte\b", r"\bfaux (?:conseiller|banquier)\b",
                          r"\bon m a (?:appele|appelee|telephone) pour (?:me )?demander\b")),
    ("service_home_help", any_of(r"\baide menagere\b", r"\baide a domicile\b", r"\bapa\b",
                               r"\bteleassistance\b", r"\bccas\b", r"\baide a la personne\b",
                               r"\bquelqu un (?:a la maison|pour m aider)\b",
                               r"\bauxiliaire\b", r"\bdependance\b",
                               r"\bauxiliaire de vie\b", r"\bportage (?:de|des) repas\b",
                               r"\bfemme de menage\b", r"\b(?:aide|quelqu un) pour le menage\b")),
    ("service_caf", any_of(r"\bcaf\b", r"\bapl\b",
                         r"\ballocations? (?:de |du |d )?(?:logement|familiales?)",
                         r"\baides? au logement\b", r"\bprime d activite\b")),
    ("service_health_insurance", any_of(r"\bsecu\b", r"\bsecurite sociale\b", r"\bcarte vitale\b",
                                      r"\bcaisse (?:primaire|maladie)\b",
                                      r"\brembourse", r"\bfeuille de soins?\b",
                                      r"\bremboursement", r"\bcpam\b", r"\bameli\b",
                                      r"\bmutuelle\b", r"\bassurance maladie\b")),
    ("service_pension", any_of(r"(?<!prendre )(?<!prends )(?<!pris )(?<!depuis )(?<!a )"
                             r"(?<!preparer )(?<!prepare )"
                             r"\b(?:ma|mon) (?:retraite|pension)\b(?!.*\b(?:preparer|atelier|"
                             r"bien vivre|bien vieillir|vie)\b)",
                             r"\b(?:paiement|versement|virement) de (?:ma |la )?"
                             r"(?:retraite|pension)",
                             r"\battestation de paiement\b", r"\breleve de carriere\b",
                             r"\breversion\b", r"\bdossier de retraite\b",
                             r"\bnumero de (?:la |l )?(?:assurance )?retraite\b",
                             r"(?<!journal de l )(?<!journal de la )(?<!bulletin de la )"
                             r"(?<!lettre de la )"
                             r"(?<!papier de la )(?<!courrier de la )(?<!magazine de la )"
                             r"(?<!revue de la )"
                             r"\b(?:assurance retraite|caisse de retraite)\b",
                             r"\bagirc\b", r"\barrco\b", r"\bretraite complementaire\b",
                             r"\b(?:pas recu|pas touche|pas ete paye)e? (?:ma |mon )?(?:retraite|"
                             r"pension|virement)", r"\bpension de reversion\b",
                             r"\bmon dossier (?:de retraite|a la carsat)\b",
                             r"\bminimum vieillesse\b", r"\baspa\b",
                             r"\b(?:ma|mon|la) (?:retraite|pension) (?:elle |il )?(?:baisse|"
                             r"a baisse|est pas tombee|n est pas tombee|arrive pas)\b",
                             r"\bdepart a la retraite\b.*\b(?:dossier|demande|date)\b")),
    ("service_human", any_of(r"\btombe sur (?:quelqu un|une personne)\b",
                           r"(?<!du bien de )\bparler a (?:quelqu un(?! de \w)|une personne|"
                           r"un conseiller|une conseillere|une vraie personne|un humain|"
                           r"un etre humain|une dame|un monsieur)\b",
                           r"\bpassez moi\b", r"\bun vrai (?:interlocuteur|conseiller)\b",
                           r"\bme passer (?:quelqu un|une personne|un conseiller)\b",
                           r"\bje (?:veux|voudrais) (?:une personne|quelqu un de vrai|un humain|"
                           r"une dame|un monsieur)\b",
                           r"\bune (?:vraie )?personne (?:en chair|humaine)\b",
                           r"\bun(?:e)? conseill(?:er|ere)\b", r"\bune vraie personne\b",
                           r"\bun (?:etre )?humain\b", r"\bpersonne physique\b",
                           r"\b(?:une|un) (?:vraie |vrai )?(?:personne|dame|monsieur) au bout du "
                           r"fil\b", r"\bpas (?:a )?(?:une|un) (?:machine|robot)\b.*\bpersonne\b",
                           r"\bpersonne\b.*\bpas (?:a )?(?:une|un) (?:machine|robot)\b",
                           r"\bquelqu un de (?:la carsat|chez vous|vivant)\b",
                           r"\bparler a (?:la|une) (?:dame|madame|personne|conseillere) de\b",
                           r"\b(?:avoir|joindre) quelqu un(?: en vrai| de vivant)?\b",
                           r"\bquelqu un en vrai\b")),
    ("service_find_doctor", any_of(
        r"\b(?:trouver|cherche|chercher|trouve pas|pas trouve) (?:un |d )?(?:autre |nouveau )?"
        r"medecin\b", r"\bmedecin (?:traitant )?(?:part|est parti|partait) (?:a la retraite)?\b",
        r"\bplus de medecin traitant\b", r"\bpas de medecin traitant\b")),
    ("service_doctor", any_of(r"(?<!j ai )(?<!j avais )(?<!j aurai )\brendez vous (?:chez|avec) "
                            r"(?:le |mon |un |une |l |la |ma )?"
                            r"(?:medecin|docteur|dentiste|kine|specialiste|ophtalmo|cardiologue|"
                            r"dermato|gyneco|podologue|radiologue|orthophoniste|infirmi)",
                            r"\bmon (?:medecin|docteur)\b",
                            r"\b(?:une|d une|un|d un) infirmiere?\b",
                            r"\bmedecin traitant\b", r"\bprendre rendez vous\b",
                            r"\bordonnance\b", r"\bun medecin\b", r"\bun docteur\b",
                            r"\bmedecin de garde\b", r"\bsos medecins?\b",
                            r"\bpour le medecin\b")),
    ("out_of_scope", any_of(r"(?<!papier de la )(?<!journal de la )(?<!bulletin de la )"
                          r"(?<!cote de la )(?<!pres de la )(?<!par la )"
                          r"\bmairie\b(?! m a | nous a )",
                          r"\bimpots?\b", r"\bcarte grise\b", r"\btaxis?\b",
                          r"\bnotaire\b", r"\bedf\b",
                          r"(?<!sur ma )(?<!sur la )(?<!sur mes )\bfacture\b", r"\bpolice\b",
                          r"\bpasseport\b", r"\bcarte d identite\b", r"\bmeteo\b",
                          r"\bquel temps\b", r"\bhoraires? (?:du|de la|des) (?:bus|train|poste)\b",
                          r"\bla poste\b", r"\bmenuisier\b", r"\belectricien\b",
                          r"\bfaire mes courses\b", r"\bplombier\b", r"\bma banque\b",
                          r"\bcode (?:de )?(?:la )?carte bleue\b", r"\bpermis de construire\b",
                          r"\bcoiffeur\b", r"\bpharmacie de garde\b", r"\bdechetterie\b",
                          r"\bencombrants\b", r"\bcantine\b",
                          r"\btransports? (?:pour|vers|a|jusqu)\b.*\b(?:hopital|rendez vous|"
                          r"medecin|clinique)\b", r"\bvsl\b", r"\bambulance pour\b",
                          r"\b(?:resilier|abonnement (?:de |du )?(?:telephone|portable|"
                          r"internet|box))\b", r"\bc est pas (?:orange|sfr|free|bouygues)\b")),
)
# "C'est qui ?", "qui m'appelle ?", "c'est la Carsat ?": who the bot is.
WHO = re.compile(r"\bc est qui\b|\bqui (?:m appelle|m a appelee?|appelle|est a l appareil)\b|"
                 r"\bvous etes qui\b|\bqui etes vous\b|\bc est (?:bien )?(?:la carsat|"
                 r"l assurance retraite|la caisse de retraite)\b(?!.*\b(?:dossier|pension|"
                 r"paiement|versement)\b)|"
                 r"\bc est quoi (?:exactement|ce (?:service|numero|truc))\b|"
                 r"\bc est (?:bien )?(?:une banque|la secu|la securite sociale)\b"
                 r"(?! (?:qui|que|pour))|"
                 r"\bqu est ce que c est (?:que )?(?:ce (?:service|numero)|acotel)\b|"
                 r"\bvous faites quoi(?: vous)?(?: exactement)?\b")
# "C'est la sécu ?": who we are, asked; not a question for the health insurance.
IDENTITY = re.compile(r"\bc est (?:bien )?(?:une banque|la secu|la securite sociale)\b"
                      r"(?! (?:qui|que|pour))")
GREETING = re.compile(
    r"^(?:(?:oui |ah |euh |alors )*(?:allo|bonjour|bonsoir|salut)"
    r"(?: madame| monsieur| mademoiselle)?"
    r"(?: allo)*(?: (?:vous m entendez|il y a quelqu un|qui est la|c est bien acotel|"
    r"vous etes (?:bien |tres )?(?:aimable|gentille?)))?|"
    r"(?:allo )?vous m entendez|il y a quelqu un|(?:allo )+)$")
WAIT = re.compile(
    r"\b(?:attendez|une (?:seconde|minute)|un instant|ne quittez pas|je cherche mes lunettes|"
    r"je prends (?:un|mon) (?:crayon|stylo|papier)|je (?:vais|dois) chercher|"
    r"(?:deux|une|trois) secondes?|je reflechis|laissez moi (?:reflechir|le temps|chercher)|"
    r"j ai (?:fait tomber|lache) (?:le|mon) (?:telephone|combine|portable|appareil))\b")
# Ready to note: "c'est bon, j'ai mon crayon", "je suis prête", "allez-y" — a yes.
READY = re.compile(r"\bj ai (?:mon|un|de quoi) (?:crayon|stylo|papier|noter|ecrire)\b|"
                   r"\bje suis prete?\b|\ballez y\b|\bje vous ecoute\b|\bje note\b")
# "Oui merci", "volontiers": a yes, whatever thanks come with it ("d'accord" is not one).
PLAIN_YES = re.compile(r"^(?:(?:ben|ah|euh|bah|alors|oh) )*(?:oui|ouais|volontiers|je veux bien|"
                       r"avec plaisir|pourquoi pas)\b")
LEADING_YES = re.compile(r"^(?:(?:ben|ah|euh|bah|alors|oh) )*(?:oui|ouais|volontiers|"
                         r"d accord|bien sur|avec plaisir|pourquoi pas|je veux bien)\b")
THANKS = re.compile(
    r"^(?:(?:tres bien|bon|ok|d accord|parfait|ah) )?(?:je note )?(?:merci|c est (?:bien )?"
    r"(?:gentil|aimable))(?: (?:beaucoup|bien|madame|monsieur|infiniment|c est gentil))*$")
LEAVE = re.compile(
    r"\b(?:laissez tomber|je rappellerai|je vous rappellerai|ca m interesse pas|ca ne m interesse"
    r" pas|c est trop complique|on verra plus tard|je raccroche|au revoir|bonne journee|"
    r"bonne soiree|bonne nuit|a bientot|arretez|trompee? de numero)\b|(?<=\w )salut$")
# "Bon, je les appellerai demain, merci": done with the other service, unless more follows
# ("et sinon, vous faites quoi ?").
DONE = re.compile(r"\b(?:je les appellerai|j appellerai (?:demain|lundi)|je vais les appeler|"
                  r"je vais (?:appeler|telephoner)|je vais noter|c est (?:la mairie|eux)|"
                  r"merci)\b")
MORE = re.compile(r"\bet (?:euh )?(?:sinon|pendant|aussi|vous)\b|\bvous faites quoi\b|"
                  r"\bqu est ce que vous\b|\bateliers?\b|\bvous avez\b")


@lru_cache(maxsize=4096)
def read_moves(text: str, step: str = "any") -> frozenset[str]:
    """The labels (see INTENTS.md) of what the answer holds that matters at any step."""
    norm = normalize(text)
    found: set[str] = set()
    if not norm:
        return frozenset()
    praise = step in ("evaluation", "evaluation_reason") and not re.search(
        r"\bmal\b.*\b(?:poitrine|respirer)\b|\bpar terre\b|\bsuicid|\ben finir\b", norm)
    # what the patterns did not foresee
    # an answer about a workshop, a goodbye, another service, or a short answer to "where?"
    # ("reims dans la marne") is explained: the model alone must then be sure
    explained = bool(wished_kinds(norm) or LEAVE.search(norm) or re.search(r"\bateliers?\b", norm)
                     or any(pattern.search(norm) for _, pattern in SERVICES)
                     or FOREIGN.search(norm)
                     or (step in ("location", "location_confirm", "location_choose")
                         and len(norm.split()) <= 5))
    learned = care_labels(norm, step, explained=explained)
    if step in ("results", "offer_number", "after") and question_in(norm):
        # a question about the workshop ("le jeudi j'ai le kiné") needs a sure model for
        # the kind words, never for an emergency, suicidal words or maltreatment
        sure = care_labels(norm, step, explained=True)
        learned = frozenset(label for label in learned
                            if label not in ("illness", "loneliness") or label in sure)

    def heard(label: str, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(norm)) or label in learned

    # The same context guards hold whether the patterns or the model heard it.
    past = bool(EMERGENCY_PAST.search(norm)) and not NOW.search(norm)
    # maltreatment or suicidal words the patterns heard are what the model's "emergency"
    # guessed at ("il vient me menacer")
    other = bool(ABUSE.search(norm) or SUICIDE.search(norm))
    if (EMERGENCY.search(FALL_IDIOM.sub(" ", norm)) or (
            "emergency" in learned and not other and DANGER.search(norm)
            and not DROPPED.search(norm))) and not past:
        found.add("emergency")
    if heard("suicide", SUICIDE) and not SUICIDE_NOT.search(norm):
        found.add("suicide")
    if heard("abuse", ABUSE) and not ENCOURAGED.search(norm):
        found.add("abuse")
    lonely = (bool(LONELINESS.search(UNAIDED.sub(" ", norm)))
              or ("loneliness" in learned and not UNAIDED.search(norm))
              ) and not LONELY_BUT_FINE.search(norm)
    if lonely and (not praise or LONELY_EVEN_IN_PRAISE.search(norm)):
        found.add("loneliness")
    if (ILLNESS.search(norm) or ("illness" in learned and not praise)) and not (
            ILLNESS_PAST.search(norm) and not RECENT.search(norm)):
        found.add("illness")
    if heard("insult", INSULT) and not INSULT_NOT.search(norm):
        found.add("insult")
    for label, pattern in SERVICES:
        if pattern.search(IDENTITY.sub(" ", norm)):
            # "ma fille prend ma pension", "l'aide à domicile me secoue": maltreatment, not
            # a question for the pension or home-help services
            if not ("abuse" in found and label in ("service_pension", "service_home_help",
                                                   "service_scam")):
                found.add(label)
            break
    if GREETING.match(norm):
        found.add("greeting")
    if WHO.search(norm):
        found.add("who")
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


# "D'accord", "ah bon", "très bien": what was said is heard — not a yes to a question.
# The number of the service just given, asked again ("vous pouvez me redire le numéro ?").
NUMBER_AGAIN = re.compile(
    r"\bnumero\b.*\b(?:redire|repeter|repetez|redonner|redonnez|redonne|donner|donnez|"
    r"rappeler|encore|noter|note|ecrire|lentement|doucement|c est quoi|pour (?:avoir|"
    r"appeler|joindre))\b|\b(?:redire|repeter|repetez|redonner|redonnez|redonne|donner|"
    r"donnez|rappeler|redites|dites)(?: moi| nous)? (?:encore )?(?:le|ce|un|votre|leur|son) "
    r"numero\b|"
    r"\bquel numero\b|\bun numero pour\b|\b(?:et )?(?:alors )?je fais comment\b|"
    r"\b(?:j|je les|je l|je dois|on doit|il faut) (?:les |l )?appel\w* ou\b|"
    r"\bou (?:est ce que )?(?:je dois |faut il |il faut |on doit )?(?:les |l )?appeler\b|"
    r"\b(?:le )?numero de (?:la caf|la secu|l assurance|la caisse|la carsat|la mutuelle)\b|"
    r"\bje (?:dois|peux) appeler qui\b|\bc est a qui que je\b|"
    r"\b(?:vous pouvez|pouvez vous|pourriez vous) (?:me |le |me le )?(?:repeter|redire)\b|"
    r"\bc est quoi (?:leur|le|son|votre|ce) numero\b|\bleur numero\b|"
    r"\b(?:repetez|redites|repeter|redire)\b.*\b(?:note|noter|ecris|ecrire|doucement|"
    r"lentement)\b|\bc etait qui\b|\bqui (?:qu )?il (?:faut|fallait) appeler\b")
# A question about the service just given, not about the workshops ("ils viennent combien
# de fois ?", "il faut remplir un dossier ?"): that service tells the details.
SERVICE_DETAIL = re.compile(
    r"\b(?:ils|elles) (?:viennent|passent|font|prennent|demandent|sont ouverts?|rappellent)\b|"
    r"\bcombien de fois\b|\bil faut (?:remplir|envoyer|faire) (?:un|une|des|le|la) "
    r"(?:dossier|papier|demande|formulaire)|\bquels? papiers?\b|\bc est long\b|"
    r"\b(?:on|je) (?:a|ai) droit\b|\bc est (?:rembourse|pris en charge)\b")
# "Vous pouvez regarder mon dossier ?": the bot sees no one's file.
FILE_ACCESS = re.compile(
    r"\b(?:regarder|consulter|voir|verifier|ouvrir|chercher) (?:dans )?(?:mon|votre|le|mes) "
    r"(?:dossier|compte|fiche|droits|remboursements?)\b|\bvous avez (?:acces a )?mon dossier\b|"
    r"\bmon numero de (?:secu|securite sociale)\b")
# The price of this call ("ça va pas me coûter une fortune sur ma facture ?").
CALL_COST = re.compile(
    r"\b(?:ca|cet appel|l appel|ce numero|ca me) (?:va )?(?:pas )?(?:me )?(?:couter|coute)\b|"
    r"\bcouter (?:une fortune|cher|de l argent|des sous)\b|\bsurtaxe|\bsur ma facture\b|"
    r"\b(?:cet appel|l appel|votre numero) (?:il )?est (?:payant|gratuit)\b")
# The workshop's number asked again, or slower, once it was given.
WORKSHOP_NUMBER_AGAIN = re.compile(
    r"\ballez y (?:doucement|lentement)\b|\bje (?:prends|prend|cherche) (?:un|mon|de quoi) "
    r"(?:crayon|stylo|papier|noter|ecrire)\b.*\b(?:voila|allez y|c est bon|je vous ecoute)\b|"
    r"\bnumero\b.*\b(?:repet\w*|redi\w*|redonn\w*|lentement|doucement|encore|chiffre|"
    r"pas eu le temps|ecrire|noter|note)\b|\bpas (?:bien )?(?:compris|entendu|saisi|eu) (?:la fin|"
    r"le debut|les (?:derniers |premiers )?chiffres)\b|^(?:(?:euh|alors|donc) )*zero (?:un|deux|"
    r"trois|quatre|cinq|six|sept|huit|neuf)\b|\b(?:repet\w*|redi\w*|redonn\w*|encore une fois)\b"
    r".*\bnumero\b|^(?:(?:oui|ben|bon|mais|euh|d accord) )*(?:mais )?plus (?:lentement|doucement)|"
    r"\b(?:me le|le) (?:redire|repeter|redonner)\b|\bpas tout (?:note|ecrit|compris)\b|"
    r"\bzero (?:un|deux|trois|quatre|cinq|six|sept|huit|neuf)\b.*\b(?:apres|la suite|le reste)\b")
# Surprise or a question after hearing that the experiment covers four regions only.
SCOPE_DOUBT = re.compile(
    r"\bah bon\b|\bpas (?:toute la france|partout|chez nous|la meme)\b|\bpourquoi\b|"
    r"\bcomment (?:je fais|on fait|faire)\b|\bc est pas (?:pareil|la meme)\b|\bmeme region\b|"
    r"\boccitanie\b|\b(?:ma|notre) region\b|\bchez nous\b|\bet (?:moi|nous) alors\b|"
    r"\bvous plaisantez\b|\bmeme pas\b|\bpas normal\b|\bun jour chez nous\b|\bnational\b|"
    r"\bc est (?:bien )?(?:chez vous|votre region|dans vos regions)\b|\bvous couvrez\b|"
    r"\bc est (?:que|seulement) (?:dans )?le (?:sud|nord|centre)\b")
# "C'est peut-être rien", "ça va passer": distress played down is no reason to go on.
PLAYED_DOWN = re.compile(
    r"\b(?:c est|c etait|ce sera) (?:peut etre |sans doute |surement )?(?:rien|pas grave)\b|"
    r"\bca va (?:passer|aller|se calmer)\b|\bpas (?:la peine|besoin) d appeler\b|"
    r"\bdigestion\b|\bje (?:veux|voudrais) pas (?:deranger|embeter)\b")
# The workshop presented before this one, asked for again ("et l'autre, celui d'avant ?").
PREVIOUS = re.compile(r"\bcelui d avant\b|\bl autre c etait\b|\ble (?:precedent|premier) "
                      r"(?:atelier|c etait)\b|\bl atelier d avant\b|\brevenir au premier\b")
# The workshop just presented, read again from its start.
FROM_START = re.compile(r"\b(?:depuis|du|au) (?:le )?debut\b|\b(?:reprendre|recommencer)\b")
# After a safety answer: the caller asks for the workshop search to go on ("dites-moi
# toujours votre truc", "vous pouvez me redonner l'atelier ?", "vous avez quoi à …").
GO_ON = re.compile(r"\bateliers?\b|\bvotre truc\b|\b(?:dites|donnez|redonnez|redites) moi\b|"
                   r"\bvous avez quoi\b|\bon continue\b|\bcontinu(?:ons|ez)\b")
# After a safety answer: the caller leaves to make the call, or must hang up now ("je vais
# l'appeler, je vous rappellerai pour l'atelier": the workshop another time).
CALLING_NOW = re.compile(r"\bjappelle\b|\bj (?:appelle|vais (?:les |l )?appeler|les appelle)\b|"
                         r"\bje vais (?:les |l |la |le )?appeler\b|\bje vous rappellerai\b|"
                         r"\bje (?:les|l|la|le) appelle\b|"
                         r"\braccroch|"
                         r"\bil (?:rentre|arrive|revient)\b|\belle (?:rentre|arrive|revient)\b|"
                         r"\bje (?:dois|vais) (?:y aller|vous laisser|couper)\b")
ACKNOWLEDGED = re.compile(r"^(?:(?:ah|oh|bon|ben|bah|alors|euh|oui) )*(?:d accord|ok|okay|"
                          r"tres bien|entendu|je vois|c est note|bon|parfait|merci)"
                          r"(?: (?:merci|beaucoup|madame|monsieur|bien|je note))*$")
# A caller abroad ("à Namur, en Belgique"): no French commune, the experiment's scope.
# (a country said as where one is, not a nationality: "je suis belge mais je vis à Bormes")
FOREIGN = re.compile(r"\b(?:(?:en|au|de|du|a) (?:belgique|suisse|luxembourg|allemagne|espagne|"
                     r"italie|monaco|angleterre|royaume uni|canada|quebec|portugal|maroc|"
                     r"algerie|tunisie|la principaute)|a l etranger)\b")
# "Tant pis", "c'est dommage": the caller accepts that there is nothing for them.
RESIGNED = re.compile(r"\b(?:tant pis|dommage|pas grave|ah bon)\b")


def says_yes(text: str) -> bool:
    """A yes at the start of a longer answer ("oui, et dites-moi le numéro aussi"), or
    ready to note the number."""
    norm = normalize(text)
    return bool(LEADING_YES.match(norm) or READY.search(norm))
