"""Reports: the indicators by Paris half-hour (hour, day, ISO week, month) × region ×
origin, summed by the database itself so that a month of a national service stays fast."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from ._indicators import INDICATORS, SUM_KEYS, indicators, values
from ._model import GRANULARITIES, PARIS, STATUSES
from ._store import Filters, RecordStore
from ._sums import ROLLUP_COLUMNS


def _sums(values: tuple[Any, ...]) -> dict[str, float]:
    """A row's sums by name (a SUM over no row is NULL: 0)."""
    if None in values:
        values = tuple(0 if value is None else value for value in values)
    return dict(zip(SUM_KEYS, values, strict=True))


def _abouti_medians(store: RecordStore, group: str, where: str,
                    params: list[Any]) -> dict[tuple[Any, ...], float]:
    """Median duration of the ``abouti`` calls of each group (and of all: key ``()``)."""
    select = f"{group}, " if group else ""
    if store.dialect == "postgresql":
        sql = (f"SELECT {select}percentile_cont(0.5) WITHIN GROUP (ORDER BY r.duration_s)"
               f" FROM call_records r WHERE r.s_abouti = 1 AND {where}")
        if group:
            sql += f" GROUP BY {group}"
        return {tuple(row[:-1]): round(float(row[-1]), 1)
                for row in store.query(sql, params) if row[-1] is not None}
    durations: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in store.query(f"SELECT {select}r.duration_s FROM call_records r"
                           f" WHERE r.s_abouti = 1 AND {where}", params):
        durations[tuple(row[:-1])].append(float(row[-1]))
    return {key: round(statistics.median(values), 1) for key, values in durations.items()}


def _availability(store: RecordStore, filters: Filters) -> dict[str, Any]:
    """Share of the chain self-tests that passed during service hours (6 h–21 h, Paris,
    tender §2.5), per day and per month."""
    where, params = ["1=1"], []
    if filters.start:
        where.append("at_utc >= ?")
        params.append(int(datetime.combine(filters.start, time(0), PARIS).timestamp()))
    if filters.end:
        where.append("at_utc < ?")
        params.append(int(datetime.combine(filters.end + timedelta(days=1), time(0),
                                           PARIS).timestamp()))
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for at_utc, ok in store.query(f"SELECT at_utc, ok FROM selftests WHERE {' AND '.join(where)}",
                                  params):
        local = datetime.fromtimestamp(int(at_utc), PARIS)
        if not 6 <= local.hour < 21:
            continue
        for table, key in ((days, local.date().isoformat()), (months, local.strftime("%Y-%m"))):
            table[key][0] += int(ok)
            table[key][1] += 1
    def shares(table: dict[str, list[int]]) -> dict[str, float]:
        return {key: round(ok / total, 4) for key, (ok, total) in sorted(table.items())}
    return {"objective": 0.998, "per_day": shares(days), "per_month": shares(months)}


def rolled_sums(group: str, filters: Filters) -> tuple[str, list[Any]]:
    """The sums of each group, read from the half-hour rollup (``_sums.py``)."""
    bucket = group.split(",")[0].strip().removeprefix("r.")
    clauses: list[str] = ["1=1"]
    params: list[Any] = []
    if filters.start:
        clauses.append("day >= ?")
        params.append(filters.start.isoformat())
    if filters.end:
        clauses.append("day <= ?")
        params.append(filters.end.isoformat())
    if filters.region:
        clauses.append("region = ?")
        params.append("" if filters.region == "none" else filters.region)
    if filters.origin:
        clauses.append("origin = ?")
        params.append(filters.origin)
    sums = ", ".join(f"SUM({column})" for column in ROLLUP_COLUMNS)
    return (f"SELECT {bucket}, NULLIF(region, ''), origin, {sums} FROM call_rollup"
            f" WHERE {' AND '.join(clauses)} GROUP BY {bucket}, region, origin", params)


