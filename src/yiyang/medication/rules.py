"""Medication-order rules (pure Python, no Django): frequencies, administration times, the doses
of a day, dates and the effective status of an order (issue 6 item 5; seed 002 §二十二 "按医嘱").

* A scheduled order has a fixed number of administration times a day ("HH:MM", 24-hour clock),
  exactly as many as its frequency says; ``q8h``/``q12h`` times are evenly spaced round the clock.
  Left empty, the ward's usual times are used (:data:`DEFAULT_TIMES`, our choice: the common
  Chinese ward convention qd 08:00, bid 08:00/16:00, tid 08:00/12:00/16:00 …).
* A PRN order (必要时) has no fixed times and needs its indication (用药指征, "血压>160/100 时").
* ``once`` (临时医嘱) is one dose on the start day; ``weekly`` one dose every seventh day from
  the start day.
* ``stop_on`` (planned end) and ``stopped_on`` (the day a stop was recorded) are both the last
  day of the order, inclusive; the earlier of the two ends it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DEFAULT_TIMES",
    "DOSES_PER_DAY",
    "SPACING_MINUTES",
    "EffectiveStatus",
    "Frequency",
    "ScheduleError",
    "check_dates",
    "check_schedule",
    "check_stop_date",
    "doses_on",
    "effective_status",
    "frequency_of",
    "in_effect",
    "last_day",
    "parse_time",
]

MAX_INDICATION = 100


class Frequency(StrEnum):
    QD = "qd"
    BID = "bid"
    TID = "tid"
    QID = "qid"
    QN = "qn"
    Q8H = "q8h"
    Q12H = "q12h"
    PRN = "prn"
    ONCE = "once"
    WEEKLY = "weekly"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS: Mapping[Frequency, str] = MappingProxyType({
    Frequency.QD: "每日一次（qd）",
    Frequency.BID: "每日两次（bid）",
    Frequency.TID: "每日三次（tid）",
    Frequency.QID: "每日四次（qid）",
    Frequency.QN: "每晚一次（qn）",
    Frequency.Q8H: "每 8 小时一次（q8h）",
    Frequency.Q12H: "每 12 小时一次（q12h）",
    Frequency.PRN: "必要时（prn）",
    Frequency.ONCE: "单次/临时（once）",
    Frequency.WEEKLY: "每周一次（qw）",
})

# Administration times a day; PRN has none.
DOSES_PER_DAY: Mapping[Frequency, int] = MappingProxyType({
    Frequency.QD: 1, Frequency.BID: 2, Frequency.TID: 3, Frequency.QID: 4, Frequency.QN: 1,
    Frequency.Q8H: 3, Frequency.Q12H: 2, Frequency.PRN: 0, Frequency.ONCE: 1,
    Frequency.WEEKLY: 1,
})

# Round-the-clock frequencies: every gap between consecutive times (and round midnight).
SPACING_MINUTES: Mapping[Frequency, int] = MappingProxyType({
    Frequency.Q8H: 8 * 60, Frequency.Q12H: 12 * 60,
})

# Used when the order names no times (our choice; ``once`` must name its time).
DEFAULT_TIMES: Mapping[Frequency, tuple[str, ...]] = MappingProxyType({
    Frequency.QD: ("08:00",),
    Frequency.BID: ("08:00", "16:00"),
    Frequency.TID: ("08:00", "12:00", "16:00"),
    Frequency.QID: ("08:00", "12:00", "16:00", "20:00"),
    Frequency.QN: ("20:00",),
    Frequency.Q8H: ("06:00", "14:00", "22:00"),
    Frequency.Q12H: ("08:00", "20:00"),
    Frequency.PRN: (),
    Frequency.WEEKLY: ("08:00",),
})


class ScheduleError(ValueError):
    """Bad schedule input; `field` names the input, the message is Chinese."""

    def __init__(self, field: str, message: str, code: str = "invalid_schedule") -> None:
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")


def parse_time(text: str) -> str:
    """ "8:00", "08:00" or "08：00" → "08:00"; anything else is refused."""
    match = _TIME.match((text or "").strip())
    if match is None:
        raise ScheduleError("times", f"给药时间“{text}”格式不正确，应为 HH:MM（如 08:00）",
                            "invalid_time")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ScheduleError("times", f"给药时间“{text}”不存在（00:00 至 23:59）", "invalid_time")
    return f"{hour:02d}:{minute:02d}"


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def frequency_of(value: str) -> Frequency:
    try:
        return Frequency(value)
    except ValueError as exc:
        raise ScheduleError("frequency", "请选择用药频次", "invalid_choice") from exc


def check_schedule(frequency: str, times: Iterable[str],
                   prn_indication: str = "") -> tuple[Frequency, tuple[str, ...], str]:
    """(frequency, sorted normalised times, indication), or `ScheduleError`."""
    freq = frequency_of(frequency)
    parsed = [parse_time(t) for t in times if (t or "").strip()]
    if len(set(parsed)) != len(parsed):
        raise ScheduleError("times", "给药时间不能重复", "duplicate_time")
    ordered = tuple(sorted(parsed))
    indication = (prn_indication or "").strip()
    if freq is Frequency.PRN:
        if ordered:
            raise ScheduleError("times", "“必要时”医嘱没有固定给药时间，请清空给药时间")
        if not indication:
            raise ScheduleError("prn_indication",
                                "“必要时”医嘱请填写用药指征（如“血压>160/100 时”）", "required")
        if len(indication) > MAX_INDICATION:
            raise ScheduleError("prn_indication", f"用药指征不能超过 {MAX_INDICATION} 个字",
                                "too_long")
        return freq, (), indication
    if indication:
        raise ScheduleError("prn_indication", "只有“必要时”医嘱填写用药指征")
    if not ordered:
        if freq not in DEFAULT_TIMES:
            raise ScheduleError("times", f"{freq.label}医嘱请填写给药时间", "required")
        ordered = DEFAULT_TIMES[freq]
    wanted = DOSES_PER_DAY[freq]
    if len(ordered) != wanted:
        raise ScheduleError("times",
                            f"{freq.label}应填写 {wanted} 个给药时间，现为 {len(ordered)} 个",
                            "times_count")
    spacing = SPACING_MINUTES.get(freq)
    if spacing is not None:
        marks = [_minutes(t) for t in ordered]
        gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        gaps.append(marks[0] + 24 * 60 - marks[-1])
        if any(g != spacing for g in gaps):
            raise ScheduleError("times", f"{freq.label}的给药时间应每隔 {spacing // 60} 小时一次"
                                "（如 " + "、".join(DEFAULT_TIMES[freq]) + "）", "uneven_times")
    return freq, ordered, ""


def check_dates(start_on: date, stop_on: date | None, frequency: str = "") -> date | None:
    """The planned stop date (a ``once`` order ends on its start day), or `ScheduleError`."""
    if stop_on is not None and stop_on < start_on:
        raise ScheduleError("stop_on", "停止日期不能早于开始日期", "stop_before_start")
    if frequency == Frequency.ONCE:
        return start_on
    return stop_on


def check_stop_date(stopped_on: date, *, start_on: date, today: date) -> date:
    """The day a stop is recorded: not in the future, not before the start of an order that has
    started (an order that has not started yet is stopped today: it never takes effect)."""
    if stopped_on > today:
        raise ScheduleError("stopped_on", "停止日期不能晚于今天", "future_date")
    if stopped_on < min(start_on, today):
        raise ScheduleError("stopped_on", "停止日期不能早于医嘱开始日期", "stop_before_start")
    return stopped_on


def last_day(stop_on: date | None, stopped_on: date | None) -> date | None:
    ends = [d for d in (stop_on, stopped_on) if d is not None]
    return min(ends) if ends else None


def in_effect(day: date, *, start_on: date, stop_on: date | None = None,
              stopped_on: date | None = None) -> bool:
    end = last_day(stop_on, stopped_on)
    return start_on <= day and (end is None or day <= end)


def doses_on(day: date, *, frequency: str, times: Iterable[str], start_on: date,
             stop_on: date | None = None, stopped_on: date | None = None) -> tuple[str, ...]:
    """The scheduled administration times of `day`, in order (PRN: none; they are given on
    indication and recorded when given)."""
    freq = Frequency(frequency)
    if freq is Frequency.PRN or not in_effect(day, start_on=start_on, stop_on=stop_on,
                                               stopped_on=stopped_on):
        return ()
    if freq is Frequency.ONCE and day != start_on:
        return ()
    if freq is Frequency.WEEKLY and (day - start_on).days % 7:
        return ()
    return tuple(sorted(times))


class EffectiveStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    ENDED = "ended"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return {"pending": "未开始", "active": "执行中", "ended": "已到期",
                "stopped": "已停止"}[self.value]


def effective_status(*, stopped: bool, start_on: date, stop_on: date | None,
                     today: date) -> EffectiveStatus:
    """What the order is today: stopped by a doctor, not started, past its planned end, or in
    force."""
    if stopped:
        return EffectiveStatus.STOPPED
    if today < start_on:
        return EffectiveStatus.PENDING
    if stop_on is not None and today > stop_on:
        return EffectiveStatus.ENDED
    return EffectiveStatus.ACTIVE

