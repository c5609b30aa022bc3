"""Pages of the medicine cart: the round (摆药/发药) list of a home, the stock with its warnings,
intake, a batch and its ledger, the monthly MAR (page and PDF), incidents.  Thin: parse, call a
service or a query, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiyang.core.errors import NotFound
from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor
from yiyang.orgs.middleware import actor_of
from yiyang.residents import queries as resident_queries

from . import emar_forms as forms
from . import emar_queries as queries
from . import emar_report, emar_services
from . import queries as order_queries


def _home_id(actor: Actor) -> int:
    """The round list and the cart are the home's own pages."""
    if actor.org_kind != OrgKind.HOME:
        raise NotFound()
    return actor.org_id


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


def rounds(request: HttpRequest, printable: bool = False) -> HttpResponse:
    actor = actor_of(request)
    home_id = _home_id(actor)
    flt = forms.RoundFilter(request.GET or None)
    wanted = flt.cleaned_data if flt.is_valid() else {}
    day = wanted.get("day") or timezone.localdate()
    slots = queries.slots(home_id, day)
    slot = wanted.get("slot") or ""
    if not slot and not printable and day == timezone.localdate():
        slot = _current_slot(slots)  # the cart opens on the round at hand
    if slot not in slots:
        slot = ""
    rows = queries.round_list(actor, home_id=home_id, day=day, slot=slot)
    doses = [d for r in rows for d in r.doses]
    context = {
        "rows": rows, "day": day, "slot": slot, "slots": slots, "now": timezone.now(),
        "total": len(doses), "done": sum(1 for d in doses if d.record),
        "problems": sum(1 for d in doses if d.problem and not d.record),
        "can_give": actor.can(Perm.ADMINISTER_MEDICATION),
        "window": emar_services.dose_window(), "here": request.get_full_path(),
    }
    if printable:
        return render(request, "medication/rounds_print.html", context)
    return render(request, "medication/rounds.html", context)


def _current_slot(slots: list[str]) -> str:
    """The first time still inside its window (or the last of the day)."""
    now = timezone.localtime()
    edge = (now - timedelta(minutes=emar_services.dose_window())).strftime("%H:%M")
    return next((s for s in slots if s >= edge), slots[-1] if slots else "")


def rounds_print(request: HttpRequest) -> HttpResponse:
    return rounds(request, printable=True)


@require_POST
def administer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    order = order_queries.order(actor, pk, Action.CHANGE)
    form = forms.DoseForm(request.POST)
    record = submit(form, emar_services.record_administration, actor=actor, order_id=order.pk)
    if record:
        extra = "（超出给药时间窗）" if record.late else ""
        messages.success(request, f"{order.person.name} {order.drug}："
                                  f"{record.get_status_display()}{extra}")
    else:
        messages.error(request, form_errors(form))
    return _back(request, reverse("medication:rounds"))


