"""Continuous improvement of the understanding (tender §5.19): what the bot did not
understand, assigned to an intent of the model (the utterances become training examples)
or to a new "other service" answer (the words callers use, the answer and its phone
number); a candidate trained on the corpus and every assignment, scored beside the
published model on the held-out set (never trained on); published only when it is not
worse; any earlier version published again at will.

A version is its examples and services (JSON, not a pickle). The running service reads
the latest through ``PublishedSentences.refresh`` and trains it in a thread."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from ..dialog._heldout import compare, heldout_texts, load_heldout, refusals, score
from ..dialog._intents import intent_names, load_corpus, model_for, normalize
from ..records import PARIS, RecordStore, anonymise

SERVICE_PREFIX = "service_other_"
MAX_EXAMPLES = 200
MAX_TEXT = 200
MAX_WORDS = 20
MAX_ANSWER = 600
_TEL = re.compile(r"\[tel:([^\]]*)\]")
# Intents whose examples may name another service's words (the model's "other service").
OPEN_INTENTS = frozenset({"out_of_scope", "pension", "health_insurance"})
INTENT_NAMES = {
    "affirm": "Oui, d'accord", "deny": "Non", "dont_know": "Je ne sais pas",
    "repeat": "Répétez", "slower": "Moins vite", "back": "Revenir en arrière",
    "stop": "Arrêter", "goodbye": "Au revoir, c'est tout", "new_search": "Une autre recherche",
    "more_info": "En savoir plus", "next": "Le suivant",
    "request_workshop": "Je cherche un atelier",
    "theme_memoire": "Thème mémoire", "theme_equilibre": "Thème équilibre",
    "theme_sommeil": "Thème sommeil", "theme_nutrition": "Thème nutrition",
    "theme_forme": "Thème forme, gym douce", "theme_numerique": "Thème numérique",
    "theme_social": "Thème lien social", "theme_habitat": "Thème habitat",
    "theme_any": "Peu importe le thème", "objection_cost": "C'est payant ?",
    "objection_robot": "Vous êtes un robot ?", "objection_number": "Qui a donné mon numéro ?",
    "objection_what": "C'est quoi ce service ?", "distress": "Détresse, malaise",
    "suicide": "Idées suicidaires", "insult": "Insulte", "pension": "Ma retraite (3960)",
    "health_insurance": "Assurance maladie (3646)", "out_of_scope": "Hors sujet",
}


class UnderstandingError(ValueError):
    """A request that cannot be done; the message says why, in French."""


def _lines(text: str, limit: int, what: str) -> list[str]:
    found: list[str] = []
    for line in re.split(r"[\n;]", text):
        clean = " ".join(anonymise(line).split())
        if not normalize(clean) or clean in found:
            continue
        if len(clean) > MAX_TEXT:
            raise UnderstandingError(f"{what} de plus de {MAX_TEXT} caractères :"
                                     f" « {clean[:40]}… ».")
        found.append(clean)
    if len(found) > limit:
        raise UnderstandingError(f"{what}s : au plus {limit}.")
    return found


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """What a service's words match in a normalised answer (whole words)."""
    return re.compile("|".join(rf"\b{re.escape(normalize(w))}\b" for w in words))


def service_key(name: str) -> str:
    slug = "_".join(normalize(name).split())[:40]
    if not slug:
        raise UnderstandingError("Donnez un nom au service.")
    return SERVICE_PREFIX + slug


def check_service(name: str, words: str, answer: str, examples: list[str]) -> dict[str, Any]:
    """A new "other service" answer, checked: its key, name, words and answer."""
    name = " ".join(name.split())
    if not 2 <= len(name) <= 80:
        raise UnderstandingError("Le nom du service : de 2 à 80 caractères.")
    said = _lines(words.replace(",", "\n"), MAX_WORDS, "Mot")
    if not said:
        raise UnderstandingError("Donnez les mots que disent les appelants, un par ligne.")
    texts, labels = load_corpus()
    for word in said:
        if len(normalize(word)) < 4:
            raise UnderstandingError(f"« {word} » est trop court : il reconnaîtrait trop de"
                                     " réponses.")
        pattern = words_pattern([word])
        clash = next((label for text, label in zip(texts, labels, strict=True)
                      if label not in OPEN_INTENTS and pattern.search(normalize(text))), None)
        if clash:
            raise UnderstandingError(f"« {word} » se dit aussi pour « "
                                     f"{INTENT_NAMES.get(clash, clash)} » : choisissez des mots"
                                     " plus précis.")
    pattern = words_pattern(said)
    if not any(pattern.search(normalize(e)) for e in examples):
        raise UnderstandingError("Aucun de ces mots ne se trouve dans les formulations du groupe.")
    answer = " ".join(answer.split())
    if not answer or len(answer) > MAX_ANSWER:
        raise UnderstandingError(f"La réponse : de 1 à {MAX_ANSWER} caractères.")
    if "{" in answer or "}" in answer:
        raise UnderstandingError("La réponse ne peut pas contenir d'accolades.")
    numbers = _TEL.findall(answer)
    if not numbers:
        raise UnderstandingError("La réponse doit donner un numéro, écrit [tel:3960].")
    for number in numbers:
        if not re.fullmatch(r"\d{4,10}", number):
            raise UnderstandingError(f"Numéro de téléphone mal écrit : [tel:{number}].")
    return {"key": service_key(name), "name": name, "words": said, "answer": answer}


