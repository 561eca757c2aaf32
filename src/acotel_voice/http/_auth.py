"""Who may call the service: the platform's shared secret (a bearer token, or a signature
over the time, method, path and body, each signature accepted once) and jambonz's signed
webhooks (its own scheme: the time and body). Bodies are read here, with a deadline, so
that a client that never finishes its request cannot hold a connection."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from aiohttp import web

SIGNATURE_TOLERANCE_S = 300
BODY_TIMEOUT_S = 10.0
OPEN_PATHS = ("/health", "/openapi.json")
REPLAY_MEMORY = 100_000  # signatures remembered for the tolerance window


def _parts(header: str) -> tuple[int, list[str]] | None:
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    if len(stamps) != 1 or not (stamps[0].isascii() and stamps[0].isdigit()):
        return None
    return int(stamps[0]), [v for k, v in parts if k.strip() == "v1"]


def signature_ok(secret: str, header: str, signed: bytes, now: float) -> bool:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "t." + signed>`` within 5 minutes (the
    scheme of jambonz's signed webhooks)."""
    parsed = _parts(header)
    if parsed is None:
        return False
    stamp, given = parsed
    if abs(now - stamp) > SIGNATURE_TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + signed,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected.encode(), v.encode("utf-8", "replace"))
               for v in given)


def signed_request(method: str, path_qs: str, body: bytes) -> bytes:
    """What ``X-Acotel-Signature`` covers after the time: a signed request replayed on
    another path (another call) or with another method is refused."""
    return f"{method.upper()}\n{path_qs}\n".encode() + body


class ReplayGuard:
    """Signatures seen in the last ``SIGNATURE_TOLERANCE_S`` seconds (bounded)."""

    def __init__(self) -> None:
        self.seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, header: str, now: float) -> bool:
        while self.seen and (next(iter(self.seen.values())) < now - 2 * SIGNATURE_TOLERANCE_S
                             or len(self.seen) > REPLAY_MEMORY):
            self.seen.popitem(last=False)
        if header in self.seen:
            return False
        self.seen[header] = now
        return True


def bearer_ok(secret: str, header: str) -> bool:
    return hmac.compare_digest(header.encode("utf-8", "replace"),
                               f"Bearer {secret}".encode())


def make_authenticate(secret_of: Callable[[web.Request], tuple[str, str]],
                      on_refused: Callable[[web.Request], None]
                      ) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The middleware; ``secret_of`` gives (platform secret, jambonz secret)."""
    replays = ReplayGuard()

    @web.middleware
    async def authenticate(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                           ) -> web.StreamResponse:
        path = request.path
        if path in OPEN_PATHS or path == "/admin" or path.startswith("/admin/"):
            return await handler(request)  # the steering app has its own accounts
        try:
            body = await asyncio.wait_for(request.read(), BODY_TIMEOUT_S)
        except TimeoutError:
            raise web.HTTPRequestTimeout(
                text=json.dumps({"error": "the request body came too slowly"}),
                content_type="application/json") from None
        now = time.time()
        secret, jambonz_secret = secret_of(request)
        if path.startswith("/jambonz/"):
            ok = not jambonz_secret or signature_ok(
                jambonz_secret, request.headers.get("Jambonz-Signature", ""), body, now)
        else:
            signature = request.headers.get("X-Acotel-Signature", "")
            ok = not secret or bearer_ok(secret, request.headers.get("Authorization", "")) or (
                signature_ok(secret, signature,
                             signed_request(request.method, request.path_qs, body), now)
                and replays.first_time(signature, now))
        if not ok:
            on_refused(request)
            raise web.HTTPUnauthorized(
                text=json.dumps({"error": "missing or wrong credentials"}),
                content_type="application/json")
        return await handler(request)

    return authenticate
