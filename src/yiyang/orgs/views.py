"""Organisation pages: the card, the facilities (buildings, rooms, beds), staff accounts.

Thin: parse a form, call a service, render. A `DomainError` becomes a form error (nothing is
written) or, outside a form, an error page with the same Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiyang.core.errors import ValidationFailed
from yiyang.core.forms import submit
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, get_visible_or_404
from yiyang.orgs import filters, forms, queries, services
from yiyang.orgs.middleware import actor_of
from yiyang.orgs.models import Bed, Building, NursingHome, Room

# ---- organisation card -------------------------------------------------------------------


def my_org(request: HttpRequest) -> HttpResponse:
    return redirect("orgs:detail", org_id=actor_of(request).org_id)


def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    org = queries.organisation(actor, org_id)
    can_edit = org.pk == actor.org_id and actor.can(Perm.MANAGE_ORG_PROFILE)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "profile": org.profile,
            "can_edit": can_edit,
            "facility_counts": (
                queries.facility_counts(actor, org.pk) if org.kind == OrgKind.HOME else None
            ),
        },
    )


_PROFILE_FORMS = {
    OrgKind.HOME: forms.NursingHomeForm,
    OrgKind.MEDICAL: forms.MedicalInstitutionForm,
}


def org_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    org = queries.organisation(actor, org_id, Action.CHANGE)
    require(actor, Perm.MANAGE_ORG_PROFILE)
    profile = org.profile or org
    form_class = _PROFILE_FORMS.get(org.kind, forms.OrganisationCardForm)
    if request.method == "POST":
        form = form_class(request.POST)
        if submit(form, services.update_organisation, actor=actor, org_id=org.pk):
            messages.success(request, "机构信息已保存")
            return redirect("orgs:detail", org_id=org.pk)
    else:
        form = form_class(
            initial={name: getattr(profile, name, None) for name in form_class.base_fields}
        )
    return render(
        request, "orgs/edit.html", {"org": org, "form": form}, status=400 if form.is_bound else 200
    )


def directory(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    f = filters.OrganisationFilter(request.GET, queryset=queries.organisations(actor))
    page = paginate(request, f.qs)
    template = "orgs/_directory_rows.html" if request.htmx else "orgs/directory.html"
    return render(request, template, {"filter": f, "page": page})


# ---- facilities --------------------------------------------------------------------------


def facilities(request: HttpRequest, org_id: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    home_id = org_id or actor.org_id
    home = get_visible_or_404(NursingHome, actor, pk=home_id)
    can_edit = home.pk == actor.org_id and actor.can(Perm.MANAGE_FACILITIES)
    buildings = list(queries.buildings(actor, home_id=home.pk))
    rooms = list(queries.rooms(actor, home_id=home.pk))
    beds = list(queries.beds(actor, home_id=home.pk))
    for room in rooms:
        room.bed_list = [b for b in beds if b.room_id == room.pk]
    for building in buildings:
        building.room_list = [r for r in rooms if r.building_id == building.pk]
    return render(
        request,
        "orgs/facilities.html",
        {
            "home": home,
            "buildings": buildings,
            "can_edit": can_edit,
            "building_form": forms.BuildingForm(),
            "counts": queries.facility_counts(actor, home.pk),
            "building_create_url": reverse("orgs:building_create"),
        },
    )


def _form_page(request: HttpRequest, form, title: str, back: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "orgs/form_page.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.is_bound else 200,
    )


@require_POST
def building_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = forms.BuildingForm(request.POST)
    if submit(form, services.create_building, actor=actor, home_id=actor.org_id):
        messages.success(request, "楼栋已添加")
        return redirect("orgs:facilities")
    return _form_page(request, form, "添加楼栋", reverse("orgs:facilities"))


def _edit_page(request: HttpRequest, obj, form_class, action, title: str, done: str,  # type: ignore[no-untyped-def]
               **ids: int) -> HttpResponse:
    """GET shows the form filled from `obj` (fields named as on the model); POST saves."""
    back = reverse("orgs:facilities")
    if request.method == "POST":
        form = form_class(request.POST)
        if submit(form, action, actor=actor_of(request), **ids):
            messages.success(request, done)
            return redirect(back)
        return _form_page(request, form, title, back)
    form = form_class(initial={name: getattr(obj, name) for name in form_class.base_fields})
    return _form_page(request, form, title, back)


def building_edit(request: HttpRequest, building_id: int) -> HttpResponse:
    building = get_visible_or_404(Building, actor_of(request), Action.CHANGE, pk=building_id)
    return _edit_page(request, building, forms.BuildingEditForm, services.update_building,
                      f"修改楼栋 {building.name}", "楼栋已保存", building_id=building.pk)


def _delete(request: HttpRequest, action, label: str, **ids: int) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        action(actor=actor_of(request), **ids)
        messages.success(request, f"{label}已删除")
    except ValidationFailed as exc:  # in use: say why; NotFound/Forbidden stay 404/403
        messages.error(request, exc.message)
    return redirect("orgs:facilities")


@require_POST
def building_delete(request: HttpRequest, building_id: int) -> HttpResponse:
    return _delete(request, services.delete_building, "楼栋", building_id=building_id)


@require_POST
def room_create(request: HttpRequest, building_id: int) -> HttpResponse:
    actor = actor_of(request)
    building = get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id)
    form = forms.RoomForm(request.POST)
    if submit(form, services.create_room, actor=actor, building_id=building.pk):
        messages.success(request, "房间已添加")
        return redirect("orgs:facilities")
    return _form_page(request, form, f"在 {building.name} 添加房间", reverse("orgs:facilities"))


def room_edit(request: HttpRequest, room_id: int) -> HttpResponse:
    room = get_visible_or_404(Room, actor_of(request), Action.CHANGE, pk=room_id)
    return _edit_page(request, room, forms.RoomEditForm, services.update_room,
                      f"修改房间 {room}", "房间已保存", room_id=room.pk)


@require_POST
def room_delete(request: HttpRequest, room_id: int) -> HttpResponse:
    return _delete(request, services.delete_room, "房间", room_id=room_id)


@require_POST
def bed_create(request: HttpRequest, room_id: int) -> HttpResponse:
    actor = actor_of(request)
    room = get_visible_or_404(Room, actor, Action.CHANGE, pk=room_id)
    form = forms.BedForm(request.POST)
    if submit(form, services.create_bed, actor=actor, room_id=room.pk):
        messages.success(request, "床位已添加")
        return redirect("orgs:facilities")
    return _form_page(request, form, f"在 {room} 添加床位", reverse("orgs:facilities"))


def bed_edit(request: HttpRequest, bed_id: int) -> HttpResponse:
    bed = get_visible_or_404(Bed, actor_of(request), Action.CHANGE, pk=bed_id)
    return _edit_page(request, bed, forms.BedEditForm, services.update_bed,
                      f"修改床位 {bed}", "床位已保存", bed_id=bed.pk)


@require_POST
def bed_delete(request: HttpRequest, bed_id: int) -> HttpResponse:
    return _delete(request, services.delete_bed, "床位", bed_id=bed_id)


# ---- staff accounts ----------------------------------------------------------------------


def staff(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Perm.MANAGE_STAFF)
    f = filters.StaffFilter(request.GET, queryset=queries.staff(actor, org_id=actor.org_id))
    page = paginate(request, f.qs)
    return render(request, "orgs/staff.html", {"filter": f, "page": page})


def staff_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Perm.MANAGE_STAFF)
    form = forms.StaffCreateForm(request.POST or None, kind=actor.org_kind)
    if request.method == "POST" and submit(
        form, services.create_staff_account, actor=actor, org_id=actor.org_id
    ):
        messages.success(request, "账号已创建")
        return redirect("orgs:staff")
    return _form_page(request, form, "新建人员账号", reverse("orgs:staff"))


def staff_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    membership = get_visible_or_404(queries.staff(actor), actor, Action.CHANGE, pk=membership_id)
    require(actor, Perm.MANAGE_STAFF)
    title = f"修改账号 {membership.user.username}"
    if request.method == "POST":
        form = forms.StaffEditForm(request.POST, kind=actor.org_kind)
        if submit(form, services.update_staff, actor=actor, membership_id=membership.pk):
            messages.success(request, "账号已保存")
            return redirect("orgs:staff")
        return _form_page(request, form, title, reverse("orgs:staff"))
    form = forms.StaffEditForm(
        kind=actor.org_kind,
        initial={
            "version": membership.version,
            "full_name": membership.user.full_name,
            "role": membership.role,
            "title": membership.title,
            "is_active": membership.is_active,
        },
    )
    return _form_page(request, form, title, reverse("orgs:staff"))


def staff_password(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    membership = get_visible_or_404(queries.staff(actor), actor, Action.CHANGE, pk=membership_id)
    require(actor, Perm.MANAGE_STAFF)
    form = forms.PasswordResetForm(request.POST or None)
    if request.method == "POST" and submit(
        form, services.reset_password, actor=actor, membership_id=membership.pk
    ):
        messages.success(request, "密码已重置")
        return redirect("orgs:staff")
    return _form_page(
        request, form, f"重置 {membership.user.username} 的密码", reverse("orgs:staff")
    )


@require_POST
def staff_reveal_phone(request: HttpRequest, membership_id: int) -> HttpResponse:
    phone = services.reveal_phone(actor=actor_of(request), membership_id=membership_id)
    return HttpResponse(phone or "（未登记）")
