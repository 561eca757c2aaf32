"""jambonz webhooks: the call hook, the gather actionHook and the call status hook,
answered with jambonz verbs (say, gather, message, hangup).

A gather's prompt is nested in the gather (``say``) so the caller can barge in when
allowed; a silence ends the gather with reason "timeout", which is the engine's no-input
event: every question has its no-input fallback. jambonz sends no sequence number, so
each gather's actionHook carries the number of the event it will report
(``/jambonz/gather?seq=N``): a webhook jambonz retries (``#rc=…&rp=rt`` on the
application URL) comes back with the same number and gets the same answer, never a
second turn or a second SMS. When our side fails (the call store unreachable, a bug),
the caller hears the incident message rather than silence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from aiohttp import web

from ..calls._service import message_action
from ..dialog._actions import Event
from ._server import METRICS, SERVICE, STORE
from ._validate import BadRequest, call_id_field, json_answer, json_body, now_iso, text_field

log = logging.getLogger("acotel.voice")
Handler = Callable[[web.Request], Awaitable[web.Response]]

CALL_HOOK = "/jambonz/call"
GATHER_HOOK = "/jambonz/gather"


def _spoken(key: str) -> dict[str, str]:
    return {"verb": "say", "text": message_action(key)["ssml"]}


HANGUP = {"verb": "hangup"}
# Our answer to a gather normally comes within milliseconds; if it is late (a webhook
# retried, a worker restarting), the caller hears that we are there, then why it ends.
DELAY_ACTION = {"enabled": True, "noResponseTimeout": 2, "retries": 2,
                "noResponseGiveUpTimeout": 15, "actions": [_spoken("one_moment")],
                "giveUpActions": [_spoken("incident"), HANGUP]}
NO_ANSWER_FALLBACK = [_spoken("no_input_end"), HANGUP]


def verbs(actions: list[dict[str, Any]], called: str, next_seq: int = 1,
          waited_s: int = 0) -> list[dict[str, Any]]:
    """The engine's actions as jambonz verbs; ``next_seq`` numbers the gather's event,
    ``waited_s`` is how long the caller has waited for a free line."""
    out: list[dict[str, Any]] = []
    for action in actions:
        kind = action["kind"]
        if kind == "say":
            out.append({"verb": "say", "text": action["ssml"],
                        **({"synthesizer": action["voice"]} if "voice" in action else {})})
        elif kind == "listen":
            gather: dict[str, Any] = {
                "verb": "gather", "input": list(action["input"]),
                "actionHook": f"{GATHER_HOOK}?seq={next_seq}",
                "timeout": action["timeout_s"], "bargein": action["barge_in"],
                "recognizer": {"vendor": "default", "language": "fr-FR",
                               "hints": list(action["hints"])},
            }
            if "digits" in action["input"] and action["digits_max"]:
                gather["maxDigits"] = action["digits_max"]
                gather["finishOnKey"] = "#"
            if action["barge_in"] and out and out[-1]["verb"] == "say":
                prompt = out.pop()  # the question, interruptible
                gather["say"] = {k: v for k, v in prompt.items() if k != "verb"}
            gather["actionHookDelayAction"] = DELAY_ACTION
            out.append(gather)
            out.extend(NO_ANSWER_FALLBACK)  # only heard if the gather brings no new verbs
        elif kind == "sms":
            out.append({"verb": "message", "to": action["to"], "from": called,
                        "text": action["text"]})
        elif kind == "hangup":
            out.append(HANGUP)
        elif kind == "wait":  # every line busy: hold, then ask for the call again
            out.append({"verb": "pause", "length": action["seconds"]})
            out.append({"verb": "redirect",
                        "actionHook": f"{CALL_HOOK}?waited={waited_s + action['seconds']}"})
    return out


def spoken_failures(handler: Handler) -> Handler:
    """A failure on our side (5xx) answers the incident message and a hang-up: the caller
    hears why the call ends. Errors in the request itself (4xx) stay errors."""

    @wraps(handler)
    async def answer(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.status < 500:
                raise
            log.warning("jambonz %s: %s", request.path, error.reason)
        except Exception:  # the errors middleware would answer 500: silence on the line
            log.exception("jambonz %s failed", request.path)
        request.app[METRICS].counters["incidents_total"] += 1
        return json_answer([_spoken("incident"), HANGUP])

    return answer


@spoken_failures
async def jambonz_call(request: web.Request) -> web.Response:
    data = await json_body(request)
    call_sid = call_id_field(text_field(data, "call_sid", max_length=128), "call_sid")
    caller = text_field(data, "from", max_length=64)
    called = text_field(data, "to", required=False, max_length=64)
    waited_s = query_number(request, "waited")
    actions = await request.app[SERVICE].start(call_sid, caller, called, now_iso(), waited_s)
    return json_answer(verbs(actions, called, next_seq=1, waited_s=waited_s))


def query_number(request: web.Request, name: str) -> int:
    """A positive integer the previous answer put in the hook's URL (0 when absent)."""
    value = request.query.get(name, "0")
    if not (value.isascii() and value.isdigit()) or len(value) > 7:
        raise BadRequest(name, f"{name} must be a whole number")
    return int(value)


def gather_event(data: dict[str, Any], at: str) -> Event:
    reason = data.get("reason")
    if reason == "dtmfDetected":
        digits = text_field(data, "digits", max_length=32)
        return Event("dtmf", digits=digits, at=at)
    if reason == "speechDetected":
        speech = data.get("speech")
        alternatives = speech.get("alternatives") if isinstance(speech, dict) else None
        if not isinstance(alternatives, list) or not alternatives or not all(
                isinstance(a, dict) and isinstance(a.get("transcript"), str)
                for a in alternatives):
            raise BadRequest("speech", "speech.alternatives must list transcripts")
        best = alternatives[0]
        confidence = best.get("confidence", 1.0)
        return Event("speech", text=best["transcript"][:2000],
                     confidence=float(confidence) if isinstance(confidence, int | float)
                     else 1.0,
                     alternatives=tuple(a["transcript"][:2000] for a in alternatives[1:5]),
                     at=at)
    if reason in ("timeout", "speechTimeout", None):
        return Event("no_input", at=at)
    raise BadRequest("reason", f"unexpected gather reason {reason!r}")


@spoken_failures
async def jambonz_gather(request: web.Request) -> web.Response:
    data = await json_body(request)
    call_sid = call_id_field(text_field(data, "call_sid", max_length=128), "call_sid")
    event = gather_event(data, now_iso())
    # A hook without ?seq= takes the next number under the call's lock.
    number, actions = await request.app[SERVICE].event(
        call_sid, query_number(request, "seq") or None, event, platform_sends_sms=True)
    stored = await request.app[STORE].get(call_sid)
    called = stored.state.get("called", "") if stored else ""
    return json_answer(verbs(actions, called, number + 1))


async def jambonz_status(request: web.Request) -> web.Response:
    """The call status hook: a completed call the bot did not end is a hang-up (numbered
    and handled under the call's lock, so a gather under way cannot lose it); a call
    never started is a caller gone before the welcome (§2.5)."""
    data = await json_body(request)
    call_sid = call_id_field(text_field(data, "call_sid", max_length=128), "call_sid")
    status = text_field(data, "call_status", required=False, max_length=32)
    if status in ("completed", "failed", "no-answer", "busy"):
        await request.app[SERVICE].end(
            call_sid, now_iso(), text_field(data, "from", required=False, max_length=64),
            text_field(data, "to", required=False, max_length=64))
    return json_answer({})
