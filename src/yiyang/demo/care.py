"""Demo data for Daily care (issue 6 items 1, 2): service plans, today's tasks and their records,
vital signs, nursing notes, handovers.

In home A (and home C) the nurse proposes plans for assessed residents from their current final
results (the rules of `care.plan_rules`), edits a few and approves most: some twice (a second
revision after a re-assessment, dated back), one with its review overdue, one edited after
approval and waiting for approval again ("revising"), one still a draft.  The tasks of the
running care day (and the next) are generated; the caregivers recorded most of those already
due: done, a few not done with reasons, the rest left open and shown late.  A week of vital signs
(a few out of range, one resident with her own blood-pressure range), nursing notes (some
flagged for handover) and the previous shift's handover.

Written through the services (checked and audited like a user's).  Deterministic (seeded) and
idempotent: does nothing when any plan exists.  Runs after `build_demo_medication`.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yiyang.assessments.models import Assessment
from yiyang.care import plan_rules as rules
from yiyang.care import plan_services as services
from yiyang.care.models import CarePlan, CarePlanRevision, CareTask
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, NursingHome
from yiyang.residents.models import OPEN_STATUSES, Stay

__all__ = ["build_demo_care"]

_HOMES = (("nurse_a", ("care_a1", "care_a2", "care_a3"), 14),
          ("nurse_c", ("care_c1", "care_c2"), 6))
_RECORDED = timedelta(hours=8)  # how far back the caregivers' records go
_REASONS = ("老人拒绝，已劝说并报告护士", "外出就医", "老人熟睡，遵医嘱不打扰",
            "家属探视时已协助完成", "请假回家")
_NOTES = (("夜间睡眠好，无特殊不适", False), ("诉右膝疼痛，已报告护士观察", True),
          ("午餐进食约一半，已加餐", False), ("情绪低落，不愿参加活动，请下一班多陪伴", True),
          ("骶尾部皮肤发红，已加强翻身，请下一班继续观察", True),
          ("晨起血压偏高，已通知护士复测", True))


def _actor(username: str) -> Actor | None:
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership) if membership is not None else None


def _assessed_stays(home_id: int, count: int) -> list[Stay]:
    assessed = set(Assessment.objects.filter(home_id=home_id, status=Assessment.Status.FINAL)
                   .values_list("person_id", flat=True))
    stays = [s for s in Stay.objects.filter(home_id=home_id, status__in=OPEN_STATUSES)
             .select_related("person").order_by("admitted_on", "id")
             if s.person_id in assessed]
    return stays[:count]


def _vitals(rng: random.Random, high_bp: bool, alert: bool) -> dict[str, object]:
    sbp = rng.randint(125, 138) if high_bp else rng.randint(108, 132)
    values: dict[str, object] = {
        "systolic": sbp, "diastolic": rng.randint(64, 84), "pulse": rng.randint(62, 92),
        "temperature": Decimal(f"36.{rng.randint(2, 9)}"), "spo2": rng.randint(95, 99)}
    if alert:
        kind = rng.choice(("bp", "temp", "spo2"))
        if kind == "bp":
            values["systolic"], values["diastolic"] = rng.randint(158, 172), rng.randint(92, 98)
        elif kind == "temp":
            values["temperature"] = Decimal(f"38.{rng.randint(0, 4)}")
        else:
            values["spo2"] = rng.randint(89, 93)
    return values


def _build_home(rng: random.Random, nurse: Actor, carers: list[Actor], count: int,
                now: datetime) -> int:
    made = 0
    home = NursingHome.objects.get(pk=nurse.org_id)
    services.ensure_shifts(home)
    # Residents whose results call for care measures (the fully able ones get none).
    needing = [s for s in _assessed_stays(home.pk, count * 2)
               if rules.propose(services.findings_for(nurse, s.person_id)).problems][:count]
    plans = [services.propose_plan(actor=nurse, person_id=s.person_id) for s in needing]
    made += len(plans)
    today = timezone.localdate()
    for n, plan in enumerate(plans):
        if n == len(plans) - 1:
            continue  # one draft waiting for the nurse's approval
        if not plan.nursing_level:
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        nursing_level="third")
        if n % 4 == 1:  # approved two months ago, revised after a re-assessment ten days ago
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        review_on=today - timedelta(days=30))
            plan = services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)
            problems = [dict(p) for p in plan.problems]
            problems.append({"code": "custom", "problem": "睡眠差，夜间易醒",
                             "goal": "夜间连续睡眠 5 小时以上", "interventions": [
                                 {"text": "睡前温水泡脚，保持病室安静", "frequency": "daily",
                                  "times": ["20:30"]}]})
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        problems=problems, review_on=today + timedelta(days=80))
            plan = services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)
            revs = CarePlanRevision.objects.filter(plan=plan)
            revs.filter(number=1).update(approved_at=now - timedelta(days=60))
            revs.filter(number=2).update(approved_at=now - timedelta(days=10))
            CarePlan.objects.filter(pk=plan.pk).update(approved_at=now - timedelta(days=10))
            continue
        if n == 2:  # review overdue
            plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                        review_on=today - timedelta(days=5))
        plan = services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)
        if n == 4:  # edited after approval: revising, the first revision still runs
            services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                 note="跌倒后复评，拟增加夜间巡视")
    shift, care_day = services.shift_now(home, now, write=True)
    # The tasks from the last eight hours on (the plans were approved in the system then),
    # so the previous shift is there even early in a care day.
    for day in (care_day - timedelta(days=1), care_day, care_day + timedelta(days=1)):
        made += services.generate_tasks(actor=nurse, home_id=home.pk, day=day,
                                        not_before=now - _RECORDED)
    # The caregivers recorded most of what is due; some tasks were not done (with reasons);
    # the rest stay open and show late.
    due = list(CareTask.objects.filter(home=home, due_at__lt=now - timedelta(minutes=45))
               .order_by("due_at", "id"))
    for task in due:
        roll = rng.random()
        if roll < 0.12:
            continue
        carer = carers[task.person_id % len(carers)]
        services.record_task(actor=carer, task_id=task.pk, version=task.version,
                             done=roll >= 0.2, reason=rng.choice(_REASONS))
        made += 1
    # A week of vital signs, twice a day; a few out of range.
    people = [p.person_id for p in plans]
    if people:
        services.set_vital_ranges(actor=nurse, person_id=people[0],
                                  ranges={"systolic": ["100", "150"]})
    for d in range(6, -1, -1):
        for hh in ((7, 15) if d < 2 else (7,)):
            at = timezone.make_aware(datetime.combine(today - timedelta(days=d), time(hh, 30)))
            if at > now:
                continue
            for i, person_id in enumerate(people):
                alert = rng.random() < 0.06
                services.record_vitals(actor=carers[i % len(carers)], person_id=person_id,
                                       measured_at=at, **_vitals(rng, i == 0, alert))
                made += 1
    # Notes of this shift and the last, and the last shift's handover.
    for i, person_id in enumerate(people[:6]):
        text, handover = _NOTES[i % len(_NOTES)]
        services.write_note(actor=carers[i % len(carers)], person_id=person_id, text=text,
                            for_handover=handover, at=now - timedelta(hours=rng.choice((1, 9))))
        made += 1
    services.hand_over(actor=carers[0], summary="各位老人情况平稳，见需交班记录",
                       at=now - timedelta(hours=8))
    return made + 1


def build_demo_care() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if CarePlan.objects.exists():
        return 0
    rng = random.Random("yiyang-demo-care")
    now = timezone.now()
    made = 0
    for nurse_name, carer_names, count in _HOMES:
        nurse = _actor(nurse_name)
        carers = [a for a in (_actor(n) for n in carer_names) if a is not None]
        if nurse is None or not carers:
            continue
        with transaction.atomic():  # one commit per home, not one per service call
            made += _build_home(rng, nurse, carers, count, now)
    return made
