"""Pages of surveillance and outbreak response: the surveillance page and a building's round,
the outbreak list (home) / region table (regulators), the outbreak page a manager follows step
by step on a tablet, the regulators' inbox and the isolation sites. Thin: parse, call a service
or a query, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.downloads import content_disposition
from yiyang.core.errors import DomainError
from yiyang.core.forms import submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.orgs.middleware import actor_of

from . import outbreak_export, rules
from . import outbreak_forms as forms
from . import outbreak_queries as queries
from . import outbreak_reports as reports
from . import outbreak_services as services
from .models import OutbreakReport


def _flash_error(request: HttpRequest, exc: DomainError) -> None:
    if exc.status not in (400, 409):
        raise exc
    messages.error(request, exc.message)


# ---- surveillance -----------------------------------------------------------------------------

def surveillance(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    day = timezone.localdate()
    can_record = actor.org_kind == OrgKind.HOME and actor.can(Perm.RECORD_SURVEILLANCE)
    people, staff = (queries.home_people(actor), queries.home_staff(actor)) if can_record \
        else ([], [])
    page = paginate(request, queries.symptom_checks(actor))
    return render(request, "infection/surveillance.html", {
        "page": page, "day": day, "can_record": can_record,
        "referrals": queries.symptom_checks(actor, day=day, referral_only=True)[:20],
        "tests": queries.tests(actor)[:15],
        "buildings": queries.buildings(actor) if can_record else [],
        "check_form": forms.SymptomCheckForm(people=people, staff=staff),
        "test_form": forms.TestForm(people=people, staff=staff),
        "open_outbreak": queries.open_outbreak_of_home(actor),
    })


@require_POST
def record_check(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = forms.SymptomCheckForm(request.POST, people=queries.home_people(actor),
                                  staff=queries.home_staff(actor))
    check = submit_and_flash(request, form, services.record_symptom_check, "已登记症状监测",
                             actor=actor)
    if check and check.referral_signs:
        messages.warning(request, f"{check.subject_name}：" + "；".join(check.referral_signs))
    return redirect("infection:surveillance")


@require_POST
def record_test(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = forms.TestForm(request.POST, people=queries.home_people(actor),
                          staff=queries.home_staff(actor))
    test = submit_and_flash(request, form, services.record_test, "已登记检测结果", actor=actor)
    if test and test.outbreak_id:
        messages.warning(request, "检测结果异常：已建立/加入疫情事件并向民政部门报告，"
                         "请按步骤处置")
        return redirect("infection:outbreak", pk=test.outbreak_id)
    return redirect("infection:surveillance")


def _round_rows(post: Any, stays: list) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    rows = []
    for s in stays:
        p = s.person_id
        rows.append({"person_id": p, "temperature": post.get(f"t_{p}", "").strip() or None,
                     "spo2": post.get(f"s_{p}", "").strip() or None,
                     "symptoms": post.getlist(f"sym_{p}"),
                     "persistent_fever": post.get(f"f_{p}") == "on",
                     "breathing_difficulty": post.get(f"b_{p}") == "on"})
    return rows


def round_entry(request: HttpRequest, building_id: int) -> HttpResponse:
    """A building's round on the tablet: every resident, quick entry, saved all at once."""
    actor = actor_of(request)
    day = timezone.localdate()
    stays = queries.round_rows(actor, building_id, day)
    if request.method == "POST":
        try:
            saved = services.record_round(actor=actor, building_id=building_id,
                                          rows=_round_rows(request.POST, stays))
        except DomainError as exc:
            _flash_error(request, exc)
        else:
            flagged = [c for c in saved if c.referral_signs]
            messages.success(request, f"已保存 {len(saved)} 位老人的监测结果")
            for c in flagged:
                messages.warning(request, f"{c.subject_name}：" + "；".join(c.referral_signs))
            return redirect("infection:round", building_id=building_id)
    return render(request, "infection/surveillance_round.html", {
        "stays": stays, "day": day, "symptoms": services.SYMPTOMS.items(),
        "building": stays[0].bed.room.building if stays else None,
        "building_id": building_id})


# ---- outbreaks ----------------------------------------------------------------------------------

def outbreak_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    regulator = actor.org_kind == OrgKind.REGULATOR
    page = paginate(request, queries.outbreaks(actor, open_only=request.GET.get("open") == "1",
                                               region=request.GET.get("region", "")))
    return render(request, "infection/outbreak_list.html", {
        "page": page, "regulator": regulator,
        "regions": queries.region_table(actor) if regulator else [],
        "pending": queries.inbox(actor, pending_only=True).count() if regulator else 0,
        "waiting": _with_clocks(queries.inbox(actor, pending_only=True)[:10])
        if regulator else [], "org_id": actor.org_id,
        "can_control": actor.org_kind == OrgKind.HOME and actor.can(Perm.MANAGE_OUTBREAK),
        "control_form": forms.ControlForm(),
        "isolation": services.isolation_check(actor.org_id)
        if actor.org_kind == OrgKind.HOME else None,
    })


