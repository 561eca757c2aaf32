"""One record per call (tender §6.3 "traces des appels"), as it is kept: masked, anonymised.

A record is written once, when the call ends, and never updated; what happens after
(an SMS delivered by the background sender) is kept beside it as an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# The call statuses of §6.1, in the order the reports show them.
STATUSES = ("traite", "non_traite", "requete", "efficace", "non_efficace", "abandonne",
            "abouti", "evalue", "malade", "incivilite", "hors_sujet")
ORIGINS = ("mobile", "fixe", "autre")
REGIONS = ("sud-est", "languedoc-roussillon", "centre-val-de-loire",
           "bourgogne-franche-comte", "autre")
GRANULARITIES = ("halfhour", "hour", "day", "week", "month")


@dataclass(frozen=True, slots=True)
class CallRecord:
    call_id: str
    started_at: datetime  # the platform's start, in Europe/Paris (aware)
    caller: str  # masked on its last 4 digits
    origin: str  # mobile | fixe | autre
    region: str | None  # one of REGIONS, or None when never located
    insee: str | None
    answered: bool  # the welcome was spoken (taux de décroché)
    handled_s: float  # durée de prise en compte: from the welcome to the end
    welcome_s: float
    conversation_s: float
    duration_s: float
    statuses: tuple[str, ...]
    location_asked: bool = False
    location_detected: bool = False
    location_tries: int = 0
    theme: str = ""
    module: str = ""
    search_step: int | None = None  # the ladder step reached (1 = 10 km / 4 weeks)
    found: int = 0
    presented: tuple[str, ...] = ()  # workshop ids
    sms_offered: bool = False
    sms_accepted: bool = False
    sms_enqueued: int = 0
    evaluation: tuple[int, ...] = ()
    evaluation_scale: int = 5
    evaluation_reason: str = ""  # anonymised
    special: tuple[str, ...] = ()  # e.g. "service:caf", "safety:emergency"
    incident: bool = False
    queued: bool = False
    waited_s: float = 0.0
    refused: bool = False
    end_reason: str = ""
    transcript: tuple[str, ...] = field(default=())  # the caller's turns, anonymised
    not_understood: tuple[str, ...] = ()  # the turns the bot did not understand, anonymised

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must carry its offset")
        object.__setattr__(self, "started_at", self.started_at.astimezone(PARIS))
        unknown = set(self.statuses) - set(STATUSES)
        if unknown:
            raise ValueError(f"unknown statuses: {sorted(unknown)}")
        if self.origin not in ORIGINS:
            raise ValueError(f"origin: {self.origin!r}")
        if self.region is not None and self.region not in REGIONS:
            raise ValueError(f"region: {self.region!r}")

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["started_at"] = self.started_at.isoformat()
        for name, value in data.items():
            if isinstance(value, tuple):
                data[name] = list(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallRecord:
        values = dict(data)
        values["started_at"] = datetime.fromisoformat(str(values["started_at"]))
        for f in fields(cls):
            if isinstance(values.get(f.name), list):
                values[f.name] = tuple(values[f.name])
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def bucket_start(moment: datetime, granularity: str) -> datetime:
    """The start, in Europe/Paris, of the half-hour (hour, day, ISO week, month) that
    ``moment`` falls in. The repeated hour of the autumn change gives two buckets: the
    start keeps the offset of ``moment`` (02:30+02:00 and 02:30+01:00 differ)."""
    local = moment.astimezone(PARIS)
    if granularity == "halfhour":
        start = local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)
    elif granularity == "hour":
        start = local.replace(minute=0, second=0, microsecond=0)
    elif granularity in ("day", "week", "month"):
        day = local.date()
        if granularity == "week":
            day -= timedelta(days=day.weekday())
        elif granularity == "month":
            day = day.replace(day=1)
        return datetime(day.year, day.month, day.day, tzinfo=PARIS)
    else:
        raise ValueError(f"granularity: {granularity!r} (one of {', '.join(GRANULARITIES)})")
    # Same wall clock, same fold as the moment: the offset is that of the moment.
    return start.replace(fold=local.fold)


def bucket_key(moment: datetime, granularity: str) -> str:
    """``bucket_start`` as ISO 8601 with its offset: the key reports group by."""
    start = bucket_start(moment, granularity)
    return start.isoformat()
