"""The JSON web-service connector: the catalogue's web services read page by page, with
the URL, paging and field mapping in a TOML file, so a changed URL or field is a config
edit, never code (tender §4.4). See ``config/catalogue_source.example.toml``.
"""

from __future__ import annotations

import asyncio
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class SourceError(RuntimeError):
    """The source cannot be read to the end: the import stops, nothing is published."""


def get_path(data: Any, path: str) -> Any:
    """Value at a dotted JSON path ("lieu.coordonnees[0].lat"); None when absent."""
    if not path:
        return data
    for name, index in _STEP.findall(path):
        if name:
            data = data.get(name) if isinstance(data, Mapping) else None
        else:
            data = data[int(index)] if isinstance(data, list) and int(index) < len(data) else None
        if data is None:
            return None
    return data


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    url: str
    records: str  # path to the list of records in a page
    fields: dict[str, str]
    session_fields: dict[str, str]
    themes: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    page_param: str = "page"
    size_param: str = "size"
    size: int = 100
    first_page: int = 1
    max_pages: int = 1000
    timeout_s: float = 10.0
    retries: int = 3
    backoff_s: float = 0.5

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SourceConfig:
        try:
            data = tomllib.loads(Path(path).read_text("utf-8"))
            source, paging = data["source"], data["source"].get("paging", {})
            return cls(
                name=source["name"], url=source["url"], records=source.get("records", ""),
                fields=dict(data["fields"]), session_fields=dict(data.get("session_fields", {})),
                themes=dict(data.get("themes", {})), params=dict(source.get("params", {})),
                headers=dict(source.get("headers", {})),
                page_param=paging.get("page_param", "page"),
                size_param=paging.get("size_param", "size"), size=int(paging.get("size", 100)),
                first_page=int(paging.get("first_page", 1)),
                max_pages=int(source.get("max_pages", 1000)),
                timeout_s=float(source.get("timeout_s", 10)),
                retries=int(source.get("retries", 3)),
                backoff_s=float(source.get("backoff_s", 0.5)))
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            raise SourceError(f"connector config {path}: {error!r}") from error


def map_record(config: SourceConfig, raw: Any) -> dict[str, Any]:
    """One source record as the catalogue's plain fields."""
    if not isinstance(raw, Mapping):
        return {"_error": f"record: not an object ({type(raw).__name__})"}
    record = {name: get_path(raw, path) for name, path in config.fields.items()}
    sessions = record.get("sessions") or []
    if isinstance(sessions, list):
        record["sessions"] = [
            {name: get_path(s, path) for name, path in config.session_fields.items()}
            for s in sessions if isinstance(s, Mapping)]
    theme = record.get("theme")
    if isinstance(theme, str) and theme in config.themes:
        record["theme"] = config.themes[theme]
    return record


async def _get_page(session: aiohttp.ClientSession, config: SourceConfig,
                    page: int) -> Any:
    params = {**config.params, config.page_param: str(page), config.size_param: str(config.size)}
    last_error = ""
    for attempt in range(config.retries + 1):
        try:
            async with session.get(config.url, params=params) as response:
                if 400 <= response.status < 500:
                    raise SourceError(f"page {page}: HTTP {response.status}, not retried")
                if response.status >= 500:
                    last_error = f"HTTP {response.status}"
                else:
                    return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            last_error = f"{type(error).__name__}: {error}"
        if attempt < config.retries:
            await asyncio.sleep(config.backoff_s * 2 ** attempt)
    raise SourceError(f"page {page}: failed after {config.retries + 1} tries ({last_error})")


async def fetch(config: SourceConfig) -> list[tuple[str, dict[str, Any]]]:
    """Every record of every page, with where it came from. Stops at the first short or
    empty page; any page that still fails after the retries fails the whole import."""
    records: list[tuple[str, dict[str, Any]]] = []
    timeout = aiohttp.ClientTimeout(total=config.timeout_s)
    async with aiohttp.ClientSession(timeout=timeout, headers=config.headers) as session:
        for n in range(config.max_pages):
            page = config.first_page + n
            body = await _get_page(session, config, page)
            items = get_path(body, config.records)
            if not isinstance(items, list):
                raise SourceError(f"page {page}: no list at {config.records!r}")
            for i, raw in enumerate(items):
                records.append((f"page {page}, enregistrement {i + 1}", map_record(config, raw)))
            if len(items) < config.size:
                return records
    raise SourceError(f"more than {config.max_pages} pages: raise max_pages in the config")


def fetch_records(config: SourceConfig) -> list[tuple[str, dict[str, Any]]]:
    return asyncio.run(fetch(config))
