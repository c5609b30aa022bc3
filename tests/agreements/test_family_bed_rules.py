"""Family-bed rules (seed 003 annex item 11): criteria, closing, the round clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.agreements import family_bed_rules as r

ALL = ["diagnosed", "stable", "eligible", "consent"]


def test_the_criteria_are_the_words_of_item_11() -> None:
    labels = [c.label for c in r.CRITERIA]
    assert labels[0] == "诊断明确" and labels[1].startswith("病情稳定")
    assert "建床条件" in labels[2]


@pytest.mark.parametrize("missing", ALL)
def test_every_criterion_is_needed(missing: str) -> None:
    with pytest.raises(ValueError, match="未确认"):
        r.check_criteria([c for c in ALL if c != missing])


def test_all_criteria_open_and_unknown_ones_are_refused() -> None:
    assert r.check_criteria(reversed(ALL)) == tuple(ALL)
    with pytest.raises(ValueError, match="未知"):
        r.check_criteria([*ALL, "rich"])


@pytest.mark.parametrize(("opened", "closed", "outcome", "reason", "ok"), [
    (date(2026, 1, 1), date(2026, 2, 1), "recovered", "", True),
    (date(2026, 1, 1), date(2026, 1, 1), "died", None, True),
    (date(2026, 1, 2), date(2026, 1, 1), "improved", "", False),  # before opening
    (date(2026, 1, 1), date(2026, 2, 1), "other", "  ", False),  # other needs a reason
    (date(2026, 1, 1), date(2026, 2, 1), "other", "家属要求撤床", True),
    (date(2026, 1, 1), date(2026, 2, 1), "vanished", "x", False),
])
def test_closing(opened: date, closed: date, outcome: str, reason: str | None, ok: bool) -> None:
    if ok:
        assert r.check_close(opened_on=opened, closed_on=closed, outcome=outcome,
                             reason=reason) == r.BedOutcome(outcome)
    else:
        with pytest.raises(ValueError):
            r.check_close(opened_on=opened, closed_on=closed, outcome=outcome, reason=reason)


@pytest.mark.parametrize(("rounds", "today", "due", "overdue"), [
    ([], date(2026, 3, 8), date(2026, 3, 8), 0),  # first round due a week after opening
    ([], date(2026, 3, 10), date(2026, 3, 8), 2),
    ([date(2026, 3, 5)], date(2026, 3, 12), date(2026, 3, 12), 0),
    ([date(2026, 3, 5), date(2026, 3, 3)], date(2026, 3, 13), date(2026, 3, 12), 1),
    ([date(2026, 2, 20)], date(2026, 3, 9), date(2026, 3, 8), 1),  # a round before opening: ignored
])
def test_round_clock(rounds: list[date], today: date, due: date, overdue: int) -> None:
    status = r.round_status(opened_on=date(2026, 3, 1), round_dates=rounds, today=today)
    assert (status.due, status.overdue_days) == (due, overdue)


@pytest.mark.parametrize("bad", [0, 32, -1, True, "7", None])
def test_round_interval_bounds(bad: object) -> None:
    with pytest.raises(ValueError):
        r.check_round_interval(bad)


@given(opened=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       gaps=st.lists(st.integers(0, 60), max_size=6), later=st.integers(0, 90),
       interval=st.integers(1, r.MAX_ROUND_INTERVAL_DAYS))
def test_a_round_today_is_never_overdue(opened: date, gaps: list[int], later: int,
                                        interval: int) -> None:
    rounds = [opened + timedelta(days=g) for g in gaps]
    today = opened + timedelta(days=later)
    status = r.round_status(opened_on=opened, round_dates=rounds, today=today,
                            interval_days=interval)
    assert status.overdue_days >= 0
    assert status.due > opened
    again = r.round_status(opened_on=opened, round_dates=[*rounds, today], today=today,
                           interval_days=interval)
    assert again.overdue_days == 0 and again.due >= status.due
