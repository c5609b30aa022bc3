"""Clinic filing pages (seed 004): a home files its clinic; the county health commission's
review queue; the per-county list of 医养结合 institutions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiyang.core.forms import submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm
from yiyang.orgs.middleware import actor_of

from . import filing_services as services
from . import forms as f
from . import queries
from .rules import FilingState


def filing_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", "")
    if state not in FilingState._value2member_map_:
        state = ""
    page = paginate(request, queries.filings(actor, state=state))
    can_file = actor.org_kind == OrgKind.HOME and actor.can(Perm.FILE_CLINIC)
    return render(request, "compliance/filings.html", {
        "page": page, "state": state, "states": list(FilingState),
        "form": f.FilingForm() if can_file else None,
        "reviews": services.can_review(actor),
        "waiting": queries.filings(actor, state=FilingState.RECEIVED).count()
        if actor.org_kind == OrgKind.REGULATOR else 0})


@require_POST
def filing_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filing = submit_and_flash(request, f.FilingForm(request.POST), services.file_clinic,
                              "备案已提交，等待卫生健康部门审核", actor=actor)
    if filing:
        return redirect("compliance:filing", filing.pk)
    return redirect("compliance:filings")


def filing(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = queries.filing(actor, pk)
    review = services.can_review(actor) and item.state == FilingState.RECEIVED
    return render(request, "compliance/filing.html", {
        "filing": item, "form": f.ReviewForm(initial={"version": item.version})
        if review else None})


@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = queries.filing(actor, pk)
    submit_and_flash(request, f.ReviewForm(request.POST), services.review_filing, "审核意见已保存",
                     actor=actor, filing_id=item.pk)
    return redirect("compliance:filing", item.pk)


def integrated(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "compliance/integrated.html", {
        "blocks": queries.integrated_by_county(actor)})
