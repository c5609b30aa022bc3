"""The app's routes under /api/v1: obligation statuses and records, hazards, inspections and
their draws and findings, clinic filings.  Evidence files are uploaded on the pages."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from . import filing_services, inspection_services, queries, services
from .schemas import (
    DrawCreate,
    DrawRead,
    FilingCreate,
    FilingRead,
    FilingReview,
    FindingAct,
    FindingCreate,
    FindingRead,
    HazardAct,
    HazardCreate,
    HazardRead,
    InspectionConclude,
    InspectionDetail,
    InspectionRead,
    ObligationRecordCreate,
    ObligationRecordRead,
    ObligationStatusRead,
)

router = Router(tags=["监管与合规"])


@router.get("/obligations", response=list[ObligationStatusRead])
@paginate
def list_obligation_statuses(request: HttpRequest, home_id: int | None = None):  # type: ignore[no-untyped-def]
    """Each (home, obligation) standing of the homes the caller may read."""
    home_list = queries.homes(request.actor)
    if home_id:
        home_list = home_list.filter(pk=home_id)
    home_list = list(home_list)
    cells = queries.standings(request.actor, home_list)
    rows = []
    for h in home_list:
        for c in cells[h.pk]:
            s, o = c.standing, c.obligation
            rows.append({
                "id": f"{h.pk}:{o.code}", "home_id": h.pk, "home_name": h.name,
                "obligation": o.code, "title": o.title, "requirement": o.requirement,
                "clause": o.clause, "source": o.source,
                "status": c.status.value if c.status else None,
                "status_label": c.status.label if c.status else "不适用",
                "period": s.current.label if s and s.current else None,
                "done": s.done if s else 0, "required": s.required if s else 0,
                "overdue_periods": [p.label for p in s.missed] if s and s.current else []})
    return rows


@router.get("/obligation-records", response=list[ObligationRecordRead])
@paginate
def list_obligation_records(request: HttpRequest, home_id: int | None = None,  # type: ignore[no-untyped-def]
                            obligation: str = ""):
    return queries.records(request.actor, home_id=home_id, obligation=obligation)


@router.get("/obligation-records/{pk}", response=ObligationRecordRead)
def get_obligation_record(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.record(request.actor, pk)


@router.post("/obligation-records", response={201: ObligationRecordRead})
def create_obligation_record(request: HttpRequest, data: ObligationRecordCreate):  # type: ignore[no-untyped-def]
    done = services.record_obligation(actor=request.actor, **data.model_dump())
    return Status(201, queries.record(request.actor, done.pk))


@router.get("/hazards", response=list[HazardRead])
@paginate
def list_hazards(request: HttpRequest, state: str = "", overdue: bool = False):  # type: ignore[no-untyped-def]
    return queries.hazards(request.actor, state=state, overdue_only=overdue)


@router.get("/hazards/{pk}", response=HazardRead)
def get_hazard(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.hazard(request.actor, pk)


@router.post("/hazards", response={201: HazardRead})
def create_hazard(request: HttpRequest, data: HazardCreate):  # type: ignore[no-untyped-def]
    done = services.record_hazard(actor=request.actor, **data.model_dump())
    return Status(201, queries.hazard(request.actor, done.pk))


@router.post("/hazards/{pk}/act", response=HazardRead)
def act_on_hazard(request: HttpRequest, pk: int, data: HazardAct):  # type: ignore[no-untyped-def]
    services.act_on_hazard(actor=request.actor, hazard_id=pk, **data.model_dump())
    return queries.hazard(request.actor, pk)


@router.get("/inspections", response=list[InspectionRead])
@paginate
def list_inspections(request: HttpRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    return queries.inspections(request.actor, year=year)


def _detail(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    inspection = queries.inspection(request.actor, pk)
    inspection.finding_rows = list(queries.findings(request.actor, pk))
    return inspection


@router.get("/inspections/{pk}", response=InspectionDetail)
def get_inspection(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _detail(request, pk)


@router.post("/inspections/{pk}/conclude", response=InspectionDetail)
def conclude_inspection(request: HttpRequest, pk: int, data: InspectionConclude):  # type: ignore[no-untyped-def]
    inspection_services.conclude(actor=request.actor, inspection_id=pk, **data.model_dump())
    return _detail(request, pk)


@router.post("/inspections/{pk}/findings", response={201: FindingRead})
def issue_finding(request: HttpRequest, pk: int, data: FindingCreate):  # type: ignore[no-untyped-def]
    done = inspection_services.issue_finding(actor=request.actor, inspection_id=pk,
                                             **data.model_dump())
    return Status(201, queries.finding(request.actor, done.pk))


@router.post("/inspection-findings/{pk}/act", response=FindingRead)
def act_on_finding(request: HttpRequest, pk: int, data: FindingAct):  # type: ignore[no-untyped-def]
    inspection_services.act_on_finding(actor=request.actor, finding_id=pk, **data.model_dump())
    return queries.finding(request.actor, pk)


@router.get("/inspection-draws", response=list[DrawRead])
@paginate
def list_inspection_draws(request: HttpRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    qs = queries.draws(request.actor)
    return qs.filter(year=year) if year else qs


@router.get("/inspection-draws/{pk}", response=DrawRead)
def get_inspection_draw(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.draw(request.actor, pk)


@router.post("/inspection-draws", response={201: DrawRead})
def create_inspection_draw(request: HttpRequest, data: DrawCreate):  # type: ignore[no-untyped-def]
    done = inspection_services.make_draw(actor=request.actor, **data.model_dump())
    return Status(201, queries.draw(request.actor, done.pk))


@router.get("/clinic-filings", response=list[FilingRead])
@paginate
def list_clinic_filings(request: HttpRequest, state: str = ""):  # type: ignore[no-untyped-def]
    return queries.filings(request.actor, state=state)


@router.get("/clinic-filings/{pk}", response=FilingRead)
def get_clinic_filing(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.filing(request.actor, pk)


@router.post("/clinic-filings", response={201: FilingRead})
def create_clinic_filing(request: HttpRequest, data: FilingCreate):  # type: ignore[no-untyped-def]
    done = filing_services.file_clinic(actor=request.actor, **data.model_dump())
    return Status(201, queries.filing(request.actor, done.pk))


@router.post("/clinic-filings/{pk}/review", response=FilingRead)
def review_clinic_filing(request: HttpRequest, pk: int, data: FilingReview):  # type: ignore[no-untyped-def]
    filing_services.review_filing(actor=request.actor, filing_id=pk, **data.model_dump())
    return queries.filing(request.actor, pk)

