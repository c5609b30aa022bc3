"""Staff training and TCM techniques under /api/v1 (certificates are uploaded on the pages).
Institutions write their own; regulators read their region's; nobody else sees anything."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.core.errors import ValidationFailed

from . import training_queries as q
from . import training_services as services
from .training_schemas import (
    TechniqueCreate,
    TechniqueRead,
    TechniqueStop,
    TrainingCreate,
    TrainingDetail,
    TrainingRead,
)

router = Router(tags=["从业人员培训与中医适宜技术"])


@router.get("/staff-trainings", response=list[TrainingRead])
@paginate
def list_staff_trainings(request: HttpRequest, org_id: int | None = None,  # type: ignore[no-untyped-def]
                         kind: str = "", year: int | None = None):
    return q.courses(request.actor, org_id=org_id, kind=kind, year=year)


@router.get("/staff-trainings/{pk}", response=TrainingDetail)
def get_staff_training(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return q.course(request.actor, pk)


@router.post("/staff-trainings", response={201: TrainingDetail})
def create_staff_training(request: HttpRequest, data: TrainingCreate):  # type: ignore[no-untyped-def]
    done = services.record_training(actor=request.actor, **data.model_dump())
    return Status(201, q.course(request.actor, done.pk))


@router.get("/tcm-techniques", response=list[TechniqueRead])
@paginate
def list_tcm_techniques(request: HttpRequest, org_id: int | None = None,  # type: ignore[no-untyped-def]
                        on: str = ""):
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise ValidationFailed("invalid_date", "日期格式应为 YYYY-MM-DD", field="on") from exc
    return q.techniques(request.actor, org_id=org_id, current_on=day)


@router.get("/tcm-techniques/{pk}", response=TechniqueRead)
def get_tcm_technique(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return q.technique(request.actor, pk)


@router.post("/tcm-techniques", response={201: TechniqueRead})
def create_tcm_technique(request: HttpRequest, data: TechniqueCreate):  # type: ignore[no-untyped-def]
    done = services.add_technique(actor=request.actor, **data.model_dump())
    return Status(201, q.technique(request.actor, done.pk))


@router.post("/tcm-techniques/{pk}/stop", response=TechniqueRead)
def stop_tcm_technique(request: HttpRequest, pk: int, data: TechniqueStop):  # type: ignore[no-untyped-def]
    services.stop_technique(actor=request.actor, technique_id=pk, **data.model_dump())
    return q.technique(request.actor, pk)
