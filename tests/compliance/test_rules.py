"""Pure compliance rules: periods, obligation standings, the hazard ledger, the 双随机 draw and the
state machines (tables from seeds 001/002/004, plus hypothesis properties)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.compliance import obligations, rules
from yiyang.compliance.rules import (
    FilingState,
    HazardState,
    Interval,
    Progress,
    RectificationState,
    Status,
    TransitionError,
)


@pytest.mark.parametrize(("day", "interval", "start", "end", "label"), [
    (date(2026, 2, 14), "month", date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
    (date(2024, 2, 29), "month", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
    (date(2026, 12, 31), "month", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
    (date(2026, 5, 5), "quarter", date(2026, 4, 1), date(2026, 6, 30), "2026年第2季度"),
    (date(2026, 12, 5), "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度"),
    (date(2026, 6, 30), "half", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
    (date(2026, 7, 1), "half", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
    (date(2026, 3, 3), "year", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
])
def test_period_containing(day: date, interval: str, start: date, end: date, label: str) -> None:
    p = rules.period_containing(day, interval)
    assert (p.start, p.end, p.label) == (start, end, label)


def test_short_labels() -> None:
    assert [rules.period_containing(date(2025, 11, 2), i).short
            for i in ("month", "quarter", "half", "year")] == ["11月", "25Q4", "25下", "2025"]


def test_the_window_covers_the_last_year() -> None:
    today = date(2026, 12, 5)
    months = rules.periods_in_window("month", today)
    assert [p.label for p in (months[0], months[-1])] == ["2025年12月", "2026年12月"]
    assert len(months) == 13
    assert [p.label for p in rules.periods_in_window("quarter", today)] == [
        "2025年第4季度", "2026年第1季度", "2026年第2季度", "2026年第3季度", "2026年第4季度"]
    assert [p.label for p in rules.periods_in_window("half", today)] == [
        "2025年下半年", "2026年上半年", "2026年下半年"]
    assert [p.label for p in rules.periods_in_window("year", today)] == ["2025年", "2026年"]


def _progress(interval: str, today: date, days: list[date], required: int = 1) -> list[Progress]:
    return [Progress(rules.count_in(p, days), required)
            for p in rules.periods_in_window(interval, today)]


TODAY = date(2026, 12, 5)
ALL_MONTHS = [date(2025, 12, 10)] + [date(2026, m, 10) for m in range(1, 12)]


@pytest.mark.parametrize(("case", "interval", "days", "required", "status", "missed"), [
    # fire check monthly (§二十四): every month done, December not yet -> due
    ("monthly, this month open", "month", ALL_MONTHS, 1, Status.DUE, 0),
    ("monthly, this month done", "month", [*ALL_MONTHS, date(2026, 12, 2)], 1, Status.DONE, 0),
    # November missed, December not yet done -> overdue
    ("monthly, last month missed", "month", ALL_MONTHS[:-1], 1, Status.OVERDUE, 1),
    # November missed but December done -> done, the miss stays in the history
    ("monthly, caught up", "month", [*ALL_MONTHS[:-1], date(2026, 12, 1)], 1, Status.DONE, 1),
    # March missed long ago, November done -> due now, one miss in the year
    ("monthly, older miss", "month", [d for d in ALL_MONTHS if d.month != 3 or d.year == 2025],
     1, Status.DUE, 1),
    # emergency-plan drill quarterly (seed 001 item 1): Q3 missed
    ("quarterly, Q3 missed", "quarter", [date(2025, 11, 1), date(2026, 2, 1), date(2026, 5, 1)],
     1, Status.OVERDUE, 1),
    # fire drill every six months: done in both halves of 2026
    ("half-yearly, done", "half", [date(2025, 9, 1), date(2026, 4, 1), date(2026, 10, 1)], 1,
     Status.DONE, 0),
    # infectious-disease drill yearly (§二十五): 2025 done, 2026 not yet
    ("yearly, not yet", "year", [date(2025, 6, 1)], 1, Status.DUE, 0),
    ("yearly, last year missed", "year", [], 1, Status.OVERDUE, 1),
    # mental-health lectures: at least 2 a year (§十二)
    ("two a year, one given", "year", [date(2025, 3, 1), date(2025, 9, 1), date(2026, 4, 1)], 2,
     Status.DUE, 0),
    ("two a year, both given", "year", [date(2025, 3, 1), date(2025, 9, 1), date(2026, 4, 1),
                                        date(2026, 10, 1)], 2, Status.DONE, 0),
    ("two a year, last year one", "year", [date(2025, 3, 1), date(2026, 4, 1)], 2,
     Status.OVERDUE, 1),
])
def test_standing_table(case: str, interval: str, days: list[date], required: int,
                        status: Status, missed: int) -> None:
    s = rules.standing(interval, _progress(interval, TODAY, days, required), TODAY)
    assert s.status is status, case
    assert s.overdue_count == missed, case


def test_per_resident_progress() -> None:
    """Annual check-up of residents 65+: 40 of 45 checked this year is still due."""
    s = rules.standing("year", [Progress(45, 45), Progress(40, 45)], TODAY)
    assert (s.status, s.done, s.required) == (Status.DUE, 40, 45)
    nobody = rules.standing("year", [Progress(0, 0), Progress(0, 0)], TODAY)
    assert nobody.status is Status.DONE


def test_ledger_status() -> None:
    assert rules.ledger_status([], TODAY).status is Status.DONE
    assert rules.ledger_status([TODAY], TODAY).status is Status.DUE
    late = rules.ledger_status([TODAY - timedelta(days=1), TODAY + timedelta(days=3)], TODAY)
    assert (late.status, late.overdue_count, late.required) == (Status.OVERDUE, 1, 2)


@given(st.sampled_from(["month", "quarter", "half", "year"]),
       st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_periods_tile_the_window(interval: str, today: date) -> None:
    periods = rules.periods_in_window(interval, today)
    assert today in periods[-1]
    assert periods[0].start <= rules.window(today) <= periods[0].end
    for a, b in zip(periods, periods[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)


@given(st.sampled_from(["month", "quarter", "half", "year"]),
       st.lists(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 5)), max_size=30),
       st.integers(1, 3))
def test_a_fulfilment_in_the_current_period_never_makes_it_worse(
        interval: str, days: list[date], required: int) -> None:
    before = rules.standing(interval, _progress(interval, TODAY, days, required), TODAY)
    after = rules.standing(interval, _progress(interval, TODAY, [*days] + [TODAY] * required,
                                               required), TODAY)
    assert after.status is Status.DONE
    assert after.overdue_count == before.overdue_count


def test_catalogue_cites_its_clauses() -> None:
    codes = {o.code: o for o in obligations.CATALOGUE}
    assert (codes["emergency_drill"].interval, codes["emergency_drill"].per_period) == (
        Interval.QUARTER, 1)
    assert (codes["fire_check"].interval, codes["fire_drill"].interval) == (Interval.MONTH,
                                                                            Interval.HALF)
    assert codes["infection_drill"].interval is Interval.YEAR
    assert (codes["mental_health_lecture"].interval,
            codes["mental_health_lecture"].per_period) == (Interval.YEAR, 2)
    assert codes["health_education"].interval is Interval.MONTH
    assert "二十四" in codes["fire_check"].clause and "二十五" in codes["infection_drill"].clause
    assert codes["health_education"].source.startswith("care.")
    assert [o.code for o in obligations.recordable()] == [
        "emergency_drill", "fire_check", "fire_drill", "infection_drill"]


# ---- the draw ------------------------------------------------------------------------------

def test_the_same_seed_and_lists_give_the_same_draw() -> None:
    homes, inspectors = list(range(100, 140)), list(range(1, 9))
    a = rules.draw(homes, inspectors, size=6, per_inspection=2, seed=20260315)
    b = rules.draw(list(reversed(homes)), inspectors[::-1], size=6, per_inspection=2,
                   seed=20260315)
    assert a == b
    c = rules.draw(homes, inspectors, size=6, per_inspection=2, seed=20260316)
    assert c != a


def test_the_draw_is_pinned() -> None:
    """The published result must be re-computable by anyone: pin one draw."""
    import random

    rng = random.Random(7)
    homes = rng.sample(sorted([3, 5, 8, 13, 21]), 2)
    expected = [(h, tuple(rng.sample([1, 2, 3], 2))) for h in homes]
    assert rules.draw([21, 13, 8, 5, 3], [3, 1, 2], size=2, per_inspection=2, seed=7) == expected


@given(st.sets(st.integers(1, 10_000), min_size=1, max_size=60),
       st.sets(st.integers(1, 500), min_size=1, max_size=12), st.data(),
       st.integers(0, 2**40))
def test_a_draw_is_a_subset_of_the_right_size_without_repeats(homes, inspectors, data, seed):  # type: ignore[no-untyped-def]
    size = data.draw(st.integers(0, len(homes)))
    per = data.draw(st.integers(1, len(inspectors)))
    result = rules.draw(homes, inspectors, size=size, per_inspection=per, seed=seed)
    chosen = [h for h, _ in result]
    assert len(chosen) == size == len(set(chosen))
    assert set(chosen) <= homes
    for _, team in result:
        assert len(team) == per == len(set(team))
        assert set(team) <= inspectors


@pytest.mark.parametrize(("population", "count", "percent", "size"), [
    (10, 3, None, 3), (10, None, 10, 1), (10, None, 25, 3), (7, None, 100, 7), (3, None, 1, 1),
    (0, None, 10, 0),
])
def test_sample_size(population: int, count: int | None, percent: float | None,
                     size: int) -> None:
    assert rules.sample_size(population, count=count, percent=percent) == size


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"count": 11}, "超过"), ({"count": 0}, "至少"), ({"percent": 0}, "比例"), ({}, "二选一"),
    ({"count": 1, "percent": 10}, "二选一"),
])
def test_sample_size_refusals(kwargs: dict, message: str) -> None:
    with pytest.raises(rules.DrawError, match=message):
        rules.sample_size(10, **kwargs)


def test_too_few_inspectors_are_refused() -> None:
    with pytest.raises(rules.DrawError, match="不足"):
        rules.draw([1, 2], [1], size=1, per_inspection=2, seed=1)


# ---- state machines ------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "action", "result"), [
    ("issued", "rectify", RectificationState.RECTIFIED),
    ("rectified", "verify", RectificationState.VERIFIED),
    ("rectified", "reissue", RectificationState.ISSUED),
    ("issued", "verify", "尚未提交整改"),
    ("issued", "reissue", "尚未提交整改"),
    ("rectified", "rectify", "等待监管部门验收"),
    ("verified", "rectify", "已验收通过"),
    ("verified", "reissue", "已验收通过"),
])
def test_rectification_loop(state: str, action: str, result: object) -> None:
    if isinstance(result, RectificationState):
        assert rules.rectification_next(state, action) is result
    else:
        with pytest.raises(TransitionError, match=str(result)):
            rules.rectification_next(state, action)


def test_rectification_overdue() -> None:
    deadline = date(2026, 11, 30)
    assert rules.rectification_overdue("issued", deadline, date(2026, 12, 1))
    assert not rules.rectification_overdue("issued", deadline, deadline)
    assert not rules.rectification_overdue("rectified", deadline, date(2026, 12, 1))


@pytest.mark.parametrize(("state", "action", "result"), [
    ("open", "rectify", HazardState.RECTIFIED),
    ("rectified", "verify", HazardState.VERIFIED),
    ("rectified", "reopen", HazardState.OPEN),
    ("open", "verify", "尚未登记整改"),
    ("verified", "rectify", "已复核销号"),
])
def test_hazard_steps(state: str, action: str, result: object) -> None:
    if isinstance(result, HazardState):
        assert rules.hazard_next(state, action) is result
    else:
        with pytest.raises(TransitionError, match=str(result)):
            rules.hazard_next(state, action)


@pytest.mark.parametrize(("state", "action", "reason", "result"), [
    ("received", "accept", "", FilingState.ACCEPTED),
    ("received", "return", "缺少医师执业证书", FilingState.RETURNED),
    ("received", "return", " ", "写明理由"),
    ("accepted", "return", "X", "不能重复审核"),
    ("returned", "accept", "", "不能重复审核"),
])
def test_filing_review(state: str, action: str, reason: str, result: object) -> None:
    if isinstance(result, FilingState):
        assert rules.filing_next(state, action, reason=reason) is result
    else:
        with pytest.raises(TransitionError, match=str(result)):
            rules.filing_next(state, action, reason=reason)
