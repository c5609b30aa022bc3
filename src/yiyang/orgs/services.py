"""Every write to organisations, facilities and staff: permission, validation, audit, one
transaction (STYLE "writes"). Views and the API call these; they never save models."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from yiyang.core import audit
from yiyang.core.errors import ValidationFailed
from yiyang.core.identifiers import InvalidCreditCode, parse_credit_code
from yiyang.core.permissions import ADMIN_ROLES, ROLE_KIND, OrgKind, Perm, Role, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_int, clean_mobile, clean_text
from yiyang.core.writes import save_changes
from yiyang.orgs.models import (
    ApiToken,
    Bed,
    Building,
    MedicalInstitution,
    Membership,
    NursingHome,
    Organisation,
    Room,
    User,
)

durable = transaction.atomic(durable=True)


def _duplicate(code: str, message: str, field: str) -> ValidationFailed:
    return ValidationFailed(code, message, field=field)


# ---- organisation card and profile -------------------------------------------------------

_CARD_FIELDS = {"name", "short_name", "address", "phone", "credit_code"}
_PROFILE_FIELDS = {
    OrgKind.HOME: {
        "category",
        "ownership",
        "bed_capacity",
        "has_medical_unit",
        "medical_unit_type",
        "medical_filing_no",
        "is_integrated",
    },
    OrgKind.MEDICAL: {"type", "grade", "license_no"},
    OrgKind.COMMUNITY: set(),
    OrgKind.REGULATOR: set(),
}


@durable
def update_organisation(*, actor: Actor, org_id: int, version: int | None, **changes: Any):
    base = get_visible_or_404(Organisation, actor, Action.CHANGE, pk=org_id)
    require(actor, Perm.MANAGE_ORG_PROFILE)
    org = base.profile or base
    allowed = _CARD_FIELDS | _PROFILE_FIELDS[base.kind]
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed("unknown_field", f"不能修改：{'、'.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = clean_text(changes["name"], field="name", label="名称", max_length=100)
    if "credit_code" in changes:
        try:
            changes["credit_code"] = parse_credit_code(changes["credit_code"])
        except InvalidCreditCode as exc:
            raise ValidationFailed("invalid_credit_code", str(exc), field="credit_code") from exc
        if (
            Organisation.objects.filter(credit_code=changes["credit_code"])
            .exclude(pk=org.pk)
            .exists()
        ):
            raise _duplicate(
                "duplicate_credit_code", "该统一社会信用代码已被其他机构使用", "credit_code"
            )
    if "bed_capacity" in changes:
        changes["bed_capacity"] = clean_int(
            changes["bed_capacity"], field="bed_capacity", label="核定床位数", low=0, high=20000
        )
    if isinstance(org, NursingHome):
        for name, choices, label in (("category", NursingHome.Category, "类别"),
                                     ("ownership", NursingHome.Ownership, "性质")):
            if name in changes and changes[name] not in choices.values:
                raise ValidationFailed(f"invalid_{name}", f"{label}无效", field=name)
        has_unit = changes.get("has_medical_unit", org.has_medical_unit)
        if has_unit and not changes.get("medical_unit_type", org.medical_unit_type):
            raise ValidationFailed(
                "medical_unit_type_required",
                "有内设医疗机构时请选择其类型",
                field="medical_unit_type",
            )
        if not has_unit:
            changes["medical_unit_type"] = ""
    if isinstance(org, MedicalInstitution) and changes.get("type", org.type) not in (
        MedicalInstitution.Type.values
    ):
        raise ValidationFailed("invalid_type", "机构类型无效", field="type")
    return save_changes(actor, org, version, changes, "orgs.organisation.update")


# ---- buildings, rooms, beds --------------------------------------------------------------


def _home_for_facilities(actor: Actor, home_id: int) -> NursingHome:
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
    require(actor, Perm.MANAGE_FACILITIES)
    return home


def _clean_building(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "name" in out:
        out["name"] = clean_text(out["name"], field="name", label="楼栋名称", max_length=40)
    if "floors" in out:
        out["floors"] = clean_int(out["floors"], field="floors", label="楼层数", low=1, high=60)
    if "note" in out:
        out["note"] = clean_text(
            out["note"], field="note", label="备注", max_length=200, required=False
        )
    return out


@durable
def create_building(
    *,
    actor: Actor,
    home_id: int,
    name: str,
    is_independent: bool = False,
    floors: int = 1,
    note: str = "",
) -> Building:
    home = _home_for_facilities(actor, home_id)
    data = _clean_building({"name": name, "floors": floors, "note": note})
    if Building.objects.filter(home=home, name=data["name"]).exists():
        raise _duplicate("duplicate_building", f"本机构已有名为“{data['name']}”的楼栋", "name")
    building = Building.objects.create(
        home=home, region_code=home.region_code, is_independent=bool(is_independent), **data
    )
    ensure_visible(building, actor)
    audit.record(actor, "orgs.building.create", building, changes=audit.created(building))
    return building


@durable
def update_building(
    *, actor: Actor, building_id: int, version: int | None, **changes: Any
) -> Building:
    building = get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id)
    require(actor, Perm.MANAGE_FACILITIES)
    data = _clean_building(
        {k: v for k, v in changes.items() if k in {"name", "floors", "note", "is_independent"}}
    )
    if (
        "name" in data
        and Building.objects.filter(home_id=building.home_id, name=data["name"])
        .exclude(pk=building.pk)
        .exists()
    ):
        raise _duplicate("duplicate_building", f"本机构已有名为“{data['name']}”的楼栋", "name")
    if "floors" in data and building.rooms.filter(floor__gt=data["floors"]).exists():
        raise ValidationFailed("rooms_above", "有房间位于更高楼层，不能减少楼层数", field="floors")
    return save_changes(actor, building, version, data, "orgs.building.update")


def _delete(actor: Actor, obj: Any, action: str, blocked: str) -> None:
    # Audit first (the row still has its pk); a refused delete rolls the audit back too.
    audit.record(actor, action, obj, changes={k: [v, None] for k, v in audit.snapshot(obj).items()})
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, IntegrityError) as exc:
        raise ValidationFailed("in_use", blocked) from exc


@durable
def delete_building(*, actor: Actor, building_id: int) -> None:
    building = get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id)
    require(actor, Perm.MANAGE_FACILITIES)
    if building.rooms.exists():
        raise ValidationFailed("not_empty", "楼栋内还有房间，请先删除房间")
    _delete(actor, building, "orgs.building.delete", "楼栋仍在使用，不能删除")


def _clean_room(data: dict[str, Any], building: Building) -> dict[str, Any]:
    out = dict(data)
    if "number" in out:
        out["number"] = clean_text(out["number"], field="number", label="房间号", max_length=20)
    if "floor" in out:
        out["floor"] = clean_int(
            out["floor"], field="floor", label="楼层", low=-5, high=building.floors
        )
    return out


@durable
def create_room(
    *,
    actor: Actor,
    building_id: int,
    number: str,
    floor: int = 1,
    is_single: bool = False,
    beds: int = 0,
) -> Room:
    building = get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id)
    require(actor, Perm.MANAGE_FACILITIES)
    data = _clean_room({"number": number, "floor": floor}, building)
    beds = clean_int(beds, field="beds", label="床位数", low=0, high=1 if is_single else 20)
    if Room.objects.filter(building=building, number=data["number"]).exists():
        raise _duplicate("duplicate_room", f"{building.name}已有 {data['number']} 房间", "number")
    room = Room.objects.create(
        home_id=building.home_id,
        building=building,
        region_code=building.region_code,
        is_single=bool(is_single),
        **data,
    )
    Bed.objects.bulk_create(
        Bed(home_id=room.home_id, room=room, region_code=room.region_code, label=str(i))
        for i in range(1, beds + 1)
    )
    ensure_visible(room, actor)
    audit.record(
        actor, "orgs.room.create", room, changes={**audit.created(room), "beds": [None, beds]}
    )
    return room


@durable
def update_room(*, actor: Actor, room_id: int, version: int | None, **changes: Any) -> Room:
    room = get_visible_or_404(
        Room.objects.select_related("building"), actor, Action.CHANGE, pk=room_id
    )
    require(actor, Perm.MANAGE_FACILITIES)
    data = _clean_room(
        {k: v for k, v in changes.items() if k in {"number", "floor", "is_single"}}, room.building
    )
    if (
        "number" in data
        and Room.objects.filter(building_id=room.building_id, number=data["number"])
        .exclude(pk=room.pk)
        .exists()
    ):
        raise _duplicate(
            "duplicate_room", f"{room.building.name}已有 {data['number']} 房间", "number"
        )
    if data.get("is_single") and room.beds.count() > 1:
        raise ValidationFailed(
            "too_many_beds", "房间已有多张床位，不能设为单人间", field="is_single"
        )
    return save_changes(actor, room, version, data, "orgs.room.update")


@durable
def delete_room(*, actor: Actor, room_id: int) -> None:
    room = get_visible_or_404(Room, actor, Action.CHANGE, pk=room_id)
    require(actor, Perm.MANAGE_FACILITIES)
    if room.beds.exists():
        raise ValidationFailed("not_empty", "房间内还有床位，请先删除床位")
    _delete(actor, room, "orgs.room.delete", "房间仍在使用，不能删除")


def _check_bed_label(room: Room, label: str, exclude: int | None = None) -> str:
    label = clean_text(label, field="label", label="床号", max_length=20)
    clash = Bed.objects.filter(room=room, label=label)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise _duplicate("duplicate_bed", f"{room} 已有 {label} 号床", "label")
    return label


@durable
def create_bed(*, actor: Actor, room_id: int, label: str, is_active: bool = True) -> Bed:
    room = get_visible_or_404(
        Room.objects.select_related("building"), actor, Action.CHANGE, pk=room_id
    )
    require(actor, Perm.MANAGE_FACILITIES)
    label = _check_bed_label(room, label)
    if room.is_single and room.beds.exists():
        raise ValidationFailed("single_room_full", "单人间只能设置一张床位", field="label")
    bed = Bed.objects.create(
        home_id=room.home_id,
        room=room,
        region_code=room.region_code,
        label=label,
        is_active=bool(is_active),
    )
    ensure_visible(bed, actor)
    audit.record(actor, "orgs.bed.create", bed, changes=audit.created(bed))
    return bed


@durable
def update_bed(*, actor: Actor, bed_id: int, version: int | None, **changes: Any) -> Bed:
    bed = get_visible_or_404(
        Bed.objects.select_related("room__building"), actor, Action.CHANGE, pk=bed_id
    )
    require(actor, Perm.MANAGE_FACILITIES)
    data = {k: v for k, v in changes.items() if k in {"label", "is_active"}}
    if "label" in data:
        data["label"] = _check_bed_label(bed.room, data["label"], exclude=bed.pk)
    return save_changes(actor, bed, version, data, "orgs.bed.update")


@durable
def delete_bed(*, actor: Actor, bed_id: int) -> None:
    bed = get_visible_or_404(Bed, actor, Action.CHANGE, pk=bed_id)
    require(actor, Perm.MANAGE_FACILITIES)
    _delete(actor, bed, "orgs.bed.delete", "床位有入住记录，不能删除，可改为停用")


# ---- staff accounts ----------------------------------------------------------------------


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed("weak_password", "；".join(exc.messages), field="password") from exc


def _check_role(org: Organisation, role: str) -> None:
    if role not in Role.values or ROLE_KIND[role] != org.kind:
        raise ValidationFailed("invalid_role", "该角色不适用于本机构", field="role")


@durable
def create_staff_account(
    *,
    actor: Actor,
    org_id: int,
    username: str,
    full_name: str,
    role: str,
    password: str,
    phone: str = "",
    title: str = "",
) -> Membership:
    org = get_visible_or_404(Organisation, actor, Action.CHANGE, pk=org_id)
    require(actor, Perm.MANAGE_STAFF)
    _check_role(org, role)
    username = clean_text(username, field="username", label="用户名", max_length=150)
    if not username.isascii() or not username.replace("_", "").replace(".", "").isalnum():
        raise ValidationFailed(
            "invalid_username", "用户名只能包含英文字母、数字、下划线和点", field="username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise _duplicate("duplicate_username", "该用户名已被占用", "username")
    user = User(
        username=username,
        full_name=clean_text(full_name, field="full_name", label="姓名", max_length=50),
        phone=clean_mobile(phone),
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(
        user=user,
        org=org,
        role=role,
        region_code=org.region_code,
        title=clean_text(title, field="title", label="职务", max_length=40, required=False),
    )
    ensure_visible(membership, actor)
    audit.record(
        actor,
        "orgs.staff.create",
        membership,
        changes={
            **audit.created(membership),
            "username": [None, username],
            "phone": [None, audit.REDACTED if user.phone else ""],
        },
    )
    return membership


def _admin_lockout(actor: Actor, membership: Membership, role: str, active: bool) -> None:
    """An organisation keeps at least one active administrator."""
    if membership.role not in ADMIN_ROLES or (role in ADMIN_ROLES and active):
        return
    others = Membership.objects.filter(
        org_id=membership.org_id, role__in=ADMIN_ROLES, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationFailed("last_admin", "本机构至少需要保留一名有效的管理员")


@durable
def update_staff(
    *, actor: Actor, membership_id: int, version: int | None, **changes: Any
) -> Membership:
    membership = get_visible_or_404(
        Membership.objects.select_related("org", "user"), actor, Action.CHANGE, pk=membership_id
    )
    require(actor, Perm.MANAGE_STAFF)
    data: dict[str, Any] = {k: v for k, v in changes.items() if k in {"role", "title", "is_active"}}
    if "role" in data:
        _check_role(membership.org, data["role"])
    if "title" in data:
        data["title"] = clean_text(
            data["title"], field="title", label="职务", max_length=40, required=False
        )
    _admin_lockout(
        actor,
        membership,
        data.get("role", membership.role),
        bool(data.get("is_active", membership.is_active)),
    )
    user_changes: dict[str, Any] = {}
    if "full_name" in changes:
        user_changes["full_name"] = clean_text(
            changes["full_name"], field="full_name", label="姓名", max_length=50
        )
    if "phone" in changes:
        user_changes["phone"] = clean_mobile(changes["phone"])
    result = save_changes(actor, membership, version, data, "orgs.staff.update")
    if user_changes:
        user = membership.user
        before = audit.snapshot(user, user_changes)
        for name, value in user_changes.items():
            setattr(user, name, value)
        user.save(
            update_fields=[*user_changes, "phone_index"]
            if "phone" in user_changes
            else list(user_changes)
        )
        audit.record(
            actor,
            "orgs.staff.update_user",
            membership,
            changes=audit.diff(before, audit.snapshot(user, user_changes)),
        )
    return result


@durable
def reset_password(*, actor: Actor, membership_id: int, password: str) -> None:
    membership = get_visible_or_404(
        Membership.objects.select_related("user"), actor, Action.CHANGE, pk=membership_id
    )
    require(actor, Perm.MANAGE_STAFF)
    user = membership.user
    if user.memberships.exclude(org_id=actor.org_id).exists():
        raise ValidationFailed("foreign_account", "该账号同时属于其他机构，请由本人修改密码")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor, "orgs.staff.reset_password", membership, changes={"password": ["", "已重置"]}
    )


@durable
def reveal_phone(*, actor: Actor, membership_id: int) -> str:
    """Show a staff member's full phone number: a permission, and always audited."""
    membership = get_visible_or_404(
        Membership.objects.select_related("user"), actor, pk=membership_id
    )
    require(actor, Perm.REVEAL_PERSONAL_DATA)
    audit.record(actor, "core.reveal", membership, changes={"field": "phone"})
    return membership.user.phone


# ---- sessions and tokens -----------------------------------------------------------------


@durable
def record_switch(*, actor: Actor) -> None:
    """Audit that a user now acts through another membership (the view sets the session)."""
    audit.record(
        actor,
        "orgs.membership.switch",
        None,
        object_type="orgs.membership",
        object_org_id=actor.org_id,
        object_repr=f"{actor.org_name} {actor.role}",
    )


@durable
def issue_token(*, actor: Actor, label: str = "") -> str:
    """A new API token acting as the actor's membership; only its digest is stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership_id=actor.membership_id,
        digest=ApiToken.digest_of(raw),
        prefix=raw[:8],
        label=label[:60],
    )
    audit.record(
        actor,
        "orgs.token.issue",
        token,
        object_org_id=actor.org_id,
        object_repr=f"token {token.prefix}…",
    )
    return raw
