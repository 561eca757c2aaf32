"""The four Carsat regions of the ACOTEL experiment (tender §3.4), by department."""

from __future__ import annotations

from typing import Final

OTHER: Final = "autre"

EXPERIMENT_REGIONS: Final[dict[str, tuple[str, ...]]] = {
    "sud-est": ("04", "05", "06", "13", "83", "84", "2A", "2B"),
    "languedoc-roussillon": ("11", "30", "34", "48", "66"),
    "centre-val-de-loire": ("18", "28", "36", "37", "41", "45"),
    "bourgogne-franche-comte": ("21", "25", "39", "58", "70", "71", "89", "90"),
}

_REGION_OF_DEPARTMENT: Final[dict[str, str]] = {
    department: region
    for region, departments in EXPERIMENT_REGIONS.items()
    for department in departments
}


def region_of(department: str) -> str:
    """Experiment region of a department code ("13" -> "sud-est"), else "autre"."""
    return _REGION_OF_DEPARTMENT.get(department, OTHER)


def in_experiment(department: str) -> bool:
    return department in _REGION_OF_DEPARTMENT
