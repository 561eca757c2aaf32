"""The bot's French sentences (messages/fr.yaml), with per-region overrides
(messages/regions/<region>.yaml). Nothing the bot says is written in the code."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parents[1] / "messages"


# "à Le Cannet" is said "au Cannet", "à Les Mées" "aux Mées", "de Le Puy" "du Puy": a
# place name's article contracts with the preposition before it (only a capitalised
# article, the one of a name, is touched).
_CONTRACTIONS = ((re.compile(r"\bà Le (?=[A-ZÀ-Ý])"), "au "),
                 (re.compile(r"\bà Les (?=[A-ZÀ-Ý])"), "aux "),
                 (re.compile(r"\bde Le (?=[A-ZÀ-Ý])"), "du "),
                 (re.compile(r"\bde Les (?=[A-ZÀ-Ý])"), "des "))


def contract(text: str) -> str:
    """"Vous habitez bien à Le Cannet" -> "Vous habitez bien au Cannet"."""
    for pattern, contracted in _CONTRACTIONS:
        text = pattern.sub(contracted, text)
    return text


class MessageError(KeyError):
    """A sentence key or placeholder is missing from the message files."""


@cache
def _load(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise MessageError(f"{path}: not a mapping")
    return data


class Messages:
    def __init__(self, region: str = "", root: Path = HERE,
                 published: Mapping[str, Any] | None = None) -> None:
        """The files' sentences, the region's overriding the national ones, and the
        sentences ``published`` from the steering app overriding both."""
        self.region = region
        self.data = dict(_load(root / "fr.yaml"))
        override = root / "regions" / f"{region}.yaml"
        if region and override.exists():
            self.data.update(_load(override))
        if published:
            self.data.update(published)

    def text(self, key: str, **values: Any) -> str:
        try:
            template = self.data[key]
        except KeyError:
            raise MessageError(f"no sentence {key!r} in the message files") from None
        try:
            return contract(str(template).format(**values).strip())
        except KeyError as error:
            raise MessageError(f"sentence {key!r} needs {error}") from None

    def value(self, key: str) -> Any:
        return self.data[key]

    def department_phrase(self, code: str, name: str) -> str:
        """"dans le Var", "en Côte-d'Or", "dans l'Indre" (the table ``department_article``);
        "dans le département <name>" for a department it does not list."""
        article = self.data["department_article"].get(code)
        if article is None:
            return f"dans le département {name}"
        return f"{article}{name}" if article.endswith("'") else f"{article} {name}"