def _grouped(store: RecordStore, group: str, where: str, params: list[Any], filters: Filters
             ) -> tuple[list[tuple[tuple[Any, ...], dict[str, float]]], dict[str, float],
                        Callable[[], tuple[dict[tuple[Any, ...], float], float | None]]]:
    """The sums of each group and of all the calls (the totals are the groups' sums), and
    a function giving the median duration of the ``abouti`` calls of each group and of all:
    on PostgreSQL that query runs meanwhile (one grouping-sets query for both)."""
    sums_sql, sums_params = rolled_sums(group, filters)
    if store.dialect == "postgresql":
        medians_sql = (f"SELECT {group}, GROUPING(r.origin), percentile_cont(0.5) WITHIN GROUP"
                       f" (ORDER BY r.duration_s) FROM call_records r WHERE r.s_abouti = 1"
                       f" AND {where} GROUP BY GROUPING SETS (({group}), ())")
        raw_sums, pending = store.query_beside((sums_sql, sums_params), (medians_sql, params))

        def medians() -> tuple[dict[tuple[Any, ...], float], float | None]:
            found: dict[tuple[Any, ...], float] = {}
            total: float | None = None
            for row in pending.result():
                if row[4] is None:
                    continue
                if row[3]:  # the grand total's row
                    total = round(float(row[4]), 1)
                else:
                    found[tuple(row[:3])] = round(float(row[4]), 1)
            return found, total
    else:
        raw_sums = store.query(sums_sql, sums_params)

        def medians() -> tuple[dict[tuple[Any, ...], float], float | None]:
            return (_abouti_medians(store, group, where, params),
                    _abouti_medians(store, "", where, params).get(()))
    groups = [(tuple(row[:3]), _sums(tuple(row[3:]))) for row in raw_sums]
    columns = zip(*(row[3:] for row in raw_sums), strict=True) if raw_sums else ()
    totals = dict.fromkeys(SUM_KEYS, 0.0)
    totals.update(zip(SUM_KEYS, (sum(v or 0 for v in column) for column in columns),
                      strict=False))
    return groups, totals, medians


def report(store: RecordStore, *, start: date | None = None, end: date | None = None,
           by: str = "day", region: str | None = None,
           origin: str | None = None) -> dict[str, Any]:
    """``{"period", "rows": [{"start", "region", "origin", "calls", "statuses",
    "indicators"}], "totals"}``: one row per bucket × region × origin present."""
    if by not in GRANULARITIES:
        raise ValueError(f"by: {by!r} (one of {', '.join(GRANULARITIES)})")
    filters = Filters(start, end, region, origin)
    where, params = filters.where("r")
    groups, totals_sums, medians = _grouped(store, f"r.b_{by}, r.region, r.origin", where,
                                            params, filters)
    rows = []
    origins: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for key, sums in groups:  # while PostgreSQL computes the medians
        rows.append({
            "start": key[0], "region": key[1], "origin": key[2], "calls": int(sums["calls"]),
            "statuses": {s: int(sums[s]) for s in STATUSES},
            "indicators": values(sums, None),
        })
        origins[str(key[2])] += int(sums["calls"])
        regions[str(key[1]) if key[1] is not None else "inconnue"] += int(sums["calls"])
    by_group, total_median = medians()
    for row in rows:
        row["indicators"]["duree_abouti_mediane_s"] = by_group.get(
            (row["start"], row["region"], row["origin"]))
    rows.sort(key=lambda r: (datetime.fromisoformat(r["start"]), r["region"] or "~",
                             r["origin"]))
    totals_sums = {key: totals_sums.get(key, 0.0) for key in SUM_KEYS}
    return {
        "period": {"from": start.isoformat() if start else None,
                   "to": end.isoformat() if end else None, "by": by,
                   "region": region, "origin": origin, "timezone": "Europe/Paris"},
        "objectives": {ind.key: {"label": ind.label, "objective": ind.objective,
                                 "higher_is_better": ind.higher_is_better}
                       for ind in INDICATORS},
        "rows": rows,
        "totals": {"calls": int(totals_sums["calls"]),
                   "statuses": {s: int(totals_sums[s]) for s in STATUSES},
                   "origins": dict(sorted(origins.items())),
                   "regions": dict(sorted(regions.items())),
                   "indicators": indicators(totals_sums, total_median),
                   "availability": _availability(store, filters)},
    }
