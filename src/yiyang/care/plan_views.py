"""Care pages: service plans (list, propose, detail, edit, approve, vital ranges), the
point-of-care tablet page (tasks, vital signs, notes: one htmx request per tap) and the shift
handover.  Thin: parse, call a service or a query, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.errors import DomainError, NotFound
from yiyang.core.forms import form_errors, submit
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Action, Actor
from yiyang.orgs.middleware import actor_of
from yiyang.orgs.models import NursingHome

from . import plan_forms as forms
from . import plan_queries as queries
from . import plan_rules as rules
from . import plan_services as services
from .models import CarePlan, CareTask, Shift


def _home(actor: Actor) -> NursingHome:
    if actor.org_kind != OrgKind.HOME:
        raise NotFound()
    return queries.own_home(actor)


def _review(plan: CarePlan, today: date) -> CarePlan:
    plan.review = rules.review_state(plan.review_on, today)
    return plan


# ---------------------------------------------------------------------------------------------
# Plans

def plan_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    review_due = request.GET.get("review") == "due"
    page = paginate(request, queries.plans(actor, review_due=review_due, today=today)
                    .order_by("review_on", "id"))
    for p in page.object_list:
        _review(p, today)
    home = actor.org_kind == OrgKind.HOME
    return render(request, "care/plan_list.html", {
        "page": page, "review_due": review_due, "today": today,
        "without": list(queries.residents_without_plan(actor, actor.org_id)[:30])
        if home and actor.can(Perm.PLAN_CARE) else [],
        "alerts": list(queries.recent_alerts(actor, actor.org_id)[:20]) if home else [],
        "can_plan": home and actor.can(Perm.PLAN_CARE),
    })


@require_POST
def plan_propose(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        plan = services.propose_plan(actor=actor, person_id=person_id)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        messages.error(request, exc.message)
        return redirect("care:plans")
    messages.success(request, f"已按评估结果拟定 {plan.person.name} 的服务方案，请核对后审核")
    return redirect("care:plan", pk=plan.pk)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = _review(queries.plan(actor, pk), timezone.localdate())
    mine = actor.org_kind == OrgKind.HOME and actor.org_id == plan.home_id
    ranges = queries.vital_range(actor, plan.person_id)
    merged = rules.merge_ranges(ranges.ranges if ranges else None)
    return render(request, "care/plan_detail.html", {
        "plan": plan, "revisions": list(queries.revisions(actor, pk)),
        "can_plan": mine and actor.can(Perm.PLAN_CARE),
        "problems": [{**p, "interventions": [{**i, "schedule": rules.describe_schedule(i)}
                                             for i in p["interventions"]]}
                     for p in plan.problems],
        "ranges": [{"f": f, "low": merged[f.name][0], "high": merged[f.name][1],
                    "own": bool(ranges and f.name in ranges.ranges)}
                   for f in forms.RANGE_FIELDS],
        "vitals": list(queries.vitals(actor, person_id=plan.person_id)[:10]),
        "today_tasks": queries.annotate_states(
            list(queries.tasks(actor, plan_id=plan.pk, day=timezone.localdate())),
            timezone.now()),
    })


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = queries.plan(actor, pk, Action.CHANGE)
    if not actor.can(Perm.PLAN_CARE):
        raise NotFound()
    problems = plan.problems
    form = forms.PlanHeaderForm(request.POST or None, initial={
        "version": plan.version, "nursing_level": plan.nursing_level,
        "review_on": plan.review_on, "note": plan.note})
    if request.method == "POST":
        problems = forms.parse_problems(request.POST)
        if submit(form, services.update_plan, actor=actor, plan_id=pk, problems=problems):
            messages.success(request, "服务方案已保存，审核后生效")
            return redirect("care:plan", pk=pk)
    return render(request, "care/plan_edit.html", {
        "plan": plan, "form": form, "rows": forms.editor_rows(problems),
        "frequencies": forms.FREQUENCY_CHOICES, "weekdays": forms.WEEKDAY_CHOICES,
    }, status=400 if form.is_bound else 200)


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.plan(actor, pk, Action.CHANGE)
    try:
        plan = services.approve_plan(actor=actor, plan_id=pk,
                                     version=int(request.POST.get("version") or 0))
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已审核，第 {plan.revision} 版生效")
    return redirect("care:plan", pk=pk)


@require_POST
def plan_ranges(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = queries.plan(actor, pk, Action.CHANGE)
    try:
        services.set_vital_ranges(actor=actor, person_id=plan.person_id,
                                  ranges=forms.parse_ranges(request.POST))
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存该老人的体征正常范围")
    return redirect("care:plan", pk=pk)


@require_POST
def generate_tasks(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home = _home(actor)
    today = timezone.localdate()
    made = sum(services.generate_tasks(actor=actor, home_id=home.pk, day=d)
               for d in (today, today + timedelta(days=1)))
    messages.success(request, f"已生成今明两天的照护任务 {made} 条" if made
                     else "今明两天的照护任务已经生成，没有新任务")
    return redirect(request.POST.get("next") or "care:plans")


# ---------------------------------------------------------------------------------------------
# Point of care

def _shift_from(request: HttpRequest, home: NursingHome) -> tuple[Shift, date, bool]:
    current, today = services.shift_now(home)
    code, day_text = request.GET.get("shift"), request.GET.get("day")
    if not code or not day_text:
        return current, today, True
    shift = next((s for s in services.shifts_of(home) if s.code == code), None)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        day = None
    if shift is None or day is None:
        return current, today, True
    return shift, day, (shift.code, day) == (current.code, today)


def point_of_care(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home = _home(actor)
    shift, day, is_now = _shift_from(request, home)
    building = request.GET.get("building")
    building_id = int(building) if building and building.isdigit() else None
    rows = queries.bedside(actor, home.pk, shift, day, building_id=building_id)
    levels = queries.nursing_levels(actor, [r.stay.person_id for r in rows])
    for r in rows:
        r.level = rules.NURSING_LEVEL_LABELS.get(levels.get(r.stay.person_id) or "", "")
    all_tasks = [t for r in rows for t in r.tasks]
    show_all = request.GET.get("all") == "1"
    shown = rows if show_all else [r for r in rows if r.tasks or r.alert or r.notes]
    return render(request, "care/point_of_care.html", {
        "shift": shift, "day": day, "is_now": is_now, "rows": shown, "show_all": show_all,
        "resident_count": len(rows),
        "shifts": services.shifts_of(home), "building_id": building_id,
        "buildings": queries.buildings(actor, home.pk),
        "counts": {"total": len(all_tasks),
                   "done": sum(t.status == CareTask.Status.DONE for t in all_tasks),
                   "not_done": sum(t.status == CareTask.Status.NOT_DONE for t in all_tasks),
                   "late": sum(t.state == rules.TaskState.LATE for t in all_tasks)},
        "can_record": actor.can(Perm.RECORD_CARE),
        "can_plan": actor.can(Perm.PLAN_CARE),
        "vitals_form": forms.VitalsForm(), "note_form": forms.NoteForm(),
    })


def _task_partial(request: HttpRequest, task: CareTask, error: str = "") -> HttpResponse:
    queries.annotate_states([task], timezone.now())
    return render(request, "care/task_row.html", {"t": task, "error": error,
                                                  "can_record": True})


@require_POST
def task_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = queries.task(actor, pk, Action.CHANGE)
    form = forms.RecordTaskForm(request.POST)
    error = ""
    if submit(form, services.record_task, actor=actor, task_id=pk) is None:
        error = form_errors(form)
    task = queries.task(actor, task.pk)
    if request.htmx:
        return _task_partial(request, task, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已记录：{task.person.name} {task.title}")
    return redirect("care:point_of_care")


@require_POST
def vitals_record(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.VitalsForm(request.POST)
    sign = submit(form, services.record_vitals, actor=actor, person_id=person_id)
    if request.htmx:
        return render(request, "care/vital_result.html", {
            "sign": sign, "error": "" if sign else form_errors(form), "person_id": person_id})
    if sign:
        extra = "（有异常，已提示护士）" if sign.has_alert else ""
        messages.success(request, f"已记录生命体征{extra}")
    else:
        messages.error(request, form_errors(form))
    return redirect("care:point_of_care")


@require_POST
def note_write(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.NoteForm(request.POST)
    note = submit(form, services.write_note, actor=actor, person_id=person_id)
    if request.htmx:
        return render(request, "care/vital_result.html", {
            "note": note, "error": "" if note else form_errors(form), "person_id": person_id})
    if note:
        messages.success(request, "已保存护理记录")
    else:
        messages.error(request, form_errors(form))
    return redirect("care:point_of_care")


# ---------------------------------------------------------------------------------------------
# Handover

def handover(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home = _home(actor)
    shift, day, is_now = _shift_from(request, home)
    sheet = queries.handover_sheet(actor, home.pk, shift, day)
    shifts = services.shifts_of(home)
    nxt, nxt_day = rules.next_shift(shift.code, day, [s.spec() for s in shifts])
    return render(request, "care/handover.html", {
        "sheet": sheet, "is_now": is_now, "next_name": nxt.name, "next_day": nxt_day,
        "form": forms.HandoverForm(), "can_record": actor.can(Perm.RECORD_CARE),
        "shifts": shifts,
    })


@require_POST
def handover_confirm(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _home(actor)
    form = forms.HandoverForm(request.POST)
    if submit(form, services.hand_over, actor=actor):
        messages.success(request, "已交班")
    else:
        messages.error(request, form_errors(form))
    return redirect("care:handover")
