"""The reference for the server benchmark: aiohttp alone, with nothing of acotel.

    python benchmarks/server/floor_app.py PORT WORKERS

The same routes as the turn API, each reading and parsing the JSON body and answering a
fixed ``say`` + ``listen`` of the usual size, on ``WORKERS`` processes sharing the port
like ``acotel-voice serve --workers``. Its latency is the floor that the framework, the
loopback and the generator give on this machine; acotel's is measured against it.
"""

from __future__ import annotations

import multiprocessing
import sys

from aiohttp import web

ANSWER = {"actions": [
    {"type": "say", "text": "Quelle ville ou quel code postal ?" * 3,
     "ssml": "<speak><prosody rate=\"90%\">Quelle ville ou quel code postal ?</prosody></speak>"},
    {"type": "listen", "input": ["speech", "digits"], "timeout_s": 8,
     "hints": ["Marseille", "Aix-en-Provence", "Tours"], "barge_in": True, "digits_max": 5}]}


async def turn(request: web.Request) -> web.Response:
    await request.json()
    return web.json_response(ANSWER)


def run(port: int) -> None:
    app = web.Application()
    app.router.add_post("/v1/calls", turn)
    app.router.add_post("/v1/calls/{call_id}/events", turn)
    web.run_app(app, host="127.0.0.1", port=port, print=None, reuse_port=True)


if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(workers - 1):
        multiprocessing.Process(target=run, args=(port,), daemon=True).start()
    run(port)
