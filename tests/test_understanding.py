"""Continuous improvement of the understanding: assignments, the held-out evaluation, the
publication rules, the live model and the "other service" answers in calls, the pages'
permissions and logs (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from records_helpers import record

from acotel_voice.admin import Accounts, PublishedSentences, create_admin_app
from acotel_voice.admin._copil import actions
from acotel_voice.admin._understanding import Understanding, UnderstandingError
from acotel_voice.dialog import _intents
from acotel_voice.dialog._heldout import (
    HeldoutError,
    compare,
    intents_of,
    load_heldout,
    refusals,
    score,
)
from acotel_voice.records import open_records

FIXTURE = Path(__file__).resolve().parent / "data" / "heldout_small.jsonl"
PASSWORD = "correct horse battery"
PURSE = "faut il sortir le porte monnaie\nfaut-il sortir mon porte-monnaie pour ça"
SERVICE = ("Carte grise", "carte grise\ncertificat d'immatriculation",
           "Pour une carte grise, appelez l'agence des titres sécurisés au [tel:3400].")


def test_held_out_labels_map_to_the_model_intents() -> None:
    assert intents_of(["stop_results"]) == {"stop"}
    assert intents_of(["emergency", "greeting"]) == {"distress"}
    assert intents_of(["kind:gym douce", "affirm"]) == {"theme_forme", "affirm"}
    assert intents_of(["ask_number", "place:Tours", "score_3", "kind:retraite"]) == set()
    items = load_heldout(FIXTURE)
    assert len(items) == 43 and sum(1 for i in items if i.intents) == 37
    with pytest.raises(HeldoutError):
        load_heldout(FIXTURE.with_name("missing.jsonl"))


def test_the_corpus_model_scored_on_the_held_out_fixture() -> None:
    result = score(_intents.model_for(()), load_heldout(FIXTURE))
    assert result["scored"] == 37 and result["items"] == 43
    assert result["accuracy"] == result["right"] / 37 > 0.9
    assert set(result["safety"]) == {"suicide", "distress", "insult"}
    assert result["per_intent"]["distress"]["support"] == 3  # emergency x2, illness


def _result(accuracy: float, suicide: float | None) -> dict[str, Any]:
    return {"scored": 10, "accuracy": accuracy, "safety": {"suicide": suicide},
            "per_intent": {"suicide": {"support": 2, "recall": suicide, "precision": 1.0}}}


def test_publication_rules() -> None:
    assert refusals(_result(0.8, 1.0), _result(0.8, 1.0)) == []
    assert refusals(_result(0.8, 1.0), _result(0.9, 1.0)) == []
    lower = refusals(_result(0.8, 1.0), _result(0.7, 1.0))
    assert len(lower) == 1 and "exactitude globale baisse" in lower[0]
    safety = refusals(_result(0.8, 1.0), _result(0.9, 0.5))
    assert len(safety) == 1 and "suicide" in safety[0]
    row = compare(_result(0.8, 1.0), _result(0.9, 0.5))[0]
    assert row["intent"] == "suicide" and row["safety"] and row["recall"][2] == -0.5


def test_assign_retrain_publish_and_roll_back(records_url: str) -> None:
    store = open_records(records_url)
    understanding = Understanding(store)
    with pytest.raises(UnderstandingError, match="intention"):
        understanding.assign("amoa", PURSE, intent="not_an_intent")
    with pytest.raises(UnderstandingError, match="numéro"):
        understanding.assign("amoa", "ma carte grise", service=(SERVICE[0], "carte grise",
                                                                "Appelez la préfecture."))
    with pytest.raises(UnderstandingError, match="plus précis"):
        understanding.assign("amoa", "c'est payant l'atelier", service=(
            "Ateliers", "atelier", SERVICE[2]))
    with pytest.raises(UnderstandingError, match="Aucun de ces mots"):
        understanding.assign("amoa", "le permis de conduire", service=SERVICE)
    done = understanding.assign("amoa", PURSE + "\n\nfaut il sortir le porte monnaie",
                                intent="objection_cost")
    assert done["examples"] == PURSE.splitlines()  # blank lines and repeats dropped
    understanding.assign("amoa", "c'est pour ma carte grise", service=SERVICE)
    with pytest.raises(UnderstandingError, match="existe déjà"):
        understanding.assign("amoa", "la carte grise", service=SERVICE)
    assert [a["published"] for a in understanding.assignments()] == [False, False]

    run_id = understanding.retrain("amoa", FIXTURE)
    run = understanding.run(run_id)
    assert run is not None and run["refusals"] == [] and run["base"] == 0
    report = run["report"]
    assert report["candidate"]["scored"] == report["published"]["scored"] == 37
    assert report["candidate"]["accuracy"] >= report["published"]["accuracy"]
    assert [s["name"] for s in report["services"]] == ["Carte grise"]
    version = understanding.publish(run_id, "amoa")
    assert version == 1 and all(a["published"] for a in understanding.assignments())

    published = PublishedSentences()
    assert published.refresh(store)
    key, examples = published.understanding
    assert key == "u1" and ("faut il sortir le porte monnaie", "objection_cost") in examples
    national = published.for_region("sud-est")
    assert national["service_other_carte_grise"] == SERVICE[2]
    assert national["other_services"] == [{"key": "service_other_carte_grise",
                                           "words": ["carte grise",
                                                     "certificat d'immatriculation"]}]
    with pytest.raises(UnderstandingError, match="déjà publiée"):
        understanding.publish(run_id, "amoa")  # nothing new since

    assert understanding.roll_back(0, "cnav") == 2
    assert published.refresh(store) and published.understanding == ("u2", ())
    assert "other_services" not in published.for_region("")
    assert understanding.roll_back(1, "cnav") == 3
    published.refresh(store)
    assert published.understanding[0] == "u3" and len(published.understanding[1]) == 2
    with pytest.raises(UnderstandingError, match="déjà"):
        understanding.roll_back(3, "cnav")
    gone = understanding.withdraw(understanding.assignments()[1]["id"])
    assert gone["target"] == "service_other_carte_grise"
    assert len(understanding.assignments()) == 1 and len(understanding.assignments(True)) == 2


def test_publication_is_refused_when_a_safety_recall_falls(tmp_path: Path) -> None:
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    understanding = Understanding(store)
    understanding.assign("amoa", "\n".join([  # suicidal words taught as "yes": harmful
        "envie d'en finir avec tout oui", "oui plus envie de vivre du tout",
        "oui en finir avec tout ça", "oui je n'ai plus envie de vivre",
        "en finir oui", "plus envie de vivre oui oui", "j'ai envie d'en finir oui"]),
        intent="affirm")
    run = understanding.run(understanding.retrain("amoa", FIXTURE))
    assert run is not None
    assert any("suicide" in reason for reason in run["refusals"]), run["report"]["candidate"]
    with pytest.raises(UnderstandingError, match="Publication refusée"):
        understanding.publish(run["id"], "amoa")


def test_held_out_utterances_are_never_trained_on(tmp_path: Path) -> None:
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    understanding = Understanding(store)
    understanding.assign("amoa", PURSE + "\naucune idée", intent="objection_cost")
    run = understanding.run(understanding.retrain("amoa", FIXTURE))
    assert run is not None and run["content"]["excluded"] == 1
    assert [text for text, _ in run["content"]["examples"]] == PURSE.splitlines()


def test_the_live_model_takes_published_examples_and_goes_back() -> None:
    said = "faut il sortir le porte monnaie"
    assert _intents.detect(said).name != "objection_cost"
    assert _intents.use_examples("u1", tuple((t, "objection_cost") for t in PURSE.splitlines()))
    try:
        assert _intents.live_version() == "u1"
        found = _intents.detect(said)
        assert found.name == "objection_cost" and found.confidence >= 0.6
    finally:
        _intents.use_examples("", ())
    assert _intents.detect(said).name != "objection_cost"


def test_a_published_service_answers_callers(tmp_path: Path) -> None:
    from acotel_geo import default_resolver, load_catalogue
    from acotel_voice.dialog._engine import Engine
    from acotel_voice.dialog._simulate import Call

    store = open_records(f"sqlite:///{tmp_path}/records.db")
    understanding = Understanding(store)
    understanding.assign("amoa", "c'est pour ma carte grise", service=SERVICE)
    understanding.publish(understanding.retrain("amoa", FIXTURE), "amoa")  # no new example
    published = PublishedSentences()
    published.refresh(store)
    catalogue = load_catalogue()
    engine = Engine(default_resolver(), lambda: catalogue)
    engine.published = published
    call = Call(engine, "c", "0612345678", date.today())
    call.say("je voudrais refaire ma carte grise")
    spoken = " ".join(t["text"] for t in call.record.transcript if t["speaker"] == "bot")
    assert "agence des titres sécurisés" in spoken
    assert "34 00" in spoken or "3400" in spoken


def _serve(store: Any, scenario: Callable[[TestClient], Awaitable[None]]) -> None:
    async def main() -> None:
        app = web.Application()
        app.add_subapp("/admin", create_admin_app(store, heldout=FIXTURE))
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await scenario(client)
    asyncio.run(main())


async def _login(client: TestClient, user: str) -> str:
    await client.post("/admin/login", data={"login": user, "password": PASSWORD, "next": "/"})
    page = await (await client.get("/admin/comprehension")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_the_pages_assign_retrain_publish_and_log_every_step(records_url: str) -> None:
    store = open_records(records_url)
    store.append_many([record("a", "2026-12-01T09:00:00+01:00",
                              not_understood=("faut il sortir le porte monnaie",))])
    accounts = Accounts(store)
    accounts.add_user("carsat.se", "carsat", PASSWORD, "sud-est")
    accounts.add_user("amoa", "amoa", PASSWORD)

    async def scenario(client: TestClient) -> None:
        token = await _login(client, "carsat.se")
        page = await (await client.get("/admin/amelioration?month=2026-12")).text()
        assert "porte monnaie" in page and "Affecter ce groupe" not in page
        for path, data in (("affecter", {"kind": "intent", "intent": "objection_cost",
                                         "examples": PURSE}),
                           ("reentrainer", {}), ("publier", {"run": "1"}),
                           ("revenir", {"version": "0"}), ("retirer", {"assignment": "1"})):
            denied = await client.post(f"/admin/comprehension/{path}",
                                       data={"csrf": token, **data}, allow_redirects=False)
            assert denied.status == 403, path
        await client.post("/admin/logout", data={"csrf": token})
        token = await _login(client, "amoa")
        page = await (await client.get("/admin/amelioration?month=2026-12")).text()
        assert "Affecter ce groupe" in page and 'value="objection_cost"' in page
        no_token = await client.post("/admin/comprehension/affecter", data={
            "kind": "intent", "intent": "objection_cost", "examples": PURSE})
        assert no_token.status == 403
        bad = await client.post("/admin/comprehension/affecter", data={
            "csrf": token, "kind": "service", "examples": PURSE, "name": "Porte-monnaie",
            "words": "porte monnaie", "answer": "Pas de numéro ici."})
        assert bad.status == 400 and "[tel:3960]" in await bad.text()
        assert "Porte-monnaie" in await bad.text()  # the form comes back filled
        done = await client.post("/admin/comprehension/affecter", allow_redirects=False, data={
            "csrf": token, "kind": "intent", "intent": "objection_cost", "examples": PURSE})
        assert done.status == 303
        page = await (await client.get("/admin/amelioration?month=2026-12")).text()
        assert "Affecté à « C&#39;est payant ? »" in page
        trained = await client.post("/admin/comprehension/reentrainer", data={"csrf": token})
        text = await trained.text()
        assert trained.status == 200 and "Exactitude globale" in text and "Publier" in text
        run = re.search(r'name="run" value="(\d+)"', text)
        assert run
        published = await client.post("/admin/comprehension/publier", allow_redirects=False,
                                       data={"csrf": token, "run": run.group(1)})
        assert published.status == 303
        again = await client.post("/admin/comprehension/publier",
                                  data={"csrf": token, "run": run.group(1)})
        assert again.status == 409
        back = await client.post("/admin/comprehension/revenir", allow_redirects=False,
                                 data={"csrf": token, "version": "0"})
        assert back.status == 303
        audit = await (await client.get("/admin/audit")).text()
        for action in ("understanding.assigned", "understanding.retrained",
                       "understanding.published", "understanding.rolled_back"):
            assert action in audit, action
    _serve(store, scenario)
    titles = [a["title"] for a in actions(store)]
    assert any("affecté à l'intention « C'est payant ? »" in t for t in titles)
    assert any(t.startswith("Réentraînement et évaluation") for t in titles)
    assert any(t.startswith("Compréhension publiée : version n° 1") for t in titles)
    assert any("retour à la version n° 0" in t for t in titles)
