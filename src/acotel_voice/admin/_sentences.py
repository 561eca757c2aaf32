"""Editing what the bot says (tender §6.5 "gestion des messages", §5.1, §5.3): every
sentence of the message files, nationally or for one region, checked before it is saved,
kept with its author and history, published or rolled back; and the synthesis voice.

Published texts live in the records database; the running service reads them through a
``PublishedSentences`` overlay that it refreshes, so a publication reaches live calls
without a restart."""

from __future__ import annotations

import difflib
import json
import re
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..dialog._messages import Messages
from ..records import PARIS, RecordStore
from ._understanding import live

REGION_KEYS = ("", "sud-est", "languedoc-roussillon", "centre-val-de-loire",
               "bourgogne-franche-comte")  # "" is the national text
MAX_LENGTH = 600
_TEL = re.compile(r"\[tel:([^\]]*)\]")
VOICE_DEFAULTS = {"vendor": "google", "language": "fr-FR", "voice": "fr-FR-Wavenet-C",
                  "rate": "90%", "pause_ms": "600"}
VENDORS = ("google", "microsoft", "aws", "elevenlabs", "nuance", "deepgram")
_RATE = re.compile(r"^(?:[5-9]\d|1[0-4]\d|150)%$")  # 50% to 150%


class SentenceError(ValueError):
    """A sentence that cannot be saved; the message says why, in French."""


def placeholders(text: str) -> set[str]:
    found = set()
    for _literal, name, _spec, _conv in string.Formatter().parse(text):
        if name is not None:
            found.add(name)
    return found


def file_texts(region: str = "") -> dict[str, str]:
    """The editable sentences as the message files say them (strings only)."""
    return {k: v for k, v in Messages(region).data.items() if isinstance(v, str)}


def check(key: str, text: str, region: str = "") -> str:
    """``text`` cleaned, or a ``SentenceError`` saying what is wrong."""
    reference = file_texts(region)
    if key not in reference:
        raise SentenceError(f"La phrase « {key} » n'existe pas.")
    text = " ".join(text.split())
    if not text:
        raise SentenceError("La phrase est vide.")
    if len(text) > MAX_LENGTH:
        raise SentenceError(f"La phrase dépasse {MAX_LENGTH} caractères : raccourcissez-la.")
    try:
        used = placeholders(text)
    except ValueError:
        raise SentenceError("Accolade mal fermée : écrivez les champs sous la forme {nom}."
                            ) from None
    expected = placeholders(reference[key])
    def names(found: set[str]) -> str:
        return ", ".join(f"{{{n}}}" for n in sorted(found)) or "aucun"

    if used - expected:
        raise SentenceError(f"Champ inconnu : {names(used - expected)}. "
                            f"Champs possibles : {names(expected)}.")
    if expected - used:
        raise SentenceError(f"Champ manquant : {names(expected - used)}.")
    for number in _TEL.findall(text):
        if not (re.fullmatch(r"\d{4,10}", number) or re.fullmatch(r"\{\w+\}", number)):
            raise SentenceError(f"Numéro de téléphone mal écrit : [tel:{number}].")
    return text


