"""The reports over HTTP (a real server on 127.0.0.1): the same numbers as the CLI, clear
400s naming the field."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from records_helpers import record

from acotel_voice.records import create_reports_app, open_records, report


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_records(f"sqlite:///{tmp_path}/records.db")
    store.append_many([
        record("a", "2026-12-01T09:10:00+01:00"),
        record("b", "2026-12-02T10:00:00+01:00", origin="fixe",
               statuses=("traite", "requete", "non_efficace", "abouti"),
               transcript=("il n'y a rien près de chez moi",)),
    ])
    return store


def serve(store, scenario) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        app = web.Application()
        app.add_subapp("/v1/reports", create_reports_app(store))
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await scenario(client)
    asyncio.run(main())


def test_reports_over_http_match_the_library(store) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        got = await (await client.get("/v1/reports/indicators?by=month")).json()
        assert got == json.loads(json.dumps(report(store, by="month")))
        lines = (await (await client.get("/v1/reports/traces?origin=fixe")).text()).splitlines()
        assert [json.loads(line)["call_id"] for line in lines] == ["b"]
        csv = await client.get("/v1/reports/indicators?format=csv")
        assert (await csv.read()).startswith("\ufeff".encode())
        said = await (await client.get("/v1/reports/verbatims")).json()
        assert said["vocabulary"]["calls"] == 1
    serve(store, scenario)


@pytest.mark.parametrize(("query", "field"), [
    ("indicators?from=hier", "from"), ("indicators?by=year", "by"),
    ("traces?region=paris", "region"), ("traces?format=pdf", "format"),
    ("verbatims?top=0", "top"), ("verbatims?status=content", "status"),
    ("indicators?from=2026-12-02&to=2026-12-01", "from"),
])
def test_bad_queries_get_a_400_naming_the_field(store, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    async def scenario(client: TestClient) -> None:
        response = await client.get(f"/v1/reports/{query}")
        assert response.status == 400
        assert (await response.json())["field"] == field
    serve(store, scenario)
