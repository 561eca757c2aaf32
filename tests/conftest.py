from __future__ import annotations

import pytest

from acotel_geo import Resolver, default_resolver


@pytest.fixture(scope="session")
def resolver() -> Resolver:
    return default_resolver()
