"""When each resident is next due for which assessment (pure; seed 002 §十九).

Seed 002 §十九 asks for an assessment on admission and re-assessment "as the person changes";
REFERENCE §2.5 finds no national routine interval (MZ/T 039-2013 is commonly cited for 6 months,
UNCONFIRMED), so every interval here is configuration: ``settings.ASSESSMENT_ROUTINE_DAYS``
overrides :data:`DEFAULT_ROUTINE_DAYS` per instrument.

Three reasons make an assessment due (GB/T 42195 A.1's 首次/常规/即时):
- first: no finished assessment of the instrument since this admission;
- routine: the routine interval has run since the last finished one;
- immediate: a fall, a hospital return, a level change or another trigger happened after the
  last finished one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Days between routine assessments; None = only on admission and on triggers.  UNCONFIRMED
# intervals (REFERENCE §2.5): 180 days for ability follows the MZ/T 039 practice; the risk scales
# follow common nursing practice (Braden monthly, Morse quarterly).  These three make the
# admission bundle; other scales are given when a nurse chooses to.
DEFAULT_ROUTINE_DAYS: Mapping[str, int | None] = {
    "gbt42195": 180,
    "morse": 90,
    "braden": 30,
}
FIRST_WITHIN_DAYS = 7  # the admission assessment is due within a week of admission
IMMEDIATE_WITHIN_DAYS = 3  # a triggered re-assessment is due within three days
DUE_SOON_DAYS = 14  # the due list also shows what falls due in the next two weeks


def merge_routine_days(overrides: Mapping[str, int | None]) -> dict[str, int | None]:
    """:data:`DEFAULT_ROUTINE_DAYS` with each instrument's interval replaced by ``overrides``.

    An interval is a positive number of days, or None (first and triggered assessments only).
    """
    merged: dict[str, int | None] = dict(DEFAULT_ROUTINE_DAYS)
    for code, days in overrides.items():
        if days is not None and (isinstance(days, bool) or not isinstance(days, int)
                                 or days <= 0):
            raise ValueError(f"量表 {code} 的常规评估间隔应为正整数天数或 None：{days!r}")
        merged[code] = days
    return merged


class Reason(StrEnum):
    FIRST = "first"
    ROUTINE = "routine"
    IMMEDIATE = "immediate"

    @property
    def label(self) -> str:
        return {"first": "首次评估", "routine": "常规评估", "immediate": "即时评估"}[self.value]


class TriggerKind(StrEnum):
    FALL = "fall"
    HOSPITAL_RETURN = "hospital_return"
    LEVEL_CHANGE = "level_change"
    CHOKING = "choking"
    WANDERING = "wandering"
    CONDITION_CHANGE = "condition_change"

    @property
    def label(self) -> str:
        return TRIGGER_LABELS[self]


TRIGGER_LABELS = {
    TriggerKind.FALL: "跌倒",
    TriggerKind.HOSPITAL_RETURN: "住院后返回",
    TriggerKind.LEVEL_CHANGE: "能力等级变化",
    TriggerKind.CHOKING: "噎食",
    TriggerKind.WANDERING: "走失",
    TriggerKind.CONDITION_CHANGE: "病情变化",
}

# Which instruments a trigger makes due again.  A fall re-opens ability and fall risk; a
# hospital stay may change everything the admission bundle measured; a level change re-opens
# the risk scales the care plan is built on.
TRIGGERED: Mapping[TriggerKind, tuple[str, ...]] = {
    TriggerKind.FALL: ("gbt42195", "morse"),
    TriggerKind.HOSPITAL_RETURN: ("gbt42195", "morse", "braden"),
    TriggerKind.LEVEL_CHANGE: ("morse", "braden"),
    TriggerKind.CHOKING: ("gbt42195",),
    TriggerKind.WANDERING: ("gbt42195",),
    TriggerKind.CONDITION_CHANGE: ("gbt42195", "morse", "braden"),
}


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: TriggerKind
    on: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class Due:
    instrument: str
    reason: Reason
    due_on: date
    days_late: int  # > 0 when overdue
    trigger: Trigger | None = None

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


def _late(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)


def dues(
    *,
    admitted_on: date,
    today: date,
    last_done: Mapping[str, date],
    triggers: Iterable[Trigger] = (),
    routine_days: Mapping[str, int | None] = DEFAULT_ROUTINE_DAYS,
    due_soon_days: int = DUE_SOON_DAYS,
) -> list[Due]:
    """What is due for one resident in this stay, earliest first.

    ``last_done``: instrument → the assessment date of its latest finished record in this stay
    (records before ``admitted_on`` must not be passed: a readmission starts over).
    Only instruments listed in ``routine_days`` are scheduled.  An unanswered trigger makes the
    instrument due immediately (by the earlier of its own deadline and the routine date).
    """
    triggers = sorted((t for t in triggers if t.on >= admitted_on), key=lambda t: t.on)
    found: list[Due] = []
    for instrument, interval in routine_days.items():
        last = last_done.get(instrument)
        if last is None:  # the first assessment is owed whatever else happened
            due_on = admitted_on + timedelta(days=FIRST_WITHIN_DAYS)
            found.append(Due(instrument, Reason.FIRST, due_on, _late(due_on, today)))
            continue
        routine_on = last + timedelta(days=interval) if interval else None
        # An assessment dated on the trigger day counts as answering it.
        pending = [t for t in triggers if instrument in TRIGGERED[t.kind] and t.on > last]
        if pending:
            first = pending[0]  # the earliest unanswered trigger sets the clock
            due_on = first.on + timedelta(days=IMMEDIATE_WITHIN_DAYS)
            if routine_on is not None:
                due_on = min(due_on, routine_on)
            found.append(Due(instrument, Reason.IMMEDIATE, due_on, _late(due_on, today), first))
        elif routine_on is not None and routine_on <= today + timedelta(days=due_soon_days):
            found.append(Due(instrument, Reason.ROUTINE, routine_on, _late(routine_on, today)))
    return sorted(found, key=lambda d: (d.due_on, d.instrument))
