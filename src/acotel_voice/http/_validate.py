"""What the platform sends, checked: every bad input is a 400 naming its field, never a
500 (lone surrogates, unknown charsets, deep nesting, non-ASCII digits, NaN, dates out of
range, control characters in ids)."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any

import orjson
from aiohttp import web

from ..dialog._actions import Event

EVENT_TYPES = ("speech", "dtmf", "no_input", "hangup")
MAX_DEPTH = 8
CALL_ID = re.compile(r"[A-Za-z0-9._:@+\-]{1,128}")
# SIP call ids and jambonz call_sids: letters, digits and a few separators, nothing that
# could forge a log line or a URL.


class BadRequest(web.HTTPBadRequest):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(text=json.dumps({"error": message, "field": field}),
                         content_type="application/json")


def json_answer(data: Any, status: int = 200) -> web.Response:
    """A JSON response, encoded by orjson (a turn's answer is encoded on every turn)."""
    return web.Response(body=orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS),
                        status=status, content_type="application/json")


def _depth(value: Any, limit: int) -> int:
    if limit < 0:
        return 0
    if isinstance(value, dict):
        return 1 + max((_depth(v, limit - 1) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v, limit - 1) for v in value), default=0)
    return 0


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def json_body(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object (UTF-8 whatever the declared charset says)."""
    raw = await request.read()
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BadRequest("body", "the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body", "the body is not JSON (UTF-8)") from None
    if not isinstance(data, dict):
        raise BadRequest("body", "the body must be a JSON object")
    if _depth(data, MAX_DEPTH + 1) > MAX_DEPTH:
        raise BadRequest("body", "the body is nested too deeply")
    return data


def text_field(data: dict[str, Any], name: str, required: bool = True,
               max_length: int = 2000) -> str:
    value = data.get(name)
    if value is None:
        if required:
            raise BadRequest(name, f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise BadRequest(name, f"{name} must be a string")
    if len(value) > max_length:
        raise BadRequest(name, f"{name} is longer than {max_length} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(name, f"{name} holds an invalid character") from None
    return value


def call_id_field(value: str, name: str = "call_id") -> str:
    if not CALL_ID.fullmatch(value):
        raise BadRequest(name, f"{name} must be 1 to 128 letters, digits or . _ : @ + -")
    return value


def number_field(value: str, name: str) -> str:
    """A phone number as the platform gives it: digits, +, and spaces or dots at most
    (or empty, or "anonymous" for a hidden number)."""
    if value and value.lower() not in ("anonymous", "unknown", "restricted") and \
            not re.fullmatch(r"\+?[0-9 .\-()]{1,32}", value):
        raise BadRequest(name, f"{name} must be a phone number")
    return value


def time_field(data: dict[str, Any], name: str) -> str:
    """An ISO 8601 time with an offset or ``Z`` (the platform's clock); now if absent."""
    value = text_field(data, name, required=False, max_length=40)
    if not value:
        return now_iso()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(name, f"{name} must be an ISO 8601 time with an offset") from None
    if moment.tzinfo is None:
        raise BadRequest(name, f"{name} must carry an offset or Z (2026-12-01T10:00:00+01:00)")
    return moment.isoformat()


def now_iso() -> str:
    """Now on the platform's clock, with its offset (the dialog reads it in Paris time)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def whole_number(value: str, name: str, low: int, high: int) -> int:
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise BadRequest(name, f"{name} must be a whole number from {low} to {high}")
    return int(value)


def coordinate(value: str, name: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadRequest(name, f"{name} must be a number") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise BadRequest(name, f"{name} must be a finite number within ±{limit:g}")
    return number


def day_field(value: str, name: str = "date") -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadRequest(name, f"{name} must be AAAA-MM-JJ") from None
    if not 2000 <= day.year <= 2100:
        raise BadRequest(name, f"{name} must be between 2000 and 2100")
    return day


def event_from(data: dict[str, Any]) -> tuple[int, Event]:
    from ..calls._service import MAX_SEQ

    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        raise BadRequest("seq", f"seq must be an integer from 1 to {MAX_SEQ}")
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise BadRequest("type", f"type must be one of {', '.join(EVENT_TYPES)}")
    confidence = data.get("confidence", 1.0)
    if not isinstance(confidence, int | float) or isinstance(confidence, bool) or \
            not 0 <= confidence <= 1:
        raise BadRequest("confidence", "confidence must be a number between 0 and 1")
    alternatives = data.get("alternatives", [])
    if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
        raise BadRequest("alternatives", "alternatives must be a list of strings")
    alternatives = [text_field({"alternatives": a}, "alternatives") for a in alternatives[:5]]
    digits = text_field(data, "digits", required=False, max_length=32)
    if digits and not all(c in "0123456789*#" for c in digits):
        raise BadRequest("digits", "digits may only hold 0-9, * and #")
    text = text_field(data, "text", required=kind == "speech")
    if kind == "dtmf" and not digits:
        raise BadRequest("digits", "digits is required for a dtmf event")
    return seq, Event(kind, text=text, confidence=float(confidence),
                      alternatives=tuple(alternatives), digits=digits,
                      at=time_field(data, "at"))
