"""简易精神状态检查（MMSE）— REFERENCE §5.4.

Eleven parts as questions, codes "1".."11" in the printed order; a part's stored value is the
number of points scored in it (e.g. 时间定向 0–5).  Total 0–30, higher = better.

Whether a total means impairment depends on education (REFERENCE §5.4), so the context field
``education`` is required and each convention is a set of per-education cut-offs
(:class:`EducationCutoffs`).  The education-free severity banding is reported beside it in
``details``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .base import (
    Band,
    BandTable,
    ContextField,
    Option,
    Outcome,
    Question,
    Risk,
    Scale,
    check_answers,
)

MAX_TOTAL = 30


def _counted(maximum: int, unit: str) -> tuple[Option, ...]:
    """Options 0..maximum for a part scored one point per correct response."""
    return tuple(Option(n, f"{n} 分：{unit} {n} 项") for n in range(maximum + 1))


def _pass_fail() -> tuple[Option, ...]:
    return (Option(0, "0 分：未完成或错误"), Option(1, "1 分：正确完成"))


# REFERENCE §5.4: the eleven parts and their maxima (5+5+3+5+3+2+1+3+1+1+1 = 30).
QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "时间定向",
        _counted(5, "答对"),
        group="定向力",
        hint="今年是哪一年？现在是什么季节？几月份？几号？星期几？每答对一项 1 分",
    ),
    Question(
        "2",
        "地点定向",
        _counted(5, "答对"),
        group="定向力",
        hint="您住在哪个省（市）、哪个区（县）、哪个街道（乡镇）？这里是什么地方？第几层楼？",
    ),
    Question(
        "3",
        "即刻记忆",
        _counted(3, "复述正确"),
        group="记忆力",
        hint="说出三个词（如：皮球、国旗、树木），请老人立即复述，每个词 1 分",
    ),
    Question(
        "4",
        "注意力和计算力",
        _counted(5, "算对"),
        group="注意力和计算力",
        hint="100 连续减 7，共减 5 次（93、86、79、72、65），每算对一次 1 分",
    ),
    Question(
        "5",
        "回忆",
        _counted(3, "回忆正确"),
        group="回忆能力",
        hint="请老人说出刚才记住的三个词，每个词 1 分",
    ),
    Question(
        "6",
        "命名",
        _counted(2, "说对"),
        group="语言能力",
        hint="出示手表和铅笔，请老人说出名称",
    ),
    Question(
        "7",
        "复述",
        _pass_fail(),
        group="语言能力",
        hint="请老人复述：“四十四只石狮子”",
    ),
    Question(
        "8",
        "三步指令",
        _counted(3, "完成"),
        group="语言能力",
        hint="“用右手拿这张纸，用两只手把它对折，然后放在您的大腿上”，每完成一步 1 分",
    ),
    Question(
        "9",
        "阅读理解",
        _pass_fail(),
        group="语言能力",
        hint="请老人读出并照做卡片上的“请闭上您的眼睛”",
    ),
    Question(
        "10",
        "书写",
        _pass_fail(),
        group="语言能力",
        hint="请老人写一句完整、有意义的句子",
    ),
    Question(
        "11",
        "临摹",
        _pass_fail(),
        group="语言能力",
        hint="请老人照样画出两个相交的五边形",
    ),
)

# The context field's values; labels as printed on the form.
EDUCATION: Mapping[str, str] = MappingProxyType(
    {
        "illiterate": "文盲",
        "primary": "小学",
        "secondary": "中学",
        "college": "大学及以上",
    }
)


@dataclass(frozen=True, slots=True)
class EducationCutoffs(BandTable):
    """A convention whose impairment cut-off depends on education (REFERENCE §5.4).

    ``cutoffs`` maps an education value to the highest total that still counts as impaired.
    The inherited ``bands`` stay empty; :meth:`for_education` gives the plain two-band table.
    """

    cutoffs: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def for_education(self, education: str) -> BandTable:
        if education not in self.cutoffs:
            raise ValueError(f"文化程度 {education!r} 不在允许范围（{'、'.join(self.cutoffs)}）")
        cutoff = self.cutoffs[education]
        where = f"（文化程度：{EDUCATION[education]}，界值≤{cutoff}）"
        return BandTable(
            f"{self.key}:{education}",
            f"{self.label}：{EDUCATION[education]}",
            (
                Band("impaired", f"可疑认知障碍{where}", 0, cutoff, Risk.COGNITIVE),
                Band("normal", f"未见认知障碍{where}", cutoff + 1, MAX_TOTAL),
            ),
            source=self.source,
        )

    def band_for(self, total: int, education: str | None = None) -> Band:
        if education is None:
            raise ValueError("MMSE 的分级需要文化程度")
        return self.for_education(education).band_for(total)


# REFERENCE §5.4: 文盲 ≤17; 小学 ≤20; 中学及以上 ≤24.
CN = EducationCutoffs(
    "cn",
    "国内常用界值（文盲≤17，小学≤20，中学及以上≤24）",
    (),
    source="REFERENCE §5.4",
    cutoffs=MappingProxyType({"illiterate": 17, "primary": 20, "secondary": 24, "college": 24}),
)
# REFERENCE §5.4: the variant with 中学 ≤22, 大学 ≤23.
VARIANT = EducationCutoffs(
    "variant",
    "另一常用界值（文盲≤17，小学≤20，中学≤22，大学≤23）",
    (),
    source="REFERENCE §5.4",
    cutoffs=MappingProxyType({"illiterate": 17, "primary": 20, "secondary": 22, "college": 23}),
)
# REFERENCE §5.4: education-free severity, 27–30 正常, 21–26 轻度, 10–20 中度, ≤9 重度.
SEVERITY = BandTable(
    "severity",
    "严重程度（不分文化程度）",
    (
        Band("normal", "正常", 27, 30),
        Band("mild", "轻度认知障碍", 21, 26),
        Band("moderate", "中度认知障碍", 10, 20),
        Band("severe", "重度认知障碍", 0, 9),
    ),
    source="REFERENCE §5.4",
)

_CONVENTIONS: Mapping[str, EducationCutoffs] = MappingProxyType({t.key: t for t in (CN, VARIANT)})
_CONTEXT_KEYS = frozenset({"convention", "education"})


class MmseScale(Scale):
    code = "mmse"
    name = "简易精神状态检查（MMSE）"
    version = "MMSE（Folstein，1975）中文版"
    source = "REFERENCE §5.4"
    questions = QUESTIONS
    context_fields = (ContextField("education", "文化程度", tuple(EDUCATION.items())),)
    band_tables = _CONVENTIONS
    default_convention = "cn"
    max_total = MAX_TOTAL

    def context(self, context: Mapping[str, Any] | None) -> tuple[EducationCutoffs, str]:
        """The chosen convention and the education value, validated."""
        ctx = {} if context is None else context
        if not isinstance(ctx, Mapping):
            raise ValueError(f"评估背景信息应为映射：{type(ctx).__name__}")
        unknown = [str(k) for k in ctx if k not in _CONTEXT_KEYS]
        if unknown:
            raise ValueError(f"未知的评估背景信息：{'、'.join(unknown)}")
        key = ctx.get("convention", self.default_convention)
        if not isinstance(key, str) or key not in _CONVENTIONS:
            raise ValueError(f"未知的分级标准：{key!r}（可选：{'、'.join(_CONVENTIONS)}）")
        education = ctx.get("education")
        if education is None:
            raise ValueError("缺少文化程度（MMSE 的界值按文化程度而定）")
        if not isinstance(education, str) or education not in EDUCATION:
            allowed = "、".join(f"{v}（{label}）" for v, label in EDUCATION.items())
            raise ValueError(f"文化程度 {education!r} 不在允许范围（{allowed}）")
        return _CONVENTIONS[key], education

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        check_answers(self.questions, answers)
        convention, education = self.context(context)
        points = {q.code: q.option(answers[q.code]).score for q in self.questions}
        total = sum(points.values())
        band = convention.band_for(total, education)
        severity = SEVERITY.band_for(total)
        return Outcome(
            total=total,
            band=band.key,
            band_label=band.label,
            summary=f"{total} 分 · {band.label}",
            risks=frozenset({band.risk} if band.risk else ()),
            details=MappingProxyType(
                {
                    "points": points,
                    "convention": convention.key,
                    "convention_label": convention.label,
                    "education": education,
                    "education_label": EDUCATION[education],
                    "cutoff": convention.cutoffs[education],
                    "impaired": band.key == "impaired",
                    "severity": severity.key,
                    "severity_label": severity.label,
                }
            ),
        )


SCALE = MmseScale()
