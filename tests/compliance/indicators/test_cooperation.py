"""Cooperation indicators (issue 10 item 2): agreement coverage, counties with a 医养结合
institution, patrol visits made as agreed, family-doctor coverage — each against a hand count,
its records scoped, and the pure parts (period, due dates, 高龄 line) by table and property."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.community.helpers import free_bed, list_one, new_id_number
from yiyang.agreements import rules as agreement_rules
from yiyang.agreements.models import Agreement, PatrolVisit
from yiyang.community import queries as community_queries
from yiyang.community import rules as community_rules
from yiyang.community import services as community_services
from yiyang.compliance import indicator_snapshots, indicators
from yiyang.compliance import queries as compliance_queries
from yiyang.compliance.indicators import _cooperation_rules as crules
from yiyang.compliance.indicators.base import Value
from yiyang.compliance.models import ClinicFiling
from yiyang.core.errors import NotFound
from yiyang.core.identifiers import id_check_digit
from yiyang.core.permissions import OrgKind
from yiyang.orgs.models import CommunityOrg, NursingHome, Organisation
from yiyang.residents import services as resident_services

AGREEMENT = indicators.get("agreement_coverage")
INTEGRATED = indicators.get("integrated_counties")
PATROL = indicators.get("patrol_visits")
FAMILY = indicators.get("family_doctor_coverage")

# ---- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("on", "period"), [
    (date(2026, 12, 6), (date(2026, 9, 1), date(2026, 11, 30))),
    (date(2026, 12, 31), (date(2026, 9, 1), date(2026, 11, 30))),
    (date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
    (date(2026, 3, 15), (date(2025, 12, 1), date(2026, 2, 28))),
    (date(2024, 3, 1), (date(2023, 12, 1), date(2024, 2, 29))),
])
def test_the_patrol_period_is_the_three_full_months_before(on: date, period) -> None:  # type: ignore[no-untyped-def]
    assert crules.patrol_period(on) == period


@pytest.mark.parametrize(("start", "last", "interval", "expected"), [
    # 14-day interval from 5 Jan: 2 Feb, 16 Feb, 2 Mar, 16 Mar, 30 Mar, 13 Apr, 27 Apr
    (date(2026, 1, 5), date(2026, 12, 31), 14, 7),
    # begins inside the period, 30-day interval: 1 Mar, 31 Mar, 30 Apr
    (date(2026, 3, 1), date(2027, 2, 28), 30, 3),
    # terminated on 1 Apr (last day owed 31 Mar): 1 Mar, 31 Mar
    (date(2026, 3, 1), date(2026, 3, 31), 30, 2),
    # ended before the period
    (date(2025, 1, 1), date(2026, 1, 31), 7, 0),
    # starts after the period
    (date(2026, 5, 1), date(2027, 4, 30), 7, 0),
])
def test_due_dates_in_the_period_by_hand(start: date, last: date, interval: int,
                                         expected: int) -> None:
    got = crules.due_count(start=start, last=last, interval=interval, first=date(2026, 2, 1),
                           until=date(2026, 4, 30))
    assert got == expected


def test_the_last_day_owed_stops_before_a_termination() -> None:
    assert crules.patrol_last_day(date(2026, 12, 31), None) == date(2026, 12, 31)
    assert crules.patrol_last_day(date(2026, 12, 31), date(2026, 4, 1)) == date(2026, 3, 31)
    assert crules.patrol_last_day(date(2026, 3, 1), date(2026, 4, 1)) == date(2026, 3, 1)


_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a shared machine
@given(_days, st.integers(0, 800), st.integers(1, 365), _days, st.integers(0, 200))
def test_the_closed_form_counts_the_agreements_own_due_dates(  # type: ignore[no-untyped-def]
        start, length, interval, first, span) -> None:
    last, until = start + timedelta(days=length), first + timedelta(days=span)
    dues = agreement_rules.patrol_due_dates(start, last, interval, until=until)
    expected = sum(1 for d in dues if d >= first)
    assert crules.due_count(start=start, last=last, interval=interval, first=first,
                            until=until) == expected


@given(_days, _days)
def test_julian_day_numbers_differ_as_dates_do(a: date, b: date) -> None:  # type: ignore[no-untyped-def]
    assert crules.julian_day(a) - crules.julian_day(b) == (a - b).days
    assert crules.julian_day(date(2000, 1, 1)) == 2451545


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1960, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_the_very_old_line_is_the_community_age_rule(born: date, on: date) -> None:  # type: ignore[no-untyped-def]
    very_old = community_rules.age_on(born, on) >= community_rules.VERY_OLD_AGE
    assert (born <= crules.very_old_line(on)) == very_old


def test_the_very_old_line_on_29_february() -> None:
    assert crules.very_old_line(date(2028, 2, 29)) == date(1948, 2, 29)
    assert crules.very_old_line(date(1980, 2, 29)) == date(1900, 2, 28)  # 1900 had none


# ---- set-up helpers ---------------------------------------------------------------------------

_serial = itertools.count(1)


def _home(cast, **card) -> NursingHome:  # type: ignore[no-untyped-def]
    """A fresh home in county X (next to home A), with nothing recorded."""
    a = cast.home_of("nurse_a")
    n = next(_serial)
    return NursingHome.objects.create(
        kind=OrgKind.HOME, name=f"杞县测试养老院{n}", short_name=f"测试{n}",
        credit_code=f"5241022100TEST{n:03d}X", region=a.region, region_code=a.region_code,
        **card)


def _agreement(cast, home: NursingHome, start: date, end: date, *, state: str = "active",  # type: ignore[no-untyped-def]
               interval: int | None = 14, terminated_on: date | None = None) -> Agreement:
    medical = cast.actor("doctor_b").org_id
    return Agreement.objects.create(
        home=home, medical_id=medical, region_code=home.region_code, start_on=start,
        end_on=end, state=state, terminated_on=terminated_on, patrol_interval_days=interval,
        items=[1, 2], modes=["patrol"], created_by="测试")


def _visit(agreement: Agreement, day: date) -> PatrolVisit:
    return PatrolVisit.objects.create(agreement=agreement, home=agreement.home,
                                      region_code=agreement.region_code, visited_on=day,
                                      doctors="刘志强", recorded_by="测试")


def _filing(home: NursingHome, filed_on: date, state: str) -> ClinicFiling:
    return ClinicFiling.objects.create(
        home=home, region_code=home.region_code, kind=ClinicFiling.Kind.CLINIC_ROOM,
        name=f"{home.name}医务室", head="张医生", services="常见病诊疗", filed_on=filed_on,
        state=state, filed_by="测试")


# ---- 1. agreement coverage ---------------------------------------------------------------------

ON = date(2026, 5, 20)


def test_agreement_coverage_by_hand(cast) -> None:
    year = timedelta(days=365)
    in_force, ended_today, last_day, not_yet, draft_only, none, ended_since, expired_since = (
        _home(cast) for _ in range(8))
    _agreement(cast, in_force, ON - year, ON + year)
    _agreement(cast, ended_today, ON - year, ON + year, state="terminated", terminated_on=ON)
    _agreement(cast, last_day, ON - year, ON, state="expiring")  # the end day is in the term
    _agreement(cast, not_yet, ON + timedelta(days=1), ON + year, state="published")
    _agreement(cast, draft_only, ON - year, ON + year, state="draft")
    # stored states of today: terminated five days after ON, expired at the end of ON
    _agreement(cast, ended_since, ON - year, ON + year, state="terminated",
               terminated_on=ON + timedelta(days=5))
    _agreement(cast, expired_since, ON - year, ON, state="expired")
    homes = [in_force, ended_today, last_day, not_yet, draft_only, none, ended_since,
             expired_since]
    got = AGREEMENT.compute([h.pk for h in homes], ON)
    assert [got[h.pk].numerator for h in homes] == [1, 0, 1, 0, 0, 0, 1, 1]
    assert {got[h.pk].denominator for h in homes} == {1}


def test_agreement_coverage_of_the_demo_homes(cast) -> None:
    """Home A's agreement is in force; home C's was terminated 20 days ago, its next a draft."""
    a, c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    today = timezone.localdate()
    assert AGREEMENT.compute([a.pk, c.pk], today) == {a.pk: Value(1, 1), c.pk: Value(0, 1)}
    # 30 days ago home C's old agreement was still in force
    assert AGREEMENT.compute([c.pk], today - timedelta(days=30)) == {c.pk: Value(1, 1)}


def test_agreement_coverage_agrees_with_the_integrated_list(cast) -> None:
    """The same in-force rule as `compliance.queries.integrated_by_county`."""
    officer = cast.actor("officer_city")
    listed = {r.home.pk for b in compliance_queries.integrated_by_county(officer)
              for r in b.rows if r.agreements}
    values = AGREEMENT.compute(None, timezone.localdate())
    homes = set(compliance_queries.homes(officer).values_list("pk", flat=True))
    assert listed == {pk for pk in homes if values[pk].numerator}


def test_agreement_coverage_records_are_scoped(cast) -> None:
    home = _home(cast)
    _agreement(cast, home, ON - timedelta(days=30), ON + timedelta(days=300))
    _agreement(cast, home, ON - timedelta(days=400), ON - timedelta(days=31), state="expired")
    records = AGREEMENT.records(cast.actor("officer_x"), home.pk, ON)
    assert len(records.rows) == 2
    value = AGREEMENT.compute([home.pk], ON)[home.pk]
    assert sum(r.counted for r in records.rows) == value.numerator == 1
    assert all(r.url.startswith("/agreements/") for r in records.rows)
    for outsider in ("nurse_c", "officer_y", "doctor_d", "worker_u"):
        with pytest.raises(NotFound):
            AGREEMENT.records(cast.actor(outsider), home.pk, ON)


# ---- 2. counties with a 医养结合 institution ----------------------------------------------------

def test_integrated_homes_by_hand(cast) -> None:
    year = timedelta(days=365)
    filed = _home(cast)
    _filing(filed, ON - timedelta(days=10), "accepted")
    returned = _home(cast)
    _filing(returned, ON - timedelta(days=10), "returned")
    filed_later = _home(cast)
    _filing(filed_later, ON + timedelta(days=1), "accepted")
    agreed = _home(cast)
    _agreement(cast, agreed, ON - year, ON + year)
    licensed = _home(cast, has_medical_unit=True, medical_unit_type="hospital",
                     medical_filing_no="PDY41022199000001")
    self_declared = _home(cast, is_integrated=True, has_medical_unit=True,
                          medical_unit_type="clinic_room", medical_filing_no="杞卫医备〔2020〕1号")
    homes = [filed, returned, filed_later, agreed, licensed, self_declared]
    got = INTEGRATED.compute([h.pk for h in homes], ON)
    assert [got[h.pk].numerator for h in homes] == [1, 0, 0, 1, 1, 0]
    assert {got[h.pk].denominator for h in homes} == {1}


def test_integrated_counties_roll_up_by_county(cast) -> None:
    """Demo: county X has home A (accepted filing, agreement in force); county Y's homes have
    a returned filing and a terminated agreement (C) or nothing (D)."""
    _, regions = indicator_snapshots.compute_all(timezone.localdate(),
                                                 ["integrated_counties"])["integrated_counties"]
    x, y = cast.home_of("nurse_a").region_code[:6], cast.home_of("nurse_c").region_code[:6]
    assert regions[x] == Value(1, 1)
    assert regions[y] == Value(0, 1)
    city = regions[x[:4]]
    assert city.numerator >= 1 and city.denominator >= 3


def test_integrated_records_show_each_basis(cast) -> None:
    a = cast.home_of("nurse_a")
    records = INTEGRATED.records(cast.actor("officer_x"), a.pk, timezone.localdate())
    kinds = {r.cells[0] for r in records.rows if r.counted}
    assert kinds == {"内设医疗机构备案", "签约合作"}
    c = cast.home_of("nurse_c")
    records = INTEGRATED.records(cast.actor("officer_city"), c.pk, timezone.localdate())
    assert records.rows and not any(r.counted for r in records.rows)
    for outsider in ("nurse_c", "officer_y", "doctor_b"):
        with pytest.raises(NotFound):
            INTEGRATED.records(cast.actor(outsider), a.pk, timezone.localdate())


# ---- 3. patrol visits -------------------------------------------------------------------------

def _patrol_home(cast) -> NursingHome:  # type: ignore[no-untyped-def]
    """Period of ON (20 May 2026): 1 Feb – 30 Apr 2026."""
    home = _home(cast)
    fortnightly = _agreement(cast, home, date(2026, 1, 5), date(2026, 12, 31), interval=14)
    # due 2 Feb, 16 Feb, 2 Mar, 16 Mar, 30 Mar, 13 Apr, 27 Apr (7); visits in the period: 4
    for day in (date(2026, 1, 20), date(2026, 2, 3), date(2026, 2, 17), date(2026, 3, 20),
                date(2026, 4, 28), date(2026, 5, 12)):
        _visit(fortnightly, day)
    monthly = _agreement(cast, home, date(2026, 3, 1), date(2027, 2, 28), interval=30,
                         state="terminated", terminated_on=date(2026, 4, 1))
    # due 1 Mar, 31 Mar (2); three visits, two count
    for day in (date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 20)):
        _visit(monthly, day)
    _agreement(cast, home, date(2026, 1, 1), date(2026, 12, 31), state="draft", interval=7)
    return home


def test_patrol_visits_by_hand(cast) -> None:
    home = _patrol_home(cast)
    old = _home(cast)  # an agreement that ended before the period: nothing owed
    _agreement(cast, old, date(2025, 1, 1), date(2026, 1, 31), state="expired", interval=7)
    got = PATROL.compute([home.pk, old.pk], ON)
    assert got.get(home.pk) == Value(4 + 2, 7 + 2)
    assert got.get(old.pk, Value(0, 0)) == Value(0, 0)


def test_patrol_records_list_each_due_date(cast) -> None:
    home = _patrol_home(cast)
    records = PATROL.records(cast.actor("officer_x"), home.pk, ON)
    assert sum(r.counted for r in records.rows) == 6
    dues = [r for r in records.rows if not r.cells[2].startswith("—")]
    assert len(dues) == 9
    assert len(records.rows) == 10  # one visit beyond the agreed number, listed, not counted
    assert [r.cells[3] for r in records.rows[:7]] == [
        "2026-02-03", "2026-02-17", "2026-03-20", "2026-04-28", "未巡诊", "未巡诊", "未巡诊"]
    assert records.rows[0].url.startswith("/patrols/")
    for outsider in ("nurse_c", "officer_y", "worker_u"):
        with pytest.raises(NotFound):
            PATROL.records(cast.actor(outsider), home.pk, ON)


def test_patrol_visits_of_the_demo_homes(cast) -> None:
    """Home A's fortnightly patrols with one missed; home C's hospital never came."""
    a, c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    got = PATROL.compute([a.pk, c.pk], timezone.localdate())
    assert 0 < got[a.pk].numerator < got[a.pk].denominator
    assert got[c.pk].numerator == 0 and got[c.pk].denominator >= 2


def test_compute_runs_a_fixed_number_of_queries(cast) -> None:
    few = [cast.home_of("nurse_a").pk]
    many = list(NursingHome.objects.values_list("pk", flat=True))
    for ind in (AGREEMENT, INTEGRATED, PATROL):
        with CaptureQueriesContext(connection) as one:
            ind.compute(few, ON)
        with CaptureQueriesContext(connection) as all_:
            ind.compute(many, ON)
        assert len(one) == len(all_) == 1, ind.code
    with CaptureQueriesContext(connection) as q:
        FAMILY.compute(None, ON)
    assert len(q) == 1


# ---- 4. family-doctor coverage -----------------------------------------------------------------

def _village(cast):  # type: ignore[no-untyped-def]
    t = cast.actor("worker_t")
    township = CommunityOrg.objects.get(pk=t.org_id)
    village = CommunityOrg.objects.create(
        kind=township.kind, name="五里河镇指标测试村村民委员会", short_name="指标测试村",
        credit_code="54410221TESTIND01X", region=township.region,
        region_code=township.region_code, parent=township, level=CommunityOrg.Level.VILLAGE)
    return replace(t, org_id=village.pk, org_name=village.name), village


def test_family_doctor_coverage_by_hand(cast) -> None:
    actor, village = _village(cast)
    today = timezone.localdate()
    old, young = date(today.year - 85, 1, 1), date(today.year - 70, 1, 1)

    def person(born: date, **flags):  # type: ignore[no-untyped-def]
        number = new_id_number()
        number = number[:6] + born.strftime("%Y%m%d") + number[14:17]
        return list_one(actor, id_number=number + id_check_digit(number), **flags)

    med = community_services.institutions_for(
        CommunityOrg.objects.get(pk=village.parent_id)).first()

    def sign(entry, start, end):  # type: ignore[no-untyped-def]
        community_services.sign_contract(actor=actor, entry_id=entry.pk, institution_id=med.pk,
                                         team="第一团队", doctor="刘医生", package="basic",
                                         start_on=start, end_on=end)

    year = timedelta(days=365)
    a = person(old)  # 高龄, signed ten days ago
    sign(a, today - timedelta(days=10), today + year)
    person(date(today.year - 70, 1, 1), dependent=True)  # 失能, not signed
    c = person(young, disabled=True)  # 残疾, contract ended yesterday
    sign(c, today - year, today - timedelta(days=1))
    d = person(young, disabled=True, dependent=True)  # in the group once, signed
    sign(d, today - timedelta(days=100), today + timedelta(days=100))
    e = person(young)  # living alone only: not in the group
    sign(e, today - timedelta(days=10), today + year)
    f = person(old)  # 高龄, admitted to home A today: not at home
    sign(f, today - timedelta(days=10), today + year)
    home = cast.home_of("admin_a")
    resident_services.admit_resident(actor=cast.actor("admin_a"), home_id=home.pk,
                                     bed_id=free_bed(home.pk).pk, name=f.person.name,
                                     id_number=f.person.id_number)
    # today: group a, b, c, d (4); signed a, d (2)
    assert FAMILY.compute([village.pk], today) == {village.pk: Value(2, 4)}
    # five days ago: f was still at home and c's contract still in force; group a, b, c, d, f
    # (5), signed a, c, d, f (4)
    assert FAMILY.compute([village.pk], today - timedelta(days=5)) == {village.pk: Value(4, 5)}
    # the app's own coverage of the same committee
    row = community_queries.coverage_table(actor)[-1]
    assert (row.coverage.signed, row.coverage.target) == (2, 4)
    records = FAMILY.records(cast.actor("officer_x"), village.pk, today)
    assert len(records.rows) == 4 and sum(r.counted for r in records.rows) == 2
    assert all(r.url.startswith("/community/ledger/") for r in records.rows)
    for outsider in ("officer_y", "worker_u", "nurse_c", "admin_a"):
        assert FAMILY.records(cast.actor(outsider), village.pk, today).rows == []


def test_family_doctor_coverage_equals_the_community_apps_own(cast) -> None:
    today = timezone.localdate()
    values = FAMILY.compute(None, today)
    for username in ("officer_x", "officer_y"):
        actor = cast.actor(username)
        for row in community_queries.coverage_table(actor, on=today):
            if row.level == "村（居）委会":
                orgs = [int(row.code)]
            elif row.level == "乡镇（街道）":
                orgs = [int(row.code), *CommunityOrg.objects.filter(
                    parent_id=int(row.code)).values_list("pk", flat=True)]
            else:
                orgs = list(Organisation.objects.filter(kind=OrgKind.COMMUNITY,
                                                        region_code__startswith=row.code)
                            .values_list("pk", flat=True))
            total = sum((values.get(pk, Value(0, 0)) for pk in orgs), Value(0, 0))
            assert (total.numerator, total.denominator) == (row.coverage.signed,
                                                            row.coverage.target), row


def test_family_doctor_coverage_of_the_demo_townships(cast) -> None:
    today = timezone.localdate()
    values = FAMILY.compute(None, today)
    for username in ("worker_t", "worker_u"):
        township = cast.actor(username).org_id
        orgs = [township, *CommunityOrg.objects.filter(parent_id=township)
                .values_list("pk", flat=True)]
        total = sum((values.get(pk, Value(0, 0)) for pk in orgs), Value(0, 0))
        assert 0 < total.numerator < total.denominator, username
