"""Pinyin keys: surname heteronyms get both readings; common surnames get no stray ones."""

from __future__ import annotations

import pytest

from yiyang.residents.search import pinyin_keys


@pytest.mark.parametrize(("name", "full", "initials"), [
    ("单春生", {"danchunsheng", "shanchunsheng"}, {"dcs", "scs"}),
    ("曾桂兰", {"cengguilan", "zengguilan"}, {"cgl", "zgl"}),
    ("解明", {"jieming", "xieming"}, {"jm", "xm"}),
    ("王秀英", {"wangxiuying"}, {"wxy"}),
    ("尉迟恭", {"yuchigong"}, {"ycg"}),  # pypinyin knows this compound surname
])
def test_keys(name: str, full: set[str], initials: set[str]) -> None:
    got_full, got_initials = pinyin_keys(name)
    assert set(got_full.split()) == full
    assert set(got_initials.split()) == initials


def test_blank_name() -> None:
    assert pinyin_keys("  ") == ("", "")
