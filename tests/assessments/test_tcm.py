"""中医体质辨识 (REFERENCE §4.3).

Expected values are written literally from REFERENCE, never computed by the code under test;
the property tests compare with REF_GROUPS / ref_judge below, an independent copy of the tables.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments import tcm
from yiyang.assessments.instruments.tcm import (
    SCALE,
    Judgement,
    constitution_scores,
    judge,
    judge_balanced,
    judge_biased,
)

CODES = [str(n) for n in range(1, 34)]
# REFERENCE §4.3: key → (name, items, reverse items).
REF_GROUPS = {
    "pinghe": ("平和质", (1, 2, 4, 5, 13), {2, 4, 5, 13}),
    "qixu": ("气虚质", (2, 3, 4, 14), set()),
    "yangxu": ("阳虚质", (11, 12, 13, 29), set()),
    "yinxu": ("阴虚质", (10, 21, 26, 31), set()),
    "tanshi": ("痰湿质", (9, 16, 28, 32), set()),
    "shire": ("湿热质", (23, 25, 27, 30), set()),
    "xueyu": ("血瘀质", (19, 22, 24, 33), set()),
    "qiyu": ("气郁质", (5, 6, 7, 8), set()),
    "tebing": ("特禀质", (15, 17, 18, 20), set()),
}
BIASED_KEYS = [k for k in REF_GROUPS if k != "pinghe"]
YES, LEAN, BASIC, NO = Judgement.YES, Judgement.LEANING, Judgement.BASICALLY, Judgement.NO
RANK = {NO: 0, LEAN: 1, BASIC: 1, YES: 2}

answer_sets = st.fixed_dictionaries({c: st.integers(1, 5) for c in CODES})


def ans(**changes: int) -> dict[str, int]:
    """All answers 1 (没有), then ``q<n>=value`` changes."""
    answers = dict.fromkeys(CODES, 1)
    for name, value in changes.items():
        answers[name.removeprefix("q")] = value
    return answers


def ref_scores(answers: dict[str, int]) -> dict[str, int]:
    return {
        key: sum(6 - answers[str(n)] if n in rev else answers[str(n)] for n in items)
        for key, (_, items, rev) in REF_GROUPS.items()
    }


def ref_judge(scores: dict[str, int]) -> dict[str, Judgement]:
    """REFERENCE §4.3 "Judgement" written out."""
    found = {k: YES if scores[k] >= 11 else LEAN if scores[k] >= 9 else NO for k in BIASED_KEYS}
    worst = max(scores[k] for k in BIASED_KEYS)
    if scores["pinghe"] >= 17 and worst <= 8:
        found["pinghe"] = YES
    elif scores["pinghe"] >= 17 and worst <= 10:
        found["pinghe"] = BASIC
    else:
        found["pinghe"] = NO
    return found


# --------------------------------------------------------------------------- the data


def test_identity() -> None:
    assert SCALE.code == "tcm"
    assert SCALE.name == "中医体质辨识（老年人中医药健康管理）"
    assert "国家基本公共卫生服务规范（第三版）" in SCALE.version
    assert "§4.3" in SCALE.source
    assert SCALE.additive is False
    assert SCALE.max_total is None


def test_questions() -> None:
    assert [q.code for q in SCALE.questions] == CODES
    for q in SCALE.questions:
        assert [o.value for o in q.options] == [1, 2, 3, 4, 5]
        assert all(o.score == o.value for o in q.options)
    assert SCALE.question("1").text == "您精力充沛吗？"
    assert SCALE.question("33").text == "您舌下静脉瘀紫或增粗吗？"
    assert "调查员" in SCALE.question("32").hint


def test_frequency_labels() -> None:
    labels = [o.label for o in SCALE.question("2").options]
    assert [label[:2] for label in labels] == ["没有", "很少", "有时", "经常", "总是"]


def test_anchor_labels() -> None:
    # REFERENCE §4.3 "Answers": the four measurable anchors.
    assert [o.label for o in SCALE.question("9").options] == [
        "BMI＜24",
        "24≤BMI＜25",
        "25≤BMI＜26",
        "26≤BMI＜28",
        "BMI≥28",
    ]
    q14 = [o.label for o in SCALE.question("14").options]
    assert q14[0] == "一年＜2 次"
    assert "2～4" in q14[1] and "5～6" in q14[2]
    assert "7 次" in q14[3]  # the form's gap at 7 is folded into 4
    assert "每月" in q14[4]
    q17 = [o.label for o in SCALE.question("17").options]
    assert q17[0] == "从来没有" and "1～2" in q17[1] and "3～4" in q17[2] and "5～6" in q17[3]
    q28 = [o.label for o in SCALE.question("28").options]
    assert "＜80 cm" in q28[0] and "80～85 cm" in q28[1] and "86～90 cm" in q28[2]
    assert "91～105 cm" in q28[3] and "＞105 cm" in q28[4]


def test_groups_match_the_reference() -> None:
    assert [c.key for c in tcm.CONSTITUTIONS] == list(REF_GROUPS)
    for c in tcm.CONSTITUTIONS:
        name, items, reverse = REF_GROUPS[c.key]
        assert (c.name, c.items, set(c.reverse)) == (name, items, reverse)


# --------------------------------------------------------------------------- scoring


def test_scores_all_ones() -> None:
    # 平和质 = 1 + (6−1)×4 = 21; each 偏颇 type = 4.
    assert constitution_scores(ans()) == {"pinghe": 21, **dict.fromkeys(BIASED_KEYS, 4)}


def test_scores_all_fives_and_threes() -> None:
    assert constitution_scores(dict.fromkeys(CODES, 5)) == {
        "pinghe": 9,  # 5 + (6−5)×4
        **dict.fromkeys(BIASED_KEYS, 20),
    }
    assert constitution_scores(dict.fromkeys(CODES, 3)) == {
        "pinghe": 15,  # 3 stays 3 when reversed
        **dict.fromkeys(BIASED_KEYS, 12),
    }


def test_reverse_items_by_hand() -> None:
    # q2 = 4 reversed is 2: 平和质 1 + 2 + 5 + 5 + 5 = 18; 气虚质 4 + 1 + 1 + 1 = 7.
    scores = constitution_scores(ans(q2=4))
    assert (scores["pinghe"], scores["qixu"]) == (18, 7)
    # q5 = 5 reversed is 1: 平和质 17; 气郁质 8.
    scores = constitution_scores(ans(q5=5))
    assert (scores["pinghe"], scores["qiyu"]) == (17, 8)


# --------------------------------------------------------------------------- judgement tables


@pytest.mark.parametrize(
    ("score", "expected"),
    [(4, NO), (8, NO), (9, LEAN), (10, LEAN), (11, YES), (20, YES)],
)
def test_judge_biased(score: int, expected: Judgement) -> None:
    assert judge_biased(score) is expected


# (平和 score, the other eight, expected) — REFERENCE §4.3.
BALANCED_CASES = [
    (17, [8] * 8, YES),
    (25, [4] * 8, YES),
    (16, [4] * 8, NO),
    (17, [9] + [4] * 7, BASIC),
    (17, [10] * 8, BASIC),
    (17, [11] + [4] * 7, NO),
    (25, [4] * 7 + [11], NO),
    (16, [9] + [4] * 7, NO),
    (5, [4] * 8, NO),
]


@pytest.mark.parametrize(("score", "others", "expected"), BALANCED_CASES)
def test_judge_balanced(score: int, others: list[int], expected: Judgement) -> None:
    assert judge_balanced(score, others) is expected


@pytest.mark.parametrize("score", [3, 21, True, 9.0, "9"])
def test_judge_biased_rejects(score: object) -> None:
    with pytest.raises(ValueError, match="得分"):
        judge_biased(score)  # type: ignore[arg-type]


def test_judge_balanced_rejects() -> None:
    with pytest.raises(ValueError, match="平和质得分 4 不在 5–25"):
        judge_balanced(4, [4] * 8)
    with pytest.raises(ValueError, match="得分 21 不在 4–20"):
        judge_balanced(20, [21])


def test_judge_needs_all_nine() -> None:
    with pytest.raises(ValueError, match="缺少体质得分：特禀质"):
        judge({"pinghe": 20, **dict.fromkeys(BIASED_KEYS[:-1], 4)})


def test_judgement_labels() -> None:
    assert [j.label for j in (YES, LEAN, BASIC, NO)] == ["是", "倾向是", "基本是", "否"]


# --------------------------------------------------------------------------- evaluate


def test_balanced() -> None:
    out = SCALE.evaluate(ans())
    assert out.total is None
    assert (out.band, out.band_label, out.summary) == ("pinghe", "平和质", "平和质 21 分")
    assert out.risks == frozenset()
    assert out.details["balanced"] == "yes"
    assert out.details["yes"] == [] and out.details["leaning"] == []


# 平和质 21 with 气虚质 (items 3 and 14 raised) at 8 / 9 / 10 / 11.
@pytest.mark.parametrize(
    ("q3", "q14", "qixu", "band", "label", "balanced", "qixu_judgement"),
    [
        (3, 3, 8, "pinghe", "平和质", "yes", "no"),
        (3, 4, 9, "pinghe_basic", "基本是平和质；倾向：气虚质", "basically", "leaning"),
        (4, 4, 10, "pinghe_basic", "基本是平和质；倾向：气虚质", "basically", "leaning"),
        (4, 5, 11, "biased", "气虚质", "no", "yes"),
    ],
)
def test_balanced_with_another_type(
    q3: int, q14: int, qixu: int, band: str, label: str, balanced: str, qixu_judgement: str
) -> None:
    out = SCALE.evaluate(ans(q3=q3, q14=q14))
    rows = {row["key"]: row for row in out.details["constitutions"]}
    assert rows["pinghe"]["score"] == 21
    assert rows["qixu"]["score"] == qixu
    assert (out.band, out.band_label) == (band, label)
    assert out.details["balanced"] == balanced
    assert rows["qixu"]["judgement"] == qixu_judgement


def test_balanced_basically_summary() -> None:
    out = SCALE.evaluate(ans(q3=3, q14=4))
    assert out.summary == "基本是平和质 21 分；倾向：气虚质 9 分"
    rows = {row["key"]: row for row in out.details["constitutions"]}
    assert (rows["pinghe"]["judgement"], rows["pinghe"]["judgement_label"]) == (
        "basically",
        "基本是",
    )


def test_balanced_edge_16_17() -> None:
    # q1 1, q2/q4/q5/q13 at 2 → 平和质 1+4+4+4+4 = 17, others ≤ 8 → 是.
    out = SCALE.evaluate(ans(q2=2, q4=2, q5=2, q13=2))
    assert (out.band, out.summary) == ("pinghe", "平和质 17 分")
    # q13 at 3 → 平和质 16 → 否; nothing else reaches 9.
    out = SCALE.evaluate(ans(q2=2, q4=2, q5=2, q13=3))
    assert (out.band, out.band_label, out.summary) == (
        "undetermined",
        "未判定出体质类型",
        "未判定出体质类型",
    )
    assert out.details["balanced"] == "no"


def test_several_types_with_leaning() -> None:
    # 气虚质 1+5+1+5 = 12; 阳虚质 4+4+1+4 = 13; 痰湿质 3+3+3+1 = 10; 平和质 21 but others > 10.
    out = SCALE.evaluate(ans(q3=5, q14=5, q11=4, q12=4, q29=4, q9=3, q16=3, q28=3))
    assert out.band == "biased"
    assert out.band_label == "气虚质、阳虚质；倾向：痰湿质"
    assert out.summary == "气虚质 12 分、阳虚质 13 分；倾向：痰湿质 10 分"
    assert out.details["yes"] == ["qixu", "yangxu"]
    assert out.details["leaning"] == ["tanshi"]
    assert out.details["balanced"] == "no"


def test_leaning_only() -> None:
    # 平和质 16 (not 17) and 痰湿质 3+3+3+1 = 10.
    out = SCALE.evaluate(ans(q2=2, q4=2, q5=2, q13=3, q9=3, q16=3, q28=3))
    assert (out.band, out.band_label) == ("leaning", "倾向：痰湿质")
    assert out.summary == "倾向：痰湿质 10 分"


def test_details_list_every_constitution() -> None:
    out = SCALE.evaluate(dict.fromkeys(CODES, 3))
    rows = out.details["constitutions"]
    assert [r["name"] for r in rows] == [name for name, _, _ in REF_GROUPS.values()]
    assert rows[0] == {
        "key": "pinghe",
        "name": "平和质",
        "score": 15,
        "judgement": "no",
        "judgement_label": "否",
    }
    assert all((r["score"], r["judgement_label"]) == (12, "是") for r in rows[1:])
    assert out.band_label == "气虚质、阳虚质、阴虚质、痰湿质、湿热质、血瘀质、气郁质、特禀质"


# --------------------------------------------------------------------------- validation


def test_validation() -> None:
    answers = ans()
    del answers["33"]
    with pytest.raises(ValueError, match="缺少评估条目：33"):
        SCALE.evaluate(answers)
    with pytest.raises(ValueError, match="未知的评估条目：34"):
        SCALE.evaluate({**ans(), "34": 1})
    for bad in (0, 6):
        with pytest.raises(ValueError, match="不在允许范围"):
            SCALE.evaluate(ans(q14=bad))
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**ans(), "9": "3"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="未知的分级标准"):
        SCALE.evaluate(ans(), {"convention": "lt8"})
    with pytest.raises(ValueError, match="未知的评估背景信息"):
        SCALE.evaluate(ans(), {"bmi": 23})
    with pytest.raises(ValueError, match="映射"):
        SCALE.evaluate(ans(), ["standard"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


@given(answer_sets)
def test_scores_and_judgements(answers: dict[str, int]) -> None:
    scores = constitution_scores(answers)
    assert scores == ref_scores(answers)
    assert 5 <= scores["pinghe"] <= 25
    assert all(4 <= scores[k] <= 20 for k in BIASED_KEYS)
    expected = ref_judge(scores)
    assert judge(scores) == expected
    out = SCALE.evaluate(answers)
    assert out.total is None
    assert out.details["yes"] == [k for k in BIASED_KEYS if expected[k] is YES]
    assert out.details["leaning"] == [k for k in BIASED_KEYS if expected[k] is LEAN]
    if expected["pinghe"] is YES:
        assert out.band == "pinghe" and not out.details["yes"] and not out.details["leaning"]
    if expected["pinghe"] is BASIC:
        assert not out.details["yes"]


@given(answer_sets, st.sampled_from(BIASED_KEYS), st.data())
def test_raising_an_item_never_lowers_its_type(
    answers: dict[str, int], key: str, data: st.DataObject
) -> None:
    # Higher answer = more of that constitution's trait: its judgement never goes down.
    item = str(data.draw(st.sampled_from(REF_GROUPS[key][1])))
    if answers[item] == 5:
        return
    raised = {**answers, item: answers[item] + 1}
    before = judge(constitution_scores(answers))[key]
    after = judge(constitution_scores(raised))[key]
    assert RANK[after] >= RANK[before]


@given(answer_sets)
def test_more_energy_never_lowers_balanced(answers: dict[str, int]) -> None:
    # q1 (精力充沛) counts only towards 平和质, forwards.
    if answers["1"] == 5:
        return
    before = judge(constitution_scores(answers))["pinghe"]
    after = judge(constitution_scores({**answers, "1": answers["1"] + 1}))["pinghe"]
    assert RANK[after] >= RANK[before]


def test_module_is_pure() -> None:
    tree = ast.parse(Path(tcm.__file__).read_text(encoding="utf-8"))
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith("django") for m in modules), modules
