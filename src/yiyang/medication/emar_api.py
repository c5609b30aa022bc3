"""`/api/v1/medicine-stock` (list with warnings, detail with its ledger, intake, adjust/return/
dispose), `/api/v1/medication-administrations` (list, detail, record a dose) and
`/api/v1/medication-incidents` (list, detail, report)."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import emar_queries as queries
from . import emar_services as services
from .emar_schemas import (
    AdministrationCreate,
    AdministrationRead,
    IncidentCreate,
    IncidentRead,
    MedicineStockAdjust,
    MedicineStockDetail,
    MedicineStockIntake,
    MedicineStockWarnings,
)

router = Router(tags=["自带药品与给药记录"])


def _stock_detail(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    row = queries.stock_item(request.actor, pk)
    return queries.annotate_stock([row])[0]


@router.get("/medicine-stock", response=list[MedicineStockWarnings])
@paginate
def list_medicine_stock(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                        active: bool = True, warnings_only: bool = False):
    rows = queries.annotate_stock(list(queries.stock(request.actor, person_id=person_id,
                                                     active_only=active)))
    return [r for r in rows if r.warn] if warnings_only else rows


@router.get("/medicine-stock/{pk}", response=MedicineStockDetail)
def get_medicine_stock(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _stock_detail(request, pk)


@router.post("/medicine-stock", response={201: MedicineStockDetail})
def intake_medicine_stock(request: HttpRequest, data: MedicineStockIntake):  # type: ignore[no-untyped-def]
    row = services.intake(actor=request.actor, **data.model_dump())
    return Status(201, _stock_detail(request, row.pk))


@router.post("/medicine-stock/{pk}/adjust", response=MedicineStockDetail)
def adjust_medicine_stock(request: HttpRequest, pk: int, data: MedicineStockAdjust):  # type: ignore[no-untyped-def]
    services.adjust_stock(actor=request.actor, stock_id=pk, **data.model_dump())
    return _stock_detail(request, pk)


@router.get("/medication-administrations", response=list[AdministrationRead])
@paginate
def list_medication_administrations(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                                    order_id: int | None = None, status: str = "",
                                    day: date | None = None, late: bool = False):
    return queries.administrations(request.actor, person_id=person_id, order_id=order_id,
                                   status=status, day=day, late_only=late)


@router.get("/medication-administrations/{pk}", response=AdministrationRead)
def get_medication_administration(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.administration(request.actor, pk)


@router.post("/medication-administrations", response={201: AdministrationRead})
def record_medication_administration(request: HttpRequest, data: AdministrationCreate):  # type: ignore[no-untyped-def]
    record = services.record_administration(actor=request.actor, **data.model_dump())
    return Status(201, queries.administration(request.actor, record.pk))


@router.get("/medication-incidents", response=list[IncidentRead])
@paginate
def list_medication_incidents(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                              open_only: bool = False, kind: str = ""):
    return queries.incidents(request.actor, person_id=person_id, open_only=open_only, kind=kind)


@router.get("/medication-incidents/{pk}", response=IncidentRead)
def get_medication_incident(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.incident(request.actor, pk)


@router.post("/medication-incidents", response={201: IncidentRead})
def report_medication_incident(request: HttpRequest, data: IncidentCreate):  # type: ignore[no-untyped-def]
    row = services.report_incident(actor=request.actor, **data.model_dump())
    return Status(201, queries.incident(request.actor, row.pk))
