"""The residents' indicators against hand counts (docs/indicators-residents.md).

Each hand-count test builds a new home in county X with a handful of residents whose dates sit
on the boundaries of the definitions, counts by hand (the literal expected values below) and
compares `compute([home], on)`. The demo homes then check scoping and that the rows marked
counted by `records` are exactly the numerator.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments import queries as assessment_queries
from yiyang.assessments.models import AdmissionAssessment, Assessment, ReassessmentTrigger
from yiyang.assessments.schedule_rules import Reason
from yiyang.compliance import indicators
from yiyang.compliance.indicators import residents as ind
from yiyang.compliance.indicators._resident_rules import (
    PARTS_LABELS,
    band_key,
    born_by,
    year_before,
)
from yiyang.compliance.indicators.base import Value
from yiyang.core.permissions import OrgKind
from yiyang.orgs.models import NursingHome
from yiyang.regions.models import Region
from yiyang.residents.models import (
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
    Vaccination,
)
from yiyang.residents.rules import age_on

ON = date(2026, 11, 30)
_serial = itertools.count(1)

# ---- pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(("on", "years", "limit"), [
    (date(2026, 11, 30), 60, date(1966, 11, 30)),
    (date(2028, 2, 29), 60, date(1968, 2, 29)),  # 1968 is a leap year
    (date(2028, 2, 29), 61, date(1967, 2, 28)),  # 1967 is not: 28 February
    (date(2027, 3, 1), 80, date(1947, 3, 1)),
])
def test_born_by_by_hand(on: date, years: int, limit: date) -> None:
    assert born_by(on, years) == limit


@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.dates(date(1950, 1, 1),
                                                                 date(2040, 12, 31)),
       st.integers(0, 100))
def test_born_by_agrees_with_age_on(birth: date, on: date, years: int) -> None:
    if on < birth or years > on.year - 1:
        return
    assert (birth <= born_by(on, years)) == (age_on(birth, on) >= years)


@pytest.mark.parametrize(("birth", "band"), [
    (date(1966, 11, 30), "60-64"), (date(1966, 12, 1), "under60"), (date(1961, 11, 30), "65-79"),
    (date(1946, 12, 1), "65-79"), (date(1946, 11, 30), "80-89"), (date(1936, 11, 30), "90+"),
    (date(1936, 12, 1), "80-89"),
])
def test_band_key_by_hand(birth: date, band: str) -> None:
    assert band_key(birth, ON) == band


def test_year_before() -> None:
    assert year_before(ON) == date(2025, 11, 30)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_parts_are_ordered_band_by_band_then_totals() -> None:
    keys = list(PARTS_LABELS)
    assert keys[:4] == ["60-64:red", "60-64:yellow", "60-64:green", "60-64:unclassified"]
    assert keys[-4:] == ["red", "yellow", "green", "unclassified"]
    assert PARTS_LABELS["90+:red"] == "90岁及以上·红色"


def test_the_four_are_registered_on_homes_in_their_range() -> None:
    for code in ("key_populations", "resident_vaccination", "admission_assessment",
                 "reassessment_on_time"):
        got = indicators.get(code)
        assert got is not None and got.org_kind == "home" and 10 <= got.order <= 19


# ---- a new home built by hand ----------------------------------------------------------------


def _home() -> NursingHome:
    county = Region.objects.get(code="410221")
    n = next(_serial)
    return NursingHome.objects.create(
        kind=OrgKind.HOME, name=f"指标测试养老院{n}", short_name=f"指标测试{n}",
        credit_code=f"52410221TEST{n:05d}X", region=county, region_code=county.code,
        address="杞县", bed_capacity=20)


def _stay(home: NursingHome, born: date, admitted: date, *, ended: date | None = None,
          level: str = "0", certificate: str = "") -> Stay:
    n = next(_serial)
    own = {"org": home, "region_code": home.region_code}
    person = Person.objects.create(**own, name=f"测试{n}", sex="F", birth_date=born,
                                   id_number=f"TEST{n:014d}")
    HealthProfile.objects.create(**own, person=person, disability_level=level,
                                 disability_certificate_no=certificate)
    return Stay.objects.create(home=home, person=person, region_code=home.region_code,
                               admitted_on=admitted, ended_on=ended,
                               status="discharged" if ended else "in_residence")


def _classify(stay: Stay, on: date, category: str) -> None:
    KeyPopulationRecord.objects.create(
        person=stay.person, org_id=stay.home_id, region_code=stay.region_code, classified_on=on,
        age=70, band="65-79", has_disability=False, disease="none", vaccination="none",
        category=category, basis="G1", rule_set="test@1", classified_by="t", is_current=False)


def _dose(stay: Stay, product: str, n: int | None, on: date, kind: str = "dose") -> None:
    Vaccination.objects.create(person=stay.person, org_id=stay.home_id,
                               region_code=stay.region_code, kind=kind, product=product,
                               dose_number=n, given_on=on)


def _assessed(stay: Stay, instrument: str, on: date, level: int | None = None) -> Assessment:
    return Assessment.objects.create(
        person=stay.person, stay=stay, home_id=stay.home_id, region_code=stay.region_code,
        instrument=instrument, instrument_version="t", reason=Reason.ROUTINE, status="final",
        assessed_on=on, level=level, created_by="t", finalised_at=timezone.now())


@pytest.mark.django_db
def test_key_populations_by_hand(cast) -> None:  # type: ignore[no-untyped-def]
    home = _home()
    p1 = _stay(home, date(1936, 12, 1), date(2020, 1, 1))  # 89 on ON (90 the next day)
    _classify(p1, date(2026, 6, 1), "red")
    _classify(p1, date(2026, 12, 1), "yellow")  # after ON: not yet in force
    _stay(home, date(1966, 11, 30), date(2024, 1, 1))  # 60 that very day, never classified
    _stay(home, date(1970, 5, 5), date(2024, 1, 1))  # 56, not disabled: outside the register
    p4 = _stay(home, date(1975, 1, 1), date(2023, 1, 1), certificate="残疾证1")  # 51, disabled
    _classify(p4, date(2025, 1, 1), "green")
    p5 = _stay(home, date(1940, 3, 3), date(2022, 1, 1), ended=ON)  # left on ON: not counted
    _classify(p5, date(2026, 1, 1), "yellow")
    _stay(home, date(1950, 7, 7), date(2026, 12, 1), level="2")  # admitted after ON
    p7 = _stay(home, date(1944, 2, 29), date(2025, 6, 1), ended=date(2026, 12, 2))
    _classify(p7, date(2025, 10, 10), "red")
    _classify(p7, date(2026, 10, 10), "green")  # the latest dated <= ON wins
    got = ind.key_populations([home.pk], ON)[home.pk]
    assert (got.numerator, got.denominator) == (4, 5)
    assert dict(got.parts) == {"80-89:red": 1, "60-64:unclassified": 1, "under60:green": 1,
                               "80-89:green": 1, "red": 1, "unclassified": 1, "green": 2}
    assert ind.KEY_POPULATIONS.figure(got) == 4.0
    rows = {r.cells[0]: (r.cells[2:], r.counted)
            for r in ind.key_population_records(cast.actor("officer_x"), home.pk, ON).rows}
    assert rows[p1.person.name] == (("80–89岁", "重点人群（红）"), True)
    assert rows[p4.person.name] == (("60岁以下（残疾）", "一般人群（绿）"), True)
    assert (("60–64岁", "未分类"), True) in rows.values()
    assert (("—", "不在登记范围"), False) in rows.values()
    assert len(rows) == 5 and sum(counted for _, counted in rows.values()) == 4
    assert not ind.key_population_records(cast.actor("officer_y"), home.pk, ON).rows


@pytest.mark.django_db
def test_vaccination_by_hand(cast) -> None:  # type: ignore[no-untyped-def]
    home = _home()
    vero, cho, ad5 = ("新冠病毒灭活疫苗（Vero细胞）", "重组新冠病毒蛋白疫苗（CHO细胞）",
                      "重组新冠病毒疫苗（5型腺病毒载体）")
    full = _stay(home, date(1940, 1, 1), date(2020, 1, 1))
    _dose(full, vero, 1, date(2021, 5, 1))
    _dose(full, vero, 2, date(2021, 6, 1))
    _dose(full, vero, 1, date(2022, 1, 1), kind="booster")
    partial = _stay(home, date(1950, 1, 1), date(2020, 1, 1))  # CHO needs three doses
    _dose(partial, cho, 1, date(2021, 5, 1))
    _dose(partial, cho, 2, date(2021, 6, 1))
    _dose(partial, cho, 3, date(2026, 12, 1))  # after ON
    none = _stay(home, date(1975, 1, 1), date(2020, 1, 1), level="3")  # disabled, under 60
    _dose(none, "", None, date(2021, 5, 1), kind="contraindication")
    one_dose = _stay(home, date(1945, 1, 1), date(2020, 1, 1))  # Ad5: one dose is the course
    _dose(one_dose, ad5, 1, date(2021, 7, 1))
    young = _stay(home, date(1980, 1, 1), date(2020, 1, 1))  # outside the register
    _dose(young, vero, 1, date(2021, 5, 1))
    _dose(young, vero, 2, date(2021, 6, 1))
    got = ind.resident_vaccination([home.pk], ON)[home.pk]
    assert got == Value(2, 4, {"full": 2, "partial": 1, "none": 1})
    assert got.rate == 50.0


@pytest.mark.django_db
def test_admission_assessment_by_hand(cast) -> None:  # type: ignore[no-untyped-def]
    home = _home()

    def bundle(stay: Stay, completed: date | None) -> None:
        AdmissionAssessment.objects.create(
            person=stay.person, stay=stay, home=home, region_code=home.region_code,
            started_on=stay.admitted_on, started_by="t",
            status="complete" if completed else "open", completed_on=completed)

    born = date(1940, 1, 1)
    bundle(_stay(home, born, date(2026, 11, 1)), date(2026, 11, 8))  # day 7: on time ✓
    bundle(_stay(home, born, date(2026, 10, 1)), date(2026, 10, 9))  # day 8: late
    bundle(_stay(home, born, date(2026, 9, 1)), None)  # started, never completed
    _stay(home, born, date(2026, 11, 25))  # deadline 2 December, after ON: not yet due
    _stay(home, born, date(2026, 8, 1), ended=date(2026, 8, 6))  # left before the deadline
    _stay(home, born, date(2026, 7, 1), ended=date(2026, 7, 8))  # left on the deadline day
    bundle(_stay(home, born, date(2025, 11, 30)), date(2025, 12, 1))  # outside the 12 months
    bundle(_stay(home, born, date(2025, 12, 1)), date(2025, 12, 3))  # first day of them ✓
    got = ind.admission_assessment([home.pk], ON)[home.pk]
    assert got == Value(2, 5)
    assert ind.ADMISSION.met(got) is False


@pytest.mark.django_db
def test_reassessment_on_time_by_hand(cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_ROUTINE_DAYS = {}  # the defaults: GB/T 42195 180, Morse 90, Braden 30
    home = _home()
    born = date(1940, 1, 1)

    def stay(**kw) -> Stay:  # type: ignore[no-untyped-def]
        return _stay(home, born, date(2024, 1, 1), **kw)

    def trigger(s: Stay, kind: str, on: date) -> None:
        ReassessmentTrigger.objects.create(person=s.person, stay=s, home=home, kind=kind,
                                           region_code=home.region_code, occurred_on=on,
                                           recorded_by="t")

    _assessed(stay(), "gbt42195", date(2026, 9, 1))  # ✓ routine due 2027-02-28
    _assessed(stay(), "gbt42195", date(2026, 5, 1))  # routine due 2026-10-28: late
    _assessed(stay(), "braden", date(2026, 10, 31))  # ✓ due on ON itself
    _assessed(stay(), "braden", date(2026, 10, 30))  # due 29 November: late
    fell = stay()
    _assessed(fell, "morse", date(2026, 11, 1))
    trigger(fell, "fall", date(2026, 11, 20))  # Morse due 23 November: late
    fell_lately = stay()
    _assessed(fell_lately, "morse", date(2026, 11, 1))
    trigger(fell_lately, "fall", date(2026, 11, 27))  # ✓ due 30 November
    answered = stay()
    _assessed(answered, "gbt42195", date(2026, 10, 1))
    trigger(answered, "fall", date(2026, 11, 10))
    _assessed(answered, "gbt42195", date(2026, 11, 10))  # ✓ same day answers the fall
    stay()  # never assessed: the admission indicator's, not this one's
    back = stay()
    _assessed(back, "gbt42195", date(2026, 10, 1))
    StayEventRecord.objects.create(stay=back, home=home, region_code=home.region_code,
                                   event="return_from_hospital", occurred_on=date(2026, 11, 15),
                                   recorded_by="t")  # late
    changed = stay()
    _assessed(changed, "morse", date(2026, 11, 1))
    _assessed(changed, "gbt42195", date(2026, 10, 1), level=1)
    _assessed(changed, "gbt42195", date(2026, 11, 10), level=2)  # Morse due 13 Nov: late
    _assessed(stay(ended=date(2026, 11, 28)), "braden", date(2026, 10, 1))  # left: not counted
    _assessed(stay(), "gbt42195", date(2026, 12, 1))  # after ON: not yet assessed on ON
    got = ind.reassessment_on_time([home.pk], ON)[home.pk]
    assert got == Value(4, 9)


# ---- the demo homes: scoping, records, queries --------------------------------------------


CODES = ("key_populations", "resident_vaccination", "admission_assessment",
         "reassessment_on_time")


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_records_are_scoped_and_their_counted_rows_are_the_numerator(cast, code: str) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    indicator = indicators.get(code)
    assert indicator is not None
    for home, viewer in (("nurse_a", "officer_x"), ("nurse_c", "nurse_c")):
        home_id = cast.home_of(home).pk
        value = indicator.compute([home_id], today)[home_id]
        records = indicator.records(cast.actor(viewer), home_id, today)
        assert len(records.rows) == value.denominator
        assert sum(r.counted for r in records.rows) == value.numerator
        assert all(r.url.startswith("/residents/") for r in records.rows)
        assert all(len(r.cells) == len(records.columns) for r in records.rows)
    home_a = cast.home_of("nurse_a").pk
    for outsider in ("nurse_c", "officer_y", "doctor_d", "worker_u"):
        assert not indicator.records(cast.actor(outsider), home_a, today).rows


@pytest.mark.django_db
def test_demo_homes_have_something_counted_and_something_not(cast) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    homes = [cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk]
    for code in CODES:
        values = indicators.get(code).compute(homes, today)  # type: ignore[union-attr]
        for home_id in homes:
            v = values[home_id]
            assert v.numerator > 0, (code, home_id, v)
            if code != "key_populations":
                assert v.numerator < v.denominator, (code, home_id, v)
    parts = ind.key_populations(homes, today)[homes[0]].parts
    assert parts.get("red", 0) > 0 and parts.get("green", 0) > 0


@pytest.mark.django_db
def test_late_reassessments_are_the_due_lists_overdue_ones(cast) -> None:  # type: ignore[no-untyped-def]
    """The indicator's SQL and the due list (`schedule_rules.dues`) agree on home A today."""
    today = timezone.localdate()
    actor = cast.actor("nurse_a")
    home_id = cast.home_of("nurse_a").pk
    overdue = {f"/residents/{row.stay.person_id}/" for row in assessment_queries.due_list(
        actor, home_id, today=today, overdue_only=True) if row.due.reason != "first"}
    records = ind.reassessment_records(actor, home_id, today)
    assert {r.url for r in records.rows if not r.counted} == overdue
    assert overdue  # the demo leaves some overdue


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_compute_runs_a_fixed_number_of_queries(cast, code, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    indicator = indicators.get(code)
    today, home_id = timezone.localdate(), cast.home_of("nurse_a").pk
    indicator.compute(None, today)  # type: ignore[union-attr]  # warm caches (settings, scales)
    with django_assert_max_num_queries(1):
        indicator.compute(None, today)  # type: ignore[union-attr]
    with django_assert_max_num_queries(1):
        indicator.compute([home_id], today)  # type: ignore[union-attr]

