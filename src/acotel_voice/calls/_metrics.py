"""The service's counters and turn latencies, in Prometheus text.

Each worker counts in memory; with a Redis store, every worker adds its counts to one
Redis hash every few seconds (and keeps its recent latencies in a capped list), so that
``/metrics`` answers for the whole service whichever worker is asked.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("acotel.voice")
RECENT_TURNS = 5000


@dataclass
class Metrics:
    counters: Counter[str] = field(default_factory=Counter)
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=RECENT_TURNS))
    _flushed: Counter[str] = field(default_factory=Counter)
    _latencies_flushed: int = 0
    _turns: int = 0

    def turn(self, seconds: float) -> None:
        self.latencies.append(seconds)
        self._turns += 1

    def render(self, active: int | None, shared: tuple[Counter[str], list[float]] | None = None,
               gauges: dict[str, float] | None = None) -> str:
        """``active`` is None when the call store cannot be reached; ``shared`` holds the
        counts and latencies of every worker (else this worker's)."""
        counters, latencies = shared or (self.counters, list(self.latencies))
        lines = [f"# TYPE acotel_{name} counter\nacotel_{name} {value}"
                 for name, value in sorted(counters.items())]
        lines.append(f"# TYPE acotel_store_up gauge\nacotel_store_up {int(active is not None)}")
        if active is not None:
            lines.append(f"# TYPE acotel_calls_active gauge\nacotel_calls_active {active}")
        for name, value in sorted((gauges or {}).items()):
            lines.append(f"# TYPE acotel_{name} gauge\nacotel_{name} {value:g}")
        recent = sorted(latencies)
        for quantile in (0.5, 0.99):
            value = recent[min(len(recent) - 1, int(len(recent) * quantile))] if recent else 0.0
            lines.append(f'acotel_turn_seconds{{quantile="{quantile}"}} {value:.6f}')
        return "\n".join(lines) + "\n"

    async def flush(self, redis: Any, prefix: str) -> None:
        """Add this worker's counts since the last flush to the shared hash."""
        delta = self.counters - self._flushed
        fresh = min(self._turns - self._latencies_flushed, len(self.latencies))
        recent = list(self.latencies)[len(self.latencies) - fresh:] if fresh else []
        if not delta and not recent:
            return
        async with redis.pipeline(transaction=False) as pipe:
            for name, value in delta.items():
                pipe.hincrby(f"{prefix}metrics", name, value)
            if recent:
                pipe.lpush(f"{prefix}latencies", *(f"{v:.6f}" for v in recent))
                pipe.ltrim(f"{prefix}latencies", 0, RECENT_TURNS - 1)
            await pipe.execute()
        self._flushed.update(delta)
        self._latencies_flushed = self._turns

    async def shared(self, redis: Any, prefix: str) -> tuple[Counter[str], list[float]]:
        await self.flush(redis, prefix)
        counts = await redis.hgetall(f"{prefix}metrics")
        latencies = await redis.lrange(f"{prefix}latencies", 0, RECENT_TURNS - 1)
        return (Counter({str(k): int(v) for k, v in counts.items()}),
                [float(v) for v in latencies])
