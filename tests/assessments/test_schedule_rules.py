"""When assessments fall due (schedule_rules): first, routine and immediate, with literal dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.schedule_rules import (
    DEFAULT_ROUTINE_DAYS,
    Reason,
    Trigger,
    TriggerKind,
    dues,
    merge_routine_days,
)

ADMITTED = date(2026, 1, 10)
DAYS = {"gbt42195": 180, "morse": 90, "braden": 30}


def _by(items):  # type: ignore[no-untyped-def]
    return {d.instrument: d for d in items}


def test_nothing_done_yet_means_first_assessments_due_a_week_after_admission() -> None:
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 1, 20), last_done={},
                     routine_days=DAYS))
    assert set(found) == {"gbt42195", "morse", "braden"}
    assert all(d.reason is Reason.FIRST and d.due_on == date(2026, 1, 17) for d in
               found.values())
    assert found["morse"].days_late == 3 and found["morse"].overdue


def test_routine_due_dates_and_the_two_week_window() -> None:
    last = {"gbt42195": date(2026, 1, 12), "morse": date(2026, 1, 12), "braden": date(2026, 6, 1)}
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 6, 20), last_done=last,
                     routine_days=DAYS))
    # gbt42195: 2026-01-12 + 180 days = 2026-07-11, more than 14 days ahead → not listed.
    assert "gbt42195" not in found
    # morse: + 90 days = 2026-04-12, 69 days late.
    assert found["morse"].due_on == date(2026, 4, 12) and found["morse"].days_late == 69
    # braden: 2026-06-01 + 30 = 2026-07-01, within 14 days → listed, not late.
    assert found["braden"].due_on == date(2026, 7, 1) and not found["braden"].overdue
    assert found["braden"].reason is Reason.ROUTINE


def test_a_fall_makes_ability_and_fall_risk_due_within_three_days() -> None:
    last = {"gbt42195": date(2026, 5, 1), "morse": date(2026, 5, 1), "braden": date(2026, 6, 1)}
    fall = Trigger(TriggerKind.FALL, date(2026, 6, 10), "如厕时跌倒")
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 6, 11), last_done=last,
                     triggers=[fall], routine_days=DAYS))
    assert found["gbt42195"].reason is Reason.IMMEDIATE and found["gbt42195"].trigger == fall
    assert found["gbt42195"].due_on == date(2026, 6, 13) and not found["gbt42195"].overdue
    assert found["morse"].reason is Reason.IMMEDIATE
    assert "braden" not in found  # a fall does not re-open pressure risk


def test_an_assessment_on_or_after_the_trigger_answers_it() -> None:
    fall = Trigger(TriggerKind.FALL, date(2026, 6, 10))
    last = {"gbt42195": date(2026, 6, 10), "morse": date(2026, 6, 12), "braden": date(2026, 6, 1)}
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 6, 20), last_done=last,
                     triggers=[fall], routine_days=DAYS))
    assert "gbt42195" not in found and "morse" not in found


def test_the_earliest_unanswered_trigger_sets_the_clock_and_old_stays_do_not_count() -> None:
    last = {"gbt42195": date(2026, 5, 1), "morse": date(2026, 5, 1), "braden": date(2026, 5, 20)}
    triggers = [Trigger(TriggerKind.HOSPITAL_RETURN, date(2026, 6, 5)),
                Trigger(TriggerKind.FALL, date(2026, 6, 2)),
                Trigger(TriggerKind.FALL, date(2025, 12, 1))]  # before this admission
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 6, 20), last_done=last,
                     triggers=triggers, routine_days=DAYS))
    assert found["gbt42195"].due_on == date(2026, 6, 5)  # the fall of 6-02 + 3 days
    assert found["braden"].trigger.kind is TriggerKind.HOSPITAL_RETURN
    assert found["braden"].due_on == date(2026, 6, 8)


def test_an_immediate_due_never_comes_later_than_the_routine_date() -> None:
    last = {"gbt42195": date(2026, 1, 12), "morse": date(2026, 3, 1), "braden": date(2026, 5, 25)}
    level = Trigger(TriggerKind.LEVEL_CHANGE, date(2026, 6, 20))
    found = _by(dues(admitted_on=ADMITTED, today=date(2026, 6, 21), last_done=last,
                     triggers=[level], routine_days=DAYS))
    # morse routine date 2026-05-30 is earlier than 6-20 + 3.
    assert found["morse"].due_on == date(2026, 5, 30) and found["morse"].reason is Reason.IMMEDIATE


@given(st.dictionaries(st.sampled_from(sorted(DAYS)), st.integers(0, 400)),
       st.lists(st.tuples(st.sampled_from(list(TriggerKind)), st.integers(0, 400)), max_size=5),
       st.integers(0, 500))
def test_property_every_due_is_for_a_scheduled_instrument_and_never_before_admission(
        done, triggers, today_offset) -> None:  # type: ignore[no-untyped-def]
    today = ADMITTED + timedelta(days=today_offset)
    last = {k: ADMITTED + timedelta(days=v) for k, v in done.items()}
    found = dues(admitted_on=ADMITTED, today=today, last_done=last,
                 triggers=[Trigger(k, ADMITTED + timedelta(days=d)) for k, d in triggers],
                 routine_days=DAYS)
    assert len({d.instrument for d in found}) == len(found) and {d.instrument for d in
                                                                  found} <= set(DAYS)
    for d in found:
        assert d.due_on >= ADMITTED
        assert d.days_late == max((today - d.due_on).days, 0)
        if d.instrument not in last:
            assert d.reason is Reason.FIRST


def test_the_default_intervals_and_per_instrument_overrides() -> None:
    # UNCONFIRMED defaults (REFERENCE §2.5): ability 180 days, Morse 90, Braden 30.
    assert dict(DEFAULT_ROUTINE_DAYS) == {"gbt42195": 180, "morse": 90, "braden": 30}
    assert merge_routine_days({}) == {"gbt42195": 180, "morse": 90, "braden": 30}
    assert merge_routine_days({"braden": 14, "gds15": 365, "morse": None}) == {
        "gbt42195": 180, "morse": None, "braden": 14, "gds15": 365}


@pytest.mark.parametrize("days", [0, -30, 1.5, "30", True])
def test_an_interval_must_be_positive_days(days: object) -> None:
    with pytest.raises(ValueError, match="常规评估间隔"):
        merge_routine_days({"braden": days})  # type: ignore[dict-item]


def test_a_none_interval_means_first_and_triggered_only() -> None:
    days = {"braden": None}
    assert dues(admitted_on=ADMITTED, today=date(2027, 6, 1),
                last_done={"braden": date(2026, 1, 12)}, routine_days=days) == []
    fall = Trigger(TriggerKind.LEVEL_CHANGE, date(2027, 5, 30))
    found = dues(admitted_on=ADMITTED, today=date(2027, 6, 1),
                 last_done={"braden": date(2026, 1, 12)}, triggers=[fall], routine_days=days)
    assert [(d.reason, d.due_on) for d in found] == [(Reason.IMMEDIATE, date(2027, 6, 2))]
