"""Pinyin search keys for names, covering surname heteronyms (DESIGN: pypinyin reads surnames
like 曾/单/解 wrongly by default). Only surnames known to read differently get extra keys, so
"yu…" does not match every 王 (pypinyin lists rare readings for many common characters)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surname readings that differ from the character's everyday reading (姓氏异读), syllables
# separated by spaces.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "尉": ("yu",),
    "区": ("ou",), "查": ("zha",), "朴": ("piao",), "盖": ("ge",), "乐": ("yue",),
    "覃": ("qin",), "缪": ("miao",), "员": ("yun",), "秘": ("bi",), "种": ("chong",),
    "翟": ("zhai",), "繁": ("po",), "召": ("shao",), "都": ("du",), "隗": ("wei",),
    "长孙": ("zhang sun",), "尉迟": ("yu chi",), "万俟": ("mo qi",),
}


def _surname(name: str) -> str:
    return next((s for s in SURNAME_READINGS if len(s) == 2 and name.startswith(s)), name[:1])


@lru_cache(maxsize=65536)  # names repeat: a 200,000-row import asks for far fewer distinct ones
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full keys, initials keys), each space-separated, e.g. ("shanli danli", "sl dl")."""
    name = name.strip()
    if not name:
        return "", ""
    surname = _surname(name)
    default = lazy_pinyin(surname, style=Style.NORMAL)
    rest = lazy_pinyin(name[len(surname):], style=Style.NORMAL)
    variants = [default, *(r.split() for r in SURNAME_READINGS.get(surname, ()))]
    full = [("".join(v) + "".join(rest)).lower() for v in variants]
    initials = [("".join(s[:1] for s in v) + "".join(s[:1] for s in rest)).lower()
                for v in variants]
    return " ".join(dict.fromkeys(full)), " ".join(dict.fromkeys(initials))
