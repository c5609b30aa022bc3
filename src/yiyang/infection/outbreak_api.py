"""`/api/v1`: symptom checks and test results, outbreaks (+ `/act`), the reporting chain
(`/outbreak-reports`: a department's inbox and what it sent; + `/act`) and isolation sites.
Thin: every write goes through `outbreak_services` / `outbreak_reports`."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.core.errors import ValidationFailed

from . import outbreak_queries as queries
from . import outbreak_reports as reports
from . import outbreak_services as services
from .outbreak_schemas import (
    IsolationSiteCreate,
    IsolationSiteRead,
    IsolationSiteUpdate,
    OutbreakAct,
    OutbreakRead,
    OutbreakReportAct,
    OutbreakReportRead,
    SymptomCheckCreate,
    SymptomCheckRead,
    TestResultCreate,
    TestResultRead,
)

router = Router(tags=["感染防控"])


@router.get("/symptom-checks", response=list[SymptomCheckRead])
@paginate
def list_symptom_checks(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                        referral: bool = False):
    return queries.symptom_checks(request.actor, person_id=person_id, referral_only=referral)


@router.get("/symptom-checks/{pk}", response=SymptomCheckRead)
def get_symptom_check(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.symptom_check(request.actor, pk)


@router.post("/symptom-checks", response={201: SymptomCheckRead})
def create_symptom_check(request: HttpRequest, data: SymptomCheckCreate):  # type: ignore[no-untyped-def]
    return Status(201, services.record_symptom_check(actor=request.actor, **data.model_dump()))


@router.get("/infection-tests", response=list[TestResultRead])
@paginate
def list_infection_tests(request: HttpRequest, person_id: int | None = None,  # type: ignore[no-untyped-def]
                         positive: bool = False):
    return queries.tests(request.actor, person_id=person_id, positive_only=positive)


@router.get("/infection-tests/{pk}", response=TestResultRead)
def get_infection_test(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.test(request.actor, pk)


@router.post("/infection-tests", response={201: TestResultRead})
def create_infection_test(request: HttpRequest, data: TestResultCreate):  # type: ignore[no-untyped-def]
    return Status(201, services.record_test(actor=request.actor, **data.model_dump()))


@router.get("/outbreaks", response=list[OutbreakRead])
@paginate
def list_outbreaks(request: HttpRequest, open: bool = False, region: str = ""):  # type: ignore[no-untyped-def]  # noqa: A002
    return queries.outbreaks(request.actor, open_only=open, region=region)


@router.get("/outbreaks/{pk}", response=OutbreakRead)
def get_outbreak(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.outbreak(request.actor, pk)


@router.post("/outbreaks/{pk}/act", response=OutbreakRead)
def act_outbreak(request: HttpRequest, pk: int, data: OutbreakAct):  # type: ignore[no-untyped-def]
    payload = data.model_dump()
    services.act(actor=request.actor, outbreak_id=pk, **payload)
    return queries.outbreak(request.actor, pk)


@router.get("/outbreak-reports", response=list[OutbreakReportRead])
@paginate
def list_outbreak_reports(request: HttpRequest, inbox: bool = False,  # type: ignore[no-untyped-def]
                          pending: bool = False):
    if inbox:
        return queries.inbox(request.actor, pending_only=pending)
    return queries.reports(request.actor)


@router.get("/outbreak-reports/{pk}", response=OutbreakReportRead)
def get_outbreak_report(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.report(request.actor, pk)


@router.post("/outbreak-reports/{pk}/act", response=OutbreakReportRead)
def act_outbreak_report(request: HttpRequest, pk: int, data: OutbreakReportAct):  # type: ignore[no-untyped-def]
    if data.action == "acknowledge":
        reports.acknowledge(actor=request.actor, report_id=pk, version=data.version)
    elif data.action == "forward":
        reports.forward(actor=request.actor, report_id=pk, version=data.version,
                        content=data.content)
    else:
        raise ValidationFailed("unknown_action", "未知的办理事项", field="action")
    return queries.report(request.actor, pk)


@router.get("/isolation-sites", response=list[IsolationSiteRead])
@paginate
def list_isolation_sites(request: HttpRequest):  # type: ignore[no-untyped-def]
    return queries.sites(request.actor)


@router.get("/isolation-sites/{pk}", response=IsolationSiteRead)
def get_isolation_site(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.site(request.actor, pk)


@router.post("/isolation-sites", response={201: IsolationSiteRead})
def create_isolation_site(request: HttpRequest, data: IsolationSiteCreate):  # type: ignore[no-untyped-def]
    return Status(201, reports.create_site(actor=request.actor, **data.model_dump()))


@router.patch("/isolation-sites/{pk}", response=IsolationSiteRead)
def update_isolation_site(request: HttpRequest, pk: int, data: IsolationSiteUpdate):  # type: ignore[no-untyped-def]
    reports.update_site(actor=request.actor, site_id=pk, **data.model_dump())
    return queries.site(request.actor, pk)