@dataclass
class PublishedSentences:
    """What has been published, as the running service sees it: ``texts[(region, key)]``
    (``""`` for national) and the voice per region; ``version`` grows at each publication.
    The understanding's published version adds its "other service" answers (national
    sentences, and ``other_services``: their keys and words) and its extra training
    examples (``understanding``: version key and examples, for ``_intents.use_examples``)."""

    version: str = ""
    texts: dict[tuple[str, str], Any] = field(default_factory=dict)
    voices: dict[str, dict[str, str]] = field(default_factory=dict)
    understanding: tuple[str, tuple[tuple[str, str], ...]] = ("", ())
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def for_region(self, region: str) -> dict[str, Any]:
        """National publications, then the region's (the region's win)."""
        merged = {k: t for (r, k), t in self.texts.items() if r == ""}
        merged.update({k: t for (r, k), t in self.texts.items() if r == region and region})
        return merged

    def __call__(self, region: str) -> tuple[str, dict[str, Any]]:
        """``(version, texts)`` for a region: what the turn engine asks each turn."""
        return self.version, self.for_region(region)

    def voice(self, region: str) -> dict[str, str]:
        return {**VOICE_DEFAULTS, **self.voices.get("", {}), **self.voices.get(region, {})}

    def refresh(self, store: RecordStore) -> bool:
        """Read the publications again if they changed; True when they did."""
        rows = store.query("SELECT MAX(published_utc), COUNT(published_utc) FROM sentence_edits")
        voice_rows = store.query("SELECT MAX(id) FROM voice_settings")
        understood, content = live(store)
        version = f"{rows[0][0] or 0}:{rows[0][1]}:{voice_rows[0][0] or 0}:{understood}"
        if version == self.version:
            return False
        texts: dict[tuple[str, str], Any] = {}
        for region, key, text in store.query(
                "SELECT region, key, text FROM sentence_edits WHERE published_utc IS NOT NULL"
                " ORDER BY published_utc, id"):
            if text is None:
                texts.pop((region, key), None)  # back to the message file
            else:
                texts[(region, key)] = json.loads(text) if key in STRUCTURED else text
        voices: dict[str, dict[str, str]] = {}
        for region, vendor, language, voice, rate, pause_ms in store.query(
                "SELECT region, vendor, language, voice, rate, pause_ms FROM voice_settings"
                " ORDER BY id"):
            voices[region] = {"vendor": vendor, "language": language, "voice": voice,
                              "rate": rate, "pause_ms": str(pause_ms)}
        for service in content["services"]:
            texts[("", service["key"])] = service["answer"]
        if content["services"]:
            texts[("", "other_services")] = [{"key": s["key"], "words": s["words"]}
                                             for s in content["services"]]
        examples = tuple((str(t), str(label)) for t, label in content["examples"])
        with self._lock:
            self.texts, self.voices, self.version = texts, voices, version
            self.understanding = (f"u{understood}" if understood else "", examples)
        return True


STRUCTURED = frozenset({"evaluation"})  # settings kept as JSON, not sentences


def check_evaluation(scale: str, bad_at_most: str, questions: str) -> dict[str, Any]:
    """The evaluation settings (tender §5.1) from the form, or a ``SentenceError``."""
    try:
        top, bad = int(scale), int(bad_at_most)
    except ValueError:
        raise SentenceError("L'échelle et le seuil sont des nombres entiers.") from None
    if not 2 <= top <= 10:
        raise SentenceError("L'échelle va de 1 à un nombre entre 2 et 10.")
    if not 1 <= bad < top:
        raise SentenceError(f"Le seuil d'une mauvaise note est entre 1 et {top - 1}.")
    asked = [" ".join(q.split()) for q in questions.splitlines() if q.strip()]
    if not 1 <= len(asked) <= 3:
        raise SentenceError("Posez une à trois questions, une par ligne.")
    for question in asked:
        try:
            names = placeholders(question)
        except ValueError:
            raise SentenceError("Accolade mal fermée dans une question.") from None
        if names - {"scale"}:
            raise SentenceError("Seul le champ {scale} (le haut de l'échelle) est permis.")
        if len(question) > MAX_LENGTH:
            raise SentenceError("Une question est trop longue : raccourcissez-la.")
    return {"scale": top, "bad_at_most": bad, "questions": asked}


