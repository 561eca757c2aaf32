"""Whatever the speech recognition sends, resolve answers: no exception, no hang."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acotel_geo import Status
from acotel_geo.places._numbers import NUMBER_WORDS

EXTRA_WORDS = ["et", "euh", "le", "saint", "sur", "aix", "13", "100", "marseille", "huitième",
               "dans", "var"]
SPOKEN = st.lists(st.sampled_from([*sorted(NUMBER_WORDS), *EXTRA_WORDS]), max_size=30).map(
    " ".join)
ANY_TEXT = st.text(max_size=400)

settings.register_profile("acotel", deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("acotel")


@given(st.one_of(ANY_TEXT, SPOKEN))
@settings(max_examples=400)
def test_resolve_never_raises_and_stays_fast(resolver, utterance: str) -> None:
    started = time.perf_counter()
    resolution = resolver.resolve(utterance)
    elapsed = time.perf_counter() - started
    assert resolution.status in set(Status)
    assert elapsed < 0.5, (utterance, elapsed)  # a hang guard, not a benchmark
    if resolution.status is Status.RESOLVED:
        assert resolution.candidates
    for candidate in resolution.candidates:
        assert 0.0 <= candidate.score <= 1.0


@given(st.one_of(ANY_TEXT, SPOKEN))
@settings(max_examples=100)
def test_resolve_is_deterministic(resolver, utterance: str) -> None:
    assert resolver.resolve(utterance) == resolver.resolve(utterance)


def test_non_text_input_is_not_found(resolver) -> None:
    assert resolver.resolve(None).status is Status.NOT_FOUND  # type: ignore[arg-type]
