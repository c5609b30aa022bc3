"""The pure rules: categories from item 24, risk and visit intervals, the §八 coverage formula
(hand counts), contract dates, outbreak order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.community import rules
from yiyang.community.rules import Category as C

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(("birth", "living", "flags", "expected"), [
    (date(1946, 6, 15), "family", (False, False, False), ("very_old",)),  # 80 today
    (date(1946, 6, 16), "family", (False, False, False), ()),  # 80 tomorrow
    (date(1950, 1, 1), "alone", (False, True, False), ("alone", "dependent")),
    (date(1950, 1, 1), "spouse", (True, False, True), ("empty_nest", "disabled", "ill")),
    (date(1940, 1, 1), "other", (True, True, True), ("very_old", "disabled", "dependent", "ill")),
])
def test_categories(birth, living, flags, expected) -> None:  # type: ignore[no-untyped-def]
    disabled, dependent, ill = flags
    got = rules.categories(birth_date=birth, on=TODAY, living=living, disabled=disabled,
                           dependent=dependent, seriously_ill=ill)
    assert tuple(c.value for c in got) == expected


@pytest.mark.parametrize(("cats", "needs", "risk", "days"), [
    ((C.ALONE, C.DEPENDENT), (), "high", 7),  # the brief's example: alone and dependent
    ((C.VERY_OLD, C.ILL, C.DISABLED), (), "high", 7),  # 1 + 2 + 1 = 4
    ((C.ALONE,), (), "medium", 14),
    ((C.VERY_OLD,), ("dialysis",), "medium", 14),  # 1 + 1 for a treatment that cannot wait
    ((C.VERY_OLD,), ("meals",), "low", 30),
    ((), (), "low", 30),
])
def test_risk_and_interval(cats, needs, risk, days) -> None:  # type: ignore[no-untyped-def]
    level = rules.risk(cats, needs)
    assert level == risk
    assert rules.visit_interval(level) == days


def test_next_visit_due_and_overdue() -> None:
    due = rules.next_visit_due(last_visit=date(2026, 6, 1), listed_on=date(2026, 1, 1),
                               level=rules.Risk.HIGH)
    assert due == date(2026, 6, 8)
    assert not rules.is_overdue(due, date(2026, 6, 8))
    assert rules.is_overdue(due, date(2026, 6, 9))
    never = rules.next_visit_due(last_visit=None, listed_on=date(2026, 6, 1),
                                 level=rules.Risk.LOW)
    assert never == date(2026, 7, 1)


def test_coverage_hand_count() -> None:
    people = [
        ((C.VERY_OLD,), True),  # target, signed
        ((C.DEPENDENT, C.ALONE), False),  # target, not signed
        ((C.DISABLED,), True),  # target, signed
        ((C.ALONE,), True),  # not in the target group: not counted at all
        ((C.EMPTY_NEST, C.ILL), False),  # not in the target group
        ((C.VERY_OLD, C.DISABLED), True),  # target (once), signed
        ((C.DEPENDENT,), False),  # target, not signed
    ]
    cov = rules.coverage(people)
    assert (cov.signed, cov.target) == (3, 5)
    assert cov.percent == 60.0
    assert not cov.meets_target
    assert rules.coverage([((C.VERY_OLD,), True)] * 4 + [((C.VERY_OLD,), False)]).meets_target
    assert rules.coverage([]).rate is None


def test_contract_in_force() -> None:
    kw = {"start_on": date(2026, 1, 1), "end_on": date(2026, 12, 31)}
    assert rules.contract_in_force(**kw, terminated_on=None, on=date(2026, 12, 31))
    assert not rules.contract_in_force(**kw, terminated_on=None, on=date(2027, 1, 1))
    assert not rules.contract_in_force(**kw, terminated_on=None, on=date(2025, 12, 31))
    assert not rules.contract_in_force(**kw, terminated_on=date(2026, 6, 1), on=date(2026, 6, 1))
    assert rules.contract_in_force(**kw, terminated_on=date(2026, 6, 1), on=date(2026, 5, 31))


def test_outbreak_order_puts_treatments_that_cannot_wait_first() -> None:
    people = {
        "dialysis, young": ((), ("dialysis",), 66),
        "alone and dependent": ((C.ALONE, C.DEPENDENT), (), 85),
        "very old only": ((C.VERY_OLD,), (), 95),
        "alone and dependent, older": ((C.ALONE, C.DEPENDENT), (), 90),
    }
    order = sorted(people, key=lambda k: rules.outbreak_key(cats=people[k][0],
                                                            needs=people[k][1],
                                                            age=people[k][2]))
    assert order == ["dialysis, young", "alone and dependent, older", "alone and dependent",
                     "very old only"]


cats_st = st.lists(st.sampled_from(list(C)), unique=True)
needs_st = st.lists(st.sampled_from(list(rules.Need)), unique=True)


@given(cats_st, needs_st, st.sampled_from(list(C)))
def test_more_categories_never_lower_the_risk(cats, needs, extra) -> None:  # type: ignore[no-untyped-def]
    order = {rules.Risk.LOW: 0, rules.Risk.MEDIUM: 1, rules.Risk.HIGH: 2}
    assert order[rules.risk([*cats, extra], needs)] >= order[rules.risk(cats, needs)]


@given(st.lists(st.tuples(cats_st, st.booleans()), max_size=40))
def test_coverage_is_a_share_of_the_target_group(people) -> None:  # type: ignore[no-untyped-def]
    cov = rules.coverage(people)
    assert 0 <= cov.signed <= cov.target <= len(people)
    if cov.target:
        assert 0 <= cov.rate <= 1


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 1, 1)))
def test_very_old_exactly_from_the_eightieth_birthday(birth) -> None:  # type: ignore[no-untyped-def]
    day_before = birth.replace(year=birth.year + 80) - timedelta(days=1) if not (
        birth.month == 2 and birth.day == 29) else date(birth.year + 80, 2, 28)
    turns = day_before + timedelta(days=1)
    cat = rules.categories(birth_date=birth, on=turns, living="family", disabled=False,
                           dependent=False, seriously_ill=False)
    assert C.VERY_OLD in cat
    before = rules.categories(birth_date=birth, on=day_before, living="family", disabled=False,
                              dependent=False, seriously_ill=False)
    assert C.VERY_OLD not in before
