"""Load on the HTTP turn API from a separate process: simultaneous simulated calls.

    .venv/bin/python benchmarks/server/run.py [--calls 200] [--seconds 30] [--workers 2]

Starts ``acotel-voice serve`` (calls in Redis on 127.0.0.1, database 12, flushed) as a
subprocess and keeps ``--calls`` calls in progress at once, each on its own keep-alive
connection, for ``--seconds`` per rate. Each rate in ``--rates`` is one run: an offered
load in turns per second (open loop, see loadgen.py), or 0 for a closed loop
(saturation). Reports turns per second, the median/p99/max latency of a turn seen by the
client (overall and for each turn of the call), and CPU time per turn of the server and
of the generator. The reference, run side by side at each rate with the same workers
and generator, is aiohttp alone (floor_app.py): the ratio of p99s is what acotel adds
to the framework's floor. The engine's own time per turn, from the server's /metrics,
is reported too. Writes results.json.
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
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from loadgen import TURNS, run_load

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret"
TURN_NAMES = ["start", *(f"{n}: {kind} {value}".strip() for n, (kind, value) in
                         enumerate(TURNS, start=1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(c) for c in (task / "children").read_text().split()]
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def engine_time(port: int) -> dict[str, float]:
    """The engine's own time per turn, from the server's /metrics (one worker's window)."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /metrics HTTP/1.0\r\nHost: bench\r\nAuthorization: Bearer "
                     + SECRET.encode() + b"\r\n\r\n")
        text = b"".join(iter(lambda: sock.recv(65536), b"")).decode()
    engine = {float(q): float(v) for q, v in re.findall(
        r'acotel_turn_seconds\{quantile="([0-9.]+)"\} ([0-9.]+)', text)}
    return {"median": round(engine.get(0.5, 0) * 1000, 2),
            "p99": round(engine.get(0.99, 0) * 1000, 2)}


def quantiles_ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered) * 1000, 2),
            "p99": round(ordered[int(len(ordered) * 0.99)] * 1000, 2)}


def _client(port: int, prefix: str, calls: int, seconds: float, rate: float,
            out: Any) -> None:
    import gc

    gc.disable()  # the generator's own collections are not the server's latency
    out.put(asyncio.run(run_load("127.0.0.1", port, SECRET, prefix, calls, seconds, rate)))


def measure(port: int, server_pid: int, calls: int, seconds: float, rate: float,
            clients: int, label: str, engine: bool) -> dict[str, Any]:
    """The load shared by ``clients`` generator processes."""
    import multiprocessing

    queue: Any = multiprocessing.Queue()
    share = calls // clients
    workers = [multiprocessing.Process(target=_client, args=(
        port, f"{label}-{n}", share, seconds, rate / clients, queue)) for n in range(clients)]
    cpu_before = cpu_seconds(server_pid)
    for worker in workers:
        worker.start()
    parts = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    server_cpu = cpu_seconds(server_pid) - cpu_before
    timed = [x for part in parts for x in part.pop("latencies")]
    latencies = sorted(seconds for _, seconds in timed)
    by_turn: dict[str, list[float]] = {}
    for number, seconds in timed:
        by_turn.setdefault(TURN_NAMES[number], []).append(seconds)
    turns = sum(p["turns"] for p in parts)
    elapsed = max(p["seconds"] for p in parts)
    statuses: dict[str, int] = {}
    for part in parts:
        for status, count in part["http_statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    return {
        "simultaneous_calls": share * clients, "generator_processes": clients,
        "offered_turns_per_s": rate or "as fast as answered", "seconds": round(elapsed, 1),
        "turns": turns, "turns_per_s": round(turns / elapsed, 1),
        "turns_not_sent": sum(p["turns_not_sent"] for p in parts), "http_statuses": statuses,
        "turn_latency_ms": {**quantiles_ms(latencies),
                            "max": round(latencies[-1] * 1000, 2)},
        "turn_latency_ms_by_turn": {name: quantiles_ms(values)
                                    for name, values in by_turn.items()},
        "cpu_ms_per_turn": {"server": round(server_cpu / turns * 1000, 3),
                            "generator": round(sum(p["cpu_s"] for p in parts) / turns * 1000,
                                               3)},
        **({"engine_ms_per_turn": engine_time(port)} if engine else {}),
    }


def listeners(port: int) -> int:
    """Sockets listening on ``port`` (one per worker with SO_REUSEPORT), from /proc."""
    text = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    return sum(1 for line in text.splitlines()[1:]
               if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A")


@contextmanager
def started(command: list[str], port: int, workers: int, log: Any) -> Iterator[int]:
    """A server subprocess, once every worker listens (keep-alive connections stay on the
    worker that accepted them: connecting before all listen would load one worker)."""
    env = {**os.environ, "ACOTEL_SECRET": SECRET}
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    try:
        for _ in range(240):
            if listeners(port) >= workers:
                break
            if server.poll() is not None:
                raise SystemExit(f"the server stopped: see {log.name}")
            time.sleep(0.5)
        else:
            raise SystemExit(f"the server did not start in 2 minutes: see {log.name}")
        yield server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=1, help="load generator processes")
    parser.add_argument("--rates", default="100,300,500,800,0",
                        help="offered turns per second, one run each; 0 = saturation")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    rates = [float(rate) for rate in args.rates.split(",")]
    scratch = tempfile.mkdtemp(prefix="acotel-bench-")  # the SMS outbox of the run
    servers: dict[str, Callable[[int], list[str]]] = {
        "reference": lambda port: [sys.executable, str(HERE / "floor_app.py"), str(port),
                                   str(args.workers)],
        "acotel": lambda port: [sys.executable, "-m", "acotel_voice.cli", "serve",
                                "--port", str(port), "--store", args.redis,
                                "--workers", str(args.workers), "--max-calls", "100000",
                                "--sms-outbox", str(Path(scratch) / "sms-outbox.jsonl")],
    }
    measured: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
    with open(HERE / "server.log", "w") as log, ExitStack() as stack:
        ports = {name: free_port() for name in servers}
        pids = {name: stack.enter_context(started(command(ports[name]), ports[name],
                                                  args.workers, log))
                for name, command in servers.items()}
        for n, rate in enumerate(rates):  # both servers at each rate, one after the other
            for name in servers:
                measured[name].append(measure(
                    ports[name], pids[name], args.calls, args.seconds, rate, args.clients,
                    f"{name}{n}", engine=name == "acotel"))
    runs = []
    for ours, floor in zip(measured["acotel"], measured["reference"], strict=True):
        runs.append({**ours, "reference": {key: floor[key] for key in (
            "turns_per_s", "turn_latency_ms", "cpu_ms_per_turn")},
            "p99_ratio_to_reference": round(ours["turn_latency_ms"]["p99"]
                                            / floor["turn_latency_ms"]["p99"], 2)})
    results = {"workers": args.workers,
               "reference": "aiohttp alone: floor_app.py, same workers, generator and rates",
               "runs": runs}
    args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
