"""AD8 认知障碍筛查（知情者问卷）— REFERENCE §5.4.

Eight yes/no items asked of an informant, codes "1".."8".  Stored values: 1 是（有改变）,
0 否（无改变）, 9 不知道 — "don't know" scores 0 like "no" but is kept apart so a record shows how
much the informant could not say.  Total 0–8, higher = worse; ≥2 → refer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers

YES, NO, DONT_KNOW = 1, 0, 9

# REFERENCE §5.4: "yes, a change" = 1, "no" / "don't know" = 0.
_OPTIONS = (
    Option(YES, "是（有改变）", points=1),
    Option(NO, "否（无改变）", points=0),
    Option(DONT_KNOW, "不知道", points=0),
)
_GROUP = "与几年前相比，以下方面是否出现因认知（思考和记忆）问题导致的改变"

# REFERENCE §5.4: the eight items in the published order.
_ITEMS = (
    "判断力出现问题（如做决定困难、错误的财务决定、思考障碍等）",
    "对业余爱好或活动的兴趣下降",
    "不断重复同一件事（如总是问相同的问题、重复讲同一个故事或同一句话）",
    "学习使用简单的日常工具或家用电器（如遥控器、微波炉、手机）有困难",
    "记不清当前的月份或年份",
    "处理复杂的个人经济事务有困难（如对账、缴纳水电费、煤气费）",
    "记不住和别人的约定",
    "日常记忆和思考能力出现问题",
)
QUESTIONS: tuple[Question, ...] = tuple(
    Question(str(n), text, _OPTIONS, group=_GROUP, hint="由熟悉老人的知情者（家属或照护者）回答")
    for n, text in enumerate(_ITEMS, start=1)
)

# REFERENCE §5.4: ≥2 = cognitive impairment likely.
STANDARD = BandTable(
    "standard",
    "AD8 原版（≥2 分提示认知障碍）",
    (
        Band("normal", "未提示认知障碍", 0, 1),
        Band("likely", "可能存在认知障碍（建议进一步评估）", 2, 8, Risk.COGNITIVE),
    ),
    source="REFERENCE §5.4",
)

_CONTEXT_KEYS = frozenset({"convention"})


class Ad8Scale(Scale):
    code = "ad8"
    name = "AD8 认知障碍筛查（知情者问卷）"
    version = "AD8（Galvin 等，2005）"
    source = "REFERENCE §5.4"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 8

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
                    "dont_know": [q.code for q in self.questions if answers[q.code] == DONT_KNOW],
                    "convention": table.key,
                    "convention_label": table.label,
                    "band_range": [band.low, band.high],
                }
            ),
        )


SCALE = Ad8Scale()
