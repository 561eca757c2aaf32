"""What matters at any step, read before anything else: safety with its context guards,
abuse aimed at the bot only, other services, the caller's moves, the kind of workshop."""

from __future__ import annotations

import pytest

from acotel_voice.dialog._kinds import chosen_kind
from acotel_voice.dialog._moves import read_moves
from acotel_voice.dialog._results import question_in


@pytest.mark.parametrize(("said", "label"), [
    ("je suis tombée dans la cuisine et je n'arrive pas à me relever", "emergency"),
    ("euh j'ai très mal à la poitrine depuis ce matin", "emergency"),
    ("mon mari est par terre il ne bouge plus", "emergency"),
    ("je veux en finir", "suicide"),
    ("depuis qu'il est parti je voudrais juste le rejoindre", "suicide"),
    ("à quoi bon continuer toute seule", "suicide"),
    ("je voudrais m'endormir et plus me réveiller", "suicide"),
    ("je suis un poids pour mes enfants", "suicide"),
    ("mon fils me prend mon argent tous les mois", "abuse"),
    ("l'aide ménagère m'a volé mes bijoux", "abuse"),
    ("je suis toute seule personne ne vient me voir", "loneliness"),
    ("je sors de l'hôpital", "illness"),
])
def test_safety_is_heard_said_directly_or_not(said: str, label: str) -> None:
    assert label in read_moves(said, "request")


@pytest.mark.parametrize(("said", "step"), [
    ("je suis tombée l'an dernier c'est pour ça que je veux l'équilibre", "request"),
    ("la prévention des chutes ça m'intéresse", "request"),
    ("mon mari est décédé il y a deux ans je voudrais rencontrer du monde", "request"),
    ("vous avez été très gentille merci", "evaluation"),
    ("je meurs de faim moi à cette heure-ci", "results"),
    ("j'ai peur de tomber dans l'escalier", "request"),
])
def test_no_false_alarm(said: str, step: str) -> None:
    assert not read_moves(said, step) & {"emergency", "suicide", "abuse"}


@pytest.mark.parametrize(("said", "insult"), [
    ("espèce d'idiote tu comprends rien", True),
    ("vous êtes nulle", True),
    ("c'est un service de merde", True),
    ("je suis nulle avec la tablette", False),
    ("oh merde j'ai fait tomber mes lunettes", False),
    ("c'est pénible ces machines", False),
])
def test_only_abuse_aimed_at_the_bot_is_an_insult(said: str, insult: bool) -> None:
    assert ("insult" in read_moves(said, "request")) is insult


@pytest.mark.parametrize(("said", "label"), [
    ("je voudrais savoir quand sera payée ma retraite", "service_pension"),
    ("c'est pour mon aide ménagère", "service_home_help"),
    ("j'ai une question sur mes APL", "service_caf"),
    ("ma carte vitale ne marche plus", "service_health_insurance"),
    ("je voudrais parler à une vraie personne", "service_human"),
    ("il me faut un rendez-vous chez le médecin", "service_doctor"),
    ("on m'a appelée pour me demander mon code de carte", "service_scam"),
    ("allô vous m'entendez", "greeting"),
    ("attendez je cherche mes lunettes", "wait"),
    ("laissez tomber je rappellerai", "goodbye"),
])
def test_services_and_moves(said: str, label: str) -> None:
    assert label in read_moves(said, "request")


@pytest.mark.parametrize(("said", "kind"), [
    ("je dors très mal la nuit", "sommeil"),
    ("ma tablette je n'y comprends rien", "numérique"),
    ("adapter ma salle de bain", "habitat"),
    ("réviser le code de la route", "sécurité routière"),
    ("rencontrer du monde", "lien social"),
    ("non pas la mémoire, plutôt le sommeil", "sommeil"),
    ("la gym douce ou peut-être la marche", "gym douce"),
    ("préparer ma retraite", "retraite"),
    ("bonjour je voudrais un renseignement", ""),
])
def test_the_kind_of_workshop_in_seniors_words(said: str, kind: str) -> None:
    assert chosen_kind(said) == kind


@pytest.mark.parametrize(("said", "question"), [
    ("c'est où exactement", "ask_where"),
    ("le matin ou l'après-midi", "ask_when"),
    ("vous pouvez m'inscrire", "ask_register"),
    ("il faut amener quelque chose", "ask_bring"),
    ("j'ai 92 ans c'est pour moi", "ask_eligibility"),
    ("c'est payant", "ask_price"),
    ("répétez le numéro", "ask_number"),
    ("il y a un ascenseur", "ask_access"),
])
def test_questions_during_the_results(said: str, question: str) -> None:
    assert question_in(said) == question
