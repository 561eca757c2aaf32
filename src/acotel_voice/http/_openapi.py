"""The OpenAPI description served at /openapi.json. A test checks that it lists exactly the
routes of the application and that real answers match its response schemas."""

from __future__ import annotations

from typing import Any

_ERROR = {"type": "object", "required": ["error"],
          "properties": {"error": {"type": "string"}, "field": {"type": "string"}}}
_ACTION = {
    "type": "object", "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": ["say", "listen", "sms", "hangup", "wait"]},
        "text": {"type": "string"}, "ssml": {"type": "string"},
        "voice": {"type": "object", "description": "say: the synthesis voice chosen in the "
                  "steering app for the caller's region (vendor, language, voice)"},
        "input": {"type": "array", "items": {"type": "string", "enum": ["speech", "digits"]}},
        "timeout_s": {"type": "number"}, "hints": {"type": "array", "items": {"type": "string"}},
        "barge_in": {"type": "boolean"}, "digits_max": {"type": "integer"},
        "to": {"type": "string"}, "segments": {"type": "integer"},
        "reason": {"type": "string"},
        "seconds": {"type": "integer", "description": "wait: hold the caller this long, "
                    "then start the call again with waited_s increased by it"},
    },
}
_ACTIONS = {"type": "object", "required": ["actions"],
            "properties": {"actions": {"type": "array", "items": _ACTION}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "invalid request: `field` names what is wrong", 401: "missing or wrong "
            "credentials", 404: "unknown call", 409: "an event older than the last one",
            413: "body too large", 503: "the call is busy in another worker: retry"}
    return {str(c): _json(_ERROR, text[c]) for c in codes}


def _jambonz_hook(summary: str, parameter: str, minimum: int, description: str,
                  errors: tuple[int, ...]) -> dict[str, Any]:
    """A jambonz webhook whose URL carries a number our previous answer put there."""
    return {"post": {
        "summary": summary,
        "parameters": [{"name": parameter, "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": minimum},
                        "description": description}],
        "responses": {"200": {"description": "jambonz verbs"}, **_errors(*errors)}}}


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "ACOTEL turn API", "version": "1.0",
             "description": "What a hosted callbot platform calls at each turn of a call."},
    "components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "signature": {"type": "apiKey", "in": "header", "name": "X-Acotel-Signature",
                      "description": "t=<unix time>,v1=<hex HMAC-SHA256 of "
                                     "'t.METHOD\\nPATH?QUERY\\nbody'>, each accepted once"}}},
    "security": [{"bearer": []}, {"signature": []}],
    "paths": {
        "/v1/calls": {"post": {
            "summary": "A call starts",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["call_id", "from"],
                "properties": {"call_id": {"type": "string", "maxLength": 128},
                               "from": {"type": "string", "maxLength": 32},
                               "to": {"type": "string", "maxLength": 32},
                               "started_at": {"type": "string", "format": "date-time"},
                               "waited_s": {"type": "integer", "minimum": 0,
                                            "description": "how long the caller has waited "
                                                           "for a free line (after wait)"}}}}}},
            "responses": {"200": _json(_ACTIONS, "what to do first (when every line is "
                                                 "busy: a waiting message and wait, or the "
                                                 "dissuasion message and hangup)"),
                          **_errors(400, 401, 413, 503)}}},
        "/v1/calls/{call_id}/events": {"post": {
            "summary": "Something happened on the line",
            "parameters": [{"name": "call_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["seq", "type"],
                "properties": {
                    "seq": {"type": "integer", "minimum": 1},
                    "type": {"type": "string",
                             "enum": ["speech", "dtmf", "no_input", "hangup"]},
                    "text": {"type": "string", "maxLength": 2000},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "alternatives": {"type": "array", "items": {"type": "string"}},
                    "digits": {"type": "string", "pattern": "^[0-9*#]*$", "maxLength": 32},
                    "at": {"type": "string", "format": "date-time"}}}}}},
            "responses": {"200": _json(_ACTIONS, "what to do next; the same answer for a "
                                                "retried seq"),
                          **_errors(400, 401, 404, 409, 413, 503)}}},
        "/v1/locations/resolve": {"get": {
            "summary": "Resolve a spoken location",
            "parameters": [{"name": "q", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 300}}],
            "responses": {"200": _json({"type": "object", "required": ["status", "candidates"]},
                                       "the resolution"), **_errors(400, 401)}}},
        "/v1/workshops/search": {"get": {
            "summary": "Workshops near a commune or a point, along the widening ladder",
            "parameters": [
                {"name": n, "in": "query", "required": False, "schema": {"type": t}}
                for n, t in (("insee", "string"), ("lat", "number"), ("lon", "number"),
                             ("theme", "string"), ("date", "string"), ("limit", "integer"))],
            "responses": {"200": _json({"type": "object", "required": [
                "step", "steps_tried", "workshops", "theme_counts"]}, "the search result"),
                **_errors(400, 401)}}},
        "/v1/sms/compose": {"post": {
            "summary": "SMS texts for workshops (GSM-7, two workshops per SMS)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["workshop_ids"],
                "properties": {"workshop_ids": {"type": "array", "minItems": 1,
                                                "items": {"type": "string"}}}}}}},
            "responses": {"200": _json({"type": "object", "required": ["messages"]},
                                       "the SMS texts"), **_errors(400, 401)}}},
        "/jambonz/call": _jambonz_hook(
            "jambonz call webhook: answers verbs", "waited", 0,
            "seconds waited for a free line, set by the previous answer's redirect",
            (400, 401, 503)),
        "/jambonz/gather": _jambonz_hook(
            "jambonz gather actionHook: answers verbs", "seq", 1,
            "the event's number, set by the previous answer; a retried webhook repeats it",
            (400, 401, 404, 409, 503)),
        "/jambonz/status": {"post": {"summary": "jambonz call status hook",
                                     "responses": {"200": {"description": "acknowledged"},
                                                   **_errors(400, 401, 503)}}},
        "/health": {"get": {"summary": "The whole chain checked", "security": [],
                            "responses": {"200": {"description": "ready"},
                                          "503": {"description": "degraded"}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "security": [],
                             "responses": {"200": {"description": "text exposition"}}}},
        "/openapi.json": {"get": {"summary": "This description", "security": [],
                                  "responses": {"200": {"description": "OpenAPI 3"}}}},
        **{f"/v1/reports/{name}": {"get": {
            "summary": summary + " (served with --records)",
            "parameters": [{"name": p, "in": "query", "required": False,
                            "schema": {"type": "string"}} for p in params],
            "responses": {"200": {"description": "JSON, or CSV / XLSX with format="},
                          **_errors(400, 401)}}}
           for name, summary, params in (
               ("indicators", "The tender's indicators by Paris half-hour, hour, day, ISO "
                "week or month x region x origin", ("from", "to", "by", "region", "origin",
                                                    "format")),
               ("traces", "One record per call, masked", ("from", "to", "region", "origin",
                                                          "format")),
               ("verbatims", "Anonymised transcripts and their vocabulary",
                ("from", "to", "status", "top")))},
    },
}
