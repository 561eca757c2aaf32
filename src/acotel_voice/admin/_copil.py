"""The monthly steering committee's report (COPIL, tender §5.19, §7.2): the month's
indicators against their objectives, their evolution month by month, the main verbatims
of ``non_efficace`` calls and the improvement actions taken — as XLSX (with charts) and
PDF, made by one click in the app or ``acotel-voice copil``."""

from __future__ import annotations

import io
import textwrap
import time
from datetime import date, datetime, timedelta
from typing import Any

from ..records import INDICATORS, PARIS, Filters, RecordStore, report, verbatims

MONTHS_OF_HISTORY = 6
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")
MAIN = ("taux_traite", "taux_requete", "taux_abouti", "taux_localisation_1_essai")


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``AAAA-MM``."""
    try:
        first = date.fromisoformat(month + "-01")
    except ValueError:
        raise ValueError(f"month: {month!r} is not AAAA-MM") from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def month_name(first: date) -> str:
    return f"{FRENCH_MONTHS[first.month - 1]} {first.year}"


def add_action(store: RecordStore, login: str, title: str, detail: str = "") -> None:
    """Log an improvement action (a corpus change, a new answer, a wording change…)."""
    if not title.strip():
        raise ValueError("an improvement action needs a title")
    store.execute("INSERT INTO improvement_actions (at_utc, login, title, detail)"
                  " VALUES (?, ?, ?, ?)", [int(time.time()), login, title.strip()[:200],
                                           detail.strip()[:2000]])


def actions(store: RecordStore, first: date | None = None,
            last: date | None = None) -> list[dict[str, Any]]:
    low = int(datetime.combine(first, datetime.min.time(), PARIS).timestamp()) if first else 0
    high = (int(datetime.combine(last + timedelta(days=1), datetime.min.time(),
                                 PARIS).timestamp()) if last else 2**62)
    rows = store.query("SELECT at_utc, login, title, detail FROM improvement_actions"
                       " WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc", [low, high])
    return [{"at": datetime.fromtimestamp(int(at), PARIS), "login": login, "title": title,
             "detail": detail} for at, login, title, detail in rows]


def copil_data(store: RecordStore, month: str, region: str | None = None) -> dict[str, Any]:
    first, last = month_bounds(month)
    current = report(store, start=first, end=last, by="month", region=region)
    history = []
    start = first
    for _ in range(MONTHS_OF_HISTORY - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    while start <= first:
        m_first, m_last = month_bounds(start.strftime("%Y-%m"))
        totals = report(store, start=m_first, end=m_last, by="month", region=region)["totals"]
        history.append({"month": month_name(m_first), "calls": totals["calls"],
                        **{k: totals["indicators"][k]["value"] for k in MAIN}})
        start = (m_last + timedelta(days=1))
    said = verbatims(store.records(Filters(first, last, region)), "non_efficace", top=15)
    return {"month": month_name(first), "first": first, "last": last, "region": region,
            "totals": current["totals"], "history": history, "verbatims": said,
            "actions": actions(store, first, last)}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def copil_xlsx(data: dict[str, Any]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDE6F0"})
    share = book.add_format({"num_format": "0.0%"})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet("Indicateurs")
    sheet.write(0, 0, f"ACOTEL — comité de pilotage — {data['month']}", title)
    sheet.write_row(2, 0, ["Indicateur", "Valeur", "Objectif", "État"], bold)
    sheet.freeze_panes(3, 0)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 3, 14)
    for row, ind in enumerate(INDICATORS, start=3):
        t = data["totals"]["indicators"][ind.key]
        sheet.write(row, 0, ind.label)
        if t["value"] is not None:
            sheet.write_number(row, 1, t["value"], share)
        if ind.objective is not None:
            sheet.write_number(row, 2, ind.objective, share)
        sheet.write(row, 3, {True: "atteint", False: "non atteint", None: ""}[t["met"]])
    history = book.add_worksheet("Évolution")
    keys = [("calls", "Appels")] + [(k, next(i.label for i in INDICATORS if i.key == k))
                                    for k in MAIN]
    history.write_row(0, 0, ["Mois"] + [label for _, label in keys], bold)
    history.freeze_panes(1, 0)
    history.set_column(0, len(keys), 22)
    for r, month in enumerate(data["history"], start=1):
        history.write(r, 0, month["month"])
        history.write_number(r, 1, month["calls"])
        for c, (key, _label) in enumerate(keys[1:], start=2):
            if month[key] is not None:
                history.write_number(r, c, month[key], share)
    chart = book.add_chart({"type": "line"})
    for c in range(2, len(keys) + 1):
        chart.add_series({"name": ["Évolution", 0, c],
                          "categories": ["Évolution", 1, 0, len(data["history"]), 0],
                          "values": ["Évolution", 1, c, len(data["history"]), c]})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_title({"name": "Indicateurs principaux, mois par mois"})
    history.insert_chart(len(data["history"]) + 3, 0, chart, {"x_scale": 2, "y_scale": 1.4})
    words = book.add_worksheet("Verbatims")
    words.write_row(0, 0, ["Mots et expressions des appels non efficaces", "Occurrences"], bold)
    words.freeze_panes(1, 0)
    words.set_column(0, 0, 50)
    vocabulary = data["verbatims"]["vocabulary"]
    for r, (term, count) in enumerate(vocabulary["words"] + vocabulary["expressions"], 1):
        words.write(r, 0, term)
        words.write_number(r, 1, count)
    plan = book.add_worksheet("Actions")
    plan.write_row(0, 0, ["Date", "Compte", "Action", "Détail"], bold)
    plan.freeze_panes(1, 0)
    plan.set_column(0, 1, 16)
    plan.set_column(2, 3, 50)
    for r, action in enumerate(data["actions"], start=1):
        plan.write_row(r, 0, [action["at"].strftime("%d/%m/%Y"), action["login"],
                              action["title"], action["detail"]])
    book.close()
    return buffer.getvalue()


def copil_pdf(data: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"ACOTEL COPIL {data['month']}"}) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))  # A4
        fig.text(0.08, 0.95, "ACOTEL — comité de pilotage", fontsize=18, weight="bold")
        scope = data["region"] or "toutes les régions"
        fig.text(0.08, 0.92, f"{data['month']} — {scope} — {data['totals']['calls']} appels",
                 fontsize=12)
        y = 0.87
        for ind in INDICATORS:
            t = data["totals"]["indicators"][ind.key]
            goal = "" if ind.objective is None else (
                ("≥ " if ind.higher_is_better else "≤ ") + _percent(ind.objective))
            state = {True: "atteint", False: "NON ATTEINT", None: ""}[t["met"]]
            fig.text(0.08, y, ind.label, fontsize=9)
            fig.text(0.62, y, _percent(t["value"]), fontsize=9)
            fig.text(0.74, y, goal, fontsize=9)
            fig.text(0.86, y, state, fontsize=9, color="crimson" if t["met"] is False else "k")
            y -= 0.022
        ax = fig.add_axes((0.1, 0.1, 0.82, 0.36))
        months = [m["month"] for m in data["history"]]
        for key in MAIN:
            label = next(i.label for i in INDICATORS if i.key == key)
            ax.plot(months, [m[key] for m in data["history"]], marker="o", label=label)
        ax.set_ylim(0, 1)
        ax.axhline(0.95, color="crimson", linestyle="--", linewidth=0.8)
        ax.set_title("Évolution mois par mois")
        ax.legend(fontsize=7, loc="lower left")
        ax.tick_params(axis="x", labelsize=7, rotation=30)
        pdf.savefig(fig)
        plt.close(fig)
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.08, 0.95, "Appels non efficaces : ce que les appelants ont dit",
                 fontsize=14, weight="bold")
        y = 0.91
        vocabulary = data["verbatims"]["vocabulary"]
        for term, count in (vocabulary["expressions"] or vocabulary["words"])[:15]:
            fig.text(0.1, y, f"« {term} » : {count}", fontsize=10)
            y -= 0.022
        y -= 0.02
        fig.text(0.08, y, "Actions d'amélioration du mois", fontsize=14, weight="bold")
        y -= 0.035
        for action in data["actions"] or [{"at": None, "title": "Aucune action enregistrée.",
                                           "detail": "", "login": ""}]:
            when = action["at"].strftime("%d/%m/%Y") + " — " if action["at"] else ""
            for line in textwrap.wrap(f"{when}{action['title']} {action['detail']}", 90):
                fig.text(0.1, y, line, fontsize=9)
                y -= 0.02
        pdf.savefig(fig)
        plt.close(fig)
    return buffer.getvalue()
