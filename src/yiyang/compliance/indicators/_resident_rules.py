"""Pure date and label rules of the residents' indicators (no Django; docs/indicators-residents.md).

The indicator queries compare columns with constant dates computed here once per run, so the
SQL needs no date arithmetic on columns (portable to SQLite and PostgreSQL):

* :func:`born_by` — the latest birth date of a person aged at least ``years`` on ``on``
  (``birth_date <= born_by(on, 60)`` ⇔ aged 60+ on ``on``, 29 February as ``residents.rules``).
* :func:`year_before` — the day a year before ``on``; "the 12 months ending ``on``" are the
  days ``d`` with ``year_before(on) < d <= on``.
* :func:`band_key` / :data:`PARTS_LABELS` — the key-population breakdown keys and labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from yiyang.compliance.rules import years_before
from yiyang.residents.rules import BAND_LABELS, CATEGORY_LABELS, AgeBand, Category

__all__ = [
    "BANDS",
    "BAND_NAMES",
    "CATEGORY_NAMES",
    "CATEGORIES",
    "PARTS_LABELS",
    "UNCLASSIFIED",
    "UNDER_60",
    "VACCINATION_LABELS",
    "band_key",
    "born_by",
    "part_key",
    "year_before",
]

UNDER_60 = "under60"  # disabled residents under 60 (seed 000 §三 registers them at any age)
UNCLASSIFIED = "unclassified"  # in the register's scope, but no classification dated <= on
# Band start ages, highest first (seed 000 §三: 60–64, 65–79, 80–89, 90+).
BAND_STARTS: tuple[tuple[int, str], ...] = (
    (90, AgeBand.AGE_90_PLUS.value),
    (80, AgeBand.AGE_80_89.value),
    (65, AgeBand.AGE_65_79.value),
    (60, AgeBand.AGE_60_64.value),
)
BANDS: tuple[str, ...] = (*(b for _, b in reversed(BAND_STARTS)), UNDER_60)
CATEGORIES: tuple[str, ...] = (Category.RED.value, Category.YELLOW.value, Category.GREEN.value,
                               UNCLASSIFIED)
_BAND_LABELS = {**{b.value: label for b, label in BAND_LABELS.items()},
                UNDER_60: "60岁以下（残疾）"}
_CATEGORY_SHORT = {Category.RED.value: "红色", Category.YELLOW.value: "黄色",
                   Category.GREEN.value: "绿色", UNCLASSIFIED: "未分类"}


def part_key(band: str, category: str) -> str:
    return f"{band}:{category}"


# The category of a register row (the residents app's labels, and "未分类").
CATEGORY_NAMES: Mapping[str, str] = MappingProxyType(
    {**{c.value: label for c, label in CATEGORY_LABELS.items()}, UNCLASSIFIED: "未分类"})

# Ordered: band by band (red, yellow, green, unclassified), then each category's total (plain
# keys without a band, so the dashboard can show the red count on its own).
PARTS_LABELS: Mapping[str, str] = MappingProxyType({
    **{part_key(b, c): f"{_BAND_LABELS[b]}·{_CATEGORY_SHORT[c]}"
       for b in BANDS for c in CATEGORIES},
    **{c: f"{CATEGORY_NAMES[c]}合计" for c in CATEGORIES},
})
BAND_NAMES: Mapping[str, str] = MappingProxyType(_BAND_LABELS)

VACCINATION_LABELS: Mapping[str, str] = MappingProxyType(
    {"full": "全程接种", "partial": "未全程接种", "none": "未接种"})


def _check(value: object, name: str) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValueError(f"{name} 必须是日期（date）：{value!r}")
    return value


def born_by(on: date, years: int) -> date:
    """The latest birth date of someone at least ``years`` old (周岁) on ``on``.

    Someone born on 29 February is a year older on 1 March in a non-leap year
    (``residents.rules.birthday``), so when ``on`` is 29 February and the year ``years`` back
    has none, the limit is 28 February.
    """
    _check(on, "on")
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= on.year - 1:
        raise ValueError(f"年龄必须是 0–{on.year - 1} 的整数：{years!r}")
    return years_before(on, years)


def year_before(on: date) -> date:
    """The same day a year earlier (28 February for 29 February): the window of the 12 months
    ending ``on`` is ``year_before(on) < d <= on``."""
    return years_before(_check(on, "on"), 1)


def band_key(birth_date: date, on: date) -> str:
    """The register band of a person on ``on`` ("under60" below 60), as the SQL computes it."""
    _check(birth_date, "birth_date")
    for years, band in BAND_STARTS:
        if birth_date <= born_by(on, years):
            return band
    return UNDER_60


def days_before(on: date, days: int) -> date:
    """``on`` minus ``days`` (a constant the queries compare columns with)."""
    return _check(on, "on") - timedelta(days=days)
