"""Cross-organisation registry of service plans, care tasks, vital signs, notes and handovers
(issue 6 items 1, 2, 7): home A's plan of the world's resident, one of its pending tasks and one
vital sign."""

from __future__ import annotations

from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.care import plan_services as services
from yiyang.care.models import (
    CarePlan,
    CarePlanRevision,
    CareTask,
    NursingNote,
    ShiftHandover,
    VitalRange,
    VitalSign,
)


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    nurse = cast.actor("nurse_a")
    plan = CarePlan.objects.filter(stay=w.stay).first() or services.propose_plan(
        actor=nurse, person_id=w.stay.person_id)
    if plan.status != CarePlan.Status.APPROVED:
        if not plan.problems:
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        problems=[{"problem": "X", "goal": "X", "interventions": [
                                            {"text": "X", "frequency": "each_shift"}]}])
        if not plan.nursing_level:
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        nursing_level="second")
        plan = services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)
    services.generate_tasks(actor=nurse, home_id=w.home_a.pk, day=timezone.localdate())
    w.extra["care_plan"] = plan
    w.extra["care_task"] = CareTask.objects.filter(plan=plan, status="pending").first()
    w.extra["vital_sign"] = services.record_vitals(actor=nurse, person_id=w.stay.person_id,
                                                   systolic=130, diastolic=80)


PERSON = {"person_id": lambda w: w.stay.person_id}
PLAN = {"pk": lambda w: w.extra["care_plan"].pk}
TASK = {"pk": lambda w: w.extra["care_task"].pk}
VITAL = {"pk": lambda w: w.extra["vital_sign"].pk}

ROUTES: dict[str, Route] = {
    "care:plans": Route("list"),
    "care:point_of_care": Route("list"),
    "care:handover": Route("list"),
    "care:generate_tasks": Route("own", "post"),
    "care:handover_confirm": Route("own", "post"),
    "care:plan_propose": obj("post", writes=True, **PERSON),
    "care:plan": obj(**PLAN),
    "care:plan_edit": obj(writes=True, **PLAN),
    "care:plan_approve": obj("post", writes=True,
                             body=lambda w: {"version": w.extra["care_plan"].version}, **PLAN),
    "care:plan_ranges": obj("post", writes=True, body=lambda w: {"systolic-high": "150"},
                            **PLAN),
    "care:task_record": obj("post", writes=True, body=lambda w: {
        "version": w.extra["care_task"].version, "done": "1"}, **TASK),
    "care:vitals_record": obj("post", writes=True,
                              body=lambda w: {"systolic": "120", "diastolic": "70"}, **PERSON),
    "care:note_write": obj("post", writes=True, body=lambda w: {"text": "X"}, **PERSON),
    "api:list_care_plans": api_route("list"),
    "api:get_care_plan": api_route("object", **PLAN),
    "api:propose_care_plan": api_route("object", "post",
                                       body=lambda w: {"person_id": w.stay.person_id}),
    "api:update_care_plan": api_route("object", "patch", body=lambda w: {
        "version": w.extra["care_plan"].version, "note": "X"}, **PLAN),
    "api:approve_care_plan": api_route("object", "post", body=lambda w: {
        "version": w.extra["care_plan"].version}, **PLAN),
    "api:list_care_tasks": api_route("list"),
    "api:get_care_task": api_route("object", **TASK),
    "api:record_care_task": api_route("object", "post", body=lambda w: {
        "version": w.extra["care_task"].version, "done": True}, **TASK),
    "api:list_vital_signs": api_route("list"),
    "api:get_vital_sign": api_route("object", **VITAL),
    "api:record_vital_sign": api_route("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "systolic": 120, "diastolic": 70}),
}

PARTNER_READS = frozenset({"care:plan", "api:get_care_plan", "api:get_care_task",
                           "api:get_vital_sign"})

ABSENT = {
    "api:list_care_plans": lambda w: {w.extra["care_plan"].pk},
    "api:list_care_tasks": lambda w: set(CareTask.objects.filter(
        plan=w.extra["care_plan"]).values_list("pk", flat=True)),
    "api:list_vital_signs": lambda w: {w.extra["vital_sign"].pk},
}


def state(w: World) -> tuple:
    plan = w.extra["care_plan"]
    return (CarePlan.objects.count(), CarePlanRevision.objects.count(),
            CareTask.objects.count(), VitalSign.objects.count(), NursingNote.objects.count(),
            VitalRange.objects.count(), ShiftHandover.objects.count(),
            CarePlan.objects.get(pk=plan.pk).version,
            CareTask.objects.get(pk=w.extra["care_task"].pk).version)
