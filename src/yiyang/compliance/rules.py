"""Compliance rules (pure Python, no Django): obligation periods and their status, the hazard
ledger's clock, the 双随机 draw, and the state machines of rectifications and clinic filings.

Periods are calendar periods (month, quarter, half-year, year), not rolling windows: "每月至少
组织1次防火检查" is read as at least once in each calendar month (seed 002 §二十四), "每个季度至少
开展一次…应急预案演练" once in each calendar quarter (seed 001 item 1).  An obligation's standing
looks at the periods of the last year (the window, see `window`):

* the current period is **done** when it has the required number of fulfilments (`required`,
  e.g. 2 mental-health lectures a year, seed 002 §十二), else it is still **due**;
* a period that ended without them is **overdue** (漏做);
* the obligation as a whole is *done* when the current period is, *overdue* when the period
  before the current one was missed and the current one is not yet done, *due* otherwise.  A
  miss further back stays in the history (`missed`) and in the regulators' overdue counts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "years_before",
    "DrawError",
    "FilingAction",
    "FilingState",
    "HazardAction",
    "HazardState",
    "Interval",
    "Period",
    "Progress",
    "RectificationAction",
    "RectificationState",
    "Standing",
    "Status",
    "TransitionError",
    "count_in",
    "draw",
    "filing_next",
    "hazard_next",
    "hazard_overdue",
    "ledger_status",
    "period_containing",
    "period_status",
    "periods_in_window",
    "rectification_next",
    "rectification_overdue",
    "sample_size",
    "standing",
    "window",
]


class Interval(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    LEDGER = "ledger"  # not periodic: the hazard ledger (open items and their deadlines)

    @property
    def label(self) -> str:
        return {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年",
                "ledger": "持续"}[self.value]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]


class Status(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_CONNECTED = "not_connected"  # fulfilled by another app's records not yet connected

    @property
    def label(self) -> str:
        return {"done": "已完成", "due": "待完成", "overdue": "已逾期",
                "not_connected": "数据来源尚未接入"}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    interval: Interval = field(compare=False)

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        if self.interval is Interval.MONTH:
            return f"{y}年{m}月"
        if self.interval is Interval.QUARTER:
            return f"{y}年第{(m - 1) // 3 + 1}季度"
        if self.interval is Interval.HALF:
            return f"{y}年{'上' if m == 1 else '下'}半年"
        return f"{y}年"

    @property
    def short(self) -> str:
        """A label for a small cell: 12月, 26Q4, 26上, 2026."""
        y, m = self.start.year, self.start.month
        if self.interval is Interval.MONTH:
            return f"{m}月"
        if self.interval is Interval.QUARTER:
            return f"{y % 100:02d}Q{(m - 1) // 3 + 1}"
        if self.interval is Interval.HALF:
            return f"{y % 100:02d}{'上' if m == 1 else '下'}"
        return str(y)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 28 February when that year has no 29 February. Used for
    age limits (born on or before it = at least `years` 周岁 on `day`) and year windows."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def period_containing(day: date, interval: Interval | str) -> Period:
    """The calendar period of `interval` that contains `day`."""
    interval = Interval(interval)
    if interval is Interval.LEDGER:
        raise ValueError("台账类义务没有周期")
    span = interval.months
    first_month = (day.month - 1) // span * span + 1
    start = date(day.year, first_month, 1)
    ny, nm = _add_months(day.year, first_month, span)
    return Period(start, date(ny, nm, 1) - timedelta(days=1), interval)


def window(today: date) -> date:
    """The first day looked at: periods ending on or after it count (the last year)."""
    return today - timedelta(days=365)


def periods_in_window(interval: Interval | str, today: date) -> list[Period]:
    """The periods from the one covering `window(today)` up to the current one, oldest first."""
    interval = Interval(interval)
    current = period_containing(today, interval)
    periods = [current]
    while True:
        before = period_containing(periods[0].start - timedelta(days=1), interval)
        if before.end < window(today):
            break
        periods.insert(0, before)
    return periods


def count_in(period: Period, days: Iterable[date]) -> int:
    return sum(1 for d in days if d in period)


@dataclass(frozen=True)
class Progress:
    """What was done in one period against what is required (for per-resident duties, e.g. the
    annual check-up of residents 65+, `required` is the number of such residents)."""

    done: int
    required: int


def period_status(period: Period, progress: Progress, today: date) -> Status:
    if progress.done >= progress.required:
        return Status.DONE
    return Status.OVERDUE if today > period.end else Status.DUE


@dataclass(frozen=True)
class Standing:
    status: Status
    current: Period | None
    done: int = 0  # in the current period
    required: int = 0
    missed: tuple[Period, ...] = ()  # periods of the window that ended unfulfilled
    history: tuple[tuple[Period, Progress, Status], ...] = ()

    @property
    def overdue_count(self) -> int:
        return len(self.missed)


def standing(interval: Interval | str, progress: Sequence[Progress], today: date) -> Standing:
    """The standing of an obligation from its progress in each period of the window
    (`periods_in_window(interval, today)`, oldest first, one `Progress` each)."""
    periods = periods_in_window(interval, today)
    if len(progress) != len(periods):
        raise ValueError("每个周期需要一条完成情况")
    history = tuple((p, g, period_status(p, g, today)) for p, g in zip(periods, progress,
                                                                        strict=True))
    missed = tuple(p for p, _, s in history if s is Status.OVERDUE)
    current, now, status = history[-1]
    if status is not Status.DONE and len(history) > 1 and history[-2][2] is Status.OVERDUE:
        status = Status.OVERDUE
    return Standing(status, current, now.done, now.required, missed, history)


def ledger_status(open_deadlines: Iterable[date], today: date) -> Standing:
    """The hazard ledger (seed 002 §二十四 "建立隐患台账并及时整改"): overdue while any hazard
    is unrectified past its deadline, due while some are open within it, done otherwise."""
    deadlines = list(open_deadlines)
    late = sum(1 for d in deadlines if today > d)
    if late:
        status = Status.OVERDUE
    elif deadlines:
        status = Status.DUE
    else:
        status = Status.DONE
    return Standing(status, None, done=len(deadlines) - late, required=len(deadlines),
                    missed=tuple(Period(d, d, Interval.YEAR) for d in sorted(deadlines)
                                 if today > d))


# ---- hazards ---------------------------------------------------------------------------------

class TransitionError(ValueError):
    """An out-of-order step; the message is Chinese and shown to the user."""


class HazardState(StrEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        return {"open": "待整改", "rectified": "已整改待复核", "verified": "已复核销号"}[self.value]


class HazardAction(StrEnum):
    RECTIFY = "rectify"
    VERIFY = "verify"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return {"rectify": "登记整改", "verify": "复核销号", "reopen": "复核不合格"}[self.value]


_HAZARD = {
    (HazardState.OPEN, HazardAction.RECTIFY): HazardState.RECTIFIED,
    (HazardState.RECTIFIED, HazardAction.VERIFY): HazardState.VERIFIED,
    (HazardState.RECTIFIED, HazardAction.REOPEN): HazardState.OPEN,
}


def hazard_next(state: str, action: str) -> HazardState:
    try:
        return _HAZARD[(HazardState(state), HazardAction(action))]
    except (KeyError, ValueError):
        if state == HazardState.VERIFIED:
            raise TransitionError("该隐患已复核销号，不能再操作") from None
        if action in (HazardAction.VERIFY, HazardAction.REOPEN):
            raise TransitionError("隐患尚未登记整改，不能复核") from None
        raise TransitionError("该隐患已登记整改，等待复核") from None


def hazard_overdue(state: str, deadline: date, today: date) -> bool:
    return state == HazardState.OPEN and today > deadline


# ---- inspections: the draw and the rectification loop ----------------------------------------

class DrawError(ValueError):
    pass


def sample_size(population: int, *, count: int | None = None,
                percent: float | None = None) -> int:
    """How many institutions to draw: a given count, or a percentage rounded up (at least one
    when there is any)."""
    if (count is None) == (percent is None):
        raise DrawError("请填写抽查数量或抽查比例（二选一）")
    if count is not None:
        if count < 1:
            raise DrawError("抽查数量至少为 1")
        if count > population:
            raise DrawError(f"抽查数量 {count} 超过了可抽查的机构数 {population}")
        return count
    assert percent is not None
    if not 0 < percent <= 100:
        raise DrawError("抽查比例应在 0 到 100 之间")
    return min(population, max(1, math.ceil(population * percent / 100))) if population else 0


def draw(institution_ids: Iterable[int], inspector_ids: Iterable[int], *, size: int,
         per_inspection: int, seed: int) -> list[tuple[int, tuple[int, ...]]]:
    """双随机 (seed 002 §二十三): `size` random institutions, each with `per_inspection` random
    inspectors, from `random.Random(seed)` over the sorted inputs — the same seed and lists give
    the same assignment.  Result: (institution id, inspector ids) in draw order."""
    institutions = sorted(set(institution_ids))
    inspectors = sorted(set(inspector_ids))
    if size > len(institutions):
        raise DrawError(f"抽查数量 {size} 超过了可抽查的机构数 {len(institutions)}")
    if per_inspection < 1:
        raise DrawError("每次检查至少需要 1 名检查人员")
    if per_inspection > len(inspectors):
        raise DrawError(f"检查人员名录只有 {len(inspectors)} 人，不足每组 {per_inspection} 人")
    rng = random.Random(seed)
    chosen = rng.sample(institutions, size)
    return [(inst, tuple(rng.sample(inspectors, per_inspection))) for inst in chosen]


class RectificationState(StrEnum):
    ISSUED = "issued"
    RECTIFIED = "rectified"
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        return {"issued": "已下达整改", "rectified": "已整改待验收",
                "verified": "验收通过"}[self.value]


class RectificationAction(StrEnum):
    RECTIFY = "rectify"  # the home
    VERIFY = "verify"  # the regulator
    REISSUE = "reissue"  # the regulator: not good enough, a new deadline

    @property
    def label(self) -> str:
        return {"issued": "下达整改", "rectify": "提交整改", "verify": "验收通过",
                "reissue": "重新下达整改"}[self.value]

    @property
    def by_home(self) -> bool:
        return self is RectificationAction.RECTIFY


_RECT = {
    (RectificationState.ISSUED, RectificationAction.RECTIFY): RectificationState.RECTIFIED,
    (RectificationState.RECTIFIED, RectificationAction.VERIFY): RectificationState.VERIFIED,
    (RectificationState.RECTIFIED, RectificationAction.REISSUE): RectificationState.ISSUED,
}


def rectification_next(state: str, action: str) -> RectificationState:
    try:
        return _RECT[(RectificationState(state), RectificationAction(action))]
    except (KeyError, ValueError):
        if state == RectificationState.VERIFIED:
            raise TransitionError("该问题已验收通过，整改已结束") from None
        if action in (RectificationAction.VERIFY, RectificationAction.REISSUE):
            raise TransitionError("机构尚未提交整改，不能验收或重新下达") from None
        if action == RectificationAction.RECTIFY:
            raise TransitionError("整改已提交，等待监管部门验收") from None
        raise TransitionError("未知的整改操作") from None


def rectification_overdue(state: str, deadline: date, today: date) -> bool:
    return state == RectificationState.ISSUED and today > deadline


# ---- clinic filings (seed 004: 备案管理, not approval) ----------------------------------------

class FilingState(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"received": "已提交待审核", "accepted": "已备案",
                "returned": "已退回"}[self.value]


class FilingAction(StrEnum):
    ACCEPT = "accept"
    RETURN = "return"

    @property
    def label(self) -> str:
        return {"accept": "予以备案", "return": "退回"}[self.value]


def filing_next(state: str, action: str, *, reason: str = "") -> FilingState:
    if state != FilingState.RECEIVED:
        raise TransitionError("该备案已审核，不能重复审核")
    try:
        act = FilingAction(action)
    except ValueError:
        raise TransitionError("未知的审核操作") from None
    if act is FilingAction.RETURN and not reason.strip():
        raise TransitionError("退回时请写明理由")
    return FilingState.ACCEPTED if act is FilingAction.ACCEPT else FilingState.RETURNED
