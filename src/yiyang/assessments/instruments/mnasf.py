"""微型营养评定简表（MNA-SF）— REFERENCE §5.6.

Question codes are the form's letters "A".."E", "F1" (BMI) and "F2" (calf circumference);
stored value = points.  F2 is used only when BMI cannot be obtained, never both: each is
``required=False`` and the scale itself demands exactly one of the pair.  Total 0–14, higher =
better.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Risk, Scale, check_answers

ANTHROPOMETRY = ("F1", "F2")


def _options(*pairs: tuple[int, str]) -> tuple[Option, ...]:
    return tuple(Option(points, f"{points} 分：{text}") for points, text in pairs)


# REFERENCE §5.6: items and scores.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "A",
        "近 3 个月内有无因食欲下降、消化问题、咀嚼或吞咽困难而食量减少",
        _options((0, "食量严重减少"), (1, "食量中度减少"), (2, "食量没有减少")),
    ),
    Question(
        "B",
        "近 3 个月内体重下降情况",
        _options(
            (0, "体重下降大于 3 千克"),
            (1, "不知道"),
            (2, "体重下降 1～3 千克"),
            (3, "体重没有下降"),
        ),
    ),
    Question(
        "C",
        "活动能力",
        _options(
            (0, "需长期卧床或坐轮椅"),
            (1, "可以下床或离开轮椅，但不能外出"),
            (2, "可以外出"),
        ),
    ),
    Question(
        "D",
        "近 3 个月内有无受到心理创伤或患急性疾病",
        _options((0, "有"), (2, "没有")),
    ),
    Question(
        "E",
        "精神心理问题",
        _options((0, "严重痴呆或抑郁"), (1, "轻度痴呆"), (2, "没有精神心理问题")),
    ),
    Question(
        "F1",
        "体重指数（BMI，kg/m²）",
        _options(
            (0, "BMI＜19"),
            (1, "19≤BMI＜21"),
            (2, "21≤BMI＜23"),
            (3, "BMI≥23"),
        ),
        required=False,
        hint="BMI＝体重（kg）÷身高²（m²）；无法取得 BMI 时改答 F2，二者只答其一",
    ),
    Question(
        "F2",
        "小腿围（CC，cm）",
        _options((0, "CC＜31"), (3, "CC≥31")),
        required=False,
        hint="仅在无法取得 BMI 时测量；已回答 F1 者不答此项",
    ),
)

# REFERENCE §5.6: 12–14 normal; 8–11 at risk; 0–7 malnourished.
STANDARD = BandTable(
    "standard",
    "MNA-SF（12–14 正常，8–11 有风险，0–7 营养不良）",
    (
        Band("normal", "营养正常", 12, 14),
        Band("at_risk", "有营养不良风险", 8, 11, Risk.MALNUTRITION),
        Band("malnourished", "营养不良", 0, 7, Risk.MALNUTRITION),
    ),
    source="REFERENCE §5.6",
)

_CONTEXT_KEYS = frozenset({"convention"})


class MnaSfScale(Scale):
    code = "mnasf"
    name = "微型营养评定简表（MNA-SF）"
    version = "MNA-SF（Kaiser 等，2009 修订版）"
    source = "REFERENCE §5.6"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 14

    def missing(self, answers: Mapping[str, int]) -> list[Question]:
        # F1/F2 are optional one by one but the pair is not: show both until one is answered.
        found = super().missing(answers)
        if not any(code in answers for code in ANTHROPOMETRY):
            found += [self.question(code) for code in ANTHROPOMETRY]
        return found

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
        given = [code for code in ANTHROPOMETRY if code in answers]
        if not given:
            raise ValueError("缺少评估条目：F1 体重指数（BMI）或 F2 小腿围，须回答其中一项")
        if len(given) > 1:
            raise ValueError("F1 体重指数（BMI）与 F2 小腿围只能回答其一，不能同时回答")
        table = self.table(context)
        points = {
            q.code: q.option(answers[q.code]).score for q in self.questions if q.code in answers
        }
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
                    "anthropometry": given[0],
                    "convention": table.key,
                    "convention_label": table.label,
                    "band_range": [band.low, band.high],
                }
            ),
        )


SCALE = MnaSfScale()
