"""API shapes of `/api/v1/care-plans`, `/api/v1/care-tasks` and `/api/v1/vital-signs`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class Intervention(Schema):
    key: str = ""
    text: str
    frequency: str
    times: list[str] = []
    weekday: int | None = None


class Problem(Schema):
    code: str = "custom"
    problem: str
    goal: str
    basis: str = ""
    source: str = ""
    interventions: list[Intervention] = []


class RevisionRead(Schema):
    number: int
    nursing_level: str
    problems: list[dict[str, Any]]
    review_on: date | None
    note: str
    approved_at: datetime
    approved_by_name: str


class CarePlanRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    status: str
    nursing_level: str
    nursing_level_label: str
    problems: list[dict[str, Any]]
    basis: list[dict[str, Any]]
    review_on: date | None
    review_state: str
    note: str
    revision: int
    approved_at: datetime | None
    approved_by_name: str
    created_by_name: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_review_state(obj: Any) -> str:
        from django.utils import timezone

        from .plan_rules import review_state
        return review_state(obj.review_on, timezone.localdate()).value


class CarePlanDetail(CarePlanRead):
    revisions: list[RevisionRead] = []


class CarePlanCreate(Schema):
    person_id: int
    review_on: date | None = None


class CarePlanPatch(Schema):
    version: int
    nursing_level: str | None = None
    problems: list[Problem] | None = None
    review_on: date | None = None
    note: str | None = None


class VersionIn(Schema):
    version: int


class CareTaskRead(Schema):
    id: int
    plan_id: int
    revision: int
    person_id: int
    person_name: str
    home_id: int
    intervention_key: str
    title: str
    problem: str
    day: date
    shift: str
    shift_name: str
    due_at: datetime
    status: str
    state: str
    reason: str
    recorded_at: datetime | None
    recorded_by_name: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_shift(obj: Any) -> str:
        return obj.shift.code

    @staticmethod
    def resolve_shift_name(obj: Any) -> str:
        return obj.shift.name

    @staticmethod
    def resolve_state(obj: Any) -> str:
        from django.utils import timezone

        from .plan_rules import task_state
        return task_state(obj.status, obj.due_at, timezone.now()).value


class CareTaskRecord(Schema):
    version: int
    done: bool
    reason: str = ""


class VitalSignRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    measured_at: datetime
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    temperature: Decimal | None
    spo2: int | None
    glucose: Decimal | None
    weight: Decimal | None
    note: str
    has_alert: bool
    alerts: list[dict[str, Any]]
    recorded_by_name: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class VitalSignCreate(Schema):
    person_id: int
    measured_at: datetime | None = None
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None
    temperature: Decimal | None = None
    spo2: int | None = None
    glucose: Decimal | None = None
    weight: Decimal | None = None
    note: str = ""
