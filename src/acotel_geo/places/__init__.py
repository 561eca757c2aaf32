"""acotel_geo.places: where a caller lives, from what they said (offline).

A pipeline of small pure functions (``_text``, ``_numbers``, ``_spelling``, ``_query``,
``_context``), matched against the national commune list (``_gazetteer``), scored with
the weights of ``_scoring`` (all in one place), decided by ``_resolve``.
"""

from ._gazetteer import Gazetteer, GazetteerError, Place
from ._numbers import spoken_numbers
from ._regions import EXPERIMENT_REGIONS, OTHER, region_of
from ._resolve import Candidate, Resolution, Resolver, Status, default_resolver, resolve

__all__ = [
    "EXPERIMENT_REGIONS", "OTHER", "Candidate", "Gazetteer", "GazetteerError", "Place",
    "Resolution", "Resolver", "Status", "default_resolver", "region_of", "resolve",
    "spoken_numbers",
]
