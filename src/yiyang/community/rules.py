"""Pure rules of the community ledger (no Django): categories, risk, visit schedule, the
family-doctor target group and coverage, outbreak priority.

Sources: seed 001 item 24 (categories 高龄、空巢（独居）、残疾、失能、重病 and the needs to survey),
seed 002 §八 (family-doctor coverage ≥ 80 % of 失能、高龄、残疾 elderly by the end of 2027),
§九 (助餐、助洁、助行、助浴、助医、助急). Numbers the seeds do not give (the 80-year line of 高龄,
the visit intervals, the risk weights) are marked UNCONFIRMED in `docs/community.md`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

VERY_OLD_AGE = 80  # 高龄: 80 and over (common Chinese usage; the seed gives no number)
COVERAGE_TARGET = Fraction(80, 100)  # seed 002 §八: 不低于80% by the end of 2027


class Living(StrEnum):
    ALONE = "alone"
    SPOUSE = "spouse"
    FAMILY = "family"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LIVING_LABELS[self]


LIVING_LABELS = {
    Living.ALONE: "独居",
    Living.SPOUSE: "仅与配偶同住（空巢）",
    Living.FAMILY: "与子女或其他家人同住",
    Living.OTHER: "其他（如与保姆同住）",
}

LIVING_SHORT = {Living.ALONE: "独居", Living.SPOUSE: "与配偶同住", Living.FAMILY: "与家人同住",
                Living.OTHER: "其他"}


class Category(StrEnum):
    VERY_OLD = "very_old"
    EMPTY_NEST = "empty_nest"
    ALONE = "alone"
    DISABLED = "disabled"
    DEPENDENT = "dependent"
    ILL = "ill"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.VERY_OLD: "高龄",
    Category.EMPTY_NEST: "空巢",
    Category.ALONE: "独居",
    Category.DISABLED: "残疾",
    Category.DEPENDENT: "失能",
    Category.ILL: "重病",
}


class Need(StrEnum):
    """Seed 001 item 24: 慢性病管理、血液病透析、放化疗、长期用药、重大病术后康复、助餐、
    上门护理."""

    CHRONIC = "chronic"
    DIALYSIS = "dialysis"
    RADIO_CHEMO = "radio_chemo"
    LONG_TERM_MEDICATION = "medication"
    POST_SURGERY = "post_surgery"
    MEALS = "meals"
    HOME_NURSING = "home_nursing"

    @property
    def label(self) -> str:
        return NEED_LABELS[self]


NEED_LABELS = {
    Need.CHRONIC: "慢性病管理",
    Need.DIALYSIS: "血液透析",
    Need.RADIO_CHEMO: "放化疗",
    Need.LONG_TERM_MEDICATION: "长期用药",
    Need.POST_SURGERY: "重大病术后康复",
    Need.MEALS: "助餐",
    Need.HOME_NURSING: "上门护理",
}

# Treatments that cannot wait when movement is restricted in an outbreak: contacted first.
CANNOT_WAIT = (Need.DIALYSIS, Need.RADIO_CHEMO, Need.LONG_TERM_MEDICATION)


class ServiceKind(StrEnum):
    """Seed 002 §九: 助餐、助洁、助行、助浴、助医、助急."""

    MEALS = "meals"
    CLEANING = "cleaning"
    WALKING = "walking"
    BATHING = "bathing"
    MEDICAL = "medical"
    EMERGENCY = "emergency"

    @property
    def label(self) -> str:
        return SERVICE_LABELS[self]


SERVICE_LABELS = {
    ServiceKind.MEALS: "助餐",
    ServiceKind.CLEANING: "助洁",
    ServiceKind.WALKING: "助行",
    ServiceKind.BATHING: "助浴",
    ServiceKind.MEDICAL: "助医",
    ServiceKind.EMERGENCY: "助急",
}


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def categories(*, birth_date: date, on: date, living: str, disabled: bool, dependent: bool,
               seriously_ill: bool) -> tuple[Category, ...]:
    """The item-24 categories of one person on a day; 高龄 from the birth date."""
    found: list[Category] = []
    if age_on(birth_date, on) >= VERY_OLD_AGE:
        found.append(Category.VERY_OLD)
    if living == Living.SPOUSE:
        found.append(Category.EMPTY_NEST)
    if living == Living.ALONE:
        found.append(Category.ALONE)
    if disabled:
        found.append(Category.DISABLED)
    if dependent:
        found.append(Category.DEPENDENT)
    if seriously_ill:
        found.append(Category.ILL)
    return tuple(found)


# ---- risk and the visit schedule (UNCONFIRMED weights and intervals) ----------------------

class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return {"high": "高", "medium": "中", "low": "低"}[self.value]


WEIGHTS = {
    Category.ALONE: 2, Category.DEPENDENT: 2, Category.ILL: 2,
    Category.VERY_OLD: 1, Category.EMPTY_NEST: 1, Category.DISABLED: 1,
}
VISIT_INTERVAL_DAYS = {Risk.HIGH: 7, Risk.MEDIUM: 14, Risk.LOW: 30}


def risk_score(cats: Iterable[str], needs: Iterable[str] = ()) -> int:
    """Weighted categories, plus one for a treatment that cannot wait."""
    score = sum(WEIGHTS.get(Category(c), 0) for c in cats)
    if any(n in CANNOT_WAIT for n in needs):
        score += 1
    return score


def risk(cats: Iterable[str], needs: Iterable[str] = ()) -> Risk:
    """High: living alone and dependent, or a score of 4 or more; medium: 2–3; low below."""
    cats = tuple(cats)
    if Category.ALONE in cats and Category.DEPENDENT in cats:
        return Risk.HIGH
    score = risk_score(cats, needs)
    if score >= 4:
        return Risk.HIGH
    if score >= 2:
        return Risk.MEDIUM
    return Risk.LOW


def visit_interval(level: Risk) -> int:
    return VISIT_INTERVAL_DAYS[level]


def next_visit_due(*, last_visit: date | None, listed_on: date, level: Risk) -> date:
    """The next visit is due one interval after the last one; a person never visited is due one
    interval after being put on the ledger."""
    return (last_visit or listed_on) + timedelta(days=visit_interval(level))


def is_overdue(due: date, today: date) -> bool:
    return today > due


# ---- family doctors (seed 002 §八) --------------------------------------------------------

def in_target_group(cats: Iterable[str]) -> bool:
    """§八's 失能、高龄、残疾 elderly."""
    return bool({Category.DEPENDENT, Category.VERY_OLD, Category.DISABLED} & set(cats))


