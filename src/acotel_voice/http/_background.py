"""The service's background tasks, each a ``cleanup_ctx`` of the app: a loop whose every
pass has a timeout, stopped with the app.

- the chain self-test every minute (tender §5.1);
- the sweep of idle calls (``--idle-timeout``) at least once a minute;
- the catalogue reloaded when its store's ``CURRENT`` changes (polled) and on SIGHUP;
- the metrics of this worker added to the shared ones (Redis store);
- the sentences and voice published in the steering app, and the records spool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from aiohttp import web

from acotel_geo import search

from ..dialog._results import found_dict
from ..dialog._sms import compose

log = logging.getLogger("acotel.voice")
SELFTEST_EVERY_S = 60.0
SELFTEST_TIMEOUT_S = 10.0
RELOAD_EVERY_S = 30.0
RELOAD_TIMEOUT_S = 120.0
METRICS_EVERY_S = 5.0
REFRESH_EVERY_S = 5.0


@dataclass
class ChainStatus:
    """The last chain self-test (tender §5.1): None before the first one."""

    ok: bool | None = None
    at: str = ""
    error: str = ""


def every(seconds: Callable[[web.Application], float], timeout_s: float, name: str,
          work: Callable[[web.Application], Awaitable[None]], first: bool = False
          ) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context running ``work`` every ``seconds(app)``, each pass bounded by
    ``timeout_s``; a failing pass is logged, the loop goes on."""
    async def context(app: web.Application) -> AsyncIterator[None]:
        async def once() -> None:
            try:
                async with asyncio.timeout(timeout_s):  # never swallows the loop's cancel
                    await work(app)
            except Exception as failure:
                log.warning("%s failed: %s", name, type(failure).__name__)

        async def loop() -> None:
            while True:
                await asyncio.sleep(seconds(app))
                await once()

        if first:
            await once()
        task = asyncio.create_task(loop(), name=name)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context


def chain_selftest(app: web.Application) -> None:
    """A synthetic call through the chain: resolve a town, search its workshops, compose
    the SMS. Raises on any failure."""
    from ._server import CATALOGUE, ENGINE

    resolution = app[ENGINE].resolver.resolve("treize cent")
    if resolution.best is None:
        raise RuntimeError("the resolver found no town for a known postcode")
    result = search(app[CATALOGUE].catalogue, resolution.best.lat, resolution.best.lon,
                    date.today(), limit=3)
    if not result.workshops and not result.remote:
        raise RuntimeError("the search found no workshop near a known town")
    found = (result.workshops or result.remote)[:1]
    if not compose([found_dict(f) for f in found]):
        raise RuntimeError("no SMS could be composed")


async def selftest_once(app: web.Application) -> None:
    """Its result is in /health and /metrics, written to the call records
    (availability), and while it fails callers hear the incident message at once."""
    from ._server import CHAIN, METRICS, SELFTEST_HOOKS

    status = app[CHAIN]
    try:
        await asyncio.wait_for(asyncio.to_thread(chain_selftest, app), SELFTEST_TIMEOUT_S)
        status.ok, status.error = True, ""
    except Exception as failure:
        status.ok, status.error = False, type(failure).__name__
        log.error("chain self-test failed: %s", status.error)
    status.at = datetime.now(UTC).isoformat(timespec="seconds")
    app[METRICS].counters["selftests_total"] += 1
    if not status.ok:
        app[METRICS].counters["selftests_failed_total"] += 1
    for hook in app[SELFTEST_HOOKS]:
        await hook(datetime.now(UTC), bool(status.ok))


selftests = every(lambda app: SELFTEST_EVERY_S, SELFTEST_TIMEOUT_S + 10, "chain self-test",
                  selftest_once, first=True)


async def _sweep(app: web.Application) -> None:
    from ._server import SERVICE

    await app[SERVICE].sweep()


def sweep_period(app: web.Application) -> float:
    """At least once a minute, and often enough for short timeouts (tests)."""
    from ._server import SERVICE

    return max(0.05, min(60.0, app[SERVICE].settings.idle_timeout_s / 4))


sweeper = every(sweep_period, 60.0, "idle-call sweep", _sweep)


async def reload_catalogue(app: web.Application) -> None:
    """The catalogue again if its snapshot changed (the one in use stays on failure)."""
    from ._server import CATALOGUE, METRICS

    holder = app[CATALOGUE]
    before = holder.catalogue
    await asyncio.wait_for(asyncio.to_thread(holder.reload), RELOAD_TIMEOUT_S)
    if holder.catalogue is not before:
        app[METRICS].counters["catalogue_reloads_total"] += 1
        log.info("catalogue reloaded: %d workshops", len(holder.catalogue))


async def catalogue_reloads(app: web.Application) -> AsyncIterator[None]:
    """Polled every ``RELOAD_EVERY_S``, and at once on SIGHUP (where signals can be
    handled: the main thread of a Unix process)."""
    pending: set[asyncio.Task[None]] = set()

    async def once() -> None:
        try:
            await reload_catalogue(app)
        except Exception as failure:
            log.warning("catalogue reload failed: %s", type(failure).__name__)

    def on_hangup() -> None:
        task = asyncio.create_task(once())
        pending.add(task)
        task.add_done_callback(pending.discard)

    async def loop() -> None:
        while True:
            await asyncio.sleep(RELOAD_EVERY_S)
            await once()

    event_loop = asyncio.get_running_loop()
    handled = False
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        event_loop.add_signal_handler(signal.SIGHUP, on_hangup)
        handled = True
    task = asyncio.create_task(loop(), name="catalogue reload")
    yield
    if handled:
        event_loop.remove_signal_handler(signal.SIGHUP)
    for running in (task, *pending):
        running.cancel()
    await asyncio.gather(task, *pending, return_exceptions=True)


async def flush_metrics(app: web.Application) -> None:
    """This worker's counts added to the shared ones (with a Redis store)."""
    from ..calls._store import RedisStore
    from ._server import METRICS, STORE

    store = app[STORE]
    if isinstance(store, RedisStore):
        await app[METRICS].flush(store.redis, store.prefix)


metrics_flush = every(lambda app: METRICS_EVERY_S, METRICS_EVERY_S, "metrics flush",
                      flush_metrics)