@require_POST
def effect(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    record = queries.administration(actor, pk, Action.CHANGE)
    submit_and_flash(request, forms.EffectForm(request.POST), emar_services.check_effect,
                     "已记录用药效果", actor=actor, administration_id=pk)
    return _back(request, reverse("medication:mar", args=[record.person_id]))


def stock_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    q = (request.GET.get("q") or "")[:40]
    warnings_only = request.GET.get("warn") == "1"
    rows = queries.annotate_stock(list(queries.stock(
        actor, home_id=actor.org_id if actor.org_kind == OrgKind.HOME else None, q=q)))
    if warnings_only:
        rows = [r for r in rows if r.warn]
    page = paginate(request, rows)
    return render(request, "medication/stock.html", {
        "page": page, "q": q, "warn": warnings_only,
        "warn_count": sum(1 for r in rows if r.warn) if not warnings_only else len(rows),
        "show_home": actor.org_kind != OrgKind.HOME})


def stock_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    row = queries.annotate_stock([queries.stock_item(actor, pk)])[0]
    can_manage = (actor.can(Perm.MANAGE_MEDICINE_STOCK) and actor.org_kind == OrgKind.HOME
                  and actor.org_id == row.home_id and row.status == "active")
    return render(request, "medication/stock_detail.html", {
        "s": row, "movements": list(queries.movements(row).select_related(None)[:200]),
        "doses": list(row.administrations.select_related("order").order_by("-given_at")[:50]),
        "form": forms.AdjustForm(initial={"version": row.version}) if can_manage else None})


@require_POST
def stock_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    row = queries.stock_item(actor, pk, Action.CHANGE)
    require(actor, Perm.MANAGE_MEDICINE_STOCK)
    submit_and_flash(request, forms.AdjustForm(request.POST), emar_services.adjust_stock,
                     "已调整库存", actor=actor, stock_id=row.pk)
    return redirect("medication:stock_detail", pk=row.pk)


def intake(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id)
    require(actor, Perm.MANAGE_MEDICINE_STOCK)
    stay = order_queries.open_stay(actor, person_id)
    if stay is None or actor.org_kind != OrgKind.HOME or stay.home_id != actor.org_id:
        raise NotFound()
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST":
        row = submit(form, emar_services.intake, actor=actor, person_id=person_id)
        if row:
            messages.success(request, f"已接收 {row.drug} {row.quantity_received.normalize():f}"
                                      f" {row.unit}，存放于{row.storage_location}")
            return redirect("medication:person", person_id=person_id)
    drugs = sorted({o.drug for o in order_queries.orders(actor, person_id=person_id,
                                                         active_only=True)})
    return render(request, "medication/intake.html",
                  {"form": form, "person": person, "stay": stay, "drugs": drugs},
                  status=400 if form.is_bound else 200)


def mar(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    year, month = emar_report.month_of(request.GET.get("month"))
    data = emar_report.context(actor, person_id, year, month)
    prev = (year - (month == 1), (month - 2) % 12 + 1)
    nxt = (year + (month == 12), month % 12 + 1)
    return render(request, "medication/mar.html", {
        **data, "month_param": f"{year}-{month:02d}",
        "prev": f"{prev[0]}-{prev[1]:02d}", "next": f"{nxt[0]}-{nxt[1]:02d}",
        "can_give": (actor.can(Perm.ADMINISTER_MEDICATION) and data["stay"] is not None
                     and data["stay"].home_id == actor.org_id
                     and actor.org_kind == OrgKind.HOME)})


def mar_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    year, month = emar_report.month_of(request.GET.get("month"))
    export = emar_report.export(actor=actor_of(request), person_id=person_id, year=year,
                                month=month)
    response = HttpResponse(export.pdf, content_type="application/pdf")
    response["Content-Disposition"] = export.disposition
    return response


def incident_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    open_only = request.GET.get("open") == "1"
    rows = queries.incidents(actor, open_only=open_only, kind=request.GET.get("kind") or "",
                             home_id=actor.org_id if actor.org_kind == OrgKind.HOME else None)
    return render(request, "medication/incidents.html", {
        "page": paginate(request, rows), "open_only": open_only,
        "show_home": actor.org_kind != OrgKind.HOME})


def _incident_choices(actor: Actor, person_id: int) -> tuple[list, list]:
    orders = [(o.pk, f"{o.drug} {o.dose} {o.frequency_label}")
              for o in order_queries.orders(actor, person_id=person_id)[:50]]
    doses = [(r.pk, f"{timezone.localtime(r.given_at):%m-%d %H:%M} {r.order.drug} "
                    f"{r.get_status_display()}")
             for r in queries.administrations(actor, person_id=person_id)[:60]]
    return orders, doses


def incident_new(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id)
    require(actor, Perm.ADMINISTER_MEDICATION)
    stay = order_queries.open_stay(actor, person_id)
    if stay is None or actor.org_kind != OrgKind.HOME or stay.home_id != actor.org_id:
        raise NotFound()
    orders, doses = _incident_choices(actor, person_id)
    initial = {}
    if request.GET.get("administration"):
        initial["administration_id"] = request.GET["administration"]
    form = forms.IncidentForm(request.POST or None, orders=orders, doses=doses, initial=initial)
    if request.method == "POST":
        row = submit(form, emar_services.report_incident, actor=actor, person_id=person_id)
        if row:
            messages.success(request, f"已登记：{row.get_kind_display()}")
            return redirect("medication:incident_detail", pk=row.pk)
    return render(request, "medication/incident_new.html",
                  {"form": form, "person": person, "stay": stay},
                  status=400 if form.is_bound else 200)


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    row = queries.incident(actor, pk)
    can_handle = (actor.can(Perm.ADMINISTER_MEDICATION) and actor.org_kind == OrgKind.HOME
                  and actor.org_id == row.home_id and row.status == "open")
    form = None
    if can_handle:
        form = forms.HandleForm(initial={
            "version": row.version, "doctor_informed": row.doctor_informed,
            "doctor_name": row.doctor_name,
            "informed_at": timezone.localtime(row.informed_at) if row.informed_at else None,
            "action_taken": row.action_taken, "outcome": row.outcome,
            "follow_up": row.follow_up})
    return render(request, "medication/incident_detail.html", {"i": row, "form": form})


@require_POST
def incident_handle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.incident(actor, pk, Action.CHANGE)
    submit_and_flash(request, forms.HandleForm(request.POST), emar_services.handle_incident,
                     "已保存处置记录", actor=actor, incident_id=pk)
    return redirect("medication:incident_detail", pk=pk)
