"""What an indicator is (issue "Regulators' workspace" item 2), as plain data and functions.

An indicator is measured per organisation of one kind (homes for most; community organisations
for family-doctor coverage) as a `Value`: a numerator over a denominator, plus optional `parts`
(a breakdown such as band × category). Regions add their organisations' values up (`rollup`).

* `compute(org_ids, on)` reads its app's rows for many organisations at once, in a fixed number
  of queries whatever their number (`org_ids=None`: every organisation of `org_kind`), as of the
  end of day `on`. It may leave an organisation out: it then counts 0 of 0.
* `records(actor, org_id, on)` lists the rows behind one organisation's number, read through the
  apps' `visible_to(actor)` queries, each marked whether it counts in the numerator.
* `connected()` is False while the app that feeds it is not built or not wired: the pages then
  say "数据来源尚未接入" instead of showing zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yiyang.core.scope import Actor

__all__ = ["Indicator", "Records", "RecordRow", "Rollup", "Target", "Unit", "Value"]


class Unit(StrEnum):
    PERCENT = "percent"  # numerator / denominator, shown as a percentage
    COUNT = "count"  # the numerator is the figure (the denominator is context, e.g. residents)


class Rollup(StrEnum):
    SUM = "sum"  # a region adds its organisations' numerators and denominators
    # Seed 002 §一: a county counts 1 of 1 when at least one of its organisations counts, 0 of 1
    # otherwise (every current county of the region, with or without organisations); cities and
    # the province add their counties up.
    COUNTY_ANY = "county_any"


@dataclass(frozen=True)
class Value:
    numerator: int
    denominator: int
    parts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0:
            raise ValueError("指标的分子、分母不能为负")

    @property
    def rate(self) -> float | None:
        """Percentage, or None when nothing is counted (0 of 0 is no data, not 0 %)."""
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator

    def __add__(self, other: Value) -> Value:
        parts = dict(self.parts)
        for key, n in other.parts.items():
            parts[key] = parts.get(key, 0) + n
        return Value(self.numerator + other.numerator, self.denominator + other.denominator,
                     parts)


ZERO = Value(0, 0)


@dataclass(frozen=True)
class Target:
    """A policy target: `op` is ">=" or "<=", `value` a percentage (or a count for COUNT)."""

    op: str
    value: float
    text: str  # as the clause says it, e.g. "不低于80%（2027年底）"

    def __post_init__(self) -> None:
        if self.op not in (">=", "<="):
            raise ValueError(f"未知的比较方式：{self.op}")

    def met(self, figure: float | None) -> bool | None:
        if figure is None:
            return None
        return figure >= self.value if self.op == ">=" else figure <= self.value


@dataclass(frozen=True)
class RecordRow:
    cells: tuple[str, ...]
    counted: bool  # in the numerator (e.g. contracted) or only in the denominator
    url: str = ""  # the record's own page, when it has one


@dataclass(frozen=True)
class Records:
    columns: tuple[str, ...]
    rows: Sequence[RecordRow]
    note: str = ""  # how to read the rows (e.g. "标 ✓ 的计入分子")


Compute = Callable[[Sequence[int] | None, date], dict[int, Value]]
RecordsFn = Callable[["Actor", int, date], Records]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, used in URLs and snapshots
    title: str
    clause: str  # the source clause, cited on the page
    formula: str  # one line in Chinese; docs/indicators.md has the full definition
    org_kind: str  # OrgKind value of the organisations it is measured on
    compute: Compute
    records: RecordsFn
    unit: Unit = Unit.PERCENT
    target: Target | None = None
    rollup: Rollup = Rollup.SUM
    order: int = 100  # position on the dashboard
    numerator_label: str = "分子"
    denominator_label: str = "分母"
    parts_labels: Mapping[str, str] = field(default_factory=dict)  # parts key -> label, ordered
    connected: Callable[[], bool] = _always

    def figure(self, value: Value) -> float | None:
        """The number the dashboard shows: the rate for PERCENT, the numerator for COUNT."""
        return value.rate if self.unit == Unit.PERCENT else float(value.numerator)

    def met(self, value: Value) -> bool | None:
        return None if self.target is None else self.target.met(self.figure(value))
