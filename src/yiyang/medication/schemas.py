"""API shapes of `/api/v1/medication-orders`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class MedicationOrderRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    home_name: str
    drug: str
    dose: str
    route: str
    route_label: str
    frequency: str
    frequency_label: str
    times: list[str]
    prn_indication: str
    start_on: date
    stop_on: date | None
    note: str
    prescriber_name: str
    prescriber_org_id: int
    prescriber_org_name: str
    source: str
    source_ref: str
    status: str
    state: str
    stopped_on: date | None
    stop_reason: str
    stopped_by: str
    stop_instructed_by: str
    created_at: datetime
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_route_label(obj: Any) -> str:
        return obj.get_route_display()

    @staticmethod
    def resolve_prescriber_org_name(obj: Any) -> str:
        return obj.prescriber_org.name

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return obj.state.value


class MedicationOrderCreate(Schema):
    person_id: int
    drug: str
    dose: str
    route: str
    frequency: str
    times: list[str] = []
    start_on: date
    stop_on: date | None = None
    prn_indication: str = ""
    note: str = ""
    source: str = "clinic"
    source_ref: str = ""


class MedicationOrderStop(Schema):
    version: int
    reason: str
    stopped_on: date | None = None
    instructed_by: str = ""
