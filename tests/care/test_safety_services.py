"""Services of lesions, incidents and education: scope, permissions, validation, audit, the
re-assessment trigger and GB/T 42195 A.2.14, the indicator over the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiyang.assessments import annex
from yiyang.assessments import queries as assessment_queries
from yiyang.assessments import services as assessment_services
from yiyang.assessments.models import ReassessmentTrigger
from yiyang.care import safety_queries as queries
from yiyang.care import safety_rules as rules
from yiyang.care import safety_services as services
from yiyang.care.models import EducationSession, Incident
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Stay


def _stay(cast, username: str = "nurse_a", nth: int = 0) -> Stay:  # type: ignore[no-untyped-def]
    return (Stay.objects.filter(home=cast.home_of(username), status__in=OPEN_STATUSES)
            .select_related("person", "home").order_by("pk")[nth])


def _fall(cast, stay: Stay, username: str = "care_a1", **changes):  # type: ignore[no-untyped-def]
    data = {"kind": "fall", "occurred_at": timezone.now() - timedelta(hours=1),
            "place": "卫生间", "description": "如厕起身时滑倒，臀部着地",
            "immediate_action": "原地评估意识与肢体活动，扶至床上，通知护士和家属",
            "severity": "minor", "injuries": "右髋部皮肤淤青 3×2 cm"}
    data.update(changes)
    return services.record_incident(actor=cast.actor(username), person_id=stay.person_id, **data)


# ---- incidents: the re-assessment and A.2.14 -------------------------------------------------


def test_a_fall_recorded_today_makes_the_gbt42195_reassessment_due(cast) -> None:
    stay = _stay(cast, nth=3)
    today = timezone.localdate()

    def immediate() -> list:  # type: ignore[type-arg]
        rows = assessment_queries.due_list(cast.actor("nurse_a"), stay.home_id, today=today)
        return [r.due for r in rows if r.stay.pk == stay.pk and r.due.instrument == "gbt42195"
                and r.due.reason == "immediate" and r.due.trigger
                and r.due.trigger.on == today]

    assert immediate() == []
    incident = _fall(cast, stay)  # by a caregiver, who may not assess
    assert incident.trigger is not None and incident.trigger.kind == "fall"
    assert incident.trigger.occurred_on == today
    due = immediate()
    assert len(due) == 1 and due[0].due_on == today + timedelta(days=3)


def test_a_fall_counts_in_a214_of_a_new_gbt42195_assessment(cast) -> None:
    stay = _stay(cast, nth=4)
    nurse = cast.actor("nurse_a")
    _fall(cast, stay)
    _fall(cast, stay, occurred_at=timezone.now() - timedelta(days=40))  # outside the 30 days
    services.record_incident(actor=nurse, person_id=stay.person_id, kind="choking",
                             occurred_at=timezone.now() - timedelta(days=2), place="餐厅",
                             description="进食馒头时呛咳、面色发绀",
                             immediate_action="海姆立克法排出异物，吸氧，通知医生")
    record = assessment_services.start(actor=nurse, person_id=stay.person_id,
                                       instrument="gbt42195", reason="immediate")
    answers = record.context["annex"]
    assert answers["risk_跌倒"] == "1" and answers["risk_噎食"] == "1"
    assert "risk_走失" not in answers  # not recorded here: the assessor asks the informant
    # C.4 clause 3: two care-risk events in the last 30 days
    assert annex.clause_inputs(answers)["risk_events_30d"] == 2


def test_other_incidents_do_not_trigger_but_self_harm_does(cast) -> None:
    stay = _stay(cast, nth=5)
    before = ReassessmentTrigger.objects.filter(person_id=stay.person_id).count()
    other = _fall(cast, stay, kind="other", kind_detail="烫伤", severity="none", injuries="")
    assert other.trigger is None
    harm = _fall(cast, stay, kind="self_harm", severity="none", injuries="")
    assert harm.trigger.kind == "condition_change"
    assert ReassessmentTrigger.objects.filter(person_id=stay.person_id).count() == before + 1


def test_incident_checks_and_audit(cast) -> None:
    stay = _stay(cast)
    with pytest.raises(ValidationFailed, match="医院"):
        _fall(cast, stay, hospital_transfer=True)
    with pytest.raises(ValidationFailed, match="损伤情况"):
        _fall(cast, stay, injuries="")
    with pytest.raises(ValidationFailed, match="晚于现在"):
        _fall(cast, stay, occurred_at=timezone.now() + timedelta(hours=2))
    with pytest.raises(ValidationFailed, match="其他"):
        _fall(cast, stay, kind="other")
    made = _fall(cast, stay, hospital_transfer=True, hospital="杞县人民医院")
    event = AuditEvent.objects.get(action="care.incident.record", object_id=str(made.pk))
    assert event.username == "care_a1" and event.changes["place"] == [None, "卫生间"]
    assert made.reporter_name and made.home_id == stay.home_id


def test_incident_follow_up_is_versioned(cast) -> None:
    made = _fall(cast, _stay(cast))
    nurse = cast.actor("nurse_a")
    done = services.update_incident(actor=nurse, incident_id=made.pk, version=made.version,
                                    follow_up="髋部 X 线未见骨折；加床栏", closed=True)
    assert done.closed and done.version == made.version + 1
    with pytest.raises(Conflict):
        services.update_incident(actor=nurse, incident_id=made.pk, version=made.version,
                                 follow_up="X")
    assert Incident.objects.get(pk=made.pk).follow_up.startswith("髋部")


def test_other_homes_and_regulators_cannot_record(cast) -> None:
    stay = _stay(cast)
    for username in ("nurse_c", "doctor_d", "worker_u"):
        with pytest.raises(NotFound):
            _fall(cast, stay, username=username)
    for username in ("officer_x", "doctor_b"):  # a regulator, a partner doctor: read only
        with pytest.raises((Forbidden, NotFound)):
            _fall(cast, stay, username=username)
    assert not Incident.objects.filter(person_id=stay.person_id,
                                       reporter_name__in=["赵卫东", "刘志强"]).exists()


# ---- lesions --------------------------------------------------------------------------------


def _lesion(cast, stay: Stay, username: str = "nurse_a", **changes):  # type: ignore[no-untyped-def]
    data = {"site": "sacrum", "stage": "2", "found_at": timezone.now() - timedelta(hours=2),
            "length_cm": "2.5", "width_cm": "1.5", "note": "基底粉红、湿润"}
    data.update(changes)
    return services.record_lesion(actor=cast.actor(username), person_id=stay.person_id, **data)


def test_lesion_healing_record_moves_the_stage(cast) -> None:
    stay = _stay(cast)
    lesion = _lesion(cast, stay)
    nurse = cast.actor("nurse_a")
    services.add_observation(actor=nurse, lesion_id=lesion.pk, version=lesion.version,
                             stage="3", observed_at=timezone.now() - timedelta(hours=1),
                             length_cm="3.0", treatment="清创，泡沫敷料")
    lesion.refresh_from_db()
    assert (lesion.stage, lesion.initial_stage, str(lesion.length_cm)) == ("3", "2", "3.0")
    services.add_observation(actor=nurse, lesion_id=lesion.pk, version=lesion.version,
                             stage="healed")
    lesion.refresh_from_db()
    assert lesion.stage == "healed" and lesion.healed_on == timezone.localdate()
    with pytest.raises(Conflict):
        services.add_observation(actor=nurse, lesion_id=lesion.pk, version=1, stage="2")
    assert AuditEvent.objects.filter(action="care.lesion.observe",
                                     object_id=str(lesion.pk)).count() == 2


def test_lesion_permissions_and_checks(cast) -> None:
    stay = _stay(cast)
    with pytest.raises(Forbidden):
        _lesion(cast, stay, username="care_a1")  # caregivers report, nurses stage
    with pytest.raises(NotFound):
        _lesion(cast, stay, username="nurse_c")
    with pytest.raises(ValidationFailed, match="分期"):
        _lesion(cast, stay, stage="5")
    with pytest.raises(ValidationFailed, match="部位说明"):
        _lesion(cast, stay, site="other")
    mucosal = _lesion(cast, stay, site="mucosa", stage="mucosal", device_related=True)
    with pytest.raises(ValidationFailed, match="黏膜"):
        services.add_observation(actor=cast.actor("nurse_a"), lesion_id=mucosal.pk,
                                 version=mucosal.version, stage="3")


def test_indicator_over_the_database_for_a_new_resident(cast) -> None:
    """A resident admitted today: a lesion found now is within 24 h (excluded); the home's
    month counts the resident in the denominator."""
    admin = cast.actor("admin_a")
    home = cast.home_of("nurse_a")
    bed = Bed.objects.filter(home=home).exclude(stays__status__in=OPEN_STATUSES).first()
    stay = resident_services.admit_resident(actor=admin, home_id=home.pk, bed_id=bed.pk,
                                            name="测试新入", id_number="410221194403150036")
    today = timezone.localdate()
    period = rules.Period.containing(rules.PeriodKind.MONTH, today)
    before = queries.pressure_series(admin, home.pk, rules.PeriodKind.MONTH, today.year)[-1]
    _lesion(cast, stay, found_at=timezone.now())
    after = queries.pressure_series(admin, home.pk, rules.PeriodKind.MONTH, today.year)[-1]
    assert after.period == period
    assert stay.person_id in after.denominator_person_ids
    assert stay.person_id not in after.case_person_ids
    assert after.cases == before.cases and after.denominator == before.denominator


# ---- education ------------------------------------------------------------------------------


def test_education_session_and_counts(cast) -> None:
    nurse = cast.actor("nurse_a")
    stays = [_stay(cast, nth=i) for i in range(3)]
    day = timezone.localdate() - timedelta(days=1)
    period = rules.Period.containing(rules.PeriodKind.YEAR, day)
    before = queries.education_counts(nurse, period).get(nurse.org_id, {}).get("mental", 0)
    session = services.record_education(
        actor=nurse, kind="mental", topic="老年期抑郁的识别与应对", held_on=day,
        speaker="心理咨询师 周敏", audience=["residents", "families"],
        attendee_ids=[s.person_id for s in stays], other_count=6)
    assert set(session.attendees.values_list("pk", flat=True)) == {s.person_id for s in stays}
    counts = queries.education_counts(nurse, period)
    assert counts[nurse.org_id]["mental"] == before + 1
    assert nurse.org_id in counts and cast.home_of("nurse_c").pk not in queries.education_counts(
        nurse, period)
    with pytest.raises(NotFound):  # home C may not name home A's residents
        services.record_education(actor=cast.actor("nurse_c"), kind="health", topic="X",
                                  held_on=day, speaker="X", audience=["residents"],
                                  attendee_ids=[stays[0].person_id])
    with pytest.raises(Forbidden):
        services.record_education(actor=cast.actor("care_a1"), kind="health", topic="X",
                                  held_on=day, speaker="X", audience=["residents"],
                                  other_count=3)
    with pytest.raises(ValidationFailed, match="参加"):
        services.record_education(actor=nurse, kind="health", topic="X", held_on=day,
                                  speaker="X", audience=["residents"])
    assert EducationSession.objects.filter(pk=session.pk).exists()


def test_lists_run_a_fixed_number_of_queries(cast, django_assert_max_num_queries) -> None:
    admin = cast.actor("admin_a")
    for qs in (queries.lesions(admin), queries.incidents(admin),
               queries.education_sessions(admin)):
        with django_assert_max_num_queries(1):
            rows = list(qs[:50])
        with django_assert_max_num_queries(0):
            [(r.person.name if hasattr(r, "person") else r.home.name) for r in rows]

