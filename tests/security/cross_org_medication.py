"""Cross-organisation routes of the medicine stock, the administration record (eMAR) and
medication incidents (issue 6 item 5).  The order routes stay in test_cross_org.py.

doctor_b (partner of home A) reads the clinical record of home A's residents: a batch and its
ledger, the MAR (page and PDF), a dose, an incident.  It writes none of them: receiving medicine,
giving doses and recording incidents are the home's own nursing work (the partner doctor
prescribes and stops orders, and is named in an incident's handling by the home's nurse).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.medication import emar_services
from yiyang.medication import services as order_services
from yiyang.medication.models import (
    MedicationAdministration,
    MedicationIncident,
    MedicineStock,
    StockMovement,
)


def _at(days_ago: int, hhmm: str = "08:00") -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(int(hhmm[:2]), int(hhmm[3:]))))


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    nurse = cast.actor("nurse_a")
    order = order_services.prescribe(
        actor=cast.actor("hdoc_a"), person_id=w.stay.person_id, drug="跨机构测试药",
        dose="1 片", route="oral", frequency="qd", times=["08:00"],
        start_on=timezone.localdate() - timedelta(days=5))
    stock = emar_services.intake(
        actor=nurse, person_id=w.stay.person_id, drug=order.drug, unit="片",
        batch_number="X1", expires_on=timezone.localdate() + timedelta(days=100), quantity="20",
        storage_location="X", handed_over_by="X",
        received_at=timezone.now() - timedelta(days=5))
    dose = emar_services.record_administration(
        actor=nurse, order_id=order.pk, status="given", scheduled_at=_at(3),
        given_at=_at(3) + timedelta(minutes=5))
    incident = emar_services.report_incident(
        actor=nurse, person_id=w.stay.person_id, kind="wrong_time", occurred_at=_at(3),
        description="X", administration_id=dose.pk)
    w.extra.update(emar_order=order, stock=MedicineStock.objects.get(pk=stock.pk), dose=dose,
                   incident=incident)


PERSON = {"person_id": lambda w: w.stay.person_id}
STOCK = {"pk": lambda w: w.extra["stock"].pk}
DOSE = {"pk": lambda w: w.extra["dose"].pk}
INCIDENT = {"pk": lambda w: w.extra["incident"].pk}
EMAR_ORDER = {"pk": lambda w: w.extra["emar_order"].pk}


def _dose_body(w: World) -> dict:
    return {"status": "given", "scheduled_at": _at(2).strftime("%Y-%m-%dT%H:%M")}


def _api_dose_body(w: World) -> dict:
    return {"order_id": w.extra["emar_order"].pk, "status": "given",
            "scheduled_at": _at(2).isoformat()}


def _intake_body(w: World) -> dict:
    return {"person_id": w.stay.person_id, "drug": "X", "unit": "片", "batch_number": "Y",
            "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "quantity": "5", "storage_location": "X", "handed_over_by": "X"}


def _incident_body(w: World) -> dict:
    return {"person_id": w.stay.person_id, "kind": "other", "description": "X",
            "occurred_at": _at(1).isoformat()}


ROUTES = {
    "medication:rounds": Route("own"),
    "medication:rounds_print": Route("own"),
    "medication:administer": obj("post", writes=True, body=_dose_body, **EMAR_ORDER),
    "medication:effect": obj("post", writes=True, body=lambda w: {
        "version": w.extra["dose"].version, "effect": "X"}, **DOSE),
    "medication:stock": Route("list"),
    "medication:stock_detail": obj(**STOCK),
    "medication:stock_adjust": obj("post", writes=True, body=lambda w: {
        "version": w.extra["stock"].version, "kind": "dispose", "quantity": "1",
        "reason": "X"}, **STOCK),
    "medication:intake": obj(writes=True, **PERSON),
    "medication:mar": obj(**PERSON),
    "medication:mar_pdf": obj(**PERSON),
    "medication:incidents": Route("list"),
    "medication:incident_detail": obj(**INCIDENT),
    "medication:incident_handle": obj("post", writes=True, body=lambda w: {
        "version": w.extra["incident"].version, "action_taken": "X"}, **INCIDENT),
    "medication:incident_new": obj(writes=True, **PERSON),
    "api:list_medicine_stock": api_route("list"),
    "api:get_medicine_stock": api_route("object", **STOCK),
    "api:intake_medicine_stock": api_route("object", "post", body=_intake_body),
    "api:adjust_medicine_stock": api_route("object", "post", body=lambda w: {
        "version": w.extra["stock"].version, "kind": "dispose", "quantity": "1",
        "reason": "X"}, **STOCK),
    "api:list_medication_administrations": api_route("list"),
    "api:get_medication_administration": api_route("object", **DOSE),
    "api:record_medication_administration": api_route("object", "post", body=_api_dose_body),
    "api:list_medication_incidents": api_route("list"),
    "api:get_medication_incident": api_route("object", **INCIDENT),
    "api:report_medication_incident": api_route("object", "post", body=_incident_body),
}

PARTNER_READS = frozenset({
    "medication:stock_detail", "medication:mar", "medication:mar_pdf",
    "medication:incident_detail", "api:get_medicine_stock", "api:get_medication_administration",
    "api:get_medication_incident",
})

# Home C keeps its own stock and dose records (demo); incidents only home A has.
ABSENT = {
    "api:list_medicine_stock": lambda w: {w.extra["stock"].pk},
    "api:list_medication_administrations": lambda w: {w.extra["dose"].pk},
}
NOT_OWN = {"api:list_medication_incidents": lambda w: w.extra["incident"].pk}


def state(w: World) -> tuple:
    stock = MedicineStock.objects.get(pk=w.extra["stock"].pk)
    return (MedicineStock.objects.count(), StockMovement.objects.count(), stock.version,
            stock.on_hand, MedicationAdministration.objects.count(),
            MedicationAdministration.objects.get(pk=w.extra["dose"].pk).version,
            MedicationIncident.objects.count(),
            MedicationIncident.objects.get(pk=w.extra["incident"].pk).version)
