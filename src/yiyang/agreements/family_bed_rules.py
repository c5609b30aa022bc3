"""Family beds set up in a contracted home (家庭病床, catalogue item 11): pure rules, no Django.

Seed 003 annex item 11: the medical institution, under the county health administration's rules,
sets up family beds in the contracted home "为诊断明确、病情稳定、符合建床条件的老年人提供必要的
查床、护理、会诊与转诊服务".  So an episode opens only when every criterion is confirmed, rounds
(查床) are made while it is open, and it closes with an outcome.

    opened ─round─▶ opened ─close (outcome, reason)─▶ closed

UNCONFIRMED: the seeds give no round frequency; local rules commonly ask for a ward round at
least once a week, so ``DEFAULT_ROUND_INTERVAL_DAYS`` is 7, a parameter per episode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "CRITERIA",
    "DEFAULT_ROUND_INTERVAL_DAYS",
    "MAX_ROUND_INTERVAL_DAYS",
    "BedOutcome",
    "BedState",
    "RoundStatus",
    "check_close",
    "check_criteria",
    "check_round_interval",
    "round_status",
]

DEFAULT_ROUND_INTERVAL_DAYS = 7
MAX_ROUND_INTERVAL_DAYS = 31


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str


# The first three are the words of seed 003 item 11; consent is our addition (a bed is set up
# in the person's own room at the person's or guardian's request).
CRITERIA: tuple[Criterion, ...] = (
    Criterion("diagnosed", "诊断明确"),
    Criterion("stable", "病情稳定，适宜在机构内治疗"),
    Criterion("eligible", "符合辖区卫生健康行政部门规定的建床条件"),
    Criterion("consent", "本人或监护人知情同意"),
)
_CODES = tuple(c.code for c in CRITERIA)


class BedState(StrEnum):
    OPENED = "opened"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"opened": "在床", "closed": "已撤床"}[self.value]


class BedOutcome(StrEnum):
    RECOVERED = "recovered"
    IMPROVED = "improved"
    REFERRED = "referred"
    DIED = "died"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"recovered": "治愈撤床", "improved": "好转撤床", "referred": "转诊住院",
                "died": "死亡", "other": "其他"}[self.value]


def check_criteria(confirmed: Iterable[str]) -> tuple[str, ...]:
    """The confirmed criteria in table order; ``ValueError`` (Chinese) naming what is missing
    or unknown, since a bed opens only when every criterion holds."""
    given = set(confirmed)
    unknown = given - set(_CODES)
    if unknown:
        raise ValueError(f"未知的建床条件：{'、'.join(sorted(unknown))}")
    missing = [c.label for c in CRITERIA if c.code not in given]
    if missing:
        raise ValueError(f"不符合建床条件，未确认：{'；'.join(missing)}")
    return _CODES


def check_round_interval(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 1 <= value <= MAX_ROUND_INTERVAL_DAYS:
        raise ValueError(f"查床周期应为 1 至 {MAX_ROUND_INTERVAL_DAYS} 天")
    return value


def check_close(*, opened_on: date, closed_on: date, outcome: str,
                reason: str | None) -> BedOutcome:
    """The outcome of closing an episode on ``closed_on``; ``ValueError`` if it cannot close."""
    try:
        result = BedOutcome(outcome)
    except ValueError:
        raise ValueError("请选择撤床结局") from None
    if closed_on < opened_on:
        raise ValueError("撤床日期不能早于建床日期")
    if result is BedOutcome.OTHER and not (reason or "").strip():
        raise ValueError("结局为“其他”时必须填写撤床原因")
    return result


@dataclass(frozen=True)
class RoundStatus:
    due: date  # when the next round is due
    overdue_days: int  # 0 when not overdue


def round_status(*, opened_on: date, round_dates: Iterable[date], today: date,
                 interval_days: int = DEFAULT_ROUND_INTERVAL_DAYS) -> RoundStatus:
    """The next round is due ``interval_days`` after the last one (or after opening); it is
    overdue from the day after that."""
    interval = check_round_interval(interval_days)
    last = max((d for d in round_dates if d >= opened_on), default=opened_on)
    due = last + timedelta(days=interval)
    return RoundStatus(due=due, overdue_days=max(0, (today - due).days))
