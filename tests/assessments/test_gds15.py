"""老年抑郁量表简版 GDS-15 (REFERENCE §5.5).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = worse: switching an item to its depressive answer never moves the band towards normal.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.gds15 import SCALE

YES, NO = 1, 0
CODES = [str(n) for n in range(1, 16)]
# REFERENCE §5.5: one point for "no" on these, for "yes" on all others.
REF_REVERSE = {"1", "5", "7", "11", "13"}
ORDER = {
    "sheikh": ["normal", "suggestive", "likely"],
    "severity": ["normal", "mild", "moderate", "severe"],
}


def depressive(code: str) -> int:
    return NO if code in REF_REVERSE else YES


def healthy(code: str) -> int:
    return YES if code in REF_REVERSE else NO


def with_total(total: int) -> dict[str, int]:
    """The first ``total`` items answered the depressive way, the rest the other way."""
    return {code: depressive(code) if i < total else healthy(code) for i, code in enumerate(CODES)}


answer_sets = st.fixed_dictionaries({c: st.sampled_from([YES, NO]) for c in CODES})
conventions = st.sampled_from([None, "sheikh", "severity"])


def ctx(convention: str | None) -> dict[str, str] | None:
    return None if convention is None else {"convention": convention}


def test_identity() -> None:
    assert SCALE.code == "gds15"
    assert SCALE.name == "老年抑郁量表简版（GDS-15）"
    assert SCALE.version and "§5.5" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 15, True)
    assert SCALE.default_convention == "sheikh"
    assert set(SCALE.band_tables) == {"sheikh", "severity"}


def test_stored_values_are_the_same_on_every_item() -> None:
    for q in SCALE.questions:
        assert [(o.value, o.label) for o in q.options] == [(YES, "是"), (NO, "否")]


@pytest.mark.parametrize("code", CODES)
def test_keys(code: str) -> None:
    q = SCALE.question(code)
    if code in REF_REVERSE:
        assert (q.option(YES).score, q.option(NO).score) == (0, 1)
    else:
        assert (q.option(YES).score, q.option(NO).score) == (1, 0)


def test_item_wording_spot_checks() -> None:
    assert SCALE.question("1").text == "您对生活基本上满意吗？"
    assert "精力充沛" in SCALE.question("13").text
    assert "毫无希望" in SCALE.question("14").text


def test_reverse_keyed_answers_by_hand() -> None:
    # Everyone answers "yes" to everything: 10 forward items score, 5 reverse items do not.
    assert SCALE.evaluate(dict.fromkeys(CODES, YES)).total == 10
    assert SCALE.evaluate(dict.fromkeys(CODES, NO)).total == 5
    only_1_no = {**dict.fromkeys(CODES, NO), "1": YES}
    assert SCALE.evaluate(only_1_no).total == 4


# (convention, total, band, label, depression) — REFERENCE §5.5, both sides of every cut-off.
BAND_CASES = [
    ("sheikh", 0, "normal", "正常（无抑郁）", False),
    ("sheikh", 5, "normal", "正常（无抑郁）", False),
    ("sheikh", 6, "suggestive", "提示抑郁（需随访）", True),
    ("sheikh", 9, "suggestive", "提示抑郁（需随访）", True),
    ("sheikh", 10, "likely", "几乎肯定抑郁", True),
    ("sheikh", 15, "likely", "几乎肯定抑郁", True),
    ("severity", 0, "normal", "正常", False),
    ("severity", 4, "normal", "正常", False),
    ("severity", 5, "mild", "轻度抑郁", True),
    ("severity", 8, "mild", "轻度抑郁", True),
    ("severity", 9, "moderate", "中度抑郁", True),
    ("severity", 11, "moderate", "中度抑郁", True),
    ("severity", 12, "severe", "重度抑郁", True),
    ("severity", 15, "severe", "重度抑郁", True),
]


@pytest.mark.parametrize(("convention", "total", "band", "label", "depression"), BAND_CASES)
def test_bands(convention: str, total: int, band: str, label: str, depression: bool) -> None:
    out = SCALE.evaluate(with_total(total), {"convention": convention})
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.DEPRESSION}) if depression else frozenset())


def test_conventions_disagree_at_five() -> None:
    assert SCALE.evaluate(with_total(5)).band == "normal"
    assert SCALE.evaluate(with_total(5), {"convention": "severity"}).band == "mild"


def test_details_points_are_keyed() -> None:
    out = SCALE.evaluate(dict.fromkeys(CODES, NO))
    assert out.details["points"] == {c: (1 if c in REF_REVERSE else 0) for c in CODES}


def test_validation() -> None:
    answers = with_total(0)
    del answers["15"]
    with pytest.raises(ValueError, match="缺少评估条目：15"):
        SCALE.evaluate(answers)
    with pytest.raises(ValueError, match="未知的评估条目：16"):
        SCALE.evaluate({**with_total(0), "16": YES})
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(0), "3": 2})
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_total(0), "3": "是"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="未知的分级标准"):
        SCALE.evaluate(with_total(0), {"convention": "gds30"})
    with pytest.raises(ValueError, match="未知的评估背景信息"):
        SCALE.evaluate(with_total(0), {"education": "primary"})


def ref_band(convention: str, total: int) -> str:
    """REFERENCE §5.5 written out."""
    if convention == "sheikh":
        return "normal" if total <= 5 else "suggestive" if total <= 9 else "likely"
    if total <= 4:
        return "normal"
    return "mild" if total <= 8 else "moderate" if total <= 11 else "severe"


@given(answer_sets, conventions)
def test_total_and_band(answers: dict[str, int], convention: str | None) -> None:
    out = SCALE.evaluate(answers, ctx(convention))
    expected = sum(1 for code, v in answers.items() if v == depressive(code))
    assert out.total == expected == SCALE.running_total(answers)
    assert 0 <= out.total <= 15
    assert out.band == ref_band(convention or "sheikh", expected)
    assert (Risk.DEPRESSION in out.risks) == (out.band != "normal")


@given(answer_sets, st.sampled_from(CODES), conventions)
def test_depressive_answer_never_improves(
    answers: dict[str, int], code: str, convention: str | None
) -> None:
    if answers[code] == depressive(code):
        return
    worse = {**answers, code: depressive(code)}
    order = ORDER[convention or "sheikh"]
    before = SCALE.evaluate(answers, ctx(convention))
    after = SCALE.evaluate(worse, ctx(convention))
    assert after.total == before.total + 1  # type: ignore[operator]
    assert order.index(after.band) >= order.index(before.band)
