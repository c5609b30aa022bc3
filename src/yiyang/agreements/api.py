"""`/api/v1`: agreements and their lifecycle, patrol visits (with the drug orders given on
them), referrals and family beds. Both parties and the regulators of the home's region read;
the parties write through the services (the signed document is uploaded on the page)."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.medication.schemas import MedicationOrderRead

from . import family_bed_services, patrol_services, queries, services
from .schemas import (
    AgreementAct,
    AgreementRead,
    BedClose,
    BedRoundCreate,
    BedRoundRead,
    FamilyBedCreate,
    FamilyBedRead,
    PatrolOrderCreate,
    PatrolVisitCreate,
    PatrolVisitDetail,
    PatrolVisitRead,
    ReferralAct,
    ReferralCreate,
    ReferralRead,
)

router = Router(tags=["医养签约"])


@router.get("/agreements", response=list[AgreementRead])
@paginate
def list_agreements(request: HttpRequest, state: str = ""):  # type: ignore[no-untyped-def]
    return queries.agreements(request.actor, state=state)


@router.get("/agreements/{pk}", response=AgreementRead)
def get_agreement(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.agreement(request.actor, pk)


@router.post("/agreements/{pk}/act", response=AgreementRead)
def act_on_agreement(request: HttpRequest, pk: int, data: AgreementAct):  # type: ignore[no-untyped-def]
    services.act(actor=request.actor, agreement_id=pk, **data.model_dump())
    return queries.agreement(request.actor, pk)


# ---- patrol visits ------------------------------------------------------------------------

def _visit_detail(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    visit = queries.patrol_visit(request.actor, pk)
    visit.seen_rows = list(queries.residents_seen(request.actor, pk))
    visit.seen_count = len(visit.seen_rows)
    return visit


@router.get("/patrol-visits", response=list[PatrolVisitRead])
@paginate
def list_patrol_visits(request: HttpRequest, agreement_id: int | None = None):  # type: ignore[no-untyped-def]
    return queries.patrol_visits(request.actor, agreement_id)


@router.get("/patrol-visits/{pk}", response=PatrolVisitDetail)
def get_patrol_visit(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _visit_detail(request, pk)


@router.post("/patrol-visits", response={201: PatrolVisitDetail})
def create_patrol_visit(request: HttpRequest, data: PatrolVisitCreate):  # type: ignore[no-untyped-def]
    visit = patrol_services.record_patrol_visit(actor=request.actor, **data.model_dump())
    return Status(201, _visit_detail(request, visit.pk))


@router.post("/patrol-visits/{pk}/orders", response={201: MedicationOrderRead})
def create_patrol_order(request: HttpRequest, pk: int, data: PatrolOrderCreate):  # type: ignore[no-untyped-def]
    order = patrol_services.give_patrol_order(actor=request.actor, visit_id=pk,
                                              **data.model_dump())
    return Status(201, order)


# ---- referrals ----------------------------------------------------------------------------

@router.get("/referrals", response=list[ReferralRead])
@paginate
def list_referrals(request: HttpRequest, state: str = "", open_only: bool = False):  # type: ignore[no-untyped-def]
    return queries.all_referrals(request.actor, state=state, open_only=open_only)


@router.get("/referrals/{pk}", response=ReferralRead)
def get_referral(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.referral(request.actor, pk)


@router.post("/referrals", response={201: ReferralRead})
def create_referral(request: HttpRequest, data: ReferralCreate):  # type: ignore[no-untyped-def]
    referral = services.request_referral(actor=request.actor, **data.model_dump())
    return Status(201, queries.referral(request.actor, referral.pk))


@router.post("/referrals/{pk}/act", response=ReferralRead)
def act_on_referral(request: HttpRequest, pk: int, data: ReferralAct):  # type: ignore[no-untyped-def]
    services.act_referral(actor=request.actor, referral_id=pk, **data.model_dump())
    return queries.referral(request.actor, pk)


# ---- family beds --------------------------------------------------------------------------

@router.get("/family-beds", response=list[FamilyBedRead])
@paginate
def list_family_beds(request: HttpRequest, open_only: bool = False):  # type: ignore[no-untyped-def]
    return queries.family_beds(request.actor, open_only=open_only)


@router.get("/family-beds/{pk}", response=FamilyBedRead)
def get_family_bed(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.family_bed(request.actor, pk)


@router.post("/family-beds", response={201: FamilyBedRead})
def open_family_bed(request: HttpRequest, data: FamilyBedCreate):  # type: ignore[no-untyped-def]
    bed = family_bed_services.open_family_bed(actor=request.actor, **data.model_dump())
    return Status(201, queries.family_bed(request.actor, bed.pk))


@router.post("/family-beds/{pk}/rounds", response={201: BedRoundRead})
def create_family_bed_round(request: HttpRequest, pk: int, data: BedRoundCreate):  # type: ignore[no-untyped-def]
    entry = family_bed_services.record_round(actor=request.actor, bed_id=pk, **data.model_dump())
    return Status(201, entry)


@router.post("/family-beds/{pk}/close", response=FamilyBedRead)
def close_family_bed(request: HttpRequest, pk: int, data: BedClose):  # type: ignore[no-untyped-def]
    family_bed_services.close_family_bed(actor=request.actor, bed_id=pk, **data.model_dump())
    return queries.family_bed(request.actor, pk)