def _version_row(row: Any) -> dict[str, Any]:
    version_id, at, login, run_id, content, note = row
    return {"id": int(version_id), "at": datetime.fromtimestamp(int(at), PARIS),
            "login": login, "run": run_id, "content": json.loads(content), "note": note}


EMPTY: dict[str, Any] = {"examples": [], "services": [], "assignments": []}


def live(store: RecordStore) -> tuple[int, dict[str, Any]]:
    """The published version: its id (0 for the corpus alone) and content."""
    rows = store.query("SELECT id, content FROM understanding_versions ORDER BY id DESC LIMIT 1")
    return (int(rows[0][0]), json.loads(rows[0][1])) if rows else (0, EMPTY)


class Understanding:
    """Assignments, evaluations (runs) and published versions, in the records database."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    # -- assignments -------------------------------------------------------------------
    def assign(self, login: str, examples: str, intent: str = "",
               service: tuple[str, str, str] | None = None) -> dict[str, Any]:
        """A group's utterances (one a line) assigned to ``intent``, or to a new service
        ``(name, words, answer)``; the assignment."""
        said = _lines(examples, MAX_EXAMPLES, "Formulation")
        if not said:
            raise UnderstandingError("Aucune formulation à affecter.")
        found: dict[str, Any] | None = None
        if service is not None:
            found = check_service(*service, examples=said)
            target = found["key"]
            if any(a["target"] == target for a in self.assignments()):
                raise UnderstandingError(f"Le service « {found['name']} » existe déjà.")
        elif intent in intent_names():
            target = intent
        else:
            raise UnderstandingError("Choisissez une intention de la liste.")
        self.store.execute("INSERT INTO understanding_assignments (at_utc, login, target,"
                           " examples, service) VALUES (?, ?, ?, ?, ?)",
                           [int(time.time()), login, target, json.dumps(said, ensure_ascii=False),
                            json.dumps(found, ensure_ascii=False) if found else None])
        return {"target": target, "examples": said, "service": found}

    def assignments(self, withdrawn: bool = False) -> list[dict[str, Any]]:
        """The assignments (not withdrawn ones unless asked), oldest first; ``published``
        when the live version holds them."""
        published = set(live(self.store)[1].get("assignments", []))
        rows = self.store.query("SELECT id, at_utc, login, target, examples, service,"
                                " withdrawn_utc FROM understanding_assignments ORDER BY id")
        return [{"id": int(i), "at": datetime.fromtimestamp(int(at), PARIS), "login": login,
                 "target": target, "examples": json.loads(examples),
                 "service": json.loads(service) if service else None,
                 "withdrawn": gone is not None, "published": int(i) in published}
                for i, at, login, target, examples, service, gone in rows
                if withdrawn or gone is None]

    def withdraw(self, assignment_id: int) -> dict[str, Any]:
        found = [a for a in self.assignments() if a["id"] == assignment_id]
        if not found:
            raise UnderstandingError("Affectation introuvable.")
        self.store.execute("UPDATE understanding_assignments SET withdrawn_utc = ? WHERE id = ?",
                           [int(time.time()), assignment_id])
        return found[0]

    def candidate(self) -> dict[str, Any]:
        """What a retraining would publish: every assignment not withdrawn."""
        content: dict[str, Any] = {"examples": [], "services": [], "assignments": []}
        for a in self.assignments():
            content["assignments"].append(a["id"])
            if a["service"]:
                content["services"].append(a["service"])
            else:
                content["examples"] += [[text, a["target"]] for text in a["examples"]]
        return content

    # -- evaluation ----------------------------------------------------------------------
    def retrain(self, login: str, heldout: Path | None = None) -> int:
        """Train the candidate (corpus + assignments, minus any held-out utterance), score
        it and the published model on the held-out set; the run's id. Slow: in a thread."""
        try:
            items = load_heldout(heldout)
        except ValueError as error:
            raise UnderstandingError(f"Jeu de test illisible : {error}") from None
        base, published = live(self.store)
        content = self.candidate()
        held = heldout_texts(items)
        kept = [pair for pair in content["examples"] if normalize(pair[0]) not in held]
        content["excluded"] = len(content["examples"]) - len(kept)
        content["examples"] = kept
        before = score(model_for(tuple(map(tuple, published["examples"]))), items)
        after = score(model_for(tuple(map(tuple, kept))), items)
        caught = []
        for service in content["services"]:
            pattern = words_pattern(service["words"])
            hits = [i for i in items if pattern.search(normalize(i.text))]
            caught.append({"name": service["name"], "caught": len(hits),
                           "examples": [i.text for i in hits[:3]]})
        report = {"published": before, "candidate": after, "rows": compare(before, after),
                  "refusals": refusals(before, after), "services": caught,
                  "heldout": str(heldout or "")}
        self.store.execute("INSERT INTO understanding_runs (at_utc, login, base_version, content,"
                           " report) VALUES (?, ?, ?, ?, ?)",
                           [int(time.time()), login, base, json.dumps(content, ensure_ascii=False),
                            json.dumps(report, ensure_ascii=False)])
        return int(self.store.query("SELECT MAX(id) FROM understanding_runs WHERE login = ?",
                                    [login])[0][0])

    def run(self, run_id: int | None = None) -> dict[str, Any] | None:
        """An evaluation (the latest by default), with whether it may be published."""
        rows = self.store.query(
            "SELECT id, at_utc, login, base_version, content, report FROM understanding_runs"
            + (" WHERE id = ?" if run_id else " ORDER BY id DESC LIMIT 1"),
            [run_id] if run_id else [])
        if not rows:
            return None
        rid, at, login, base, content, report = rows[0]
        found = {"id": int(rid), "at": datetime.fromtimestamp(int(at), PARIS), "login": login,
                 "base": int(base), "content": json.loads(content), "report": json.loads(report)}
        found["refusals"] = self._refusals(found)
        return found

    def _refusals(self, run: dict[str, Any]) -> list[str]:
        reasons = list(run["report"]["refusals"])
        version, content = live(self.store)
        rows = self.store.query("SELECT run_id FROM understanding_versions WHERE id = ?",
                                [version])
        run["published_as"] = version if rows and rows[0][0] == run["id"] else None
        if run["published_as"]:
            reasons.append(f"Cette évaluation est déjà publiée (version n° {version}).")
        elif run["base"] != version:
            reasons.append("Une autre version a été publiée depuis cette évaluation :"
                           " réentraînez et évaluez de nouveau.")
        elif {k: run["content"][k] for k in EMPTY} == {k: content.get(k, []) for k in EMPTY}:
            reasons.append("Rien de nouveau : c'est déjà la version publiée.")
        return reasons

    # -- publication -------------------------------------------------------------------
    def publish(self, run_id: int, login: str) -> int:
        """The run's candidate published (the rules checked again); the version's id."""
        found = self.run(run_id)
        if found is None:
            raise UnderstandingError("Évaluation introuvable.")
        if found["refusals"]:
            raise UnderstandingError("Publication refusée : " + " ".join(found["refusals"]))
        return self._insert(login, found["id"], found["content"], f"évaluation n° {run_id}")

    def roll_back(self, version_id: int, login: str) -> int:
        """Publish again an earlier version (0: the corpus alone)."""
        if version_id == 0:
            content = EMPTY
        else:
            rows = self.store.query("SELECT id, at_utc, login, run_id, content, note FROM"
                                    " understanding_versions WHERE id = ?", [version_id])
            if not rows:
                raise UnderstandingError("Version introuvable.")
            content = _version_row(rows[0])["content"]
        if version_id == live(self.store)[0]:
            raise UnderstandingError("C'est déjà la version publiée.")
        return self._insert(login, None, content, f"retour à la version n° {version_id}")

    def _insert(self, login: str, run_id: int | None, content: dict[str, Any], note: str) -> int:
        self.store.execute("INSERT INTO understanding_versions (at_utc, login, run_id, content,"
                           " note) VALUES (?, ?, ?, ?, ?)",
                           [int(time.time()), login, run_id,
                            json.dumps(content, ensure_ascii=False), note])
        return live(self.store)[0]

    def versions(self) -> list[dict[str, Any]]:
        """Every published version, newest first."""
        rows = self.store.query("SELECT id, at_utc, login, run_id, content, note FROM"
                                " understanding_versions ORDER BY id DESC")
        return [_version_row(row) for row in rows]
