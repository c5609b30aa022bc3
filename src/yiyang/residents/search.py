"""Pinyin search keys for names, covering surname heteronyms (DESIGN: pypinyin reads surnames
like 曾/单/解 wrongly by default, so every reading of the first character is indexed)."""

from __future__ import annotations

from itertools import islice

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 4  # a surname has at most a few readings; keep the key short


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full keys, initials keys), each space-separated, e.g. ("shanli danli", "sl dl")."""
    name = name.strip()
    if not name:
        return "", ""
    surname_readings = pinyin(name[0], style=Style.NORMAL, heteronym=True)[0]
    rest = lazy_pinyin(name[1:], style=Style.NORMAL)
    full, initials = [], []
    for reading in islice(dict.fromkeys(surname_readings), MAX_VARIANTS):
        syllables = [reading, *rest]
        full.append("".join(syllables).lower())
        initials.append("".join(s[:1] for s in syllables).lower())
    return " ".join(dict.fromkeys(full)), " ".join(dict.fromkeys(initials))
