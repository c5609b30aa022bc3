"""Service plans and point-of-care services: proposal from assessments, approval and revisions,
idempotent task generation, recording tasks (reason, conflicts), vital-sign alerts, notes,
handover; permissions and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.care.plan_helpers import approved_plan, assessed
from yiyang.care import plan_queries as queries
from yiyang.care import plan_services as services
from yiyang.care.models import CarePlan, CarePlanRevision, CareTask, ShiftHandover, VitalSign
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent


def test_a_plan_is_proposed_from_the_current_assessment_results(cast) -> None:
    stay = assessed(cast)
    plan = services.propose_plan(actor=cast.actor("nurse_a"), person_id=stay.person_id)
    codes = {p["code"] for p in plan.problems}
    assert {"pressure_high", "fall_high"} <= codes
    assert plan.status == "draft" and plan.revision == 0
    assert {b["instrument"] for b in plan.basis} >= {"morse", "braden"}
    assert plan.review_on == timezone.localdate() + timedelta(days=90)
    assert AuditEvent.objects.filter(action="care.plan.propose", object_id=str(plan.pk)).exists()
    with pytest.raises(ValidationFailed, match="已有服务方案"):
        services.propose_plan(actor=cast.actor("nurse_a"), person_id=stay.person_id)


def test_approval_keeps_each_revision_and_an_edit_after_approval_makes_a_new_one(cast) -> None:
    nurse = cast.actor("nurse_a")
    plan = approved_plan(cast)
    assert (plan.status, plan.revision) == ("approved", 1)
    first = [p["code"] for p in plan.problems]
    problems = [*plan.problems, {"problem": "睡眠差", "goal": "睡眠改善", "interventions": [
        {"text": "睡前泡脚", "frequency": "daily", "times": ["20:30"]}]}]
    plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                problems=problems)
    assert plan.status == "revising" and plan.revision == 1
    plan = services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)
    revs = list(CarePlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revs] == [1, 2]
    assert [p["code"] for p in revs[0].problems] == first
    assert revs[1].problems[-1]["problem"] == "睡眠差"
    with pytest.raises(ValidationFailed, match="已审核生效"):
        services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)


def test_a_stale_version_is_a_conflict(cast) -> None:
    plan = approved_plan(cast)
    nurse = cast.actor("nurse_a")
    services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version, note="甲")
    with pytest.raises(Conflict):
        services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version, note="乙")
    assert CarePlan.objects.get(pk=plan.pk).note == "甲"


def test_caregivers_record_but_do_not_plan(cast) -> None:
    plan = approved_plan(cast)
    with pytest.raises(Forbidden):
        services.update_plan(actor=cast.actor("care_a1"), plan_id=plan.pk,
                             version=plan.version, note="X")
    with pytest.raises(NotFound):
        services.update_plan(actor=cast.actor("nurse_c"), plan_id=plan.pk,
                             version=plan.version, note="X")


def test_tasks_come_from_the_last_approved_revision_once(cast) -> None:
    plan = approved_plan(cast)
    nurse = cast.actor("nurse_a")
    day = timezone.localdate() + timedelta(days=3)
    services.generate_tasks(actor=nurse, home_id=plan.home_id, day=day)
    mine = CareTask.objects.filter(plan=plan, day=day)
    turning = mine.filter(intervention_key="turning")
    assert turning.count() == 12  # every 2 h over the care day
    assert mine.filter(intervention_key="fall_precautions").count() == 3  # each shift
    count = mine.count()
    assert services.generate_tasks(actor=nurse, home_id=plan.home_id, day=day) == 0
    assert mine.count() == count
    # A revision waiting for approval does not change what is scheduled.
    services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version, problems=[
        {"problem": "X", "goal": "Y", "interventions": [{"text": "Z", "frequency": "q4h"}]}])
    services.generate_tasks(actor=nurse, home_id=plan.home_id, day=day + timedelta(days=1))
    assert set(CareTask.objects.filter(plan=plan, day=day + timedelta(days=1))
               .values_list("revision", flat=True)) == {1}
    with pytest.raises(NotFound):
        services.generate_tasks(actor=cast.actor("nurse_c"), home_id=plan.home_id, day=day)


def _pending(cast) -> CareTask:  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    services.generate_tasks(actor=cast.actor("nurse_a"), home_id=plan.home_id,
                            day=timezone.localdate() + timedelta(days=2))
    return CareTask.objects.filter(plan=plan, status="pending").first()


def test_not_done_without_a_reason_is_refused_in_chinese(cast) -> None:
    task = _pending(cast)
    with pytest.raises(ValidationFailed) as exc:
        services.record_task(actor=cast.actor("care_a1"), task_id=task.pk,
                             version=task.version, done=False, reason="  ")
    assert exc.value.message == "未完成的任务必须填写原因" and exc.value.field == "reason"
    assert CareTask.objects.get(pk=task.pk).status == "pending"
    done = services.record_task(actor=cast.actor("care_a1"), task_id=task.pk,
                                version=task.version, done=False, reason="老人拒绝")
    assert (done.status, done.reason, done.recorded_by_name) == ("not_done", "老人拒绝",
                                                                 done.recorded_by_name)
    assert done.recorded_by_id == cast.user("care_a1").pk


def test_two_caregivers_recording_one_task_make_one_record_and_a_clear_conflict(cast) -> None:
    task = _pending(cast)
    services.record_task(actor=cast.actor("care_a1"), task_id=task.pk, version=task.version,
                         done=True)
    with pytest.raises(Conflict) as exc:
        services.record_task(actor=cast.actor("care_a2"), task_id=task.pk,
                             version=task.version, done=True)
    assert "已由" in exc.value.message and "请勿重复记录" in exc.value.message
    assert AuditEvent.objects.filter(action="care.task.record", object_id=str(task.pk)).count() == 1
    assert CareTask.objects.get(pk=task.pk).recorded_by_id == cast.user("care_a1").pk


def test_a_vital_sign_out_of_the_residents_range_raises_an_alert(cast) -> None:
    plan = approved_plan(cast)
    nurse, carer = cast.actor("nurse_a"), cast.actor("care_a1")
    high = services.record_vitals(actor=carer, person_id=plan.person_id, systolic=145,
                                  diastolic=85, temperature="38.2")
    assert high.has_alert and [a["field"] for a in high.alerts] == ["systolic", "temperature"]
    services.set_vital_ranges(actor=nurse, person_id=plan.person_id,
                              ranges={"systolic": ["100", "150"]})
    own = services.record_vitals(actor=carer, person_id=plan.person_id, systolic=145,
                                 diastolic=85)
    assert not own.has_alert and own.alerts == []
    assert high in queries.recent_alerts(nurse, plan.home_id)
    with pytest.raises(Forbidden):
        services.set_vital_ranges(actor=carer, person_id=plan.person_id, ranges={})
    with pytest.raises(NotFound):
        services.record_vitals(actor=cast.actor("nurse_c"), person_id=plan.person_id,
                               pulse=70)
    with pytest.raises(ValidationFailed, match="不在可能的范围"):
        services.record_vitals(actor=carer, person_id=plan.person_id, temperature="3.7")
    assert VitalSign.objects.filter(person_id=plan.person_id).count() == 2


def test_handover_lists_alerts_tasks_not_done_and_flagged_notes(cast) -> None:
    plan = approved_plan(cast)
    carer = cast.actor("care_a1")
    home = plan.home
    shift, day = services.shift_now(home, write=True)
    sign = services.record_vitals(actor=carer, person_id=plan.person_id, spo2=90)
    note = services.write_note(actor=carer, person_id=plan.person_id, text="骶尾部发红",
                               for_handover=True)
    services.write_note(actor=carer, person_id=plan.person_id, text="一切正常")
    sheet = queries.handover_sheet(carer, home.pk, shift, day)
    assert sign in sheet.alerts and [n.pk for n in sheet.notes if n.person_id ==
                                     plan.person_id] == [note.pk]
    row = services.hand_over(actor=carer, summary="平稳")
    assert ShiftHandover.objects.filter(pk=row.pk, day=day, shift=shift).exists()
    with pytest.raises(Conflict, match="已经交班"):
        services.hand_over(actor=cast.actor("care_a2"))


def test_the_bedside_list_runs_a_fixed_number_of_queries(cast) -> None:
    actor = cast.actor("care_a1")
    home = cast.home_of("care_a1")
    shift, day = services.shift_now(home)
    with CaptureQueriesContext(connection) as all_rows:
        rows = queries.bedside(actor, home.pk, shift, day)
        [len(r.tasks) + len(r.vitals) for r in rows]
    building = rows[0].stay.bed.room.building_id
    with CaptureQueriesContext(connection) as some:
        few = queries.bedside(actor, home.pk, shift, day, building_id=building)
    assert len(rows) > len(few) > 0
    assert len(all_rows) == len(some) <= 4


def test_the_periodic_task_generates_every_homes_tasks_once(cast) -> None:
    from yiyang.care.plan_tasks import generate_for_all_homes

    plan = approved_plan(cast)
    day = timezone.localdate() + timedelta(days=5)
    made = generate_for_all_homes(day)
    assert made > 0 and CareTask.objects.filter(plan=plan, day=day).exists()
    assert CareTask.objects.filter(plan=plan, day=day + timedelta(days=1)).exists()
    assert generate_for_all_homes(day) == 0
    event = AuditEvent.objects.filter(action="care.tasks.generate").order_by("-id").first()
    assert event.username == "system"
