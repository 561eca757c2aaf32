"""What matters at any step, read before anything else: safety (an emergency now, suicidal
words said directly or not, maltreatment, loneliness, illness), abuse aimed at the bot,
other services, and the conversational moves (greeting, "attendez", leaving).

A table of French patterns with their context guards, in the order they are tried: high
recall on what must never be missed, guards against false alarms (a past fall, a workshop
topic, praise at the evaluation, a late husband mentioned plainly, swearing at things).
What the patterns did not foresee, the model of ``_care`` adds, under the same guards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ._care import care_labels
from ._intents import normalize
from ._results import question_in


def _any(*patterns: str) -> re.Pattern[str]:
    """One pattern of them all. Spoken French drops the "ne" of negations ("je sers plus
    à rien"): every "ne " written in a pattern is optional."""
    return re.compile("|".join(f"(?:{re.sub(r'(?<![a-z])ne ', '(?:ne )?', p)})"
                               for p in patterns))


EMERGENCY = _any(
    r"\b(?:ca|tout) tourne la\b", r"\btout tourne\b(?!.*\b(?:souvent|parfois|des fois|quand)\b)",
    r"\bje (?:suis|viens de) tombee?\b(?! amoureuse)",
    r"\b(?:suis|est) (?:tombee? )?par terre\b", r"\bne (?:bouge|respire) plus\b",
    r"\bpar terre\b.*\b(?:relever|lever)\b",
    r"\b(?:n arrive|arrive) (?:pas|plus) a me (?:relever|lever)\b",
    r"\b(?:peux|peut) (?:pas|plus) (?:me|se) (?:relever|lever)\b",
    r"\bmal (?:a|dans) la poitrine\b", r"\bdouleur\w* (?:\w+ )?(?:dans|a) la poitrine\b",
    r"\bpoitrine\b.{0,40}\b(?:serre|sert|descend|bras gauche)\b",
    r"\b(?:serre|descend)\w*\b.{0,30}\bbras gauche\b", r"\btout en sueur\b.{0,40}\bserre\b|"
    r"\bserre\b.{0,40}\btout en sueur\b",
    # signs of a stroke, said calmly ("la bouche qui tire d'un côté")
    r"\bbouche (?:qui tire|de travers|tordue|qui tombe)\b", r"\bvisage (?:qui tombe|de travers)\b",
    r"\bje parle (?:un peu |tout )?(?:drole|bizarre|de travers)\b",
    r"\b(?:j arrive|je peux) (?:plus|pas) a (?:tenir|lever) (?:mon|ma|le|la) (?:stylo|bras|"
    r"verre|tasse|fourchette)\b",
    r"\b(?:du mal a|peux plus|peux pas) respirer\b", r"\bj etouffe\b(?! de rire)",
    r"\bje saigne\b",
    r"\b(?:je fais|j ai fait|il fait|elle fait|il a fait|elle a fait) un malaise\b",
    r"\bau secours\b", r"\bappelez (?:les pompiers|le samu|une ambulance)\b",
    r"\bil y a le feu\b", r"\bca sent le gaz\b",
    r"\bje me suis (?:fait tres mal|cogne la tete)\b",
    r"\b(?:je suis|elle est|il est) (?:coincee?|bloquee?) par terre\b",
    r"\b(?:ma femme|mon mari|il|elle) (?:a fait|fait) un (?:malaise|avc)\b",
    r"\bje ne sens plus (?:mon bras|ma jambe)\b", r"\b(?:il|elle) ne respire plus\b",
    r"\b(?:il|elle) est (?:tombee?|inconsciente?|par terre)\b",
    r"\b(?:mon mari|ma femme|mon epoux|mon epouse|ma mere|mon pere|ma voisine|mon voisin|"
    r"ma soeur|mon frere) (?:est|vient de|s est) (?:tombee?|par terre|inconsciente?|evanouie?)\b",
    r"\bplein(?:e)? de fumee\b", r"\bde la fumee (?:partout|dans|qui)\b", r"\bca brule\b",
    r"\bodeur de gaz\b", r"\bfuite de gaz\b", r"\bsent le (?:gaz|brule)\b",
    r"\ble feu (?:a|dans) (?:la|ma)\b", r"\bje (?:vais|crois que je vais) (?:m evanouir|"
    r"tomber dans les pommes)\b", r"\b(?:perds?|pisse) (?:du|beaucoup de|le) sang\b",
    r"\bje (?:crois que je )?me suis (?:casse|fracture)\b", r"\bje ne peux plus bouger\b",
    r"\bje peux plus bouger\b",
    r"\b(?:pas bien|tres mal)\b.{0,20}\bla tete qui tourne\b",
    r"\bla tete qui tourne\b.{0,20}\b(?:pas bien|tres mal|je vais tomber)\b",
    r"\bj ai (?:tres )?mal (?:au|dans le) (?:bras gauche|thorax)\b",
    r"\b(?:s |m )?(?:etouffe|etrangle)\b(?! de rire)(?!.*\b(?:hier|l autre jour)\b)",
    r"\bavale de travers\b.*\b(?:respire|tousse|bleu)\b", r"\bfausse route\b",
    r"\bil a (?:bu|avale) (?:de la javel|des produits|tous ses medicaments)\b",
    r"\b(?:il|elle|ils|elles) (?:va|vont|veut|veulent|menace de) me tuer\b",
    r"\b(?:il|elle) va recommencer\b", r"\b(?:crache|vomis|vomit|tousse) du sang\b")
# "Je suis tombée sur votre publicité": came across, no fall.
FALL_IDIOM = re.compile(r"\btombee?s? sur (?:votre|vos|une|un|la|le|l|cette|ce|des|ton) "
                        r"(?:pub|publicite|annonce|article|numero|affiche|prospectus|emission|"
                        r"reportage|page|journal|brochure|papier|bulletin|site|flyer|depliant|"
                        r"message|dame|monsieur|voisine?|amie?)\b")
EMERGENCY_PAST = re.compile(
    r"\b(?:hier|l an dernier|l annee derniere|il y a (?:\w+ )?(?:ans?|mois|semaines?)|"
    r"autrefois|quand je suis tombee?|depuis que je suis tombee?|deja tombee?|"
    r"prevention|peur de tomber|pour eviter|atelier|la semaine derniere|le mois dernier|"
    r"l hiver dernier|cet hiver|(?:en|au mois de|au mois d|debut|fin) (?:janvier|fevrier|"
    r"mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)|en \d{4}|"
    r"plusieurs fois|souvent|des fois|ca m arrive)\b")
# Said now, whatever else is told ("là" is heard "la": only where it cannot be the article;
# "c'est guéri maintenant" is no "now").
NOW = re.compile(r"\b(?:(?<!gueri )(?<!guerie )(?<!mieux )(?<!ca va )(?<!repare )(?<!reparee )"
                 r"(?<!soigne )(?<!soignee )(?<!remise )(?<!remis )(?<!consolide )"
                 r"maintenant(?! ca va| je vais (?:mieux|bien)| je marche| c est gueri"
                 r"| tout va bien| je me debrouille)|en ce moment|"
                 r"tout de suite|vient de|viens de|ce matin|la je|la j|tourne la|je m assois|"
                 r"depuis (?:tout a l heure|ce matin|une heure|cette nuit|hier soir)|ca serre|"
                 r"la dans)\b|"
                 r"\bla$")
# The model's "emergency" is heard only with a word of the body or of danger ("le chat
# vient de renverser mon café", "je suis à cran" are none).
DANGER = re.compile(
    r"\b(?:mal|douleurs?|tombee?s?|tombe|par terre|au sol|relever|lever|sang|saigne|respir\w*|"
    r"souffle|etouff\w*|poitrine|coeur|malaise|evanoui\w*|feu|fumee|gaz|brule\w*|secours|"
    r"aide|urgence|bras|jambes?|tete|tourne|vertiges?|paralys\w*|bouger|peux plus|froid|"
    r"chute|cogne\w*|blesse\w*|crise|pompiers|samu|ambulance|hopital|inconscient\w*|"
    r"reveille pas|repond plus|bouche|parler|vomi\w*|fievre|avale|glisse\w*|coince\w*|"
    r"bloquee?|peux pas|arrive pas|baignoire|escalier|sortir|tuer|frappe\w*|menace\w*|"
    r"peur|porte|forc\w*|cri\w*|couteau|arme)")
# Something dropped is no fall ("j'ai fait tomber le téléphone").
DROPPED = re.compile(r"\b(?:fait|fais|faire) tomber (?:le|la|les|l|mon|ma|mes|un|une|du)\b")
SUICIDE = _any(
    r"\b(?:sorti|prepare|aligne|compte)e?s? (?:toutes |tous )?(?:mes|les) (?:boites de )?"
    r"(?:cachets|medicaments|comprimes|pilules)\b.*\b(?:table|devant moi|regarde)\b",
    r"\btout donne\b.*\bplus besoin\b", r"\bj en aurai (?:plus|pas) besoin bientot\b",
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
    r"\bje ne sers plus a rien\b", r"\ba quoi je sers\b",
    r"\bmarre de (?:la|cette) vie\b",
    r"\bque tout s arrete\b", r"\bvie n a plus (?:de|aucun) sens\b", r"\bidees noires\b",
    r"\bpense (?:a|souvent a) la mort\b", r"\bme laisser mourir\b", r"\bplus rien a faire ici\b",
    r"\b(?:avaler|prendre) (?:tous )?mes (?:cachets|medicaments|comprimes)\b",
    r"\bne (?:veux|peux) plus (?:me battre|continuer|vivre comme ca)\b",
    r"\bmieux vaut (?:que je )?(?:disparaisse|parte|meure)\b", r"\bpartir moi aussi\b",
    r"\b(?:fatiguee?|lasse?) de vivre\b", r"\bqu on me laisse partir\b",
    r"\blaissez moi partir\b", r"\bvie est finie\b",
    r"\b(?:ne )?serai (?:bientot )?plus la\b",
    r"\b(?:rejoindre|retrouver|aller|partir|monter)\b.{0,40}\b(?:la haut|au ciel|au paradis)\b",
    r"\b(?:le bon dieu|dieu|la mort) (?:vienne|viendra|peut venir|pourrait venir) me "
    r"(?:chercher|prendre)\b", r"\bje suis de trop\b", r"\bmieux sans moi\b",
    r"\bje (?:ne )?manquerai a personne\b", r"\bpersonne ne me regrettera\b",
    r"\bme (?:jeter|pendre|noyer)\b", r"\bdormir pour toujours\b",
    r"\b(?:rejoindre|retrouver) (?:ma mere|mon pere|mes parents|mon fils|ma fille|"
    r"mon frere|ma soeur|mon cheri|ma cherie)\b",
    r"\bplus (?:aucune )?raison de (?:vivre|continuer|rester)\b",
    r"\bje veux (?:partir|m en aller) (?:pour toujours|definitivement|de ce monde)\b",
    r"\b(?:me laisser tomber|sauter|me jeter) (?:du|de la|par la|d un|du haut du) "
    r"(?:balcon|pont|fenetre|falaise|haut)\b",
    r"\b(?:garde|mets de cote|cache|accumule) (?:mes|des) (?:comprimes|cachets|medicaments)\b",
    r"\b(?:mis|mets|garde|gardes) (?:des |mes |les )?(?:cachets|comprimes|medicaments|pilules) "
    r"de cote\b", r"\b(?:cachets|comprimes|medicaments|pilules)\b.{0,40}\bau cas ou\b",
    r"\bplus de ce monde\b",
    r"\b(?:esperant|espere|aimerais|voudrais|souhaite|prie)\b.{0,30}\b(?:ne )?(?:pas|plus)"
    r"(?: jamais)? me reveiller\b", r"\bje (?:ne )?me reveillerai (?:pas|plus)\b",
    r"\bplus jamais me reveiller\b",
    r"\b(?:retrouver|rejoindre) (?:mon|ma) [\w ]{2,20} bientot\b",
    r"\bdire adieu\b", r"\blettres? d adieu\b", r"\battends? (?:plus que |que )?la mort\b",
    r"\b(?:le seigneur|le ciel|la camarde) (?:vienne|viendra|vient) me (?:chercher|prendre)\b",
    r"\b(?:faire|fais|ferai|ferais) une (?:betise|connerie)\b",
    r"\b(?:me|se) tirer une balle\b", r"\b(?:se|me) foutre en l air\b",
    r"\b(?:avaler|prendre) (?:tous |toutes )?mes (?:pilules|cachets|medicaments|comprimes)\b")
SUICIDE_NOT = re.compile(r"\bmeurs? de (?:faim|soif|froid|rire)\b|\bmort de rire\b|"
                         r"\bfailli (?:me|se) tuer\b|\bje (?:ne )?veux pas mourir\b|"
                         r"\bpas (?:d|de) idees (?:comme ca|noires)\b|"
                         r"\b(?:il|elle|ils|elles) (?:va|vont|veut|veulent|menace de) me tuer\b")
ABUSE = _any(
    r"\b(?:me|m) (?:frappe|bat|tape|battait|frappait|brutalise|menace|maltraite)\b",
    r"\b(?:vient|viennent|veut|veulent) me (?:menacer|frapper|battre|taper)\b",
    r"\b(?:me|m a) vole\b", r"\bvole mon\b", r"\b(?:prend|pris|prennent|vide|vident|vidé) "
    r"(?:tout |toute |tous |toutes )?(?:mon argent|mes economies|mon compte|ma carte|"
    r"ma pension|ma retraite|mes sous)\b",
    r"\bmaltrait", r"\b(?:m a|m ont|me|suis fait|fait) (?:escroqu|arnaqu)",
    r"\bon m a (?:pris|vole)\b",
    r"\b(?:emprunte|pris|prend|vole|garde) (?:toutes? )?mes (?:economies|sous|bijoux)\b",
    r"\bm enferme\b", r"\bme (?:secoue|bouscule|crie dessus|insulte|gifle|griffe)\b",
    r"\b(?:son|mon) (?:mari|fils|compagnon|gendre|concubin) (?:la|le|les) (?:frappe|bat|tape|"
    r"battait|frappait|menace|enferme)\b",
    r"\bme pousse\b(?! a)", r"\bme vole\b", r"\bme laisse (?:sans manger|sans argent|"
    r"dans mon lit)\b", r"\bme parle mal\b", r"\bme menacent\b",
    r"(?<!je )\b(?:garde|touche|encaisse|prend) (?:toute )?ma (?:pension|retraite)\b",
    r"\bme force a signer\b", r"\bprend ma carte (?:bleue|bancaire)\b",
    r"\b(?:me|m) (?:donne|donnent|a donne|ont donne|met|mettent) des (?:claques|gifles|coups|"
    r"baffes)\b", r"\bme serre (?:les|le) (?:poignets?|bras|cou)\b", r"\bdes bleus partout\b",
    r"\b(?:confisque|cache|garde) (?:mon portable|mes papiers|ma carte d identite|mon telephone|"
    r"mes cles)\b", r"\b(?:vendu|achete|achats|retire|pris)\b.{0,60}\bsans (?:me demander|mon "
    r"accord|mon avis)\b", r"\bme laisse (?:jamais|pas|plus) sortir\b",
    r"\bm interdit de sortir\b", r"\bprofite\w* (?:de moi|que j)\b.{0,40}\b(?:sous|argent|"
    r"economies)\b", r"\bme prendre (?:des sous|de l argent|mon argent)\b",
    r"\bm (?:a|ont) (?:poussee?\b(?! a )|frappee?|battue?|giflee?|bousculee?|secouee?|"
    r"enfermee?|griffee?|tapee?|pincee?)", r"\bj ai peur (?:de|d) (?:mon fils|ma fille|"
    r"mon mari|ma femme|mon petit fils|ma petite fille|mon gendre|ma belle fille)\b")
# "Mon fils m'a poussée à vous appeler": encouraged, not pushed about.
ENCOURAGED = re.compile(r"\bpousse(?:e|r)? a (?:vous |les |l )?(?:appeler|venir|sortir|"
                        r"m inscrire|telephoner)\b")
# Just out of hospital "hier" is still ill (a fall "hier" is no emergency now).
RECENT = re.compile(r"\bhier\b|\bcette semaine\b|\bavant hier\b|\bje (?:recupere|me remets)\b|"
                    r"\bconvalescen|"
                    r"\bil y a (?:deux|trois|quatre|quelques) jours\b")
# Loneliness heard even in praise at the evaluation ("cinq, vous êtes ma seule visite").
_LONELY_ANYWAY = (
    r"\bla seule (?:personne )?(?:a m avoir parle|qui m a parle|a qui j ai parle)\b",
    r"\bpersonne (?:ne )?(?:vient|m appelle|me parle)\b", r"\bplus personne\b",
    r"(?<!ou )(?<!quand )(?<!lorsque )\bje suis (?:tres |toute |tout )?seule?\b"
    r"(?! (?:le|la|les|ce|au|en) )",
    r"\b(?:ma|la) seule (?:visite|conversation|personne|compagnie)\b",
    r"\btriste (?:et )?(?:toute? )?seule?\b", r"\bje (?:ne )?parle a personne\b",
    r"\bla premiere personne (?:qui me parle|a qui je parle)\b",
    r"\bje suis (?:bien |si |tellement |vraiment )seule?\b", r"\bpersonne d autre a qui\b",
    r"\b(?:mes enfants|ils|elles) (?:n )?ont jamais le temps\b")
LONELINESS = _any(
    *_LONELY_ANYWAY, r"\bbesoin d entendre (?:une voix|quelqu un)\b", r"\btout seul\b",
    r"\btoute seule\b",
    r"\bpersonne ne (?:vient|m appelle|me rend visite|me parle)\b",
    r"\bje ne (?:vois|parle a) personne\b", r"\bje ne parle plus a personne\b",
    r"\bje me sens (?:tres )?seule?\b", r"\bisolee?\b", r"\bsolitude\b",
    r"\b(?:mes enfants|ma fille|mon fils) (?:n )?(?:appellent?|viennent?) jamais\b",
    r"\bj ai personne\b", r"\bje n ai personne\b", r"\bpersonne a qui parler\b",
    r"\bje m ennuie (?:toute )?seule?\b", r"\bjournees sont (?:longues|vides)\b",
    r"\bpersonne (?:ne )?(?:vient|m appelle|me rend visite|me parle|me telephone|passe)\b",
    r"\b(?:vois|voit|parle a|parle avec) (?:plus |jamais )?personne\b",
    r"\bje vis (?:tout |toute )?seule?\b", r"\b(?:j ai )?plus personne\b",
    r"\babandonnee?s?\b", r"\bpersonne pour (?:me parler|parler)\b",
    r"\bje (?:ne )?parle plus qu a (?:ma|mon|mes)\b",
    r"\bje (?:ne )?vois (?:plus )?que le facteur\b",
    r"\bla premiere personne que j entends\b",
    r"\bj ai plus (?:d amis|de famille)\b", r"\bentre (?:mes|quatre) (?:quatre )?murs\b",
    r"\brester seule? tout le temps\b", r"\b(?:j ai vu|je vois|vu) (?:personne|degun)\b",
    r"\bpersonne (?:ne )?m ecrit\b", r"\bje parle (?:qu )?a (?:la tele|ma tele|mon chat|"
    r"mon chien|mes plantes|la radio|mon poisson)\b", r"\bje pleure (?:tout le temps|toute la "
    r"journee|tous les jours|souvent|comme un)\b",
    r"\bla maison est (?:trop grande|vide)\b",
    r"\b(?:il|elle) est (?:tres |toute |tout )?seule?\b(?! (?:le|la|les|ce|au|en) )")
# "Tout seul, mais attention, je me débrouille": alone, and saying it is fine.
LONELY_BUT_FINE = re.compile(r"\bmais (?:attention |bon |alors )?(?:je me debrouille|ca va|je m en "
                             r"sors|je suis pas malheureu|je vais bien)\b")
# "Je n'ose plus sortir toute seule", "elle a du mal à se laver toute seule": unaided,
# not lonely.
UNAIDED = re.compile(
    r"\b(?:sortir|laver|lever|marcher|habiller|doucher|conduire|debrouiller|faire|aller|"
    r"manger|monter|descendre|rentrer|porter|deplacer|baigner|coucher|cuisiner)\b(?: \w+){0,3}"
    r" tout(?:e)?s? seule?s?\b|\btout(?:e)?s? seule?s? (?:j y|je n y) arrive (?:plus|pas)\b")
LONELY_EVEN_IN_PRAISE = _any(*_LONELY_ANYWAY)
ILLNESS = _any(
    r"\bje suis (?:tres )?malade\b", r"\bj ai (?:la grippe|le covid|un cancer|une bronchite)\b",
    r"\bje sors de l hopital\b", r"\bje suis a l hopital\b", r"\bparkinson\b", r"\bavc\b",
    r"\bchimio", r"\bje suis (?:en )?depression\b", r"\bje deprime\b", r"\bdepressi",
    r"\b(?:sors?|sortie?s?) (?:juste |tout juste |a peine )?de (?:l hopital|la clinique)\b",
    r"\bsclerose en plaques\b", r"\binsuffisance (?:cardiaque|renale|respiratoire)\b",
    r"\bhospitalisee?\b",
    r"\bj ai (?:une |la )?(?:grosse |forte |mauvaise )?(?:grippe|bronchite|pneumonie|angine|"
    r"fievre|infection)\b", r"\bpneumonie\b", r"\b(?:suis|me sens) (?:pas bien|mal fichue?|"
    r"patraque|souffrante?)\b", r"\bmon cancer\b", r"\bj ai un cancer\b",
    r"\bje suis (?:sous|en) (?:traitement|dialyse|oxygene)\b",
    # a diagnosis told as one's own: "on vient de me trouver du diabète", "le début
    # d'Alzheimer", "j'ai une sclérose en plaques"
    r"\bon (?:vient de |m a )?(?:me )?(?:trouve|diagnostique|decouvert|detecte)\w* (?:du |de l |"
    r"un |une |le |la )?(?:diabete|cancer|alzheimer|parkinson|tumeur|leucemie|sclerose)",
    r"\b(?:debut|commencement) d (?:un )?alzheimer\b|\bje commence (?:un|mon|l) alzheimer\b",
    r"\bj ai (?:une |la |un |le |du )?(?:sclerose en plaques|leucemie|tumeur|insuffisance "
    r"(?:cardiaque|renale|respiratoire)|diabete|alzheimer|maladie de \w+)\b",
    r"\b(?:jambe|bras|poignet|pied) dans le platre\b", r"\bj ai (?:de )?la fievre\b",
    r"\bje tousse\b.*\b(?:fievre|jours)\b|\bfievre depuis\b",
    r"\bcrises? d angoisse\b", r"\bmal (?:au ventre|a la tete|au dos|aux jambes) depuis\b",
    r"\bfievreu(?:x|se)\b", r"\bj ai (?:une |un )?(?:otite|angine|zona|gastro)\b",
    r"\bmalade comme un chien\b", r"\bplus (?:gout|envie) a rien\b",
    r"\bplus (?:trop |vraiment |du tout )?envie de rien\b", r"\bplus d elan\b",
    r"\bmedicaments pour le coeur\b", r"\ble medecin cherche\b")
# An illness told as over ("un cancer il y a dix ans, c'est guéri"): no kind word.
ILLNESS_PAST = re.compile(r"\b(?:l an dernier|l annee derniere|il y a (?:\w+ )?ans|autrefois|"
                          r"en (?:19|20)\d\d|gueri|c est fini|c est passe|il y a longtemps)\b")
# Names only ever meant as an insult when said to someone ("con" is left out: "oh con" is
# Provence's "oh là là"); said to the bot when they open or close the answer.
_NAME = (r"(?:(?:pauvre|gros(?:se)?|espece d|sale|vieille?|sacree?|bougre d) )?"
         r"(?:conne|cretine?|abrutie?|debile|idiote?|imbecile|andouille|gourde|cruche|buse|"
         r"nouille|cloche|bourrique|ducon|enfoiree?|connasse|connard|maligne|"
         r"tete de (?:noeud|pioche|mule)|ane|tas de ferraille|boite de conserve)"
         r"(?: des alpes| finie?)?")
# What the bot is called when it is spoken of ("cette machine est débile").
_BOT = r"(?:machines?|robots?|becanes?|boites?(?: de conserve)?|trucs?|bidules?|ordinateurs?)"
_BAD = (r"(?:conn?e?s?|debiles?|bouchee?s?|idiote?s?|cretine?s?|abrutie?s?|stupides?|bornee?s?|"
        r"a la con|des abrutis)")
INSULT = _any(
    rf"^(?:(?:non|oui|ouais|mais|bonjour|allo|bon|ben|oh|eh|he|c est ca) )*{_NAME}\b",
    rf"\b{_NAME}$",
    rf"\b(?:cette|la|ta|votre|ce|le|les|ces|vos|tes) {_BOT}\b.{{0,25}}\b{_BAD}\b",
    rf"\b{_BAD} (?:\w+ ){{0,2}}(?:cette|la|ce|le) {_BOT}\b",
    rf"\b{_BOT} {_BAD}\b", r"\b(?:tes|vos|ton|ta|votre|ce|ces) \w+ a la con\b",
    r"\b(?:quelle?|espece d) (?:gourde|cruche|andouille|buse|idiote?|cretine?|nouille) "
    r"(?:celle|celui) la\b",
    r"\bla (?:debile|cretine|idiote|gourde|cruche|buse|nouille)\b",
    r"\bbande (?:d |de )(?:incapables|idiots|imbeciles|nuls|abrutis|cretins|guignols|"
    r"bons a rien)\b",
    r"\bvous etes (?:vraiment |tous |bien )?des (?:escrocs|voleurs|nuls|incapables|guignols|"
    r"rigolos|charlots|bons a rien|imbeciles|abrutis|cretins|idiots)\b",
    r"\bje vous emmerde\b",
    r"\bc est nul (?:votre|ton|ce) (?:truc|machin|service|systeme|bidule)\b",
    r"\b(?:enfoiree?|sale|espece d) (?:de |d )?(?:robot|machine)\b",
    r"\b(?:espece d|sale|pauvre|gros(?:se)?) (?:conn?e?|idiote?|debile|cretine?|abrutie?|"
    r"imbecile|machine|robot|garce)\b",
    r"\b(?:t es|tu es|vous etes|t es qu une?|vous n etes qu une?) (?:vraiment )?(?:une? )?"
    r"(?:(?:vraie?|gros|grosse|pauvre|sacree?|vieille?) )?"
    r"(?:conn?e?|idiote?|nul(?:le)?|debile|cretine?|abrutie?|imbecile|bete|stupide|"
    r"incapable|bouchee?|bornee?|andouille|gourde|cruche|bourrique|buse|nouille|cloche|"
    r"quiche|tache)\b",
    r"\bespece d(?:e |u )?(?:boite|tas|vieille|vieux|machine|robot|truc|conn?e?|idiote?|"
    r"andouille|nul(?:le)?|abrutie?|debile|cretine?|imbecile|bourrique|cruche|gourde|tache|"
    r"ferraille|casserole|bidule)\b",
    r"\bvous (?:me )?(?:faites|fais) chier\b", r"\btu (?:me )?fais chier\b",
    r"\bsombre (?:idiote?|cretine?|abrutie?|imbecile)\b", r"\bsale (?:bete|ferraille)\b",
    r"\b(?:tu me|vous me) (?:gonfles?|gonflez|saoules?|saoulez|cassez les pieds)\b",
    r"\b(?:allez|va) (?:vous |te )?faire (?:cuire|foutre|voir)\b",
    r"\bta gueule\b", r"\bfermez? la\b", r"\bconnasse\b", r"\bconnard\b", r"\bva te faire\b",
    r"\b(?:service|robot|machine|truc) de merde\b", r"\bva chier\b", r"\bpetasse\b",
    r"\bsalope\b", r"\bencule\b", r"\bpute\b")
INSULT_NOT = re.compile(r"\bje suis (?:vraiment |tellement |trop )?(?:nul(?:le)?|bete|idiote?)\b")
SERVICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("service_scam", _any(r"\b(?:mon |mes |le |les )?codes? (?:de )?(?:ma |la )?(?:carte|banque)",
                          r"\bdonne (?:pas )?mes codes\b",
                          r"\b(?:c est|c etait) (?:une |pas une )?arnaque\b(?! (?:votre|vos|ce|"
                          r"cette|ici|chez vous|vous))",
                          r"\b(?:recuperer|chercher|prendre) (?:ma|mes) cartes? (?:bleues?|"
                          r"bancaires?)\b", r"\bfraudes? sur mon compte\b",
                          r"\bcode secret\b", r"\bcoordonnees bancaires\b",
                          r"\bcode (?:recu|envoye) par (?:sms|texto|message)\b",
                          r"\bdebloquer mon compte\b", r"\bfaux (?:conseiller|banquier)\b",
                          r"\bon m a (?:appele|appelee|telephone) pour (?:me )?demander\b")),
    ("service_home_help", _any(r"\baide menagere\b", r"\baide a domicile\b", r"\bapa\b",
                               r"\bteleassistance\b", r"\bccas\b", r"\baide a la personne\b",
                               r"\bquelqu un (?:a la maison|pour m aider)\b",
                               r"\bauxiliaire\b", r"\bdependance\b",
                               r"\bauxiliaire de vie\b", r"\bportage (?:de|des) repas\b",
                               r"\bfemme de menage\b", r"\b(?:aide|quelqu un) pour le menage\b")),
    ("service_caf", _any(r"\bcaf\b", r"\bapl\b",
                         r"\ballocations? (?:de |du |d )?(?:logement|familiales?)",
                         r"\baides? au logement\b", r"\bprime d activite\b")),
    ("service_health_insurance", _any(r"\bsecu\b", r"\bsecurite sociale\b", r"\bcarte vitale\b",
                                      r"\bcaisse (?:primaire|maladie)\b",
                                      r"\brembourse", r"\bfeuille de soins?\b",
                                      r"\bremboursement", r"\bcpam\b", r"\bameli\b",
                                      r"\bmutuelle\b", r"\bassurance maladie\b")),
    ("service_pension", _any(r"(?<!prendre )(?<!prends )(?<!pris )(?<!depuis )(?<!a )"
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
    ("service_human", _any(r"\btombe sur (?:quelqu un|une personne)\b",
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
    ("service_find_doctor", _any(
        r"\b(?:trouver|cherche|chercher|trouve pas|pas trouve) (?:un |d )?(?:autre |nouveau )?"
        r"medecin\b", r"\bmedecin (?:traitant )?(?:part|est parti|partait) (?:a la retraite)?\b",
        r"\bplus de medecin traitant\b", r"\bpas de medecin traitant\b")),
    ("service_doctor", _any(r"(?<!j ai )(?<!j avais )(?<!j aurai )\brendez vous (?:chez|avec) "
                            r"(?:le |mon |un |une |l |la |ma )?"
                            r"(?:medecin|docteur|dentiste|kine|specialiste|ophtalmo|cardiologue|"
                            r"dermato|gyneco|podologue|radiologue|orthophoniste|infirmi)",
                            r"\bmon (?:medecin|docteur)\b",
                            r"\b(?:une|d une|un|d un) infirmiere?\b",
                            r"\bmedecin traitant\b", r"\bprendre rendez vous\b",
                            r"\bordonnance\b", r"\bun medecin\b", r"\bun docteur\b",
                            r"\bmedecin de garde\b", r"\bsos medecins?\b",
                            r"\bpour le medecin\b")),
    ("out_of_scope", _any(r"(?<!papier de la )(?<!journal de la )(?<!bulletin de la )"
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


def safety_by_rules(text: str) -> frozenset[str]:
    """The safety labels the patterns alone hear (not the learned model's guesses)."""
    norm = normalize(text)
    found = set()
    if EMERGENCY.search(FALL_IDIOM.sub(" ", norm)) and not (
            EMERGENCY_PAST.search(norm) and not NOW.search(norm)):
        found.add("emergency")
    if SUICIDE.search(norm) and not SUICIDE_NOT.search(norm):
        found.add("suicide")
    if ABUSE.search(norm) and not ENCOURAGED.search(norm):
        found.add("abuse")
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
