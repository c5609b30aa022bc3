"""Pure parts of the cooperation indicators (no Django): the patrol period, how many patrol
visits fall due in it, and the 高龄 birth-date line.  Formulas: docs/indicators-cooperation.md.

The module name starts with "_" so the indicator registry does not import it as a group.
"""

from __future__ import annotations

from datetime import date, timedelta

from yiyang.agreements import rules as agreement_rules
from yiyang.community import rules as community_rules
from yiyang.compliance.rules import years_before

__all__ = ["PERIOD_MONTHS", "due_count", "julian_day", "patrol_last_day", "patrol_period",
           "very_old_line"]

# Patrol visits are measured over the last three full calendar months before `on`'s month
# (our choice, UNCONFIRMED: the seed fixes no measuring period). Whole months keep the figure
# steady during a month; three of them smooth monthly (30-day) intervals, of which a single
# calendar month may hold none or two.
PERIOD_MONTHS = 3


def _month_start(year: int, month: int) -> date:
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def patrol_period(on: date) -> tuple[date, date]:
    """First and last day of the `PERIOD_MONTHS` full calendar months before `on`'s month."""
    first_of_this = date(on.year, on.month, 1)
    return _month_start(on.year, on.month - PERIOD_MONTHS), first_of_this - timedelta(days=1)


def patrol_last_day(end: date, terminated_on: date | None) -> date:
    """The last day visits are owed under an agreement: its end, or the day before its
    termination (nothing is owed, or may be recorded, from the termination date)."""
    if terminated_on is None:
        return end
    return min(end, terminated_on - timedelta(days=1))


def due_count(*, start: date, last: date, interval: int, first: date, until: date) -> int:
    """How many due dates start, start + interval, … fall in [first, until] and on or before
    `last` (closed form; equals counting `agreements.rules.patrol_due_dates`, see the
    tests).  The SQL baseline uses the same arithmetic on day numbers."""
    agreement_rules.check_patrol_interval(interval)
    lo = max(first, start)
    hi = min(until, last)
    if hi < lo:
        return 0
    a, b = (lo - start).days, (hi - start).days  # both >= 0
    return b // interval - (a + interval - 1) // interval + 1


def julian_day(day: date) -> int:
    """The Julian Day Number by the integer formula the SQL baseline writes out (year, month
    and day parts only, so SQLite and PostgreSQL compute it the same way)."""
    a = (14 - day.month) // 12
    y = day.year + 4800 - a
    m = day.month + 12 * a - 3
    return day.day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def very_old_line(on: date) -> date:
    """Born on or before this day = 高龄 (80 or older) on `on` (`community.rules.age_on`)."""
    # 29 February → 28 February: a person born on 1 March is not 80 yet on 28 February.
    return years_before(on, community_rules.VERY_OLD_AGE)
