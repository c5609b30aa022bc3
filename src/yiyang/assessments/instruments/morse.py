"""Morse 跌倒风险评估 — REFERENCE §5.3.

Six items, 0–125, higher = higher fall risk.  Question codes are the item numbers "1".."6"; an
option's stored value is its score (so records hold 0/15/30 for 行走辅助).

Cut-offs as data: common Chinese practice (default) and Morse's original.  Both tables key their
top band "high" because care planning proposes fall measures from that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers


def _options(*pairs: tuple[int, str]) -> tuple[Option, ...]:
    return tuple(Option(points, f"{points} 分：{text}") for points, text in pairs)


# REFERENCE §5.3: items and scores.
QUESTIONS: tuple[Question, ...] = (
    Question("1", "跌倒史", _options((0, "无"), (25, "有")), hint="近 3 个月内有无跌倒"),
    Question(
        "2",
        "超过一个医学诊断",
        _options((0, "无"), (15, "有")),
        hint="是否同时患有两种及以上疾病诊断",
    ),
    Question(
        "3",
        "行走辅助",
        _options(
            (0, "不需要、卧床休息、坐轮椅或由护士扶持"),
            (15, "使用拐杖、手杖或助行器"),
            (30, "扶靠家具行走"),
        ),
    ),
    Question("4", "静脉输液或使用肝素锁", _options((0, "无"), (20, "有"))),
    Question(
        "5",
        "步态",
        _options(
            (0, "正常、卧床休息或坐轮椅"),
            (10, "虚弱无力"),
            (20, "功能障碍（步态不稳、需扶持）"),
        ),
    ),
    Question(
        "6",
        "精神状态",
        _options(
            (0, "了解自己的活动能力"),
            (15, "高估自己的能力或忘记自己受限制"),
        ),
    ),
)

# REFERENCE §5.3, common Chinese practice: <25 低危, 25–45 中危, >45 高危.
CN = BandTable(
    "cn",
    "国内常用（<25 低危，25–45 中危，>45 高危）",
    (
        Band("low", "低危", 0, 24),
        Band("moderate", "中危", 25, 45, Risk.FALL),
        Band("high", "高危", 46, 125, Risk.FALL),
    ),
    source="REFERENCE §5.3",
)
# REFERENCE §5.3, Morse's original: 0–24 无风险, 25–50 低危, ≥51 高危.
MORSE = BandTable(
    "morse",
    "Morse 原版（0–24 无风险，25–50 低危，≥51 高危）",
    (
        Band("none", "无风险", 0, 24),
        Band("low", "低危", 25, 50, Risk.FALL),
        Band("high", "高危", 51, 125, Risk.FALL),
    ),
    source="REFERENCE §5.3",
)

_CONTEXT_KEYS = frozenset({"convention"})


class MorseScale(Scale):
    code = "morse"
    name = "Morse 跌倒风险评估"
    version = "Morse 跌倒评估量表（Morse，1989）"
    source = "REFERENCE §5.3"
    questions = QUESTIONS
    band_tables = MappingProxyType({t.key: t for t in (CN, MORSE)})
    default_convention = "cn"
    max_total = 125

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


SCALE = MorseScale()
