"""Tier follow-up schedule rules (REFERENCE §1.5): intervals per category, due dates, overdue.

No Django needed. Expected values are written from REFERENCE §1.5 (red daily, yellow every 3
days, green none; SpO₂ < 93 % → refer) and dates counted by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.residents.followup_rules import (
    FollowUpState,
    State,
    check_interval,
    effective_intervals,
    follow_up_state,
    interval_label,
    next_due,
    overdue_days,
    referral_signs,
)
from yiyang.residents.rules import DEFAULT_RULES_JSON, Category, load_rule_set

RED, YELLOW, GREEN = Category.RED, Category.YELLOW, Category.GREEN
TODAY = date(2026, 3, 10)
D = date.fromisoformat


# ---------------------------------------------------------------------------------- tables


def test_defaults_are_those_of_reference_1_5() -> None:
    assert effective_intervals() == {RED: 1, YELLOW: 3, GREEN: None}


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, {RED: 1, YELLOW: 3, GREEN: None}),
    ({"yellow": 2}, {RED: 1, YELLOW: 2, GREEN: None}),
    ({"green": 7}, {RED: 1, YELLOW: 3, GREEN: 7}),  # e.g. weekly while an outbreak lasts
    ({"yellow": None}, {RED: 1, YELLOW: None, GREEN: None}),  # explicitly none
    ({"red": 2, "yellow": 5, "green": 30}, {RED: 2, YELLOW: 5, GREEN: 30}),
])
def test_a_home_overrides_some_categories(overrides, expected) -> None:
    assert effective_intervals(overrides) == expected


def test_a_province_rule_set_changes_the_defaults() -> None:
    raw = json.loads(DEFAULT_RULES_JSON.read_text(encoding="utf-8"))
    raw["follow_up_days"] = {"red": 2, "yellow": 7, "green": 30}
    rs = load_rule_set(raw)
    assert effective_intervals({}, rs) == {RED: 2, YELLOW: 7, GREEN: 30}
    assert effective_intervals({"red": 1}, rs)[RED] == 1


@pytest.mark.parametrize(("interval", "since", "last", "due", "late", "state"), [
    # red, asked yesterday (9th): due today (10th), not yet late
    (1, "2026-03-01", "2026-03-09", "2026-03-10", 0, State.DUE),
    # red, asked on the 8th: due the 9th, one day late
    (1, "2026-03-01", "2026-03-08", "2026-03-09", 1, State.OVERDUE),
    # red, asked today: due tomorrow
    (1, "2026-03-01", "2026-03-10", "2026-03-11", 0, State.UPCOMING),
    # red, never asked since classification on the 1st: due the 2nd, 8 days late
    (1, "2026-03-01", None, "2026-03-02", 8, State.OVERDUE),
    # yellow, asked on the 9th: due the 12th
    (3, "2026-03-01", "2026-03-09", "2026-03-12", 0, State.UPCOMING),
    # yellow, asked on the 7th: due today
    (3, "2026-03-01", "2026-03-07", "2026-03-10", 0, State.DUE),
    # yellow, asked 1st while still green-or-elsewhere, (re)classified on the 5th: the old
    # follow-up does not count, the clock starts on the 5th → due the 8th, 2 days late
    (3, "2026-03-05", "2026-03-01", "2026-03-08", 2, State.OVERDUE),
    # green: no follow-up at all
    (None, "2026-01-01", None, None, 0, State.NONE),
    # green with a home's weekly setting, classified on the 1st: due the 8th, 2 days late
    (7, "2026-03-01", None, "2026-03-08", 2, State.OVERDUE),
])
def test_due_dates(interval, since, last, due, late, state) -> None:
    result = follow_up_state(interval_days=interval, since=D(since),
                             last_on=D(last) if last else None, today=TODAY)
    assert result.due_on == (D(due) if due else None)
    assert (result.overdue_days, result.state) == (late, state)
    assert result.is_overdue == (state == State.OVERDUE)


@pytest.mark.parametrize(("state", "late", "label"), [
    (State.OVERDUE, 3, "逾期 3 天"), (State.DUE, 0, "今日应随访"), (State.NONE, 0, "无需随访"),
    (State.UPCOMING, 0, "未到期"),
])
def test_labels(state, late, label) -> None:
    assert FollowUpState(1, TODAY, late, state).label == label


def test_interval_labels() -> None:
    assert [interval_label(d) for d in (1, 3, None)] == ["每日", "每 3 天", "不随访"]


@pytest.mark.parametrize("bad", [0, -1, 366, 1.5, "3", True])
def test_bad_intervals_are_refused(bad) -> None:
    with pytest.raises(ValueError):
        check_interval(bad)
    with pytest.raises(ValueError):
        effective_intervals({"red": bad})


def test_unknown_category_and_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="未知的人群分类"):
        effective_intervals({"purple": 1})
    with pytest.raises(ValueError):
        next_due(interval_days=1, since=datetime(2026, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        overdue_days(TODAY, "2026-03-10")  # type: ignore[arg-type]


@pytest.mark.parametrize(("spo2", "temperature", "n"), [
    (None, None, 0), (93, None, 0), (92, None, 1), (98, Decimal("39.0"), 0),
    (98, Decimal("39.1"), 1), (90, 39.5, 2),
])
def test_referral_signs(spo2, temperature, n) -> None:
    signs = referral_signs(spo2=spo2, temperature=temperature)
    assert len(signs) == n
    if spo2 is not None and spo2 < 93:
        assert "93%" in signs[0] and "转诊" in signs[0]


# ------------------------------------------------------------------------------ properties

dates = st.dates(date(2023, 1, 1), date(2027, 12, 31))
intervals = st.one_of(st.none(), st.integers(1, 365))
last_dates = st.one_of(st.none(), dates)


@given(intervals, dates, last_dates)
def test_due_is_interval_days_after_the_later_start(interval, since, last) -> None:
    due = next_due(interval_days=interval, since=since, last_on=last)
    if interval is None:
        assert due is None
    else:
        base = since if last is None else max(since, last)
        assert (due - base).days == interval
        assert due > since


@given(intervals, dates, last_dates, dates)
def test_overdue_exactly_when_today_is_past_the_due_date(interval, since, last, today) -> None:
    s = follow_up_state(interval_days=interval, since=since, last_on=last, today=today)
    assert s.overdue_days >= 0
    if s.due_on is None:
        assert s.state == State.NONE and s.overdue_days == 0
    else:
        assert (s.state == State.OVERDUE) == (today > s.due_on)
        assert (s.state == State.DUE) == (today == s.due_on)
        assert s.overdue_days == max(0, (today - s.due_on).days)


@given(st.integers(1, 365), dates, last_dates, dates)
def test_a_follow_up_today_is_never_late_or_due(interval, since, last, today) -> None:
    if since > today or (last is not None and last > today):
        return
    s = follow_up_state(interval_days=interval, since=since, last_on=today, today=today)
    assert s.state == State.UPCOMING and s.overdue_days == 0


@given(intervals, dates, last_dates, dates, st.integers(0, 400))
def test_waiting_longer_never_makes_it_less_late(interval, since, last, today, more) -> None:
    a = follow_up_state(interval_days=interval, since=since, last_on=last, today=today)
    b = follow_up_state(interval_days=interval, since=since, last_on=last,
                        today=today + timedelta(days=more))
    assert b.overdue_days >= a.overdue_days


@given(intervals, dates, dates, dates)
def test_a_later_follow_up_never_brings_the_due_date_forward(interval, since, a, b) -> None:
    early, late = sorted((a, b))
    due_early = next_due(interval_days=interval, since=since, last_on=early)
    due_late = next_due(interval_days=interval, since=since, last_on=late)
    if interval is not None:
        assert due_late >= due_early


@given(st.dictionaries(st.sampled_from([c.value for c in Category]), intervals))
def test_overrides_win_and_the_rest_is_default(overrides) -> None:
    result = effective_intervals(overrides)
    defaults = effective_intervals()
    for c in Category:
        assert result[c] == (overrides[c.value] if c.value in overrides else defaults[c])
