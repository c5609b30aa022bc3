"""Obligation and hazard pages: the home's obligations board, the regulators' overview, the
hazard ledger and the evidence files (served only through `visible_to`).  Thin: parse, call a
service or a query, render."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.downloads import private_file
from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Actor
from yiyang.orgs.middleware import actor_of
from yiyang.orgs.models import NursingHome

from . import forms as f
from . import obligations, queries, rules, services
from .rules import HazardAction, HazardState


def serve_evidence(file: FieldFile) -> FileResponse:
    """An evidence file of a row the caller was allowed to load."""
    return private_file(file, missing="没有上传佐证材料", gone="佐证材料文件不存在")


def _can_record(actor: Actor, home: NursingHome) -> bool:
    return (actor.org_kind == OrgKind.HOME and actor.org_id == home.pk
            and actor.can(Perm.RECORD_OBLIGATIONS))


def _board(request: HttpRequest, actor: Actor, home: NursingHome,
           form: f.RecordForm | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    cells = queries.standings(actor, [home], today)[home.pk]
    history: dict[str, list] = defaultdict(list)
    for r in queries.records(actor, home_id=home.pk).filter(done_on__gte=rules.window(today)):
        history[r.obligation].append(r)
    rows = [{"cell": c, "records": history.get(c.obligation.code, [])} for c in cells]
    counts = {s: sum(1 for c in cells if c.status == s) for s in rules.Status}
    can_record = _can_record(actor, home)
    if can_record and form is None:
        form = f.RecordForm(initial={"obligation": request.GET.get("obligation", "")})
    return render(request, "compliance/board.html", {
        "home": home, "rows": rows, "counts": counts, "today": today,
        "form": form if can_record else None, "Status": rules.Status,
        "open_hazards": queries.hazards(actor, home_id=home.pk,
                                        state=HazardState.OPEN).count()}, status=status)


def obligations_page(request: HttpRequest) -> HttpResponse:
    """A home: its obligations board.  A regulator: homes × obligations of its region."""
    actor = actor_of(request)
    if actor.org_kind == OrgKind.HOME:
        return _board(request, actor, queries.home(actor, actor.org_id))
    page = paginate(request, queries.homes(actor))
    cells = queries.standings(actor, list(page.object_list))
    rows = [{"home": h, "cells": cells[h.pk],
             "overdue": sum(1 for c in cells[h.pk] if c.status == rules.Status.OVERDUE),
             "missed": sum(c.standing.overdue_count for c in cells[h.pk] if c.standing)}
            for h in page.object_list]
    return render(request, "compliance/overview.html", {
        "page": page, "rows": rows, "catalogue": obligations.CATALOGUE,
        "today": timezone.localdate(), "Status": rules.Status})


def board(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    return _board(request, actor, queries.home(actor, org_id))


@require_POST
def record(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home = services.home_of(actor)
    form = f.RecordForm(request.POST, request.FILES)
    done = submit(form, services.record_obligation, actor=actor)
    if done:
        messages.success(request, f"已登记：{done.get_obligation_display()}")
        return redirect("compliance:obligations")
    return _board(request, actor, home, form=form, status=400)


def record_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_evidence(queries.record(actor_of(request), pk).evidence)


# ---- hazards --------------------------------------------------------------------------------

def hazard_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", "")
    if state not in HazardState._value2member_map_:
        state = ""
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    page = paginate(request, queries.hazards(actor, state=state, overdue_only=overdue_only,
                                             today=today))
    for h in page.object_list:
        h.overdue = rules.hazard_overdue(h.state, h.deadline, today)
    can_record = actor.org_kind == OrgKind.HOME and actor.can(Perm.RECORD_OBLIGATIONS)
    return render(request, "compliance/hazards.html", {
        "page": page, "state": state, "states": list(HazardState), "overdue_only": overdue_only,
        "form": f.HazardForm() if can_record else None,
        "show_home": actor.org_kind == OrgKind.REGULATOR})


@require_POST
def hazard_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = f.HazardForm(request.POST)
    hazard = submit_and_flash(request, form, services.record_hazard, "隐患已登记到台账",
                              actor=actor)
    if hazard:
        return redirect("compliance:hazard", hazard.pk)
    return redirect("compliance:hazards")


def hazard(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = queries.hazard(actor, pk)
    today = timezone.localdate()
    actions = []
    if _can_record(actor, item.home):
        actions = [a for a in HazardAction
                   if (item.state, a) in {(HazardState.OPEN, HazardAction.RECTIFY),
                                          (HazardState.RECTIFIED, HazardAction.VERIFY),
                                          (HazardState.RECTIFIED, HazardAction.REOPEN)}]
    labels = {a.value: a.label for a in HazardAction} | {"found": "发现并登记"}
    return render(request, "compliance/hazard.html", {
        "hazard": item, "overdue": rules.hazard_overdue(item.state, item.deadline, today),
        "actions": actions,
        "history": [{**e, "label": labels.get(e.get("action"), e.get("action"))}
                    for e in item.history],
        "form": f.HazardActForm(initial={"version": item.version}) if actions else None})


@require_POST
def hazard_act(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = queries.hazard(actor, pk)
    form = f.HazardActForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("compliance:hazard", item.pk)
    submit_and_flash(request, form, services.act_on_hazard, "已保存", actor=actor,
                     hazard_id=item.pk)
    return redirect("compliance:hazard", item.pk)


def hazard_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_evidence(queries.hazard(actor_of(request), pk).evidence)
