"""Tests for yiyang.regions.rules and the bundled regions.csv.gz (no Django needed)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.regions.rules import (
    CODE_LENGTH,
    REGIONS_CSV,
    SCOPE_PREFIX_LENGTH,
    Level,
    RegionRow,
    is_within,
    read_region_rows,
    scope_prefix,
)

# --------------------------------------------------------------------------- scope_prefix


@pytest.mark.parametrize(
    ("code", "level", "expected"),
    [
        ("410000", Level.PROVINCE, "41"),
        ("410100", Level.PREFECTURE, "4101"),
        ("410110", Level.COUNTY, "410110"),
        ("419001", Level.COUNTY, "419001"),
        ("441900", Level.PREFECTURE, "4419"),
        ("410102001", Level.TOWNSHIP, "410102001"),
        ("110100", Level.PREFECTURE, "1101"),
        ("410200", Level.PREFECTURE, "4102"),
        ("410220", Level.COUNTY, "410220"),  # trailing zero kept: never strip zeros
    ],
)
def test_scope_prefix_table(code: str, level: Level, expected: str) -> None:
    assert scope_prefix(code, level) == expected


def test_scope_prefix_lengths() -> None:
    assert SCOPE_PREFIX_LENGTH == {
        Level.PROVINCE: 2,
        Level.PREFECTURE: 4,
        Level.COUNTY: 6,
        Level.TOWNSHIP: 9,
    }


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("41", Level.PROVINCE),  # 2-digit source code, not padded
        ("410100", Level.PROVINCE),  # not a province code
        ("410101", Level.PREFECTURE),  # not a prefecture code
        ("41010", Level.COUNTY),
        ("410102", Level.TOWNSHIP),
        ("41010200a", Level.TOWNSHIP),
        ("４１００００", Level.PROVINCE),  # full-width digits
        ("", Level.COUNTY),
    ],
)
def test_scope_prefix_rejects_malformed(code: str, level: Level) -> None:
    with pytest.raises(ValueError):
        scope_prefix(code, level)


def test_is_within_examples() -> None:
    assert is_within("410221101", "41")
    assert is_within("410221101", "4102")
    assert is_within("410221101", "410221")
    assert is_within("410221101", "410221101")
    assert is_within("441900003", "4419")
    assert not is_within("410222101", "410221")
    assert not is_within("429004", "41")
    assert not is_within("", "41")
    assert not is_within("4１0000", "41")


@pytest.mark.parametrize("prefix", ["", "4", "410", "41010", "4101020", "４１", "4x"])
def test_is_within_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        is_within("410102001", prefix)


@st.composite
def prefix_and_code(draw: st.DrawFn) -> tuple[str, str]:
    level = draw(st.sampled_from(list(Level)))
    n = SCOPE_PREFIX_LENGTH[level]
    prefix = draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    total = draw(st.sampled_from([length for length in (6, 9) if length >= n]))
    suffix = draw(st.text(alphabet="0123456789", min_size=total - n, max_size=total - n))
    return prefix, prefix + suffix


@given(prefix_and_code())
def test_code_within_its_prefix(pc: tuple[str, str]) -> None:
    prefix, code = pc
    assert is_within(code, prefix)


@given(st.sampled_from(list(Level)), st.data())
def test_code_within_own_scope(level: Level, data: st.DataObject) -> None:
    n = SCOPE_PREFIX_LENGTH[level]
    head = data.draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    code = head.ljust(CODE_LENGTH[level], "0")
    prefix = scope_prefix(code, level)
    assert prefix == head
    assert is_within(code, prefix)


@given(prefix_and_code())
def test_code_outside_prefix_is_not_within(pc: tuple[str, str]) -> None:
    prefix, code = pc
    # Changing the first digit moves the code into a different region.
    flipped = str((int(code[0]) + 1) % 10) + code[1:]
    assert not is_within(flipped, prefix)


# --------------------------------------------------------------------------- data file


@pytest.fixture(scope="module")
def rows() -> list[RegionRow]:
    return list(read_region_rows(REGIONS_CSV))


@pytest.fixture(scope="module")
def by_code(rows: list[RegionRow]) -> dict[str, RegionRow]:
    return {r.code: r for r in rows}


def test_codes_unique(rows: list[RegionRow]) -> None:
    dupes = [c for c, n in Counter(r.code for r in rows).items() if n > 1]
    assert dupes == []


def test_code_shapes(rows: list[RegionRow]) -> None:
    for r in rows:
        assert len(r.code) == CODE_LENGTH[r.level] and r.code.isascii() and r.code.isdigit(), r
        scope_prefix(r.code, r.level)  # raises if the code does not fit its level


def test_every_parent_exists_and_contains_child(
    rows: list[RegionRow], by_code: dict[str, RegionRow]
) -> None:
    for r in rows:
        if r.level == Level.PROVINCE:
            assert r.parent_code is None, r
            continue
        assert r.parent_code is not None, r
        parent = by_code.get(r.parent_code)
        assert parent is not None, r
        assert parent.level < r.level, (r, parent)
        assert is_within(r.code, scope_prefix(parent.code, parent.level)), (r, parent)


def test_henan(by_code: dict[str, RegionRow]) -> None:
    henan = by_code["410000"]
    assert henan.name == "河南省"
    assert henan.level == Level.PROVINCE
    assert henan.valid_to is None


def test_province_directly_governed_county(by_code: dict[str, RegionRow]) -> None:
    jiyuan = by_code["419001"]
    assert jiyuan.name == "济源市"
    assert jiyuan.level == Level.COUNTY
    assert jiyuan.parent_code == "410000"
    assert by_code["429004"].parent_code == "420000"
    assert by_code["659001"].parent_code == "650000"
    assert by_code["469001"].parent_code == "460000"


def test_no_pseudo_prefectures(rows: list[RegionRow]) -> None:
    codes = {r.code for r in rows}
    for pseudo in ("139000", "419000", "429000", "469000", "659000"):
        assert pseudo not in codes
    assert not [r for r in rows if "直辖县级行政区划" in r.name]


def test_prefecture_without_counties(rows: list[RegionRow], by_code: dict[str, RegionRow]) -> None:
    for code in ("441900", "442000", "460400", "620200"):
        city = by_code[code]
        assert city.level == Level.PREFECTURE, city
        children = [r for r in rows if r.parent_code == code]
        assert children, code
        assert all(c.level == Level.TOWNSHIP for c in children), code
        assert all(c.code.startswith(code[:4]) for c in children), code
    dongguan_towns = [r for r in rows if r.parent_code == "441900" and r.valid_to is None]
    assert len(dongguan_towns) > 20
    assert "620201" not in by_code  # NBS pseudo-county of 嘉峪关 is not emitted


def test_municipality_groupings(by_code: dict[str, RegionRow]) -> None:
    assert by_code["110100"].level == Level.PREFECTURE
    assert by_code["110100"].parent_code == "110000"
    assert by_code["110101"].parent_code == "110100"
    assert by_code["500200"].level == Level.PREFECTURE


def test_reserved_provinces(by_code: dict[str, RegionRow]) -> None:
    for code in ("710000", "810000", "820000"):
        assert by_code[code].level == Level.PROVINCE


def test_counts_plausible(rows: list[RegionRow]) -> None:
    current = Counter(r.level for r in rows if r.valid_to is None)
    total = Counter(r.level for r in rows)
    assert total[Level.PROVINCE] >= 34
    assert current[Level.PROVINCE] == 34  # 31 + 台湾/香港/澳门
    assert current[Level.PREFECTURE] > 300
    assert current[Level.COUNTY] > 2800
    assert current[Level.TOWNSHIP] > 38000


def test_retired_codes(rows: list[RegionRow], by_code: dict[str, RegionRow]) -> None:
    retired = [r for r in rows if r.valid_to is not None]
    assert len(retired) > 100
    for r in retired:
        assert r.valid_from is not None and r.valid_from < r.valid_to, r
    # 莱芜市 was merged into 济南市 in 2019; 那曲地区 became 那曲市 (540600).
    assert by_code["371200"].valid_to is not None
    assert by_code["542400"].valid_to is not None
    assert by_code["540600"].valid_to is None


def test_kaifeng_demo_townships(by_code: dict[str, RegionRow]) -> None:
    for county, name in (("410221", "杞县"), ("410222", "通许县"), ("410225", "兰考县")):
        assert by_code[county].name == name
        assert by_code[county].parent_code == "410200"
    assert by_code["410221101"].name == "五里河镇"
    assert by_code["410222001"].name == "咸平街道"
    assert by_code["410225001"].name == "兰阳街道"
