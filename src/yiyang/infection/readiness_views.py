"""Readiness pages: the overview, staff vaccination and posts, supplies and the county demand
list (with its Excel export), support teams, closed management and the shift rotation. Thin:
parse, call a service or a query, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core import audit
from yiyang.core.downloads import content_disposition
from yiyang.core.errors import Forbidden
from yiyang.core.forms import submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.orgs.middleware import actor_of

from . import readiness_export
from . import readiness_forms as forms
from . import readiness_queries as rq
from . import readiness_services as rs
from . import sampling_queries as sq


def _home(actor) -> bool:  # type: ignore[no-untyped-def]
    return actor.org_kind == OrgKind.HOME


def overview(request: HttpRequest) -> HttpResponse:
    """The main page: where the home (or the region) stands on each readiness item."""
    actor = actor_of(request)
    today = timezone.localdate()
    home_id = actor.org_id if _home(actor) else None
    staff = rq.staff_rows(list(rq.staff_memberships(actor, home_id=home_id)), today)
    stock = list(rq.stock_lines(actor, home_id=home_id))
    sampling = (sq.home_sampling(actor, actor.org_id) if _home(actor)
                else sq.region_sampling(actor))
    if _home(actor):
        marks = [sampling.mark] if sampling else []
    else:
        marks = list(sq.marks(actor, open_only=True))
    context = {
        "today": today, "is_home": _home(actor), "sampling": sampling, "marks": marks,
        "flagged": [r for r in staff if r.flagged], "staff_count": len(staff),
        "full_count": sum(1 for r in staff if r.status.full_course),
        "below": [s for s in stock if s.shortfall], "stock_count": len(stock),
        "closures": list(rq.closures(actor, open_only=True)),
        "teams": [(t, rq.is_ready(t, today)) for t in rq.teams(actor)],
    }
    return render(request, "infection/readiness.html", context)


# ---------------------------------------------------------------- staff


def staff(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = rq.staff_rows(list(rq.staff_memberships(
        actor, home_id=actor.org_id if _home(actor) else None)))
    only = request.GET.get("flagged") == "1"
    if only:
        rows = [r for r in rows if r.flagged]
    return render(request, "infection/staff.html", {
        "rows": rows, "only_flagged": only, "show_home": not _home(actor)})


def staff_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    row = rq.staff_member(actor, membership_id)
    can = actor.org_id == row.membership.org_id and actor.can(Perm.MANAGE_INFECTION_READINESS)
    return render(request, "infection/staff_detail.html", {
        "row": row, "can_edit": can, "dose_form": forms.DoseForm(),
        "post_form": forms.PostForm(initial={
            "post": row.post.post if row.post else "", "direct_contact": row.direct_contact,
            "version": row.post.version if row.post else None}),
    })


@require_POST
def staff_dose(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    rq.staff_member(actor, membership_id)
    submit_and_flash(request, forms.DoseForm(request.POST), rs.record_staff_dose, "已登记",
                     actor=actor, membership_id=membership_id)
    return redirect("infection:staff_detail", membership_id=membership_id)


@require_POST
def staff_post(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    rq.staff_member(actor, membership_id)
    submit_and_flash(request, forms.PostForm(request.POST), rs.set_staff_post, "岗位已保存",
                     actor=actor, membership_id=membership_id)
    return redirect("infection:staff_detail", membership_id=membership_id)


# ---------------------------------------------------------------- supplies


def supplies(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if _home(actor):
        lines = list(rq.stock_lines(actor, home_id=actor.org_id))
        return render(request, "infection/supplies.html", {
            "lines": lines, "can_edit": actor.can(Perm.MANAGE_INFECTION_READINESS),
            "move_form": forms.MovementForm(), "missing": not lines})
    below = list(rq.stock_lines(actor, below_only=True))
    return render(request, "infection/supplies_region.html", {
        "demand": rq.demand(actor), "below": below, "today": timezone.localdate(),
        "can_export": actor.org_kind == OrgKind.REGULATOR})


@require_POST
def supplies_setup(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    made = rs.open_stock_lines(actor=actor)
    from django.contrib import messages

    messages.success(request, f"已建立 {made} 项物资台账（按默认最低储备，可逐项修改）")
    return redirect("infection:supplies")


@require_POST
def supplies_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.stock_line(actor, pk)
    submit_and_flash(request, forms.MovementForm(request.POST), rs.record_supply_movement,
                     "已登记出入库", actor=actor, stock_id=pk)
    return redirect("infection:supplies")


@require_POST
def supplies_minimum(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.stock_line(actor, pk)
    submit_and_flash(request, forms.MinimumForm(request.POST), rs.set_supply_minimum,
                     "最低储备已修改", actor=actor, stock_id=pk)
    return redirect("infection:supplies")


def supplies_demand_export(request: HttpRequest) -> HttpResponse:
    """The demand list of the regulator's region as an Excel workbook (audited)."""
    actor = actor_of(request)
    if actor.org_kind != OrgKind.REGULATOR:
        raise Forbidden("需求清单由民政部门导出")
    today = timezone.localdate()
    lines = rq.demand(actor)
    data = readiness_export.demand_workbook(lines, region=actor.org_name, today=today)
    audit.record(actor, "infection.supplies.export", object_type="infection.demand",
                 object_repr=f"{actor.org_name} 物资需求清单 {today}",
                 changes={"kinds": [None, [line.kind for line in lines]]})
    response = HttpResponse(data, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = content_disposition(
        f"防疫物资需求清单-{today:%Y%m%d}.xlsx", fallback="demand.xlsx")
    return response


# ---------------------------------------------------------------- teams


def teams(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    page = paginate(request, rq.teams(actor))
    for t in page.object_list:
        t.ready = rq.is_ready(t, today)
    can_create = (actor.org_kind == OrgKind.REGULATOR
                  and actor.can(Perm.MANAGE_REGIONAL_READINESS))
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise Forbidden()
        team = submit(form, rs.create_team, actor=actor)
        if team:
            return redirect("infection:teams_detail", pk=team.pk)
    return render(request, "infection/teams.html", {
        "page": page, "can_create": can_create, "form": form,
        "valid_days": rq.rr.TEAM_TRAINING_VALID_DAYS},
        status=400 if form.is_bound else 200)


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    team = rq.team(actor, pk)
    return render(request, "infection/teams_detail.html", {
        "team": team, "ready": rq.is_ready(team),
        "can_edit": team.regulator_id == actor.org_id and actor.can(
            Perm.MANAGE_REGIONAL_READINESS),
        "member_form": forms.MemberForm(), "training_form": forms.TrainingForm(),
        "valid_days": rq.rr.TEAM_TRAINING_VALID_DAYS,
        "due_on": rq.rr.training_due_on(team.last_trained)})


@require_POST
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.team(actor, pk)
    submit_and_flash(request, forms.MemberForm(request.POST), rs.add_team_member,
                     "已添加队员", actor=actor, team_id=pk)
    return redirect("infection:teams_detail", pk=pk)


@require_POST
def team_training(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.team(actor, pk)
    submit_and_flash(request, forms.TrainingForm(request.POST), rs.record_team_training,
                     "已登记培训", actor=actor, team_id=pk)
    return redirect("infection:teams_detail", pk=pk)


# ---------------------------------------------------------------- closed management


def closed(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = list(rq.closures(actor, home_id=actor.org_id if _home(actor) else None))
    can_start = (_home(actor) and actor.can(Perm.MANAGE_INFECTION_READINESS)
                 and not any(c.ended_on is None for c in rows))
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST":
        if not _home(actor):
            raise Forbidden()
        closure = submit(form, rs.start_closed_management, actor=actor)
        if closure:
            return redirect("infection:closed_detail", pk=closure.pk)
    return render(request, "infection/closed.html", {
        "rows": rows, "can_start": can_start, "form": form, "show_home": not _home(actor)},
        status=400 if form.is_bound else 200)


def closed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    closure = rq.closure(actor, pk)
    can = (closure.home_id == actor.org_id and closure.ended_on is None
           and actor.can(Perm.MANAGE_INFECTION_READINESS))
    members = list(rq.staff_memberships(actor, home_id=closure.home_id))
    staff_choices = [(m.pk, str(m.user)) for m in members] if can else []
    unvaccinated = {r.membership.pk for r in rq.staff_rows(members) if r.flagged}
    return render(request, "infection/closed_detail.html", {
        "c": closure, "plan": rq.rotation(closure, unvaccinated=unvaccinated), "can_edit": can,
        "today": timezone.localdate(),
        "shift_form": forms.ShiftForm(staff=staff_choices),
        "measures_form": forms.MeasuresForm(initial={"version": closure.version,
                                                     "measures": closure.measures}),
        "end_form": forms.EndClosureForm(initial={"version": closure.version}),
        "max_days": rq.rr.MAX_ON_DUTY_DAYS, "rest_days": rq.rr.MIN_REST_DAYS})


def _closure_staff(request: HttpRequest, pk: int) -> list[tuple[int, str]]:
    actor = actor_of(request)
    closure = rq.closure(actor, pk)
    return [(m.pk, str(m.user)) for m in rq.staff_memberships(actor, home_id=closure.home_id)]


@require_POST
def closed_shift(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.ShiftForm(request.POST, staff=_closure_staff(request, pk))
    submit_and_flash(request, form, rs.add_shift, "已安排班次", actor=actor, closure_id=pk)
    return redirect("infection:closed_detail", pk=pk)


@require_POST
def closed_measures(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.closure(actor, pk)
    submit_and_flash(request, forms.MeasuresForm(request.POST), rs.set_measures,
                     "措施已更新", actor=actor, closure_id=pk)
    return redirect("infection:closed_detail", pk=pk)


@require_POST
def closed_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    rq.closure(actor, pk)
    submit_and_flash(request, forms.EndClosureForm(request.POST), rs.end_closed_management,
                     "封闭管理已结束", actor=actor, closure_id=pk)
    return redirect("infection:closed_detail", pk=pk)
