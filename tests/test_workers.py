"""``acotel-voice serve --workers 2`` as a real process tree on 127.0.0.1 with the real
Redis: a worker killed is restarted, SIGHUP reloads instead of killing, and killing the
supervisor leaves no orphan serving the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def wait_for(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s} s"
        time.sleep(0.2)


def test_workers_are_supervised_and_die_with_their_supervisor(tmp_path, redis_url) -> None:
    port = free_port()
    env = {**os.environ, "ACOTEL_SECRET": "s", "ACOTEL_JAMBONZ_SECRET": "j"}
    parent = subprocess.Popen(
        [sys.executable, "-m", "acotel_voice.cli", "serve", "--workers", "2", "--port",
         str(port), "--store", redis_url, "--sms-outbox", str(tmp_path / "outbox.jsonl")],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        wait_for(lambda: len(children(parent.pid)) == 2 and health(port) in (200, 503), 90,
                 "two workers serving")
        workers = children(parent.pid)
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(children(parent.pid) - {victim}) == 2, 60, "a worker restarted")
        workers = children(parent.pid)
        wait_for(lambda: health(port) in (200, 503), 60, "serving again")
        os.kill(parent.pid, signal.SIGHUP)  # reload the catalogue: nobody dies
        time.sleep(1.0)
        assert children(parent.pid) == workers and parent.poll() is None
        assert health(port) in (200, 503)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        # each worker shuts down gracefully (SMS in flight, records drained): seconds, more
        # on a loaded machine
        wait_for(lambda: not any(alive(pid) for pid in workers), 30, "workers gone")
        assert health(port) == 0  # nobody serves the port any more
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
