"""The area's routes under /api/v1: county local-case marks, sampling days (completion) and
today's proposal, staff vaccination, supplies and the county demand list, support teams,
closed management. Thin: parse, call a service or a query."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.core.errors import NotFound

from . import readiness_queries as rq
from . import readiness_services as rs
from . import sampling_queries as sq
from . import sampling_services as ss
from .readiness_schemas import (
    ClosureCreate,
    ClosureDetail,
    ClosureEnd,
    ClosureRead,
    ClosureUpdate,
    DemandLineRead,
    LocalCaseCreate,
    LocalCaseEnd,
    LocalCaseRead,
    SamplesCreate,
    SamplingDayDetail,
    SamplingDayRead,
    SamplingStateRead,
    ShiftCreate,
    StaffDoseCreate,
    StaffPostUpdate,
    StaffVaccinationRead,
    SupplyMovementCreate,
    SupplyRead,
    SupplyUpdate,
    TeamCreate,
    TeamDetail,
    TeamMemberCreate,
    TeamRead,
    TrainingCreate,
)

router = Router(tags=["感染防控：抽样检测与应急准备"])


# ---------------------------------------------------------------- sampling rounds


@router.get("/local-cases", response=list[LocalCaseRead])
@paginate
def list_local_cases(request: HttpRequest, open_only: bool = False):  # type: ignore[no-untyped-def]
    return sq.marks(request.actor, open_only=open_only)


@router.post("/local-cases", response={201: LocalCaseRead})
def mark_local_case(request: HttpRequest, data: LocalCaseCreate):  # type: ignore[no-untyped-def]
    mark = ss.mark_local_case(actor=request.actor, **data.model_dump())
    return Status(201, sq.mark(request.actor, mark.pk))


@router.post("/local-cases/{pk}/end", response=LocalCaseRead)
def end_local_case(request: HttpRequest, pk: int, data: LocalCaseEnd):  # type: ignore[no-untyped-def]
    ss.end_local_case(actor=request.actor, mark_id=pk, **data.model_dump())
    return sq.mark(request.actor, pk)


@router.get("/sampling-days", response=list[SamplingDayRead])
@paginate
def list_sampling_days(request: HttpRequest, home_id: int | None = None):  # type: ignore[no-untyped-def]
    return sq.sampling_days(request.actor, home_id=home_id)


@router.get("/sampling-days/{pk}", response=SamplingDayDetail)
def get_sampling_day(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return sq.sampling_day(request.actor, pk)


@router.post("/sampling-days", response={201: SamplingDayDetail})
def record_samples(request: HttpRequest, data: SamplesCreate):  # type: ignore[no-untyped-def]
    day = ss.record_samples(actor=request.actor, day=data.day,
                            subjects=ss.subject_keys(data.person_ids, data.membership_ids))
    return Status(201, sq.sampling_day(request.actor, day.pk))


def _state(h: sq.HomeSampling) -> dict:
    return {"id": h.home.pk, "home_id": h.home.pk, "home_name": h.home.name, "mark_id": h.mark.pk,
            "county_name": h.mark.county_name, "today": h.today,
            "full_round_done": h.full_round_done,
            "proposal": [{"key": s.key, "name": s.name} for s in h.proposal],
            "sampled_today": sorted(h.sampled_today),
            "days": [c.__dict__ for c in h.days]}


@router.get("/sampling-state", response=list[SamplingStateRead])
@paginate
def list_sampling_state(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Each home the caller sees whose county has a local case: completion per day and today's
    proposal (a home sees its own; regulators their region's homes)."""
    return [_state(h) for h in sq.region_sampling(request.actor)]


@router.get("/sampling-state/{home_id}", response=SamplingStateRead)
def get_sampling_state(request: HttpRequest, home_id: int):  # type: ignore[no-untyped-def]
    h = sq.home_sampling(request.actor, home_id)
    if h is None:
        raise NotFound("该机构所在县（市、区）没有本土病例标记")
    return _state(h)


# ---------------------------------------------------------------- staff vaccination


@router.get("/staff-vaccinations", response=list[StaffVaccinationRead])
@paginate
def list_staff_vaccinations(request: HttpRequest, flagged: bool | None = None):  # type: ignore[no-untyped-def]
    rows = rq.staff_rows(list(rq.staff_memberships(request.actor)))
    if flagged is not None:
        rows = [r for r in rows if r.flagged is flagged]
    return rows


@router.get("/staff-vaccinations/{membership_id}", response=StaffVaccinationRead)
def get_staff_vaccination(request: HttpRequest, membership_id: int):  # type: ignore[no-untyped-def]
    return rq.staff_member(request.actor, membership_id)


@router.post("/staff-vaccinations/{membership_id}/doses", response={201: StaffVaccinationRead})
def record_staff_dose(request: HttpRequest, membership_id: int, data: StaffDoseCreate):  # type: ignore[no-untyped-def]
    rs.record_staff_dose(actor=request.actor, membership_id=membership_id, **data.model_dump())
    return Status(201, rq.staff_member(request.actor, membership_id))


