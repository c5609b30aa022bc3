"""`/api/v1/assessments`: list (filter by person, instrument, status), detail, create a draft
(optionally with answers), finalise.  Scoped like residents: `visible_to(actor)` on every read.
"""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import queries, services
from .schemas import AssessmentCreate, AssessmentFinalise, AssessmentRead

router = Router(tags=["评估"])


@router.get("/assessments", response=list[AssessmentRead])
@paginate
def list_assessments(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                     instrument: str = "", status: str = ""):
    return queries.assessments(request.actor, person_id=person_id, instrument=instrument,
                               status=status)


@router.get("/assessments/{pk}", response=AssessmentRead)
def get_assessment(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.assessment(request.actor, pk)


@router.post("/assessments", response={201: AssessmentRead})
def create_draft(request: HttpRequest, data: AssessmentCreate):  # type: ignore[no-untyped-def]
    record = services.start(actor=request.actor, **data.model_dump())
    return Status(201, queries.assessment(request.actor, record.pk))


@router.post("/assessments/{pk}/finalise", response=AssessmentRead)
def finalise(request: HttpRequest, pk: int, data: AssessmentFinalise):  # type: ignore[no-untyped-def]
    services.finalise(actor=request.actor, assessment_id=pk, **data.model_dump())
    return queries.assessment(request.actor, pk)
