"""Tests for yiyang.assessments.instruments.gbt42195 (REFERENCE §2.1–§2.4).

No Django, no database.  Expected values are written literally from REFERENCE §2 (the item
maxima of §2.2, the bands of §2.3, the clauses of §2.4) — never computed by the code under test.
Answer sets with a chosen total are built from the independent copy REF_MAX below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments import gbt42195
from yiyang.assessments.instruments.gbt42195 import (
    DIMENSION_MAX,
    ITEMS,
    LEVEL_FULL_NAMES,
    LEVEL_NAMES,
    VERSION,
    Assessment,
    ChangeClause,
    Dimension,
    initial_level,
    risk_event_count,
    score,
)

SELF, MOB, MENT, PERC = "自理能力", "基础运动能力", "精神状态", "感知觉与社会参与"

# REFERENCE §2.2: code → (name, dimension, max score).  Every item's scores are 0..max.
REF_ITEMS = {
    "B.1.1": ("进食", SELF, 4),
    "B.1.2": ("修饰", SELF, 4),
    "B.1.3": ("洗澡", SELF, 4),
    "B.1.4": ("穿/脱上衣", SELF, 4),
    "B.1.5": ("穿/脱裤子和鞋袜", SELF, 4),
    "B.1.6": ("小便控制", SELF, 4),
    "B.1.7": ("大便控制", SELF, 4),
    "B.1.8": ("如厕", SELF, 4),
    "B.2.1": ("床上体位转移", MOB, 4),
    "B.2.2": ("床椅转移", MOB, 4),
    "B.2.3": ("平地行走", MOB, 4),
    "B.2.4": ("上下楼梯", MOB, 3),
    "B.3.1": ("时间定向", MENT, 4),
    "B.3.2": ("空间定向", MENT, 4),
    "B.3.3": ("人物定向", MENT, 4),
    "B.3.4": ("记忆", MENT, 4),
    "B.3.5": ("理解能力", MENT, 4),
    "B.3.6": ("表达能力", MENT, 4),
    "B.3.7": ("攻击行为", MENT, 1),
    "B.3.8": ("抑郁症状", MENT, 1),
    "B.3.9": ("意识水平", MENT, 2),
    "B.4.1": ("视力", PERC, 2),
    "B.4.2": ("听力", PERC, 2),
    "B.4.3": ("执行日常事务", PERC, 4),
    "B.4.4": ("使用交通工具外出", PERC, 3),
    "B.4.5": ("社会交往能力", PERC, 4),
}
REF_MAX = {code: mx for code, (_, _, mx) in REF_ITEMS.items()}
# REFERENCE §2.1
REF_DIM_MAX = {SELF: 32, MOB: 15, MENT: 28, PERC: 15}


def ref_level(total: int) -> int:
    """REFERENCE §2.3 written out: 90 → 0; 66–89 → 1; 46–65 → 2; 30–45 → 3; 0–29 → 4."""
    if total == 90:
        return 0
    if total >= 66:
        return 1
    if total >= 46:
        return 2
    if total >= 30:
        return 3
    return 4


def full() -> dict[str, int]:
    return dict(REF_MAX)


def with_total(total: int) -> dict[str, int]:
    """An answer set adding up to ``total``: start at the maxima, lower items from B.4.5 back."""
    answers = full()
    deficit = 90 - total
    for code in reversed(list(answers)):
        take = min(deficit, answers[code])
        answers[code] -= take
        deficit -= take
    assert deficit == 0 and sum(answers.values()) == total
    return answers


def run(
    answers: object = None,
    *,
    coma: object = False,
    dementia: object = False,
    events: object = 0,
    **kw: object,
) -> Assessment:
    return score(
        full() if answers is None else answers,
        coma=coma,
        dementia_or_mental=dementia,
        risk_events_30d=events,
        **kw,
    )


answer_sets = st.fixed_dictionaries({c: st.integers(0, mx) for c, mx in REF_MAX.items()})
flags = st.booleans()
event_counts = st.integers(0, 20)

# ---------------------------------------------------------------------------
# The data (REFERENCE §2.1–§2.3)
# ---------------------------------------------------------------------------


def test_version() -> None:
    assert VERSION == "GB/T 42195-2022"


def test_items_match_the_reference() -> None:
    assert list(ITEMS) == list(REF_ITEMS)  # 26 items, Annex B order
    for code, (name, dim, mx) in REF_ITEMS.items():
        item = ITEMS[code]
        assert (item.code, item.name, item.dimension, item.max_score) == (code, name, dim, mx)
        assert item.allowed == frozenset(range(mx + 1))
        assert all(isinstance(t, str) and t for t in item.options.values())


def test_option_texts_spot_checks() -> None:
    # The same points REFERENCE §2.2 paraphrased, in the standard's Chinese (Annex B).
    assert ITEMS["B.1.2"].options[4] == "独立完成，不需要协助"
    assert ITEMS["B.1.2"].options[0] == "完全依赖他人协助，且不能给予配合"
    assert ITEMS["B.2.4"].options[3].startswith("可独立上下楼梯")
    assert ITEMS["B.3.7"].options == {1: "未出现", 0: "近一个月内出现过攻击行为"}
    assert "或者昏迷" in ITEMS["B.3.9"].options[0]
    assert ITEMS["B.2.3"].options[0] == "完全不能步行"


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_texts_are_chinese() -> None:
    # Guard against English paraphrase slipping back into the printed form.  The one Latin letter
    # the standard itself uses is the unit in "50m" (B.2.3); it is allowed after a number only.
    for item in ITEMS.values():
        for points, text in item.options.items():
            where = (item.code, points, text)
            assert _cjk(text), where
            assert not re.search(r"[A-Za-z]", re.sub(r"\d+m", "", text)), where
        assert not re.search(r"[A-Za-z]", item.description), item.code
    assert "50m" in ITEMS["B.2.3"].options[4]  # the exemption is the standard's own wording


def test_option_texts_match_the_annex_b_sources() -> None:
    # Literally as transcribed by the public Annex B copies (module docstring, [A] [B] [C]).
    assert ITEMS["B.3.7"].options[0] == "近一个月内出现过攻击行为"
    assert ITEMS["B.1.1"].options[4] == "独立使用器具将食物送进口中并咽下，没有呛咳"
    assert ITEMS["B.3.2"].options[4] == (
        "能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等"
    )
    # B.1.7 option 3: the "每周<1次" reading (REFERENCE §2.2 discrepancy).
    assert ITEMS["B.1.7"].options[3].startswith("有时出现（每周<1次）便秘或大便失禁")


def test_descriptions() -> None:
    assert ITEMS["B.1.1"].description == "使用适当的器具将食物送入口中并咽下"
    assert ITEMS["B.3.1"].description == "知道并确认时间的能力"
    assert "注：" in ITEMS["B.1.8"].description
    # Annex B gives no explanation for these two; the field defaults to "".
    assert ITEMS["B.4.4"].description == ITEMS["B.4.5"].description == ""
    assert sum(1 for item in ITEMS.values() if item.description) == 24


def test_dimensions() -> None:
    assert [d.value for d in Dimension] == [SELF, MOB, MENT, PERC]
    assert {d.value: m for d, m in DIMENSION_MAX.items()} == REF_DIM_MAX
    assert [d.code for d in Dimension] == ["B.1", "B.2", "B.3", "B.4"]
    assert sum(REF_DIM_MAX.values()) == 90


def test_level_names() -> None:
    assert dict(LEVEL_NAMES) == {
        0: "能力完好",
        1: "轻度失能",
        2: "中度失能",
        3: "重度失能",
        4: "完全失能",
    }
    assert LEVEL_FULL_NAMES[4] == "能力完全丧失（完全失能）"
    assert LEVEL_FULL_NAMES[1] == "能力轻度受损（轻度失能）"


# ---------------------------------------------------------------------------
# Totals and bands (REFERENCE §2.3): both sides of every cut-off
# ---------------------------------------------------------------------------

BAND_CASES = [
    (90, 0),
    (89, 1),
    (66, 1),
    (65, 2),
    (46, 2),
    (45, 3),
    (30, 3),
    (29, 4),
    (0, 4),
]


@pytest.mark.parametrize(("total", "level"), BAND_CASES)
def test_bands(total: int, level: int) -> None:
    result = run(with_total(total))
    assert result.total == total
    assert result.initial_level == level
    assert result.final_level == level
    assert result.clauses == ()
    assert result.levels_raised == 0
    assert initial_level(total) == level


def test_full_marks_and_zero() -> None:
    top = run(full())
    assert top.dimensions == {SELF: 32, MOB: 15, MENT: 28, PERC: 15}
    assert top.initial_level_name == "能力完好"
    bottom = run(dict.fromkeys(REF_MAX, 0))
    assert bottom.dimensions == {SELF: 0, MOB: 0, MENT: 0, PERC: 0}
    assert (bottom.total, bottom.final_level, bottom.final_level_name) == (0, 4, "完全失能")


def test_dimension_sums_by_hand() -> None:
    answers = full()
    answers.update({"B.1.1": 2, "B.2.4": 1, "B.3.9": 1, "B.3.7": 0, "B.4.4": 0})
    # 自理 32-2=30; 运动 15-2=13; 精神 28-1-1=26; 感知 15-3=12; total 81 → level 1
    result = run(answers)
    assert result.dimensions == {SELF: 30, MOB: 13, MENT: 26, PERC: 12}
    assert (result.total, result.initial_level) == (81, 1)


@pytest.mark.parametrize("bad", [-1, 91, True, 45.0, "45", None])
def test_initial_level_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match="总分"):
        initial_level(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Change clauses (REFERENCE §2.4)
# ---------------------------------------------------------------------------

D, R, C = ChangeClause.DEMENTIA_OR_MENTAL, ChangeClause.RISK_EVENTS, ChangeClause.COMA

# (total, coma, dementia, events, stack, initial, final, ticked clauses)
CLAUSE_CASES = [
    # clause 2 alone: +1
    (90, False, True, 0, False, 0, 1, (D,)),
    (70, False, True, 0, False, 1, 2, (D,)),
    (50, False, True, 1, False, 2, 3, (D,)),
    # clause 3 needs two or more events: 1 → nothing, 2 → +1, 3 → +1
    (70, False, False, 1, False, 1, 1, ()),
    (70, False, False, 2, False, 1, 2, (R,)),
    (70, False, False, 3, False, 1, 2, (R,)),
    (40, False, False, 5, False, 3, 4, (R,)),
    # both, default "once": +1 only
    (90, False, True, 2, False, 0, 1, (D, R)),
    (50, False, True, 4, False, 2, 3, (D, R)),
    # both, stacked: +2
    (90, False, True, 2, True, 0, 2, (D, R)),
    (70, False, True, 2, True, 1, 3, (D, R)),
    # stacking with one clause only is still +1
    (70, False, True, 0, True, 1, 2, (D,)),
    (70, False, False, 2, True, 1, 2, (R,)),
    # cap at 4
    (20, False, True, 0, False, 4, 4, (D,)),
    (20, False, True, 2, True, 4, 4, (D, R)),
    (35, False, True, 2, True, 3, 4, (D, R)),
    (50, False, True, 2, True, 2, 4, (D, R)),
    # coma: 完全失能 whatever the score or the other clauses
    (90, True, False, 0, False, 0, 4, (C,)),
    (70, True, False, 0, False, 1, 4, (C,)),
    (90, True, True, 2, False, 0, 4, (C, D, R)),
    (90, True, True, 2, True, 0, 4, (C, D, R)),
    (10, True, False, 0, False, 4, 4, (C,)),
]


@pytest.mark.parametrize(
    ("total", "coma", "dementia", "events", "stack", "initial", "final", "ticked"), CLAUSE_CASES
)
def test_change_clauses(
    total: int,
    coma: bool,
    dementia: bool,
    events: int,
    stack: bool,
    initial: int,
    final: int,
    ticked: tuple[ChangeClause, ...],
) -> None:
    result = run(
        with_total(total), coma=coma, dementia=dementia, events=events, stack_clauses=stack
    )
    assert (result.initial_level, result.final_level) == (initial, final)
    assert result.clauses == ticked
    assert result.levels_raised == final - initial
    assert result.stack_clauses is stack


def test_default_is_once() -> None:
    result = score(full(), coma=False, dementia_or_mental=True, risk_events_30d=2)
    assert (result.stack_clauses, result.final_level) == (False, 1)


def test_clause_labels_are_chinese() -> None:
    result = run(full(), coma=True, dementia=True, events=2)
    assert result.clause_labels[0].startswith("处于昏迷状态")
    assert "F00–F03" in result.clause_labels[1]
    assert "2次及以上" in result.clause_labels[2]


def test_coma_with_nonzero_consciousness_is_noted_not_refused() -> None:
    result = run(full(), coma=True)  # B.3.9 = 2 while comatose: inconsistent
    assert result.final_level == 4
    assert len(result.notes) == 1 and "B.3.9" in result.notes[0]
    answers = full()
    answers["B.3.9"] = 0
    assert run(answers, coma=True).notes == ()
    assert run(full()).notes == ()


def test_result_is_frozen() -> None:
    result = run(full())
    with pytest.raises(AttributeError):
        result.final_level = 3  # type: ignore[misc]
    assert result.version == "GB/T 42195-2022"


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def test_missing_item() -> None:
    answers = full()
    del answers["B.3.4"]
    with pytest.raises(ValueError, match=r"缺少.*B\.3\.4 记忆"):
        run(answers)


def test_extra_item() -> None:
    answers = full()
    answers["B.5.1"] = 1
    with pytest.raises(ValueError, match=r"未知.*B\.5\.1"):
        run(answers)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("B.1.1", 5),
        ("B.1.1", -1),
        ("B.2.4", 4),  # max 3
        ("B.3.7", 2),  # max 1
        ("B.3.8", 2),  # max 1
        ("B.3.9", 3),  # max 2
        ("B.4.1", 3),  # max 2
        ("B.4.2", 4),  # max 2
        ("B.4.4", 4),  # max 3
    ],
)
def test_out_of_range(code: str, value: int) -> None:
    answers = full()
    answers[code] = value
    with pytest.raises(ValueError, match=re.escape(code) + " .*不在允许范围"):
        run(answers)


@pytest.mark.parametrize("value", [True, False, 4.0, "4", None])
def test_non_int_score(value: object) -> None:
    answers: dict[str, object] = full()
    answers["B.1.3"] = value
    with pytest.raises(ValueError, match=r"B\.1\.3 洗澡 的分值必须是整数"):
        run(answers)


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(ValueError, match="映射"):
        run(list(REF_MAX.items()))  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1, 0, None, "yes"])
def test_flags_must_be_bool(value: object) -> None:
    with pytest.raises(ValueError, match="coma"):
        run(full(), coma=value)
    with pytest.raises(ValueError, match="dementia_or_mental"):
        run(full(), dementia=value)
    with pytest.raises(ValueError, match="stack_clauses"):
        run(full(), stack_clauses=value)


@pytest.mark.parametrize("value", [-1, True, 2.0, "2", None])
def test_risk_events_must_be_a_count(value: object) -> None:
    with pytest.raises(ValueError, match="照护风险事件次数"):
        run(full(), events=value)


# ---------------------------------------------------------------------------
# A.2.14 per-type answers → count
# ---------------------------------------------------------------------------


def test_risk_event_count() -> None:
    assert risk_event_count({}) == 0
    assert risk_event_count({"跌倒": 1}) == 1
    assert risk_event_count({"跌倒": 1, "噎食": 1}) == 2
    assert risk_event_count({"跌倒": 3, "走失": 0, "自杀/自伤": 0, "其他": 2}) == 5
    with pytest.raises(ValueError, match="未知"):
        risk_event_count({"摔倒": 1})
    with pytest.raises(ValueError, match="跌倒"):
        risk_event_count({"跌倒": 4})
    with pytest.raises(ValueError, match="跌倒"):
        risk_event_count({"跌倒": True})
    with pytest.raises(ValueError):
        risk_event_count(2)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@given(answer_sets, flags, flags, event_counts, flags)
def test_properties(
    answers: dict[str, int], coma: bool, dementia: bool, events: int, stack: bool
) -> None:
    result = run(answers, coma=coma, dementia=dementia, events=events, stack_clauses=stack)
    assert result.total == sum(result.dimensions.values()) == sum(answers.values())
    assert list(result.dimensions) == [SELF, MOB, MENT, PERC]
    for dim, value in result.dimensions.items():
        assert 0 <= value <= REF_DIM_MAX[dim]
    assert result.initial_level == ref_level(result.total)
    assert result.initial_level <= result.final_level <= 4
    if coma:
        assert result.final_level == 4
    else:
        raises = int(dementia) + int(events >= 2)
        expected = result.initial_level + (raises if stack else min(raises, 1))
        assert result.final_level == min(expected, 4)


@given(answer_sets, st.sampled_from(list(REF_MAX)), flags, flags, event_counts, flags)
def test_raising_a_score_never_worsens_the_level(
    answers: dict[str, int], code: str, coma: bool, dementia: bool, events: int, stack: bool
) -> None:
    # Higher score = more able (REFERENCE §2.1): one more point never gives a higher level.
    if answers[code] == REF_MAX[code]:
        return
    better = {**answers, code: answers[code] + 1}
    kw = {"coma": coma, "dementia": dementia, "events": events, "stack_clauses": stack}
    before, after = run(answers, **kw), run(better, **kw)
    assert after.total == before.total + 1
    assert after.initial_level <= before.initial_level
    assert after.final_level <= before.final_level


@given(answer_sets, event_counts)
def test_stacking_never_gives_a_lower_level(answers: dict[str, int], events: int) -> None:
    once = run(answers, dementia=True, events=events)
    stacked = run(answers, dementia=True, events=events, stack_clauses=True)
    assert once.final_level <= stacked.final_level <= once.final_level + 1


# ---------------------------------------------------------------------------
# Purity
# ---------------------------------------------------------------------------


def test_module_is_pure() -> None:
    tree = ast.parse(Path(gbt42195.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m.split(".")[0] in {"django", "yiyang"} for m in modules), modules
