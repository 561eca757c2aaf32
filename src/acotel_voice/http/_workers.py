"""Running the service: one process, or a supervisor and ``workers`` processes sharing
the port (``SO_REUSEPORT``).

The supervisor restarts a worker that dies (with a back-off if it keeps dying), forwards
SIGHUP (catalogue reload) and stops its workers on SIGTERM/SIGINT. A worker dies with
its supervisor (``PR_SET_PDEATHSIG`` on Linux, and a watch on its parent elsewhere), so
that a killed supervisor leaves no orphan serving the port.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess

from aiohttp import web

from ._server import AccessLogger, ServerConfig, create_app

log = logging.getLogger("acotel.voice")
STOP_GRACE_S = 15.0
MAX_BACKOFF_S = 30.0


def _die_with_parent(parent: int) -> None:
    """Ask Linux to end this process when its parent dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


async def _watch_parent(app: web.Application) -> AsyncIterator[None]:
    """Elsewhere than Linux: end when the supervisor is gone."""
    parent = os.getppid()

    async def watch() -> None:
        while os.getppid() == parent:
            await asyncio.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    task = asyncio.create_task(watch())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def serve_one(config: ServerConfig, host: str, port: int, reuse_port: bool,
              parent: int | None = None) -> None:
    if parent is not None:
        _die_with_parent(parent)
    # A SIGHUP while still loading is ignored (it used to kill the server); once serving,
    # the app handles it (catalogue reload).
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # The outbox's fsync runs in a thread: when it returns, it gets the GIL back within
    # 0.5 ms instead of Python's default 5 ms under a busy event loop.
    sys.setswitchinterval(0.0005)
    app = create_app(config)
    if parent is not None:
        app.cleanup_ctx.append(_watch_parent)
    web.run_app(app, host=host, port=port, print=None, reuse_port=reuse_port,
                access_log_class=AccessLogger, shutdown_timeout=STOP_GRACE_S)


def run_workers(config: ServerConfig, host: str, port: int, workers: int) -> int:
    if workers == 1:
        serve_one(config, host, port, reuse_port=False)
        return 0
    return Supervisor(config, host, port, workers).run()


class Supervisor:
    def __init__(self, config: ServerConfig, host: str, port: int, workers: int) -> None:
        self.config, self.host, self.port, self.count = config, host, port, workers
        self.context = multiprocessing.get_context("fork")
        self.children: list[BaseProcess] = []
        self.stopping = False
        self.restarts = 0

    def _spawn(self) -> BaseProcess:
        child = self.context.Process(
            target=serve_one, args=(self.config, self.host, self.port, True, os.getpid()),
            daemon=False)
        child.start()
        return child

    def _stop(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def _hangup(self, signum: int, _frame: object) -> None:
        for child in self.children:
            if child.pid is not None and child.is_alive():
                os.kill(child.pid, signal.SIGHUP)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, self._hangup)
        self.children = [self._spawn() for _ in range(self.count)]
        deaths: list[float] = []
        while not self.stopping:
            wait([c.sentinel for c in self.children], timeout=1.0)
            for index, child in enumerate(self.children):
                if child.is_alive() or self.stopping:
                    continue
                now = time.monotonic()
                deaths = [d for d in deaths if now - d < 60] + [now]
                backoff = min(MAX_BACKOFF_S, 0.5 * 2 ** max(0, len(deaths) - 2))
                log.error("worker %s exited (%s): restarted in %.1f s", child.pid,
                          child.exitcode, backoff)
                time.sleep(backoff)
                self.children[index] = self._spawn()
                self.restarts += 1
        for child in self.children:
            if child.pid is not None and child.is_alive():
                os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S + 5
        for child in self.children:
            child.join(max(0.1, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join(5)
        return 0
