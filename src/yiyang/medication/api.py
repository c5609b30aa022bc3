"""`/api/v1/medication-orders`: the orders the caller may see (filter by resident, in force or
not), one order, prescribe, stop (with the version read)."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import queries, services
from .emar_api import router as emar_router
from .schemas import MedicationOrderCreate, MedicationOrderRead, MedicationOrderStop

router = Router(tags=["用药医嘱"])
router.add_router("", emar_router)


@router.get("/medication-orders", response=list[MedicationOrderRead])
@paginate
def list_medication_orders(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                           active: bool | None = None):
    return queries.orders(request.actor, person_id=person_id, active_only=active is True,
                          stopped_only=active is False)


@router.get("/medication-orders/{pk}", response=MedicationOrderRead)
def get_medication_order(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.order(request.actor, pk)


@router.post("/medication-orders", response={201: MedicationOrderRead})
def prescribe_medication_order(request: HttpRequest, data: MedicationOrderCreate):  # type: ignore[no-untyped-def]
    order = services.prescribe(actor=request.actor, **data.model_dump())
    return Status(201, queries.order(request.actor, order.pk))


@router.post("/medication-orders/{pk}/stop", response=MedicationOrderRead)
def stop_medication_order(request: HttpRequest, pk: int, data: MedicationOrderStop):  # type: ignore[no-untyped-def]
    services.stop_order(actor=request.actor, order_id=pk, **data.model_dump())
    return queries.order(request.actor, pk)
