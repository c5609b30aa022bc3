"""Family-bed pages (家庭病床, item 11): the list of both sides and regulators, one episode with
its rounds, and the forms of the medical side (open, round, close). Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import Perm
from yiyang.orgs.middleware import actor_of

from . import family_bed_rules as bed_rules
from . import family_bed_services, queries, services
from . import forms as f


def family_bed_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    open_only = request.GET.get("state", "open") == "open"
    page = paginate(request, queries.family_beds(actor, open_only=open_only))
    queries.with_round_status(page.object_list, timezone.localdate())
    return render(request, "agreements/family_beds.html", {"page": page,
                                                           "open_only": open_only})


@require_POST
def open_family_bed(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    agreement = queries.agreement(actor, pk)
    form = f.FamilyBedForm(request.POST, residents=queries.referable_residents(
        actor, agreement.home_id))
    bed = submit(form, family_bed_services.open_family_bed, actor=actor, agreement_id=pk)
    if bed:
        messages.success(request, "家庭病床已建床")
        return redirect("agreements:family_bed", bed.pk)
    messages.error(request, form_errors(form))
    return redirect("agreements:detail", pk)


def family_bed(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    bed = queries.family_bed(actor, pk)
    rounds = list(queries.family_bed_rounds(actor, pk))
    writable = (bed.state == bed_rules.BedState.OPENED and actor.can(Perm.RECORD_PATROL)
                and services.side_of(actor, bed.agreement) == "medical")
    status = bed_rules.round_status(opened_on=bed.opened_on,
                                    round_dates=[r.done_on for r in rounds],
                                    today=timezone.localdate(),
                                    interval_days=bed.round_interval_days) \
        if bed.state == bed_rules.BedState.OPENED else None
    criteria = {c.code: c.label for c in bed_rules.CRITERIA}
    return render(request, "agreements/family_bed.html", {
        "bed": bed, "rounds": rounds, "round_status": status,
        "criteria": [criteria.get(code, code) for code in bed.criteria],
        "round_form": f.BedRoundForm() if writable else None,
        "close_form": f.BedCloseForm(initial={"version": bed.version}) if writable else None})


@require_POST
def family_bed_round(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.family_bed(actor, pk)
    form = f.BedRoundForm(request.POST)
    submit_and_flash(request, form, family_bed_services.record_round, "查床记录已登记",
                     actor=actor, bed_id=pk)
    return redirect("agreements:family_bed", pk)


@require_POST
def close_family_bed(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.family_bed(actor, pk)
    form = f.BedCloseForm(request.POST)
    submit_and_flash(request, form, family_bed_services.close_family_bed, "已撤床",
                     actor=actor, bed_id=pk)
    return redirect("agreements:family_bed", pk)
