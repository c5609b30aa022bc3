"""API shapes of sampling rounds and readiness (`/api/v1/local-cases`, `/sampling-days`,
`/sampling-proposal`, `/staff-vaccinations`, `/supplies`, `/support-teams`,
`/closed-management`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema

from yiyang.core.masking import mask_phone

from . import readiness_rules as rr

# ---------------------------------------------------------------- sampling


class LocalCaseRead(Schema):
    id: int
    regulator_id: int
    regulator_name: str
    county_prefix: str
    county_name: str
    started_on: date
    ended_on: date | None
    note: str
    marked_by: str
    version: int

    @staticmethod
    def resolve_regulator_name(obj: Any) -> str:
        return obj.regulator.name


class LocalCaseCreate(Schema):
    started_on: date
    note: str = ""


class LocalCaseEnd(Schema):
    version: int
    ended_on: date | None = None


class SampleRead(Schema):
    subject: str
    person_id: int | None
    membership_id: int | None
    name: str
    from_proposal: bool

    @staticmethod
    def resolve_membership_id(obj: Any) -> int | None:
        return obj.staff_id


class SamplingDayRead(Schema):
    id: int
    home_id: int
    home_name: str
    mark_id: int
    day: date
    population: int
    proposed: list[str]

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name


class SamplingDayDetail(SamplingDayRead):
    samples: list[SampleRead]

    @staticmethod
    def resolve_samples(obj: Any) -> list[Any]:
        return list(obj.samples.all())


class SamplesCreate(Schema):
    day: date
    person_ids: list[int] = []
    membership_ids: list[int] = []


class SubjectRead(Schema):
    key: str
    name: str


class CompletionRead(Schema):
    day: date
    phase: str
    population: int
    required: int
    sampled: int
    from_proposal: int
    met: bool


class SamplingStateRead(Schema):
    id: int  # the home's id
    home_id: int
    home_name: str
    mark_id: int
    county_name: str
    today: date
    full_round_done: bool
    proposal: list[SubjectRead]
    sampled_today: list[str]
    days: list[CompletionRead]


# ---------------------------------------------------------------- staff


class DoseRead(Schema):
    id: int
    kind: str
    given_on: date
    product: str
    deferred_until: date | None
    reason: str


class StaffVaccinationRead(Schema):
    id: int  # the staff member's membership id
    home_id: int
    name: str
    role: str
    post: str
    direct_contact: bool
    status: str
    primary_doses: int
    required_doses: int
    full_course: bool
    booster: bool
    contraindicated: bool
    deferred_until: date | None
    flagged: bool
    post_version: int | None
    doses: list[DoseRead]

    @staticmethod
    def resolve_home_id(obj: Any) -> int:
        return obj.membership.org_id

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.membership.user)

    @staticmethod
    def resolve_role(obj: Any) -> str:
        return obj.membership.get_role_display()

    @staticmethod
    def resolve_post(obj: Any) -> str:
        return obj.post.post if obj.post else ""

    @staticmethod
    def resolve_post_version(obj: Any) -> int | None:
        return obj.post.version if obj.post else None

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return obj.status.label

    @staticmethod
    def resolve_primary_doses(obj: Any) -> int:
        return obj.status.primary_doses

    @staticmethod
    def resolve_required_doses(obj: Any) -> int:
        return obj.status.required

    @staticmethod
    def resolve_full_course(obj: Any) -> bool:
        return obj.status.full_course

    @staticmethod
    def resolve_booster(obj: Any) -> bool:
        return obj.status.booster

    @staticmethod
    def resolve_contraindicated(obj: Any) -> bool:
        return obj.status.contraindicated

    @staticmethod
    def resolve_deferred_until(obj: Any) -> date | None:
        return obj.status.deferred_until


class StaffDoseCreate(Schema):
    kind: str
    given_on: date
    product: str = ""
    deferred_until: date | None = None
    reason: str = ""


class StaffPostUpdate(Schema):
    post: str = ""
    direct_contact: bool
    version: int | None = None


# ---------------------------------------------------------------- supplies


class SupplyRead(Schema):
    id: int
    home_id: int
    home_name: str
    kind: str
    label: str
    unit: str
    on_hand: int
    minimum: int
    shortfall: int
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return obj.spec.label

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.spec.unit


class SupplyUpdate(Schema):
    version: int
    minimum: int


class SupplyMovementCreate(Schema):
    kind: str
    quantity: int
    on: date | None = None
    note: str = ""


class DemandLineRead(Schema):
    kind: str
    label: str
    unit: str
    total: int
    by_home: dict[str, int]


# ---------------------------------------------------------------- teams


class TeamMemberRead(Schema):
    id: int
    name: str
    profession: str
    employer: str
    phone: str  # masked

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return mask_phone(obj.phone)


class TrainingRead(Schema):
    id: int
    trained_on: date
    topic: str
    trainer: str
    attendees: int


class TeamRead(Schema):
    id: int
    regulator_id: int
    regulator_name: str
    name: str
    leader: str
    note: str
    last_trained: date | None
    ready: bool
    ready_until: date | None
    version: int

    @staticmethod
    def resolve_regulator_name(obj: Any) -> str:
        return obj.regulator.name

    @staticmethod
    def resolve_last_trained(obj: Any) -> date | None:
        return getattr(obj, "last_trained", None)

    @staticmethod
    def resolve_ready(obj: Any) -> bool:
        from django.utils import timezone

        return rr.team_ready(getattr(obj, "last_trained", None), timezone.localdate())

    @staticmethod
    def resolve_ready_until(obj: Any) -> date | None:
        return rr.training_due_on(getattr(obj, "last_trained", None))


class TeamDetail(TeamRead):
    members: list[TeamMemberRead]
    trainings: list[TrainingRead]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_trainings(obj: Any) -> list[Any]:
        return list(obj.trainings.all())


class TeamCreate(Schema):
    name: str
    leader: str = ""
    note: str = ""


class TeamMemberCreate(Schema):
    name: str
    profession: str
    employer: str = ""
    phone: str = ""


class TrainingCreate(Schema):
    trained_on: date
    topic: str
    trainer: str = ""
    attendees: int = 0


# ---------------------------------------------------------------- closed management


class ShiftRead(Schema):
    id: int
    membership_id: int
    name: str
    team: str
    start_on: date
    end_on: date

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.membership.user)


class ClosureRead(Schema):
    id: int
    home_id: int
    home_name: str
    started_on: date
    ended_on: date | None
    measures: list[str]
    measure_labels: list[str]
    note: str
    started_by: str
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name


class ClosureDetail(ClosureRead):
    shifts: list[ShiftRead]
    flags: list[dict[str, str]]

    @staticmethod
    def resolve_shifts(obj: Any) -> list[Any]:
        return list(obj.shifts.all())

    @staticmethod
    def resolve_flags(obj: Any) -> list[dict[str, str]]:
        return [{"membership_id": f.staff, "start_on": f.start.isoformat(), "code": f.code,
                 "message": f.message}
                for f in rr.rotation_flags(s.as_rule() for s in obj.shifts.all())]


class ClosureCreate(Schema):
    started_on: date
    measures: list[str] = []
    note: str = ""


class ClosureUpdate(Schema):
    version: int
    measures: list[str]
    note: str | None = None


class ClosureEnd(Schema):
    version: int
    ended_on: date | None = None


class ShiftCreate(Schema):
    membership_id: int
    team: str
    start_on: date
    end_on: date
