"""API shapes of the compliance routes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class ObligationStatusRead(Schema):
    id: str  # "<home id>:<obligation code>"
    home_id: int
    home_name: str
    obligation: str
    title: str
    requirement: str
    clause: str
    source: str
    status: str | None  # done | due | overdue | not_connected; None when not applicable
    status_label: str
    period: str | None
    done: int
    required: int
    overdue_periods: list[str]


class ObligationRecordRead(Schema):
    id: int
    home_id: int
    home_name: str
    obligation: str
    obligation_title: str
    done_on: date
    participants: int
    participant_note: str
    summary: str
    has_evidence: bool
    recorded_by: str
    created_at: datetime

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_obligation_title(obj: Any) -> str:
        return obj.get_obligation_display()

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)


class ObligationRecordCreate(Schema):
    obligation: str
    done_on: date
    summary: str
    participants: int = 0
    participant_note: str = ""


class HazardRead(Schema):
    id: int
    home_id: int
    home_name: str
    found_on: date
    place: str
    description: str
    level: str
    deadline: date
    state: str
    overdue: bool
    rectified_on: date | None
    rectification: str
    has_evidence: bool
    verified_on: date | None
    verified_by: str
    history: list[dict[str, Any]]
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from django.utils import timezone

        from .rules import hazard_overdue

        return hazard_overdue(obj.state, obj.deadline, timezone.localdate())


class HazardCreate(Schema):
    found_on: date
    place: str
    description: str
    deadline: date
    level: str = "general"


class HazardAct(Schema):
    action: str
    version: int
    note: str = ""
    done_on: date | None = None


class FindingRead(Schema):
    id: int
    inspection_id: int
    home_id: int
    description: str
    requirement: str
    deadline: date
    state: str
    overdue: bool
    rectification: str
    rectified_on: date | None
    has_evidence: bool
    rounds: int
    history: list[dict[str, Any]]
    version: int

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from django.utils import timezone

        from .rules import rectification_overdue

        return rectification_overdue(obj.state, obj.deadline, timezone.localdate())


class InspectionRead(Schema):
    id: int
    regulator_id: int
    regulator_name: str
    draw_id: int | None
    home_id: int
    home_name: str
    year: int
    inspector_names: str
    state: str
    inspected_on: date | None
    outcome: str
    version: int

    @staticmethod
    def resolve_regulator_name(obj: Any) -> str:
        return obj.regulator.name

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name


class InspectionDetail(InspectionRead):
    findings: list[FindingRead]

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        return obj.finding_rows


class InspectionConclude(Schema):
    version: int
    inspected_on: date
    outcome: str


class FindingCreate(Schema):
    description: str
    deadline: date
    requirement: str = ""


class FindingAct(Schema):
    action: str
    version: int
    note: str = ""
    deadline: date | None = None
    done_on: date | None = None


class DrawRead(Schema):
    id: int
    regulator_id: int
    regulator_name: str
    year: int
    seed: int
    count: int | None
    percent: Decimal | None
    per_inspection: int
    institution_ids: list[int]
    inspector_ids: list[int]
    result: list[list[Any]]
    drawn_by: str
    created_at: datetime

    @staticmethod
    def resolve_regulator_name(obj: Any) -> str:
        return obj.regulator.name


class DrawCreate(Schema):
    year: int
    count: int | None = None
    percent: Decimal | None = None
    per_inspection: int = 2
    seed: int | None = None


class FilingRead(Schema):
    id: int
    home_id: int
    home_name: str
    kind: str
    kind_label: str
    name: str
    record_number: str
    head: str
    doctors: int
    nurses: int
    other_staff: int
    services: str
    filed_on: date
    state: str
    reviewer_id: int | None
    reviewed_on: date | None
    reviewed_by: str
    review_note: str
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()


class FilingCreate(Schema):
    kind: str
    name: str
    head: str
    services: str
    doctors: int = 0
    nurses: int = 0
    other_staff: int = 0
    record_number: str = ""
    filed_on: date | None = None


class FilingReview(Schema):
    action: str
    version: int
    reason: str = ""
