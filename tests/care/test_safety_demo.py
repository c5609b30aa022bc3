"""The demo's shape: a year of lesions, incidents and education in homes A and C."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yiyang.assessments import queries as assessment_queries
from yiyang.care import safety_queries as queries
from yiyang.care import safety_rules as rules
from yiyang.care.models import EducationSession, Incident, PressureInjury
from yiyang.demo.care_safety import build_demo_care_safety


def test_demo_is_idempotent(cast) -> None:
    assert build_demo_care_safety() == 0


def test_pressure_injuries_one_month_above_five_percent(cast) -> None:
    admin = cast.actor("admin_a")
    home = cast.home_of("nurse_a")
    today = timezone.localdate()
    series = [*queries.pressure_series(admin, home.pk, rules.PeriodKind.MONTH, today.year - 1),
              *queries.pressure_series(admin, home.pk, rules.PeriodKind.MONTH, today.year)][-12:]
    above = [r for r in series if r.rate is not None and r.rate > 5]
    assert len(above) == 1, [(r.period.label, r.rate) for r in series]
    assert above[0].lesions > above[0].cases  # one resident with two lesions counted once
    assert sum(r.cases for r in series) >= len(above[0].case_person_ids) + 2
    lesions = PressureInjury.objects.filter(home=home)
    assert lesions.filter(present_on_admission=True).exists()
    assert lesions.filter(stage="healed").exists() and lesions.exclude(stage="healed").exists()
    assert lesions.filter(device_related=True).exists()
    # found within 24 h of admission, not flagged, yet not a case
    early = [x for x in lesions.select_related("stay") if not x.present_on_admission
             and timezone.localtime(x.found_at).date() <= x.stay.admitted_on + timedelta(days=1)]
    assert early
    assert not {x.pk for x in early} & {pk for r in series for pk in r.case_lesion_ids}


def test_incidents_and_a_recent_fall_makes_reassessment_due(cast) -> None:
    home = cast.home_of("nurse_a")
    today = timezone.localdate()
    kinds = set(Incident.objects.filter(home=home).values_list("kind", flat=True))
    assert {"fall", "choking", "wandering", "other"} <= kinds
    assert Incident.objects.filter(home=home, hospital_transfer=True).exists()
    recent = Incident.objects.get(home=home, kind="fall",
                                  occurred_at__date__gte=today - timedelta(days=3))
    rows = assessment_queries.due_list(cast.actor("nurse_a"), home.pk, today=today)
    assert any(r.stay.person_id == recent.person_id and r.due.reason == "immediate"
               and r.due.instrument == "gbt42195" for r in rows)
    assert Incident.objects.filter(home=cast.home_of("nurse_c")).exists()


def test_education_monthly_with_a_gap_and_mental_lectures(cast) -> None:
    today = timezone.localdate()
    year = rules.Period(rules.PeriodKind.YEAR, today.year)
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    counts = queries.education_counts(cast.actor("officer_city"), year)
    assert counts[home_a.pk]["mental"] == 2 and counts[home_c.pk]["mental"] == 1
    for username in ("nurse_a", "nurse_c"):
        calendar = queries.education_calendar(cast.actor(username), None, today.year)
        assert len(calendar["missing"]) <= 1
    months = set()
    for day in EducationSession.objects.filter(home=home_a).values_list("held_on", flat=True):
        months.add((day.year, day.month))
    assert 10 <= len(months) <= 11  # a year of months but one missing
