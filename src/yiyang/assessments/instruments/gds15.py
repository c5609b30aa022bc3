"""老年抑郁量表简版（GDS-15）— REFERENCE §5.5.

Fifteen yes/no items, codes "1".."15".  The stored value means the same on every item (1 是,
0 否) so answers read naturally; ``points`` carries the key: one point for the depressive answer,
which is "否" on the reverse-keyed items 1, 5, 7, 11, 13.  Total 0–15, higher = worse.

Two interpretations as data (REFERENCE §5.5): Sheikh & Yesavage (default) and a severity banding;
they disagree at 5, which is why a record stores the convention.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers

YES, NO = 1, 0

# REFERENCE §5.5: one point for "no" on these items, for "yes" on all others.
REVERSE_KEYED: frozenset[str] = frozenset({"1", "5", "7", "11", "13"})

# REFERENCE §5.5: the fifteen items in order (standard Chinese wording).
_ITEMS = (
    "您对生活基本上满意吗？",
    "您是否放弃了许多活动和兴趣爱好？",
    "您是否觉得生活空虚？",
    "您是否常感到厌倦？",
    "您是否大部分时间精神状态良好？",
    "您是否害怕会有不幸的事落到您头上？",
    "您是否大部分时间感到快乐？",
    "您是否常感到无助？",
    "您是否宁愿待在家里，而不愿外出做些新鲜事？",
    "您是否觉得与大多数人相比，您的记忆力问题更多？",
    "您是否觉得现在活着很美好？",
    "您是否觉得像现在这样活着毫无价值？",
    "您是否感到精力充沛？",
    "您是否觉得您的处境毫无希望？",
    "您是否觉得大多数人过得比您好？",
)


def _options(code: str) -> tuple[Option, ...]:
    reverse = code in REVERSE_KEYED
    return (
        Option(YES, "是", points=0 if reverse else 1),
        Option(NO, "否", points=1 if reverse else 0),
    )


QUESTIONS: tuple[Question, ...] = tuple(
    Question(str(n), text, _options(str(n)), hint="请根据最近一周的感受回答")
    for n, text in enumerate(_ITEMS, start=1)
)

# REFERENCE §5.5 (Sheikh & Yesavage): >5 suggests depression, ≥10 almost always depression.
SHEIKH = BandTable(
    "sheikh",
    "Sheikh & Yesavage（>5 提示抑郁，≥10 几乎肯定抑郁）",
    (
        Band("normal", "正常（无抑郁）", 0, 5),
        Band("suggestive", "提示抑郁（需随访）", 6, 9, Risk.DEPRESSION),
        Band("likely", "几乎肯定抑郁", 10, 15, Risk.DEPRESSION),
    ),
    source="REFERENCE §5.5",
)
# REFERENCE §5.5: severity banding 0–4 / 5–8 / 9–11 / 12–15.
SEVERITY = BandTable(
    "severity",
    "严重程度分级（0–4 正常，5–8 轻度，9–11 中度，12–15 重度）",
    (
        Band("normal", "正常", 0, 4),
        Band("mild", "轻度抑郁", 5, 8, Risk.DEPRESSION),
        Band("moderate", "中度抑郁", 9, 11, Risk.DEPRESSION),
        Band("severe", "重度抑郁", 12, 15, Risk.DEPRESSION),
    ),
    source="REFERENCE §5.5",
)

_CONTEXT_KEYS = frozenset({"convention"})


class Gds15Scale(Scale):
    code = "gds15"
    name = "老年抑郁量表简版（GDS-15）"
    version = "GDS-15（Sheikh & Yesavage，1986）"
    source = "REFERENCE §5.5"
    questions = QUESTIONS
    band_tables = MappingProxyType({t.key: t for t in (SHEIKH, SEVERITY)})
    default_convention = "sheikh"
    max_total = 15

    def table(self, context: Mapping[str, Any] | None) -> BandTable:
        """The band table ``context["convention"]`` names (the default when absent)."""
        ctx = {} if context is None else context
        if not isinstance(ctx, Mapping):
            raise ValueError(f"评估背景信息应为映射：{type(ctx).__name__}")
        unknown = [str(k) for k in ctx if k not in _CONTEXT_KEYS]
        if unknown:
            raise ValueError(f"未知的评估背景信息：{'、'.join(unknown)}")
        key = ctx.get("convention", self.default_convention)
        if not isinstance(key, str) or key not in self.band_tables:
            raise ValueError(f"未知的分级标准：{key!r}（可选：{'、'.join(self.band_tables)}）")
        return self.band_tables[key]

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        check_answers(self.questions, answers)
        table = self.table(context)
        points = {q.code: q.option(answers[q.code]).score for q in self.questions}
        total = sum(points.values())
        band = table.band_for(total)
        return Outcome(
            total=total,
            band=band.key,
            band_label=band.label,
            summary=f"{total} 分 · {band.label}",
            risks=frozenset({band.risk} if band.risk else ()),
            details=MappingProxyType(
                {
                    "points": points,
                    "convention": table.key,
                    "convention_label": table.label,
                    "band_range": [band.low, band.high],
                }
            ),
        )


SCALE = Gds15Scale()
