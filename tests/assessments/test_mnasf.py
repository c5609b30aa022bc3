"""微型营养评定简表 MNA-SF (REFERENCE §5.6).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = better: one more point never moves the band towards malnutrition.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.mnasf import SCALE

# REFERENCE §5.6: code → allowed scores.  F1 (BMI) or F2 (calf), never both.
REF_COMMON = {
    "A": (0, 1, 2),
    "B": (0, 1, 2, 3),
    "C": (0, 1, 2),
    "D": (0, 2),
    "E": (0, 1, 2),
}
REF_F = {"F1": (0, 1, 2, 3), "F2": (0, 3)}
ORDER = ["normal", "at_risk", "malnourished"]


def with_total(total: int, f: str = "F1") -> dict[str, int]:
    items = {**REF_COMMON, f: REF_F[f]}
    for combo in itertools.product(*items.values()):
        if sum(combo) == total:
            return dict(zip(items, combo, strict=True))
    raise AssertionError(f"{total} cannot be scored with {f}")


def answer_sets() -> st.SearchStrategy[dict[str, int]]:
    common = {c: st.sampled_from(s) for c, s in REF_COMMON.items()}
    return st.one_of(
        st.fixed_dictionaries({**common, "F1": st.sampled_from(REF_F["F1"])}),
        st.fixed_dictionaries({**common, "F2": st.sampled_from(REF_F["F2"])}),
    )


def test_identity() -> None:
    assert SCALE.code == "mnasf"
    assert SCALE.name == "微型营养评定简表（MNA-SF）"
    assert SCALE.version and "§5.6" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 14, True)


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == ["A", "B", "C", "D", "E", "F1", "F2"]
    for q in SCALE.questions:
        scores = {**REF_COMMON, **REF_F}[q.code]
        assert tuple(o.value for o in q.options) == scores
        assert tuple(o.score for o in q.options) == scores
        assert q.required is (q.code not in REF_F)


def test_option_labels() -> None:
    assert SCALE.question("B").option(1).label == "1 分：不知道"
    assert SCALE.question("F1").option(3).label == "3 分：BMI≥23"
    assert SCALE.question("F2").option(0).label == "0 分：CC＜31"


# (total, band, label) — REFERENCE §5.6, both sides of every cut-off.
BAND_CASES = [
    (14, "normal", "营养正常"),
    (12, "normal", "营养正常"),
    (11, "at_risk", "有营养不良风险"),
    (8, "at_risk", "有营养不良风险"),
    (7, "malnourished", "营养不良"),
    (0, "malnourished", "营养不良"),
]


@pytest.mark.parametrize(("total", "band", "label"), BAND_CASES)
@pytest.mark.parametrize("f", ["F1", "F2"])
def test_bands(total: int, band: str, label: str, f: str) -> None:
    answers = with_total(total, f)
    out = SCALE.evaluate(answers)
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.MALNUTRITION}) if total <= 11 else frozenset())
    assert out.details["anthropometry"] == f
    assert out.details["points"] == answers


def test_calf_counts_three() -> None:
    common = {"A": 2, "B": 3, "C": 2, "D": 2, "E": 2}  # 11
    assert SCALE.evaluate({**common, "F2": 3}).total == 14
    assert SCALE.evaluate({**common, "F2": 0}).total == 11
    assert SCALE.evaluate({**common, "F1": 1}).total == 12


# --------------------------------------------------------------------------- F1 / F2


def test_neither_f1_nor_f2() -> None:
    answers = with_total(11, "F1")
    del answers["F1"]
    with pytest.raises(ValueError, match="F1 体重指数.*F2 小腿围.*其中一项"):
        SCALE.evaluate(answers)


def test_both_f1_and_f2() -> None:
    with pytest.raises(ValueError, match="只能回答其一"):
        SCALE.evaluate({**with_total(11, "F1"), "F2": 3})


def test_missing_reports_the_pair() -> None:
    answers = with_total(11, "F1")
    del answers["F1"]
    assert [q.code for q in SCALE.missing(answers)] == ["F1", "F2"]
    assert SCALE.missing({**answers, "F2": 0}) == []
    assert SCALE.missing({**answers, "F1": 0}) == []
    assert [q.code for q in SCALE.missing({"A": 2})] == ["B", "C", "D", "E", "F1", "F2"]


def test_other_validation() -> None:
    answers = with_total(11, "F1")
    del answers["D"]
    with pytest.raises(ValueError, match="缺少评估条目：D"):
        SCALE.evaluate(answers)
    with pytest.raises(ValueError, match="未知的评估条目：F3"):
        SCALE.evaluate({**with_total(11), "F3": 0})
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(11), "D": 1})
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(11, "F2"), "F2": 1})
    with pytest.raises(ValueError, match="未知的分级标准"):
        SCALE.evaluate(with_total(11), {"convention": "mna-full"})
    with pytest.raises(ValueError, match="未知的评估背景信息"):
        SCALE.evaluate(with_total(11), {"bmi": 22.5})


# --------------------------------------------------------------------------- properties


def ref_band(total: int) -> str:
    return "normal" if total >= 12 else "at_risk" if total >= 8 else "malnourished"


@given(answer_sets())
def test_total_and_band(answers: dict[str, int]) -> None:
    out = SCALE.evaluate(answers)
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 14
    assert out.band == ref_band(out.total)
    assert (Risk.MALNUTRITION in out.risks) == (out.total <= 11)


@given(answer_sets(), st.data())
def test_more_points_never_worse(answers: dict[str, int], data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(sorted(answers)))
    higher = [s for s in {**REF_COMMON, **REF_F}[code] if s > answers[code]]
    if not higher:
        return
    better = {**answers, code: data.draw(st.sampled_from(higher))}
    before, after = SCALE.evaluate(answers), SCALE.evaluate(better)
    assert after.total > before.total  # type: ignore[operator]
    assert ORDER.index(after.band) <= ORDER.index(before.band)
