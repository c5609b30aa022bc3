"""Reads of plans, tasks, vital signs, notes and handovers, always from `visible_to(actor)`; pages
run a fixed number of queries whatever the number of residents or tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Building, NursingHome
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import plan_rules as rules
from .models import (
    CarePlan,
    CarePlanRevision,
    CareTask,
    NursingNote,
    Shift,
    ShiftHandover,
    VitalRange,
    VitalSign,
)


def plans(actor: Actor, *, person_id: int | None = None, status: str = "",
          review_due: bool = False, today: date | None = None) -> QuerySet[CarePlan]:
    qs = CarePlan.objects.visible_to(actor).select_related("person", "home",
                                                           "stay__bed__room__building")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if status:
        qs = qs.filter(status=status)
    if review_due:
        soon = (today or timezone.localdate()) + timedelta(days=rules.REVIEW_SOON_DAYS)
        qs = qs.filter(Q(review_on__isnull=True) | Q(review_on__lte=soon))
    return qs


def plan(actor: Actor, pk: int, action: str = Action.VIEW) -> CarePlan:
    return get_visible_or_404(plans(actor), actor, action, pk=pk)


def revisions(actor: Actor, plan_id: int) -> QuerySet[CarePlanRevision]:
    return CarePlanRevision.objects.visible_to(actor).filter(plan_id=plan_id).order_by("-number")


def residents_without_plan(actor: Actor, home_id: int) -> QuerySet[Stay]:
    return (Stay.objects.visible_to(actor).filter(home_id=home_id, status__in=OPEN_STATUSES,
                                                  care_plan__isnull=True)
            .select_related("person", "bed__room__building").order_by("bed__room__building",
                                                                      "bed__room", "bed"))


def tasks(actor: Actor, *, person_id: int | None = None, day: date | None = None,
          shift: str = "", status: str = "", late: bool = False, plan_id: int | None = None,
          now: datetime | None = None) -> QuerySet[CareTask]:
    qs = CareTask.objects.visible_to(actor).select_related("person", "shift")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if day:
        qs = qs.filter(day=day)
    if shift:
        qs = qs.filter(shift__code=shift)
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(status=CareTask.Status.PENDING,
                       due_at__lt=(now or timezone.now()) - rules.GRACE)
    return qs


def task(actor: Actor, pk: int, action: str = Action.VIEW) -> CareTask:
    return get_visible_or_404(tasks(actor), actor, action, pk=pk)


def vitals(actor: Actor, *, person_id: int | None = None, alerts_only: bool = False,
           since: datetime | None = None) -> QuerySet[VitalSign]:
    qs = VitalSign.objects.visible_to(actor).select_related("person")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if alerts_only:
        qs = qs.filter(has_alert=True)
    if since:
        qs = qs.filter(measured_at__gte=since)
    return qs


def vital(actor: Actor, pk: int) -> VitalSign:
    return get_visible_or_404(vitals(actor), actor, pk=pk)


def vital_range(actor: Actor, person_id: int) -> VitalRange | None:
    return VitalRange.objects.visible_to(actor).filter(person_id=person_id).first()


def shift_window(shift: Shift, day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, shift.start),
                                timezone.get_current_timezone())
    return start, start + timedelta(hours=shift.hours)


@dataclass
class Bedside:
    """One resident on the point-of-care page: this shift's tasks, last vitals, notes."""

    stay: Stay
    tasks: list[CareTask] = field(default_factory=list)
    vitals: list[VitalSign] = field(default_factory=list)
    notes: list[NursingNote] = field(default_factory=list)

    @property
    def person(self) -> Any:
        return self.stay.person

    @property
    def open_count(self) -> int:
        return sum(t.status == CareTask.Status.PENDING for t in self.tasks)

    @property
    def late_count(self) -> int:
        return sum(getattr(t, "state", "") == rules.TaskState.LATE for t in self.tasks)

    @property
    def alert(self) -> VitalSign | None:
        return next((v for v in self.vitals if v.has_alert), None)


def annotate_states(rows: list[CareTask], now: datetime) -> list[CareTask]:
    for t in rows:
        t.state = rules.task_state(t.status, t.due_at, now)
    return rows


