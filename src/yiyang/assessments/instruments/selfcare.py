"""老年人生活自理能力评估表 — REFERENCE §4.2 (国家基本公共卫生服务规范（第三版）).

The self-assessment form of the annual elderly health check.  Five items, codes "1".."5" in the
form's order; stored value = points.  Each item offers only the levels the form has (进餐 and
穿衣 have no 轻度依赖 column), so an impossible score cannot be stored.  Total 0–37, higher =
more dependent.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers

_COLUMNS = ("可自理", "轻度依赖", "中度依赖", "不能自理")


def _options(*cells: tuple[int, str] | None) -> tuple[Option, ...]:
    """One option per column of the form; ``None`` where the form has no such level."""
    return tuple(
        Option(cell[0], f"{cell[0]} 分（{column}）：{cell[1]}")
        for column, cell in zip(_COLUMNS, cells, strict=True)
        if cell is not None
    )


# REFERENCE §4.2: items, column scores and texts.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "进餐",
        _options(
            (0, "独立完成"),
            None,
            (3, "需要协助，如切碎、搅拌食物等"),
            (5, "完全需要帮助"),
        ),
        hint="使用餐具将饭菜送入口、咀嚼、吞咽等活动",
    ),
    Question(
        "2",
        "梳洗",
        _options(
            (0, "独立完成"),
            (1, "能独立地洗头、梳头、洗脸、刷牙、剃须等；洗澡需要协助"),
            (3, "在协助下和适当的时间内，能完成部分梳洗活动"),
            (7, "完全需要帮助"),
        ),
        hint="梳头、洗脸、刷牙、剃须、洗澡等活动",
    ),
    Question(
        "3",
        "穿衣",
        _options(
            (0, "独立完成"),
            None,
            (3, "需要协助，在适当的时间内完成部分穿衣"),
            (5, "完全需要帮助"),
        ),
        hint="穿衣裤、袜子、鞋子等活动",
    ),
    Question(
        "4",
        "如厕",
        _options(
            (0, "不需协助，可自控"),
            (1, "偶尔失禁，但基本上能如厕或使用便具"),
            (5, "经常失禁，在很多提示和协助下尚能如厕或使用便具"),
            (10, "完全失禁，完全需要帮助"),
        ),
        hint="小便、大便等活动及自控",
    ),
    Question(
        "5",
        "活动",
        _options(
            (0, "独立完成所有活动"),
            (1, "借助较小的外力或辅助装置能完成站立、行走、上下楼梯等"),
            (5, "借助较大的外力才能完成站立、行走，不能上下楼梯"),
            (10, "卧床不起，活动完全需要帮助"),
        ),
        hint="站立、室内行走、上下楼梯、户外活动",
    ),
)

# REFERENCE §4.2: 0–3 可自理; 4–8 轻度依赖; 9–18 中度依赖; ≥19 不能自理.
STANDARD = BandTable(
    "standard",
    "国家基本公共卫生服务规范（第三版）",
    (
        Band("independent", "可自理", 0, 3),
        Band("mild", "轻度依赖", 4, 8),
        Band("moderate", "中度依赖", 9, 18, Risk.DEPENDENCY),
        Band("dependent", "不能自理", 19, 37, Risk.DEPENDENCY),
    ),
    source="REFERENCE §4.2",
)

_CONTEXT_KEYS = frozenset({"convention"})


class SelfCareScale(Scale):
    code = "selfcare"
    name = "老年人生活自理能力评估表"
    version = "国家基本公共卫生服务规范（第三版）"
    source = "REFERENCE §4.2"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 37

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


SCALE = SelfCareScale()
