"""The steering web app over a real HTTP server: accounts, sessions, CSRF, throttling,
region isolation, dashboard, traces, exports, audit."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from records_helpers import record

from acotel_voice.admin import AccountError, Accounts, PublishedSentences, create_admin_app
from acotel_voice.records import PARIS, open_records

PASSWORD = "correct horse battery"


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    store.append_many([
        record("se-1", "2026-12-01T09:10:00+01:00", region="sud-est", insee="13201"),
        record("se-2", "2026-12-02T10:10:00+01:00", region="sud-est", insee="84007",
               transcript=("je dors mal", "c'est où exactement")),
        record("lr-1", "2026-12-01T11:00:00+01:00", region="languedoc-roussillon",
               insee="34172", statuses=("traite", "requete", "non_efficace", "abouti")),
        record("cvl-1", "2026-12-03T15:00:00+01:00", region="centre-val-de-loire",
               insee="45234", origin="fixe"),
    ])
    accounts = Accounts(store)
    accounts.add_user("carsat.se", "carsat", PASSWORD, "sud-est")
    accounts.add_user("cnav", "cnav", PASSWORD)
    return store


def with_client(store, scenario: Callable[[TestClient], Awaitable[None]]) -> None:  # type: ignore[no-untyped-def]
    """Run ``scenario`` against the app served on 127.0.0.1."""
    async def main() -> None:
        app = web.Application()
        app.add_subapp("/admin", create_admin_app(store))
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await scenario(client)
    asyncio.run(main())


async def login(client: TestClient, user: str, password: str = PASSWORD) -> int:
    response = await client.post("/admin/login", data={"login": user, "password": password,
                                                       "next": "/"}, allow_redirects=False)
    return response.status


async def csrf(client: TestClient) -> str:
    page = await (await client.get("/admin/")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_pages_need_a_session(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        response = await client.get("/admin/traces", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/admin/login?next=/traces"
        assert (await client.get("/admin/static/admin.css")).status == 200
    with_client(store, scenario)




def test_login_sets_a_strict_http_only_cookie_and_wrong_passwords_are_throttled(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        assert await login(client, "cnav", "wrong password!!") == 401
        response = await client.post("/admin/login", data={"login": "cnav", "password": PASSWORD},
                                     allow_redirects=False)
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # plain HTTP in the test; Secure behind HTTPS
        for _ in range(5):
            await login(client, "carsat.se", "not the password")
        assert await login(client, "carsat.se") == 429  # even the right one, for a while
        page = await (await client.get("/admin/")).text()
        assert "Tableau de bord" in page
    with_client(store, scenario)




def test_forms_without_the_csrf_token_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        assert (await client.post("/admin/logout", data={})).status == 403
        token = await csrf(client)
        response = await client.post("/admin/logout", data={"csrf": token}, allow_redirects=False)
        assert response.status == 303
        assert (await client.get("/admin/", allow_redirects=False)).status == 303
    with_client(store, scenario)




def test_a_carsat_account_sees_and_exports_only_its_region(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "carsat.se")
        page = await (await client.get("/admin/?period=month&date=2026-12-10")).text()
        assert "<strong>2</strong> appels présentés" in page
        # even when asking for another region, by URL
        page = await (await client.get("/admin/?period=month&date=2026-12-10"
                                       "&region=languedoc-roussillon")).text()
        assert "<strong>2</strong> appels présentés" in page
        assert (await client.get("/admin/traces/lr-1")).status == 404
        detail = await (await client.get("/admin/traces/se-2")).text()
        assert "je dors mal" in detail and "061234XXXX" in detail
        response = await client.get("/admin/exports/traces.csv?period=month&date=2026-12-10")
        rows = list(csv.reader(io.StringIO((await response.text()).lstrip("\ufeff")),
                               delimiter=";"))
        assert [r[0] for r in rows[1:]] == ["se-1", "se-2"]
        assert (await client.get("/admin/audit")).status == 403
    with_client(store, scenario)




def test_cnav_sees_every_region_and_exports_are_audited(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        page = await (await client.get("/admin/?period=month&date=2026-12-10")).text()
        assert "<strong>4</strong> appels présentés" in page
        assert "Appels requêtés / traités" in page
        listing = await (await client.get("/admin/traces?period=month&date=2026-12-10")).text()
        assert listing.count("/admin/traces/") == 4
        xlsx = await client.get("/admin/exports/report.xlsx?period=month&date=2026-12-10")
        assert xlsx.status == 200 and (await xlsx.read())[:2] == b"PK"
        audit = await (await client.get("/admin/audit")).text()
        assert "export.report.xlsx" in audit and "login" in audit
    with_client(store, scenario)




@pytest.mark.parametrize("query", ["period=year", "date=hier", "region=paris",
                                   "origin=satellite", "status=joyeux&period=day"])
def test_bad_filters_get_a_clear_400(store, query: str) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        path = "/admin/traces?" if "status" in query else "/admin/?"
        response = await client.get(path + query)
        assert response.status == 400
    with_client(store, scenario)




def test_accounts_are_checked_when_made(store) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(store)
    with pytest.raises(AccountError, match="region"):
        accounts.add_user("carsat.x", "carsat", PASSWORD)
    with pytest.raises(AccountError, match="12 characters"):
        accounts.add_user("amoa", "amoa", "short")
    with pytest.raises(AccountError, match="exists"):
        accounts.add_user("cnav", "cnav", PASSWORD)


def test_cli_adds_a_user_with_the_password_on_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/records.db"
    done = subprocess.run([sys.executable, "-m", "acotel_voice.cli", "admin", "add-user",
                           "--records", url, "--login", "carsat.bfc", "--role", "carsat",
                           "--region", "bourgogne-franche-comte", "--password-stdin"],
                          input=PASSWORD + "\n", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "carsat.bfc" in done.stdout
    assert Accounts(open_records(url)).authenticate("carsat.bfc", PASSWORD, "test")


def test_improvement_actions_and_the_copil_report(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        page = await (await client.get("/admin/amelioration?month=2026-12")).text()
        assert "Ce que disent les appelants" in page
        token = await csrf(client)
        response = await client.post("/admin/amelioration", allow_redirects=False,
                                     data={"csrf": token, "title": "Mots du sommeil ajoutés",
                                           "detail": "insomnie, je dors mal"})
        assert response.status == 303
        pdf = await client.get("/admin/copil/2026-11.pdf")
        assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF")
        assert (await client.get("/admin/copil/2026-13.pdf")).status == 400
        audit = await (await client.get("/admin/audit")).text()
        assert "improvement.action" in audit and "export.copil.pdf" in audit
    with_client(store, scenario)
    url = store.url
    month = datetime.now(PARIS).strftime("%Y-%m")  # the action was logged today, in Paris
    done = subprocess.run([sys.executable, "-m", "acotel_voice.cli", "copil", "--records", url,
                           "--month", month, "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    xlsx = (tmp_path / f"copil-{month}.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        names = book.namelist()
        workbook = book.read("xl/workbook.xml").decode()
        shared = book.read("xl/sharedStrings.xml").decode()
    assert "xl/charts/chart1.xml" in names
    for sheet in ("Indicateurs", "Évolution", "Verbatims", "Actions"):
        assert f'name="{sheet}"' in workbook
    assert "Mots du sommeil ajoutés" in shared
    pdf = (tmp_path / f"copil-{month}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1


def test_sentences_are_checked_published_and_rolled_back(store) -> None:  # type: ignore[no-untyped-def]
    published = PublishedSentences()

    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        page = await (await client.get("/admin/messages?q=confirm_location")).text()
        assert "Vous habitez bien à {name}" in page
        token = await csrf(client)
        url = "/admin/messages/confirm_location?region="
        bad = await client.post(url, data={"csrf": token, "action": "publish",
                                           "text": "Vous habitez à {ville} ?"})
        assert bad.status == 422
        assert "Champ inconnu : {ville}" in await bad.text()
        missing = await client.post(url, data={"csrf": token, "action": "save",
                                               "text": "Vous habitez bien là ?"})
        assert "Champ manquant : {department_phrase}, {name}" in await missing.text()
        preview = await (await client.post(url, data={
            "csrf": token, "action": "preview",
            "text": "C'est bien {name}, {department_phrase} ?"})).text()
        assert "C&#39;est bien Cavaillon, dans le Vaucluse ?" in preview
        assert "&lt;speak&gt;" in preview
        ok = await client.post(url, allow_redirects=False, data={
            "csrf": token, "action": "publish", "text": "C'est bien {name}, {department_phrase} ?"})
        assert ok.status == 303
        assert published.refresh(store) is True
        assert published.for_region("sud-est")["confirm_location"] == \
            "C'est bien {name}, {department_phrase} ?"
        assert published.refresh(store) is False  # nothing new
        regional = await client.post("/admin/messages/confirm_location?region=sud-est",
                                     allow_redirects=False, data={
                                         "csrf": token, "action": "publish",
                                         "text": "Vous êtes bien à {name}, {department_phrase} ?"})
        assert regional.status == 303
        published.refresh(store)
        assert published.for_region("sud-est")["confirm_location"].startswith("Vous êtes bien")
        assert published.for_region("centre-val-de-loire")["confirm_location"].startswith("C'est")
        back = await client.post(url, allow_redirects=False, data={"csrf": token,
                                                                  "action": "rollback"})
        assert back.status == 303
        published.refresh(store)
        assert "confirm_location" not in published.for_region("")  # the file's text again
        history = await (await client.get(url)).text()
        assert "retour au texte d'origine" in history
        voice = await client.post("/admin/voix?region=", data={
            "csrf": token, "vendor": "google", "language": "fr-FR", "voice": "fr-FR-Neural2-A",
            "rate": "300%", "pause_ms": "700"})
        assert voice.status == 422 and "Débit" in await voice.text()
        voice = await client.post("/admin/voix?region=", allow_redirects=False, data={
            "csrf": token, "vendor": "google", "language": "fr-FR", "voice": "fr-FR-Neural2-A",
            "rate": "85%", "pause_ms": "700"})
        assert voice.status == 303
        published.refresh(store)
        assert published.voice("sud-est")["voice"] == "fr-FR-Neural2-A"
        page = await (await client.get("/admin/voix")).text()
        assert "rate=&#34;85%&#34;" in page and "time=&#34;700ms&#34;" in page
        audit = await (await client.get("/admin/audit")).text()
        for action in ("sentence.published", "sentence.rolled_back", "voice.published"):
            assert action in audit

    with_client(store, scenario)


def test_a_carsat_account_edits_only_its_region(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        await login(client, "carsat.se")
        token = await csrf(client)
        national = await client.post("/admin/messages/regional_contact?region=", data={
            "csrf": token, "action": "save", "text": "Appelez le [tel:3960]."})
        assert national.status == 403
        own = await client.post("/admin/messages/regional_contact?region=sud-est",
                                allow_redirects=False, data={
                                    "csrf": token, "action": "publish",
                                    "text": "Vous pouvez joindre la Carsat Sud-Est au [tel:3960]."})
        assert own.status == 303
    with_client(store, scenario)


def test_evaluation_questions_and_scale_are_published_to_the_dialog(store) -> None:  # type: ignore[no-untyped-def]
    from acotel_geo import default_resolver, load_catalogue
    from acotel_voice.dialog._engine import Engine
    from acotel_voice.dialog._simulate import Call

    async def scenario(client: TestClient) -> None:
        await login(client, "cnav")
        token = await csrf(client)
        bad = await client.post("/admin/evaluation?region=", data={
            "csrf": token, "scale": "9", "bad_at_most": "9", "questions": "Une note ?"})
        assert bad.status == 422 and "seuil" in await bad.text()
        ok = await client.post("/admin/evaluation?region=", allow_redirects=False, data={
            "csrf": token, "scale": "9", "bad_at_most": "4",
            "questions": "De 1 à {scale}, quelle note pour cet appel ?"})
        assert ok.status == 303
    with_client(store, scenario)
    published = PublishedSentences()
    published.refresh(store)
    catalogue = load_catalogue()
    engine = Engine(default_resolver(), lambda: catalogue)
    engine.published = published
    call = Call(engine, "c", "0612345678", date.today())  # the demo is anchored to today
    for said in ["la mémoire", "Tours", "non", "non", "non"]:
        call.say(said)
    spoken = " ".join(t["text"] for t in call.record.transcript if t["speaker"] == "bot")
    assert "De 1 à 9, quelle note pour cet appel ?" in spoken


def test_what_the_bot_did_not_understand_is_shown_grouped(tmp_path: Path) -> None:
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    store.append_many([
        record("a", "2026-12-01T09:00:00+01:00", not_understood=("c'est pour la carte grise",)),
        record("b", "2026-12-02T09:00:00+01:00",
               not_understood=("la carte grise de ma voiture", "vous faites les impôts")),
    ])
    Accounts(store).add_user("amoa", "amoa", PASSWORD)

    async def scenario(client: TestClient) -> None:
        await login(client, "amoa")
        page = await (await client.get("/admin/amelioration?month=2026-12")).text()
        assert "Ce que le robot n&#39;a pas compris" in page or "robot n'a pas compris" in page
        assert "<td>2</td>" in page and "carte grise" in page and "impôts" in page
    with_client(store, scenario)
