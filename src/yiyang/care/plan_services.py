"""Writes of service plans and point-of-care records: permission, scope, validation, audit.

Who may write: `Perm.PLAN_CARE` (nurse, manager, home doctor) proposes, edits and approves plans
and sets a resident's vital ranges; `Perm.RECORD_CARE` (also the caregiver) records tasks, vital
signs, nursing notes and handovers.  Only the home's own staff write (home actors only): partner
doctors and regulators read.

Tasks are generated from each plan's last approved revision, idempotently (unique per plan,
intervention and due time), by `generate_tasks` — from the nurse's button or the Huey periodic
task `plan_tasks.generate_care_tasks`, never on page load.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.assessments import queries as assessment_queries
from yiyang.core import audit
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

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

__all__ = ["NOT_DONE_REASON", "approve_plan", "ensure_shifts", "generate_tasks", "hand_over",
           "propose_plan", "record_task", "record_vitals", "set_vital_ranges", "shift_now",
           "shifts_of", "update_plan", "write_note"]

NOT_DONE_REASON = "未完成的任务必须填写原因"


def _err(exc: rules.PlanError) -> ValidationFailed:
    return ValidationFailed(exc.code, exc.message, field=exc.field or None)


def _home_staff(actor: Actor, perm: Perm) -> None:
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden()
    require(actor, perm)


def _open_stay(actor: Actor, person_id: int) -> Stay:
    """The resident's open stay in the actor's own home; anything else answers 404 (first, so
    a foreign resident is never told apart from a missing one).  Reads no personal data."""
    if not Person.objects.visible_to(actor).filter(pk=person_id).exists():
        raise NotFound()
    stay = (Stay.objects.select_related("home").filter(person_id=person_id,
                                                       status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("not_resident", "该老人没有在住记录", field="person_id")
    if stay.home_id != actor.org_id:
        raise NotFound()
    return stay


def _name(actor: Actor) -> str:
    return actor.display_name or actor.username


# ---------------------------------------------------------------------------------------------
# Shifts

def ensure_shifts(home: NursingHome) -> list[Shift]:
    """The home's shifts, created from the defaults the first time (idempotent)."""
    shifts = list(Shift.objects.filter(home=home).order_by("start"))
    if shifts:
        return shifts
    for s in rules.DEFAULT_SHIFTS:
        Shift.objects.get_or_create(home=home, code=s.code, defaults={
            "name": s.name, "start": s.start, "hours": s.hours, "region_code": home.region_code})
    return list(Shift.objects.filter(home=home).order_by("start"))


def shifts_of(home: NursingHome) -> list[Shift]:
    """The home's shifts for reading: its own, or the defaults unsaved (pages never write)."""
    return list(Shift.objects.filter(home=home).order_by("start")) or [
        Shift(home=home, code=s.code, name=s.name, start=s.start, hours=s.hours)
        for s in rules.DEFAULT_SHIFTS]


def shift_now(home: NursingHome, now: datetime | None = None, *,
              write: bool = False) -> tuple[Shift, date]:
    """The shift running now in the home and its care day (`write`: a saved row)."""
    shifts = ensure_shifts(home) if write else shifts_of(home)
    local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    spec, day = rules.current_shift(local, [s.spec() for s in shifts])
    return next(s for s in shifts if s.code == spec.code), day


# ---------------------------------------------------------------------------------------------
# Plans

def findings_for(actor: Actor, person_id: int,
                 latest: dict[str, Any] | None = None) -> list[rules.Finding]:
    """The resident's current final results, as the proposal rules read them."""
    out = []
    rows = latest if latest is not None else assessment_queries.latest(actor, person_id)
    for code, record in sorted(rows.items()):
        outcome = record.outcome or {}
        out.append(rules.Finding(instrument=code, band=record.band,
                                 band_label=record.band_label, total=record.total,
                                 level=record.level, risks=frozenset(outcome.get("risks") or ())))
    return out


def _basis(rows: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": r.pk, "instrument": code, "assessed_on": r.assessed_on.isoformat(),
             "summary": (r.outcome or {}).get("summary") or r.band_label}
            for code, r in sorted(rows.items())]


