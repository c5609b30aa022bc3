"""GB/T 42195-2022 《老年人能力评估规范》 scoring (pure Python, no Django).

Annex B items as data (docs REFERENCE §2.1–§2.2), total → initial level (§2.3, C.3) and the
level-change clauses of C.4 → final level (§2.4, C.5).  Every item scores higher = more able, so
a higher total means a lower (better) level: 0 能力完好 … 4 完全失能.

The option texts are carried over from REFERENCE §2.2, which words them in its own (English)
paraphrase; check the wording against the printed standard before printing forms (§2 header).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DIMENSION_MAX",
    "ITEMS",
    "LEVEL_BANDS",
    "LEVEL_FULL_NAMES",
    "LEVEL_NAMES",
    "MAX_LEVEL",
    "MAX_TOTAL",
    "RISK_EVENT_TYPES",
    "RISK_EVENTS_THRESHOLD",
    "VERSION",
    "Assessment",
    "ChangeClause",
    "Dimension",
    "Item",
    "initial_level",
    "risk_event_count",
    "score",
]

VERSION = "GB/T 42195-2022"


# --------------------------------------------------------------------------- dimensions


class Dimension(StrEnum):
    # REFERENCE §2.1: the four first-level indicators (一级指标); the value is the Chinese name,
    # used as the key of Assessment.dimensions.
    SELF_CARE = "自理能力"
    MOBILITY = "基础运动能力"
    MENTAL = "精神状态"
    PERCEPTION_SOCIAL = "感知觉与社会参与"

    @property
    def code(self) -> str:
        """Annex B section: "B.1" … "B.4"."""
        return _DIMENSION_CODES[self]

    @property
    def max_score(self) -> int:
        return DIMENSION_MAX[self]


_DIMENSION_CODES = {
    Dimension.SELF_CARE: "B.1",
    Dimension.MOBILITY: "B.2",
    Dimension.MENTAL: "B.3",
    Dimension.PERCEPTION_SOCIAL: "B.4",
}
# REFERENCE §2.1: maxima 32 / 15 / 28 / 15 = 90.  (One implementation shows 精神状态 29; the item
# maxima add up to 28 and only 28 gives a total of 90 — the reference says use 28.)
DIMENSION_MAX: Mapping[Dimension, int] = MappingProxyType(
    {
        Dimension.SELF_CARE: 32,
        Dimension.MOBILITY: 15,
        Dimension.MENTAL: 28,
        Dimension.PERCEPTION_SOCIAL: 15,
    }
)
MAX_TOTAL = 90


# --------------------------------------------------------------------------- items (Annex B)


@dataclass(frozen=True, slots=True)
class Item:
    """One Annex B item: its allowed scores are exactly the keys of ``options``."""

    code: str
    name: str
    dimension: Dimension
    options: Mapping[int, str]  # score → option text, highest (most able) first

    @property
    def allowed(self) -> frozenset[int]:
        return frozenset(self.options)

    @property
    def max_score(self) -> int:
        return max(self.options)


def _opts(*texts: str) -> Mapping[int, str]:
    """Options listed from the highest score down to 0."""
    top = len(texts) - 1
    return MappingProxyType({top - i: text for i, text in enumerate(texts)})


# REFERENCE §2.2 "Standard 5-point assistance scale" (S5).
_S5 = _opts(
    "does it independently",
    "does it with guidance/prompting",
    "needs help but does most of it",
    "mostly done by others, person cooperates",
    "fully dependent, cannot cooperate",
)

_D = Dimension
# REFERENCE §2.2 (Annex B): 26 items, code, Chinese name, dimension, score → option text.
_ITEM_LIST: tuple[Item, ...] = (
    # B.1 自理能力
    Item(
        "B.1.1",
        "进食",
        _D.SELF_CARE,
        _opts(
            "independent with utensils, no choking",
            "with prompting or using an aid, no choking",
            "needs at least a little hands-on help, occasional choking (≥1/month)",
            "needs much hands-on help, frequent choking (≥1/week)",
            "fully fed by others, or swallowing difficulty, or tube-fed",
        ),
    ),
    Item("B.1.2", "修饰", _D.SELF_CARE, _S5),
    Item("B.1.3", "洗澡", _D.SELF_CARE, _S5),
    Item("B.1.4", "穿/脱上衣", _D.SELF_CARE, _S5),
    Item("B.1.5", "穿/脱裤子和鞋袜", _D.SELF_CARE, _S5),
    Item(
        "B.1.6",
        "小便控制",
        _D.SELF_CARE,
        _opts(
            "normal",
            "daytime controlled, night frequency/poorer control, or uses pads by self",
            "mostly controlled by day, incontinent <1/day but >1/week, poor at night, "
            "or needs a little help with pads",
            "mostly uncontrolled by day (≥1/day, not total), incontinent at night, "
            "or needs much help with pads",
            "totally incontinent or indwelling catheter",
        ),
    ),
    Item(
        "B.1.7",
        "大便控制",
        _D.SELF_CARE,
        _opts(
            "normal",
            # Transcriptions differ ("<1/day" / "<1/week"); REFERENCE §2.2 finds "<1/week" the one
            # consistent with option 2 — to verify against the printed standard.
            "occasional constipation/incontinence (<1/week) or uses aids (开塞露, pads) by self",
            "frequent (<1/day but >1/week) or needs a little help with aids",
            "most of the time (≥1/day) but not total, or needs much help",
            "severe constipation or total incontinence, depends on others to defecate/clean",
        ),
    ),
    Item("B.1.8", "如厕", _D.SELF_CARE, _S5),
    # B.2 基础运动能力
    Item("B.2.1", "床上体位转移", _D.MOBILITY, _S5),
    Item("B.2.2", "床椅转移", _D.MOBILITY, _S5),
    Item(
        "B.2.3",
        "平地行走",
        _D.MOBILITY,
        _opts(
            "walks ~50 m alone, no fall risk",
            "walks ~50 m but fall risk — needs supervision/guidance or a cane/walker",
            "needs a little physical support",
            "needs much physical support",
            "cannot walk",
        ),
    ),
    Item(
        "B.2.4",
        "上下楼梯",
        _D.MOBILITY,
        _opts(  # max 3
            "independent",
            "with guidance/prompting",
            "needs help but does most",
            "mostly or fully dependent",
        ),
    ),
    # B.3 精神状态
    Item(
        "B.3.1",
        "时间定向",
        _D.MENTAL,
        _opts(
            "year/month clear, day/weekday within one day",
            "cannot fully tell year/month/day/weekday (off ≥2 days)",
            "knows only half-year or season",
            "knows only morning/afternoon or day/night",
            "none",
        ),
    ),
    Item(
        "B.3.2",
        "空间定向",
        _D.MENTAL,
        _opts(
            "goes out alone within daily range (e.g. shops in own estate)",
            "cannot go out alone but knows own address accurately",
            "cannot go out alone, knows much about where he lives",
            "knows little",
            "no sense of place",
        ),
    ),
    Item(
        "B.3.3",
        "人物定向",
        _D.MENTAL,
        _opts(
            "knows long-term cohabitants, names and relation",
            "most of them, name or relation",
            "some relatives/carers",
            "only self or very few",
            "nobody, not even self",
        ),
    ),
    Item(
        "B.3.4",
        "记忆",
        _D.MENTAL,
        _opts(
            "age-appropriate, complete recall",
            "mild disorder (of 3 words, recalls 0–1 after 5 min)",
            "moderate (cannot recall recent events, e.g. last meal)",
            "severe (cannot recall remote memory, e.g. old friends)",
            "completely disordered",
        ),
    ),
    Item(
        "B.3.5",
        "理解能力",
        _D.MENTAL,
        _opts(
            "normal",
            "needs more time",
            "difficulty, needs frequent repetition/simplification",
            "severe difficulty, much help",
            "cannot understand",
        ),
    ),
    Item(
        "B.3.6",
        "表达能力",
        _D.MENTAL,
        _opts(
            "normal",
            "needs more time",
            "difficulty, frequent repetition/simplification",
            "severe difficulty",
            "cannot express needs",
        ),
    ),
    Item(
        "B.3.7",
        "攻击行为",
        _D.MENTAL,
        _opts(  # max 1
            "none",
            "occurred in the last month",
        ),
    ),
    Item(
        "B.3.8",
        "抑郁症状",
        _D.MENTAL,
        _opts(  # max 1
            "none",
            "occurred in the last month",
        ),
    ),
    Item(
        "B.3.9",
        "意识水平",
        _D.MENTAL,
        _opts(  # max 2
            "alert, responds correctly",
            "somnolent (rousable, answers correctly, falls back asleep) or confused",
            "stupor (only brief waking to strong stimuli) or coma",
        ),
    ),
    # B.4 感知觉与社会参与
    Item(
        "B.4.1",
        "视力",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 2
            "normal",
            "sees large print but not standard print, or cannot read headlines but can recognise "
            "objects",
            "only light/colour/shape, or blind",
        ),
    ),
    Item(
        "B.4.2",
        "听力",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 2
            "normal",
            "cannot hear soft speech or beyond 2 m, needs quiet or loud speech",
            "hears partly only when the speaker is loud/slow, or deaf",
        ),
    ),
    Item(
        "B.4.3",
        "执行日常事务",
        _D.PERCEPTION_SOCIAL,
        _opts(
            "plans and completes alone",
            "needs supervision/guidance",
            "needs a little help",
            "needs much help",
            "fully dependent",
        ),
    ),
    Item(
        "B.4.4",
        "使用交通工具外出",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 3
            "rides a bike or takes public transport alone",
            "takes taxis alone but no other transport",
            "takes public transport only when accompanied",
            "only taxi/private car with help, or cannot go out",
        ),
    ),
    Item(
        "B.4.5",
        "社会交往能力",
        _D.PERCEPTION_SOCIAL,
        _opts(
            "takes part in society, adapts, appropriate manners",
            "adapts to simple settings, approaches others, intellectual problem not obvious at "
            "first meeting, misses metaphors",
            "withdrawn, only passive contact, many inappropriate words, easily cheated",
            "barely makes contact, unclear speech, inappropriate expression",
            "cannot interact",
        ),
    ),
)
del _D

ITEMS: Mapping[str, Item] = MappingProxyType({item.code: item for item in _ITEM_LIST})


def _check_tables() -> None:
    # Import-time guard: the data must add up as REFERENCE §2.1 states (26 items, total 90).
    if len(ITEMS) != 26:
        raise AssertionError(f"GB/T 42195 needs 26 items, got {len(ITEMS)}")
    for dim in Dimension:
        got = sum(i.max_score for i in _ITEM_LIST if i.dimension is dim)
        if got != DIMENSION_MAX[dim]:
            raise AssertionError(f"{dim}: item maxima add up to {got}, not {DIMENSION_MAX[dim]}")
    for item in _ITEM_LIST:
        if not item.code.startswith(item.dimension.code + "."):
            raise AssertionError(f"{item.code} filed under {item.dimension.code}")
    if sum(DIMENSION_MAX.values()) != MAX_TOTAL:
        raise AssertionError("dimension maxima do not add up to 90")


_check_tables()


# --------------------------------------------------------------------------- levels (C.3)

MAX_LEVEL = 4
# Short names used across the platform; the report (C.3/C.5) prints LEVEL_FULL_NAMES.
LEVEL_NAMES: Mapping[int, str] = MappingProxyType(
    {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能", 4: "完全失能"}
)
# REFERENCE §2.3: names as the standard writes them.
LEVEL_FULL_NAMES: Mapping[int, str] = MappingProxyType(
    {
        0: "能力完好",
        1: "能力轻度受损（轻度失能）",
        2: "能力中度受损（中度失能）",
        3: "能力重度受损（重度失能）",
        4: "能力完全丧失（完全失能）",
    }
)
# REFERENCE §2.3 (C.3): (level, lowest total, highest total), inclusive.
LEVEL_BANDS: tuple[tuple[int, int, int], ...] = (
    (0, 90, 90),
    (1, 66, 89),
    (2, 46, 65),
    (3, 30, 45),
    (4, 0, 29),
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def initial_level(total: int) -> int:
    """初步等级 for a total score 0–90 (REFERENCE §2.3, C.3)."""
    if not _is_int(total) or not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"总分必须是 0–{MAX_TOTAL} 的整数：{total!r}")
    for level, low, high in LEVEL_BANDS:
        if low <= total <= high:
            return level
    raise AssertionError(f"no band for {total}")  # the bands cover 0–90


# --------------------------------------------------------------------------- change clauses (C.4)


class ChangeClause(StrEnum):
    # REFERENCE §2.4: the three C.4 clauses (能力等级变更依据), in the standard's order.
    COMA = "coma"  # A.5.11 昏迷 → directly 完全失能
    DEMENTIA_OR_MENTAL = "dementia_or_mental"  # A.4.1 痴呆 F00–F03 / 精神和行为障碍 F04–F99 → +1
    RISK_EVENTS = "risk_events"  # A.2.14 ≥2 care-risk events in the last 30 days → +1

    @property
    def label(self) -> str:
        return _CLAUSE_LABELS[self]


_CLAUSE_LABELS = {
    ChangeClause.COMA: "处于昏迷状态者，直接评定为能力完全丧失（完全失能）",
    ChangeClause.DEMENTIA_OR_MENTAL: (
        "确诊为痴呆（F00–F03）或经精神科医师确诊的其他精神和行为障碍（F04–F99），提高一个等级"
    ),
    ChangeClause.RISK_EVENTS: (
        "近30天内发生过2次及以上照护风险事件（跌倒、噎食、自杀/自伤、走失等），提高一个等级"
    ),
}

# REFERENCE §2.4 clause 3: "two or more" events in the last 30 days.
RISK_EVENTS_THRESHOLD = 2
# REFERENCE §2.5 A.2.14: event types; each answered 无/1次/2次/3次及以上 (0–3, 3 = "3 or more").
RISK_EVENT_TYPES: tuple[str, ...] = ("跌倒", "走失", "噎食", "自杀/自伤", "其他")


def risk_event_count(per_type: Mapping[str, int]) -> int:
    """Sum the A.2.14 answers (type → 0, 1, 2 or 3 for "3次及以上") into ``risk_events_30d``.

    Choice: clause 3 counts events of all types together (the reference words it as "two or more
    care-risk events", listing the types as examples), so one fall and one choking make two.
    Types not given count as 无.
    """
    if not isinstance(per_type, Mapping):
        raise ValueError(f"照护风险事件应按类型给出次数：{per_type!r}")
    total = 0
    for kind, count in per_type.items():
        if kind not in RISK_EVENT_TYPES:
            kinds = "、".join(RISK_EVENT_TYPES)
            raise ValueError(f"未知的照护风险事件类型：{kind!r}（应为 {kinds}）")
        if not _is_int(count) or not 0 <= count <= 3:
            raise ValueError(f"照护风险事件“{kind}”的次数应为 0–3（3 表示3次及以上）：{count!r}")
        total += count
    return total


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Assessment:
    """The C section of the report: C.1 dimensions, C.2 total, C.3/C.4/C.5 levels."""

    total: int
    dimensions: dict[str, int] = field(hash=False)  # Chinese dimension name → score, B.1…B.4
    initial_level: int
    final_level: int
    clauses: tuple[ChangeClause, ...]  # C.4 clauses whose condition holds (ticked), in order
    levels_raised: int  # final_level - initial_level
    stack_clauses: bool  # the setting used for clauses 2 and 3
    notes: tuple[str, ...] = ()  # consistency remarks for the assessor (never change the result)
    version: str = VERSION

    @property
    def initial_level_name(self) -> str:
        return LEVEL_NAMES[self.initial_level]

    @property
    def final_level_name(self) -> str:
        return LEVEL_NAMES[self.final_level]

    @property
    def clause_labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.clauses)


def _check_answers(answers: Mapping[str, int]) -> None:
    if not isinstance(answers, Mapping):
        raise ValueError(f"评分应为“条目编号 → 分值”的映射：{type(answers).__name__}")
    unknown = [code for code in answers if code not in ITEMS]
    if unknown:
        raise ValueError(f"未知的评估条目：{'、'.join(map(repr, unknown))}")
    missing = [code for code in ITEMS if code not in answers]
    if missing:
        names = "、".join(f"{code} {ITEMS[code].name}" for code in missing)
        raise ValueError(f"缺少评估条目：{names}")
    for code, item in ITEMS.items():
        value = answers[code]
        if not _is_int(value):
            raise ValueError(f"条目 {code} {item.name} 的分值必须是整数：{value!r}")
        if value not in item.options:
            allowed = "、".join(str(s) for s in sorted(item.options))
            raise ValueError(f"条目 {code} {item.name} 的分值 {value} 不在允许范围（{allowed}）")


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} 必须是布尔值：{value!r}")
    return value


def score(
    answers: Mapping[str, int],
    *,
    coma: bool,
    dementia_or_mental: bool,
    risk_events_30d: int,
    stack_clauses: bool = False,
) -> Assessment:
    """Score one assessment (REFERENCE §2.2–§2.4).

    ``answers``: every item code "B.1.1" … "B.4.5" → its score (an allowed int).
    ``coma``: A.5.11 昏迷.  ``dementia_or_mental``: A.4.1 lists 痴呆 (F00–F03), or another
    mental/behavioural disorder (F04–F99) diagnosed by a psychiatrist — the caller decides the
    psychiatrist condition.  ``risk_events_30d``: number of care-risk events of any type in the
    last 30 days (A.2.14; see :func:`risk_event_count`).

    Clause 1 (coma) sets the final level to 4 whatever the score.  Clauses 2 and 3 each raise the
    initial level by one; with ``stack_clauses=False`` (default — REFERENCE §2.4, UNCONFIRMED,
    kept a setting) both together raise it by one only.  Never beyond level 4.
    """
    _check_answers(answers)
    _check_flag(coma, "coma（是否昏迷）")
    _check_flag(dementia_or_mental, "dementia_or_mental（是否确诊痴呆或精神和行为障碍）")
    _check_flag(stack_clauses, "stack_clauses")
    if not _is_int(risk_events_30d) or risk_events_30d < 0:
        raise ValueError(f"近30天照护风险事件次数必须是非负整数：{risk_events_30d!r}")

    dims = {dim.value: 0 for dim in Dimension}
    for code, item in ITEMS.items():
        dims[item.dimension.value] += answers[code]
    total = sum(dims.values())
    initial = initial_level(total)

    clauses = tuple(
        clause
        for clause, holds in (
            (ChangeClause.COMA, coma),
            (ChangeClause.DEMENTIA_OR_MENTAL, dementia_or_mental),
            (ChangeClause.RISK_EVENTS, risk_events_30d >= RISK_EVENTS_THRESHOLD),
        )
        if holds
    )
    if coma:
        final = MAX_LEVEL
    else:
        raises = len(clauses) if stack_clauses else min(len(clauses), 1)
        final = min(initial + raises, MAX_LEVEL)

    notes: list[str] = []
    if coma and answers["B.3.9"] != 0:
        notes.append("记录为昏迷，但 B.3.9 意识水平评分不为 0（昏迷应评 0 分），请核对")
    return Assessment(
        total=total,
        dimensions=dims,
        initial_level=initial,
        final_level=final,
        clauses=clauses,
        levels_raised=final - initial,
        stack_clauses=stack_clauses,
        notes=tuple(notes),
    )
