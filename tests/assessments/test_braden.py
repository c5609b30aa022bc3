"""Braden 压力性损伤风险评估 (REFERENCE §5.2).

Expected values are written literally from REFERENCE, never computed by the code under test.
Lower total = higher risk: one more point never moves the band towards more risk.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.braden import SCALE

# REFERENCE §5.2: code → (item, max score); every item starts at 1.
REF = {
    "1": ("感知能力", 4),
    "2": ("潮湿", 4),
    "3": ("活动能力", 4),
    "4": ("移动能力", 4),
    "5": ("营养", 4),
    "6": ("摩擦力和剪切力", 3),
}
# Band keys, no risk → most risk.
ORDER = {
    "cn5": ["none", "low", "moderate", "high", "very_high"],
    "simple": ["none", "at_risk", "high"],
}


def with_total(total: int) -> dict[str, int]:
    answers = dict.fromkeys(REF, 1)
    left = total - 6
    for code, (_, mx) in REF.items():
        take = min(left, mx - 1)
        answers[code] += take
        left -= take
    assert left == 0 and sum(answers.values()) == total
    return answers


answer_sets = st.fixed_dictionaries({c: st.integers(1, mx) for c, (_, mx) in REF.items()})
conventions = st.sampled_from([None, "cn5", "simple"])


def ctx(convention: str | None) -> dict[str, str] | None:
    return None if convention is None else {"convention": convention}


def test_identity() -> None:
    assert SCALE.code == "braden"
    assert SCALE.name == "Braden 压力性损伤风险评估"
    assert SCALE.version and "§5.2" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (6, 23, True)
    assert SCALE.default_convention == "cn5"
    assert set(SCALE.band_tables) == {"cn5", "simple"}


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, mx = REF[q.code]
        assert q.text == name
        assert [o.value for o in q.options] == list(range(1, mx + 1))
        assert [o.score for o in q.options] == list(range(1, mx + 1))


def test_friction_has_no_four() -> None:
    assert SCALE.question("6").max_points == 3
    with pytest.raises(ValueError, match="6 摩擦力和剪切力 的答案 4 不在允许范围"):
        SCALE.evaluate({**with_total(22), "6": 4})


def test_option_labels() -> None:
    assert SCALE.question("1").option(1).label.startswith("1 分：完全受限")
    assert SCALE.question("3").option(1).label == "1 分：卧床不起"
    assert SCALE.question("6").option(3).label.startswith("3 分：无明显问题")


# (convention, total, band, label) — REFERENCE §5.2, both sides of every cut-off.
BAND_CASES = [
    ("cn5", 23, "none", "无风险"),
    ("cn5", 19, "none", "无风险"),
    ("cn5", 18, "low", "低危"),
    ("cn5", 15, "low", "低危"),
    ("cn5", 14, "moderate", "中危"),
    ("cn5", 13, "moderate", "中危"),
    ("cn5", 12, "high", "高危"),
    ("cn5", 10, "high", "高危"),
    ("cn5", 9, "very_high", "极高危"),
    ("cn5", 6, "very_high", "极高危"),
    ("simple", 23, "none", "无风险"),
    ("simple", 19, "none", "无风险"),
    ("simple", 18, "at_risk", "有风险"),
    ("simple", 13, "at_risk", "有风险"),
    ("simple", 12, "high", "高危"),
    ("simple", 6, "high", "高危"),
]


@pytest.mark.parametrize(("convention", "total", "band", "label"), BAND_CASES)
def test_bands(convention: str, total: int, band: str, label: str) -> None:
    out = SCALE.evaluate(with_total(total), {"convention": convention})
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    # REFERENCE §5.2: ≤ 18 is "at risk" in every convention.
    assert out.risks == (frozenset({Risk.PRESSURE}) if total <= 18 else frozenset())
    assert out.details["convention"] == convention


def test_default_convention() -> None:
    out = SCALE.evaluate(with_total(12))
    assert (out.band, out.band_label, out.details["convention"]) == ("high", "高危", "cn5")


def test_all_ones_and_all_max() -> None:
    assert SCALE.evaluate(dict.fromkeys(REF, 1)).total == 6
    assert SCALE.evaluate({c: mx for c, (_, mx) in REF.items()}).total == 23


# --------------------------------------------------------------------------- validation


def test_missing_item() -> None:
    answers = with_total(20)
    del answers["5"]
    with pytest.raises(ValueError, match="缺少评估条目：5 营养"):
        SCALE.evaluate(answers)


def test_unknown_item() -> None:
    with pytest.raises(ValueError, match="未知的评估条目：7"):
        SCALE.evaluate({**with_total(20), "7": 1})


@pytest.mark.parametrize(("code", "value"), [("1", 0), ("2", 5), ("6", 4), ("6", 0)])
def test_bad_value(code: str, value: int) -> None:
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(20), code: value})


@pytest.mark.parametrize("value", [True, 2.0, "2", None])
def test_non_int_value(value: object) -> None:
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_total(20), "2": value})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"convention": "cn"}, "未知的分级标准"),
        ({"convention": 5}, "未知的分级标准"),
        ({"other": 1}, "未知的评估背景信息"),
        (["cn5"], "映射"),
    ],
)
def test_bad_context(context: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCALE.evaluate(with_total(20), context)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


def ref_band(convention: str, total: int) -> str:
    """REFERENCE §5.2 written out."""
    if total >= 19:
        return "none"
    if convention == "simple":
        return "at_risk" if total >= 13 else "high"
    if total >= 15:
        return "low"
    if total >= 13:
        return "moderate"
    return "high" if total >= 10 else "very_high"


@given(answer_sets, conventions)
def test_total_and_band(answers: dict[str, int], convention: str | None) -> None:
    out = SCALE.evaluate(answers, ctx(convention))
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 6 <= out.total <= 23
    assert out.band == ref_band(convention or "cn5", out.total)
    assert (Risk.PRESSURE in out.risks) == (out.total <= 18)


@given(answer_sets, st.sampled_from(list(REF)), conventions)
def test_more_points_never_more_risk(
    answers: dict[str, int], code: str, convention: str | None
) -> None:
    if answers[code] == REF[code][1]:
        return
    better = {**answers, code: answers[code] + 1}
    order = ORDER[convention or "cn5"]
    before = SCALE.evaluate(answers, ctx(convention))
    after = SCALE.evaluate(better, ctx(convention))
    assert after.total == before.total + 1
    assert order.index(after.band) <= order.index(before.band)