@transaction.atomic()
def propose_plan(*, actor: Actor, person_id: int, review_on: date | None = None) -> CarePlan:
    """A draft plan proposed from the resident's current final assessment results."""
    stay = _open_stay(actor, person_id)
    _home_staff(actor, Perm.PLAN_CARE)
    if CarePlan.objects.filter(stay=stay).exists():
        raise ValidationFailed("plan_exists", "该老人本次入住已有服务方案，请在原方案上修订",
                               field="person_id")
    latest = assessment_queries.latest(actor, person_id)
    proposal = rules.propose(findings_for(actor, person_id, latest))
    today = timezone.localdate()
    plan = CarePlan(person_id=person_id, stay=stay, home=stay.home,
                    region_code=stay.home.region_code,
                    nursing_level=proposal.nursing_level.value if proposal.nursing_level else "",
                    problems=rules.check_problems(proposal.problems),
                    basis=_basis(latest),
                    review_on=review_on or today + timedelta(days=rules.REVIEW_DAYS),
                    created_by_name=_name(actor))
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise Conflict("该老人的服务方案刚由他人建立，请刷新", code="plan_exists") from exc
    ensure_visible(plan, actor)
    audit.record(actor, "care.plan.propose", plan, changes=audit.created(plan))
    return plan


_UNSET: Any = object()


@transaction.atomic()
def update_plan(*, actor: Actor, plan_id: int, version: int, nursing_level: Any = _UNSET,
                problems: Any = _UNSET, review_on: Any = _UNSET, note: Any = _UNSET) -> CarePlan:
    """Edit the working content; an approved plan becomes "revising" until approved again."""
    plan = get_visible_or_404(CarePlan, actor, Action.CHANGE, pk=plan_id)
    _home_staff(actor, Perm.PLAN_CARE)
    data: dict[str, Any] = {}
    if nursing_level is not _UNSET and nursing_level is not None:
        if nursing_level and nursing_level not in rules.NursingLevel.__members__.values():
            raise ValidationFailed("invalid_choice", "请选择护理等级", field="nursing_level")
        data["nursing_level"] = nursing_level or ""
    if problems is not _UNSET and problems is not None:
        try:
            data["problems"] = rules.check_problems(problems)
        except rules.PlanError as exc:
            raise _err(exc) from exc
    if review_on is not _UNSET and review_on is not None:
        if not isinstance(review_on, date):
            raise ValidationFailed("required", "请填写复评日期", field="review_on")
        data["review_on"] = review_on
    if note is not _UNSET and note is not None:
        data["note"] = clean_text(note, field="note", label="备注", max_length=300,
                                  required=False)
    before = audit.snapshot(plan)
    bump(plan, version)
    for k, v in data.items():
        setattr(plan, k, v)
    if plan.status == CarePlan.Status.APPROVED:
        plan.status = CarePlan.Status.REVISING
    plan.save()
    ensure_visible(plan, actor)
    audit.record(actor, "care.plan.update", plan, changes=audit.diff(before, audit.snapshot(plan)))
    return plan


@transaction.atomic()
def approve_plan(*, actor: Actor, plan_id: int, version: int) -> CarePlan:
    """Approve the working content as the next revision (kept in `CarePlanRevision`)."""
    plan = get_visible_or_404(CarePlan, actor, Action.CHANGE, pk=plan_id)
    _home_staff(actor, Perm.PLAN_CARE)
    before = audit.snapshot(plan)
    bump(plan, version)
    if plan.status == CarePlan.Status.APPROVED:
        raise ValidationFailed("already_approved", "该方案已审核生效，无需再次审核")
    if not plan.problems:
        raise ValidationFailed("empty_plan", "服务方案没有任何问题与措施，不能审核")
    if not plan.nursing_level:
        raise ValidationFailed("required", "请先确定护理等级", field="nursing_level")
    now = timezone.now()
    plan.revision += 1
    plan.status = CarePlan.Status.APPROVED
    plan.approved_at, plan.approved_by_name = now, _name(actor)
    plan.save()
    CarePlanRevision.objects.create(
        plan=plan, home_id=plan.home_id, region_code=plan.region_code, number=plan.revision,
        nursing_level=plan.nursing_level, problems=plan.problems, basis=plan.basis,
        review_on=plan.review_on, note=plan.note, approved_at=now,
        approved_by_name=plan.approved_by_name)
    ensure_visible(plan, actor)
    audit.record(actor, "care.plan.approve", plan, changes=audit.diff(before, audit.snapshot(plan)))
    return plan


# ---------------------------------------------------------------------------------------------
# Tasks

def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive, timezone.get_current_timezone())