def _with_clocks(rows):  # type: ignore[no-untyped-def]
    now = timezone.now()
    rows = list(rows)
    for r in rows:
        r.clock = queries.clock(r, now)
    return rows


def outbreak_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    outbreak = queries.outbreak(actor, pk)
    now = timezone.now()
    report_rows = list(queries.reports_of(actor, outbreak))
    for r in report_rows:
        r.clock = queries.clock(r, now)  # type: ignore[attr-defined]
    can_act = (actor.org_kind == OrgKind.HOME and actor.org_id == outbreak.home_id
               and actor.can(Perm.MANAGE_OUTBREAK) and outbreak.is_open)
    state_index = list(rules.State).index(rules.State(outbreak.state))
    steps = [{"action": a, "label": a.label, "done": list(rules.State).index(t) <= state_index,
              "current": s == rules.State(outbreak.state)}
             for a, (s, t) in rules.ACTIONS.items()]
    entries = queries.line_list(actor, outbreak)
    tracing = outbreak.events.filter(action=rules.Action.START_TRACING).first()
    owed: list[date] = []
    if tracing and outbreak.is_open:
        closed = [date.fromisoformat(d["day"]) for d in outbreak.events.filter(
            action=rules.Action.TRACE_DAY).values_list("data", flat=True)]
        owed = rules.tracing_days_owed(timezone.localtime(tracing.at).date(),
                                       timezone.localdate(), closed)
    return render(request, "infection/outbreak.html", {
        "o": outbreak, "steps": steps, "next": outbreak.next_action, "can_act": can_act,
        "entries": entries, "reports": report_rows,
        "events": queries.timeline(actor, outbreak), "tasks": queries.tier_tasks(actor, outbreak),
        "sites": queries.sites(actor) if can_act else [],
        "people": queries.home_people(actor) if can_act else [],
        "staff": queries.home_staff(actor) if can_act else [],
        "isolation": services.isolation_check(outbreak.home_id), "owed": owed,
        "roles": forms.ActForm.base_fields["role"].choices[1:],
        "wheres": forms.ActForm.base_fields["where"].choices[1:],
    })


@require_POST
def outbreak_act(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.outbreak(actor, pk)  # 404 before anything else for foreign incidents
    form = forms.ActForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        label = rules.ACTION_LABELS.get(data["action"], "办理")  # type: ignore[call-overload]
        try:
            services.act(actor=actor, outbreak_id=pk, **data)
        except DomainError as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, f"已办理：{label}")
    else:
        messages.error(request, "提交内容有误，请检查后重试")
    return redirect("infection:outbreak", pk=pk)


@require_POST
def export_line_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    outbreak = queries.outbreak(actor, pk)
    data = outbreak_export.line_list_xlsx(actor=actor, outbreak=outbreak)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(
        f"疫情一览表-{outbreak.pk}.xlsx", fallback=f"line-list-{outbreak.pk}.xlsx")
    return response


@require_POST
def set_control(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    submit_and_flash(request, forms.ControlForm(request.POST), services.set_infection_control,
                     "已登记院感控制体系", actor=actor)
    return redirect("infection:outbreaks")


# ---- the regulators' inbox -------------------------------------------------------------------

def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    regulator = actor.org_kind == OrgKind.REGULATOR
    page = paginate(request, queries.inbox(actor) if regulator else queries.reports(actor))
    now = timezone.now()
    for r in page:
        r.clock = queries.clock(r, now)  # type: ignore[attr-defined]
    return render(request, "infection/inbox.html", {
        "page": page, "regulator": regulator, "now": now,
        "can_act": regulator and actor.can(Perm.HANDLE_OUTBREAK_REPORTS),
        "org_id": actor.org_id, "received": OutbreakReport.Status.RECEIVED})


@require_POST
def report_act(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.report(actor, pk)
    form = forms.ReportActForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "acknowledge":
                reports.acknowledge(actor=actor, report_id=pk, version=data["version"])
                messages.success(request, "已签收")
            else:
                reports.forward(actor=actor, report_id=pk, version=data["version"],
                                content=data["content"])
                messages.success(request, "已向上级民政部门报告")
        except DomainError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, "提交内容有误")
    return redirect("infection:inbox")


# ---- isolation sites ------------------------------------------------------------------------

def site_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = paginate(request, queries.sites(actor))
    load = queries.site_load([s.pk for s in page])
    for s in page:
        s.load = load.get(s.pk, 0)  # type: ignore[attr-defined]
    return render(request, "infection/site_list.html", {
        "page": page, "form": forms.SiteForm(),
        "can_create": actor.org_kind == OrgKind.REGULATOR
        and actor.can(Perm.MANAGE_ISOLATION_SITES)})


@require_POST
def site_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    submit_and_flash(request, forms.SiteForm(request.POST), reports.create_site,
                     "已登记集中隔离/监测点", actor=actor)
    return redirect("infection:sites")
