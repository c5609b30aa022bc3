"""Barthel 指数（日常生活活动能力，ADL）— REFERENCE §5.1.

Ten items, 0–100, higher = more independent.  Question codes are the item numbers "1".."10" in
the printed order; an option's stored value is its score.  Option wording follows the Barthel
table of WS/T 431-2013 《护理分级》 as used in Chinese wards and homes.

Two banding conventions (REFERENCE §5.1): WS/T 431-2013 dependency levels (default) and the
MZ/T 039-2013 ADL grades 0–3 (REFERENCE §2.6) that older home records still carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers


def _options(*pairs: tuple[int, str]) -> tuple[Option, ...]:
    return tuple(Option(points, f"{points} 分：{text}") for points, text in pairs)


# REFERENCE §5.1: items and scores.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "进食",
        _options(
            (10, "可独立进食（在合理的时间内独立进食准备好的食物）"),
            (5, "需部分帮助（如切碎食物、搅拌食物等某个步骤需要帮助）"),
            (0, "需极大帮助或完全依赖他人，或留置胃管"),
        ),
    ),
    Question(
        "2",
        "洗澡",
        _options(
            (5, "准备好洗澡水后，可自己独立完成洗澡过程"),
            (0, "在洗澡过程中需他人帮助"),
        ),
    ),
    Question(
        "3",
        "修饰",
        _options(
            (5, "可独立完成洗脸、刷牙、梳头、刮脸等"),
            (0, "需他人帮助"),
        ),
        hint="洗脸、刷牙、梳头、刮脸等",
    ),
    Question(
        "4",
        "穿衣",
        _options(
            (10, "可独立完成（含系扣、拉拉链、穿脱鞋袜）"),
            (5, "需部分帮助（能自己穿脱，但需他人帮助整理衣物、系扣、系鞋带、拉拉链）"),
            (0, "需极大帮助或完全依赖他人"),
        ),
    ),
    Question(
        "5",
        "控制大便",
        _options(
            (10, "可控制大便"),
            (5, "偶尔失控，或需要他人提示"),
            (0, "完全失控，或需要灌肠"),
        ),
    ),
    Question(
        "6",
        "控制小便",
        _options(
            (10, "可控制小便"),
            (5, "偶尔失控，或需要他人提示"),
            (0, "完全失控，或留置导尿管且不能自行处理"),
        ),
    ),
    Question(
        "7",
        "如厕",
        _options(
            (10, "可独立完成"),
            (5, "需部分帮助（需他人搀扶去厕所、帮忙冲水或整理衣裤等）"),
            (0, "需极大帮助或完全依赖他人"),
        ),
        hint="包括去厕所、解开衣裤、擦净、整理衣裤、冲水",
    ),
    Question(
        "8",
        "床椅转移",
        _options(
            (15, "可独立完成"),
            (10, "需部分帮助（需他人搀扶或监护）"),
            (5, "需极大帮助（需 1～2 人帮助），能坐"),
            (0, "完全依赖他人，不能坐"),
        ),
    ),
    Question(
        "9",
        "平地行走",
        _options(
            (15, "可独立在平地上行走 45 米（可使用辅助用具）"),
            (10, "需 1 人帮助（搀扶或语言指导）"),
            (5, "不能行走，但可独立操纵轮椅"),
            (0, "完全依赖他人，不能移动"),
        ),
    ),
    Question(
        "10",
        "上下楼梯",
        _options(
            (10, "可独立上下楼梯"),
            (5, "需部分帮助（需扶楼梯、他人搀扶或使用拐杖等）"),
            (0, "需极大帮助或完全依赖他人"),
        ),
    ),
)

# Band keys are the same in both conventions so care planning reads one vocabulary.
# REFERENCE §5.1 (WS/T 431-2013): 100 无需依赖; 61–99 轻度; 41–60 中度; ≤40 重度.
WST431 = BandTable(
    "wst431",
    "WS/T 431-2013《护理分级》自理能力分级",
    (
        Band("independent", "无需依赖", 100, 100),
        Band("mild", "轻度依赖", 61, 99),
        Band("moderate", "中度依赖", 41, 60, Risk.DEPENDENCY),
        Band("severe", "重度依赖", 0, 40, Risk.DEPENDENCY),
    ),
    source="REFERENCE §5.1",
)
# REFERENCE §2.6 (MZ/T 039-2013 日常生活活动分级): 100 / 65–95 / 45–60 / ≤40 as grades 0–3.
# Written literally: the gaps (96–99, 61–64, 41–44) cannot occur, every score is a multiple of 5.
MZT039 = BandTable(
    "mzt039",
    "MZ/T 039-2013 日常生活活动分级（0–3 级）",
    (
        Band("independent", "0 级（能力完好）", 100, 100),
        Band("mild", "1 级（轻度受损）", 65, 95),
        Band("moderate", "2 级（中度受损）", 45, 60, Risk.DEPENDENCY),
        Band("severe", "3 级（重度受损）", 0, 40, Risk.DEPENDENCY),
    ),
    source="REFERENCE §2.6",
)

_CONTEXT_KEYS = frozenset({"convention"})


class BarthelScale(Scale):
    code = "barthel"
    name = "Barthel 指数（日常生活活动能力）"
    version = "WS/T 431-2013 Barthel 指数"
    source = "REFERENCE §5.1（分级另见 §2.6）"
    questions = QUESTIONS
    band_tables = MappingProxyType({t.key: t for t in (WST431, MZT039)})
    default_convention = "wst431"
    max_total = 100

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


SCALE = BarthelScale()