@transaction.atomic()
def generate_tasks(*, actor: Actor, home_id: int, day: date,
                   not_before: datetime | None = None) -> int:
    """The tasks of care day `day` for every approved revision in the home (idempotent: rows
    that exist are skipped), leaving out those due before `not_before` when given.  Returns
    how many were made."""
    if actor.org_kind != OrgKind.HOME or actor.org_id != home_id:
        raise NotFound()
    if actor.user_id is not None:
        require(actor, Perm.PLAN_CARE)
    home = NursingHome.objects.get(pk=home_id)
    shifts = ensure_shifts(home)
    by_code = {s.code: s for s in shifts}
    specs = [s.spec() for s in shifts]
    plans = list(CarePlan.objects.filter(home_id=home_id, revision__gt=0,
                                         stay__status__in=OPEN_STATUSES))
    revisions = {r.plan_id: r for r in CarePlanRevision.objects.filter(
        plan__in=plans).order_by("plan_id", "number")}  # the last one wins
    begin = _aware(datetime.combine(day, specs[0].start))
    existing = set(CareTask.objects.filter(plan__in=plans, due_at__gte=begin,
                                           due_at__lt=begin + timedelta(days=1))
                   .values_list("plan_id", "intervention_key", "due_at"))
    rows = []
    for plan in plans:
        rev = revisions.get(plan.pk)
        if rev is None:
            continue
        for problem in rev.problems:
            for item in problem["interventions"]:
                for slot in rules.slots_for_day(day, frequency=item["frequency"],
                                                times=item.get("times") or (),
                                                weekday=item.get("weekday"), shifts=specs):
                    due = _aware(slot.due)
                    if (plan.pk, item["key"], due) in existing or (
                            not_before is not None and due < not_before):
                        continue
                    rows.append(CareTask(
                        plan=plan, revision=rev.number, person_id=plan.person_id, home=home,
                        region_code=home.region_code, intervention_key=item["key"],
                        title=item["text"], problem=problem["problem"][:120], day=day,
                        shift=by_code[slot.shift], due_at=due))
    CareTask.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        audit.record(actor, "care.tasks.generate", home,
                     changes={"day": [None, day.isoformat()], "tasks": [None, len(rows)]})
    return len(rows)


@transaction.atomic()
def record_task(*, actor: Actor, task_id: int, version: int, done: bool,
                reason: str = "") -> CareTask:
    """Done, or not done with a reason (required).  Of two people recording the same task at
    once, one wins; the other gets a clear conflict (who recorded it, when)."""
    task = get_visible_or_404(CareTask, actor, Action.CHANGE, pk=task_id)
    _home_staff(actor, Perm.RECORD_CARE)
    reason = (reason or "").strip()
    if not done and not reason:
        raise ValidationFailed("reason_required", NOT_DONE_REASON, field="reason")
    reason = clean_text(reason, field="reason", label="原因", max_length=200, required=False)
    if task.status != CareTask.Status.PENDING:
        raise Conflict(_already(task), code="already_recorded")
    before = audit.snapshot(task)
    try:
        bump(task, version)
    except Conflict:
        task.refresh_from_db()
        if task.status != CareTask.Status.PENDING:
            raise Conflict(_already(task), code="already_recorded") from None
        raise
    task.status = CareTask.Status.DONE if done else CareTask.Status.NOT_DONE
    task.reason = "" if done else reason
    task.recorded_at, task.recorded_by_id = timezone.now(), actor.user_id
    task.recorded_by_name = _name(actor)
    task.save()
    ensure_visible(task, actor)
    audit.record(actor, "care.task.record", task, changes=audit.diff(before, audit.snapshot(task)))
    return task


def _already(task: CareTask) -> str:
    when = timezone.localtime(task.recorded_at).strftime("%H:%M") if task.recorded_at else ""
    return (f"该任务已由{task.recorded_by_name}于 {when} 记录为“{task.get_status_display()}”，"
            "请勿重复记录")


# ---------------------------------------------------------------------------------------------
# Vital signs

def ranges_of(person_id: int) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    row = VitalRange.objects.filter(person_id=person_id).first()
    return rules.merge_ranges(row.ranges if row else None)


