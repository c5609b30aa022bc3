"""API shapes of the staff-training and TCM-technique routes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema


class AttendeeRead(Schema):
    membership_id: int
    name: str
    title: str


class TrainingRead(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    kind: str
    kind_label: str
    organiser: str
    held_on: date
    hours: Decimal
    note: str
    attendee_count: int
    has_certificate: bool
    recorded_by: str
    version: int

    @staticmethod
    def resolve_org_name(obj: Any) -> str:
        return obj.org.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_attendee_count(obj: Any) -> int:
        count = getattr(obj, "attendee_count", None)
        return count if count is not None else obj.attendance.count()

    @staticmethod
    def resolve_has_certificate(obj: Any) -> bool:
        return bool(obj.certificate)


class TrainingDetail(TrainingRead):
    attendees: list[AttendeeRead]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[dict[str, Any]]:
        return [{"membership_id": a.membership_id,
                 "name": a.membership.user.full_name or a.membership.user.username,
                 "title": a.membership.title or a.membership.get_role_display()}
                for a in obj.attendance.all()]


class TrainingCreate(Schema):
    title: str
    kind: str
    organiser: str
    held_on: date
    hours: Decimal
    attendee_ids: list[int]
    note: str = ""


class TechniqueRead(Schema):
    id: int
    org_id: int
    org_name: str
    technique: str
    technique_label: str
    category: str
    category_label: str
    started_on: date
    stopped_on: date | None
    performers: list[AttendeeRead]
    note: str
    recorded_by: str
    version: int

    @staticmethod
    def resolve_org_name(obj: Any) -> str:
        return obj.org.name

    @staticmethod
    def resolve_technique_label(obj: Any) -> str:
        return obj.get_technique_display()

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_performers(obj: Any) -> list[dict[str, Any]]:
        return [{"membership_id": m.pk, "name": m.user.full_name or m.user.username,
                 "title": m.title or m.get_role_display()} for m in obj.performers.all()]


class TechniqueCreate(Schema):
    technique: str
    started_on: date
    performer_ids: list[int] = []
    note: str = ""


class TechniqueStop(Schema):
    version: int
    stopped_on: date | None = None
