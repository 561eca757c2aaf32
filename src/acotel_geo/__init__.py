"""acotel_geo: offline French commune resolution from spoken answers.

>>> from acotel_geo import resolve
>>> resolve("treize cent").best.name
'Aix-en-Provence'
"""

from ._gazetteer import Gazetteer, GazetteerError, Place
from ._regions import EXPERIMENT_REGIONS, OTHER, region_of
from ._resolve import Candidate, Resolution, Resolver, Status, default_resolver, resolve

__all__ = [
    "EXPERIMENT_REGIONS",
    "OTHER",
    "Candidate",
    "Gazetteer",
    "GazetteerError",
    "Place",
    "Resolution",
    "Resolver",
    "Status",
    "default_resolver",
    "region_of",
    "resolve",
]
