"""Inspection pages: the list (with the year's draw for regulators), the inspector list, the
draw, an inspection with its findings and the rectification loop, and the public 双随机、一公开
page (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Action, Actor
from yiyang.orgs.middleware import actor_of

from . import forms as f
from . import inspection_services as services
from . import queries, rules
from .models import Finding, Inspection
from .rules import RectificationAction, RectificationState
from .views import serve_evidence


def _inspects(actor: Actor) -> bool:
    return actor.org_kind == OrgKind.REGULATOR and actor.can(Perm.INSPECT)


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def inspection_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    year = _year(request)
    page = paginate(request, queries.inspections(actor, year=year))
    own_draw = None
    if actor.org_kind == OrgKind.REGULATOR:
        own_draw = queries.draws(actor).filter(regulator_id=actor.org_id, year=year).first()
    today = timezone.localdate()
    return render(request, "compliance/inspections.html", {
        "page": page, "year": year, "years": [today.year - 1, today.year, today.year + 1],
        "own_draw": own_draw, "inspects": _inspects(actor),
        "draw_form": f.DrawForm(initial={"year": year}) if _inspects(actor) and not own_draw
        else None,
        "inspector_count": queries.inspectors(actor).count() if _inspects(actor) else 0,
        "population": queries.homes(actor).count() if _inspects(actor) else 0})


def inspectors(request: HttpRequest) -> HttpResponse:
    """The regulator's own inspector list (its own rows) and the form to add one."""
    actor = actor_of(request)
    staff = [(m.pk, f"{m.user.full_name or m.user.username}（{m.title or m.get_role_display()}）")
             for m in queries.own_staff(actor)] if _inspects(actor) else []
    form = f.InspectorForm(request.POST or None, staff=staff)
    if request.method == "POST":
        done = submit(form, services.add_inspector, actor=actor)
        if done:
            messages.success(request, f"已添加检查人员 {done.name}")
            return redirect("compliance:inspectors")
    return render(request, "compliance/inspectors.html", {
        "rows": queries.inspectors(actor), "form": form if _inspects(actor) else None},
        status=400 if form.is_bound else 200)


@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = f.DrawForm(request.POST)
    result = submit_and_flash(request, form, services.make_draw, "已完成抽取，结果已公开",
                              actor=actor)
    year = result.year if result else (form.cleaned_data.get("year") if form.is_valid() else None)
    return redirect(reverse("compliance:inspections") + (f"?year={year}" if year else ""))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inspection = queries.inspection(actor, pk)
    own = (_inspects(actor) and inspection.regulator_id == actor.org_id)
    today = timezone.localdate()
    findings = list(queries.findings(actor, pk))
    home_answers = (actor.org_kind == OrgKind.HOME and actor.org_id == inspection.home_id
                    and actor.can(Perm.RECORD_OBLIGATIONS))
    labels = {a.value: a.label for a in RectificationAction} | {"issued": "下达整改"}
    for x in findings:
        x.overdue = rules.rectification_overdue(x.state, x.deadline, today)
        x.actions = []
        if home_answers and x.state == RectificationState.ISSUED:
            x.actions = [RectificationAction.RECTIFY]
        elif own and x.state == RectificationState.RECTIFIED:
            x.actions = [RectificationAction.VERIFY, RectificationAction.REISSUE]
        x.form = f.FindingActForm(initial={"version": x.version}) if x.actions else None
        x.steps = [{**e, "label": labels.get(e.get("action"), e.get("action"))}
                   for e in x.history]
    return render(request, "compliance/inspection.html", {
        "inspection": inspection, "findings": findings, "own": own,
        "conclude_form": f.ConcludeForm(initial={
            "version": inspection.version, "outcome": inspection.outcome,
            "inspected_on": inspection.inspected_on or today}) if own else None,
        "finding_form": f.FindingForm() if own else None})


@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inspection = queries.inspection(actor, pk, Action.CHANGE)
    submit_and_flash(request, f.ConcludeForm(request.POST), services.conclude, "检查结果已保存",
                     actor=actor, inspection_id=inspection.pk)
    return redirect("compliance:inspection", inspection.pk)


@require_POST
def issue_finding(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inspection = queries.inspection(actor, pk, Action.CHANGE)
    submit_and_flash(request, f.FindingForm(request.POST), services.issue_finding,
                     "已下达整改", actor=actor, inspection_id=inspection.pk)
    return redirect("compliance:inspection", inspection.pk)


@require_POST
def finding_act(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    finding: Finding = queries.finding(actor, pk)
    form = f.FindingActForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        submit_and_flash(request, form, services.act_on_finding, "已保存", actor=actor,
                         finding_id=finding.pk)
    return redirect("compliance:inspection", finding.inspection_id)


def finding_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_evidence(queries.finding(actor_of(request), pk).evidence)


@login_not_required
def public(request: HttpRequest) -> HttpResponse:
    """双随机、一公开: the year's draws and outcomes; institution names only, no personal data."""
    year = _year(request)
    today = timezone.localdate()
    return render(request, "compliance/public.html", {
        "rows": queries.public_draws(year), "year": year,
        "years": list(range(today.year, today.year - 4, -1)), "Done": Inspection.State.DONE})
