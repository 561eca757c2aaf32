"""The tender's indicators (§6.1, §6.2, §2.5), each with its objective, computed from
the sums a report query returns. One place for every definition and objective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._model import STATUSES

EVALUATION_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # French, as the steering committee reads it
    numerator: str
    denominator: str
    objective: float | None  # a share (0..1) or seconds; None: no objective
    higher_is_better: bool = True


# Shares: numerator / denominator, both sums of the report query.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("taux_decroche", "Taux de décroché", "answered", "calls", 0.99),
    Indicator("taux_traite", "Appels traités", "traite", "answered", 0.90),
    Indicator("taux_requete", "Appels requêtés / traités", "requete", "traite", 0.95),
    Indicator("taux_efficace", "Appels efficaces / requêtés", "efficace", "requete", None),
    Indicator("taux_non_efficace", "Appels non efficaces / requêtés", "non_efficace", "requete",
              None, higher_is_better=False),
    Indicator("taux_abandonne", "Appels abandonnés", "abandonne", "answered", 0.05,
              higher_is_better=False),
    # "95% des appels requêtés" (§6.1): the requêtés that reached the leave-taking (an
    # out-of-scope call that ends politely is abouti but not requêté, and is not counted).
    Indicator("taux_abouti", "Appels aboutis / requêtés", "abouti_requete", "requete", 0.95),
    Indicator("taux_evalue", "Appels évalués / aboutis", "evalue", "abouti", 0.50),
    Indicator("taux_malade", "Appels malade", "malade", "answered", None, False),
    Indicator("taux_incivilite", "Appels incivilité", "incivilite", "answered", None, False),
    Indicator("taux_hors_sujet", "Appels hors sujet", "hors_sujet", "answered", None, False),
    Indicator("taux_localisation", "Localisation détectée / demandée", "location_detected",
              "location_asked", 0.95),
    Indicator("taux_localisation_1_essai", "Localisation trouvée au 1er essai",
              "location_first_try", "location_detected", 0.80),
    Indicator("taux_sms", "SMS envoyés / appels efficaces depuis un mobile", "sms_delivered",
              "efficace_mobile", None),
    Indicator("taux_mauvaise_evaluation", "Évaluations mauvaises (1 ou 2 sur 5)", "eval_bad",
              "eval_count", None, higher_is_better=False),
)
ABOUTI_DURATION_OBJECTIVE_S = 180.0  # "< 3 minutes pour un appel abouti" (§6.2)

# The sums every report row carries (see _report.SUMS for their SQL).
SUM_KEYS = ("calls", "answered", *STATUSES, "abouti_requete", "location_asked", "location_detected",
            "location_tries", "location_first_try", "efficace_mobile", "sms_enqueued",
            "sms_delivered", "eval_count", "eval_total", "eval_bad",
            *(f"eval_{level}" for level in EVALUATION_LEVELS), "duration_total",
            *(f"duration_{s}" for s in STATUSES))


def _share(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def values(sums: dict[str, float], abouti_median_s: float | None) -> dict[str, Any]:
    """The value of every indicator of one report row (the objectives are in
    ``INDICATORS``, and in the detailed ``indicators`` of the totals)."""
    out: dict[str, Any] = {}
    for ind in INDICATORS:
        denominator = sums.get(ind.denominator, 0)
        out[ind.key] = (round(sums.get(ind.numerator, 0) / denominator, 4) if denominator
                        else None)
    detected, abouti, count = (sums.get("location_detected", 0), sums.get("abouti", 0),
                               sums.get("eval_count", 0))
    out["essais_localisation_moyen"] = (round(sums.get("location_tries", 0) / detected, 2)
                                        if detected else None)
    out["duree_abouti_moyenne_s"] = (round(sums.get("duration_abouti", 0) / abouti, 1)
                                     if abouti else None)
    out["duree_abouti_mediane_s"] = abouti_median_s
    out["evaluation_moyenne"] = round(sums.get("eval_total", 0) / count, 2) if count else None
    return out


def indicators(sums: dict[str, float], abouti_median_s: float | None) -> dict[str, Any]:
    """Every indicator with its objective, whether it is met, and its terms."""
    out: dict[str, Any] = {}
    for ind in INDICATORS:
        value = _share(sums.get(ind.numerator, 0), sums.get(ind.denominator, 0))
        met = None
        if value is not None and ind.objective is not None:
            met = value >= ind.objective if ind.higher_is_better else value <= ind.objective
        out[ind.key] = {"value": value, "objective": ind.objective, "met": met,
                        "numerator": int(sums.get(ind.numerator, 0)),
                        "denominator": int(sums.get(ind.denominator, 0))}
    detected = sums.get("location_detected", 0)
    out["essais_localisation_moyen"] = (round(sums.get("location_tries", 0) / detected, 2)
                                        if detected else None)
    durations = {}
    for status in STATUSES:
        count = sums.get(status, 0)
        durations[status] = round(sums.get(f"duration_{status}", 0) / count, 1) if count else None
    out["duree_moyenne_par_statut_s"] = durations
    out["duree_abouti_s"] = {
        "mean": durations["abouti"], "median": abouti_median_s,
        "objective": ABOUTI_DURATION_OBJECTIVE_S,
        "met": None if abouti_median_s is None else abouti_median_s < ABOUTI_DURATION_OBJECTIVE_S,
    }
    count = sums.get("eval_count", 0)
    out["evaluation"] = {
        "count": int(count),
        "mean": round(sums.get("eval_total", 0) / count, 2) if count else None,
        "distribution": {str(level): int(sums.get(f"eval_{level}", 0))
                         for level in EVALUATION_LEVELS},
    }
    return out
