from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from records_helpers import drop_postgres, postgres_url

from acotel_geo import Resolver, default_resolver


@pytest.fixture(scope="session")
def resolver() -> Resolver:
    return default_resolver()


@pytest.fixture
def redis_url() -> str:
    """The real Redis of the tests (database 11 on 127.0.0.1, or REDIS_URL), emptied.
    On a fresh machine: apt install redis-server (scripts/test.sh starts one if needed)."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")
    try:
        redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3).flushdb()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        pytest.fail(f"Redis is needed at {url} (start redis-server, or set REDIS_URL)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def records_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/records.db"
        return
    url = postgres_url()
    assert url is not None
    try:
        yield url
    finally:
        drop_postgres(url)
