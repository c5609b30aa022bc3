"""Community pages: the ledger (list, new, detail, dated change, end), visits, home services,
family doctors with the coverage indicator, outbreak help, Excel import/export.
Thin: parse, call a service or a query, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.forms import submit, submit_and_flash
from yiyang.core.masking import mask_id_number, mask_phone
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.middleware import actor_of

from . import forms, queries, rules, services, workbook
from .models import FamilyDoctorContract, HomeServiceRequest, LedgerEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request: HttpRequest) -> Actor:
    """Community organisations and regulators read the ledger; others have no such page."""
    actor = actor_of(request)
    if actor.org_kind not in (OrgKind.COMMUNITY, OrgKind.REGULATOR):
        raise Forbidden("居家老年人台账由乡镇（街道）和村（居）委会维护，监管部门可查阅")
    return actor


def _keeps(actor: Actor) -> bool:
    return actor.org_kind == OrgKind.COMMUNITY and actor.can(Perm.KEEP_LEDGER)


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# ---- the ledger -----------------------------------------------------------------------------

def ledger(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    mine = services.committees(actor)
    flt = forms.ListFilter(request.GET or {"status": "active"}, committees=mine)
    wanted = flt.cleaned_data if flt.is_valid() else {"status": "active"}
    rows = queries.search(queries.entries(actor), committee_id=wanted.get("committee"),
                          status=wanted.get("status") or "", q=wanted.get("q") or "",
                          category=wanted.get("category") or "", need=wanted.get("need") or "")
    page = paginate(request, rows)
    page.object_list = queries.decorate(page.object_list)
    context = {"filter": flt, "page": page, "keeps": _keeps(actor),
               "total": rows.count(), "outbreak": queries.outbreak_active(actor)[0]}
    if request.htmx:
        return render(request, "community/_ledger_rows.html", context)
    return render(request, "community/ledger.html", context)


def entry_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not _keeps(actor):
        raise Forbidden()
    form = forms.EntryForm(request.POST or None, committees=services.committees(actor),
                           initial={"listed_on": timezone.localdate()})
    if request.method == "POST":
        entry = submit(form, services.list_person, actor=actor)
        if entry:
            messages.success(request, f"已将 {entry.person.name} 纳入台账")
            return redirect("community:entry", pk=entry.pk)
    return render(request, "community/entry_form.html",
                  {"form": form, "title": "纳入台账"}, status=400 if form.is_bound else 200)


def entry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    e = queries.entry(actor, pk)
    keeps = _keeps(actor) and e.status == LedgerEntry.Status.ACTIVE
    today = timezone.localdate()
    contracts = list(queries.contracts(actor, entry_id=pk))
    requests = list(queries.service_requests(actor, entry_id=pk))
    context = {
        "e": e, "keeps": keeps, "today": today,
        "visits": queries.visits(actor, entry_id=pk)[:20],
        "requests": requests, "contracts": contracts,
        "history": queries.history(e),
        "interval": rules.visit_interval(e.risk),
    }
    if keeps:
        context.update({
            "visit_form": forms.VisitForm(initial={"visited_on": today,
                                                   "visitor": actor.display_name}),
            "service_form": forms.ServiceForm(initial={"requested_on": today}),
            "contract_form": forms.ContractForm(
                institutions=services.institutions_for(e.township),
                initial={"start_on": today, "end_on": today.replace(year=today.year + 1)}),
            "end_form": forms.EndForm(initial={"version": e.version, "ended_on": today}),
            "delivery_initial": {"delivered_on": today},
        })
        for r in requests:
            if r.status == HomeServiceRequest.Status.OPEN:
                r.form = forms.DeliveryForm(initial={"version": r.version,
                                                     "delivered_on": today})
        for c in contracts:
            if c.in_force(today):
                c.form = forms.DoctorVisitForm(initial={"visited_on": today,
                                                        "doctor": c.doctor})
    return render(request, "community/entry.html", context)


def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    e = queries.entry_to_change(actor, pk)
    if not _keeps(actor):
        raise Forbidden()
    initial = {name: getattr(e, name) for name in services.ENTRY_FIELDS}
    initial.update(version=e.version, effective_on=timezone.localdate(),
                   phone=e.person.phone, address=e.person.address)
    form = forms.ChangeForm(request.POST or None, initial=initial)
    if e.person.org_id != e.org_id:  # kept by a home now: identity is theirs
        del form.fields["phone"], form.fields["address"]
    if request.method == "POST" and submit(form, services.update_entry, actor=actor,
                                           entry_id=pk):
        messages.success(request, "已保存变更，原值已记入变更记录")
        return redirect("community:entry", pk=pk)
    return render(request, "community/entry_form.html",
                  {"form": form, "title": f"登记变更 · {e.person.name}", "e": e},
                  status=400 if form.is_bound else 200)


@require_POST
def entry_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    get_visible_or_404(LedgerEntry, actor, Action.CHANGE, pk=pk)
    submit_and_flash(request, forms.EndForm(request.POST), services.end_entry, "已销册",
                     actor=actor, entry_id=pk)
    return redirect("community:entry", pk=pk)


@require_POST
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    get_visible_or_404(LedgerEntry, actor, Action.CHANGE, pk=pk)
    submit_and_flash(request, forms.VisitForm(request.POST), services.record_visit,
                     "已记录巡访", actor=actor, entry_id=pk)
    return redirect("community:entry", pk=pk)


@require_POST
def service_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    get_visible_or_404(LedgerEntry, actor, Action.CHANGE, pk=pk)
    submit_and_flash(request, forms.ServiceForm(request.POST), services.request_service,
                     "已登记服务申请", actor=actor, entry_id=pk)
    return redirect("community:entry", pk=pk)


@require_POST
def service_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    req = get_visible_or_404(HomeServiceRequest, actor, Action.CHANGE, pk=pk)
    submit_and_flash(request, forms.DeliveryForm(request.POST), services.record_delivery,
                     "已记录服务", actor=actor, request_id=pk)
    return redirect("community:entry", pk=req.entry_id)


@require_POST
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    e = queries.entry_to_change(actor, pk)
    form = forms.ContractForm(request.POST, institutions=services.institutions_for(e.township))
    submit_and_flash(request, form, services.sign_contract, "已登记家庭医生签约",
                     actor=actor, entry_id=pk)
    return redirect("community:entry", pk=pk)


@require_POST
def contract_visit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    c = get_visible_or_404(FamilyDoctorContract, actor, Action.CHANGE, pk=pk)
    submit_and_flash(request, forms.DoctorVisitForm(request.POST), services.record_doctor_visit,
                     "已记录上门服务", actor=actor, contract_id=pk)
    return redirect("community:entry", pk=c.entry_id)


# ---- lists ---------------------------------------------------------------------------------

def visit_plan(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    overdue_only = request.GET.get("overdue") == "1"
    rows = queries.visit_plan(actor, overdue_only=overdue_only)
    return render(request, "community/visits.html", {
        "page": paginate(request, rows), "overdue_only": overdue_only,
        "overdue_count": sum(1 for e in rows if e.overdue) if not overdue_only else len(rows),
        "intervals": [(r.label, d) for r, d in rules.VISIT_INTERVAL_DAYS.items()]})


def service_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    rows = queries.service_requests(actor, status=status if status != "all" else "",
                                    kind=kind if kind in rules.SERVICE_LABELS else "")
    return render(request, "community/services.html", {
        "page": paginate(request, rows), "status": status, "kind": kind,
        "kinds": [(k.value, k.label) for k in rules.ServiceKind]})


def family_doctors(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    return render(request, "community/family_doctors.html", {
        "coverage": queries.coverage_table(actor),
        "target": int(rules.COVERAGE_TARGET * 100),
        "page": paginate(request, queries.contracts(actor)),
        "today": timezone.localdate()})


def outbreak(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    active, why = queries.outbreak_active(actor)
    rows = queries.outbreak_list(actor) if active or request.GET.get("preview") else []
    mode = queries.own_mode(actor)
    return render(request, "community/outbreak.html", {
        "active": active, "why": why, "rows": rows, "preview": bool(request.GET.get("preview")),
        "keeps": _keeps(actor),
        "form": forms.OutbreakForm(initial={"active": not (mode and mode.active)}),
        "mode": mode})


@require_POST
def outbreak_switch(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not _keeps(actor):
        raise Forbidden()
    form = forms.OutbreakForm(request.POST)
    mode = submit(form, services.set_outbreak_mode, actor=actor)
    if mode:
        messages.success(request, "已开启疫情帮扶模式" if mode.active else "已关闭疫情帮扶模式")
    return redirect("community:outbreak")


# ---- Excel ---------------------------------------------------------------------------------

def ledger_template(request: HttpRequest) -> HttpResponse:
    _reader(request)
    return _download(workbook.template(), "特殊需求老年人台账模板.xlsx")


@require_POST
def ledger_export(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    full = actor.can(Perm.REVEAL_PERSONAL_DATA)
    rows = queries.decorate(queries.entries(actor).filter(status=LedgerEntry.Status.ACTIVE))

    def phone(value: str) -> str:
        return value if full else mask_phone(value)

    data = [{
        "committee": e.org.name, "name": e.person.name,
        "id_number": e.person.id_number if full else mask_id_number(e.person.id_number),
        "phone": phone(e.person.phone), "address": e.person.address, "living": e.living,
        "disabled": e.disabled, "disability_note": e.disability_note,
        "dependent": e.dependent, "seriously_ill": e.seriously_ill, "illness": e.illness,
        "needs": e.needs, "needs_note": e.needs_note, "guardian_name": e.guardian_name,
        "guardian_relation": e.guardian_relation, "guardian_phone": phone(e.guardian_phone),
        "contact_name": e.contact_name, "contact_relation": e.contact_relation,
        "contact_phone": phone(e.contact_phone), "listed_on": e.listed_on,
        "extra": ("、".join(c.label for c in e.cats), e.risk.label, e.doctor_team or "",
                  e.last_visit.isoformat() if e.last_visit else "",
                  "" if e.in_care else e.next_due.isoformat(),
                  f"入住{e.care_home}" if e.in_care else "居家"),
    } for e in rows]
    audit.record(actor, "community.entry.export", None, object_org_id=actor.org_id,
                 object_type="community.ledgerentry", object_repr=f"导出 {len(data)} 人",
                 changes={"rows": len(data), "masked": not full})
    return _download(workbook.export(data), "特殊需求老年人台账.xlsx")


def ledger_import(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not _keeps(actor):
        raise Forbidden()
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str, str]] = []
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            rows, found = workbook.parse(form.cleaned_data["file"].read())
            problems = [(p.row, p.column, p.message) for p in found]
            problems += services.check_rows(actor, rows)
            problems.sort()
            if not problems and not rows:
                error = "文件中没有数据行"
            elif not problems:
                made = services.import_entries(actor=actor, rows=rows)
                messages.success(request, f"已导入 {len(made)} 人")
                return redirect("community:ledger")
        except workbook.FileRejected as exc:
            error = exc.message
        except ValidationFailed as exc:
            error = exc.message
    return render(request, "community/import.html",
                  {"form": form, "problems": problems, "error": error},
                  status=400 if (problems or error) else 200)
