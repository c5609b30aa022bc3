"""The shape every assessment instrument shares (pure Python, no Django).

An instrument is a module-level :class:`Scale`: its questions and options as data, a version, and
a pure ``evaluate`` that turns a complete answer set (question code → option value) into an
:class:`Outcome`.  The record, the tablet form, the PDF and the API only ever talk to this shape,
so adding an instrument never touches them.

Band tables are data (:class:`BandTable`): REFERENCE §5 asks for cut-offs to be switchable where
Chinese practice differs from the original instrument, so a scale may carry several conventions
and records store which one was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = [
    "Band",
    "BandTable",
    "ContextField",
    "Option",
    "Outcome",
    "Question",
    "Risk",
    "Scale",
    "check_answers",
]


class Risk(StrEnum):
    """Risks an outcome can raise; care planning (issue "Daily care") proposes measures from them.

    The first four are GB 38600's care risks named by the assessments issue (fall, pressure,
    choking, wandering); the rest come from the clinical scales.
    """

    FALL = "fall"
    PRESSURE = "pressure"
    CHOKING = "choking"
    WANDERING = "wandering"
    COGNITIVE = "cognitive"
    DEPRESSION = "depression"
    MALNUTRITION = "malnutrition"
    DEPENDENCY = "dependency"

    @property
    def label(self) -> str:
        return _RISK_LABELS[self]


_RISK_LABELS = {
    Risk.FALL: "跌倒风险",
    Risk.PRESSURE: "压力性损伤风险",
    Risk.CHOKING: "噎食风险",
    Risk.WANDERING: "走失风险",
    Risk.COGNITIVE: "认知障碍风险",
    Risk.DEPRESSION: "抑郁风险",
    Risk.MALNUTRITION: "营养不良风险",
    Risk.DEPENDENCY: "生活依赖",
}


@dataclass(frozen=True, slots=True)
class Option:
    """One answer choice.  ``value`` is what a record stores; ``points`` what it adds to a total.

    They differ for reverse-keyed items (GDS-15 item 1: "否" is worth 1 point).
    """

    value: int
    label: str
    points: int | None = None

    @property
    def score(self) -> int:
        return self.value if self.points is None else self.points


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    text: str
    options: tuple[Option, ...]
    group: str = ""  # a section heading shown in the form (e.g. GB/T 42195 dimension)
    required: bool = True  # MNA-SF F1/F2: one of the two, checked by the scale itself
    hint: str = ""  # how to ask or observe

    def option(self, value: int) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        allowed = "、".join(str(o.value) for o in self.options)
        raise ValueError(f"条目 {self.code} {self.text} 的答案 {value!r} 不在允许范围（{allowed}）")

    @property
    def max_points(self) -> int:
        return max(o.score for o in self.options)


@dataclass(frozen=True, slots=True)
class Band:
    """An inclusive score range with its meaning; ``risk`` marks a band that raises a risk."""

    key: str
    label: str
    low: int
    high: int
    risk: Risk | None = None


@dataclass(frozen=True, slots=True)
class BandTable:
    key: str  # e.g. "cn" or "morse"
    label: str  # shown when choosing a convention
    bands: tuple[Band, ...]
    source: str = ""

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"总分 {total} 不在分级表“{self.label}”的范围内")


@dataclass(frozen=True, slots=True)
class ContextField:
    """Something the scale needs besides the answers (MMSE: education; GB/T 42195: coma…)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); empty → boolean or int


@dataclass(frozen=True)
class Outcome:
    """What a finished instrument reports.  Everything here is JSON-serialisable."""

    total: int | None  # None where no single total makes sense (TCM constitution)
    band: str  # machine key of the result band
    band_label: str  # Chinese, as printed
    summary: str  # one line for lists: "45 分 · 中度依赖"
    risks: frozenset[Risk] = frozenset()
    level: int | None = None  # GB/T 42195 final level 0–4; None for other scales
    details: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "band": self.band,
            "band_label": self.band_label,
            "summary": self.summary,
            "risks": sorted(r.value for r in self.risks),
            "level": self.level,
            "details": dict(self.details),
        }


def check_answers(questions: tuple[Question, ...], answers: Mapping[str, int]) -> None:
    """Raise ValueError (Chinese) for unknown codes, missing required answers or bad values."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"答案应为“条目编号 → 选项”的映射：{type(answers).__name__}")
    by_code = {q.code: q for q in questions}
    unknown = [code for code in answers if code not in by_code]
    if unknown:
        raise ValueError(f"未知的评估条目：{'、'.join(map(str, unknown))}")
    missing = [q for q in questions if q.required and q.code not in answers]
    if missing:
        raise ValueError("缺少评估条目：" + "、".join(f"{q.code} {q.text}" for q in missing))
    for code, value in answers.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"条目 {code} 的答案必须是整数：{value!r}")
        by_code[code].option(value)


class Scale:
    """Base for instruments.  Subclasses set the class attributes and implement ``evaluate``.

    ``additive`` scales show a running total in the form (sum of the answered options' points).
    """

    code: str = ""  # registry key, stored on records: "barthel", "gbt42195", …
    name: str = ""  # Chinese name
    version: str = ""  # stored on every record
    source: str = ""  # where the items and cut-offs come from (REFERENCE section)
    questions: tuple[Question, ...] = ()
    context_fields: tuple[ContextField, ...] = ()
    band_tables: Mapping[str, BandTable] = MappingProxyType({})
    default_convention: str = ""
    additive: bool = True
    max_total: int | None = None
    min_total: int = 0

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)

    def missing(self, answers: Mapping[str, int]) -> list[Question]:
        """Required questions not yet answered (the form shows them; finalising refuses)."""
        return [q for q in self.questions if q.required and q.code not in answers]

    def running_total(self, answers: Mapping[str, int]) -> int:
        """Sum of the points of the answers given so far (ignores unknown codes/values)."""
        total = 0
        for q in self.questions:
            if q.code in answers:
                try:
                    total += q.option(answers[q.code]).score
                except ValueError:
                    continue
        return total

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        raise NotImplementedError
