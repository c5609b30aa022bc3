"""`/api/v1/residents`: list (filter by home, band, category, status), detail, create, update.

ID and phone numbers are masked; `/residents/{id}/reveal` returns them in full to holders of
the reveal permission and is audited.
"""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.residents import filters, queries, services
from yiyang.residents.schemas import ResidentCreate, ResidentRead, ResidentUpdate, Revealed

router = Router(tags=["入住老年人"])


@router.get("/residents", response=list[ResidentRead])
@paginate
def list_residents(request: HttpRequest):  # type: ignore[no-untyped-def]
    return filters.ResidentFilter(request.GET, queryset=queries.residents(request.actor)).qs


@router.get("/residents/{person_id}", response=ResidentRead)
def get_resident(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return queries.resident(request.actor, person_id)


@router.post("/residents", response={201: ResidentRead})
def create_resident(request: HttpRequest, data: ResidentCreate):  # type: ignore[no-untyped-def]
    stay = services.admit_resident(actor=request.actor, **data.model_dump(exclude_none=True))
    return Status(201, queries.resident(request.actor, stay.person_id))


@router.patch("/residents/{person_id}", response=ResidentRead)
def update_resident(request: HttpRequest, person_id: int, data: ResidentUpdate):  # type: ignore[no-untyped-def]
    services.update_person(actor=request.actor, person_id=person_id, version=data.version,
                           **data.model_dump(exclude={"version"}, exclude_unset=True))
    return queries.resident(request.actor, person_id)


@router.post("/residents/{person_id}/reveal", response=Revealed)
def reveal_resident(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return services.reveal_person(actor=request.actor, person_id=person_id)
