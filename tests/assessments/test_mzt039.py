"""Tests for yiyang.assessments.instruments.mzt039 (MZ/T 039-2013, REFERENCE §2.6).

No Django, no database.  Expected values are written by hand from REFERENCE §2.6 — the item
scores, the dimension grade bands, the 4-level table and the change clauses — never computed by
the code under test.  Answer sets are built from the independent copy REF_ITEMS below.

Monotonicity finding (see the tests at the end): on the 247 of 256 grade combinations where a row
of the 2013 table matches, evaluating from 重度 downward (first match = highest matching row) never
gives a lower level for a worse grade.  The table itself breaks it in two ways: its 9 gaps (e.g.
(ADL, M, S, P) = (0, 0, 0, 2) is 1 轻度失能 but (0, 0, 0, 3) matches no row), filled by
GAP_LEVELS so that the property holds everywhere; and its overlaps, which would break it if the
table were read from 完好 upward (first match = lowest matching row): (2, 2, 2, 2) → 3 but
(2, 2, 2, 3) → 2.  Reading the ADL 1 row's "one of them 3" as "exactly one" would break it too:
(1, 3, 0, 0) → 2 but (1, 3, 3, 0) → 1.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments import barthel, mzt039, registry
from yiyang.assessments.instruments.mzt039 import (
    GAP_LEVELS,
    LEVEL_NAMES,
    VERSION,
    Assessment,
    ChangeClause,
    adl_grade,
    initial_level,
    matching_rows,
    mental_grade,
    perception_grade,
    score,
    social_grade,
)

# REFERENCE §2.6: item → allowed scores, per dimension.
REF_ADL = {
    "进食": (10, 5, 0),
    "洗澡": (5, 0),
    "修饰": (5, 0),
    "穿衣": (10, 5, 0),
    "大便控制": (10, 5, 0),
    "小便控制": (10, 5, 0),
    "如厕": (10, 5, 0),
    "床椅转移": (15, 10, 5, 0),
    "平地行走": (15, 10, 5, 0),
    "上下楼梯": (10, 5, 0),
}
REF_MENTAL = {"认知功能": (0, 1, 2), "攻击行为": (0, 1, 2), "抑郁症状": (0, 1, 2)}
REF_PERCEPTION = {
    "意识水平": (0, 1, 2, 3),
    "视力": (0, 1, 2, 3, 4),
    "听力": (0, 1, 2, 3, 4),
    "沟通交流": (0, 1, 2, 3),
}
REF_SOCIAL = dict.fromkeys(
    ("生活能力", "工作能力", "时间/空间定向", "人物定向", "社会交往能力"), (0, 1, 2, 3, 4)
)
REF_ITEMS = {**REF_ADL, **REF_MENTAL, **REF_PERCEPTION, **REF_SOCIAL}
WORSE_IS_HIGHER = {**REF_MENTAL, **REF_PERCEPTION, **REF_SOCIAL}

# REFERENCE §2.6 level labels.
REF_LEVELS = {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能"}


def _fill(ref: dict[str, tuple[int, ...]], total: int, *, greedy_high: bool) -> dict[str, int]:
    answers = dict.fromkeys(ref, 0)
    left = total
    for name, scores in ref.items():
        take = max(s for s in scores if s <= left) if greedy_high else 0
        answers[name] = take
        left -= take
    assert left == 0, total
    return answers


def items(
    adl: int = 100,
    mental: int = 0,
    perception: tuple[int, int, int, int] = (0, 0, 0, 0),
    social: int = 0,
) -> dict[str, int]:
    """An answer set with the given ADL total, 精神状态 total, 感知觉与沟通 items
    (意识水平, 视力, 听力, 沟通交流) and 社会参与 total — built from REF_* alone."""
    out = _fill(REF_ADL, adl, greedy_high=True)
    out |= _fill(REF_MENTAL, mental, greedy_high=True)
    out |= dict(zip(REF_PERCEPTION, perception, strict=True))
    out |= _fill(REF_SOCIAL, social, greedy_high=True)
    assert sum(out[n] for n in REF_ADL) == adl
    return out


def run(answers: dict[str, int], **kw: object) -> Assessment:
    args: dict[str, object] = {"coma": False, "dementia_or_mental": False, "risk_events_30d": 0}
    args.update(kw)
    return score(answers, **args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- module shape


def test_items_match_reference() -> None:
    assert dict(mzt039.ITEMS) == {k: frozenset(v) for k, v in REF_ITEMS.items()}
    assert len(mzt039.ITEMS) == 22  # REFERENCE §2.6: 4 dimensions, 22 items


def test_level_and_grade_labels() -> None:
    assert dict(LEVEL_NAMES) == REF_LEVELS
    assert dict(mzt039.GRADE_NAMES) == {0: "完好", 1: "轻度受损", 2: "中度受损", 3: "重度受损"}
    assert VERSION == "MZ/T 039-2013"


def test_reuses_barthel_mzt039_table() -> None:
    assert mzt039.ADL_TABLE is barthel.MZT039


def test_docstring_marks_superseded() -> None:
    doc = mzt039.__doc__ or ""
    assert "GB/T 42195-2022" in doc and "Superseded" in doc and "legacy" in doc
    assert "§2.6" in doc


def test_pure_python_and_not_registered() -> None:
    tree = ast.parse(Path(mzt039.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m.split(".")[0] in {"django", "yiyang"} for m in modules), modules
    assert "mzt039" not in registry._MODULES
    assert not hasattr(mzt039, "SCALE")


def test_result_is_frozen() -> None:
    result = run(items())
    with pytest.raises(AttributeError):
        result.final_level = 3  # type: ignore[misc]


# --------------------------------------------------------------------------- dimension grades

# REFERENCE §2.6 日常生活活动: 0: 100; 1: 65–95; 2: 45–60; 3: ≤40.
ADL_CASES = [(100, 0), (95, 1), (65, 1), (60, 2), (45, 2), (40, 3), (5, 3), (0, 3)]


@pytest.mark.parametrize(("total", "grade"), ADL_CASES)
def test_adl_grade(total: int, grade: int) -> None:
    assert adl_grade(total) == grade
    result = run(items(adl=total))
    assert (result.adl_total, result.adl_grade) == (total, grade)


# REFERENCE §2.6 精神状态: 0: 0; 1: 1; 2: 2–3; 3: 4–6.
MENTAL_CASES = [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 3)]


@pytest.mark.parametrize(("total", "grade"), MENTAL_CASES)
def test_mental_grade(total: int, grade: int) -> None:
    assert mental_grade(total) == grade
    result = run(items(mental=total), dementia_or_mental=total >= 2)
    assert (result.mental_total, result.mental_grade) == (total, grade)


# REFERENCE §2.6 社会参与: 0: 0–2; 1: 3–7; 2: 8–13; 3: 14–20.
SOCIAL_CASES = [(0, 0), (2, 0), (3, 1), (7, 1), (8, 2), (13, 2), (14, 3), (20, 3)]


@pytest.mark.parametrize(("total", "grade"), SOCIAL_CASES)
def test_social_grade(total: int, grade: int) -> None:
    assert social_grade(total) == grade
    result = run(items(social=total))
    assert (result.social_total, result.social_grade) == (total, grade)


# REFERENCE §2.6 感知觉与沟通, (意识水平, 视力, 听力, 沟通交流) → grade:
# 0: alert, vision and hearing 0–1, communication 0;
# 1: alert, vision or hearing 2, or communication 1;
# 2: alert with vision or hearing 3 or communication 2, or somnolent with vision/hearing ≤3 and
#    communication ≤2;
# 3: alert or somnolent with vision or hearing 4 or communication 3, or stupor/coma.
PERCEPTION_CASES = [
    ((0, 0, 0, 0), 0),
    ((0, 1, 1, 0), 0),
    ((0, 2, 0, 0), 1),
    ((0, 0, 2, 0), 1),
    ((0, 0, 0, 1), 1),
    ((0, 2, 2, 1), 1),
    ((0, 3, 0, 0), 2),
    ((0, 0, 3, 0), 2),
    ((0, 0, 0, 2), 2),
    ((0, 3, 3, 2), 2),
    ((1, 0, 0, 0), 2),
    ((1, 3, 3, 2), 2),
    ((0, 4, 0, 0), 3),
    ((0, 0, 4, 0), 3),
    ((0, 0, 0, 3), 3),
    ((1, 4, 0, 0), 3),
    ((1, 0, 4, 0), 3),
    ((1, 0, 0, 3), 3),
    ((2, 0, 0, 0), 3),  # 昏睡 (stupor)
    ((3, 0, 0, 0), 3),  # 昏迷 (coma)
]


@pytest.mark.parametrize(("values", "grade"), PERCEPTION_CASES)
def test_perception_grade(values: tuple[int, int, int, int], grade: int) -> None:
    assert perception_grade(*values) == grade
    result = run(items(perception=values), coma=values[0] == 3)
    assert result.perception_grade == grade


# --------------------------------------------------------------------------- overall table

# (ADL, M, S, P) → (rows of the REFERENCE §2.6 table that hold, initial level by first match
# from 重度 downward).  One or more cases per clause of every row.
TABLE_CASES = [
    # 0 能力完好: ADL, M, S all 0, and P 0 or 1.
    ((0, 0, 0, 0), {0}, 0),
    ((0, 0, 0, 1), {0}, 0),
    # 1 轻度失能: ADL 0 and (M or S ≥ 1, or P = 2) …
    ((0, 1, 0, 0), {1}, 1),
    ((0, 0, 1, 0), {1}, 1),
    ((0, 0, 0, 2), {1}, 1),
    ((0, 3, 3, 3), {1}, 1),
    ((0, 3, 0, 0), {1}, 1),
    # … or ADL 1 and at least one of M, S, P is 0 or 1.
    ((1, 0, 0, 0), {1}, 1),
    ((1, 1, 2, 2), {1}, 1),
    ((1, 2, 2, 1), {1}, 1),
    ((1, 2, 0, 2), {1}, 1),
    # 2 中度失能: ADL 1 and M, S, P all 2 …
    ((1, 2, 2, 2), {2}, 2),
    # … or ADL 1 and one of them 3 (also matches row 1 when another is 0 or 1 → first match 2) …
    ((1, 3, 0, 0), {1, 2}, 2),
    ((1, 0, 3, 1), {1, 2}, 2),
    ((1, 2, 2, 3), {2}, 2),
    ((1, 3, 3, 0), {1, 2}, 2),
    ((1, 3, 3, 3), {2}, 2),
    # … or ADL 2 and one or two of M, S, P are 1 or 2.
    ((2, 1, 0, 0), {2}, 2),
    ((2, 0, 0, 2), {2}, 2),
    ((2, 2, 2, 0), {2}, 2),
    ((2, 0, 1, 2), {2}, 2),
    # 3 重度失能: ADL 3 …
    ((3, 0, 0, 0), {3}, 3),
    ((3, 3, 3, 3), {3}, 3),
    # … or ADL, M, S, P all 2 …
    ((2, 2, 2, 2), {3}, 3),
    # … or ADL 2 and at least one of M, S, P is 3 (with one or two others 1–2 also row 2).
    ((2, 3, 0, 0), {3}, 3),
    ((2, 0, 0, 3), {3}, 3),
    ((2, 3, 3, 3), {3}, 3),
    ((2, 3, 1, 0), {2, 3}, 3),
    ((2, 2, 2, 3), {2, 3}, 3),
]


@pytest.mark.parametrize(("grades", "rows", "level"), TABLE_CASES)
def test_overall_table(grades: tuple[int, int, int, int], rows: set[int], level: int) -> None:
    assert matching_rows(*grades) == rows
    assert initial_level(*grades) == level


# REFERENCE §2.6 "the 2013 rule table has gaps/overlaps (e.g. ADL 0 with P 3)": the combinations
# no row matches, and the level returned (module GAP_LEVELS: the highest level of a combination
# no worse in any dimension).
REF_GAPS = {
    (0, 0, 0, 3): 1,  # like (0, 0, 0, 2) → 1
    (2, 0, 0, 0): 1,  # like (1, 0, 0, 0) → 1; ADL 2 row wants one or two of M, S, P impaired
    (2, 1, 1, 1): 2,  # three impaired: beyond "one or two", short of "all 2"
    (2, 1, 1, 2): 2,
    (2, 1, 2, 1): 2,
    (2, 2, 1, 1): 2,
    (2, 1, 2, 2): 2,
    (2, 2, 1, 2): 2,
    (2, 2, 2, 1): 2,
}


def test_gaps_are_exactly_these() -> None:
    found = {g for g in itertools.product(range(4), repeat=4) if matching_rows(*g) == frozenset()}
    assert found == set(REF_GAPS)
    assert dict(GAP_LEVELS) == REF_GAPS


@pytest.mark.parametrize(("grades", "level"), sorted(REF_GAPS.items()))
def test_gap_levels(grades: tuple[int, int, int, int], level: int) -> None:
    assert initial_level(*grades) == level


def test_gap_through_score_is_flagged() -> None:
    # ADL 100 (0), 精神状态 0, 感知觉与沟通 0, 社会参与 14 (3) → the REFERENCE example gap.
    result = run(items(social=14))
    assert (result.adl_grade, result.mental_grade, result.perception_grade) == (0, 0, 0)
    assert result.social_grade == 3
    assert result.table_gap is True
    assert (result.initial_level, result.initial_level_name) == (1, "轻度失能")
    assert any("不符合" in n for n in result.notes)
    assert run(items(social=13)).table_gap is False


def test_overall_through_score() -> None:
    # ADL 45 (2), 精神状态 1 (1), perception alert with vision 2 (1), 社会参与 0 (0) → row 2.
    result = run(items(adl=45, mental=1, perception=(0, 2, 0, 0)))
    assert result.grades == {"日常生活活动": 2, "精神状态": 1, "感知觉与沟通": 1, "社会参与": 0}
    assert (result.initial_level, result.initial_level_name) == (2, "中度失能")
    assert (result.final_level, result.final_level_name) == (2, "中度失能")
    assert result.clauses == () and result.table_gap is False


def test_all_best_is_intact() -> None:
    result = run(items())
    assert result.grades == {"日常生活活动": 0, "精神状态": 0, "感知觉与沟通": 0, "社会参与": 0}
    assert (result.initial_level, result.final_level) == (0, 0)
    assert result.final_level_name == "能力完好"
    assert result.notes == ()


def test_all_worst_is_severe() -> None:
    worst = {name: max(scores) if name not in REF_ADL else 0 for name, scores in REF_ITEMS.items()}
    result = run(worst, coma=True, dementia_or_mental=True, risk_events_30d=5)
    assert (result.adl_total, result.mental_total, result.social_total) == (0, 6, 20)
    assert result.grades == {"日常生活活动": 3, "精神状态": 3, "感知觉与沟通": 3, "社会参与": 3}
    assert (result.initial_level, result.final_level) == (3, 3)


# --------------------------------------------------------------------------- change clauses

INTACT = items()  # initial 0
MILD = items(adl=95)  # ADL 1, others 0 → initial 1
MODERATE = items(adl=60, mental=1)  # ADL 2, M 1 → initial 2
SEVERE = items(adl=40)  # ADL 3 → initial 3


@pytest.mark.parametrize(
    ("answers", "kw", "initial", "final", "clauses"),
    [
        (INTACT, {}, 0, 0, ()),
        # dementia/cognitive impairment or mental illness → +1
        (INTACT, {"dementia_or_mental": True}, 0, 1, (ChangeClause.DEMENTIA_OR_MENTAL,)),
        (MILD, {"dementia_or_mental": True}, 1, 2, (ChangeClause.DEMENTIA_OR_MENTAL,)),
        # ≥2 risk events in 30 days → +1; one event does nothing
        (INTACT, {"risk_events_30d": 1}, 0, 0, ()),
        (INTACT, {"risk_events_30d": 2}, 0, 1, (ChangeClause.RISK_EVENTS,)),
        (MILD, {"risk_events_30d": 3}, 1, 2, (ChangeClause.RISK_EVENTS,)),
        # both → +2 (each clause is its own +1) …
        (
            INTACT,
            {"dementia_or_mental": True, "risk_events_30d": 2},
            0,
            2,
            (ChangeClause.DEMENTIA_OR_MENTAL, ChangeClause.RISK_EVENTS),
        ),
        # … capped at 3
        (
            MODERATE,
            {"dementia_or_mental": True, "risk_events_30d": 2},
            2,
            3,
            (ChangeClause.DEMENTIA_OR_MENTAL, ChangeClause.RISK_EVENTS),
        ),
        (MODERATE, {"risk_events_30d": 2}, 2, 3, (ChangeClause.RISK_EVENTS,)),
        # initial level 3 → no change
        (SEVERE, {"dementia_or_mental": True}, 3, 3, (ChangeClause.DEMENTIA_OR_MENTAL,)),
        (
            SEVERE,
            {"dementia_or_mental": True, "risk_events_30d": 4},
            3,
            3,
            (ChangeClause.DEMENTIA_OR_MENTAL, ChangeClause.RISK_EVENTS),
        ),
    ],
)
def test_change_clauses(
    answers: dict[str, int],
    kw: dict[str, object],
    initial: int,
    final: int,
    clauses: tuple[ChangeClause, ...],
) -> None:
    result = run(answers, **kw)
    assert (result.initial_level, result.final_level) == (initial, final)
    assert result.final_level_name == REF_LEVELS[final]
    assert result.clauses == clauses


def test_clauses_not_stacked_setting() -> None:
    kw = {"dementia_or_mental": True, "risk_events_30d": 2, "stack_clauses": False}
    result = run(INTACT, **kw)
    assert (result.initial_level, result.final_level) == (0, 1)


def test_coma_is_directly_severe() -> None:
    # 意识水平 3 (昏迷) → 感知觉与沟通 3; ADL 100 → (0, 0, 3, 0) → initial 1; coma → 3.
    comatose = items(perception=(3, 0, 0, 0))
    result = run(comatose, coma=True)
    assert result.perception_grade == 3
    assert (result.initial_level, result.final_level) == (1, 3)
    assert result.final_level_name == "重度失能"
    assert result.clauses == (ChangeClause.COMA,)
    assert result.notes == ()
    # From intact and from 2 as well, with or without the +1 clauses.
    assert run(INTACT, coma=True).final_level == 3
    assert run(MODERATE, coma=True, dementia_or_mental=True).final_level == 3
    assert run(SEVERE, coma=True).final_level == 3


def test_coma_mismatch_noted() -> None:
    assert any("昏迷" in n for n in run(INTACT, coma=True).notes)
    assert any("昏迷" in n for n in run(items(perception=(3, 0, 0, 0))).notes)


def test_diagnosed_dementia_item_without_flag_noted() -> None:
    answers = INTACT | {"认知功能": 2}
    assert any("认知功能" in n for n in run(answers).notes)
    assert not any("认知功能" in n for n in run(answers, dementia_or_mental=True).notes)


def test_clause_labels() -> None:
    result = run(INTACT, coma=True, dementia_or_mental=True, risk_events_30d=2)
    assert result.clause_labels[-1] == "处于昏迷状态者，直接评定为重度失能"
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in result.clause_labels)


# --------------------------------------------------------------------------- bad input

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({k: v for k, v in INTACT.items() if k != "洗澡"}, "缺少评估条目：洗澡"),
        (INTACT | {"洗澡": 10}, "洗澡 的分值 10 不在允许范围（0、5）"),
        (INTACT | {"进食": 7}, "进食 的分值 7"),
        (INTACT | {"视力": 5}, "视力 的分值 5"),
        (INTACT | {"意识水平": 4}, "意识水平 的分值 4"),
        (INTACT | {"认知功能": -1}, "认知功能 的分值 -1"),
        (INTACT | {"社会交往能力": 5}, "社会交往能力 的分值 5"),
        (INTACT | {"听力": True}, "必须是整数"),
        (INTACT | {"听力": "1"}, "必须是整数"),
        (INTACT | {"听力": 1.0}, "必须是整数"),
        (INTACT | {"握力": 0}, "未知的评估条目"),
        ([("洗澡", 5)], "映射"),
    ],
)
def test_bad_items(answers: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)) as info:
        run(answers)  # type: ignore[arg-type]
    assert CJK.search(str(info.value))


@pytest.mark.parametrize(
    "kw",
    [
        {"coma": 1},
        {"dementia_or_mental": None},
        {"stack_clauses": "yes"},
        {"risk_events_30d": -1},
        {"risk_events_30d": 1.5},
        {"risk_events_30d": True},
    ],
)
def test_bad_context(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError) as info:
        run(INTACT, **kw)
    assert CJK.search(str(info.value))


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: adl_grade(101), "日常生活活动"),
        (lambda: adl_grade(62), "日常生活活动"),
        (lambda: adl_grade(-5), "日常生活活动"),
        (lambda: mental_grade(7), "精神状态"),
        (lambda: social_grade(21), "社会参与"),
        (lambda: perception_grade(0, 5, 0, 0), "视力"),
        (lambda: perception_grade(0, 0, 0, 4), "沟通交流"),
        (lambda: matching_rows(4, 0, 0, 0), "日常生活活动"),
        (lambda: initial_level(0, 0, 0, -1), "社会参与"),
        (lambda: initial_level(0, True, 0, 0), "精神状态"),
    ],
)
def test_bad_direct_calls(call: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        call()  # type: ignore[operator]


# --------------------------------------------------------------------------- properties

answer_sets = st.fixed_dictionaries({name: st.sampled_from(s) for name, s in REF_ITEMS.items()})
contexts = st.fixed_dictionaries(
    {
        "coma": st.booleans(),
        "dementia_or_mental": st.booleans(),
        "risk_events_30d": st.integers(0, 10),
        "stack_clauses": st.booleans(),
    }
)


@given(answer_sets, contexts)
def test_ranges(answers: dict[str, int], kw: dict[str, object]) -> None:
    result = run(answers, **kw)
    for grade in result.grades.values():
        assert grade in (0, 1, 2, 3)
    assert result.initial_level in (0, 1, 2, 3)
    assert result.initial_level <= result.final_level <= 3
    assert result.initial_level_name == REF_LEVELS[result.initial_level]
    assert result.final_level_name == REF_LEVELS[result.final_level]
    assert 0 <= result.adl_total <= 100 and result.adl_total % 5 == 0
    assert 0 <= result.mental_total <= 6 and 0 <= result.social_total <= 20
    if kw["coma"]:
        assert result.final_level == 3
    if result.initial_level == 3:
        assert result.final_level == 3
    if not kw["coma"] and not kw["dementia_or_mental"] and kw["risk_events_30d"] < 2:
        assert result.final_level == result.initial_level


@given(answer_sets, st.sampled_from(sorted(WORSE_IS_HIGHER)), contexts)
def test_worse_mental_perception_social_never_lowers_level(
    answers: dict[str, int], name: str, kw: dict[str, object]
) -> None:
    """A higher (worse) score in a higher-is-worse item never lowers the initial or final level."""
    if answers[name] == max(REF_ITEMS[name]):
        answers = answers | {name: answers[name] - 1}
    worse = answers | {name: answers[name] + 1}
    before, after = run(answers, **kw), run(worse, **kw)
    assert after.initial_level >= before.initial_level
    assert after.final_level >= before.final_level


@given(answer_sets, st.sampled_from(sorted(REF_ADL)), contexts)
def test_lower_barthel_item_never_lowers_level(
    answers: dict[str, int], name: str, kw: dict[str, object]
) -> None:
    """日常生活活动 is higher = better: one option down never lowers the level."""
    options = sorted(REF_ADL[name])
    at = options.index(answers[name])
    if at == 0:
        at = 1
        answers = answers | {name: options[1]}
    worse = answers | {name: options[at - 1]}
    before, after = run(answers, **kw), run(worse, **kw)
    assert after.adl_grade >= before.adl_grade
    assert after.initial_level >= before.initial_level
    assert after.final_level >= before.final_level


def _neighbours() -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every pair (g, g with one grade one step worse) over the 256 grade combinations."""
    pairs = []
    for g in itertools.product(range(4), repeat=4):
        for i in range(4):
            if g[i] < 3:
                pairs.append((g, g[:i] + (g[i] + 1,) + g[i + 1 :]))
    return pairs


