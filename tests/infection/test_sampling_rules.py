"""Sampling-round rules (seed 001 item 13): quota, rotation proposal, completion. No database.

Expected values are counted by hand: 20 % of 10 is 2, of 11 is 3 (rounded up), of 1 is 1;
everyone is covered within ⌈100 / 20⌉ = 5 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiyang.infection.sampling_rules import (
    ROTATION_DAYS,
    Subject,
    completion,
    daily_quota,
    period_days,
    propose,
)

D0 = date(2026, 11, 1)


@pytest.mark.parametrize(("population", "quota"), [
    (0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (11, 3), (100, 20), (101, 21), (137, 28),
])
def test_daily_quota_rounds_up(population: int, quota: int) -> None:
    assert daily_quota(population) == quota


def test_rotation_is_five_days() -> None:
    assert ROTATION_DAYS == 5


def _subjects(n: int) -> list[Subject]:
    return [Subject(f"r:{i:03d}") for i in range(n)]


def test_full_round_proposes_everyone_not_yet_sampled() -> None:
    people = _subjects(4)
    last = {"r:001": D0}
    got = [s.key for s in propose(people, last, full_round_done=False)]
    assert got == ["r:000", "r:002", "r:003"]


def test_daily_proposal_takes_the_least_recently_sampled_with_key_tie_break() -> None:
    people = _subjects(10)
    last = {f"r:{i:03d}": D0 + timedelta(days=i % 3) for i in range(10)}
    # i % 3 == 0 -> D0 (r:000, r:003, r:006, r:009): the two oldest by key are r:000, r:003.
    got = [s.key for s in propose(people, last, full_round_done=True)]
    assert got == ["r:000", "r:003"]


def test_new_residents_come_first() -> None:
    people = [*_subjects(10), Subject("r:new")]
    last = {f"r:{i:03d}": D0 for i in range(10)}
    got = [s.key for s in propose(people, last, full_round_done=True)]
    assert got[0] == "r:new"
    assert len(got) == 3  # 11 people -> 3 a day


def test_proposal_is_deterministic_whatever_the_input_order() -> None:
    people = _subjects(12)
    last = {s.key: D0 + timedelta(days=i % 4) for i, s in enumerate(people)}
    a = propose(people, last, full_round_done=True)
    b = propose(list(reversed(people)), last, full_round_done=True)
    assert a == b


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=150),
    history=st.lists(st.integers(min_value=-30, max_value=-1), max_size=150),
    extra=st.lists(st.integers(min_value=0, max_value=149), max_size=10),
)
def test_following_the_proposal_covers_everyone_within_five_days(
        n: int, history: list[int], extra: list[int]) -> None:
    """For any population and any start (any earlier samples), sampling the proposal each day
    (plus anybody else the home chooses) samples every person within 5 days."""
    people = _subjects(n)
    last: dict[str, date] = {}
    for i, offset in enumerate(history[:n]):
        last[people[i].key] = D0 + timedelta(days=offset)
    covered: set[str] = set()
    for day_no in range(ROTATION_DAYS):
        day = D0 + timedelta(days=day_no)
        chosen = {s.key for s in propose(people, last, full_round_done=True)}
        assert len(chosen) == daily_quota(n)
        chosen |= {people[i].key for i in extra if i < n and day_no % 2 == 0}
        for key in chosen:
            last[key] = day
        covered |= chosen
    assert covered == {s.key for s in people}


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=80), start=st.integers(min_value=0, max_value=10))
def test_every_window_of_five_days_covers_everyone(n: int, start: int) -> None:
    """Kept up for weeks, every 5 consecutive days sample everyone (not only the first five)."""
    people = _subjects(n)
    last: dict[str, date] = {}
    taken: list[set[str]] = []
    for day_no in range(start + 15):
        day = D0 + timedelta(days=day_no)
        chosen = {s.key for s in propose(people, last, full_round_done=day_no > 0)}
        for key in chosen:
            last[key] = day
        taken.append(chosen)
    for first in range(1, len(taken) - ROTATION_DAYS + 1):
        window = set().union(*taken[first:first + ROTATION_DAYS])
        assert window == {s.key for s in people}


def test_completion_full_round_then_daily() -> None:
    days = period_days(D0, None, D0 + timedelta(days=3))
    everyone = {d: {"a", "b", "c", "d", "e", "f"} for d in days}
    sampled = {days[0]: {"a", "b", "c", "d"}, days[1]: {"e", "f"}, days[2]: {"a", "b"},
               days[3]: {"c"}}
    proposed = {days[2]: {"a", "b"}, days[3]: {"c", "d"}}
    got = completion(days=days, population=dict.fromkeys(days, 6), sampled=sampled,
                     proposed=proposed, everyone=everyone)
    assert [(c.phase, c.required, c.sampled, c.met) for c in got] == [
        ("full_round", 6, 4, False),
        ("full_round", 6, 2, True),   # the round is complete on day 2
        ("daily", 2, 2, True),        # 20 % of 6 = 1.2 -> 2
        ("daily", 2, 1, False),       # one short
    ]
    assert got[2].from_proposal == 2 and got[3].from_proposal == 1
    assert got[3].shortfall == 1


def test_period_days_stop_at_the_end_or_today() -> None:
    assert len(period_days(D0, None, D0 + timedelta(days=6))) == 7
    assert len(period_days(D0, D0 + timedelta(days=2), D0 + timedelta(days=6))) == 3
    assert period_days(D0, None, D0 - timedelta(days=1)) == []
