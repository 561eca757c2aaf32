"""acotel_voice.calls: a call's life out of the web layer.

- the call service (``CallService``: start, event, end, sweep; capacity and idempotency),
  its errors and settings;
- the call stores (memory, SQLite, Redis) behind ``CallStore``;
- the end-of-call hook (``EndedCall``, ``CallEndHooks``), fired once per call;
- the SMS outbox (``SmsOutbox``) and its delivery API (``HttpSmsApi``);
- the service's metrics.
"""

from ._ended import CallEndHooks, EndedCall, OnCallEnd
from ._metrics import Metrics
from ._service import (
    CallBusy,
    CallConflict,
    CallError,
    CallNotFound,
    CallService,
    ServiceSettings,
    StaleEvent,
    message_action,
    voiced,
)
from ._sms_sender import HttpSmsApi, OnSmsOutcome, SmsApi, SmsError, SmsOutbox
from ._store import (
    CallStore,
    MemoryStore,
    RedisStore,
    SqliteStore,
    StoreBusy,
    StoredCall,
    open_store,
)

__all__ = [
    "CallBusy", "CallConflict", "CallEndHooks", "CallError", "CallNotFound", "CallService",
    "CallStore", "EndedCall", "HttpSmsApi", "MemoryStore", "Metrics", "OnCallEnd",
    "OnSmsOutcome", "RedisStore", "ServiceSettings", "SmsApi", "SmsError", "SmsOutbox",
    "SqliteStore", "StaleEvent", "StoreBusy", "StoredCall", "message_action", "open_store",
    "voiced",
]
