"""The pure rules of pressure injuries, incidents and education (REFERENCE §5.7, §2.4–2.5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.care import safety_rules as r

MARCH = r.Period(r.PeriodKind.MONTH, 2026, 3)
APRIL = r.Period(r.PeriodKind.MONTH, 2026, 4)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _lesion(lesion_id, person_id, admitted, found, stage, poa=False, later=()):  # type: ignore[no-untyped-def]
    return r.LesionFact(lesion_id=lesion_id, person_id=person_id, admitted_at=_at(admitted),
                        found_at=_at(found), present_on_admission=poa,
                        history=((_at(found), stage), *((_at(a), s) for a, s in later)))


# A home in March 2026, computed by hand:
#   present at 1 March: P1 (since Dec), P3 (since Feb), P6 (left on 1 March), P8 (left 3 March,
#   back 25 March: one person);  P2 left in February, P7 comes in April.
#   admitted in March: P4 (5 March 08:00), P5 (10–20 March).
#   denominator = 4 + 2 = 6.
SPANS = [
    r.ResidentSpan(1, date(2025, 12, 1)),
    r.ResidentSpan(2, date(2026, 1, 10), date(2026, 2, 20)),
    r.ResidentSpan(3, date(2026, 2, 1)),
    r.ResidentSpan(4, date(2026, 3, 5)),
    r.ResidentSpan(5, date(2026, 3, 10), date(2026, 3, 20)),
    r.ResidentSpan(6, date(2026, 1, 1), date(2026, 3, 1)),
    r.ResidentSpan(7, date(2026, 4, 1)),
    r.ResidentSpan(8, date(2026, 2, 15), date(2026, 3, 3)),
    r.ResidentSpan(8, date(2026, 3, 25)),
]
LESIONS = [
    # P1: two new lesions in March (stage 2 and stage 3): one case, two lesions.
    _lesion(1, 1, "2025-12-01T00:00", "2026-03-08T09:00", "2"),
    _lesion(2, 1, "2025-12-01T00:00", "2026-03-15T10:00", "3"),
    # P4: stage 2 found 12 h after admission: not facility-acquired.
    _lesion(3, 4, "2026-03-05T08:00", "2026-03-05T20:00", "2"),
    # P5: stage 3 present on admission: excluded.
    _lesion(4, 5, "2026-03-10T00:00", "2026-03-10T15:00", "3", poa=True),
    # P3: stage 1 in March, worse to stage 2 on 2 April: an April case.
    _lesion(5, 3, "2026-02-01T00:00", "2026-03-12T08:00", "1",
            later=[("2026-03-20T08:00", "1"), ("2026-04-02T08:00", "2")]),
    # P6: stage 2 in February: not March.
    _lesion(6, 6, "2026-01-01T00:00", "2026-02-20T08:00", "2"),
    # P8: a mucosal injury three days after coming back: counts only with the setting.
    _lesion(7, 8, "2026-03-25T00:00", "2026-03-28T08:00", "mucosal"),
]


def test_hand_computed_march() -> None:
    got = r.pressure_indicator(MARCH, SPANS, LESIONS, include_mucosal=True)
    assert (got.present_at_start, got.admitted, got.denominator) == (4, 2, 6)
    assert got.case_person_ids == (1, 8)
    assert (got.cases, got.lesions) == (2, 3)
    assert got.rate == 33.33
    # resident-days: P1 31 + P3 31 + P4 27 + P5 11 + P6 1 + P8 (3 + 7) = 111
    assert got.resident_days == 111
    assert got.per_1000_days == 18.02
    assert got.within_limit is False


def test_mucosal_injuries_are_a_setting() -> None:
    got = r.pressure_indicator(MARCH, SPANS, LESIONS, include_mucosal=False)
    assert got.case_person_ids == (1,)
    assert (got.cases, got.lesions, got.denominator, got.rate) == (1, 2, 6, 16.67)


def test_a_stage_one_that_worsens_counts_in_the_month_it_reached_stage_two() -> None:
    got = r.pressure_indicator(APRIL, SPANS, LESIONS)
    assert got.case_person_ids == (3,)
    # April: present P1, P3, P4, P8 (P5 and P6 left in March); admitted P7.
    assert (got.present_at_start, got.admitted) == (4, 1)
    assert got.rate == 20.0


def test_exactly_24_hours_is_not_yet_facility_acquired() -> None:
    at24 = _lesion(9, 4, "2026-03-05T08:00", "2026-03-06T08:00", "2")
    after = _lesion(9, 4, "2026-03-05T08:00", "2026-03-06T08:01", "2")
    assert r.pressure_indicator(MARCH, SPANS, [at24]).cases == 0
    assert r.pressure_indicator(MARCH, SPANS, [after]).cases == 1


@pytest.mark.parametrize("stage, counted", [
    ("1", False), ("2", True), ("3", True), ("4", True), ("unstageable", True),
    ("dtpi", True), ("healed", False),
])
def test_stage_two_and_above(stage: str, counted: bool) -> None:
    assert r.counts_toward_stage_two(stage, include_mucosal=False) is counted


def test_under_five_percent_is_within_the_limit() -> None:
    spans = [r.ResidentSpan(i, date(2025, 1, 1)) for i in range(1, 26)]
    got = r.pressure_indicator(MARCH, spans, [_lesion(1, 1, "2025-01-01T00:00",
                                                      "2026-03-02T08:00", "2")])
    assert (got.cases, got.denominator, got.rate, got.within_limit) == (1, 25, 4.0, True)
    assert r.pressure_indicator(MARCH, [], []).rate is None


def test_admission_moment() -> None:
    assert r.admission_moment(date(2026, 3, 5), _at("2026-03-05T14:30")) == _at("2026-03-05T14:30")
    # registered later (back-dated): the start of the admission day
    assert r.admission_moment(date(2026, 3, 5), _at("2026-03-09T10:00")) == _at("2026-03-05T00:00")


@pytest.mark.parametrize("kind, year, n, start, end", [
    (r.PeriodKind.MONTH, 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),
    (r.PeriodKind.MONTH, 2026, 12, date(2026, 12, 1), date(2026, 12, 31)),
    (r.PeriodKind.QUARTER, 2026, 4, date(2026, 10, 1), date(2026, 12, 31)),
    (r.PeriodKind.QUARTER, 2026, 2, date(2026, 4, 1), date(2026, 6, 30)),
    (r.PeriodKind.YEAR, 2026, 1, date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods(kind, year, n, start, end) -> None:  # type: ignore[no-untyped-def]
    p = r.Period(kind, year, n)
    assert (p.start, p.end) == (start, end)
    assert r.Period.containing(kind, end) == p


def test_incident_counts_for_a214() -> None:
    on = date(2026, 3, 31)
    events = [("fall", date(2026, 3, 2)), ("fall", date(2026, 3, 30)), ("fall", date(2026, 3, 1)),
              ("choking", date(2026, 3, 31)), ("wandering", date(2026, 4, 1)),
              *[("other", date(2026, 3, 10))] * 5]
    assert r.incident_counts(events, on) == {"跌倒": 2, "走失": 0, "噎食": 1, "自杀/自伤": 0,
                                             "其他": 3}


# ---- properties ----------------------------------------------------------------------------

_DAY0 = date(2025, 10, 1)


@st.composite
def _home(draw):  # type: ignore[no-untyped-def]
    spans, lesions = [], []
    for pid in range(1, draw(st.integers(1, 12)) + 1):
        start = _DAY0 + timedelta(days=draw(st.integers(0, 300)))
        length = draw(st.one_of(st.none(), st.integers(0, 200)))
        end = None if length is None else start + timedelta(days=length)
        spans.append(r.ResidentSpan(pid, start, end))
        last = end or start + timedelta(days=300)
        for _ in range(draw(st.integers(0, 3))):
            found = datetime.combine(start, datetime.min.time()) + timedelta(
                hours=draw(st.integers(0, (last - start).days * 24 + 23)))
            stage = draw(st.sampled_from([s.value for s in r.Stage if s != r.Stage.HEALED]))
            lesions.append(r.LesionFact(len(lesions) + 1, pid,
                                        datetime.combine(start, datetime.min.time()), found,
                                        draw(st.booleans()), ((found, stage),)))
    return spans, lesions


@given(_home(), st.integers(1, 12))
def test_cases_never_exceed_people_served(home, month) -> None:  # type: ignore[no-untyped-def]
    spans, lesions = home
    got = r.pressure_indicator(r.Period(r.PeriodKind.MONTH, 2026, month), spans, lesions)
    assert got.cases <= got.lesions
    assert set(got.case_person_ids) <= set(got.denominator_person_ids)
    assert got.rate is None or 0 <= got.rate <= 100


@given(_home(), st.integers(1, 4))
def test_present_on_admission_lesions_never_change_the_rate(home, quarter) -> None:  # type: ignore[no-untyped-def]
    spans, lesions = home
    period = r.Period(r.PeriodKind.QUARTER, 2026, quarter)
    poa = [r.LesionFact(x.lesion_id + 1000, x.person_id, x.admitted_at, x.found_at, True,
                        x.history) for x in lesions]
    assert (r.pressure_indicator(period, spans, lesions + poa).cases
            == r.pressure_indicator(period, spans, lesions).cases)


@given(_home())
def test_a_second_lesion_of_a_case_adds_no_case(home) -> None:  # type: ignore[no-untyped-def]
    spans, lesions = home
    period = r.Period(r.PeriodKind.YEAR, 2026)
    base = r.pressure_indicator(period, spans, lesions)
    twins = [r.LesionFact(x.lesion_id + 1000, x.person_id, x.admitted_at, x.found_at,
                          x.present_on_admission, x.history) for x in lesions]
    both = r.pressure_indicator(period, spans, lesions + twins)
    assert both.cases == base.cases
    assert both.lesions == 2 * base.lesions


@given(_home())
def test_a_year_counts_each_person_once_over_its_months(home) -> None:  # type: ignore[no-untyped-def]
    spans, lesions = home
    months = [r.pressure_indicator(p, spans, lesions)
              for p in r.periods_of_year(r.PeriodKind.MONTH, 2026)]
    year = r.pressure_indicator(r.Period(r.PeriodKind.YEAR, 2026), spans, lesions)
    assert year.case_person_ids == tuple(sorted({p for m in months for p in m.case_person_ids}))
    assert year.lesions == sum(m.lesions for m in months)
    assert max(m.denominator for m in months) <= year.denominator
