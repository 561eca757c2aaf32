"""The steering app served for real on 127.0.0.1 from a background thread, for tests that
drive it with a browser (Playwright's sync API runs in the test's own thread)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

from acotel_voice.admin import create_admin_app
from acotel_voice.records import RecordStore


@contextmanager
def serving(store: RecordStore | None = None,
            make_app: Callable[[], web.Application] | None = None) -> Iterator[str]:
    """The base URL of the steering app (alone over ``store``, or inside the whole service
    ``make_app`` builds) while the block runs."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, object] = {}

    async def start() -> None:
        if make_app is not None:
            app = make_app()
        else:
            assert store is not None
            app = web.Application()
            app.add_subapp("/admin", create_admin_app(store))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["runner"] = runner
        state["port"] = runner.addresses[0][1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(20):
        raise RuntimeError("the admin app did not start")
    try:
        yield f"http://127.0.0.1:{state['port']}/admin"
    finally:
        runner = state["runner"]
        assert isinstance(runner, web.AppRunner)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(20)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(20)
