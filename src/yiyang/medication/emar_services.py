"""Writes of the medicine stock, the administration record (eMAR) and medication incidents
(issue 6 item 5; seed 002 §二十二: 收取、预备、派发、记录、监测、处置误服和不良反应).

Who writes: the home's own staff only — `Perm.MANAGE_MEDICINE_STOCK` for intake and stock
changes, `Perm.ADMINISTER_MEDICATION` for doses and incidents (nurse, home doctor, manager).
Rows are loaded with `Action.CHANGE`, so a partner doctor (who reads them as clinical data) and
every other organisation get 404.

The eMAR is the only proof that a dose was given: nothing here reads care tasks, and a care task
marked done records nothing here.

Stock arithmetic is exact (`Decimal`, three places) and done in the database with a conditional
``UPDATE … SET on_hand = on_hand - q WHERE on_hand >= q``, so two doses never take the same last
tablet.  Recording a scheduled dose twice hits the unique constraint (order, scheduled time); the
savepoint rolls the second attempt back (its stock change included) and `Conflict` names who
recorded the dose first.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import emar_rules as er
from . import rules
from .models import (
    MedicationAdministration,
    MedicationIncident,
    MedicationOrder,
    MedicineStock,
    StockMovement,
)

__all__ = ["adjust_stock", "check_effect", "dose_window", "handle_incident", "intake",
           "low_stock_days", "near_expiry_days", "record_administration", "report_incident"]


def dose_window() -> int:
    """Minutes either side of a scheduled time within which a dose is on time (default 60)."""
    return int(getattr(settings, "MEDICATION_DOSE_WINDOW_MINUTES", 60))


def near_expiry_days() -> int:
    return int(getattr(settings, "MEDICATION_NEAR_EXPIRY_DAYS", 30))


def low_stock_days() -> int:
    return int(getattr(settings, "MEDICATION_LOW_STOCK_DAYS", 7))


def _name(actor: Actor) -> str:
    return actor.display_name or actor.username


def _rule(exc: er.RuleError) -> ValidationFailed:
    return ValidationFailed(exc.code, exc.message, field=exc.field)


def _quantity(value: object, **kw: Any) -> Decimal:
    try:
        return er.check_quantity(value, **kw)
    except er.RuleError as exc:
        raise _rule(exc) from exc


def _fmt(q: Decimal) -> str:
    """1.000 → "1", 0.500 → "0.5"."""
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _own_home_stay(actor: Actor, person: Person) -> Stay:
    """The resident's open stay in the actor's own home (anything else answers 404)."""
    stay = (Stay.objects.select_related("home")
            .filter(person=person, status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("not_resident", "该老人没有在住记录", field="person_id")
    if actor.org_kind != OrgKind.HOME or stay.home_id != actor.org_id:
        raise NotFound()
    return stay


def _choice(value: str, choices: type, field: str, label: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise ValidationFailed("invalid_choice", f"请选择{label}", field=field)
    return value


def _aware(value: datetime | None, field: str, label: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _not_future(value: datetime, field: str, label: str) -> datetime:
    if value > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed("future_time", f"{label}不能晚于现在", field=field)
    return value


def _move(actor: Actor, stock: MedicineStock, kind: str, delta: Decimal, *, reason: str = "",
          administration: MedicationAdministration | None = None,
          at: datetime | None = None) -> StockMovement:
    return StockMovement.objects.create(
        stock=stock, home_id=stock.home_id, region_code=stock.region_code, kind=kind,
        delta=delta, balance=stock.on_hand, reason=reason, administration=administration,
        actor_name=_name(actor), at=at or timezone.now())


# ---- intake and stock changes -----------------------------------------------------------------

@transaction.atomic()
def intake(*, actor: Actor, person_id: int, drug: str, unit: str, batch_number: str,
           expires_on: date, quantity: Decimal | str | int, storage_location: str,
           handed_over_by: str, strength: str = "", handed_over_relation: str = "",
           source: str = "family", received_at: datetime | None = None,
           note: str = "") -> MedicineStock:
    """Receive a batch of a resident's medicine: the family member (or the clinic) hands it
    over, the actor receives it (both names are kept), and it is stored at `storage_location`."""
    person = get_visible_or_404(Person, actor, pk=person_id)
    require(actor, Perm.MANAGE_MEDICINE_STOCK)
    stay = _own_home_stay(actor, person)
    amount = _quantity(quantity, field="quantity", label="接收数量")
    when = _not_future(_aware(received_at or timezone.now(), "received_at", "接收时间"),
                       "received_at", "接收时间")
    if not isinstance(expires_on, date):
        raise ValidationFailed("required", "请填写有效期", field="expires_on")
    if expires_on < timezone.localdate(when):
        raise ValidationFailed("expired", "该批药品已过有效期，不予接收，请退还家属",
                               field="expires_on")
    stock = MedicineStock(
        person=person, home=stay.home, region_code=stay.home.region_code,
        drug=clean_text(drug, field="drug", label="药品名称", max_length=100),
        strength=clean_text(strength, field="strength", label="规格", max_length=40,
                            required=False),
        unit=clean_text(unit, field="unit", label="计量单位", max_length=10),
        batch_number=clean_text(batch_number, field="batch_number", label="批号", max_length=40),
        expires_on=expires_on, quantity_received=amount, on_hand=amount,
        storage_location=clean_text(storage_location, field="storage_location",
                                    label="存放位置", max_length=60),
        source=_choice(source, MedicineStock.Source, "source", "药品来源"),
        handed_over_by=clean_text(handed_over_by, field="handed_over_by", label="交药人",
                                  max_length=50),
        handed_over_relation=clean_text(handed_over_relation, field="handed_over_relation",
                                        label="交药人关系", max_length=20, required=False),
        received_by=_name(actor), received_by_user_id=actor.user_id, received_at=when,
        note=clean_text(note, field="note", label="备注", max_length=200, required=False))
    stock.save()
    _move(actor, stock, StockMovement.Kind.INTAKE, amount,
          reason=f"{stock.handed_over_by}交药，{stock.received_by}接收", at=when)
    ensure_visible(stock, actor, Action.CHANGE)
    audit.record(actor, "medication.stock.intake", stock, changes=audit.created(stock))
    return stock


ADJUST_KINDS = (StockMovement.Kind.ADJUST, StockMovement.Kind.RETURN, StockMovement.Kind.DISPOSE)


@transaction.atomic()
def adjust_stock(*, actor: Actor, stock_id: int, version: int, kind: str,
                 quantity: Decimal | str | int, reason: str) -> MedicineStock:
    """`adjust`: a stock count found `quantity` on hand (盘点); `return` (退还家属) or `dispose`
    (销毁, e.g. expired): `quantity` leaves the stock.  A batch left empty by a return or a
    disposal is closed."""
    stock = get_visible_or_404(MedicineStock, actor, Action.CHANGE, pk=stock_id)
    require(actor, Perm.MANAGE_MEDICINE_STOCK)
    if kind not in ADJUST_KINDS:
        raise ValidationFailed("invalid_choice", "请选择调整类型", field="kind")
    reason = clean_text(reason, field="reason", label="原因", max_length=200)
    before = audit.snapshot(stock)
    bump(stock, version)
    if stock.status != MedicineStock.Status.ACTIVE:
        raise ValidationFailed("closed", "该批药品已清退")
    if kind == StockMovement.Kind.ADJUST:
        counted = _quantity(quantity, field="quantity", label="盘点数量", allow_zero=True)
        delta = counted - stock.on_hand
        if delta == 0:
            raise ValidationFailed("no_change", "盘点数量与结存一致，无需调整", field="quantity")
        stock.on_hand = counted
    else:
        amount = _quantity(quantity, field="quantity", label="数量")
        if amount > stock.on_hand:
            raise ValidationFailed("insufficient",
                                   f"结存只有 {_fmt(stock.on_hand)} {stock.unit}，"
                                   f"不能{StockMovement.Kind(kind).label} {_fmt(amount)} "
                                   f"{stock.unit}", field="quantity")
        delta = -amount
        stock.on_hand -= amount
        if stock.on_hand == 0:
            stock.status = MedicineStock.Status.CLOSED
    stock.save()
    _move(actor, stock, kind, delta, reason=reason)
    ensure_visible(stock, actor, Action.CHANGE)
    audit.record(actor, f"medication.stock.{kind}", stock,
                 changes={**audit.diff(before, audit.snapshot(stock)), "reason": reason})
    return stock


# ---- administration ---------------------------------------------------------------------------

def scheduled_times(order: MedicationOrder, day: date) -> tuple[str, ...]:
    return rules.doses_on(day, frequency=order.frequency, times=order.times,
                          start_on=order.start_on, stop_on=order.stop_on,
                          stopped_on=order.stopped_on)


def scheduled_datetime(day: date, hhmm: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(int(hhmm[:2]), int(hhmm[3:]))))


def batches_for(person_id: int, drug: str) -> list[MedicineStock]:
    return list(MedicineStock.objects.filter(person_id=person_id, drug=drug.strip(),
                                             status=MedicineStock.Status.ACTIVE)
                .order_by("expires_on", "id"))


def _take(actor: Actor, order: MedicationOrder, quantity: object, stock_id: int | None,
          day: date) -> tuple[MedicineStock, Decimal]:
    """The batch the dose comes from and its quantity in stock units, the stock already
    lowered; or a Chinese refusal."""
    batches = batches_for(order.person_id, order.drug)
    if stock_id:
        batches = [b for b in batches if b.pk == stock_id]
        if not batches:
            raise ValidationFailed("no_stock", f"所选批次不是该老人的“{order.drug}”在用库存",
                                   field="stock_id")
    if not batches or all(b.on_hand == 0 for b in batches):
        raise ValidationFailed("no_stock", f"该老人的“{order.drug}”没有库存，不能登记给药；"
                               "请先登记家属送药或机构发药", field="stock_id")
    unexpired = [b for b in batches if b.expires_on >= day and b.on_hand > 0]
    if not unexpired:
        b = batches[0]
        raise ValidationFailed("expired", f"“{order.drug}”批号 {b.batch_number} 已于 "
                               f"{b.expires_on:%Y-%m-%d} 过期，不能使用；请销毁或退还并补充药品",
                               field="stock_id")
    if quantity in (None, ""):
        per = {er.units_per_dose(order.dose, b.unit, b.strength) for b in unexpired}
        if len(per) != 1 or None in per:
            raise ValidationFailed("quantity_required", f"医嘱剂量“{order.dose}”无法自动换算为"
                                   f"{unexpired[0].unit}数，请填写本次给药数量", field="quantity")
        amount = per.pop()
    else:
        amount = _quantity(quantity, field="quantity", label="给药数量")
    choice = er.pick_batch([er.Batch(b.pk, b.on_hand, b.expires_on) for b in unexpired],
                           amount, day)
    if choice is None:
        left = sum((b.on_hand for b in unexpired), Decimal(0))
        raise ValidationFailed("insufficient_stock",
                               f"“{order.drug}”库存不足：剩余 {_fmt(left)} {unexpired[0].unit}，"
                               f"本次需 {_fmt(amount)} {unexpired[0].unit}，不能登记给药；"
                               "请联系家属补充药品", field="quantity")
    stock = next(b for b in unexpired if b.pk == choice.id)
    taken = (MedicineStock.objects.filter(pk=stock.pk, on_hand__gte=amount,
                                          status=MedicineStock.Status.ACTIVE)
             .update(on_hand=F("on_hand") - amount, version=F("version") + 1,
                     updated_at=timezone.now()))
    if taken != 1:  # another dose took it between the read and the update
        raise Conflict("库存刚被他人使用，请刷新后再登记", code="stock_changed")
    stock.refresh_from_db()
    return stock, amount


def _duplicate(order: MedicationOrder, scheduled_at: datetime) -> Conflict:
    first = (MedicationAdministration.objects
             .filter(order=order, scheduled_at=scheduled_at).first())
    local = timezone.localtime(scheduled_at)
    if first is None:
        return Conflict(f"{local:%m-%d %H:%M} 的这次给药已被登记，请刷新", code="dose_recorded")
    return Conflict(f"{order.person.name} {order.drug} {local:%m-%d %H:%M} 的这次给药已由 "
                    f"{first.recorded_by} 于 {timezone.localtime(first.given_at):%H:%M} 登记为"
                    f"“{first.get_status_display()}”，不能重复登记", code="dose_recorded")


def record_administration(*, actor: Actor, order_id: int, status: str,
                          scheduled_at: datetime | None = None,
                          given_at: datetime | None = None, quantity: object = None,
                          stock_id: int | None = None, reason: str = "",
                          prn_indication_seen: str = "", effect: str = "",
                          note: str = "") -> MedicationAdministration:
    """Record one dose.  Scheduled orders name the dose by `scheduled_at` (one of the order's
    times that day); PRN orders have none and need the indication seen.  A given dose lowers the
    stock by exactly its quantity; held, refused and missed doses need a reason and leave the
    stock alone."""
    order = get_visible_or_404(MedicationOrder.objects.select_related("person"), actor,
                               Action.CHANGE, pk=order_id)
    require(actor, Perm.ADMINISTER_MEDICATION)
    if scheduled_at is not None:
        scheduled_at = _aware(scheduled_at, "scheduled_at", "计划给药时间")
    try:
        with transaction.atomic():
            return _record(actor, order, status=status, scheduled_at=scheduled_at,
                           given_at=given_at, quantity=quantity, stock_id=stock_id,
                           reason=reason, prn_indication_seen=prn_indication_seen,
                           effect=effect, note=note)
    except IntegrityError as exc:
        # The savepoint is rolled back (the stock change with it); only the unique dose
        # constraint becomes a conflict.
        if scheduled_at is None or not MedicationAdministration.objects.filter(
                order=order, scheduled_at=scheduled_at).exists():
            raise
        raise _duplicate(order, scheduled_at) from exc


def _record(actor: Actor, order: MedicationOrder, *, status: str,
            scheduled_at: datetime | None, given_at: datetime | None, quantity: object,
            stock_id: int | None, reason: str, prn_indication_seen: str, effect: str,
            note: str) -> MedicationAdministration:
    try:
        state = er.Status(status)
    except ValueError as exc:
        raise ValidationFailed("invalid_choice", "请选择给药结果", field="status") from exc
    when = _not_future(_aware(given_at or timezone.now(), "given_at", "实际时间"),
                       "given_at", "实际时间")
    reason = clean_text(reason, field="reason", label="原因", max_length=200, required=False)
    indication = clean_text(prn_indication_seen, field="prn_indication_seen",
                            label="用药指征", max_length=200, required=False)
    if order.is_prn:
        if scheduled_at is not None:
            raise ValidationFailed("prn_unscheduled", "“必要时”医嘱没有计划给药时间",
                                   field="scheduled_at")
        if state is er.Status.MISSED:
            raise ValidationFailed("prn_missed", "“必要时”医嘱不登记漏给", field="status")
        if state is er.Status.GIVEN and not indication:
            raise ValidationFailed("required", "请填写本次用药指征（如“血压 185/105 mmHg”）",
                                   field="prn_indication_seen")
        day = timezone.localdate(when)
        if not rules.in_effect(day, start_on=order.start_on, stop_on=order.stop_on,
                               stopped_on=order.stopped_on):
            raise ValidationFailed("not_in_effect", "该医嘱在给药当天不在执行期内",
                                   field="given_at")
        late, off = False, None
    else:
        if scheduled_at is None:
            raise ValidationFailed("required", "请选择本次给药对应的计划时间",
                                   field="scheduled_at")
        local = timezone.localtime(scheduled_at)
        day = local.date()
        if local.strftime("%H:%M") not in scheduled_times(order, day) or local.second:
            raise ValidationFailed("not_scheduled", f"{local:%m-%d %H:%M} 不是该医嘱的给药时间",
                                   field="scheduled_at")
        window = dose_window()
        if scheduled_at > timezone.now() + timedelta(minutes=window):
            raise ValidationFailed("too_early", f"{local:%m-%d %H:%M} 的给药还未到时间窗"
                                   f"（前后 {window} 分钟），不能提前登记", field="scheduled_at")
        late = state is er.Status.GIVEN and er.is_late(scheduled_at, when, window)
        off = er.minutes_off(scheduled_at, when) if state is er.Status.GIVEN else None
    stock, amount = None, None
    if state is er.Status.GIVEN:
        stock, amount = _take(actor, order, quantity, stock_id, timezone.localdate(when))
    elif not reason:
        raise ValidationFailed("required", f"“{state.label}”请填写原因", field="reason")
    record = MedicationAdministration(
        order=order, person=order.person, home_id=order.home_id,
        region_code=order.region_code, scheduled_at=scheduled_at, status=state.value,
        reason=reason, given_at=when, quantity=amount, stock=stock, late=late, minutes_off=off,
        prn_indication_seen=indication,
        effect=clean_text(effect, field="effect", label="效果观察", max_length=200,
                          required=False),
        effect_checked_at=timezone.now() if effect else None,
        note=clean_text(note, field="note", label="备注", max_length=200, required=False),
        recorded_by=_name(actor), recorded_by_user_id=actor.user_id)
    record.save()
    if stock is not None and amount is not None:
        _move(actor, stock, StockMovement.Kind.DOSE, -amount, administration=record, at=when,
              reason=f"{order.drug} {order.dose}")
    ensure_visible(record, actor, Action.CHANGE)
    audit.record(actor, f"medication.dose.{state.value}", record,
                 changes=audit.created(record))
    return record


@transaction.atomic()
def check_effect(*, actor: Actor, administration_id: int, version: int,
                 effect: str) -> MedicationAdministration:
    """The effect seen after a PRN dose (e.g. "30 分钟后血压 150/90")."""
    record = get_visible_or_404(MedicationAdministration, actor, Action.CHANGE,
                                pk=administration_id)
    require(actor, Perm.ADMINISTER_MEDICATION)
    effect = clean_text(effect, field="effect", label="效果观察", max_length=200)
    before = audit.snapshot(record)
    bump(record, version)
    record.effect, record.effect_checked_at = effect, timezone.now()
    record.save()
    audit.record(actor, "medication.dose.effect", record,
                 changes=audit.diff(before, audit.snapshot(record)))
    return record


# ---- incidents --------------------------------------------------------------------------------

def _handling(doctor_informed: bool, doctor_name: str, informed_at: datetime | None,
              action_taken: str, outcome: str, follow_up: str) -> dict[str, Any]:
    doctor_name = clean_text(doctor_name, field="doctor_name", label="报告医生", max_length=50,
                             required=bool(doctor_informed))
    return {
        "doctor_informed": bool(doctor_informed),
        "doctor_name": doctor_name if doctor_informed else "",
        "informed_at": (_aware(informed_at, "informed_at", "报告时间")
                        if doctor_informed and informed_at else None),
        "action_taken": clean_text(action_taken, field="action_taken", label="处置措施",
                                   max_length=500, required=False),
        "outcome": clean_text(outcome, field="outcome", label="结果", max_length=300,
                              required=False),
        "follow_up": clean_text(follow_up, field="follow_up", label="后续跟进", max_length=300,
                                required=False),
    }


@transaction.atomic()
def report_incident(*, actor: Actor, person_id: int, kind: str, occurred_at: datetime,
                    description: str, severity: str = "none",
                    administration_id: int | None = None, order_id: int | None = None,
                    drug: str = "", doctor_informed: bool = False, doctor_name: str = "",
                    informed_at: datetime | None = None, action_taken: str = "",
                    outcome: str = "", follow_up: str = "") -> MedicationIncident:
    """Record a medication error or an adverse reaction of a resident of the actor's home,
    linked to the dose (and its order) when there is one."""
    person = get_visible_or_404(Person, actor, pk=person_id)
    require(actor, Perm.ADMINISTER_MEDICATION)
    stay = _own_home_stay(actor, person)
    administration = order = None
    if administration_id:
        administration = get_visible_or_404(
            MedicationAdministration.objects.select_related("order"), actor, Action.CHANGE,
            pk=administration_id)
        order = administration.order
    if order_id and order is None:
        order = get_visible_or_404(MedicationOrder, actor, Action.CHANGE, pk=order_id)
    if order is not None and order.person_id != person.pk and kind != "wrong_person":
        raise ValidationFailed("other_person", "所选医嘱/给药记录不是该老人的；"
                               "给错人请选择类型“给错人”", field="order_id")
    when = _not_future(_aware(occurred_at, "occurred_at", "发生时间"), "occurred_at", "发生时间")
    incident = MedicationIncident(
        person=person, home=stay.home, region_code=stay.home.region_code,
        kind=_choice(kind, MedicationIncident.Kind, "kind", "事件类型"),
        severity=_choice(severity, MedicationIncident.Severity, "severity", "严重程度"),
        occurred_at=when, administration=administration, order=order,
        drug=clean_text(drug or (order.drug if order else ""), field="drug", label="涉及药品",
                        max_length=100, required=False),
        description=clean_text(description, field="description", label="经过",
                               max_length=500),
        **_handling(doctor_informed, doctor_name, informed_at, action_taken, outcome,
                    follow_up),
        reported_by=_name(actor), reported_by_user_id=actor.user_id)
    incident.save()
    ensure_visible(incident, actor, Action.CHANGE)
    audit.record(actor, "medication.incident.report", incident,
                 changes=audit.created(incident))
    return incident


@transaction.atomic()
def handle_incident(*, actor: Actor, incident_id: int, version: int,
                    doctor_informed: bool = False, doctor_name: str = "",
                    informed_at: datetime | None = None, action_taken: str = "",
                    outcome: str = "", follow_up: str = "",
                    close: bool = False) -> MedicationIncident:
    """Record the handling (doctor informed, action, outcome, follow-up); `close` ends it (it
    then needs the action taken and the outcome)."""
    incident = get_visible_or_404(MedicationIncident, actor, Action.CHANGE, pk=incident_id)
    require(actor, Perm.ADMINISTER_MEDICATION)
    data = _handling(doctor_informed, doctor_name, informed_at, action_taken, outcome, follow_up)
    before = audit.snapshot(incident)
    bump(incident, version)
    if incident.status == MedicationIncident.Status.CLOSED:
        raise ValidationFailed("closed", "该事件已结案")
    if close:
        if not data["action_taken"] or not data["outcome"]:
            raise ValidationFailed("required", "结案前请填写处置措施和结果", field="outcome")
        data["status"], data["closed_at"] = MedicationIncident.Status.CLOSED, timezone.now()
    for name, value in data.items():
        setattr(incident, name, value)
    incident.save()
    audit.record(actor, "medication.incident.handle", incident,
                 changes=audit.diff(before, audit.snapshot(incident)))
    return incident