@transaction.atomic()
def set_vital_ranges(*, actor: Actor, person_id: int, ranges: Mapping[str, Any],
                     version: int | None = None) -> VitalRange:
    """A resident's own normal ranges ({field: [low, high]}); empty pairs fall back to defaults."""
    stay = _open_stay(actor, person_id)
    _home_staff(actor, Perm.PLAN_CARE)
    try:
        clean = rules.check_ranges(ranges)
    except rules.PlanError as exc:
        raise _err(exc) from exc
    row = VitalRange.objects.filter(person_id=person_id).first()
    if row is None:
        row = VitalRange(person_id=person_id, home=stay.home, region_code=stay.home.region_code,
                         ranges=clean, set_by_name=_name(actor))
        row.save()
        audit.record(actor, "care.vital_range.set", row, changes=audit.created(row))
        return row
    before = audit.snapshot(row)
    bump(row, version if version is not None else row.version)
    row.ranges, row.set_by_name = clean, _name(actor)
    row.save()
    ensure_visible(row, actor)
    audit.record(actor, "care.vital_range.set", row,
                 changes=audit.diff(before, audit.snapshot(row)))
    return row


@transaction.atomic()
def record_vitals(*, actor: Actor, person_id: int, measured_at: datetime | None = None,
                  note: str = "", **values: Any) -> VitalSign:
    """Measured values; any outside the resident's range raises an alert on the record."""
    stay = _open_stay(actor, person_id)
    _home_staff(actor, Perm.RECORD_CARE)
    try:
        clean = rules.check_vitals({k: v for k, v in values.items() if v not in (None, "")})
    except rules.PlanError as exc:
        raise _err(exc) from exc
    now = timezone.now()
    at = measured_at or now
    if at > now + timedelta(minutes=5):
        raise ValidationFailed("future", "测量时间不能晚于现在", field="measured_at")
    alerts = rules.vital_alerts(clean, ranges_of(person_id))
    sign = VitalSign(person_id=person_id, home=stay.home, region_code=stay.home.region_code,
                     measured_at=at, note=clean_text(note, field="note", label="备注",
                                                     max_length=200, required=False),
                     alerts=[a.as_json() for a in alerts], has_alert=bool(alerts),
                     recorded_by_name=_name(actor))
    for name, value in clean.items():
        setattr(sign, name, value if name in ("temperature", "glucose", "weight")
                else int(value))
    sign.save()
    ensure_visible(sign, actor)
    audit.record(actor, "care.vitals.record", sign, changes=audit.created(sign))
    return sign


# ---------------------------------------------------------------------------------------------
# Notes and handover

@transaction.atomic()
def write_note(*, actor: Actor, person_id: int, text: str, for_handover: bool = False,
               at: datetime | None = None) -> NursingNote:
    stay = _open_stay(actor, person_id)
    _home_staff(actor, Perm.RECORD_CARE)
    shift, day = shift_now(stay.home, at, write=True)
    note = NursingNote(person_id=person_id, home=stay.home, region_code=stay.home.region_code,
                       day=day, shift=shift, for_handover=bool(for_handover),
                       text=clean_text(text, field="text", label="护理记录", max_length=500),
                       written_at=at or timezone.now(), written_by_name=_name(actor))
    note.save()
    ensure_visible(note, actor)
    audit.record(actor, "care.note.write", note, changes=audit.created(note))
    return note


@transaction.atomic()
def hand_over(*, actor: Actor, summary: str = "", at: datetime | None = None) -> ShiftHandover:
    """The running shift confirms its handover (once per home, day and shift)."""
    _home_staff(actor, Perm.RECORD_CARE)
    home = NursingHome.objects.get(pk=actor.org_id)
    shift, day = shift_now(home, at, write=True)
    if ShiftHandover.objects.filter(home=home, day=day, shift=shift).exists():
        raise Conflict(f"{day:%m月%d日}{shift.name}已经交班", code="already_handed_over")
    tasks = CareTask.objects.filter(home=home, day=day, shift=shift)
    counts = {"tasks": tasks.count(),
              "not_done": tasks.filter(status=CareTask.Status.NOT_DONE).count(),
              "pending": tasks.filter(status=CareTask.Status.PENDING).count()}
    row = ShiftHandover(home=home, region_code=home.region_code, day=day, shift=shift,
                        summary=clean_text(summary, field="summary", label="交班说明",
                                           max_length=500, required=False),
                        counts=counts, handed_at=at or timezone.now(),
                        handed_by_name=_name(actor))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise Conflict(f"{day:%m月%d日}{shift.name}已经交班", code="already_handed_over") from exc
    audit.record(actor, "care.handover", row, changes=audit.created(row))
    return row
