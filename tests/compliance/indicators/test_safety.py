"""Safety, infection and obligation indicators (compliance/indicators/safety.py): the date rules
(tables and properties), hand counts on the demo world plus rows added through the services,
the same numbers as the care indicator and the obligations board, scoped records, a fixed
number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yiyang.care import safety_queries, safety_services
from yiyang.care import safety_rules as care_rules
from yiyang.compliance import indicators, queries, services
from yiyang.compliance.indicators import safety
from yiyang.compliance.indicators.base import Value
from yiyang.compliance.indicators.rollup import roll_up
from yiyang.compliance.rules import Status
from yiyang.core.errors import NotFound
from yiyang.infection import outbreak_reports, readiness_queries, readiness_services
from yiyang.infection.models import OutbreakReport
from yiyang.orgs.models import Membership, Regulator
from yiyang.residents.models import Stay


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# ---- pure date rules -----------------------------------------------------------------------

@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 12, 6), (date(2026, 11, 1), date(2026, 11, 30))),
    (date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),
    (date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
    (date(2024, 3, 15), (date(2024, 2, 1), date(2024, 2, 29))),
    (date(2023, 3, 15), (date(2023, 2, 1), date(2023, 2, 28))),
])
def test_the_pressure_period_is_the_month_before(on: date, expected: tuple[date, date]) -> None:
    assert safety.pressure_period(on) == expected


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 12, 6), (date(2025, 12, 7), date(2026, 12, 6))),
    (date(2026, 1, 1), (date(2025, 1, 2), date(2026, 1, 1))),
    (date(2024, 2, 29), (date(2023, 3, 1), date(2024, 2, 29))),
])
def test_the_report_window_is_twelve_months(on: date, expected: tuple[date, date]) -> None:
    assert safety.report_window(on) == expected


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_the_pressure_period_is_one_whole_month_just_before(on: date) -> None:
    start, end = safety.pressure_period(on)
    assert start.day == 1
    assert end + timedelta(days=1) == on.replace(day=1)
    assert start.month == end.month and start.year == end.year


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_the_report_window_ends_on_the_day_and_spans_a_year(on: date) -> None:
    first, last = safety.report_window(on)
    assert last == on
    assert (last - first).days + 1 in (365, 366)


def test_obligation_counts_done_and_missed_periods_only() -> None:
    statuses = [Status.DONE, Status.OVERDUE, Status.DONE, Status.DUE, Status.OVERDUE]
    assert safety.obligation_counts(statuses) == (2, 4)
    assert safety.obligation_counts([Status.DUE]) == (0, 0)


def test_regulators_roll_up_to_their_own_level_only() -> None:
    rows = [("410000", Value(1, 1)), ("410200", Value(1, 2)), ("410221", Value(1, 1))]
    out = roll_up(rows)
    assert out == {"41": Value(3, 4), "4102": Value(2, 3), "410221": Value(1, 1)}


def test_the_four_indicators_are_registered_in_their_range() -> None:
    codes = {i.code: i for i in indicators.all_indicators() if 30 <= i.order <= 39}
    assert set(codes) == {"pressure_injury_rate", "outbreak_reports_on_time",
                          "staff_vaccination", "obligations_met"}
    assert codes["pressure_injury_rate"].target.op == "<="
    assert codes["pressure_injury_rate"].target.value == 5


# ---- 1. pressure injuries ------------------------------------------------------------------

def test_pressure_equals_the_care_indicator_for_every_demo_home_and_month(cast) -> None:
    officer = cast.actor("officer_city")
    today = timezone.localdate()
    homes = list(queries.homes(officer).values_list("pk", flat=True))
    assert len(homes) >= 6
    seen_cases = 0
    for back in range(13):
        m = today.year * 12 + today.month - 1 - back
        on = date(m // 12, m % 12 + 1, 1)
        start, _ = safety.pressure_period(on)
        period = care_rules.Period(care_rules.PeriodKind.MONTH, start.year, start.month)
        care = safety_queries.pressure_by_home(officer, homes, period)
        mine = safety.PRESSURE.compute(None, on)
        for home_id in homes:
            got = mine.get(home_id, Value(0, 0))
            assert (got.numerator, got.denominator) == (care[home_id].cases,
                                                        care[home_id].denominator), (on, home_id)
            assert got.parts.get("lesions", 0) == care[home_id].lesions
            seen_cases += got.numerator
    assert seen_cases >= 10  # a year of the demo's lesions in homes A and C


def test_pressure_last_month_counts_for_homes_a_and_c(cast) -> None:
    values = safety.PRESSURE.compute(None, timezone.localdate())
    for user in ("nurse_a", "nurse_c"):
        v = values[cast.home_of(user).pk]
        assert v.numerator >= 1 and v.denominator > v.numerator  # some counted, some not


def _long_stays(home_id: int, before: date, n: int) -> list[Stay]:
    """Residents in the home since well before `before`, with no lesion recorded at all."""
    return list(Stay.objects.filter(home_id=home_id, ended_on__isnull=True,
                                     admitted_on__lt=before - timedelta(days=40))
                .exclude(person__pressure_injuries__isnull=False)
                .select_related("person").order_by("pk")[:n])


def test_pressure_hand_count(cast) -> None:
    """Eleven months ago, five residents without lesions: two new cases (three lesions) by
    hand, on top of what the demo has in that month."""
    nurse = cast.actor("nurse_a")
    home = cast.home_of("nurse_a")
    today = timezone.localdate()
    m = today.year * 12 + today.month - 1 - 11
    start = date(m // 12, m % 12 + 1, 1)
    on = (start + timedelta(days=40)).replace(day=3)  # a day of the following month
    before = safety.PRESSURE.compute([home.pk], on)[home.pk]
    p1, p2, p3, p4, p5 = _long_stays(home.pk, start, 5)

    def lesion(stay: Stay, found: datetime, stage: str, **kw):  # type: ignore[no-untyped-def]
        return safety_services.record_lesion(actor=nurse, person_id=stay.person_id,
                                             site="sacrum", stage=stage, found_at=found, **kw)

    # p1: two new stage-2+ lesions in the month: one case, two lesions
    lesion(p1, _aware(start + timedelta(days=4), 9), "2")
    lesion(p1, _aware(start + timedelta(days=6), 9), "3")
    # p2: stage 1 on the last day of the month before, stage 2 in the month: a case
    early = lesion(p2, _aware(start - timedelta(days=1), 20), "1")
    safety_services.add_observation(actor=nurse, lesion_id=early.pk, version=early.version,
                                    stage="2", observed_at=_aware(start + timedelta(days=7), 9))
    # p3: present on admission; p4: stage 1 only; p5: stage 2 in the next month: none count
    lesion(p3, _aware(start + timedelta(days=2), 9), "3", present_on_admission=True)
    lesion(p4, _aware(start + timedelta(days=2), 9), "1")
    lesion(p5, _aware(start + timedelta(days=35), 9), "2")
    after = safety.PRESSURE.compute([home.pk], on)[home.pk]
    assert (after.numerator, after.denominator) == (before.numerator + 2, before.denominator)
    assert after.parts["lesions"] == before.parts.get("lesions", 0) + 3
    # the same as the care app's own indicator for that month
    period = care_rules.Period(care_rules.PeriodKind.MONTH, start.year, start.month)
    care = safety_queries.pressure_by_home(nurse, [home.pk], period)[home.pk]
    assert (care.cases, care.denominator) == (after.numerator, after.denominator)
    # the residents counted by hand: admitted by the month's end, not gone before its start
    served = {pid for pid, adm, end in Stay.objects.filter(home=home).values_list(
        "person_id", "admitted_on", "ended_on")
        if adm <= period.end and (end is None or end >= start)}
    assert after.denominator == len(served)
    # the records: the two cases counted, the rest of the denominator not
    rec = safety.PRESSURE.records(nurse, home.pk, on)
    counted = [r for r in rec.rows if r.counted]
    assert len(counted) == after.numerator and len(rec.rows) == after.denominator
    assert {p1.person.name, p2.person.name} <= {r.cells[0] for r in counted}
    assert not {p3.person.name, p4.person.name, p5.person.name} & {r.cells[0] for r in counted}
    assert all(r.url for r in rec.rows)


def test_pressure_records_are_scoped(cast) -> None:
    home_a = cast.home_of("nurse_a")
    on = timezone.localdate()
    value = safety.PRESSURE.compute([home_a.pk], on)[home_a.pk]
    for outsider in ("nurse_c", "officer_y", "doctor_b", "worker_t"):
        with pytest.raises(NotFound):
            safety.PRESSURE.records(cast.actor(outsider), home_a.pk, on)
    rec = safety.PRESSURE.records(cast.actor("officer_x"), home_a.pk, on)
    assert sum(r.counted for r in rec.rows) == value.numerator
    assert len(rec.rows) == value.denominator


# ---- 2. outbreak reports -------------------------------------------------------------------

def _reg(cast, username: str) -> int:  # type: ignore[no-untyped-def]
    return cast.actor(username).org_id


def test_outbreak_reports_hand_count_from_the_demo(cast) -> None:
    """Home E's closed incident last December: county Z, the city and the province each
    forwarded within 2 hours. Home A's open incident: county X forwarded after 60 minutes; the
    city has not, past its deadline (late); the Ministry's copy is outside the system."""
    home_e = OutbreakReport.objects.filter(parent__isnull=True).order_by("received_at").first()
    e_day = timezone.localtime(home_e.received_at).date()
    values = safety.OUTBREAK_REPORTS.compute(None, e_day)
    assert values == {_reg(cast, "officer_z"): Value(1, 1), _reg(cast, "officer_city"): Value(1, 1),
                      _reg(cast, "officer_prov"): Value(1, 1)}
    assert safety.OUTBREAK_REPORTS.compute(None, e_day - timedelta(days=1)) == {}
    today = timezone.localdate()
    now = safety.OUTBREAK_REPORTS.compute(None, today)
    assert now[_reg(cast, "officer_x")] == Value(1, 1)
    city = now[_reg(cast, "officer_city")]
    assert city.denominator - city.numerator == 1  # the open, overdue one is late
    # the city forwards now, late: still late; the province's new report is not yet due
    late = OutbreakReport.objects.get(to_org_id=_reg(cast, "officer_city"),
                                      status=OutbreakReport.Status.RECEIVED)
    outbreak_reports.forward(actor=cast.actor("officer_city"), report_id=late.pk,
                             version=late.version)
    again = safety.OUTBREAK_REPORTS.compute(None, today)
    assert again[_reg(cast, "officer_city")] == city
    assert again.get(_reg(cast, "officer_prov")) == now.get(_reg(cast, "officer_prov"))
    # only the organisations asked for
    only = safety.OUTBREAK_REPORTS.compute([_reg(cast, "officer_x")], today)
    assert only == {_reg(cast, "officer_x"): Value(1, 1)}


