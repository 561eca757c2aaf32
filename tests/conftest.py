from __future__ import annotations

import os

import pytest

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
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is needed at {url} (start redis-server, or set REDIS_URL)")
    return url
