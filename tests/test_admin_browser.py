"""The steering app in a real browser (Debian's Chromium driven by Playwright): log in,
see only one's region, export, keyboard only; a screenshot of each page is kept in
``test-artifacts/admin/``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from admin_server import serving
from records_helpers import record

from acotel_voice.admin import Accounts
from acotel_voice.records import open_records

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "admin"
PASSWORD = "correct horse battery"

if not os.path.exists(CHROMIUM):  # scripts/test.sh installs it (apt-get install chromium)
    pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests", pytrace=False)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    store.append_many([
        record("se-1", "2026-12-01T09:10:00+01:00", region="sud-est", insee="13201",
               transcript=("je voudrais l'atelier mémoire à [adresse]",)),
        record("lr-1", "2026-12-01T11:00:00+01:00", region="languedoc-roussillon",
               insee="34172"),
    ])
    Accounts(store).add_user("carsat.se", "carsat", PASSWORD, "sud-est")
    Accounts(store).add_user("amoa", "amoa", PASSWORD)
    with serving(store) as url:
        yield url


@pytest.fixture
def page() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                      accept_downloads=True)
        yield context.new_page()
        browser.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def log_in_with_the_keyboard(page, base_url: str, login: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/")
    assert page.url.startswith(base_url + "/login")
    shot(page, "login")
    page.keyboard.type(login)  # the login field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/")


def test_a_carsat_account_uses_the_app_with_the_keyboard_and_sees_its_region(
        base_url: str, page) -> None:  # type: ignore[no-untyped-def]
    log_in_with_the_keyboard(page, base_url, "carsat.se")
    page.goto(base_url + "/?period=month&date=2026-12-10")
    assert page.locator("p.big strong").inner_text() == "1"
    assert page.locator("canvas#chart-calls").is_visible()
    shot(page, "dashboard")
    # Tab from the top reaches the skip link first, then the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Tableau de bord"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/traces")
    page.goto(base_url + "/traces?period=month&date=2026-12-10")
    links = page.locator("table.traces a")
    assert links.count() == 1
    shot(page, "traces")
    links.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/traces/se-1")
    assert "atelier mémoire" in page.inner_text("ol.transcript")
    shot(page, "trace")
    assert page.goto(base_url + "/traces/lr-1").status == 404  # type: ignore[union-attr]
    page.goto(base_url + "/traces?period=month&date=2026-12-10")
    with page.expect_download() as download:
        page.get_by_text("traces (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "se-1" in content and "lr-1" not in content


def test_every_form_field_has_a_label(base_url: str, page) -> None:  # type: ignore[no-untyped-def]
    log_in_with_the_keyboard(page, base_url, "amoa")
    for path in ("/?period=month&date=2026-12-10", "/traces", "/audit", "/amelioration",
                 "/copil", "/comprehension"):
        page.goto(base_url + path)
        unlabeled = page.evaluate("""() => [...document.querySelectorAll(
            'input:not([type=hidden]), select, textarea')].filter(
            e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.name)""")
        assert unlabeled == [], path
    shot(page, "audit")


def test_a_sentence_published_in_the_browser_is_heard_in_the_next_call(
        tmp_path: Path, page) -> None:  # type: ignore[no-untyped-def]
    import json
    import time
    import urllib.request

    from acotel_geo import CatalogueHolder, default_resolver, load_catalogue
    from acotel_voice.dialog._engine import Engine
    from acotel_voice.http._server import ServerConfig, create_app

    url = f"sqlite:///{tmp_path}/records.db"
    Accounts(open_records(url)).add_user("cnav", "cnav", PASSWORD)
    catalogue = load_catalogue()
    holder = CatalogueHolder(catalogue=catalogue)
    config = ServerConfig(secret="s3cret", store_url="memory://", records_url=url,
                          records_spool=str(tmp_path / "spool.jsonl"),
                          sms_outbox=str(tmp_path / "outbox.jsonl"), max_calls=100)

    def make_app():  # type: ignore[no-untyped-def]
        return create_app(config, Engine(default_resolver(), lambda: holder.catalogue), holder)

    with serving(make_app=make_app) as base_url:
        root = base_url.removesuffix("/admin")

        def welcome(call_id: str) -> str:
            request = urllib.request.Request(
                root + "/v1/calls", method="POST", headers={
                    "Authorization": "Bearer s3cret", "Content-Type": "application/json"},
                data=json.dumps({"call_id": call_id, "from": "0612345678"}).encode())
            with urllib.request.urlopen(request, timeout=10) as answer:
                return str(json.load(answer)["actions"][0]["text"])

        assert "bienvenue sur ACOTEL" in welcome("first")
        log_in_with_the_keyboard(page, base_url, "cnav")
        page.goto(base_url + "/messages/confirm_location?region=")
        page.locator("#text").fill("")
        page.locator("#text").press_sequentially("Vous êtes à {ville} ?")  # htmx: live preview
        page.locator("#apercu .error").wait_for()
        assert "Champ inconnu : {ville}" in page.inner_text("#apercu")
        page.goto(base_url + "/messages/welcome?region=")
        page.fill("#text", "Bonjour, ici ACOTEL, le service des ateliers près de chez vous.")
        page.get_by_role("button", name="Publier", exact=True).click()
        page.wait_for_load_state()
        shot(page, "message")
        heard = ""
        for attempt in range(20):  # published within the service's refresh period (5 s)
            heard = welcome(f"after-{attempt}")
            if "ici ACOTEL" in heard:
                break
            time.sleep(0.5)
        assert "ici ACOTEL, le service des ateliers" in heard
        page.get_by_role("button", name="Revenir au texte précédent").click()
        page.wait_for_load_state()
        for attempt in range(20):
            heard = welcome(f"back-{attempt}")
            if "bienvenue sur ACOTEL" in heard:
                break
            time.sleep(0.5)
        assert "bienvenue sur ACOTEL" in heard


def test_a_group_assigned_retrained_and_published_is_understood_in_the_next_call(
        tmp_path: Path, page) -> None:  # type: ignore[no-untyped-def]
    import json
    import time
    import urllib.request

    from acotel_geo import CatalogueHolder, default_resolver, load_catalogue
    from acotel_voice.dialog._engine import Engine
    from acotel_voice.http._server import ServerConfig, create_app

    said = "faut il sortir le porte monnaie"
    url = f"sqlite:///{tmp_path}/records.db"
    store = open_records(url)
    store.append_many([
        record("a", "2026-12-01T09:00:00+01:00", not_understood=(said,)),
        record("b", "2026-12-02T09:00:00+01:00",
               not_understood=("faut-il sortir mon porte-monnaie pour ça",)),
    ])
    Accounts(store).add_user("amoa", "amoa", PASSWORD)
    Accounts(store).add_user("carsat.se", "carsat", PASSWORD, "sud-est")
    holder = CatalogueHolder(catalogue=load_catalogue())
    config = ServerConfig(secret="s3cret", store_url="memory://", records_url=url,
                          records_spool=str(tmp_path / "spool.jsonl"),
                          sms_outbox=str(tmp_path / "outbox.jsonl"), max_calls=100,
                          heldout=str(Path(__file__).parent / "data" / "heldout_small.jsonl"))

    def make_app():  # type: ignore[no-untyped-def]
        return create_app(config, Engine(default_resolver(), lambda: holder.catalogue), holder)

    with serving(make_app=make_app) as base_url:
        root = base_url.removesuffix("/admin")

        def post(path: str, body: dict[str, object]) -> str:
            request = urllib.request.Request(
                root + path, method="POST", data=json.dumps(body).encode(), headers={
                    "Authorization": "Bearer s3cret", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                return " ".join(str(a.get("text", "")) for a in json.load(answer)["actions"])

        def answer_to(call_id: str) -> str:
            post("/v1/calls", {"call_id": call_id, "from": "0612345678"})
            return post(f"/v1/calls/{call_id}/events", {"seq": 1, "type": "speech", "text": said})

        assert "sont gratuits" not in answer_to("before")  # objection_cost's answer
        log_in_with_the_keyboard(page, base_url, "carsat.se")
        page.goto(base_url + "/amelioration?month=2026-12")
        assert "porte monnaie" in page.inner_text("#groupes")
        assert page.locator("#groupes details").count() == 0  # no assignment for Carsat
        token = page.locator("form.logout input[name=csrf]").get_attribute("value")
        for path, form in (("affecter", {"kind": "intent", "intent": "objection_cost",
                                         "examples": said}), ("reentrainer", {}),
                           ("publier", {"run": "1"}), ("revenir", {"version": "0"})):
            denied = page.request.post(base_url + "/comprehension/" + path,
                                       form={"csrf": token, **form}, max_redirects=0)
            assert denied.status == 403, path
        page.get_by_role("button", name="Se déconnecter").click()

        log_in_with_the_keyboard(page, base_url, "amoa")
        page.goto(base_url + "/amelioration?month=2026-12")
        group = page.locator("#groupes tbody tr").first
        assert said in group.inner_text()
        group.locator("summary").click()
        page.select_option("#intent-1", "objection_cost")
        shot(page, "improvement-assign")
        group.get_by_role("button", name="Affecter à cette intention").click()
        page.wait_for_url(base_url + "/comprehension")
        assert "brouillon" in page.inner_text("table >> nth=0")
        page.get_by_role("button", name="Réentraîner et évaluer").click()
        page.locator("#resultats").wait_for(timeout=120_000)
        table = page.inner_text("#resultats")
        assert "Exactitude globale" in table and "Rappel sécurité" in table
        assert "objection_cost" in page.inner_text("#par-intention")
        shot(page, "understanding-evaluation")
        page.get_by_role("button", name="Publier", exact=True).click()
        page.wait_for_load_state()
        assert "publiée" in page.inner_text("#versions + table")
        assert "Publiée : c'est la version n° 1" in page.inner_text("#refus")
        shot(page, "understanding-published")
        heard = ""
        for attempt in range(60):  # the refresh (5 s) then a training in a thread
            heard = answer_to(f"after-{attempt}")
            if "sont gratuits" in heard:
                break
            time.sleep(0.5)
        assert "sont gratuits" in heard
        page.goto(base_url + "/audit")
        for action in ("understanding.assigned", "understanding.retrained",
                       "understanding.published"):
            assert action in page.inner_text("main")
