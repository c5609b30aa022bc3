"""API shapes of `/api/v1/assessments`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class AssessmentRead(Schema):
    id: int
    number: str
    person_id: int
    person_name: str
    home_id: int
    instrument: str
    instrument_version: str
    reason: str
    reason_note: str
    status: str
    assessed_on: date
    answers: dict[str, int]
    context: dict[str, Any]
    total: int | None
    band: str
    band_label: str
    level: int | None
    outcome: dict[str, Any]
    assessor_name: str
    second_assessor_name: str
    finalised_at: datetime | None
    corrects_id: int | None
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class AssessmentCreate(Schema):
    person_id: int
    instrument: str
    reason: str = "routine"
    assessed_on: date | None = None
    reason_note: str = ""
    answers: dict[str, int] = {}
    context: dict[str, Any] = {}


class AssessmentFinalise(Schema):
    version: int
    second_assessor_id: int | None = None
    informant_name: str = ""
