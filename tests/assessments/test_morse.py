"""Morse 跌倒风险评估 (REFERENCE §5.3).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher total = higher risk: one more point never moves the band towards less risk.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.morse import SCALE

# REFERENCE §5.3: code → (item, allowed scores).
REF = {
    "1": ("跌倒史", (0, 25)),
    "2": ("超过一个医学诊断", (0, 15)),
    "3": ("行走辅助", (0, 15, 30)),
    "4": ("静脉输液或使用肝素锁", (0, 20)),
    "5": ("步态", (0, 10, 20)),
    "6": ("精神状态", (0, 15)),
}
ORDER = {"cn": ["low", "moderate", "high"], "morse": ["none", "low", "high"]}


def with_total(total: int) -> dict[str, int]:
    """Some answer set adding up to ``total`` (searched over REF alone)."""
    for combo in itertools.product(*(scores for _, scores in REF.values())):
        if sum(combo) == total:
            return dict(zip(REF, combo, strict=True))
    raise AssertionError(f"{total} cannot be scored")


answer_sets = st.fixed_dictionaries({c: st.sampled_from(s) for c, (_, s) in REF.items()})
conventions = st.sampled_from([None, "cn", "morse"])


def ctx(convention: str | None) -> dict[str, str] | None:
    return None if convention is None else {"convention": convention}


def test_identity() -> None:
    assert SCALE.code == "morse"
    assert SCALE.name == "Morse 跌倒风险评估"
    assert SCALE.version and "§5.3" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 125, True)
    assert SCALE.default_convention == "cn"
    assert set(SCALE.band_tables) == {"cn", "morse"}


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, scores = REF[q.code]
        assert q.text == name
        assert tuple(o.value for o in q.options) == scores
        assert tuple(o.score for o in q.options) == scores


def test_option_labels() -> None:
    assert SCALE.question("3").option(30).label == "30 分：扶靠家具行走"
    assert "助行器" in SCALE.question("3").option(15).label
    assert SCALE.question("1").option(25).label == "25 分：有"


def test_both_conventions_key_high() -> None:
    for table in SCALE.band_tables.values():
        assert table.bands[-1].key == "high"
        assert table.bands[-1].high == 125


# (convention, total, band, label) — REFERENCE §5.3, both sides of every cut-off.
BAND_CASES = [
    ("cn", 0, "low", "低危"),
    ("cn", 20, "low", "低危"),
    ("cn", 25, "moderate", "中危"),
    ("cn", 45, "moderate", "中危"),
    ("cn", 50, "high", "高危"),
    ("cn", 125, "high", "高危"),
    ("morse", 0, "none", "无风险"),
    ("morse", 20, "none", "无风险"),
    ("morse", 25, "low", "低危"),
    ("morse", 50, "low", "低危"),
    ("morse", 55, "high", "高危"),
    ("morse", 125, "high", "高危"),
]


@pytest.mark.parametrize(("convention", "total", "band", "label"), BAND_CASES)
def test_bands(convention: str, total: int, band: str, label: str) -> None:
    out = SCALE.evaluate(with_total(total), {"convention": convention})
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    # REFERENCE §5.3 via the brief: fall risk whenever total ≥ 25, in both conventions.
    assert out.risks == (frozenset({Risk.FALL}) if total >= 25 else frozenset())


# Totals are multiples of 5, so the tables' exact edges are checked on the data itself.
@pytest.mark.parametrize(
    ("convention", "total", "band"),
    [
        ("cn", 24, "low"),
        ("cn", 25, "moderate"),
        ("cn", 45, "moderate"),
        ("cn", 46, "high"),
        ("morse", 24, "none"),
        ("morse", 25, "low"),
        ("morse", 50, "low"),
        ("morse", 51, "high"),
    ],
)
def test_band_edges_as_data(convention: str, total: int, band: str) -> None:
    assert SCALE.band_tables[convention].band_for(total).key == band


def test_default_convention() -> None:
    out = SCALE.evaluate(with_total(50))
    assert (out.band, out.band_label, out.details["convention"]) == ("high", "高危", "cn")


def test_worked_example() -> None:
    # History of falls 25 + walker 15 + weak gait 10 = 50.
    answers = {"1": 25, "2": 0, "3": 15, "4": 0, "5": 10, "6": 0}
    out = SCALE.evaluate(answers)
    assert (out.total, out.band) == (50, "high")
    assert SCALE.evaluate(answers, {"convention": "morse"}).band == "low"
    assert out.details["points"] == answers


# --------------------------------------------------------------------------- validation


def test_missing_item() -> None:
    answers = with_total(0)
    del answers["4"]
    with pytest.raises(ValueError, match="缺少评估条目：4 静脉输液"):
        SCALE.evaluate(answers)


def test_unknown_item() -> None:
    with pytest.raises(ValueError, match="未知的评估条目：跌倒史"):
        SCALE.evaluate({**with_total(0), "跌倒史": 25})


@pytest.mark.parametrize(("code", "value"), [("1", 1), ("1", 15), ("3", 20), ("5", 15)])
def test_bad_value(code: str, value: int) -> None:
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(0), code: value})


@pytest.mark.parametrize("value", [False, 25.0, "25"])
def test_non_int_value(value: object) -> None:
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_total(0), "1": value})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"convention": "original"}, "未知的分级标准"),
        ({"convention": "cn", "high_at": 45}, "未知的评估背景信息"),
        (("cn",), "映射"),
    ],
)
def test_bad_context(context: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCALE.evaluate(with_total(0), context)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


def ref_band(convention: str, total: int) -> str:
    """REFERENCE §5.3 written out."""
    if convention == "morse":
        return "none" if total <= 24 else "low" if total <= 50 else "high"
    return "low" if total < 25 else "moderate" if total <= 45 else "high"


@given(answer_sets, conventions)
def test_total_and_band(answers: dict[str, int], convention: str | None) -> None:
    out = SCALE.evaluate(answers, ctx(convention))
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 125
    assert out.band == ref_band(convention or "cn", out.total)
    assert (Risk.FALL in out.risks) == (out.total >= 25)


@given(answer_sets, st.sampled_from(list(REF)), conventions, st.data())
def test_more_points_never_less_risk(
    answers: dict[str, int], code: str, convention: str | None, data: st.DataObject
) -> None:
    higher = [s for s in REF[code][1] if s > answers[code]]
    if not higher:
        return
    worse = {**answers, code: data.draw(st.sampled_from(higher))}
    order = ORDER[convention or "cn"]
    before = SCALE.evaluate(answers, ctx(convention))
    after = SCALE.evaluate(worse, ctx(convention))
    assert after.total > before.total
    assert order.index(after.band) >= order.index(before.band)
