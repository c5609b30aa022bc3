"""MZ/T 039-2013 《老年人能力评估》 scoring as pure rules (no Django) — REFERENCE §2.6.

**Superseded.**  MZ/T 039-2013 has been replaced by GB/T 42195-2022 《老年人能力评估规范》
(REFERENCE §2, module :mod:`.gbt42195`), which is what new assessments use.  This module is kept
only so that homes can read legacy records graded under the 2013 industry standard and compare
them with new ones.  It is deliberately *not* a form instrument (it is not in the registry).

Four dimensions, 22 items (REFERENCE §2.6).  Item keys are the item names as REFERENCE §2.6
writes them; every item's score is the stored value.  Note the directions: 日常生活活动 is the
Barthel total (higher = better); 精神状态, 感知觉与沟通 and 社会参与 score higher = worse.

* Each dimension gives a grade 0 完好 / 1 轻度受损 / 2 中度受损 / 3 重度受损.  The 日常生活活动
  grade reuses the MZ/T 039 band table already kept with the Barthel index
  (:data:`.barthel.MZT039`).
* The four grades give the initial level (初步等级) by the 4-level table, evaluated from
  3 重度失能 downward taking the first row that matches (REFERENCE §2.6: "implementations evaluate
  from 重度 downward and take the first match — an implementation choice").
* The change clauses give the final level (0–3).

Readings and choices (all REFERENCE §2.6; see the comments at each rule):

* Level 2, ADL 1 row, "one of them 3" is read as *at least one* of M, S, P is 3.  (Read as
  "exactly one", ADL 1 with M = S = 3 and P = 0 would get level 1 while M = 3 alone gets level 2.)
* Level 2, ADL 2 row, "one or two of M, S, P are 1 or 2" is read literally as a count of 1 or 2.
* The table has gaps (REFERENCE §2.6).  Under the readings above exactly 9 of the 256 grade
  combinations match no row; :data:`GAP_LEVELS` lists them with the level returned, and the result
  carries ``table_gap=True`` and a note so a legacy comparison can see it.
* Clauses 1 and 2 (+1 each) stack by default, as each is written as its own +1; the cap is 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .barthel import MZT039 as ADL_TABLE

__all__ = [
    "ADL_ITEMS",
    "GAP_LEVELS",
    "GRADE_NAMES",
    "ITEMS",
    "LEVEL_NAMES",
    "MAX_LEVEL",
    "MENTAL_ITEMS",
    "PERCEPTION_ITEMS",
    "RISK_EVENTS_THRESHOLD",
    "SOCIAL_ITEMS",
    "VERSION",
    "Assessment",
    "ChangeClause",
    "Dimension",
    "adl_grade",
    "initial_level",
    "matching_rows",
    "mental_grade",
    "perception_grade",
    "score",
    "social_grade",
]

VERSION = "MZ/T 039-2013"
MAX_LEVEL = 3

# REFERENCE §2.6: level labels of the overall (4-level) table.
LEVEL_NAMES: Mapping[int, str] = MappingProxyType(
    {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能"}
)
# REFERENCE §2.6: dimension grade labels.
GRADE_NAMES: Mapping[int, str] = MappingProxyType(
    {0: "完好", 1: "轻度受损", 2: "中度受损", 3: "重度受损"}
)


class Dimension(StrEnum):
    # REFERENCE §2.6: the four dimensions; the value is the Chinese name.
    ADL = "日常生活活动"
    MENTAL = "精神状态"
    PERCEPTION = "感知觉与沟通"
    SOCIAL = "社会参与"


def _scores(*values: int) -> frozenset[int]:
    return frozenset(values)


def _range(high: int) -> frozenset[int]:
    return frozenset(range(high + 1))


# REFERENCE §2.6, 日常生活活动 (Barthel, higher = better), 0–100.
ADL_ITEMS: Mapping[str, frozenset[int]] = MappingProxyType(
    {
        "进食": _scores(10, 5, 0),
        "洗澡": _scores(5, 0),
        "修饰": _scores(5, 0),
        "穿衣": _scores(10, 5, 0),
        "大便控制": _scores(10, 5, 0),
        "小便控制": _scores(10, 5, 0),
        "如厕": _scores(10, 5, 0),
        "床椅转移": _scores(15, 10, 5, 0),
        "平地行走": _scores(15, 10, 5, 0),
        "上下楼梯": _scores(10, 5, 0),
    }
)
# REFERENCE §2.6, 精神状态 (higher = worse), 0–6.  认知功能: clock drawing + 3-word recall,
# 2 = diagnosed dementia.
MENTAL_ITEMS: Mapping[str, frozenset[int]] = MappingProxyType(
    {"认知功能": _range(2), "攻击行为": _range(2), "抑郁症状": _range(2)}
)
# REFERENCE §2.6, 感知觉与沟通 (higher = worse).  意识水平 0 清醒 / 1 嗜睡 / 2 昏睡 / 3 昏迷.
PERCEPTION_ITEMS: Mapping[str, frozenset[int]] = MappingProxyType(
    {"意识水平": _range(3), "视力": _range(4), "听力": _range(4), "沟通交流": _range(3)}
)
# REFERENCE §2.6, 社会参与 (higher = worse), each 0–4, 0–20.
SOCIAL_ITEMS: Mapping[str, frozenset[int]] = MappingProxyType(
    {
        "生活能力": _range(4),
        "工作能力": _range(4),
        "时间/空间定向": _range(4),
        "人物定向": _range(4),
        "社会交往能力": _range(4),
    }
)
ITEMS: Mapping[str, frozenset[int]] = MappingProxyType(
    {**ADL_ITEMS, **MENTAL_ITEMS, **PERCEPTION_ITEMS, **SOCIAL_ITEMS}
)
DIMENSION_ITEMS: Mapping[Dimension, Mapping[str, frozenset[int]]] = MappingProxyType(
    {
        Dimension.ADL: ADL_ITEMS,
        Dimension.MENTAL: MENTAL_ITEMS,
        Dimension.PERCEPTION: PERCEPTION_ITEMS,
        Dimension.SOCIAL: SOCIAL_ITEMS,
    }
)

# The Barthel MZ/T 039 band keys (barthel.MZT039) → grade 0–3.
_ADL_BAND_GRADES: Mapping[str, int] = MappingProxyType(
    {"independent": 0, "mild": 1, "moderate": 2, "severe": 3}
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_grade(value: object, name: str) -> int:
    if not _is_int(value) or not 0 <= value <= 3:  # type: ignore[operator]
        raise ValueError(f"{name}分级必须是 0–3 的整数：{value!r}")
    return value  # type: ignore[return-value]


# --------------------------------------------------------------------------- dimension grades


def adl_grade(total: int) -> int:
    """日常生活活动 grade from the Barthel total (REFERENCE §2.6: 0: 100; 1: 65–95; 2: 45–60;
    3: ≤40), through the existing MZ/T 039 table of the Barthel module."""
    if not _is_int(total) or not 0 <= total <= 100 or total % 5:
        raise ValueError(f"日常生活活动总分必须是 0–100 之间 5 的倍数：{total!r}")
    return _ADL_BAND_GRADES[ADL_TABLE.band_for(total).key]


def mental_grade(total: int) -> int:
    """精神状态 grade from its total 0–6 (REFERENCE §2.6: 0: 0; 1: 1; 2: 2–3; 3: 4–6)."""
    if not _is_int(total) or not 0 <= total <= 6:
        raise ValueError(f"精神状态总分必须是 0–6 的整数：{total!r}")
    if total == 0:
        return 0
    if total == 1:
        return 1
    if total <= 3:
        return 2
    return 3


def social_grade(total: int) -> int:
    """社会参与 grade from its total 0–20 (REFERENCE §2.6: 0: 0–2; 1: 3–7; 2: 8–13; 3: 14–20)."""
    if not _is_int(total) or not 0 <= total <= 20:
        raise ValueError(f"社会参与总分必须是 0–20 的整数：{total!r}")
    if total <= 2:
        return 0
    if total <= 7:
        return 1
    if total <= 13:
        return 2
    return 3


def perception_grade(consciousness: int, vision: int, hearing: int, communication: int) -> int:
    """感知觉与沟通 grade (REFERENCE §2.6), evaluated from grade 3 downward, first match:

    3: alert or somnolent with vision or hearing 4 or communication 3, or stupor/coma;
    2: alert with vision or hearing 3 or communication 2, or somnolent with vision/hearing ≤3 and
       communication ≤2;
    1: alert, vision or hearing 2, or communication 1;
    0: alert, vision and hearing 0–1, communication 0.

    Taken worst-first these rows cover every combination, so this dimension has no gap.
    """
    for value, name, high in (
        (consciousness, "意识水平", 3),
        (vision, "视力", 4),
        (hearing, "听力", 4),
        (communication, "沟通交流", 3),
    ):
        if not _is_int(value) or not 0 <= value <= high:
            raise ValueError(f"{name}的分值必须是 0–{high} 的整数：{value!r}")
    sense = max(vision, hearing)  # "vision or hearing N": the worse of the two
    if consciousness >= 2:  # 昏睡 / 昏迷
        return 3
    if sense == 4 or communication == 3:  # alert or somnolent
        return 3
    if consciousness == 1:  # somnolent, vision/hearing ≤3 and communication ≤2
        return 2
    if sense == 3 or communication == 2:  # alert
        return 2
    if sense == 2 or communication == 1:  # alert
        return 1
    return 0  # alert, vision and hearing 0–1, communication 0


# --------------------------------------------------------------------------- overall level


def matching_rows(adl: int, mental: int, perception: int, social: int) -> frozenset[int]:
    """The levels whose row of the REFERENCE §2.6 overall table holds — the literal table, before
    any first-match choice.  May be empty (a gap) or hold several levels (an overlap)."""
    a = _check_grade(adl, "日常生活活动")
    others = (
        _check_grade(mental, "精神状态"),
        _check_grade(perception, "感知觉与沟通"),
        _check_grade(social, "社会参与"),
    )
    m, s, p = others
    rows: set[int] = set()
    # 3 重度失能: ADL 3; or ADL, M, S, P all 2; or ADL 2 and at least one of M, S, P is 3.
    if a == 3 or (a == 2 and others == (2, 2, 2)) or (a == 2 and 3 in others):
        rows.add(3)
    # 2 中度失能: ADL 1 and M, S, P all 2, or one of them 3 (read: at least one is 3); or ADL 2
    # and one or two of M, S, P are 1 or 2 (read literally: a count of 1 or 2).
    impaired = sum(1 for g in others if g in (1, 2))
    if (a == 1 and (others == (2, 2, 2) or 3 in others)) or (a == 2 and impaired in (1, 2)):
        rows.add(2)
    # 1 轻度失能: ADL 0 and (M or S ≥ 1, or P = 2); or ADL 1 and at least one of M, S, P is 0 or 1.
    if (a == 0 and (m >= 1 or s >= 1 or p == 2)) or (a == 1 and any(g <= 1 for g in others)):
        rows.add(1)
    # 0 能力完好: ADL, M, S all 0, and P 0 or 1.
    if a == 0 and m == 0 and s == 0 and p <= 1:
        rows.add(0)
    return frozenset(rows)


# Grade combinations (ADL, M, S, P) that match no row of the REFERENCE §2.6 table ("the 2013 rule
# table has gaps/overlaps (e.g. ADL 0 with P 3)"), and the level returned for each.  REFERENCE
# gives no rule for a gap; the choice here is the highest level the table gives a combination that
# is no worse in any dimension, which keeps "worse grades never lower the level" true:
#   (0, 0, 0, 3): like (0, 0, 0, 2), which is 1 轻度失能 (the ADL 0 row names P = 2 only);
#   (2, 0, 0, 0): ADL 2 with nothing else impaired; the ADL 2 row needs one or two of M, S, P
#                 impaired, so the best no-worse match is (1, 0, 0, 0) → 1 轻度失能;
#   (2, m, s, p), all three in {1, 2} but not all 2: three impaired is beyond "one or two" and
#                 short of "all 2"; no-worse (2, 1, 1, 0) is 2 中度失能 → 2.
GAP_LEVELS: Mapping[tuple[int, int, int, int], int] = MappingProxyType(
    {
        (0, 0, 0, 3): 1,
        (2, 0, 0, 0): 1,
        (2, 1, 1, 1): 2,
        (2, 1, 1, 2): 2,
        (2, 1, 2, 1): 2,
        (2, 2, 1, 1): 2,
        (2, 1, 2, 2): 2,
        (2, 2, 1, 2): 2,
        (2, 2, 2, 1): 2,
    }
)


def _check_gaps() -> None:
    # Import-time guard: GAP_LEVELS names exactly the combinations no row matches.
    grades = range(4)
    gaps = {
        (a, m, s, p)
        for a in grades
        for m in grades
        for s in grades
        for p in grades
        if not matching_rows(a, m, s, p)
    }
    if gaps != set(GAP_LEVELS):
        raise AssertionError(f"MZ/T 039 table gaps {sorted(gaps)} != GAP_LEVELS")


_check_gaps()


def initial_level(adl: int, mental: int, perception: int, social: int) -> int:
    """初步等级 0–3 from the four grades: the REFERENCE §2.6 table evaluated from 3 重度失能
    downward, first match (= the highest matching row); a gap → :data:`GAP_LEVELS`."""
    rows = matching_rows(adl, mental, perception, social)
    if rows:
        return max(rows)
    return GAP_LEVELS[(adl, mental, perception, social)]


# --------------------------------------------------------------------------- change clauses


class ChangeClause(StrEnum):
    # REFERENCE §2.6 change clauses, in the order given there.
    DEMENTIA_OR_MENTAL = "dementia_or_mental"  # +1
    RISK_EVENTS = "risk_events"  # ≥2 events in 30 days → +1
    COMA = "coma"  # directly 重度失能

    @property
    def label(self) -> str:
        return _CLAUSE_LABELS[self]


_CLAUSE_LABELS = {
    ChangeClause.DEMENTIA_OR_MENTAL: "有认知障碍/痴呆或精神疾病者，在原有能力级别上提高一个等级",
    ChangeClause.RISK_EVENTS: (
        "近30天内发生过2次及以上跌倒、噎食、自杀、走失者，在原有能力级别上提高一个等级"
    ),
    ChangeClause.COMA: "处于昏迷状态者，直接评定为重度失能",
}
# REFERENCE §2.6: "≥2 falls, chokings, suicide attempts or wanderings in the last 30 days".
RISK_EVENTS_THRESHOLD = 2


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Assessment:
    """One MZ/T 039-2013 result: dimension totals and grades, initial and final level."""

    adl_total: int  # Barthel 0–100
    mental_total: int  # 0–6
    social_total: int  # 0–20
    adl_grade: int
    mental_grade: int
    perception_grade: int
    social_grade: int
    initial_level: int  # 0–3
    initial_level_name: str
    final_level: int  # 0–3
    final_level_name: str
    clauses: tuple[ChangeClause, ...]  # clauses whose condition holds, in REFERENCE order
    table_gap: bool  # no row of the overall table matched; initial level from GAP_LEVELS
    notes: tuple[str, ...] = ()  # remarks for the reader (never change the result)
    version: str = VERSION

    @property
    def grades(self) -> dict[str, int]:
        """Chinese dimension name → grade 0–3."""
        return {
            Dimension.ADL.value: self.adl_grade,
            Dimension.MENTAL.value: self.mental_grade,
            Dimension.PERCEPTION.value: self.perception_grade,
            Dimension.SOCIAL.value: self.social_grade,
        }

    @property
    def clause_labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.clauses)


def _check_items(items: Mapping[str, int]) -> None:
    if not isinstance(items, Mapping):
        raise ValueError(f"评分应为“条目名称 → 分值”的映射：{type(items).__name__}")
    unknown = [name for name in items if name not in ITEMS]
    if unknown:
        raise ValueError(f"未知的评估条目：{'、'.join(map(repr, unknown))}")
    missing = [name for name in ITEMS if name not in items]
    if missing:
        raise ValueError(f"缺少评估条目：{'、'.join(missing)}")
    for name, allowed in ITEMS.items():
        value = items[name]
        if not _is_int(value):
            raise ValueError(f"条目 {name} 的分值必须是整数：{value!r}")
        if value not in allowed:
            options = "、".join(str(v) for v in sorted(allowed))
            raise ValueError(f"条目 {name} 的分值 {value} 不在允许范围（{options}）")


def score(
    items: Mapping[str, int],
    *,
    coma: bool,
    dementia_or_mental: bool,
    risk_events_30d: int,
    stack_clauses: bool = True,
) -> Assessment:
    """Score one MZ/T 039-2013 assessment (REFERENCE §2.6).

    ``items``: every item name of :data:`ITEMS` → its score.  ``coma``: the person is in a coma.
    ``dementia_or_mental``: dementia / cognitive impairment or a mental illness.
    ``risk_events_30d``: falls, chokings, suicide attempts and wanderings in the last 30 days,
    counted together.

    Change clauses (REFERENCE §2.6): an initial level of 3 is not changed; coma → directly 3
    重度失能; dementia or mental illness +1; ≥2 risk events +1; never beyond 3.  With
    ``stack_clauses=False`` both +1 clauses together raise by one only (for comparing with
    software that read them that way).
    """
    _check_items(items)
    for flag, name in (
        (coma, "coma（是否昏迷）"),
        (dementia_or_mental, "dementia_or_mental（是否有认知障碍/痴呆或精神疾病）"),
        (stack_clauses, "stack_clauses"),
    ):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} 必须是布尔值：{flag!r}")
    if not _is_int(risk_events_30d) or risk_events_30d < 0:
        raise ValueError(f"近30天风险事件次数必须是非负整数：{risk_events_30d!r}")

    adl_total = sum(items[name] for name in ADL_ITEMS)
    mental_total = sum(items[name] for name in MENTAL_ITEMS)
    social_total = sum(items[name] for name in SOCIAL_ITEMS)
    grades = (
        adl_grade(adl_total),
        mental_grade(mental_total),
        perception_grade(items["意识水平"], items["视力"], items["听力"], items["沟通交流"]),
        social_grade(social_total),
    )
    table_gap = not matching_rows(*grades)
    initial = initial_level(*grades)

    clauses = tuple(
        clause
        for clause, holds in (
            (ChangeClause.DEMENTIA_OR_MENTAL, dementia_or_mental),
            (ChangeClause.RISK_EVENTS, risk_events_30d >= RISK_EVENTS_THRESHOLD),
            (ChangeClause.COMA, coma),
        )
        if holds
    )
    if initial == MAX_LEVEL:  # "if the initial level is already 3, no change"
        final = initial
    elif coma:  # "coma → directly 重度失能"
        final = MAX_LEVEL
    else:
        raises = sum(1 for c in clauses if c is not ChangeClause.COMA)
        if not stack_clauses:
            raises = min(raises, 1)
        final = min(initial + raises, MAX_LEVEL)

    notes: list[str] = []
    if table_gap:
        notes.append(
            f"分级组合 {grades} 不符合 MZ/T 039-2013 等级表任何一行，初步等级按补充规则取 {initial}"
        )
    if coma != (items["意识水平"] == 3):
        notes.append("是否昏迷与“意识水平”评分（3 = 昏迷）不一致，请核对")
    if items["认知功能"] == 2 and not dementia_or_mental:
        notes.append("“认知功能”评为 2（已确诊痴呆），但未勾选认知障碍/痴呆或精神疾病，请核对")
    return Assessment(
        adl_total=adl_total,
        mental_total=mental_total,
        social_total=social_total,
        adl_grade=grades[0],
        mental_grade=grades[1],
        perception_grade=grades[2],
        social_grade=grades[3],
        initial_level=initial,
        initial_level_name=LEVEL_NAMES[initial],
        final_level=final,
        final_level_name=LEVEL_NAMES[final],
        clauses=clauses,
        table_gap=table_gap,
        notes=tuple(notes),
    )