def test_first_match_from_severe_is_monotone_where_a_row_matches() -> None:
    """Where the 2013 table has a matching row on both sides, the first match from 重度 downward
    (= highest matching row) never drops when a grade gets worse."""
    checked = 0
    for g, h in _neighbours():
        rows_g, rows_h = matching_rows(*g), matching_rows(*h)
        if rows_g and rows_h:
            assert max(rows_h) >= max(rows_g), (g, h)
            checked += 1
    assert checked > 0


def test_initial_level_monotone_everywhere_with_gap_levels() -> None:
    for g, h in _neighbours():
        assert initial_level(*h) >= initial_level(*g), (g, h)


def test_pinned_counterexample_gap() -> None:
    """The literal table breaks monotonicity at its gaps: P 2 → 3 with ADL, M, S 0 loses the
    only matching row (REFERENCE §2.6's own example, ADL 0 with P 3)."""
    assert matching_rows(0, 0, 0, 2) == {1}
    assert matching_rows(0, 0, 0, 3) == frozenset()
    assert initial_level(0, 0, 0, 3) == 1  # GAP_LEVELS restores it


def test_pinned_counterexample_bottom_up_reading() -> None:
    """Why the order matters: read from 完好 upward (first match = lowest matching row), the
    overlaps break monotonicity — S 2 → 3 on (2, 2, 2, 2) would drop 3 → 2.  From 重度 downward
    (REFERENCE §2.6, the order used) both are 3."""
    assert matching_rows(2, 2, 2, 2) == {3}
    assert matching_rows(2, 2, 2, 3) == {2, 3}
    assert min(matching_rows(2, 2, 2, 3)) < min(matching_rows(2, 2, 2, 2))  # bottom-up: 2 < 3
    assert initial_level(2, 2, 2, 2) == initial_level(2, 2, 2, 3) == 3
    assert matching_rows(2, 3, 0, 0) == {3}
    assert matching_rows(2, 3, 1, 0) == {2, 3}  # bottom-up would give 2 < 3
    assert initial_level(2, 3, 1, 0) == 3


def test_pinned_counterexample_exactly_one_three() -> None:
    """ADL 1 row "one of them 3" is read as "at least one".  Read as "exactly one", (1, 3, 3, 0)
    would fall through to row 1 (a grade 0 is present) → 1, below (1, 3, 0, 0) → 2."""
    assert initial_level(1, 3, 0, 0) == 2
    assert matching_rows(1, 3, 3, 0) == {1, 2}
    assert initial_level(1, 3, 3, 0) == 2