def contract_in_force(*, start_on: date, end_on: date, terminated_on: date | None,
                      on: date) -> bool:
    """In force from its start to its end (inclusive), unless ended earlier (from that day)."""
    if terminated_on is not None and on >= terminated_on:
        return False
    return start_on <= on <= end_on


@dataclass(frozen=True)
class Coverage:
    signed: int  # target-group people with a contract in force
    target: int  # target-group people on the ledger

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.signed, self.target) if self.target else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(float(rate) * 100, 1)

    @property
    def meets_target(self) -> bool:
        rate = self.rate
        return rate is not None and rate >= COVERAGE_TARGET


def coverage(people: Iterable[tuple[Iterable[str], bool]]) -> Coverage:
    """签约覆盖率 = target-group people with a contract in force ÷ target-group people.

    `people` gives each ledger person's categories and whether a contract is in force."""
    target = signed = 0
    for cats, in_force in people:
        if in_target_group(cats):
            target += 1
            signed += bool(in_force)
    return Coverage(signed=signed, target=target)


# ---- outbreak help (seed 001 item 24, second sentence) ------------------------------------

def outbreak_key(*, cats: Iterable[str], needs: Iterable[str], age: int) -> tuple:
    """Sort key: treatments that cannot wait first, then risk score, then age (oldest first)."""
    cats, needs = tuple(cats), tuple(needs)
    urgent = sum(1 for n in needs if n in CANNOT_WAIT)
    return (-urgent, -risk_score(cats, needs), -age)
