"""Writes of medication orders: prescribe and stop. Permission, scope, validation, audit.

Who may write (our reading of seed 002 §二十二 "按医嘱" and issue 6 item 5):

* **Prescribe**: a doctor holding `Perm.PRESCRIBE` — a doctor of the home's own clinic
  (`home_doctor`, for residents in an open stay of that home) or a doctor of a medical
  institution with an agreement in force with the home (`medical_doctor`, the home is in
  `actor.partner_home_ids`).  Any other resident answers 404, like every foreign object.
* **Stop**: the same doctors; or a member of the home's staff who keeps health records
  (`Perm.EDIT_HEALTH_RECORDS`: the nurse, the manager) recording a doctor's stop instruction —
  then the instructing doctor's name is required (`instructed_by`).  Nurses never prescribe.

Both run in `transaction.atomic()` (not durable): the agreements app's patrol-visit service calls
`prescribe` inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import rules
from .models import MedicationOrder

__all__ = ["STOP_FORBIDDEN", "can_prescribe_in", "can_stop", "prescribe", "stop_order"]

STOP_FORBIDDEN = "只有医生可以停止医嘱；护士可登记医生的停止医嘱"


def can_prescribe_in(actor: Actor, home_id: int) -> bool:
    """May the actor write orders for residents of this home?"""
    if not actor.can(Perm.PRESCRIBE):
        return False
    if actor.org_kind == OrgKind.HOME:
        return actor.org_id == home_id
    if actor.org_kind == OrgKind.MEDICAL:
        return home_id in actor.partner_home_ids
    return False


def can_stop(actor: Actor, order: MedicationOrder) -> bool:
    """May the actor stop orders like this one (as a doctor, or as the home's nurse recording
    a doctor's instruction)?  Says nothing about the order's own status."""
    return can_prescribe_in(actor, order.home_id) or _records_for_home(actor, order.home_id)


def _records_for_home(actor: Actor, home_id: int) -> bool:
    return (actor.org_kind == OrgKind.HOME and actor.org_id == home_id
            and actor.can(Perm.EDIT_HEALTH_RECORDS))


def _schedule(frequency: str, times: Iterable[str],
              prn_indication: str) -> tuple[rules.Frequency, tuple[str, ...], str]:
    try:
        return rules.check_schedule(frequency, times, prn_indication)
    except rules.ScheduleError as exc:
        raise ValidationFailed(exc.code, exc.message, field=exc.field) from exc


def _choice(value: str, choices: type, field: str, label: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise ValidationFailed("invalid_choice", f"请选择{label}", field=field)
    return value


@transaction.atomic()
def prescribe(*, actor: Actor, person_id: int, drug: str, dose: str, route: str,
              frequency: str, times: list[str] | tuple[str, ...] = (), start_on: date,
              stop_on: date | None = None, prn_indication: str = "", note: str = "",
              source: str = "clinic", source_ref: str = "") -> MedicationOrder:
    """A new active order for a resident in an open stay, by a doctor allowed in that home."""
    person = get_visible_or_404(Person, actor, pk=person_id)
    require(actor, Perm.PRESCRIBE)
    stay = (Stay.objects.select_related("home")
            .filter(person=person, status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("not_resident", "该老人没有在住记录，不能开具用药医嘱",
                               field="person_id")
    if not can_prescribe_in(actor, stay.home_id):
        raise NotFound()
    freq, slots, indication = _schedule(frequency, times or (), prn_indication)
    if not isinstance(start_on, date):
        raise ValidationFailed("required", "请填写开始日期", field="start_on")
    try:
        stop_on = rules.check_dates(start_on, stop_on, freq)
    except rules.ScheduleError as exc:
        raise ValidationFailed(exc.code, exc.message, field=exc.field) from exc
    order = MedicationOrder(
        person=person, home=stay.home, region_code=stay.home.region_code,
        drug=clean_text(drug, field="drug", label="药品名称", max_length=100),
        dose=clean_text(dose, field="dose", label="剂量", max_length=40),
        route=_choice(route, MedicationOrder.Route, "route", "给药途径"),
        frequency=freq.value, times=list(slots), prn_indication=indication,
        start_on=start_on, stop_on=stop_on,
        note=clean_text(note, field="note", label="备注", max_length=300, required=False),
        prescriber_id=actor.user_id, prescriber_name=actor.display_name or actor.username,
        prescriber_org_id=actor.org_id,
        source=_choice(source, MedicationOrder.Source, "source", "医嘱来源"),
        source_ref=clean_text(source_ref, field="source_ref", label="来源记录", max_length=60,
                              required=False))
    order.save()
    ensure_visible(order, actor, Action.VIEW)
    audit.record(actor, "medication.order.prescribe", order, changes=audit.created(order))
    return order


@transaction.atomic()
def stop_order(*, actor: Actor, order_id: int, version: int, reason: str,
               stopped_on: date | None = None, instructed_by: str = "") -> MedicationOrder:
    """Stop an active order from `stopped_on` (its last day; default today).

    A doctor allowed in the home stops it in their own name; the home's nurse records the stop
    instruction of the doctor named in `instructed_by`.
    """
    order = get_visible_or_404(MedicationOrder, actor, pk=order_id)
    if not can_stop(actor, order):
        raise Forbidden(STOP_FORBIDDEN)
    if can_prescribe_in(actor, order.home_id):
        instructed_by = ""
    else:
        instructed_by = clean_text(instructed_by, field="instructed_by",
                                   label="下达停止医嘱的医生", max_length=50)
    today = timezone.localdate()
    reason = clean_text(reason, field="reason", label="停止原因", max_length=200)
    try:
        day = rules.check_stop_date(stopped_on or today, start_on=order.start_on, today=today)
    except rules.ScheduleError as exc:
        raise ValidationFailed(exc.code, exc.message, field=exc.field) from exc
    before = audit.snapshot(order)
    bump(order, version)
    if order.status != MedicationOrder.Status.ACTIVE:
        raise ValidationFailed("already_stopped", "该医嘱已经停止")
    order.status = MedicationOrder.Status.STOPPED
    order.stopped_on, order.stopped_at, order.stop_reason = day, timezone.now(), reason
    order.stopped_by = actor.display_name or actor.username
    order.stop_instructed_by = instructed_by
    order.save()
    ensure_visible(order, actor, Action.VIEW)
    audit.record(actor, "medication.order.stop", order,
                 changes=audit.diff(before, audit.snapshot(order)))
    return order
