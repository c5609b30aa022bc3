"""Writes of family beds (家庭病床, catalogue item 11): open when the criteria are confirmed,
ward rounds while open, close with an outcome (`family_bed_rules`).

The contracted medical institution sets the bed up and runs it (seed 003 item 11), so only its
doctors write here, under an agreement in force that includes item 11.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import family_bed_rules as bed_rules
from . import rules
from .models import Agreement, FamilyBed, FamilyBedRound
from .services import side_of

durable = transaction.atomic(durable=True)
FAMILY_BED_ITEM = 11


def _not_future(day: date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed("future_date", f"{label}不能晚于今天", field=field)


def _in_force_on(agreement: Agreement, day: date) -> bool:
    return rules.is_access_active(day, start=agreement.start_on, end=agreement.end_on,
                                  state=agreement.state, terminated_on=agreement.terminated_on)


def _medical_side(actor: Actor, agreement: Agreement) -> None:
    require(actor, Perm.RECORD_PATROL)
    if side_of(actor, agreement) != "medical":
        raise Forbidden("家庭病床由签约的医疗卫生机构设立和管理")


def can_open(actor: Actor, agreement: Agreement) -> bool:
    """Whether the actor may open a family bed under this agreement today (the page's form)."""
    return (side_of(actor, agreement) == "medical" and actor.can(Perm.RECORD_PATROL)
            and FAMILY_BED_ITEM in agreement.items
            and _in_force_on(agreement, timezone.localdate()))


@durable
def open_family_bed(*, actor: Actor, agreement_id: int, person_id: int, diagnosis: str,
                    criteria: Iterable[str], responsible_doctor: str, care_plan: str = "",
                    round_interval_days: int = bed_rules.DEFAULT_ROUND_INTERVAL_DAYS,
                    opened_on: date | None = None) -> FamilyBed:
    agreement = get_visible_or_404(Agreement, actor, Action.CHANGE, pk=agreement_id)
    _medical_side(actor, agreement)
    if FAMILY_BED_ITEM not in agreement.items:
        raise ValidationFailed("item_not_agreed", "协议未约定第 11 项（家庭病床），不能建床")
    day = opened_on or timezone.localdate()
    _not_future(day, "opened_on", "建床日期")
    if not _in_force_on(agreement, day):
        raise ValidationFailed("not_in_force", "建床日期不在协议有效期内", field="opened_on")
    try:
        confirmed = bed_rules.check_criteria(criteria)
        interval = bed_rules.check_round_interval(round_interval_days)
    except ValueError as exc:
        raise ValidationFailed("criteria", str(exc), field="criteria") from exc
    if not Stay.objects.filter(person_id=person_id, home_id=agreement.home_id,
                               status__in=OPEN_STATUSES).exists():
        raise ValidationFailed("not_resident", "该老人不在签约养老机构入住", field="person_id")
    bed = FamilyBed(
        agreement=agreement, home_id=agreement.home_id, region_code=agreement.region_code,
        person_id=person_id, criteria=list(confirmed), round_interval_days=interval,
        diagnosis=clean_text(diagnosis, field="diagnosis", label="明确诊断", max_length=200),
        responsible_doctor=clean_text(responsible_doctor, field="responsible_doctor",
                                      label="责任医生", max_length=100),
        care_plan=clean_text(care_plan, field="care_plan", label="诊疗护理计划",
                             max_length=4000, required=False),
        opened_on=day, opened_by=actor.display_name or actor.username)
    try:
        with transaction.atomic():
            bed.save()
    except IntegrityError as exc:
        raise ValidationFailed("already_open", "该老人已有在床的家庭病床",
                               field="person_id") from exc
    ensure_visible(bed, actor, Action.CHANGE)
    audit.record(actor, "agreements.family_bed.open", bed, changes=audit.created(bed))
    return bed


def _open_bed(actor: Actor, bed_id: int) -> FamilyBed:
    bed = get_visible_or_404(FamilyBed.objects.select_related("agreement"), actor,
                             Action.CHANGE, pk=bed_id)
    _medical_side(actor, bed.agreement)
    if bed.state != bed_rules.BedState.OPENED:
        raise ValidationFailed("closed", "家庭病床已撤床")
    return bed


@durable
def record_round(*, actor: Actor, bed_id: int, done_on: date, findings: str,
                 orders: str = "") -> FamilyBedRound:
    bed = _open_bed(actor, bed_id)
    _not_future(done_on, "done_on", "查床日期")
    if done_on < bed.opened_on:
        raise ValidationFailed("before_opening", "查床日期不能早于建床日期", field="done_on")
    entry = FamilyBedRound.objects.create(
        bed=bed, home_id=bed.home_id, region_code=bed.region_code, done_on=done_on,
        findings=clean_text(findings, field="findings", label="病情记录", max_length=4000),
        orders=clean_text(orders, field="orders", label="处理/医嘱", max_length=4000,
                          required=False),
        recorded_by=actor.display_name or actor.username)
    ensure_visible(entry, actor, Action.CHANGE)
    audit.record(actor, "agreements.family_bed.round", entry, changes=audit.created(entry))
    return entry


@durable
def close_family_bed(*, actor: Actor, bed_id: int, version: int, outcome: str,
                     reason: str = "", closed_on: date | None = None) -> FamilyBed:
    bed = _open_bed(actor, bed_id)
    day = closed_on or timezone.localdate()
    _not_future(day, "closed_on", "撤床日期")
    try:
        result = bed_rules.check_close(opened_on=bed.opened_on, closed_on=day, outcome=outcome,
                                       reason=reason)
    except ValueError as exc:
        raise ValidationFailed("close", str(exc), field="outcome") from exc
    before = audit.snapshot(bed)
    bump(bed, version)
    bed.state, bed.outcome, bed.closed_on = bed_rules.BedState.CLOSED, result.value, day
    bed.close_reason = clean_text(reason, field="reason", label="撤床说明", max_length=300,
                                  required=False)
    bed.save()
    ensure_visible(bed, actor, Action.CHANGE)
    audit.record(actor, "agreements.family_bed.close", bed,
                 changes=audit.diff(before, audit.snapshot(bed)))
    return bed
