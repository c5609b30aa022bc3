"""The demo's assessments (`yiyang.demo.assessments`): written through the services, with a
history that drives every part of the due list in home A, a correction, and records in home C."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from yiyang.assessments import queries, services
from yiyang.assessments.models import AdmissionAssessment, Assessment
from yiyang.assessments.schedule_rules import Reason, TriggerKind
from yiyang.core.models import AuditEvent
from yiyang.demo.assessments import build_demo_assessments
from yiyang.residents.models import OPEN_STATUSES, HealthProfile, Stay


def _build() -> None:
    build_demo_assessments()  # idempotent: nothing when the world already has them
    assert build_demo_assessments() == 0


def test_built_once_through_the_services_and_dated_back(cast) -> None:
    _build()
    final = Assessment.objects.filter(status="final")
    assert final.count() >= 500
    assert AuditEvent.objects.filter(action="assessments.finalise").count() == final.count()
    # Every GB/T 42195 record was signed by two different assessors of the home.
    ability = final.filter(instrument="gbt42195")
    assert not ability.filter(second_assessor__isnull=True).exists()
    assert all(a != s for a, s in ability.values_list("assessor_id", "second_assessor_id"))
    # Admission bundles are complete, each with its three finished components.
    bundles = AdmissionAssessment.objects.all()
    assert bundles.count() >= 100 and not bundles.exclude(status="complete").exists()
    for bundle in bundles[:20]:
        parts = services.current_components(bundle)
        assert sorted(parts) == ["braden", "gbt42195", "morse"]
        assert all(p.is_final and p.assessed_on == bundle.started_on for p in parts.values())
        assert bundle.started_on <= bundle.stay.admitted_on + timedelta(days=3)
    # The audit trail and the report's time are on the assessment day, not today.
    old = final.filter(assessed_on__lt=timezone.localdate() - timedelta(days=60)).first()
    assert timezone.localtime(old.finalised_at).date() == old.assessed_on
    assert old.number.startswith(f"PG{old.assessed_on.year}")
    event = AuditEvent.objects.get(action="assessments.finalise", object_id=str(old.pk))
    assert timezone.localtime(event.at).date() == old.assessed_on
    assert event.object_repr.startswith(old.number)
    # A few of the other scales, and today's unfinished drafts.
    assert set(final.values_list("instrument", flat=True)) >= {
        "barthel",
        "mmse",
        "minicog",
        "ad8",
        "gds15",
        "mnasf",
        "selfcare",
        "tcm",
    }
    drafts = Assessment.objects.filter(status="draft")
    assert 1 <= drafts.count() <= 2
    assert all(d.assessed_on == timezone.localdate() and d.answers for d in drafts)


def test_levels_vary_and_the_profile_follows_the_latest_record(cast) -> None:
    _build()
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    rated = Assessment.objects.filter(instrument="gbt42195", status="final")
    assert len(set(rated.filter(home=home_a).values_list("level", flat=True))) >= 3
    assert rated.filter(home=home_c).exists()
    assert (
        Assessment.objects.filter(home=home_c, status="final")
        .exclude(instrument="gbt42195")
        .exists()
    )
    latest: dict[int, int] = {}
    records = defaultdict(list)
    for record in rated.select_related("corrected_by").order_by("assessed_on", "id"):
        if queries.is_current(record):
            latest[record.person_id] = record.level
            records[record.person_id].append(record.level)
    profiles = dict(
        HealthProfile.objects.filter(person_id__in=latest).values_list(
            "person_id", "disability_level"
        )
    )
    assert {p: int(v) for p, v in profiles.items()} == latest
    # Some residents' level drifted over time: the history chart has something to show.
    assert any(len(set(levels)) > 1 for levels in records.values())


def test_the_due_list_of_home_a_shows_every_reason(cast) -> None:
    _build()
    today = timezone.localdate()
    rows = queries.due_list(cast.actor("nurse_a"), cast.home_of("nurse_a").pk, today=today)
    dues = [r.due for r in rows]
    assert any(d.reason == Reason.ROUTINE and d.overdue for d in dues)
    assert any(d.reason == Reason.FIRST for d in dues)
    falls = [
        d
        for d in dues
        if d.reason == Reason.IMMEDIATE
        and d.trigger is not None
        and d.trigger.kind == TriggerKind.FALL
    ]
    assert {d.instrument for d in falls} == {"gbt42195", "morse"}
    assert all(today - timedelta(days=7) <= d.trigger.on < today for d in falls)
    # Residents admitted long ago with nothing yet (tests/assessments start from them).
    untouched = Stay.objects.filter(
        home=cast.home_of("nurse_a"),
        status__in=OPEN_STATUSES,
        admitted_on__lt=today - timedelta(days=400),
        person__assessments__isnull=True,
    )
    assert untouched.count() >= 3
    # Not everyone is late: most residents were assessed on time.
    late = {r.stay.pk for r in rows if r.due.overdue}
    assert len(late) < len({r.stay.pk for r in rows}) and len(late) < 30


def test_a_corrected_morse_and_an_answered_choking(cast) -> None:
    _build()
    fix = Assessment.objects.select_related("corrects").get(corrects__isnull=False)
    assert fix.is_final and fix.instrument == "morse" and fix.home == cast.home_of("nurse_a")
    assert fix.reason_note == f"更正 {fix.corrects.number}：步态评估有误，重新评定"
    assert fix.answers["5"] != fix.corrects.answers["5"]
    assert fix.corrects.is_final
    choking = Assessment.objects.get(trigger__kind="choking")
    assert choking.reason == "immediate" and choking.instrument == "gbt42195"
    assert choking.context["annex"]["risk_噎食"] == "1"
    assert choking.assessed_on == choking.trigger.occurred_on + timedelta(days=1)
