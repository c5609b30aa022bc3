"""Follow-up schedule by service tier (pure Python, no Django): REFERENCE §1.5.

509 asks the primary-care institution to follow up yellow (二级) people "every 3 days"; local
practice asked after red (三级) people daily ("每日一问") and did not follow up green people.
Those defaults are data in the rule set (``follow_up_days``); a home may override the interval of
any category (:func:`effective_intervals`), including "no follow-up" (``None``).

The due date (choice, documented here and in the page's help text):

* the clock starts on the later of the classification date and the admission date (``since``),
  because a follow-up from a previous tier or a previous stay says nothing about the current one;
* the base is the later of ``since`` and the last follow-up in this stay;
* the next follow-up is due ``interval`` days after the base; it is overdue from the day after
  the due date (a red resident asked yesterday is due today, and overdue tomorrow).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from yiyang.residents.rules import Category, RuleSet, load_rule_set

__all__ = [
    "MAX_INTERVAL_DAYS",
    "SPO2_REFERRAL_BELOW",
    "FollowUpState",
    "State",
    "check_interval",
    "effective_intervals",
    "follow_up_state",
    "interval_label",
    "next_due",
    "overdue_days",
    "referral_signs",
]

MAX_INTERVAL_DAYS = 365
# REFERENCE §1.5 (509, 二级): refer promptly on persistent high fever, breathing difficulty or
# SpO₂ < 93 %.  One reading cannot show a fever is persistent, so a temperature at 高热 (≥ 39.1 ℃,
# the usual clinical band) is only a prompt to check.
SPO2_REFERRAL_BELOW = 93
HIGH_FEVER_FROM = Decimal("39.1")


def _check_date(value: object, name: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} 必须是日期（date）：{value!r}")
    return value


def check_interval(value: object) -> int | None:
    """A follow-up interval: whole days 1–365, or ``None`` for no follow-up."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"随访间隔必须是整数天数：{value!r}")
    if not 1 <= value <= MAX_INTERVAL_DAYS:
        raise ValueError(f"随访间隔应在 1–{MAX_INTERVAL_DAYS} 天之间")
    return value


def effective_intervals(
    overrides: Mapping[str, int | None] | None = None, rule_set: RuleSet | None = None
) -> dict[Category, int | None]:
    """Interval per category: the home's override where it has one, else the rule set's default.

    A key present with ``None`` means the home chose "no follow-up" for that category.
    """
    rs = rule_set if rule_set is not None else load_rule_set()
    overrides = overrides or {}
    unknown = set(overrides) - {c.value for c in Category}
    if unknown:
        raise ValueError(f"未知的人群分类：{sorted(unknown)}")
    out: dict[Category, int | None] = {}
    for category in Category:
        if category.value in overrides:
            out[category] = check_interval(overrides[category.value])
        else:
            out[category] = rs.follow_up_days[category]
    return out


def interval_label(days: int | None) -> str:
    if days is None:
        return "不随访"
    return "每日" if days == 1 else f"每 {days} 天"


def next_due(*, interval_days: int | None, since: date, last_on: date | None = None) -> date | None:
    """The date the next follow-up is due, or ``None`` when the tier has no follow-up."""
    _check_date(since, "since")
    if last_on is not None:
        _check_date(last_on, "last_on")
    days = check_interval(interval_days)
    if days is None:
        return None
    base = since if last_on is None else max(since, last_on)
    return base + timedelta(days=days)


def overdue_days(due_on: date | None, today: date) -> int:
    """Days past the due date (0 when not yet due, due today, or no follow-up)."""
    _check_date(today, "today")
    if due_on is None:
        return 0
    _check_date(due_on, "due_on")
    return max(0, (today - due_on).days)


class State(StrEnum):
    NONE = "none"  # the tier has no follow-up
    OVERDUE = "overdue"
    DUE = "due"  # due today
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return {"none": "无需随访", "overdue": "已逾期", "due": "今日应随访",
                "upcoming": "未到期"}[self.value]


@dataclass(frozen=True, slots=True)
class FollowUpState:
    interval_days: int | None
    due_on: date | None
    overdue_days: int
    state: State

    @property
    def is_overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def label(self) -> str:
        if self.state == State.OVERDUE:
            return f"逾期 {self.overdue_days} 天"
        return self.state.label

    @property
    def interval_label(self) -> str:
        return interval_label(self.interval_days)


def follow_up_state(
    *, interval_days: int | None, since: date, last_on: date | None, today: date
) -> FollowUpState:
    """Due date, days overdue and the state a schedule row shows."""
    due = next_due(interval_days=interval_days, since=since, last_on=last_on)
    late = overdue_days(due, today)
    if due is None:
        state = State.NONE
    elif late:
        state = State.OVERDUE
    elif due == today:
        state = State.DUE
    else:
        state = State.UPCOMING
    return FollowUpState(interval_days, due, late, state)


def referral_signs(
    *, spo2: int | None = None, temperature: Decimal | float | None = None
) -> tuple[str, ...]:
    """Readings that call for a referral or at least a doctor's look (REFERENCE §1.5)."""
    signs = []
    if spo2 is not None and spo2 < SPO2_REFERRAL_BELOW:
        signs.append(f"血氧饱和度 {spo2}% 低于 {SPO2_REFERRAL_BELOW}%，应及时转诊")
    if temperature is not None and Decimal(str(temperature)) >= HIGH_FEVER_FROM:
        signs.append(f"体温 {temperature} ℃ 为高热，持续高热应及时转诊")
    return tuple(signs)
