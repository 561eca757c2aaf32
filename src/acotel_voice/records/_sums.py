"""The SQL of each sum a report reads (in ``SUM_KEYS`` order), and the half-hour rollup
that keeps them summed as calls are recorded, so a month's report reads thousands of rows
instead of a million."""

from __future__ import annotations

from ._indicators import EVALUATION_LEVELS, SUM_KEYS
from ._model import STATUSES

# SQL of each sum, in SUM_KEYS order.
SUMS: dict[str, str] = {
    "calls": "COUNT(*)",
    "answered": "SUM(r.answered)",
    **{s: f"SUM(r.s_{s})" for s in STATUSES},
    "abouti_requete": "SUM(r.s_abouti * r.s_requete)",
    "location_asked": "SUM(r.location_asked)",
    "location_detected": "SUM(r.location_detected)",
    "location_tries": "SUM(CASE WHEN r.location_detected = 1 THEN r.location_tries ELSE 0 END)",
    "location_first_try": "SUM(CASE WHEN r.location_detected = 1 AND r.location_tries = 1"
                          " THEN 1 ELSE 0 END)",
    "efficace_mobile": "SUM(CASE WHEN r.s_efficace = 1 AND r.origin = 'mobile' THEN 1 ELSE 0 END)",
    "sms_enqueued": "SUM(r.sms_enqueued)",
    "sms_delivered": "SUM(r.sms_delivered)",
    "eval_count": "SUM(CASE WHEN r.eval_score IS NULL THEN 0 ELSE 1 END)",
    "eval_total": "SUM(COALESCE(r.eval_score, 0))",
    "eval_bad": "SUM(CASE WHEN r.eval_score * 5 <= 2 * r.eval_scale THEN 1 ELSE 0 END)",
    **{f"eval_{v}": f"SUM(CASE WHEN r.eval_score = {v} THEN 1 ELSE 0 END)"
       for v in EVALUATION_LEVELS},
    "duration_total": "SUM(r.duration_s)",
    **{f"duration_{s}": f"SUM(r.duration_s * r.s_{s})" for s in STATUSES},
}
assert tuple(SUMS) == SUM_KEYS

# The rollup: one row per Paris half-hour x region ("" when never located) x origin.
ROLLUP_KEYS = ("b_halfhour", "region", "origin")
ROLLUP_BUCKETS = ("day", "b_hour", "b_day", "b_week", "b_month")
ROLLUP_COLUMNS = tuple(f"t_{key}" for key in SUM_KEYS)
ROLLUP_TABLE = (
    "CREATE TABLE call_rollup (b_halfhour TEXT NOT NULL, region TEXT NOT NULL,"
    " origin TEXT NOT NULL, day TEXT NOT NULL, b_hour TEXT NOT NULL, b_day TEXT NOT NULL,"
    " b_week TEXT NOT NULL, b_month TEXT NOT NULL, "
    + ", ".join(f"{c} DOUBLE PRECISION NOT NULL DEFAULT 0" for c in ROLLUP_COLUMNS)
    + ", PRIMARY KEY (b_halfhour, region, origin))")


def roll_sql(where: str) -> str:
    """Add the sums of the calls ``where`` selects to their rollup rows."""
    updates = ", ".join(f"{c} = call_rollup.{c} + excluded.{c}" for c in ROLLUP_COLUMNS)
    return (f"INSERT INTO call_rollup ({', '.join(ROLLUP_KEYS + ROLLUP_BUCKETS)},"
            f" {', '.join(ROLLUP_COLUMNS)}) SELECT r.b_halfhour, COALESCE(r.region, ''),"
            f" r.origin, substr(r.b_day, 1, 10), r.b_hour, r.b_day, r.b_week, r.b_month,"
            f" {', '.join(SUMS.values())} FROM call_records r WHERE {where}"
            f" GROUP BY r.b_halfhour, r.region, r.origin, r.b_hour, r.b_day, r.b_week, r.b_month"
            f" ON CONFLICT (b_halfhour, region, origin) DO UPDATE SET {updates}")
