"""Safety and insults said in words no pattern lists are heard by the model trained on
the corpus of another author, under the same context guards as the patterns. The
sentences here are the team's own, in neither the corpus nor a held-out set."""

from __future__ import annotations

import json

import pytest

from acotel_voice.dialog import _care
from acotel_voice.dialog._intents import normalize
from acotel_voice.dialog._moves import read_moves

UNFORESEEN = [
    ("j'ai la tête qui tourne et je vois flou là maintenant", "emergency"),
    ("j'ai glissé dans la baignoire et je peux pas sortir", "emergency"),
    ("je préfère partir avant de devenir une charge pour eux", "suicide"),
    ("t'es vraiment trop bête ma pauvre", "insult"),
]


@pytest.mark.parametrize(("said", "label"), UNFORESEEN)
def test_what_no_pattern_foresaw_is_heard_by_the_model(said: str, label: str,
                                                       monkeypatch) -> None:
    assert label in read_moves(said, "request")
    # the patterns alone miss it: the model is what hears it
    monkeypatch.setattr(_care, "THRESHOLDS", dict.fromkeys(_care.THRESHOLDS, 2.0))
    read_moves.cache_clear()
    _care.care_labels.cache_clear()
    try:
        assert label not in read_moves(said, "request")
    finally:
        read_moves.cache_clear()
        _care.care_labels.cache_clear()


@pytest.mark.parametrize(("said", "step"), [
    ("la voisine elle est super gentille avec moi", "request"),
    ("je suis tombée amoureuse de la gym douce", "request"),
    ("ma voisine a été malade l'an dernier", "request"),
    ("les ateliers sur le sommeil ça me plairait", "theme"),
    ("ça m'a fait du bien de parler avec vous", "evaluation_reason"),
    ("je suis nulle avec tous ces boutons", "results"),
])
def test_look_alikes_raise_no_alarm(said: str, step: str) -> None:
    assert not read_moves(said, step) & {*_care.LABELS}


def test_the_corpus_is_well_formed_and_has_every_label() -> None:
    rows = [json.loads(line) for line in _care.CORPUS.read_text("utf-8").splitlines()
            if line.strip()]
    assert len(rows) > 1000
    assert all(row["text"].strip() and row["step"] in _care.QUESTION_KIND.values()
               for row in rows)
    for label in _care.LABELS:
        assert sum(label in row["labels"] for row in rows) >= 50, label


def test_a_threshold_for_every_label_and_scores_are_probabilities() -> None:
    assert set(_care.THRESHOLDS) == set(_care.LABELS)
    scores = _care.model().scores(normalize("bonjour je cherche un atelier"), "request")
    assert set(scores) == set(_care.LABELS)
    assert all(0.0 <= score <= 1.0 for score in scores.values())
    assert max(scores.values()) < min(_care.THRESHOLDS.values())
