"""Reading the committed gzipped-JSON snapshots (gazetteer, catalogue)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any


def read_gzipped_json(path: Path, expected_format: str, error: type[Exception],
                      what: str) -> dict[str, Any]:
    """The snapshot's JSON object; ``error`` says clearly what is wrong with it."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as failure:
        raise error(f"cannot read the {what} {path}: {failure}") from failure
    if not isinstance(data, dict) or data.get("format") != expected_format:
        raise error(f"{path} is not an {expected_format} snapshot")
    return data
