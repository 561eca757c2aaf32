"""Where the committed data lives, and reading its gzipped-JSON snapshots (gazetteer,
catalogue)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder of the committed data (communes/, lexicon/, workshops/).

    The repository keeps it at its root (``data/``); a built wheel carries the same folder
    as ``acotel_geo/data`` (pyproject.toml's force-include), so an installed package reads
    its own copy, and a checkout or an editable install reads the root's.
    """
    packaged = HERE / "data"
    return packaged if packaged.is_dir() else HERE.parents[1] / "data"


def read_gzipped_json(path: Path, expected_format: str, error: type[Exception],
                      what: str) -> dict[str, Any]:
    """The snapshot's JSON object; ``error`` says clearly what is wrong with it."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, EOFError) as failure:  # EOFError: a truncated file
        raise error(f"cannot read the {what} {path}: {failure}") from failure
    if not isinstance(data, dict) or data.get("format") != expected_format:
        raise error(f"{path} is not an {expected_format} snapshot")
    return data
