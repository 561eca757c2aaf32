"""A lean open-loop load generator for the turn API: raw HTTP/1.1 on keep-alive sockets.

A generic HTTP client (aiohttp's) costs more CPU per request than the server's own turn,
and on a 2-core machine the generator shares the cores with the server: its cost would
show up as server latency. Here every request is a few pre-formatted bytes and every
answer is read by its Content-Length, so the generator takes a small share of a core.

Open loop: turns are due at a fixed rate whatever the answers (a ticker hands each due
turn to a call that is waiting for its next turn), and a turn's latency runs from the
moment it was due, not from when it could be sent; a late generator or a slow server
therefore shows up in the latencies instead of silently lowering the load (no
"coordinated omission"). Rate 0 is a closed loop: every call sends its next turn as soon
as the answer comes (saturation).
"""

from __future__ import annotations

import asyncio
import json
import resource
from collections import deque
from dataclasses import dataclass, field
from typing import Any

TURNS = [("speech", "la mémoire"), ("dtmf", "37000"), ("no_input", ""), ("speech", "pardon"),
         ("speech", "le suivant"), ("speech", "non"), ("speech", "oui"),
         ("speech", "non merci"), ("dtmf", "4")]


def request(path: str, body: dict[str, Any], secret: str) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {secret}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
            ).encode() + payload


def event_body(seq: int, kind: str, value: str) -> dict[str, Any]:
    body: dict[str, Any] = {"seq": seq, "type": kind, "at": "2026-12-01T10:01:00+01:00"}
    if kind == "speech":
        body["text"] = value
    elif kind == "dtmf":
        body["digits"] = value
    return body


@dataclass
class Call:
    """One simulated caller on its own keep-alive connection, one call after another."""

    name: str
    secret: str
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    number: int = 0
    turn: int = 0  # 0: the call starts; n: the n-th event
    statuses: dict[int, int] = field(default_factory=dict)

    def next_request(self) -> bytes:
        call_id = f"{self.name}-{self.number}"
        if self.turn == 0:
            return request("/v1/calls", {"call_id": call_id, "from": "0639980000",
                                         "to": "0900000000",
                                         "started_at": "2026-12-01T10:00:00+01:00"}, self.secret)
        kind, value = TURNS[self.turn - 1]
        return request(f"/v1/calls/{call_id}/events", event_body(self.turn, kind, value),
                       self.secret)

    async def send_turn(self) -> int:
        """One turn: send, read the answer, and move on to the next turn or call.
        Returns the turn's number in the call (0: the call's start)."""
        turn = self.turn
        self.writer.write(self.next_request())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await self.reader.readexactly(length)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status != 200 or b'"hangup"' in body or self.turn == len(TURNS):
            self.number += 1
            self.turn = 0
        else:
            self.turn += 1
        return turn


async def connect(host: str, port: int, name: str, secret: str) -> Call:
    reader, writer = await asyncio.open_connection(host, port)
    return Call(name, secret, reader, writer)


async def run_load(host: str, port: int, secret: str, prefix: str, calls: int,
                   seconds: float, rate: float) -> dict[str, Any]:
    """``calls`` callers at once; ``rate`` turns per second in all (0: closed loop).
    Returns the latencies in seconds, each with its turn's number in the call."""
    callers = [await connect(host, port, f"{prefix}-{n}", secret) for n in range(calls)]
    latencies: list[tuple[int, float]] = []  # (turn in the call, seconds)
    waiting: deque[Call] = deque(callers)
    late = 0
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + seconds
    tasks: set[asyncio.Task[None]] = set()

    async def turn(call: Call, due: float) -> None:
        number = await call.send_turn()
        latencies.append((number, loop.time() - due))
        waiting.append(call)

    async def closed(call: Call) -> None:
        while loop.time() < deadline:
            sent = loop.time()
            number = await call.send_turn()
            latencies.append((number, loop.time() - sent))

    if rate:
        interval = 1.0 / rate
        due = started
        while due < deadline:
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if waiting:
                task = asyncio.create_task(turn(waiting.popleft(), due))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            else:
                late += 1  # every caller is still waiting for an answer: the turn is lost
            due += interval
        await asyncio.gather(*tasks)
    else:
        await asyncio.gather(*(closed(call) for call in callers))
    elapsed = loop.time() - started
    statuses: dict[int, int] = {}
    for call in callers:
        call.writer.close()
        for status, count in call.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": elapsed, "latencies": latencies, "turns": len(latencies),
            "turns_not_sent": late, "http_statuses": statuses,
            "cpu_s": cpu.ru_utime + cpu.ru_stime}
