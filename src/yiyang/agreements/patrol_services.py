"""Writes of patrol visits (巡诊, REFERENCE §3.2 "巡诊周期"): the visit with its team and the
residents seen, and the drug orders given on it, which become the home's medication orders.

Only the contracted medical institution records them, on a day of the agreement's term; every
write is audited in the same transaction (DESIGN "Services").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.medication import services as medication_services
from yiyang.medication.models import MedicationOrder
from yiyang.residents.models import Stay

from .models import Agreement, PatrolResident, PatrolVisit
from .services import PUBLISHED_STATES, side_of

durable = transaction.atomic(durable=True)


def _check_visit_day(agreement: Agreement, visited_on: date) -> None:
    if agreement.state not in PUBLISHED_STATES:
        raise ValidationFailed("not_in_force", "协议尚未公开生效，不能登记巡诊")
    if visited_on > timezone.localdate():
        raise ValidationFailed("future_date", "巡诊日期不能晚于今天", field="visited_on")
    if not agreement.start_on <= visited_on <= agreement.end_on:
        raise ValidationFailed("outside_term", "巡诊日期应在合作期限内", field="visited_on")
    if agreement.terminated_on and visited_on >= agreement.terminated_on:
        raise ValidationFailed("terminated", "协议已终止，不能登记终止后的巡诊",
                               field="visited_on")


def _residents_on(home_id: int, person_ids: set[int], day: date) -> set[int]:
    """Those of `person_ids` who stayed in the home on `day`."""
    rows = (Stay.objects.filter(home_id=home_id, person_id__in=person_ids, admitted_on__lte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
            .values_list("person_id", flat=True))
    return set(rows)


@durable
def record_patrol_visit(*, actor: Actor, agreement_id: int, visited_on: date, doctors: str,
                        nurses: str = "", person_ids: Iterable[int] = (),
                        notes: Mapping[int, str] | None = None, findings: str = "",
                        orders: str = "", follow_up: str = "",
                        follow_up_on: date | None = None) -> PatrolVisit:
    """A patrol visit made by the medical side on a day of the agreement's term, with the
    residents it saw (each in the home that day) and a note per resident where given."""
    agreement = get_visible_or_404(Agreement, actor, Action.CHANGE, pk=agreement_id)
    require(actor, Perm.RECORD_PATROL)
    if side_of(actor, agreement) != "medical":
        raise Forbidden("巡诊由签约的医疗卫生机构登记")
    _check_visit_day(agreement, visited_on)
    if follow_up_on is not None and follow_up_on <= visited_on:
        raise ValidationFailed("follow_up_date", "下次随访日期应晚于巡诊日期",
                               field="follow_up_on")
    seen = {int(p) for p in person_ids}
    strangers = seen - _residents_on(agreement.home_id, seen, visited_on)
    if strangers:
        raise ValidationFailed("not_resident", "所选老人巡诊当日不在该养老机构入住",
                               field="person_ids")
    visit = PatrolVisit.objects.create(
        agreement=agreement, home_id=agreement.home_id, region_code=agreement.region_code,
        visited_on=visited_on,
        doctors=clean_text(doctors, field="doctors", label="巡诊医生", max_length=200),
        nurses=clean_text(nurses, field="nurses", label="巡诊护士", max_length=200,
                          required=False),
        findings=clean_text(findings, field="findings", label="发现的问题", max_length=4000,
                            required=False),
        orders=clean_text(orders, field="orders", label="处理意见", max_length=4000,
                          required=False),
        follow_up=clean_text(follow_up, field="follow_up", label="随访安排", max_length=300,
                             required=False),
        follow_up_on=follow_up_on, recorded_by=actor.display_name or actor.username)
    notes = notes or {}
    PatrolResident.objects.bulk_create([
        PatrolResident(visit=visit, home_id=visit.home_id, region_code=visit.region_code,
                       person_id=pid,
                       note=clean_text(notes.get(pid, ""), field="notes", label="诊视情况",
                                       max_length=300, required=False))
        for pid in sorted(seen)])
    ensure_visible(visit, actor, Action.CHANGE)
    audit.record(actor, "agreements.patrol", visit,
                 changes={**audit.created(visit), "person_ids": [None, sorted(seen)]})
    return visit


@durable
def give_patrol_order(*, actor: Actor, visit_id: int, person_id: int, drug: str, dose: str,
                      route: str, frequency: str, times: Iterable[str] = (),
                      start_on: date | None = None, stop_on: date | None = None,
                      prn_indication: str = "", note: str = "") -> MedicationOrder:
    """A drug order given on a patrol visit to a resident it saw: it becomes one of the home's
    medication orders (source "patrol", the visit as its reference), so the nurses give it."""
    visit = get_visible_or_404(PatrolVisit.objects.select_related("agreement"), actor,
                               Action.CHANGE, pk=visit_id)
    if side_of(actor, visit.agreement) != "medical":
        raise Forbidden("巡诊医嘱由签约医疗卫生机构的医生开具")
    require(actor, Perm.PRESCRIBE)
    if not visit.seen.filter(person_id=person_id).exists():
        raise ValidationFailed("not_seen", "只能为本次巡诊诊视的老人开具医嘱", field="person_id")
    order = medication_services.prescribe(
        actor=actor, person_id=person_id, drug=drug, dose=dose, route=route,
        frequency=frequency, times=tuple(times), start_on=start_on or visit.visited_on,
        stop_on=stop_on, prn_indication=prn_indication, note=note, source="patrol",
        source_ref=str(visit.pk))
    audit.record(actor, "agreements.patrol.order", visit,
                 changes={"order_id": [None, order.pk], "person_id": [None, person_id]})
    return order
