"""acotel_voice: the conversation with the caller.

- ``acotel_voice.dialog``: the turn engine (pure: no I/O, no clock);
- ``acotel_voice.calls``: a call's life (start, events, end, capacity, SMS outbox);
- ``acotel_voice.http``: the aiohttp service and the jambonz webhooks;
- ``acotel_voice.records``: call records, indicators, verbatims, exports;
- ``acotel_voice.admin``: the steering web app (``/admin``).
"""
