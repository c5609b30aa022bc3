"""The indicator framework: values, targets, the roll-up to regions (hand counts and
properties), and a snapshot written for every organisation and region and read by scope."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.compliance import indicator_snapshots, indicators
from yiyang.compliance.indicators.base import (
    Indicator,
    RecordRow,
    Records,
    Rollup,
    Target,
    Unit,
    Value,
)
from yiyang.compliance.indicators.rollup import roll_up
from yiyang.compliance.models import OrgIndicatorValue, RegionIndicatorValue
from yiyang.orgs.models import NursingHome


def test_a_rate_of_nothing_is_no_data_not_zero() -> None:
    assert Value(0, 0).rate is None
    assert Value(1, 4).rate == 25.0
    with pytest.raises(ValueError):
        Value(-1, 3)


def test_targets_compare_as_the_clause_says() -> None:
    at_most_5 = Target("<=", 5, "控制在5%以内")
    assert at_most_5.met(5.0) is True
    assert at_most_5.met(5.1) is False
    assert at_most_5.met(None) is None
    assert Target(">=", 80, "不低于80%").met(79.9) is False
    with pytest.raises(ValueError):
        Target("<", 1, "?")


def test_sum_rollup_by_hand() -> None:
    rows = [("410203001", Value(1, 2, {"red": 1})), ("410203", Value(2, 3, {"red": 2})),
            ("410204", Value(0, 5)), ("410302", Value(4, 4))]
    out = roll_up(rows)
    assert out["410203"] == Value(3, 5, {"red": 3})
    assert out["4102"] == Value(3, 10, {"red": 3})
    assert out["4103"] == Value(4, 4)
    assert out["41"] == Value(7, 14, {"red": 3})


def test_county_any_counts_every_county_once() -> None:
    rows = [("410203", Value(1, 1)), ("410203", Value(1, 1)), ("410204", Value(0, 1))]
    out = roll_up(rows, mode=Rollup.COUNTY_ANY, counties=["410203", "410204", "410205", "410302"])
    assert out["410203"] == Value(1, 1)
    assert out["410205"] == Value(0, 1)  # no organisation at all: still a county to cover
    assert out["4102"] == Value(1, 3)
    assert out["41"] == Value(1, 4)


_codes = st.sampled_from(["410203", "410204", "410302", "420101", "410203001"])
_values = st.builds(Value, st.integers(0, 50), st.integers(0, 50))


@given(st.lists(st.tuples(_codes, _values), max_size=30))
def test_a_province_is_the_sum_of_its_cities_and_of_its_counties(rows) -> None:  # type: ignore[no-untyped-def]
    out = roll_up(rows)
    for province in {c[:2] for c, _ in rows}:
        cities = [v for k, v in out.items() if len(k) == 4 and k.startswith(province)]
        counties = [v for k, v in out.items() if len(k) == 6 and k.startswith(province)]
        mine = [v for c, v in rows if c.startswith(province)]
        total = Value(sum(v.numerator for v in mine), sum(v.denominator for v in mine))
        assert out[province] == total
        assert sum(v.numerator for v in cities) == total.numerator
        assert sum(v.denominator for v in counties) == total.denominator


def _homes_count(org_ids, on):  # type: ignore[no-untyped-def]
    """A test indicator: each home counts 1 of 2."""
    qs = NursingHome.objects.all()
    if org_ids is not None:
        qs = qs.filter(pk__in=org_ids)
    return {pk: Value(1, 2) for pk in qs.values_list("pk", flat=True)}


def _no_records(actor, org_id, on):  # type: ignore[no-untyped-def]
    return Records(("机构",), [RecordRow((str(org_id),), True)])


@pytest.fixture
def test_indicator():  # type: ignore[no-untyped-def]
    ind = indicators.register(Indicator(
        code="test_half", title="测试指标", clause="测试", formula="1/2", org_kind="home",
        compute=_homes_count, records=_no_records, unit=Unit.PERCENT))
    yield ind
    indicators.unregister(ind.code)


@pytest.mark.django_db
def test_a_snapshot_has_every_home_and_region_and_is_read_by_scope(cast, test_indicator) -> None:
    snap = indicator_snapshots.take_snapshot(date(2026, 11, 30), codes=["test_half"])
    homes = NursingHome.objects.filter(is_active=True).count()
    rows = OrgIndicatorValue.objects.filter(snapshot=snap, indicator="test_half")
    assert rows.count() == homes
    province = RegionIndicatorValue.objects.get(snapshot=snap, indicator="test_half",
                                                region_code="41")
    assert (province.numerator, province.denominator) == (homes, 2 * homes)
    officer_x = cast.actor("officer_x")
    seen = set(RegionIndicatorValue.objects.visible_to(officer_x)
               .filter(snapshot=snap).values_list("region_code", flat=True))
    assert seen == {officer_x.region_prefix}
    assert not RegionIndicatorValue.objects.visible_to(cast.actor("nurse_a")).exists()
    own = OrgIndicatorValue.objects.visible_to(cast.actor("nurse_a")).filter(snapshot=snap)
    assert list(own.values_list("org_id", flat=True)) == [cast.home_of("nurse_a").pk]
    # A second snapshot of the same day replaces the first (one per day for the trends).
    again = indicator_snapshots.take_snapshot(date(2026, 11, 30), codes=["test_half"])
    assert not OrgIndicatorValue.objects.filter(snapshot_id=snap.pk).exists()
    assert again.pk != snap.pk
