"""The app's routes under /api/v1: `/ledger-entries`, `/community-visits`, `/home-services`,
`/family-doctor-contracts`. Lists and objects are scoped by `visible_to`; writes go through the
services (with the version read on PATCH and deliveries)."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import queries, services
from .schemas import (
    ContractCreate,
    ContractRead,
    DeliveryCreate,
    DoctorVisitCreate,
    LedgerEntryCreate,
    LedgerEntryRead,
    LedgerEntryUpdate,
    ServiceCreate,
    ServiceRead,
    VisitCreate,
    VisitRead,
)

router = Router(tags=["社区居家"])


@router.get("/ledger-entries", response=list[LedgerEntryRead])
@paginate
def list_ledger_entries(request: HttpRequest, committee_id: int | None = None,  # type: ignore[no-untyped-def]
                        status: str = "active", category: str = "", q: str = ""):
    return queries.search(queries.entries(request.actor), committee_id=committee_id,
                          status=status, category=category, q=q)


@router.get("/ledger-entries/{pk}", response=LedgerEntryRead)
def get_ledger_entry(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.entry(request.actor, pk)


@router.post("/ledger-entries", response={201: LedgerEntryRead})
def create_ledger_entry(request: HttpRequest, data: LedgerEntryCreate):  # type: ignore[no-untyped-def]
    entry = services.list_person(actor=request.actor, **data.model_dump(exclude_none=True))
    return Status(201, queries.entry(request.actor, entry.pk))


@router.patch("/ledger-entries/{pk}", response=LedgerEntryRead)
def update_ledger_entry(request: HttpRequest, pk: int, data: LedgerEntryUpdate):  # type: ignore[no-untyped-def]
    services.update_entry(actor=request.actor, entry_id=pk,
                          **data.model_dump(exclude_unset=True, exclude_none=True))
    return queries.entry(request.actor, pk)


@router.get("/community-visits", response=list[VisitRead])
@paginate
def list_community_visits(request: HttpRequest, entry_id: int | None = None):  # type: ignore[no-untyped-def]
    return queries.visits(request.actor, entry_id=entry_id)


@router.get("/community-visits/{pk}", response=VisitRead)
def get_community_visit(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.visit(request.actor, pk)


@router.post("/community-visits", response={201: VisitRead})
def create_community_visit(request: HttpRequest, data: VisitCreate):  # type: ignore[no-untyped-def]
    visit = services.record_visit(actor=request.actor, **data.model_dump())
    return Status(201, queries.visit(request.actor, visit.pk))


@router.get("/home-services", response=list[ServiceRead])
@paginate
def list_home_services(request: HttpRequest, entry_id: int | None = None,  # type: ignore[no-untyped-def]
                       status: str = "", kind: str = ""):
    return queries.service_requests(request.actor, entry_id=entry_id, status=status, kind=kind)


@router.get("/home-services/{pk}", response=ServiceRead)
def get_home_service(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.service_request(request.actor, pk)


@router.post("/home-services", response={201: ServiceRead})
def create_home_service(request: HttpRequest, data: ServiceCreate):  # type: ignore[no-untyped-def]
    req = services.request_service(actor=request.actor, **data.model_dump())
    return Status(201, queries.service_request(request.actor, req.pk))


@router.post("/home-services/{pk}/deliveries", response={201: ServiceRead})
def deliver_home_service(request: HttpRequest, pk: int, data: DeliveryCreate):  # type: ignore[no-untyped-def]
    services.record_delivery(actor=request.actor, request_id=pk, **data.model_dump())
    return Status(201, queries.service_request(request.actor, pk))


@router.get("/family-doctor-contracts", response=list[ContractRead])
@paginate
def list_family_doctor_contracts(request: HttpRequest, entry_id: int | None = None):  # type: ignore[no-untyped-def]
    return queries.contracts(request.actor, entry_id=entry_id)


@router.get("/family-doctor-contracts/{pk}", response=ContractRead)
def get_family_doctor_contract(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.contract(request.actor, pk)


@router.post("/family-doctor-contracts", response={201: ContractRead})
def create_family_doctor_contract(request: HttpRequest, data: ContractCreate):  # type: ignore[no-untyped-def]
    contract = services.sign_contract(actor=request.actor, **data.model_dump())
    return Status(201, queries.contract(request.actor, contract.pk))


@router.post("/family-doctor-contracts/{pk}/visits", response={201: ContractRead})
def record_family_doctor_visit(request: HttpRequest, pk: int, data: DoctorVisitCreate):  # type: ignore[no-untyped-def]
    services.record_doctor_visit(actor=request.actor, contract_id=pk, **data.model_dump())
    return Status(201, queries.contract(request.actor, pk))
