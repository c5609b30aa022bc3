"""Writes of readiness (issue 7 item 5): staff posts and vaccination, supplies, support teams,
closed management and its shift rotation. Permission, scope, validation, audit, one
transaction each.

Homes write their own rows with `Perm.MANAGE_INFECTION_READINESS` (manager, nurse, doctor);
city and province regulators keep their support teams with `Perm.MANAGE_REGIONAL_READINESS`
(`Action.CHANGE` on a regulator's row is its own organisation, `core.scope`).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_int, clean_mobile, clean_text
from yiyang.core.versioning import bump
from yiyang.core.writes import save_changes
from yiyang.orgs.models import Membership, NursingHome, Regulator

from . import readiness_rules as rr
from .models import (
    ClosedManagement,
    ShiftAssignment,
    StaffDose,
    StaffPost,
    SupplyMovement,
    SupplyStock,
    SupportTeam,
    SupportTeamMember,
    SupportTeamTraining,
)

__all__ = [
    "add_shift", "add_team_member", "create_team", "end_closed_management",
    "open_stock_lines", "record_staff_dose", "record_supply_movement", "record_team_training",
    "set_measures", "set_staff_post", "set_supply_minimum", "start_closed_management",
]


def _who(actor: Actor) -> str:
    return actor.display_name or actor.username


def _date(value: object, *, field: str, label: str, future_ok: bool = False) -> date:
    if not isinstance(value, date):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if not future_ok and value > timezone.localdate():
        raise ValidationFailed("future_date", f"{label}不能晚于今天", field=field)
    return value


def _home_staff(actor: Actor, membership_id: int) -> Membership:
    """A staff member of the actor's own home (anything else answers 404)."""
    membership = get_visible_or_404(Membership.objects.select_related("org", "user"), actor,
                                    Action.CHANGE, pk=membership_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    if membership.org.kind != OrgKind.HOME:
        raise Forbidden("只有养老机构工作人员需要登记岗位和疫苗接种")
    return membership


# ---------------------------------------------------------------- staff (item 10)

@transaction.atomic()
def set_staff_post(*, actor: Actor, membership_id: int, post: str, direct_contact: bool,
                   version: int | None = None) -> StaffPost:
    membership = _home_staff(actor, membership_id)
    post = clean_text(post, field="post", label="岗位", max_length=40, required=False)
    current = StaffPost.objects.filter(membership=membership).first()
    if current is None:
        current = StaffPost.objects.create(home_id=membership.org_id, membership=membership,
                                           region_code=membership.org.region_code, post=post,
                                           direct_contact=bool(direct_contact))
        ensure_visible(current, actor, Action.CHANGE)
        audit.record(actor, "infection.staff.post", current, changes=audit.created(current))
        return current
    return save_changes(actor, current, version,
                        {"post": post, "direct_contact": bool(direct_contact)},
                        "infection.staff.post")


@transaction.atomic()
def record_staff_dose(*, actor: Actor, membership_id: int, kind: str, given_on: date,
                      product: str = "", deferred_until: date | None = None,
                      reason: str = "") -> StaffDose:
    membership = _home_staff(actor, membership_id)
    if kind not in StaffDose.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择接种类别", field="kind")
    given_on = _date(given_on, field="given_on", label="日期")
    if kind in (StaffDose.Kind.PRIMARY, StaffDose.Kind.BOOSTER):
        if product not in rr.COURSE_DOSES:
            raise ValidationFailed("invalid_choice", "请选择疫苗类型", field="product")
        reason, deferred_until = "", None
    else:
        product = ""
        reason = clean_text(reason, field="reason", label="原因", max_length=200)
        if kind == StaffDose.Kind.DEFERRAL:
            if deferred_until is not None and deferred_until < given_on:
                raise ValidationFailed("before_start", "暂缓至日期不能早于登记日期",
                                       field="deferred_until")
        else:
            deferred_until = None
    dose = StaffDose.objects.create(
        home_id=membership.org_id, membership=membership, region_code=membership.org.region_code,
        kind=kind, given_on=given_on, product=product, deferred_until=deferred_until,
        reason=reason, recorded_by=_who(actor))
    ensure_visible(dose, actor, Action.CHANGE)
    audit.record(actor, "infection.staff.dose", dose, changes=audit.created(dose))
    return dose


# ---------------------------------------------------------------- supplies (item 7)

def _own_home(actor: Actor, home_id: int | None) -> NursingHome:
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("由养老机构登记")
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id or actor.org_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    return home


@transaction.atomic()
def open_stock_lines(*, actor: Actor, home_id: int | None = None) -> int:
    """Create the home's missing stock lines at the default minimums; how many were made."""
    home = _own_home(actor, home_id)
    have = set(SupplyStock.objects.filter(home=home).values_list("kind", flat=True))
    made = [SupplyStock(home=home, region_code=home.region_code, kind=k.code, minimum=k.minimum)
            for k in rr.SUPPLY_KINDS if k.code not in have]
    SupplyStock.objects.bulk_create(made)
    if made:
        audit.record(actor, "infection.supplies.open", home,
                     changes={"kinds": [None, [s.kind for s in made]]})
    return len(made)


@transaction.atomic()
def set_supply_minimum(*, actor: Actor, stock_id: int, version: int, minimum: int) -> SupplyStock:
    stock = get_visible_or_404(SupplyStock, actor, Action.CHANGE, pk=stock_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    minimum = clean_int(minimum, field="minimum", label="最低储备", low=0, high=1_000_000)
    return save_changes(actor, stock, version, {"minimum": minimum}, "infection.supplies.minimum")


@transaction.atomic()
def record_supply_movement(*, actor: Actor, stock_id: int, kind: str, quantity: int,
                           on: date | None = None, note: str = "") -> SupplyMovement:
    """A receipt, a use or a stocktake count; the stock line's level follows."""
    stock = get_visible_or_404(SupplyStock, actor, Action.CHANGE, pk=stock_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    quantity = clean_int(quantity, field="quantity", label="数量", low=0, high=1_000_000)
    if kind not in SupplyMovement.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择出入库类型", field="kind")
    on = _date(on or timezone.localdate(), field="on", label="日期")
    try:
        balance = rr.apply_movement(stock.on_hand, kind, quantity)
    except ValueError as exc:
        raise ValidationFailed("bad_quantity", str(exc), field="quantity") from exc
    before = stock.on_hand
    bump(stock, stock.version)  # claims the row: two simultaneous uses cannot both pass
    stock.on_hand = balance
    stock.save(update_fields=["on_hand", "updated_at"])
    move = SupplyMovement.objects.create(
        home_id=stock.home_id, region_code=stock.region_code, stock=stock, kind=kind,
        quantity=quantity, on=on, balance=balance, recorded_by=_who(actor),
        note=clean_text(note, field="note", label="说明", max_length=200, required=False))
    ensure_visible(move, actor, Action.CHANGE)
    audit.record(actor, f"infection.supplies.{kind}", stock,
                 changes={"on_hand": [before, balance], "quantity": [None, quantity]})
    return move


# ---------------------------------------------------------------- support teams (item 8)

@transaction.atomic()
def create_team(*, actor: Actor, name: str, leader: str = "", note: str = "") -> SupportTeam:
    """A city or province regulator forms a support team (seed 001 item 8)."""
    require(actor, Perm.MANAGE_REGIONAL_READINESS)
    regulator = Regulator.objects.filter(pk=actor.org_id).first()
    if regulator is None or regulator.level not in (Regulator.Level.CITY,
                                                    Regulator.Level.PROVINCE):
        raise Forbidden("应急支援队伍由省级或设区的市级部门组建")
    team = SupportTeam.objects.create(
        regulator=regulator, region_code=regulator.region_code,
        name=clean_text(name, field="name", label="队伍名称", max_length=60),
        leader=clean_text(leader, field="leader", label="队长", max_length=50, required=False),
        note=clean_text(note, field="note", label="说明", max_length=300, required=False))
    ensure_visible(team, actor, Action.CHANGE)
    audit.record(actor, "infection.team.create", team, changes=audit.created(team))
    return team


def _own_team(actor: Actor, team_id: int) -> SupportTeam:
    team = get_visible_or_404(SupportTeam, actor, Action.CHANGE, pk=team_id)
    require(actor, Perm.MANAGE_REGIONAL_READINESS)
    return team


@transaction.atomic()
def add_team_member(*, actor: Actor, team_id: int, name: str, profession: str,
                    employer: str = "", phone: str = "") -> SupportTeamMember:
    team = _own_team(actor, team_id)
    member = SupportTeamMember.objects.create(
        regulator_id=team.regulator_id, region_code=team.region_code, team=team,
        name=clean_text(name, field="name", label="姓名", max_length=50),
        profession=clean_text(profession, field="profession", label="专业", max_length=40),
        employer=clean_text(employer, field="employer", label="工作单位", max_length=100,
                            required=False),
        phone=clean_mobile(phone))
    ensure_visible(member, actor, Action.CHANGE)
    audit.record(actor, "infection.team.member", member, changes=audit.created(member))
    return member


@transaction.atomic()
def record_team_training(*, actor: Actor, team_id: int, trained_on: date, topic: str,
                         trainer: str = "", attendees: int = 0) -> SupportTeamTraining:
    team = _own_team(actor, team_id)
    training = SupportTeamTraining.objects.create(
        regulator_id=team.regulator_id, region_code=team.region_code, team=team,
        trained_on=_date(trained_on, field="trained_on", label="培训日期"),
        topic=clean_text(topic, field="topic", label="培训内容", max_length=100),
        trainer=clean_text(trainer, field="trainer", label="培训单位", max_length=100,
                           required=False),
        attendees=clean_int(attendees or 0, field="attendees", label="参训人数", low=0,
                            high=1000))
    ensure_visible(training, actor, Action.CHANGE)
    audit.record(actor, "infection.team.training", training, changes=audit.created(training))
    return training


# ---------------------------------------------------------------- closed management (19–20)

def _measures(codes: list[str] | None) -> list[str]:
    try:
        return rr.check_measures(codes or [])
    except ValueError as exc:
        raise ValidationFailed("invalid_choice", str(exc), field="measures") from exc


@transaction.atomic()
def start_closed_management(*, actor: Actor, started_on: date, measures: list[str] | None = None,
                            note: str = "", home_id: int | None = None) -> ClosedManagement:
    home = _own_home(actor, home_id)
    if ClosedManagement.objects.filter(home=home, ended_on__isnull=True).exists():
        raise Conflict("本机构已在封闭管理中", code="already_closed")
    closure = ClosedManagement.objects.create(
        home=home, region_code=home.region_code,
        started_on=_date(started_on, field="started_on", label="开始日期"),
        measures=_measures(measures), started_by=_who(actor),
        note=clean_text(note, field="note", label="说明", max_length=300, required=False))
    ensure_visible(closure, actor, Action.CHANGE)
    audit.record(actor, "infection.closure.start", closure, changes=audit.created(closure))
    return closure


def _open_closure(actor: Actor, closure_id: int) -> ClosedManagement:
    closure = get_visible_or_404(ClosedManagement, actor, Action.CHANGE, pk=closure_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    if closure.ended_on is not None:
        raise ValidationFailed("closure_ended", "封闭管理已经结束")
    return closure


@transaction.atomic()
def set_measures(*, actor: Actor, closure_id: int, version: int, measures: list[str],
                 note: str | None = None) -> ClosedManagement:
    closure = _open_closure(actor, closure_id)
    data: dict = {"measures": _measures(measures)}
    if note is not None:
        data["note"] = clean_text(note, field="note", label="说明", max_length=300,
                                  required=False)
    return save_changes(actor, closure, version, data, "infection.closure.measures")


@transaction.atomic()
def end_closed_management(*, actor: Actor, closure_id: int, version: int,
                          ended_on: date | None = None) -> ClosedManagement:
    closure = _open_closure(actor, closure_id)
    ended_on = _date(ended_on or timezone.localdate(), field="ended_on", label="结束日期")
    if ended_on < closure.started_on:
        raise ValidationFailed("before_start", "结束日期不能早于开始日期", field="ended_on")
    return save_changes(actor, closure, version, {"ended_on": ended_on},
                        "infection.closure.end")


@transaction.atomic()
def add_shift(*, actor: Actor, closure_id: int, membership_id: int, team: str, start_on: date,
              end_on: date) -> ShiftAssignment:
    """An on-duty period in the rotation plan. Overlapping periods of one person are refused;
    periods past the allowed length or with too short a rest are accepted and flagged
    (`readiness_rules.rotation_flags`)."""
    closure = _open_closure(actor, closure_id)
    membership = get_visible_or_404(Membership, actor, Action.CHANGE, pk=membership_id)
    if membership.org_id != closure.home_id:
        raise ValidationFailed("not_staff", "只能安排本机构工作人员", field="membership_id")
    start_on = _date(start_on, field="start_on", label="在岗开始", future_ok=True)
    end_on = _date(end_on, field="end_on", label="在岗结束", future_ok=True)
    if end_on < start_on:
        raise ValidationFailed("before_start", "在岗结束不能早于在岗开始", field="end_on")
    if start_on < closure.started_on:
        raise ValidationFailed("before_closure", "在岗开始不能早于封闭管理开始日期",
                               field="start_on")
    for other in ShiftAssignment.objects.filter(closure=closure, membership=membership):
        if rr.overlaps(start_on, end_on, other.start_on, other.end_on):
            raise ValidationFailed(
                "overlap", f"与该员工 {other.start_on}–{other.end_on} 的班次重叠",
                field="start_on")
    shift = ShiftAssignment.objects.create(
        home_id=closure.home_id, region_code=closure.region_code, closure=closure,
        membership=membership, start_on=start_on, end_on=end_on,
        team=clean_text(team, field="team", label="班组", max_length=20))
    ensure_visible(shift, actor, Action.CHANGE)
    audit.record(actor, "infection.closure.shift", shift, changes=audit.created(shift))
    return shift
