"""老年人生活自理能力评估表 (REFERENCE §4.2).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = more dependent: one more point never moves the band towards 可自理.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.selfcare import SCALE

# REFERENCE §4.2: code → (item, the scores that exist — no 轻度依赖 level for 进餐 and 穿衣).
REF = {
    "1": ("进餐", (0, 3, 5)),
    "2": ("梳洗", (0, 1, 3, 7)),
    "3": ("穿衣", (0, 3, 5)),
    "4": ("如厕", (0, 1, 5, 10)),
    "5": ("活动", (0, 1, 5, 10)),
}
ORDER = ["independent", "mild", "moderate", "dependent"]


def with_total(total: int) -> dict[str, int]:
    for combo in itertools.product(*(s for _, s in REF.values())):
        if sum(combo) == total:
            return dict(zip(REF, combo, strict=True))
    raise AssertionError(f"{total} cannot be scored")


answer_sets = st.fixed_dictionaries({c: st.sampled_from(s) for c, (_, s) in REF.items()})


def test_identity() -> None:
    assert SCALE.code == "selfcare"
    assert SCALE.name == "老年人生活自理能力评估表"
    assert SCALE.version == "国家基本公共卫生服务规范（第三版）"
    assert "§4.2" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 37, True)


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, scores = REF[q.code]
        assert q.text == name
        assert tuple(o.value for o in q.options) == scores
        assert tuple(o.score for o in q.options) == scores


def test_option_texts() -> None:
    # The form's wording (REFERENCE §4.2 paraphrases it), with the column each score sits in.
    assert SCALE.question("1").option(3).label == "3 分（中度依赖）：需要协助，如切碎、搅拌食物等"
    assert SCALE.question("1").option(5).label == "5 分（不能自理）：完全需要帮助"
    assert SCALE.question("2").option(1).label.startswith("1 分（轻度依赖）：")
    assert "洗澡需要协助" in SCALE.question("2").option(1).label
    assert SCALE.question("4").option(10).label == "10 分（不能自理）：完全失禁，完全需要帮助"
    assert SCALE.question("5").option(10).label == "10 分（不能自理）：卧床不起，活动完全需要帮助"
    assert SCALE.question("5").option(0).label == "0 分（可自理）：独立完成所有活动"


@pytest.mark.parametrize(("code", "value"), [("1", 1), ("3", 1), ("2", 5), ("4", 3), ("5", 7)])
def test_levels_that_do_not_exist(code: str, value: int) -> None:
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(0), code: value})


# (total, band, label) — REFERENCE §4.2, both sides of every cut-off.
BAND_CASES = [
    (0, "independent", "可自理"),
    (3, "independent", "可自理"),
    (4, "mild", "轻度依赖"),
    (8, "mild", "轻度依赖"),
    (9, "moderate", "中度依赖"),
    (18, "moderate", "中度依赖"),
    (19, "dependent", "不能自理"),
    (37, "dependent", "不能自理"),
]


@pytest.mark.parametrize(("total", "band", "label"), BAND_CASES)
def test_bands(total: int, band: str, label: str) -> None:
    out = SCALE.evaluate(with_total(total))
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    dependent = band in {"moderate", "dependent"}
    assert out.risks == (frozenset({Risk.DEPENDENCY}) if dependent else frozenset())


def test_worked_example() -> None:
    # Bathing needs help (1), occasional incontinence (1), walks with a stick (1): 3 → 可自理.
    out = SCALE.evaluate({"1": 0, "2": 1, "3": 0, "4": 1, "5": 1})
    assert (out.total, out.band) == (3, "independent")
    out = SCALE.evaluate({"1": 0, "2": 1, "3": 3, "4": 1, "5": 1})
    assert (out.total, out.band) == (6, "mild")


def test_validation() -> None:
    answers = with_total(0)
    del answers["2"]
    with pytest.raises(ValueError, match="缺少评估条目：2 梳洗"):
        SCALE.evaluate(answers)
    with pytest.raises(ValueError, match="未知的评估条目：6"):
        SCALE.evaluate({**with_total(0), "6": 0})
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_total(0), "1": None})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="未知的分级标准"):
        SCALE.evaluate(with_total(0), {"convention": "self"})
    with pytest.raises(ValueError, match="未知的评估背景信息"):
        SCALE.evaluate(with_total(0), {"year": 2024})


def ref_band(total: int) -> str:
    if total <= 3:
        return "independent"
    return "mild" if total <= 8 else "moderate" if total <= 18 else "dependent"


@given(answer_sets)
def test_total_and_band(answers: dict[str, int]) -> None:
    out = SCALE.evaluate(answers)
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 37
    assert out.band == ref_band(out.total)


@given(answer_sets, st.sampled_from(list(REF)), st.data())
def test_more_points_never_less_dependent(
    answers: dict[str, int], code: str, data: st.DataObject
) -> None:
    higher = [s for s in REF[code][1] if s > answers[code]]
    if not higher:
        return
    worse = {**answers, code: data.draw(st.sampled_from(higher))}
    before, after = SCALE.evaluate(answers), SCALE.evaluate(worse)
    assert after.total > before.total  # type: ignore[operator]
    assert ORDER.index(after.band) >= ORDER.index(before.band)
