"""The demo's plans, tasks and vital signs: homes A and C, written through the services."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from yiyang.care import plan_rules
from yiyang.care.models import (
    CarePlan,
    CarePlanRevision,
    CareTask,
    NursingNote,
    ShiftHandover,
    VitalSign,
)
from yiyang.core.models import AuditEvent
from yiyang.demo.care import build_demo_care


def test_demo_plans_have_the_shapes_the_pages_show(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    per_home = Counter(CarePlan.objects.values_list("home_id", flat=True))
    assert per_home[home_a.pk] >= 10 and per_home[home_c.pk] >= 4
    a = CarePlan.objects.filter(home=home_a)
    statuses = Counter(a.values_list("status", flat=True))
    assert statuses["approved"] and statuses["revising"] and statuses["draft"]
    assert CarePlanRevision.objects.filter(plan__home=home_a, number=2).exists()
    today = timezone.localdate()
    assert any(plan_rules.review_state(p.review_on, today) == "overdue"
               for p in a.filter(status="approved"))
    assert all(p.problems for p in a)
    assert AuditEvent.objects.filter(action="care.plan.approve").count() == \
        CarePlanRevision.objects.count()


def test_demo_tasks_vitals_notes_and_handover(cast) -> None:
    home_a = cast.home_of("nurse_a")
    tasks = CareTask.objects.filter(home=home_a)
    statuses = Counter(tasks.values_list("status", flat=True))
    assert statuses["done"] > statuses["not_done"] > 0 and statuses["pending"]
    assert not tasks.filter(status="not_done", reason="").exists()
    now = timezone.now()
    # Late ones: pending well past due (the demo leaves some due tasks open), unless the demo
    # was built in the first minutes of a care day.
    assert tasks.filter(status="pending", due_at__lt=now - plan_rules.GRACE).exists() or \
        not tasks.filter(due_at__lt=now - plan_rules.GRACE).exists()
    vitals = VitalSign.objects.filter(home=home_a)
    assert vitals.count() > 20 and vitals.filter(has_alert=True).exists()
    assert NursingNote.objects.filter(home=home_a, for_handover=True).exists()
    assert ShiftHandover.objects.filter(home=home_a).exists()
    assert build_demo_care() == 0
