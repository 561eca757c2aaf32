"""addok, indexed with the same places as acotel_geo, as an engine for ``evaluate``.

Needs the ``bench`` extra and Redis on 127.0.0.1:6379 (databases 12 and 13 are flushed).
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

from acotel_geo import Gazetteer

HERE = Path(__file__).resolve().parent


class AddokUnavailable(RuntimeError):
    pass


def documents(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Every place as an addok "municipality", former communes pointing to their commune."""
    docs = []
    for place in gazetteer.places:
        commune = gazetteer.commune_of(place)
        population = commune.population or place.population
        docs.append({
            "_id": f"{place.insee}-{place.kind}-{len(docs)}",
            "type": "municipality",
            "name": place.name,
            "postcode": list(place.postcodes),
            "citycode": commune.insee,
            "city": commune.name,
            "lat": place.lat,
            "lon": place.lon,
            "importance": round(min(1.0, math.log10(population + 1) / 6), 4),
            "context": f"{place.department}, {gazetteer.departments.get(place.department, '')}",
        })
    return docs


class AddokEngine:
    def __init__(self, gazetteer: Gazetteer) -> None:
        os.environ["ADDOK_CONFIG_MODULE"] = str(HERE / "addok_conf.py")
        try:
            from addok.config import config
            config.load()
            from addok.db import DB
            from addok.ds import DS
            DB.ping()
        except Exception as error:  # a benchmark dependency, reported, never fatal
            raise AddokUnavailable(f"addok or Redis unavailable: {error}") from error
        started = time.perf_counter()
        DB.flushdb()
        DS.flushdb()
        from addok.autocomplete import index_ngram_keys
        from addok.batch import process_documents
        from addok.db import DB as db
        lines = [json.dumps(doc) for doc in documents(gazetteer)]
        for i in range(0, len(lines), 2000):
            process_documents(*lines[i:i + 2000])
        index_ngram_keys(*db.scan_iter(match="w|*"))
        self.index_seconds = round(time.perf_counter() - started, 2)
        self.redis_memory_mb = round(db.info("memory")["used_memory"] / 1e6, 1)

    def raw(self, text: str) -> list[tuple[str, float]]:
        from addok.core import search
        try:
            results = search(text, limit=6, autocomplete=False)
        except Exception:  # addok rejects some inputs (e.g. too long): nothing found
            return []
        return [(r.citycode, r.score) for r in results]