def bedside(actor: Actor, home_id: int, shift: Shift, day: date, *, building_id: int | None = None,
            now: datetime | None = None) -> list[Bedside]:
    """The shift's residents with their tasks, vitals and notes of the shift: four queries."""
    now = now or timezone.now()
    start, end = shift_window(shift, day)
    stays = (Stay.objects.visible_to(actor).filter(home_id=home_id, status__in=OPEN_STATUSES)
             .select_related("person", "bed__room__building")
             .order_by("bed__room__building__name", "bed__room__number", "bed__label", "id"))
    if building_id:
        stays = stays.filter(bed__room__building_id=building_id)
    rows = {s.person_id: Bedside(s) for s in stays}
    for t in annotate_states(list(tasks(actor, day=day, shift=shift.code)
                                  .filter(home_id=home_id, person_id__in=rows)), now):
        rows[t.person_id].tasks.append(t)
    for v in (VitalSign.objects.visible_to(actor)
              .filter(home_id=home_id, person_id__in=rows, measured_at__gte=start - timedelta(
                  hours=16), measured_at__lt=end).order_by("-measured_at")):
        rows[v.person_id].vitals.append(v)
    for n in (NursingNote.objects.visible_to(actor)
              .filter(home_id=home_id, person_id__in=rows, day=day, shift__code=shift.code)
              .order_by("-written_at")):
        rows[n.person_id].notes.append(n)
    # Residents with tasks this shift first, then the others (for vitals and notes).
    return sorted(rows.values(), key=lambda b: (not b.tasks, b.stay.bed_id is None))


@dataclass
class HandoverSheet:
    shift: Shift
    day: date
    alerts: list[VitalSign]
    not_done: list[CareTask]
    pending: list[CareTask]
    notes: list[NursingNote]
    done_count: int
    total_count: int
    handover: ShiftHandover | None


def handover_sheet(actor: Actor, home_id: int, shift: Shift, day: date,
                   now: datetime | None = None) -> HandoverSheet:
    """What the next shift must know: alerts of the shift, tasks not done or still open, notes
    flagged for handover.  A fixed number of queries."""
    now = now or timezone.now()
    start, end = shift_window(shift, day)
    shift_tasks = list(tasks(actor, day=day, shift=shift.code).filter(home_id=home_id))
    annotate_states(shift_tasks, now)
    return HandoverSheet(
        shift=shift, day=day,
        alerts=list(vitals(actor, alerts_only=True).filter(
            home_id=home_id, measured_at__gte=start, measured_at__lt=end)),
        not_done=[t for t in shift_tasks if t.status == CareTask.Status.NOT_DONE],
        pending=[t for t in shift_tasks if t.status == CareTask.Status.PENDING
                 and t.due_at <= now],
        notes=list(NursingNote.objects.visible_to(actor).select_related("person")
                   .filter(home_id=home_id, day=day, shift__code=shift.code,
                           for_handover=True)),
        done_count=sum(t.status == CareTask.Status.DONE for t in shift_tasks),
        total_count=len(shift_tasks),
        handover=ShiftHandover.objects.visible_to(actor).filter(
            home_id=home_id, day=day, shift__code=shift.code).first(),
    )


def own_home(actor: Actor) -> NursingHome:
    """The acting home (home actors only; the caller checks the kind)."""
    return NursingHome.objects.get(pk=actor.org_id)


def nursing_levels(actor: Actor, person_ids: list[int]) -> dict[int, str]:
    """person id → the plan's nursing level (one query)."""
    return dict(CarePlan.objects.visible_to(actor).filter(person_id__in=person_ids)
                .values_list("person_id", "nursing_level"))


def buildings(actor: Actor, home_id: int) -> list[Building]:
    return list(Building.objects.visible_to(actor).filter(home_id=home_id).order_by("name"))


def recent_alerts(actor: Actor, home_id: int, hours: int = 24) -> QuerySet[VitalSign]:
    """Vital-sign alerts of the last `hours` in the home (shown to the nurse)."""
    since = timezone.now() - timedelta(hours=hours)
    return vitals(actor, alerts_only=True, since=since).filter(home_id=home_id)
