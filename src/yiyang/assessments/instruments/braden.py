"""Braden 压力性损伤风险评估 — REFERENCE §5.2.

Six items scored 1–4 (摩擦力和剪切力 1–3), total 6–23, **lower = higher risk**.  Question codes
are the item numbers "1".."6"; an option's stored value is its score.

Two banding conventions as data: the five-level Chinese banding (default) and the simpler
"≤18 有风险, ≤12 高危" flagging many Chinese hospitals use.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers


def _options(*pairs: tuple[int, str]) -> tuple[Option, ...]:
    return tuple(Option(points, f"{points} 分：{text}") for points, text in pairs)


# REFERENCE §5.2: items and scores (friction & shear has no 4).
QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "感知能力",
        _options(
            (1, "完全受限（对疼痛刺激无反应）"),
            (2, "大部分受限（仅对疼痛刺激有反应）"),
            (3, "轻度受限（对言语指令有反应，但不能总是表达不适）"),
            (4, "无损害（对言语指令反应良好，能表达不适）"),
        ),
        hint="对压力所致不适的感受和反应能力",
    ),
    Question(
        "2",
        "潮湿",
        _options(
            (1, "持续潮湿（皮肤几乎一直被汗液、尿液等浸湿）"),
            (2, "经常潮湿（皮肤常常但不总是潮湿，每班至少更换一次床单）"),
            (3, "偶尔潮湿（每天约需额外更换一次床单）"),
            (4, "很少潮湿（皮肤通常干燥）"),
        ),
        hint="皮肤暴露于潮湿环境的程度",
    ),
    Question(
        "3",
        "活动能力",
        _options(
            (1, "卧床不起"),
            (2, "局限于椅（不能行走或行走严重受限，需借助椅子或轮椅）"),
            (3, "偶尔行走（白天偶尔短距离行走）"),
            (4, "经常行走（清醒时每天至少两次室外行走）"),
        ),
        hint="身体活动的程度",
    ),
    Question(
        "4",
        "移动能力",
        _options(
            (1, "完全受限（没有帮助不能改变身体或肢体位置）"),
            (2, "非常受限（偶尔能轻微改变体位，但不能独立、经常地改变）"),
            (3, "轻度受限（能独立、经常地轻微改变身体或肢体位置）"),
            (4, "不受限（能独立、经常地大幅度改变体位）"),
        ),
        hint="改变和控制体位的能力",
    ),
    Question(
        "5",
        "营养",
        _options(
            (1, "非常差（从未吃完一餐，每餐很少吃完 1/3）"),
            (2, "可能不足（很少吃完一餐，通常只吃完 1/2）"),
            (3, "充足（每餐能吃完大半）"),
            (4, "丰富（每餐均能吃完，从不拒绝进食）"),
        ),
        hint="日常进食情况",
    ),
    Question(
        "6",
        "摩擦力和剪切力",
        _options(
            (1, "存在问题（移动时需中到大量帮助，常在床上或椅子上下滑）"),
            (2, "潜在问题（移动时需少量帮助，偶有下滑）"),
            (3, "无明显问题（能独立在床上或椅子上移动，始终保持良好体位）"),
        ),
    ),
)

# REFERENCE §5.2: ≥19 无风险; 15–18 低危; 13–14 中危; 10–12 高危; ≤9 极高危.
# Every band at or below 18 raises the pressure risk.
CN5 = BandTable(
    "cn5",
    "五级分级（≥19 无风险，≤9 极高危）",
    (
        Band("none", "无风险", 19, 23),
        Band("low", "低危", 15, 18, Risk.PRESSURE),
        Band("moderate", "中危", 13, 14, Risk.PRESSURE),
        Band("high", "高危", 10, 12, Risk.PRESSURE),
        Band("very_high", "极高危", 6, 9, Risk.PRESSURE),
    ),
    source="REFERENCE §5.2",
)
# REFERENCE §5.2: "many Chinese hospitals simply flag ≤12 as high risk (and ≤18 as at risk)".
SIMPLE = BandTable(
    "simple",
    "简化分级（≤18 有风险，≤12 高危）",
    (
        Band("none", "无风险", 19, 23),
        Band("at_risk", "有风险", 13, 18, Risk.PRESSURE),
        Band("high", "高危", 6, 12, Risk.PRESSURE),
    ),
    source="REFERENCE §5.2",
)

_CONTEXT_KEYS = frozenset({"convention"})


class BradenScale(Scale):
    code = "braden"
    name = "Braden 压力性损伤风险评估"
    version = "Braden 量表（Bergstrom & Braden，1987）"
    source = "REFERENCE §5.2"
    questions = QUESTIONS
    band_tables = MappingProxyType({t.key: t for t in (CN5, SIMPLE)})
    default_convention = "cn5"
    max_total = 23
    min_total = 6

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


SCALE = BradenScale()
