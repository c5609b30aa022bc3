"""Mini-Cog 认知筛查 — REFERENCE §5.4.

Two parts: "1" 三词回忆 (0–3, one point per word) and "2" 画钟试验 (2 normal, 0 abnormal — there
is no 1).  Total 0–5, higher = better; 0–2 is a positive screen.  Stored value = points.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers

# REFERENCE §5.4: recall 0–3 + clock 0 or 2.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "三词回忆",
        tuple(Option(n, f"{n} 分：无提示下回忆出 {n} 个词") for n in range(4)),
        hint="先请老人记住三个词（如：香蕉、日出、椅子），画钟后再请其回忆，每个词 1 分",
    ),
    Question(
        "2",
        "画钟试验",
        (
            Option(2, "2 分：正常（数字齐全、位置正确，指针指向要求的时间）"),
            Option(0, "0 分：异常或拒绝画钟"),
        ),
        hint="请老人画一个钟面，标出全部数字，并把指针指向 11 点 10 分",
    ),
)

# REFERENCE §5.4: 0–2 positive (possible cognitive impairment); 3–5 negative.
STANDARD = BandTable(
    "standard",
    "Mini-Cog 原版（0–2 分阳性）",
    (
        Band("negative", "筛查阴性", 3, 5),
        Band("positive", "筛查阳性（可能存在认知障碍）", 0, 2, Risk.COGNITIVE),
    ),
    source="REFERENCE §5.4",
)

_CONTEXT_KEYS = frozenset({"convention"})


class MiniCogScale(Scale):
    code = "minicog"
    name = "Mini-Cog 认知筛查"
    version = "Mini-Cog（Borson 等，2000）"
    source = "REFERENCE §5.4"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 5

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


SCALE = MiniCogScale()