class Sentences:
    """Drafts, publications and history of the sentences, in the records database."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    def current(self, region: str) -> dict[str, dict[str, Any]]:
        """Every sentence of a region ("" national): its file text, its published text."""
        published = PublishedSentences()
        published.refresh(self.store)
        live = published.for_region(region)
        return {key: {"file": text, "published": live.get(key), "text": live.get(key, text)}
                for key, text in sorted(file_texts(region).items())}

    def save(self, region: str, key: str, text: str, author: str) -> int:
        """Check and keep a draft; its id."""
        if region not in REGION_KEYS:
            raise SentenceError("Région inconnue.")
        clean = check(key, text, region)
        self.store.execute("INSERT INTO sentence_edits (region, key, text, author, at_utc)"
                           " VALUES (?, ?, ?, ?, ?)",
                           [region, key, clean, author, int(time.time())])
        return int(self.store.query("SELECT MAX(id) FROM sentence_edits WHERE author = ?",
                                    [author])[0][0])

    def publish(self, edit_id: int, author: str) -> None:
        rows = self.store.query("SELECT published_utc FROM sentence_edits WHERE id = ?",
                                [edit_id])
        if not rows:
            raise SentenceError("Brouillon introuvable.")
        self.store.execute("UPDATE sentence_edits SET published_utc = ?, publisher = ?"
                           " WHERE id = ?", [int(time.time() * 1000), author, edit_id])

    def roll_back(self, region: str, key: str, author: str) -> None:
        """Back to the text published before the current one (or to the file's)."""
        rows = self.store.query("SELECT text FROM sentence_edits WHERE region = ? AND key = ?"
                                " AND published_utc IS NOT NULL ORDER BY published_utc DESC,"
                                " id DESC LIMIT 2", [region, key])
        if not rows:
            raise SentenceError("Rien à annuler : la phrase est celle du fichier.")
        previous = rows[1][0] if len(rows) > 1 else None
        now = int(time.time() * 1000)
        self.store.execute("INSERT INTO sentence_edits (region, key, text, author, at_utc,"
                           " published_utc, publisher) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [region, key, previous, author, now // 1000, now, author])

    def history(self, region: str, key: str) -> list[dict[str, Any]]:
        """Every edit of a sentence, newest first, with its diff to the text before it."""
        rows = self.store.query("SELECT id, text, author, at_utc, published_utc, publisher"
                                " FROM sentence_edits WHERE region = ? AND key = ? ORDER BY id",
                                [region, key])
        before = file_texts(region).get(key, "")
        out = []
        for edit_id, text, author, at, published, publisher in rows:
            shown = text if text is not None else file_texts(region).get(key, "")
            diff = [line for line in difflib.ndiff(before.split(), shown.split())
                    if line[:1] in "+-"]
            out.append({"id": edit_id, "text": shown, "reverted": text is None,
                        "author": author, "at": datetime.fromtimestamp(at, PARIS),
                        "published": published is not None, "publisher": publisher,
                        "diff": " ".join(diff)})
            if published is not None:
                before = shown
        return list(reversed(out))

    def evaluation(self, region: str) -> dict[str, Any]:
        published = PublishedSentences()
        published.refresh(self.store)
        current = published.for_region(region).get("evaluation")
        return dict(current) if current else dict(Messages(region).value("evaluation"))

    def publish_evaluation(self, region: str, settings: dict[str, Any], author: str) -> None:
        """New evaluation questions and scale, spoken from the next call on."""
        if region not in REGION_KEYS:
            raise SentenceError("Région inconnue.")
        now = int(time.time() * 1000)
        self.store.execute("INSERT INTO sentence_edits (region, key, text, author, at_utc,"
                           " published_utc, publisher) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [region, "evaluation", json.dumps(settings, ensure_ascii=False),
                            author, now // 1000, now, author])

    def set_voice(self, region: str, settings: dict[str, str], author: str) -> None:
        if region not in REGION_KEYS:
            raise SentenceError("Région inconnue.")
        vendor = settings.get("vendor", "")
        if vendor not in VENDORS:
            raise SentenceError("Fournisseur de synthèse inconnu.")
        language, voice = settings.get("language", ""), settings.get("voice", "")
        if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", language):
            raise SentenceError("Langue : par exemple fr-FR.")
        if not re.fullmatch(r"[\w.-]{1,64}", voice):
            raise SentenceError("Nom de voix : lettres, chiffres, « - », « _ » ou « . ».")
        rate = settings.get("rate", "")
        if not _RATE.match(rate):
            raise SentenceError("Débit : un pourcentage entre 50% et 150%.")
        try:
            pause = int(settings.get("pause_ms", ""))
        except ValueError:
            raise SentenceError("Pause : un nombre de millisecondes.") from None
        if not 100 <= pause <= 2000:
            raise SentenceError("Pause : entre 100 et 2000 millisecondes.")
        self.store.execute("INSERT INTO voice_settings (region, vendor, language, voice, rate,"
                           " pause_ms, author, at_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [region, vendor, language, voice, rate, pause, author,
                            int(time.time())])
