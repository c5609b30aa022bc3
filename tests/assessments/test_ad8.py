"""AD8 认知障碍筛查 (REFERENCE §5.4).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = worse: one more "yes" never moves the band towards "normal".
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.ad8 import SCALE
from yiyang.assessments.instruments.base import Risk

CODES = [str(n) for n in range(1, 9)]
# Stored value → (label, points); REFERENCE §5.4: yes = 1, no / don't know = 0.
YES, NO, DONT_KNOW = 1, 0, 9
REF_OPTIONS = {YES: ("是（有改变）", 1), NO: ("否（无改变）", 0), DONT_KNOW: ("不知道", 0)}
ORDER = ["normal", "likely"]

answer_sets = st.fixed_dictionaries({c: st.sampled_from([YES, NO, DONT_KNOW]) for c in CODES})


def with_yes(count: int, rest: int = NO) -> dict[str, int]:
    return {code: YES if i < count else rest for i, code in enumerate(CODES)}


def test_identity() -> None:
    assert SCALE.code == "ad8"
    assert SCALE.name == "AD8 认知障碍筛查（知情者问卷）"
    assert SCALE.version and "§5.4" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 8, True)


def test_items() -> None:
    assert [q.code for q in SCALE.questions] == CODES
    for q in SCALE.questions:
        assert {o.value: (o.label, o.score) for o in q.options} == REF_OPTIONS
    assert "判断力" in SCALE.question("1").text
    assert "月份或年份" in SCALE.question("5").text
    assert "约定" in SCALE.question("7").text


# (yes answers, total, band, label) — REFERENCE §5.4: ≥2 likely.
CASES = [
    (0, 0, "normal", "未提示认知障碍"),
    (1, 1, "normal", "未提示认知障碍"),
    (2, 2, "likely", "可能存在认知障碍（建议进一步评估）"),
    (8, 8, "likely", "可能存在认知障碍（建议进一步评估）"),
]


@pytest.mark.parametrize(("yes", "total", "band", "label"), CASES)
@pytest.mark.parametrize("rest", [NO, DONT_KNOW])
def test_bands(yes: int, total: int, band: str, label: str, rest: int) -> None:
    out = SCALE.evaluate(with_yes(yes, rest))
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.COGNITIVE}) if band == "likely" else frozenset())


def test_dont_know_scores_zero_but_is_recorded() -> None:
    answers = with_yes(1, DONT_KNOW)
    out = SCALE.evaluate(answers)
    assert out.total == 1
    assert out.details["dont_know"] == CODES[1:]
    assert SCALE.evaluate(with_yes(1)).details["dont_know"] == []


def test_validation() -> None:
    answers = with_yes(0)
    del answers["8"]
    with pytest.raises(ValueError, match="缺少评估条目：8"):
        SCALE.evaluate(answers)
    with pytest.raises(ValueError, match="未知的评估条目：9"):
        SCALE.evaluate({**with_yes(0), "9": NO})
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_yes(0), "1": 2})
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_yes(0), "1": True})
    with pytest.raises(ValueError, match="未知的分级标准"):
        SCALE.evaluate(with_yes(0), {"convention": "ad8"})
    with pytest.raises(ValueError, match="未知的评估背景信息"):
        SCALE.evaluate(with_yes(0), {"informant": "女儿"})


@given(answer_sets)
def test_total_and_band(answers: dict[str, int]) -> None:
    out = SCALE.evaluate(answers)
    yes = sum(1 for v in answers.values() if v == YES)
    assert out.total == yes == SCALE.running_total(answers)
    assert 0 <= out.total <= 8
    assert out.band == ("likely" if yes >= 2 else "normal")


@given(answer_sets, st.sampled_from(CODES))
def test_a_change_never_improves(answers: dict[str, int], code: str) -> None:
    if answers[code] == YES:
        return
    worse = {**answers, code: YES}
    before, after = SCALE.evaluate(answers), SCALE.evaluate(worse)
    assert after.total == before.total + 1  # type: ignore[operator]
    assert ORDER.index(after.band) >= ORDER.index(before.band)