@router.post("/staff-vaccinations/{membership_id}/post", response=StaffVaccinationRead)
def set_staff_post(request: HttpRequest, membership_id: int, data: StaffPostUpdate):  # type: ignore[no-untyped-def]
    rs.set_staff_post(actor=request.actor, membership_id=membership_id, **data.model_dump())
    return rq.staff_member(request.actor, membership_id)


# ---------------------------------------------------------------- supplies


@router.get("/supplies", response=list[SupplyRead])
@paginate
def list_supplies(request: HttpRequest, home_id: int | None = None, below: bool = False):  # type: ignore[no-untyped-def]
    return rq.stock_lines(request.actor, home_id=home_id, below_only=below)


@router.get("/supplies/{pk}", response=SupplyRead)
def get_supply(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return rq.stock_line(request.actor, pk)


@router.patch("/supplies/{pk}", response=SupplyRead)
def update_supply(request: HttpRequest, pk: int, data: SupplyUpdate):  # type: ignore[no-untyped-def]
    rs.set_supply_minimum(actor=request.actor, stock_id=pk, **data.model_dump())
    return rq.stock_line(request.actor, pk)


@router.post("/supplies/{pk}/movements", response={201: SupplyRead})
def record_supply_movement(request: HttpRequest, pk: int, data: SupplyMovementCreate):  # type: ignore[no-untyped-def]
    rs.record_supply_movement(actor=request.actor, stock_id=pk, **data.model_dump())
    return Status(201, rq.stock_line(request.actor, pk))


@router.get("/supply-demand", response=list[DemandLineRead])
def supply_demand(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The demand list of the caller's region (regulators): shortfalls summed per kind."""
    return [line.__dict__ for line in rq.demand(request.actor)]


# ---------------------------------------------------------------- support teams


@router.get("/support-teams", response=list[TeamRead])
@paginate
def list_support_teams(request: HttpRequest):  # type: ignore[no-untyped-def]
    return rq.teams(request.actor)


@router.get("/support-teams/{pk}", response=TeamDetail)
def get_support_team(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return rq.team(request.actor, pk)


@router.post("/support-teams", response={201: TeamDetail})
def create_support_team(request: HttpRequest, data: TeamCreate):  # type: ignore[no-untyped-def]
    team = rs.create_team(actor=request.actor, **data.model_dump())
    return Status(201, rq.team(request.actor, team.pk))


@router.post("/support-teams/{pk}/members", response={201: TeamDetail})
def add_support_team_member(request: HttpRequest, pk: int, data: TeamMemberCreate):  # type: ignore[no-untyped-def]
    rs.add_team_member(actor=request.actor, team_id=pk, **data.model_dump())
    return Status(201, rq.team(request.actor, pk))


@router.post("/support-teams/{pk}/trainings", response={201: TeamDetail})
def record_support_team_training(request: HttpRequest, pk: int, data: TrainingCreate):  # type: ignore[no-untyped-def]
    rs.record_team_training(actor=request.actor, team_id=pk, **data.model_dump())
    return Status(201, rq.team(request.actor, pk))


# ---------------------------------------------------------------- closed management


@router.get("/closed-management", response=list[ClosureRead])
@paginate
def list_closed_management(request: HttpRequest, open_only: bool = False):  # type: ignore[no-untyped-def]
    return rq.closures(request.actor, open_only=open_only)


@router.get("/closed-management/{pk}", response=ClosureDetail)
def get_closed_management(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return rq.closure(request.actor, pk)


@router.post("/closed-management", response={201: ClosureDetail})
def start_closed_management(request: HttpRequest, data: ClosureCreate):  # type: ignore[no-untyped-def]
    closure = rs.start_closed_management(actor=request.actor, **data.model_dump())
    return Status(201, rq.closure(request.actor, closure.pk))


@router.patch("/closed-management/{pk}", response=ClosureDetail)
def update_closed_management(request: HttpRequest, pk: int, data: ClosureUpdate):  # type: ignore[no-untyped-def]
    rs.set_measures(actor=request.actor, closure_id=pk, **data.model_dump())
    return rq.closure(request.actor, pk)


@router.post("/closed-management/{pk}/end", response=ClosureDetail)
def end_closed_management(request: HttpRequest, pk: int, data: ClosureEnd):  # type: ignore[no-untyped-def]
    rs.end_closed_management(actor=request.actor, closure_id=pk, **data.model_dump())
    return rq.closure(request.actor, pk)


@router.post("/closed-management/{pk}/shifts", response={201: ClosureDetail})
def add_closed_management_shift(request: HttpRequest, pk: int, data: ShiftCreate):  # type: ignore[no-untyped-def]
    rs.add_shift(actor=request.actor, closure_id=pk, **data.model_dump())
    return Status(201, rq.closure(request.actor, pk))
