"""Soak and fault benchmark: simultaneous calls for minutes on several workers with a
private Redis, while a worker is killed (``kill -9``), Redis is restarted and the SMS API
fails for a while.

    .venv/bin/python benchmarks/server/soak.py [--calls 200] [--minutes 10] [--workers 2]

Each simulated caller runs whole calls one after another (the welcome, six answers with
a pause to think, the SMS accepted), retrying a turn with the same number when the
server cannot answer (a connection cut by the killed worker, a 503 while Redis
restarts): the service must make that safe. At the end it checks that no call was lost
(every call started reached its end), that no SMS was delivered twice or silently lost
(each SMS written to the outbox is delivered once, by its idempotency key, after the API
recovers), and that no active call leaked (the store's active set is empty). Results in
``benchmarks/server/soak-results.json``: those counts and the turn latency (median, p99)
overall and outside the fault windows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

HERE = Path(__file__).resolve().parent
SECRET = "soak-secret"
AT = "2026-12-01T10:00:00+01:00"
TURNS = [("speech", "bonjour, la mémoire"), ("speech", "j'habite à Tours"),
         ("speech", "non"), ("speech", "oui"), ("speech", "non merci"), ("dtmf", "4")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmsApi:
    """The SMS provider: fails (503) while ``failing``; counts each delivery by key."""

    def __init__(self) -> None:
        self.failing = False
        self.delivered: dict[str, int] = {}
        self.refused = 0
        self.port = free_port()

    async def post(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.failing:
            self.refused += 1
            return web.json_response({}, status=503)
        key = body["idempotency_key"]
        self.delivered[key] = self.delivered.get(key, 0) + 1
        return web.json_response({}, status=201)

    def run(self) -> None:
        app = web.Application()
        app.router.add_post("/sms", self.post)
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        loop.run_forever()


class Redis:
    """A private redis-server with an append-only file, so that a restart keeps calls."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Caller:
    def __init__(self, name: str, base: str, stats: dict[str, Any]) -> None:
        self.name, self.base, self.stats = name, base, stats

    async def send(self, session: aiohttp.ClientSession, path: str, body: dict[str, Any],
                   stop: float) -> list[dict[str, Any]] | None:
        """The request until answered (the same body: safe to retry); None if lost."""
        while time.monotonic() < stop + 120:
            started = time.monotonic()
            try:
                async with session.post(self.base + path, json=body, headers={
                        "Authorization": f"Bearer {SECRET}"}) as answer:
                    if answer.status == 200:
                        self.stats["latencies"].append((time.time(), time.monotonic() - started))
                        return list((await answer.json())["actions"])
                    self.stats["retries_by_status"][str(answer.status)] = \
                        self.stats["retries_by_status"].get(str(answer.status), 0) + 1
                    if answer.status not in (503, 500, 502, 504):
                        self.stats["errors"].append((answer.status, await answer.text()))
                        return None
            except (aiohttp.ClientError, TimeoutError):
                self.stats["retries_by_status"]["connection"] = \
                    self.stats["retries_by_status"].get("connection", 0) + 1
            await asyncio.sleep(0.5)
        return None

    async def run(self, stop: float) -> None:
        timeout = aiohttp.ClientTimeout(total=15)
        number = 0
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while time.monotonic() < stop:
                call_id = f"{self.name}-{number}"
                number += 1
                self.stats["started"] += 1
                actions = await self.send(session, "/v1/calls", {
                    "call_id": call_id, "from": f"06{random.randrange(10**8):08d}",
                    "to": "0900000000", "started_at": AT}, stop)
                if actions is None or actions[-1]["type"] != "listen":
                    self.stats["lost"] += actions is None
                    self.stats["not_admitted"] += actions is not None
                    continue
                for seq, (kind, value) in enumerate(TURNS, start=1):
                    await asyncio.sleep(random.uniform(2.0, 6.0))  # the caller thinks
                    body: dict[str, Any] = {"seq": seq, "type": kind, "at": AT}
                    body["text" if kind == "speech" else "digits"] = value
                    actions = await self.send(session, f"/v1/calls/{call_id}/events", body,
                                              stop)
                    if actions is None:
                        break
                if actions is not None and actions and actions[-1]["type"] == "hangup":
                    self.stats["completed"] += 1
                else:
                    self.stats["lost"] += 1


def quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"median": 0.0, "p99": 0.0, "count": 0}
    return {"median": round(statistics.median(ordered) * 1000, 2),
            "p99": round(ordered[int(len(ordered) * 0.99)] * 1000, 2), "count": len(ordered)}


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="acotel-soak-"))
    redis = Redis(folder)
    redis.start()
    api = SmsApi()
    threading.Thread(target=api.run, daemon=True).start()
    port = free_port()
    outbox = folder / "outbox.jsonl"
    env = {**os.environ, "ACOTEL_SECRET": SECRET, "ACOTEL_JAMBONZ_SECRET": "x",
           "ACOTEL_SMS_API_URL": f"http://127.0.0.1:{api.port}/sms"}
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "acotel_voice.cli", "serve", "--workers", str(args.workers),
         "--port", str(port), "--store", redis.url, "--sms-outbox", str(outbox),
         "--max-calls", str(args.calls + 50)], env=env, stdout=log, stderr=log, cwd=folder)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if len(children(server.pid)) == args.workers:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                pass
        time.sleep(0.5)
    time.sleep(5)  # every worker listening
    stats: dict[str, Any] = {"started": 0, "completed": 0, "lost": 0, "not_admitted": 0,
                             "latencies": [], "retries_by_status": {}, "errors": []}
    duration = args.minutes * 60
    stop = time.monotonic() + duration
    faults: list[tuple[str, float, float]] = []

    async def inject() -> None:
        await asyncio.sleep(duration * 0.25)
        began = time.time()
        victim = children(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        faults.append(("worker killed", began, time.time() + 15))
        await asyncio.sleep(duration * 0.25)
        began = time.time()
        redis.stop()
        await asyncio.sleep(3)
        redis.start()
        faults.append(("redis restarted", began, time.time() + 5))
        await asyncio.sleep(duration * 0.15)
        began = time.time()
        api.failing = True
        await asyncio.sleep(min(60.0, duration * 0.1))
        api.failing = False
        faults.append(("sms api failing", began, time.time()))

    callers = [Caller(f"soak{n}", base, stats) for n in range(args.calls)]
    started = time.time()

    async def staggered(caller: Caller, delay: float) -> None:
        await asyncio.sleep(delay)
        await caller.run(stop)

    await asyncio.gather(inject(), *(staggered(c, n * 0.05) for n, c in enumerate(callers)))
    await asyncio.sleep(45)  # the SMS still due are delivered after the API's recovery
    async with aiohttp.ClientSession() as session, session.get(base + "/metrics",
                           headers={"Authorization": f"Bearer {SECRET}"}) as answer:
        metrics = await answer.text()
    import redis as redis_client

    active = redis_client.Redis.from_url(redis.url).zcard("acotel:active")
    server.terminate()
    server.wait(60)
    redis.stop()
    written = [json.loads(line)["key"] for line in outbox.read_text().splitlines()
               if line.strip()]
    calm = [d for at, d in stats["latencies"]
            if not any(begin <= at <= end for _, begin, end in faults)]
    return {
        "machine": f"{os.cpu_count()} cores", "workers": args.workers,
        "simultaneous_calls": args.calls, "minutes": args.minutes,
        "faults": [{"what": what, "at_s": round(begin - started, 1)}
                   for what, begin, _ in faults],
        "calls": {k: stats[k] for k in ("started", "completed", "lost", "not_admitted")},
        "retries_by_status": stats["retries_by_status"],
        "unexpected_errors": stats["errors"][:5],
        "sms": {"written": len(written), "distinct": len(set(written)),
                "delivered": len(api.delivered),
                "delivered_twice": sum(1 for n in api.delivered.values() if n > 1),
                "never_delivered": len(set(written) - set(api.delivered)),
                "refused_while_failing": api.refused},
        "active_calls_left": int(active),
        "turn_latency_ms": quantiles([d for _, d in stats["latencies"]]),
        "turn_latency_ms_outside_faults": quantiles(calm),
        "sweeps": [line for line in metrics.splitlines() if "swept" in line],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "soak-results.json")
    args = parser.parse_args(argv)
    results = asyncio.run(soak(args))
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