def test_outbreak_report_records_are_scoped(cast) -> None:
    today = timezone.localdate()
    county_x, city = _reg(cast, "officer_x"), _reg(cast, "officer_city")
    rec = safety.OUTBREAK_REPORTS.records(cast.actor("officer_x"), county_x, today)
    assert [r.counted for r in rec.rows] == [True]
    assert rec.rows[0].url.startswith("/infection/outbreaks/")
    value = safety.OUTBREAK_REPORTS.compute([city], today)[city]
    for viewer in ("officer_city", "officer_prov"):
        rows = safety.OUTBREAK_REPORTS.records(cast.actor(viewer), city, today).rows
        assert sum(r.counted for r in rows) == value.numerator
        assert len(rows) == value.denominator
    for outsider in ("officer_x", "officer_y", "nurse_a", "nurse_c", "doctor_b"):
        with pytest.raises(NotFound):
            safety.OUTBREAK_REPORTS.records(cast.actor(outsider), city, today)
    with pytest.raises(NotFound):
        safety.OUTBREAK_REPORTS.records(cast.actor("officer_y"), county_x, today)


# ---- 3. staff vaccination ------------------------------------------------------------------

def _full_by_rule(cast, username: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    actor = cast.actor(username)
    rows = readiness_queries.staff_rows(list(readiness_queries.staff_memberships(
        actor, home_id=actor.org_id)), on)
    return sum(r.status.full_course for r in rows), len(rows)


def test_staff_vaccination_hand_count(cast) -> None:
    """Home A (demo): nine staff; care_a3 has one dose, nurse_a2 is deferred, reg_a has a
    contraindication: six fully vaccinated."""
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    today = timezone.localdate()
    values = safety.STAFF_VACCINATION.compute(None, today)
    assert values[home_a.pk] == Value(6, 9)
    assert (values[home_c.pk].numerator, values[home_c.pk].denominator) == _full_by_rule(
        cast, "nurse_c", today)
    assert 0 < values[home_c.pk].numerator < values[home_c.pk].denominator
    # care_a3's second inactivated dose today: seven from today, still six as of yesterday
    care_a3 = cast.membership("care_a3")
    readiness_services.record_staff_dose(actor=cast.actor("admin_a"), membership_id=care_a3.pk,
                                         kind="primary", given_on=today, product="inactivated")
    assert safety.STAFF_VACCINATION.compute([home_a.pk], today) == {home_a.pk: Value(7, 9)}
    yesterday = today - timedelta(days=1)
    assert safety.STAFF_VACCINATION.compute([home_a.pk], yesterday) == {home_a.pk: Value(6, 9)}
    assert _full_by_rule(cast, "nurse_a", today) == (7, 9)


def test_staff_vaccination_by_product(cast) -> None:
    """One adenovirus-vector dose is a full course; a recombinant course needs three."""
    home_a = cast.home_of("nurse_a")
    admin = cast.actor("admin_a")
    today = timezone.localdate()
    new = [Membership.objects.create(user=cast.user(u), org=home_a, role="home_caregiver",
                                     region_code=home_a.region_code)
           for u in ("nurse_c", "doctor_b")]  # two more people on home A's staff list
    assert safety.STAFF_VACCINATION.compute([home_a.pk], today)[home_a.pk] == Value(6, 11)
    readiness_services.record_staff_dose(actor=admin, membership_id=new[0].pk, kind="primary",
                                         given_on=today - timedelta(days=30),
                                         product="adenovirus")
    for back in (90, 60):
        readiness_services.record_staff_dose(actor=admin, membership_id=new[1].pk,
                                             kind="primary", given_on=today - timedelta(days=back),
                                             product="recombinant")
    assert safety.STAFF_VACCINATION.compute([home_a.pk], today)[home_a.pk] == Value(7, 11)
    readiness_services.record_staff_dose(actor=admin, membership_id=new[1].pk, kind="primary",
                                         given_on=today, product="recombinant")
    assert safety.STAFF_VACCINATION.compute([home_a.pk], today)[home_a.pk] == Value(8, 11)


def test_staff_vaccination_records_are_scoped(cast) -> None:
    home_a = cast.home_of("nurse_a")
    today = timezone.localdate()
    rec = safety.STAFF_VACCINATION.records(cast.actor("admin_a"), home_a.pk, today)
    assert len(rec.rows) == 9 and sum(r.counted for r in rec.rows) == 6
    assert all(r.url.startswith("/infection/staff/") for r in rec.rows)
    assert not any("1" * 11 in "".join(r.cells) for r in rec.rows)
    for outsider in ("nurse_c", "officer_y", "doctor_b"):
        with pytest.raises(NotFound):
            safety.STAFF_VACCINATION.records(cast.actor(outsider), home_a.pk, today)


# ---- 4. obligations met --------------------------------------------------------------------

def _board_counts(cast, username: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    actor = cast.actor(username)
    home = queries.home(actor, actor.org_id)
    done = due = 0
    for cell in queries.standings(actor, [home], on)[home.pk]:
        if cell.standing is None:
            continue
        statuses = ([cell.standing.status] if cell.obligation.interval.value == "ledger"
                    else [s for _, _, s in cell.standing.history])
        done += statuses.count(Status.DONE)
        due += statuses.count(Status.DONE) + statuses.count(Status.OVERDUE)
    return done, due


def test_obligations_met_equals_the_board_for_homes_a_and_c(cast) -> None:
    today = timezone.localdate()
    for on in (today, today - timedelta(days=45), today - timedelta(days=200)):
        values = safety.OBLIGATIONS_MET.compute(None, on)
        for user in ("admin_a", "admin_c"):
            v = values[cast.home_of(user).pk]
            assert (v.numerator, v.denominator) == _board_counts(cast, user, on), (user, on)
    for user in ("admin_a", "admin_c"):
        v = safety.OBLIGATIONS_MET.compute(None, today)[cast.home_of(user).pk]
        assert 0 < v.numerator < v.denominator  # some met, some missed


def test_obligations_met_hand_count(cast) -> None:
    """A fire check recorded in a month home A missed turns that month from missed to met."""
    admin = cast.actor("admin_a")
    home = cast.home_of("admin_a")
    today = timezone.localdate()
    before = safety.OBLIGATIONS_MET.compute([home.pk], today)[home.pk]
    cell = next(c for c in queries.standings(admin, [home], today)[home.pk]
                if c.obligation.code == "fire_check")
    missed = cell.standing.missed
    assert len(missed) == before.parts["missed:fire_check"] >= 1
    services.record_obligation(actor=admin, obligation="fire_check", done_on=missed[0].start,
                               summary="补录：消防设施检查")
    after = safety.OBLIGATIONS_MET.compute([home.pk], today)[home.pk]
    assert (after.numerator, after.denominator) == (before.numerator + 1, before.denominator)
    assert after.parts.get("missed:fire_check", 0) == len(missed) - 1
    # a second check in the same month changes nothing (once a month is enough)
    services.record_obligation(actor=admin, obligation="fire_check", done_on=missed[0].end,
                               summary="补录：第二次检查")
    assert safety.OBLIGATIONS_MET.compute([home.pk], today)[home.pk] == after


def test_obligation_records_are_scoped_and_match(cast) -> None:
    home_a = cast.home_of("nurse_a")
    today = timezone.localdate()
    value = safety.OBLIGATIONS_MET.compute([home_a.pk], today)[home_a.pk]
    for viewer in ("admin_a", "officer_x", "officer_city"):
        rows = safety.OBLIGATIONS_MET.records(cast.actor(viewer), home_a.pk, today).rows
        assert sum(r.counted for r in rows) == value.numerator
        assert len(rows) == value.denominator
        assert all(r.url == f"/obligations/homes/{home_a.pk}/" for r in rows)
    for outsider in ("nurse_c", "officer_y", "doctor_b", "worker_t"):
        with pytest.raises(NotFound):
            safety.OBLIGATIONS_MET.records(cast.actor(outsider), home_a.pk, today)


# ---- bounded queries -----------------------------------------------------------------------

@pytest.mark.parametrize("code", ["pressure_injury_rate", "outbreak_reports_on_time",
                                  "staff_vaccination", "obligations_met"])
def test_compute_runs_a_fixed_number_of_queries(cast, code: str) -> None:
    ind = indicators.get(code)
    assert ind is not None
    today = timezone.localdate()
    one = [cast.home_of("nurse_a").pk] if ind.org_kind == "home" else [_reg(cast, "officer_x")]
    with CaptureQueriesContext(connection) as small:
        ind.compute(one, today)
    with CaptureQueriesContext(connection) as every:
        ind.compute(None, today)
    assert len(every) == len(small) <= 8
    assert Regulator.objects.exists()
