"""Agreement pages: the list of each side and of regulators, drafting, the detail with its
timeline, actions and patrol schedule, the signed document, and the public list (no login).
Thin: parse, call a service or a query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.downloads import private_file
from yiyang.core.errors import Forbidden
from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Actor
from yiyang.orgs.middleware import actor_of

from . import catalogue, family_bed_services, patrol_services, queries, services
from . import forms as f
from .models import Agreement, PatrolVisit, ServiceRecord
from .rules import AgreementState, PatrolState, response_overdue


def agreement_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", "")
    if state not in AgreementState._value2member_map_:
        state = ""
    page = paginate(request, queries.agreements(actor, state=state))
    today = timezone.localdate()
    visits = queries.visit_dates(actor, [a.pk for a in page.object_list])
    for a in page.object_list:
        a.effective = queries.effective_state(a, today)
        a.schedule = queries.patrol_schedule(a, visits[a.pk], today)
    return render(request, "agreements/list.html", {
        "page": page, "state": state, "states": list(AgreementState),
        "can_create": actor.can(Perm.MANAGE_AGREEMENTS)
        and actor.org_kind in (OrgKind.HOME, OrgKind.MEDICAL)})


def create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Perm.MANAGE_AGREEMENTS)
    if actor.org_kind not in (OrgKind.HOME, OrgKind.MEDICAL):
        raise Forbidden("签约协议由养老服务机构或医疗卫生机构起草")
    label = "签约的医疗卫生机构" if actor.org_kind == OrgKind.HOME else "签约的养老服务机构"
    form = f.AgreementForm(request.POST or None, counterparties=queries.counterparties(actor),
                           counterpart_label=label)
    if request.method == "POST":
        agreement = submit(form, services.create_draft, actor=actor)
        if agreement:
            messages.success(request, "协议草稿已保存，请双方核对后确认")
            return redirect("agreements:detail", agreement.pk)
    return render(request, "agreements/create.html", {"form": form},
                  status=400 if form.is_bound else 200)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    agreement = queries.agreement(actor, pk)
    today = timezone.localdate()
    visits = list(queries.patrol_visits(actor, pk))
    schedule = queries.patrol_schedule(agreement, [v.visited_on for v in visits], today)
    side = services.side_of(actor, agreement)
    can_patrol = (side == "medical" and actor.can(Perm.RECORD_PATROL)
                  and agreement.state in services.PUBLISHED_STATES)
    can_fee = (side == "medical" and actor.can(Perm.MANAGE_AGREEMENTS)
               and agreement.state in services.PUBLISHED_STATES)
    fees = list(queries.fee_entries(actor, pk))
    referrals = list(queries.referrals(actor, pk))
    now = timezone.now()
    for r in referrals:
        r.actions = services.referral_actions(actor, r)
        r.overdue = response_overdue(r.requested_at, now, r.kind, state=r.state)
        r.steps = queries.referral_steps(r)
    kinds = services.referral_kinds(actor, agreement)
    return render(request, "agreements/detail.html", {
        "agreement": agreement, "effective": queries.effective_state(agreement, today),
        "items": queries.item_lines(agreement), "modes": queries.mode_labels(agreement),
        "factors": queries.fee_factor_labels(agreement),
        "memo_note": catalogue.FEE_MEMO_ACCOUNT_NOTE,
        "events": list(queries.events(actor, pk)), "visits": visits, "schedule": schedule,
        "slots": list(reversed(schedule.slots)) if schedule else [],
        "missed_state": PatrolState.MISSED, "done_state": PatrolState.DONE,
        "actions": services.user_actions(actor, agreement),
        "patrol_form": f.PatrolForm(residents=queries.referable_residents(
            actor, agreement.home_id)) if can_patrol else None, "today": today,
        "family_beds": queries.with_round_status(list(queries.family_beds(actor, agreement_id=pk)),
                                          today),
        "family_bed_form": f.FamilyBedForm(residents=queries.referable_residents(
            actor, agreement.home_id)) if family_bed_services.can_open(actor, agreement)
        else None,
        "fees": fees, "fee_balance": services.fee_balance((e.kind, e.amount) for e in fees),
        "show_fees": bool(fees) or can_fee, "fee_form": f.FeeForm() if can_fee else None,
        "referrals": referrals, "services": list(queries.service_records(actor, pk)),
        "service_form": f.ServiceForm(kinds=_service_kinds(agreement)) if can_patrol and
        _service_kinds(agreement) else None,
        "referral_form": f.ReferralForm(residents=queries.referable_residents(
            actor, agreement.home_id), kinds=kinds) if kinds else None})


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.agreement(actor, pk)
    form = f.ActForm(request.POST, request.FILES)
    agreement = submit(form, services.act, actor=actor, agreement_id=pk)
    if agreement:
        messages.success(request, f"已办理：{agreement.get_state_display()}")
    else:
        messages.error(request, form_errors(form))
    return redirect("agreements:detail", pk)


@require_POST
def record_patrol(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    agreement = queries.agreement(actor, pk)
    form = f.PatrolForm(request.POST, residents=queries.referable_residents(
        actor, agreement.home_id))
    visit = submit(form, patrol_services.record_patrol_visit, actor=actor, agreement_id=pk)
    if visit:
        messages.success(request, "巡诊记录已登记，可在巡诊记录页为诊视的老人开具用药医嘱")
        return redirect("agreements:patrol_visit", visit.pk)
    messages.error(request, form_errors(form))
    return redirect("agreements:detail", pk)


def _order_form(actor: Actor, visit: PatrolVisit, data: Any = None) -> f.PatrolOrderForm | None:
    if services.side_of(actor, visit.agreement) != "medical" or not actor.can(Perm.PRESCRIBE):
        return None
    seen = [(r.person_id, r.person.name) for r in queries.residents_seen(actor, visit.pk)]
    return f.PatrolOrderForm(data, residents=seen) if seen else None


def patrol_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """One patrol visit: the team, the residents seen and the drug orders given."""
    actor = actor_of(request)
    visit = queries.patrol_visit(actor, pk)
    return render(request, "agreements/patrol_visit.html", {
        "visit": visit, "agreement": visit.agreement,
        "seen": list(queries.residents_seen(actor, pk)),
        "orders": list(queries.patrol_orders(actor, visit)),
        "order_form": _order_form(actor, visit)})


@require_POST
def patrol_order(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    visit = queries.patrol_visit(actor, pk)
    form = _order_form(actor, visit, request.POST)
    if form is None:
        raise Forbidden("巡诊医嘱由签约医疗卫生机构的医生开具")
    submit_and_flash(request, form, patrol_services.give_patrol_order,
                     "医嘱已开具，已进入养老机构的用药医嘱", actor=actor, visit_id=pk)
    return redirect("agreements:patrol_visit", pk)


@require_POST
def record_fee(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.agreement(actor, pk)
    form = f.FeeForm(request.POST)
    submit_and_flash(request, form, services.record_fee, "已记入合作经费备查账",
                     actor=actor, agreement_id=pk)
    return redirect("agreements:detail", pk)


@require_POST
def request_referral(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    agreement = queries.agreement(actor, pk)
    form = f.ReferralForm(request.POST, residents=queries.referable_residents(
        actor, agreement.home_id), kinds=[])
    submit_and_flash(request, form, services.request_referral, "转诊申请已提交",
                     actor=actor, agreement_id=pk)
    return redirect("agreements:detail", pk)


@require_POST
def act_referral(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    referral = queries.referral(actor, pk)
    form = f.ReferralActForm(request.POST)
    submit_and_flash(request, form, services.act_referral, "已办理", actor=actor, referral_id=pk)
    return redirect("agreements:detail", referral.agreement_id)


def _service_kinds(agreement: Agreement) -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in ServiceRecord.Kind
            if ServiceRecord.ITEM_OF_KIND[k.value] in agreement.items]


@require_POST
def record_service(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    agreement = queries.agreement(actor, pk)
    form = f.ServiceForm(request.POST, kinds=list(ServiceRecord.Kind.choices))
    submit_and_flash(request, form, services.record_service, "服务记录已登记",
                     actor=actor, agreement_id=agreement.pk)
    return redirect("agreements:detail", pk)


def document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = queries.agreement(actor_of(request), pk)
    return private_file(agreement.signed_document, missing="该协议尚未上传签字盖章的文本",
                        gone="协议文本文件不存在")


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    """向社会公开: published agreements in force, parties and terms only, no personal data."""
    today = timezone.localdate()
    rows = queries.public_agreements(today=today)
    return render(request, "agreements/public.html", {
        "rows": [{"agreement": a, "items": queries.item_lines(a),
                  "modes": queries.mode_labels(a),
                  "effective": queries.effective_state(a, today)} for a in rows],
        "today": today})
