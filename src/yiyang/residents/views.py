"""Resident pages: list, admission, the resident's page (stay, timeline, health record), bed
board and the key-population register. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.errors import Forbidden
from yiyang.core.forms import form_errors, submit
from yiyang.core.masking import hides_personal_data
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action
from yiyang.orgs.middleware import actor_of
from yiyang.residents import filters, followup_views, forms, queries, services
from yiyang.residents.rules import BAND_LABELS, Category, StayEvent, StayStatus, allowed_events

CATEGORY_COLOURS = {Category.RED: "#dc2626", Category.YELLOW: "#eab308",
                    Category.GREEN: "#16a34a"}


def _own_home(actor) -> int:  # type: ignore[no-untyped-def]
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("只有养老机构可以办理入住")
    return actor.org_id


def resident_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    f = filters.ResidentFilter(request.GET, queryset=queries.residents(actor))
    page = paginate(request, f.qs)
    template = "residents/_rows.html" if request.htmx else "residents/list.html"
    return render(request, template, {"filter": f, "page": page,
                                      "can_admit": actor.can(Perm.ADMIT_RESIDENTS)})


def admit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = _own_home(actor)
    require(actor, Perm.ADMIT_RESIDENTS)
    beds = queries.free_beds(actor, home_id)
    form = forms.AdmitForm(request.POST or None, beds=beds,
                           initial={"admitted_on": timezone.localdate()})
    if request.method == "POST":
        stay = submit(form, services.admit_resident, actor=actor, home_id=home_id)
        if stay:
            messages.success(request, f"{stay.person.name} 已办理入住")
            return redirect("residents:detail", person_id=stay.person_id)
    return render(request, "residents/admit.html", {"form": form, "free": len(beds)},
                  status=400 if form.is_bound else 200)


def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = queries.resident(actor, person_id)
    stays = list(queries.stays_of(actor, person))
    current = stays[0] if stays else None
    can_admit = actor.can(Perm.ADMIT_RESIDENTS) and current and current.home_id == actor.org_id
    actions = []
    if can_admit:
        # Admission starts a stay; the buttons are the other allowed transitions, in order.
        allowed = allowed_events(StayStatus(current.status))
        actions = [e for e in StayEvent if e in allowed and e != StayEvent.ADMIT]
    return render(request, "residents/detail.html", {
        "person": person, "stays": stays, "current": current, "actions": actions,
        "beds": queries.free_beds(actor, current.home_id) if can_admit else [],
        "events": list(queries.timeline(actor, [s.pk for s in stays])),
        "can_edit_health": actor.can(Perm.EDIT_HEALTH_RECORDS) and person.org_id == actor.org_id,
        "can_reveal": actor.can(Perm.REVEAL_PERSONAL_DATA) and not hides_personal_data(actor),
        "hide_personal": hides_personal_data(actor),
        "can_photo": person.org_id == actor.org_id and (
            actor.can(Perm.ADMIT_RESIDENTS) or actor.can(Perm.EDIT_HEALTH_RECORDS)),
        **followup_views.detail_context(actor, person, current),
        "condition_form": forms.ConditionForm(initial={"judged_on": timezone.localdate()}),
        "vaccination_form": forms.VaccinationForm(initial={"given_on": timezone.localdate()}),
        "contact_form": forms.ContactForm(),
        "condition_url": reverse("residents:add_condition", args=[person.pk]),
        "vaccination_url": reverse("residents:add_vaccination", args=[person.pk]),
        "contact_url": reverse("residents:add_contact", args=[person.pk]),
        **queries.health_record(actor, person),
    })


@require_POST
def change_stay(request: HttpRequest, person_id: int, stay_id: int) -> HttpResponse:
    actor = actor_of(request)
    queries.resident(actor, person_id, Action.CHANGE)
    form = forms.StayChangeForm(request.POST)
    if submit(form, services.change_stay, actor=actor, stay_id=stay_id):
        messages.success(request, "已办理")
    else:
        messages.error(request, form_errors(form))
    return redirect("residents:detail", person_id=person_id)


def _health_post(request: HttpRequest, person_id: int, form_class, action, done: str):  # type: ignore[no-untyped-def]
    actor = actor_of(request)
    form = form_class(request.POST)
    if submit(form, action, actor=actor, person_id=person_id):
        messages.success(request, done)
    else:
        messages.error(request, form_errors(form))
    return redirect(reverse("residents:detail", args=[person_id]) + "#health")


@require_POST
def add_condition(request: HttpRequest, person_id: int) -> HttpResponse:
    return _health_post(request, person_id, forms.ConditionForm, services.record_condition,
                        "已记录基础疾病")


@require_POST
def add_vaccination(request: HttpRequest, person_id: int) -> HttpResponse:
    return _health_post(request, person_id, forms.VaccinationForm, services.record_vaccination,
                        "已记录疫苗接种")


@require_POST
def add_contact(request: HttpRequest, person_id: int) -> HttpResponse:
    return _health_post(request, person_id, forms.ContactForm, services.add_contact,
                        "已添加联系人")


def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = queries.resident(actor, person_id, Action.CHANGE)
    form = forms.PersonForm(request.POST or None, initial={
        "version": person.version, "name": person.name, "document_type": person.document_type,
        "ethnicity": person.ethnicity, "address": person.address})
    if request.method == "POST" and submit(form, services.update_person, actor=actor,
                                           person_id=person.pk):
        messages.success(request, "基本信息已保存")
        return redirect("residents:detail", person_id=person.pk)
    return render(request, "residents/form_page.html",
                  {"form": form, "title": f"修改 {person.name} 的基本信息", "person": person},
                  status=400 if form.is_bound else 200)


def edit_profile(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = queries.resident(actor, person_id, Action.CHANGE)
    profile = queries.health_record(actor, person)["profile"]
    form = forms.ProfileForm(request.POST or None, initial={
        "version": profile.version,
        **{f: getattr(profile, f) for f in forms.ProfileForm.Meta.fields}})
    if request.method == "POST" and submit(form, services.update_profile, actor=actor,
                                           person_id=person.pk):
        messages.success(request, "健康档案已保存")
        return redirect("residents:detail", person_id=person.pk)
    return render(request, "residents/form_page.html",
                  {"form": form, "title": f"{person.name} 的健康与照护档案", "person": person},
                  status=400 if form.is_bound else 200)


@require_POST
def reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    return JsonResponse(services.reveal_person(actor=actor_of(request), person_id=person_id))


def bed_board(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = _own_home(actor)
    beds = queries.bed_board(actor, home_id)
    buildings: dict[str, list] = {}
    for bed in beds:
        buildings.setdefault(bed.room.building.name, []).append(bed)
    occupied = sum(1 for b in beds if b.stay)
    return render(request, "residents/bed_board.html", {
        "buildings": buildings, "total": len(beds), "occupied": occupied,
        "free": sum(1 for b in beds if not b.stay and b.is_active)})


def register(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = actor.org_id if actor.org_kind == OrgKind.HOME else None
    counts = queries.register_counts(actor, home_id)
    bands = list(BAND_LABELS.items())
    table = [{"band": label, "cells": [counts.get((band.value, c.value), 0) for c in Category],
              "total": sum(counts.get((band.value, c.value), 0) for c in Category)}
             for band, label in bands]
    totals = [sum(row["cells"][i] for row in table) for i in range(len(Category))]
    f = filters.ResidentFilter(request.GET, queryset=queries.register(actor, home_id=home_id))
    page = paginate(request, f.qs)
    template = "residents/_rows.html" if request.htmx else "residents/register.html"
    return render(request, template, {
        "table": table, "categories": list(Category), "totals": totals,
        "grand_total": sum(totals), "filter": f, "page": page,
        "chart": {"title": "各年龄段分类人数", "categories": [label for _, label in bands],
                  "series": [{"name": c.label, "color": CATEGORY_COLOURS[c],
                              "data": [counts.get((b.value, c.value), 0) for b, _ in bands]}
                             for c in Category]},
    })
