"""Pure rules: the 2-hour deadline (table + properties), the playbook order, in-home isolation,
tracing day by day, referral signs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.infection import rules
from yiyang.infection.rules import upward_report_deadline

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(("received", "due"), [
    (datetime(2022, 12, 5, 9, 0, tzinfo=CST), datetime(2022, 12, 5, 11, 0, tzinfo=CST)),
    (datetime(2022, 12, 5, 23, 30, tzinfo=CST), datetime(2022, 12, 6, 1, 30, tzinfo=CST)),
    (datetime(2024, 2, 28, 22, 15, tzinfo=CST), datetime(2024, 2, 29, 0, 15, tzinfo=CST)),
    (datetime(2023, 12, 31, 23, 0, tzinfo=UTC), datetime(2024, 1, 1, 1, 0, tzinfo=UTC)),
])
def test_upward_report_deadline_table(received: datetime, due: datetime) -> None:
    assert upward_report_deadline(received) == due


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="时区"):
        upward_report_deadline(datetime(2022, 12, 5, 9, 0))
    with pytest.raises(TypeError):
        upward_report_deadline(date(2022, 12, 5))  # type: ignore[arg-type]


aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                     timezones=st.sampled_from([UTC, CST]))


@given(aware)
def test_deadline_is_exactly_two_hours_later_and_keeps_the_zone(received: datetime) -> None:
    due = upward_report_deadline(received)
    assert due - received == timedelta(hours=2)
    assert due.utcoffset() == received.utcoffset()


@given(aware, st.integers(min_value=-300, max_value=300))
def test_clock_overdue_exactly_after_the_deadline(received: datetime, minutes: int) -> None:
    now = received + timedelta(hours=2, minutes=minutes)
    clock = rules.report_clock(received, now)
    assert clock.overdue == (minutes > 0)
    assert clock.remaining == timedelta(minutes=-minutes)
    assert clock.late_by == timedelta(minutes=max(minutes, 0))


def test_forwarded_in_time_is_not_overdue_late_is() -> None:
    r = datetime(2022, 12, 5, 9, 0, tzinfo=CST)
    assert not rules.report_clock(r, r + timedelta(hours=5), r + timedelta(hours=2)).overdue
    late = rules.report_clock(r, r + timedelta(hours=5), r + timedelta(hours=2, minutes=1))
    assert late.overdue and late.late_minutes == 1 and late.done


ORDER = ["start_plan", "isolate", "report", "transfer", "start_tracing", "manage_contacts",
         "decide_isolation", "disinfect", "close"]


def test_the_playbook_in_order_ends_closed() -> None:
    state = rules.State.OPENED
    for action in ORDER:
        state = rules.next_state(state, action)
    assert state == rules.State.CLOSED


@given(st.integers(min_value=0, max_value=len(ORDER) - 1),
       st.integers(min_value=0, max_value=len(ORDER) - 1))
def test_any_step_out_of_order_is_refused_in_chinese(done: int, wanted: int) -> None:
    state = rules.State.OPENED
    for action in ORDER[:done]:
        state = rules.next_state(state, action)
    if wanted == done:
        rules.next_state(state, ORDER[wanted])
        return
    with pytest.raises(rules.OutOfOrder) as err:
        rules.next_state(state, ORDER[wanted])
    assert "不能办理" in str(err.value) and rules.Action(ORDER[done]).label in str(err.value)


def test_closed_refuses_everything() -> None:
    with pytest.raises(rules.OutOfOrder, match="已结束"):
        rules.side_action_allowed(rules.State.CLOSED, rules.Action.PLACE)
    with pytest.raises(rules.OutOfOrder, match="流调尚未开始"):
        rules.side_action_allowed(rules.State.REPORTED, rules.Action.TRACE_DAY)


@pytest.mark.parametrize(("buildings", "singles", "control", "allowed"), [
    (2, 4, True, True),  # seed 001 item 16: several independent buildings, single rooms, 院感
    (1, 4, True, False),
    (3, 0, True, False),
    (3, 4, False, False),
    (0, 0, False, False),
])
def test_in_home_isolation(buildings: int, singles: int, control: bool, allowed: bool) -> None:
    check = rules.in_home_isolation(independent_buildings=buildings, single_rooms=singles,
                                    has_infection_control=control)
    assert check.allowed is allowed
    assert bool(check.reasons) is not allowed


def test_tracing_days_owed() -> None:
    start, today = date(2022, 12, 1), date(2022, 12, 4)
    assert rules.tracing_days_owed(start, today, []) == [date(2022, 12, 1), date(2022, 12, 2),
                                                         date(2022, 12, 3)]
    assert rules.tracing_days_owed(start, today, [date(2022, 12, 2)]) == [
        date(2022, 12, 1), date(2022, 12, 3)]
    assert rules.tracing_days_owed(today, today, []) == []


@pytest.mark.parametrize(("kw", "count"), [
    ({"spo2": 92}, 1), ({"spo2": 93}, 0), ({"temperature": Decimal("39.1")}, 1),
    ({"temperature": Decimal("38.5")}, 0), ({"persistent_fever": True}, 1),
    ({"breathing_difficulty": True}, 1),
    ({"spo2": 90, "persistent_fever": True, "breathing_difficulty": True}, 3),
])
def test_referral_signs_reference_1_5(kw: dict, count: int) -> None:
    assert len(rules.referral_signs(**kw)) == count


def test_quarantine_and_levels() -> None:
    assert rules.quarantine_until(date(2022, 12, 1), "close") == date(2022, 12, 7)
    assert rules.next_level("county") == "city" and rules.next_level("province") is None
