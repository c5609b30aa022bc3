"""`/api/v1/pressure-injuries` (list, detail with the healing record, create, PATCH with the
version, `/{id}/observations`), `/api/v1/incidents` (list, detail, create, PATCH) and
`/api/v1/education-sessions` (list, detail, create)."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import safety_queries as queries
from . import safety_services as services
from .safety_schemas import (
    EducationCreate,
    EducationDetail,
    EducationRead,
    IncidentCreate,
    IncidentPatch,
    IncidentRead,
    LesionCreate,
    LesionDetail,
    LesionPatch,
    LesionRead,
    ObservationCreate,
)

router = Router(tags=["日常照护"])


@router.get("/pressure-injuries", response=list[LesionRead])
@paginate
def list_pressure_injuries(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                           open_only: bool = False):
    return queries.lesions(request.actor, person_id=person_id, open_only=open_only)


@router.get("/pressure-injuries/{pk}", response=LesionDetail)
def get_pressure_injury(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.lesion(request.actor, pk)


@router.post("/pressure-injuries", response={201: LesionDetail})
def create_pressure_injury(request: HttpRequest, data: LesionCreate):  # type: ignore[no-untyped-def]
    lesion = services.record_lesion(actor=request.actor, **data.model_dump())
    return Status(201, queries.lesion(request.actor, lesion.pk))


@router.patch("/pressure-injuries/{pk}", response=LesionDetail)
def update_pressure_injury(request: HttpRequest, pk: int, data: LesionPatch):  # type: ignore[no-untyped-def]
    services.update_lesion(actor=request.actor, lesion_id=pk, **data.model_dump())
    return queries.lesion(request.actor, pk)


@router.post("/pressure-injuries/{pk}/observations", response={201: LesionDetail})
def observe_pressure_injury(request: HttpRequest, pk: int, data: ObservationCreate):  # type: ignore[no-untyped-def]
    services.add_observation(actor=request.actor, lesion_id=pk, **data.model_dump())
    return Status(201, queries.lesion(request.actor, pk))


@router.get("/incidents", response=list[IncidentRead])
@paginate
def list_incidents(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                   kind: str = ""):
    return queries.incidents(request.actor, person_id=person_id, kind=kind)


@router.get("/incidents/{pk}", response=IncidentRead)
def get_incident(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.incident(request.actor, pk)


@router.post("/incidents", response={201: IncidentRead})
def create_incident(request: HttpRequest, data: IncidentCreate):  # type: ignore[no-untyped-def]
    incident = services.record_incident(actor=request.actor, **data.model_dump())
    return Status(201, queries.incident(request.actor, incident.pk))


@router.patch("/incidents/{pk}", response=IncidentRead)
def update_incident(request: HttpRequest, pk: int, data: IncidentPatch):  # type: ignore[no-untyped-def]
    services.update_incident(actor=request.actor, incident_id=pk, **data.model_dump())
    return queries.incident(request.actor, pk)


@router.get("/education-sessions", response=list[EducationRead])
@paginate
def list_education_sessions(request: HttpRequest, year: int | None = None,  # type: ignore[no-untyped-def]
                            kind: str = ""):
    return queries.education_sessions(request.actor, year=year, kind=kind)


@router.get("/education-sessions/{pk}", response=EducationDetail)
def get_education_session(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.education_session(request.actor, pk)


@router.post("/education-sessions", response={201: EducationDetail})
def create_education_session(request: HttpRequest, data: EducationCreate):  # type: ignore[no-untyped-def]
    session = services.record_education(actor=request.actor, **data.model_dump())
    return Status(201, queries.education_session(request.actor, session.pk))
