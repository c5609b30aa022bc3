"""`/api/v1/care-plans` (list, detail with revisions, propose, PATCH with version, approve),
`/api/v1/care-tasks` (list with filters, record done / not done) and `/api/v1/vital-signs`
(list, create)."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import plan_queries as queries
from . import plan_services as services
from .plan_schemas import (
    CarePlanCreate,
    CarePlanDetail,
    CarePlanPatch,
    CarePlanRead,
    CareTaskRead,
    CareTaskRecord,
    VersionIn,
    VitalSignCreate,
    VitalSignRead,
)

router = Router(tags=["日常照护"])


def _detail(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """The plan with its approved revisions (newest first; ninja reads the related manager)."""
    return queries.plan(request.actor, pk)


@router.get("/care-plans", response=list[CarePlanRead])
@paginate
def list_care_plans(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                    status: str = "", review_due: bool = False):
    return queries.plans(request.actor, person_id=person_id, status=status,
                         review_due=review_due)


@router.get("/care-plans/{pk}", response=CarePlanDetail)
def get_care_plan(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _detail(request, pk)


@router.post("/care-plans", response={201: CarePlanDetail})
def propose_care_plan(request: HttpRequest, data: CarePlanCreate):  # type: ignore[no-untyped-def]
    plan = services.propose_plan(actor=request.actor, **data.model_dump())
    return Status(201, _detail(request, plan.pk))


@router.patch("/care-plans/{pk}", response=CarePlanDetail)
def update_care_plan(request: HttpRequest, pk: int, data: CarePlanPatch):  # type: ignore[no-untyped-def]
    fields = data.model_dump(exclude_unset=True)
    services.update_plan(actor=request.actor, plan_id=pk, **fields)
    return _detail(request, pk)


@router.post("/care-plans/{pk}/approve", response=CarePlanDetail)
def approve_care_plan(request: HttpRequest, pk: int, data: VersionIn):  # type: ignore[no-untyped-def]
    services.approve_plan(actor=request.actor, plan_id=pk, version=data.version)
    return _detail(request, pk)


@router.get("/care-tasks", response=list[CareTaskRead])
@paginate
def list_care_tasks(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                    day: date | None = None, shift: str = "", status: str = "",
                    late: bool = False, plan_id: int | None = None):
    return queries.tasks(request.actor, person_id=person_id, day=day, shift=shift,
                         status=status, late=late, plan_id=plan_id)


@router.get("/care-tasks/{pk}", response=CareTaskRead)
def get_care_task(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.task(request.actor, pk)


@router.post("/care-tasks/{pk}/record", response=CareTaskRead)
def record_care_task(request: HttpRequest, pk: int, data: CareTaskRecord):  # type: ignore[no-untyped-def]
    services.record_task(actor=request.actor, task_id=pk, **data.model_dump())
    return queries.task(request.actor, pk)


@router.get("/vital-signs", response=list[VitalSignRead])
@paginate
def list_vital_signs(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                     alerts: bool = False):
    return queries.vitals(request.actor, person_id=person_id, alerts_only=alerts)


@router.get("/vital-signs/{pk}", response=VitalSignRead)
def get_vital_sign(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.vital(request.actor, pk)


@router.post("/vital-signs", response={201: VitalSignRead})
def record_vital_sign(request: HttpRequest, data: VitalSignCreate):  # type: ignore[no-untyped-def]
    sign = services.record_vitals(actor=request.actor, **data.model_dump())
    return Status(201, queries.vital(request.actor, sign.pk))
