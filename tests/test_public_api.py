"""Each package exports a curated public API: what it promises is listed in ``__all__``,
importable, public, and changed only on purpose (this list is updated with it)."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "acotel_geo.places": {
        "EXPERIMENT_REGIONS", "OTHER", "Candidate", "Gazetteer", "GazetteerError", "Place",
        "Resolution", "Resolver", "Status", "default_resolver", "region_of", "resolve",
        "spoken_numbers"},
    "acotel_voice.dialog": {"CallState", "Engine", "Event", "Messages", "Turn", "understand"},
    "acotel_voice.calls": {
        "CallBusy", "CallConflict", "CallEndHooks", "CallError", "CallNotFound",
        "CallService", "CallStore", "EndedCall", "HttpSmsApi", "MemoryStore", "Metrics",
        "OnCallEnd", "OnSmsOutcome", "RedisStore", "ServiceSettings", "SmsApi", "SmsError",
        "SmsOutbox", "SqliteStore", "StaleEvent", "StoreBusy", "StoredCall",
        "message_action", "open_store", "voiced"},
    "acotel_voice.http": {"ServerConfig", "create_app", "run_workers"},
}
PACKAGES = ("acotel_geo", "acotel_geo.places", "acotel_geo.catalogue", "acotel_voice.dialog",
            "acotel_voice.calls", "acotel_voice.http", "acotel_voice.records",
            "acotel_voice.admin")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_lists_public_names_that_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} has no __all__"
    assert len(set(exported)) == len(exported)
    for symbol in exported:
        assert not symbol.startswith("_"), f"{name} exports private {symbol}"
        assert hasattr(module, symbol), f"{name}.__all__ names missing {symbol}"


@pytest.mark.parametrize(("name", "expected"), sorted(PUBLIC.items()))
def test_public_apis_change_only_on_purpose(name: str, expected: set[str]) -> None:
    assert set(importlib.import_module(name).__all__) == expected


def test_the_top_package_re_exports_places_and_catalogue() -> None:
    import acotel_geo
    from acotel_geo import catalogue, places

    assert set(places.__all__) <= set(acotel_geo.__all__)
    assert {"search", "Catalogue", "Workshop"} <= set(catalogue.__all__)
