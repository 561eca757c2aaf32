"""Real answers of callers, as the speech recognition writes them, and what they mean."""

from __future__ import annotations

import pytest

from acotel_geo import Status

RESOLVED = [
    # postcodes said the French ways
    ("un trois un zéro zéro", "Aix-en-Provence", "13"),
    ("treize cent", "Aix-en-Provence", "13"),
    ("quatre-vingt-trois quatre cents", "Hyères", "83"),
    ("treize zéro zéro un", "Marseille 1er Arrondissement", "13"),
    ("treize mille cent", "Aix-en-Provence", "13"),
    ("quatre-vingt-quatre mille", "Avignon", "84"),
    ("vingt et un mille", "Dijon", "21"),
    ("13 100", "Aix-en-Provence", "13"),
    ("13-100", "Aix-en-Provence", "13"),
    ("euh alors c'est le treize cent", "Aix-en-Provence", "13"),
    ("mon code postal c'est le 84000", "Avignon", "84"),
    ("six mille deux cents", "Nice", "06"),
    ("zéro six deux cents", "Nice", "06"),
    ("trente-quatre mille", "Montpellier", "34"),
    ("quarante-cinq mille", "Orléans", "45"),
    ("vingt-cinq mille", "Besançon", "25"),
    ("soixante-six mille", "Perpignan", "66"),
    ("48000", "Mende", "48"),
    ("#37000", "Tours", "37"),
    # codes that do not exist, as callers believe them
    ("13000", "Marseille", "13"),
    # city names
    ("Aix en Provence", "Aix-en-Provence", "13"),
    ("aix-en-provence", "Aix-en-Provence", "13"),
    ("AIX EN PROVENCE", "Aix-en-Provence", "13"),
    ("j'habite à Perpignan", "Perpignan", "66"),
    ("je suis à Orléans", "Orléans", "45"),
    ("Nice", "Nice", "06"),
    ("St Rémy de Provence", "Saint-Rémy-de-Provence", "13"),
    ("saint remy de provence", "Saint-Rémy-de-Provence", "13"),
    ("Ste Maxime", "Sainte-Maxime", "83"),
    ("Lons le Saunier", "Lons-le-Saunier", "39"),
    ("Châlon sur Saône", "Chalon-sur-Saône", "71"),
    ("L'Isle sur la Sorgue", "L'Isle-sur-la-Sorgue", "84"),
    ("Isle sur la Sorgue", "L'Isle-sur-la-Sorgue", "84"),
    ("Le Puy Sainte Réparade", "Le Puy-Sainte-Réparade", "13"),
    # partial names
    ("Aix", "Aix-en-Provence", "13"),
    ("Salon", "Salon-de-Provence", "13"),
    ("Six-Fours", "Six-Fours-les-Plages", "83"),
    ("Saintes-Maries", "Saintes-Maries-de-la-Mer", "13"),
    ("Châteauneuf du Pape", "Châteauneuf-du-Pape", "84"),
    # a department or postcode in the same answer
    ("Saint-Didier dans le Vaucluse", "Saint-Didier", "84"),
    ("Beaulieu 21", "Beaulieu", "21"),
    ("Beaulieu dans l'Indre", "Beaulieu", "36"),
    ("Velles (Indre)", "Velles", "36"),
    ("Saint Didier 84210", "Saint-Didier", "84"),
    ("Villeneuve-lès-Avignon dans le Gard", "Villeneuve-lès-Avignon", "30"),
    # Marseille arrondissements
    ("Marseille 13008", "Marseille 8e Arrondissement", "13"),
    ("Marseille huitième", "Marseille 8e Arrondissement", "13"),
    ("Marseille 8e", "Marseille 8e Arrondissement", "13"),
    ("Marseille", "Marseille", "13"),
    # former communes -> the commune they belong to now
    ("Bellegarde-sur-Valserine", "Valserhône", "01"),
    # speech-recognition misspellings and sound-alikes
    ("Carpantra", "Carpentras", "84"),
    ("Cavayon", "Cavaillon", "84"),
    ("Dragignan", "Draguignan", "83"),
    ("Monpelier", "Montpellier", "34"),
    ("Perpignant", "Perpignan", "66"),
    ("Bezanson", "Besançon", "25"),
    ("Orléant", "Orléans", "45"),
    ("à Toure", "Tours", "37"),
    # outside the four regions: ranked after, never refused
    ("Lille", "Lille", "59"),
    ("Strasbourg", "Strasbourg", "67"),
]


@pytest.mark.parametrize(("said", "name", "department"), RESOLVED)
def test_resolved(resolver, said: str, name: str, department: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.RESOLVED, resolution.candidates[:3]
    assert (resolution.best.name, resolution.best.department) == (name, department)


AMBIGUOUS = [
    ("Beaulieu", {"21", "34", "36", "58"}),
    ("Saint Didier", {"84", "21", "39", "58"}),
    ("Valence", {"26", "82"}),
    ("vingt deux cent quarante", None),  # 20 240 or 22 140: resolved to the in-region one
    ("13101", {"13"}),
    ("1310", {"13"}),
]


@pytest.mark.parametrize(("said", "departments"), AMBIGUOUS)
def test_homonyms_and_doubtful_codes_are_offered_not_guessed(resolver, said, departments):
    resolution = resolver.resolve(said)
    if departments is None:
        assert resolution.confirm
        return
    assert resolution.status is Status.AMBIGUOUS
    assert departments <= {c.department for c in resolution.candidates}
    assert resolution.confirm
    assert len(resolution.candidates) >= 2


def test_homonyms_come_with_what_tells_them_apart(resolver) -> None:
    resolution = resolver.resolve("Beaulieu")
    assert {"Côte-d'Or", "Hérault", "Indre", "Nièvre"} <= {n for _, n in resolution.departments}


@pytest.mark.parametrize(("said", "department"), [
    ("treize", "13"),
    ("dans le Var", "83"),
    ("c'est dans le Vaucluse", "84"),
    ("en Côte-d'Or", "21"),
    ("dans le vingt et un", "21"),
    ("deux B", "2B"),
])
def test_a_department_alone_asks_for_more(resolver, said: str, department: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.status is Status.NEEDS_MORE
    assert department in {code for code, _ in resolution.departments}


@pytest.mark.parametrize("said", [
    "", "   ", "oui", "non", "d'accord", "je sais pas", "euh", "pardon ?",
    "je voudrais un atelier mémoire", "c'est payant ?", "vous êtes un robot ?",
    "j'ai quatre-vingt-trois ans", "bonjour madame", "je me sens seule",
    "qui vous a donné mon numéro", "la gym douce", "merci au revoir", "x" * 5000,
])
def test_answers_that_are_not_places(resolver, said: str) -> None:
    assert resolver.resolve(said).status is Status.NOT_FOUND


def test_unsure_answers_are_confirmed(resolver) -> None:
    assert resolver.resolve("Carpantra").confirm
    assert resolver.resolve("Aix").confirm
    assert resolver.resolve("13000").confirm
    assert not resolver.resolve("j'habite à Perpignan").confirm


def test_a_former_name_says_so(resolver) -> None:
    best = resolver.resolve("Bellegarde-sur-Valserine").best
    assert best.matched_name == "Bellegarde-sur-Valserine"
    assert any("ancien nom" in why for why in best.why)


def test_in_region_communes_rank_first(resolver) -> None:
    best = resolver.resolve("Saint-Martin-de-Crau").best
    assert best.region == "sud-est"
    assert resolver.resolve("Lille").best.region == "autre"
