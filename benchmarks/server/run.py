"""Load on the HTTP turn API from a separate process: simultaneous simulated calls.

    .venv/bin/python benchmarks/server/run.py [--calls 200] [--seconds 30] [--workers 2]

Starts ``acotel-voice serve`` (calls in Redis on 127.0.0.1, database 12, flushed) as a
subprocess, then keeps ``--calls`` calls in progress at once, each a realistic call of a
dozen turns, for ``--seconds``. Reports turns per second and the median/p99 latency of a
turn seen by the client, side by side with the engine's own time per turn measured in the
same run by the server (its /metrics), as the reference. Each rate in ``--rates`` is one
run: an offered load in turns per second (each call pacing its turns), and 0 for a closed
loop that sends the next turn as soon as the answer comes (saturation). Writes
results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret"
TURNS = [("speech", "la mémoire"), ("dtmf", "37000"), ("no_input", ""), ("speech", "pardon"),
         ("speech", "le suivant"), ("speech", "non"), ("speech", "oui"),
         ("speech", "non merci"), ("dtmf", "4")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def one_call(session: aiohttp.ClientSession, base: str, call_id: str,
                   latencies: list[float], think_s: float = 0.0) -> int:
    turns = 0
    started = time.perf_counter()
    async with session.post(f"{base}/v1/calls", json={
            "call_id": call_id, "from": "0639980000", "to": "0900000000",
            "started_at": "2026-12-01T10:00:00"}) as response:
        await response.read()
    latencies.append(time.perf_counter() - started)
    turns += 1
    for seq, (kind, value) in enumerate(TURNS, start=1):
        body: dict[str, Any] = {"seq": seq, "type": kind, "at": "2026-12-01T10:01:00"}
        if kind == "speech":
            body["text"] = value
        elif kind == "dtmf":
            body["digits"] = value
        started = time.perf_counter()
        async with session.post(f"{base}/v1/calls/{call_id}/events", json=body) as response:
            data = await response.json()
        latencies.append(time.perf_counter() - started)
        turns += 1
        if response.status != 200 or any(a["type"] == "hangup" for a in data["actions"]):
            break
        if think_s:  # the caller listens and answers: the next turn comes later
            await asyncio.sleep(max(0.0, think_s - (time.perf_counter() - started)))
    return turns


async def load(base: str, calls: int, seconds: float, rate: float) -> dict[str, Any]:
    """``rate`` turns per second in all (open loop: each call paces its turns), or as fast
    as the server answers when 0 (closed loop: saturation)."""
    think_s = calls / rate if rate else 0.0
    latencies: list[float] = []
    done = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=calls)
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        async def caller(n: int) -> None:
            nonlocal done
            k = 0
            while time.perf_counter() < deadline:
                turns = await one_call(session, base, f"bench-{n}-{k}", latencies, think_s)
                done += turns  # not "done += await ...": that reads done before awaiting
                k += 1

        started = time.perf_counter()

        async def staggered(n: int) -> None:  # calls do not all start at once
            await asyncio.sleep(think_s * n / calls)
            await caller(n)

        await asyncio.gather(*(staggered(n) for n in range(calls)))
        elapsed = time.perf_counter() - started
        async with session.get(f"{base}/metrics") as response:
            metrics = await response.text()
    ordered = sorted(latencies)
    engine = {float(q): float(v) for q, v in re.findall(
        r'acotel_turn_seconds\{quantile="([0-9.]+)"\} ([0-9.]+)', metrics)}
    return {
        "seconds": round(elapsed, 1), "turns": done, "latencies": ordered,
        "engine_ms_per_turn_reference": {"median": round(engine.get(0.5, 0) * 1000, 2),
                                         "p99": round(engine.get(0.99, 0) * 1000, 2)},
    }


def _client(base: str, calls: int, seconds: float, rate: float, out: Any) -> None:
    import gc

    gc.disable()  # the generator's own collections are not the server's latency
    out.put(asyncio.run(load(base, calls, seconds, rate)))


def measure(base: str, calls: int, seconds: float, rate: float, clients: int) -> dict[str, Any]:
    """The load shared by ``clients`` generator processes, so that the generator's own
    event loop does not add its delays to the latencies it measures."""
    import multiprocessing

    queue: Any = multiprocessing.Queue()
    share = calls // clients
    workers = [multiprocessing.Process(target=_client, args=(
        base, share, seconds, rate * share / calls, queue)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    parts = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = sorted(x for part in parts for x in part.pop("latencies"))
    turns = sum(p["turns"] for p in parts)
    elapsed = max(p["seconds"] for p in parts)
    return {
        "simultaneous_calls": share * clients, "generator_processes": clients,
        "offered_turns_per_s": rate or "as fast as answered", "seconds": elapsed,
        "turns": turns, "turns_per_s": round(turns / elapsed, 1),
        "turn_latency_ms": {"median": round(statistics.median(latencies) * 1000, 2),
                            "p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 2)},
        "engine_ms_per_turn_reference": parts[0]["engine_ms_per_turn_reference"],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--rates", default="100,300,500,0",
                        help="offered turns per second, one run each; 0 = saturation")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    port = free_port()
    env = {**os.environ, "ACOTEL_SECRET": SECRET}
    log = open(HERE / "server.log", "w")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(
        [sys.executable, "-m", "acotel_voice.cli", "serve", "--port", str(port),
         "--store", args.redis, "--workers", str(args.workers), "--max-calls", "100000"],
        env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(1 + args.workers)  # every worker loads its gazetteer
        runs = [measure(base, args.calls, args.seconds, float(rate), args.clients)
                for rate in args.rates.split(",")]
        results = {"workers": args.workers, "runs": runs}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
