"""API shapes of `/api/v1/pressure-injuries`, `/api/v1/incidents`, `/api/v1/education-sessions`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class ObservationRead(Schema):
    id: int
    observed_at: datetime
    stage: str
    stage_label: str
    length_cm: Decimal | None
    width_cm: Decimal | None
    depth_cm: Decimal | None
    wound_bed: str
    treatment: str
    recorded_by: str

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return obj.get_stage_display()


class LesionRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    home_name: str
    site: str
    site_label: str
    site_detail: str
    initial_stage: str
    stage: str
    stage_label: str
    present_on_admission: bool
    found_at: datetime
    device_related: bool
    mucosal: bool
    length_cm: Decimal | None
    width_cm: Decimal | None
    depth_cm: Decimal | None
    note: str
    healed_on: date | None
    recorded_by: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_site_label(obj: Any) -> str:
        return obj.get_site_display()

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return obj.get_stage_display()


class LesionDetail(LesionRead):
    observations: list[ObservationRead]

    @staticmethod
    def resolve_observations(obj: Any) -> list[Any]:
        return list(obj.observations.all())


class LesionCreate(Schema):
    person_id: int
    site: str
    stage: str
    found_at: datetime
    present_on_admission: bool = False
    device_related: bool = False
    site_detail: str = ""
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    depth_cm: Decimal | None = None
    note: str = ""


class LesionPatch(Schema):
    version: int
    site: str | None = None
    site_detail: str | None = None
    present_on_admission: bool | None = None
    device_related: bool | None = None
    found_at: datetime | None = None
    note: str | None = None


class ObservationCreate(Schema):
    version: int
    stage: str
    observed_at: datetime | None = None
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    depth_cm: Decimal | None = None
    wound_bed: str = ""
    treatment: str = ""


class IncidentRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    home_name: str
    kind: str
    kind_label: str
    kind_detail: str
    occurred_at: datetime
    place: str
    description: str
    severity: str
    injuries: str
    immediate_action: str
    hospital_transfer: bool
    hospital: str
    witnesses: str
    family_informed: bool
    follow_up: str
    closed: bool
    reporter_name: str
    trigger_id: int | None
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()


class IncidentCreate(Schema):
    person_id: int
    kind: str
    occurred_at: datetime
    place: str
    description: str
    immediate_action: str
    severity: str = "none"
    injuries: str = ""
    hospital_transfer: bool = False
    hospital: str = ""
    witnesses: str = ""
    family_informed: bool = False
    follow_up: str = ""
    kind_detail: str = ""


class IncidentPatch(Schema):
    version: int
    place: str | None = None
    description: str | None = None
    severity: str | None = None
    injuries: str | None = None
    immediate_action: str | None = None
    hospital_transfer: bool | None = None
    hospital: str | None = None
    witnesses: str | None = None
    family_informed: bool | None = None
    follow_up: str | None = None
    closed: bool | None = None


class EducationRead(Schema):
    id: int
    home_id: int
    home_name: str
    kind: str
    kind_label: str
    topic: str
    held_on: date
    speaker: str
    audience: list[str]
    other_count: int
    materials: str
    recorded_by: str
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()


class Attendee(Schema):
    id: int
    name: str


class EducationDetail(EducationRead):
    attendees: list[Attendee]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[dict[str, Any]]:
        return [{"id": p.pk, "name": p.name} for p in obj.attendees.all()]


class EducationCreate(Schema):
    kind: str
    topic: str
    held_on: date
    speaker: str
    audience: list[str]
    attendee_ids: list[int] = []
    other_count: int = 0
    materials: str = ""
