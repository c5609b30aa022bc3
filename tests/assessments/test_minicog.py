"""Mini-Cog 认知筛查 (REFERENCE §5.4).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = better: more points never turn a negative screen positive.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.minicog import SCALE

# REFERENCE §5.4: recall 0–3 (one per word), clock 2 normal / 0 abnormal.
REF = {"1": ("三词回忆", (0, 1, 2, 3)), "2": ("画钟试验", (2, 0))}
ORDER = ["negative", "positive"]

answer_sets = st.fixed_dictionaries({c: st.sampled_from(s) for c, (_, s) in REF.items()})


def test_identity() -> None:
    assert SCALE.code == "minicog"
    assert SCALE.name == "Mini-Cog 认知筛查"
    assert SCALE.version and "§5.4" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 5, True)
    assert SCALE.default_convention in SCALE.band_tables


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, scores = REF[q.code]
        assert q.text == name
        assert tuple(o.value for o in q.options) == scores
        assert tuple(o.score for o in q.options) == scores


def test_clock_has_no_one() -> None:
    with pytest.raises(ValueError, match="2 画钟试验 的答案 1 不在允许范围"):
        SCALE.evaluate({"1": 3, "2": 1})


# (recall, clock, total, band, label) — REFERENCE §5.4: 0–2 positive, 3–5 negative.
CASES = [
    (3, 2, 5, "negative", "筛查阴性"),
    (1, 2, 3, "negative", "筛查阴性"),
    (3, 0, 3, "negative", "筛查阴性"),
    (0, 2, 2, "positive", "筛查阳性（可能存在认知障碍）"),
    (2, 0, 2, "positive", "筛查阳性（可能存在认知障碍）"),
    (1, 0, 1, "positive", "筛查阳性（可能存在认知障碍）"),
    (0, 0, 0, "positive", "筛查阳性（可能存在认知障碍）"),
]


@pytest.mark.parametrize(("recall", "clock", "total", "band", "label"), CASES)
def test_bands(recall: int, clock: int, total: int, band: str, label: str) -> None:
    out = SCALE.evaluate({"1": recall, "2": clock})
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.COGNITIVE}) if band == "positive" else frozenset())
    assert out.details["points"] == {"1": recall, "2": clock}


def test_missing_and_unknown() -> None:
    with pytest.raises(ValueError, match="缺少评估条目：2 画钟试验"):
        SCALE.evaluate({"1": 3})
    with pytest.raises(ValueError, match="未知的评估条目：3"):
        SCALE.evaluate({"1": 3, "2": 2, "3": 0})
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({"1": 4, "2": 2})
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({"1": "3", "2": 2})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("context", "message"),
    [({"convention": "strict"}, "未知的分级标准"), ({"x": 1}, "未知的评估背景信息"), (1, "映射")],
)
def test_bad_context(context: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCALE.evaluate({"1": 3, "2": 2}, context)  # type: ignore[arg-type]


@given(answer_sets)
def test_total_and_band(answers: dict[str, int]) -> None:
    out = SCALE.evaluate(answers)
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 5
    assert out.band == ("positive" if out.total <= 2 else "negative")


@given(answer_sets, st.sampled_from(list(REF)), st.data())
def test_more_points_never_worse(answers: dict[str, int], code: str, data: st.DataObject) -> None:
    higher = [s for s in REF[code][1] if s > answers[code]]
    if not higher:
        return
    better = {**answers, code: data.draw(st.sampled_from(higher))}
    before, after = SCALE.evaluate(answers), SCALE.evaluate(better)
    assert ORDER.index(after.band) <= ORDER.index(before.band)
