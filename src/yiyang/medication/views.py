"""Medication pages: the orders list, a resident's orders, prescribe, one order and its stop.
Thin: parse, call a service or a query, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.errors import Forbidden, NotFound
from yiyang.core.forms import submit
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Actor
from yiyang.orgs.middleware import actor_of
from yiyang.residents import queries as resident_queries

from . import emar_queries, forms, queries, rules, services
from .models import MedicationOrder


def _errors(form) -> str:  # type: ignore[no-untyped-def]
    return "；".join(e for errs in form.errors.values() for e in errs) or "提交失败"


def _is_nurse(actor: Actor, order: MedicationOrder) -> bool:
    """Stops by someone who records a doctor's instruction rather than being the doctor."""
    return not services.can_prescribe_in(actor, order.home_id)


def order_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    flt = forms.ListFilter(request.GET or {"state": "active"})
    wanted = flt.cleaned_data if flt.is_valid() else {"state": "active"}
    state = wanted.get("state") or "active"
    rows = queries.orders(actor, person_id=wanted.get("person_id"),
                          home_id=actor.org_id if actor.org_kind == OrgKind.HOME else None,
                          active_only=state == "active", stopped_only=state == "stopped",
                          q=wanted.get("q") or "")
    page = paginate(request, rows)
    context = {"filter": flt, "page": page, "state": state,
               "show_home": actor.org_kind != OrgKind.HOME}
    if request.htmx:
        return render(request, "medication/_rows.html", context)
    return render(request, "medication/list.html", context)


def person_orders(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id)
    stay = queries.open_stay(actor, person_id)
    rows = list(queries.orders(actor, person_id=person_id))
    today = timezone.localdate()
    current = [o for o in rows if o.state in (rules.EffectiveStatus.ACTIVE,
                                              rules.EffectiveStatus.PENDING)]
    past = [o for o in rows if o not in current]
    for o in current:
        o.today = rules.doses_on(today, frequency=o.frequency, times=o.times,
                                 start_on=o.start_on, stop_on=o.stop_on,
                                 stopped_on=o.stopped_on)
    own_home = (bool(stay) and actor.org_kind == OrgKind.HOME
                and stay.home_id == actor.org_id)  # type: ignore[union-attr]
    return render(request, "medication/person.html", {
        "person": person, "stay": stay, "current": current, "past": past, "today": today,
        "can_prescribe": bool(stay) and services.can_prescribe_in(actor, stay.home_id),
        "stock": emar_queries.annotate_stock(list(emar_queries.stock(
            actor, person_id=person_id)), today),
        "can_intake": own_home and actor.can(Perm.MANAGE_MEDICINE_STOCK),
        "can_give": own_home and actor.can(Perm.ADMINISTER_MEDICATION),
    })


def prescribe(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id)
    require(actor, Perm.PRESCRIBE)
    stay = queries.open_stay(actor, person_id)
    if stay is None or not services.can_prescribe_in(actor, stay.home_id):
        raise NotFound()
    form = forms.PrescribeForm(request.POST or None, medical=actor.org_kind == OrgKind.MEDICAL)
    if request.method == "POST":
        order = submit(form, services.prescribe, actor=actor, person_id=person_id)
        if order:
            messages.success(request, f"已开具医嘱：{order.drug} {order.dose}")
            return redirect("medication:person", person_id=person_id)
    return render(request, "medication/prescribe.html",
                  {"form": form, "person": person, "stay": stay},
                  status=400 if form.is_bound else 200)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    order = queries.order(actor, pk)
    today = timezone.localdate()
    can_stop = (order.status == MedicationOrder.Status.ACTIVE
                and services.can_stop(actor, order))
    return render(request, "medication/detail.html", {
        "order": order, "today": today,
        "doses_today": rules.doses_on(today, frequency=order.frequency, times=order.times,
                                      start_on=order.start_on, stop_on=order.stop_on,
                                      stopped_on=order.stopped_on),
        "can_stop": can_stop,
        "stop_form": forms.StopForm(initial={"version": order.version,
                                             "stopped_on": today},
                                    nurse=_is_nurse(actor, order)) if can_stop else None,
    })


@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    order = queries.order(actor, pk)
    if not services.can_stop(actor, order):
        raise Forbidden(services.STOP_FORBIDDEN)
    form = forms.StopForm(request.POST, nurse=_is_nurse(actor, order))
    if submit(form, services.stop_order, actor=actor, order_id=pk):
        messages.success(request, f"已停止医嘱：{order.drug}")
    else:
        messages.error(request, _errors(form))
    return redirect("medication:detail", pk=pk)
