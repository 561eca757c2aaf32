"""Names spelled letter by letter: "C A V A I L L O N", "cé a vé a i deux l o n",
"èss a i ène té trait d'union èr e accent aigu èm i grec".

Works on folded tokens (``_text.tokenize``), before abbreviations are expanded (a spelled
"d" or "l" must stay a letter). A run of at least ``MIN_LETTERS`` spelled letters becomes
the words it spells; a spelling that only repeats a name said just before it
("Pélissanne, ça s'écrit p é l i s s a n n e") is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_LETTERS = 4

# French letter names, as speech recognition writes them once folded.
_LETTERS: dict[str, str] = {
    **{c: c for c in "abcdefghijklmnopqrstuvwxyz"},
    "ah": "a", "be": "b", "ce": "c", "de": "d", "eu": "e", "ef": "f", "eff": "f",
    "effe": "f", "ge": "g", "ache": "h", "ach": "h", "hache": "h", "ji": "j", "ka": "k",
    "el": "l", "ell": "l", "elle": "l", "em": "m", "emm": "m", "emme": "m", "en": "n",
    "ene": "n", "enn": "n", "enne": "n", "oh": "o", "pe": "p", "ku": "q", "qu": "q",
    "er": "r", "err": "r", "erre": "r", "es": "s", "ess": "s", "esse": "s", "te": "t",
    "ve": "v", "ix": "x", "ixe": "x", "iks": "x", "igrec": "y", "zed": "z", "zede": "z",
}
# Two-word letters.
_PAIRS: dict[tuple[str, str], str] = {
    ("i", "grec"): "y", ("double", "ve"): "w", ("double", "v"): "w",
}
# Said after a letter, they change nothing once accents are folded.
_MODIFIERS = frozenset({"accent", "aigu", "grave", "circonflexe", "trema", "cedille",
                        "majuscule", "minuscule"})
# Word separators inside a spelled name.
_SEPARATORS: tuple[tuple[str, ...], ...] = (
    ("trait", "d", "union"), ("trait", "de", "union"), ("tiret",), ("espace",),
    ("apostrophe",),
)
_DOUBLES = frozenset({"deux", "double"})  # "deux l": ll
# After a spelled run, an "a" before these is the word "à": "u z è s à côté de Nîmes".
_AFTER_A = frozenset({"cote", "proximite", "peu"})


def _item(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """One spelled item at ``i``: its letters ("" for a modifier, " " for a separator)
    and how many tokens it takes."""
    pair = _PAIRS.get((tokens[i], tokens[i + 1])) if i + 1 < len(tokens) else None
    if pair:
        return pair, 2
    if tokens[i] in _DOUBLES and i + 1 < len(tokens) and tokens[i + 1] in _LETTERS:
        return _LETTERS[tokens[i + 1]] * 2, 2
    if tokens[i] in _LETTERS:
        return _LETTERS[tokens[i]], 1
    if tokens[i] in _MODIFIERS:
        return "", 1
    for separator in _SEPARATORS:
        if tuple(tokens[i:i + len(separator)]) == separator:
            return " ", len(separator)
    return None


def _run(tokens: Sequence[str], start: int) -> tuple[list[str], int, int]:
    """The words spelled from ``start``, the number of letters and the run's end."""
    text, letters, i, end = "", 0, start, start
    while i < len(tokens):
        item = _item(tokens, i)
        if item is None or (letters == 0 and item[0] in ("", " ")):
            break
        spelled, width = item
        text += spelled
        letters += len(spelled.strip())
        i += width
        if spelled.strip():
            end = i
        elif spelled == "":
            end = i  # a trailing "accent" belongs to the spelling
    return text.split(), letters, end


def _repeats(words: list[str], said: Sequence[str]) -> bool:
    """The spelled words only repeat (the start of) a name said elsewhere in the answer."""
    glued = "".join(words)
    for i in range(len(said)):
        joined = ""
        for token in said[i:i + 6]:
            joined += token
            if joined.startswith(glued) or joined == glued:
                return True
            if not glued.startswith(joined):
                break
    return False


def join_spelled(tokens: Sequence[str]) -> list[str]:
    """Replace every spelled run by the words it spells (or by nothing when it repeats
    a name the caller also said)."""
    out: list[str] = []
    runs: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(tokens):
        words, letters, end = _run(tokens, i)
        if end > i and tokens[end - 1] == "a" and end < len(tokens) and tokens[end] in _AFTER_A:
            words, letters, end = _run(tokens[:end - 1], i)
        if letters >= MIN_LETTERS and end > i + 1:
            runs.append((len(out), words))
            out.extend(words)
            i = end
        else:
            out.append(tokens[i])
            i += 1
    for position, words in reversed(runs):
        rest = out[:position] + out[position + len(words):]
        if _repeats(words, rest):
            out = rest
    return out
