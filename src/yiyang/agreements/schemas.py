"""API shapes of `/api/v1/agreements`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class AgreementRead(Schema):
    id: int
    number: str
    home_id: int
    home_name: str
    medical_id: int
    medical_name: str
    items: list[int]
    modes: list[str]
    start_on: date
    end_on: date
    home_duties: str
    medical_duties: str
    fee: Decimal
    fee_factors: list[str]
    patrol_interval_days: int | None
    state: str
    published_on: date | None
    terminated_on: date | None
    termination_reason: str
    has_signed_document: bool
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_medical_name(obj: Any) -> str:
        return obj.medical.name

    @staticmethod
    def resolve_has_signed_document(obj: Any) -> bool:
        return bool(obj.signed_document)


class AgreementAct(Schema):
    action: str
    version: int
    reason: str | None = None


class PatrolResidentRead(Schema):
    person_id: int
    person_name: str
    note: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class PatrolVisitRead(Schema):
    id: int
    agreement_id: int
    home_id: int
    visited_on: date
    doctors: str
    nurses: str
    findings: str
    orders: str
    follow_up: str
    follow_up_on: date | None
    recorded_by: str
    residents_seen: int

    @staticmethod
    def resolve_residents_seen(obj: Any) -> int:
        count = getattr(obj, "seen_count", None)
        return count if count is not None else obj.seen.count()


class PatrolVisitDetail(PatrolVisitRead):
    seen: list[PatrolResidentRead]

    @staticmethod
    def resolve_seen(obj: Any) -> list[Any]:
        return list(obj.seen_rows)


class PatrolVisitCreate(Schema):
    agreement_id: int
    visited_on: date
    doctors: str
    nurses: str = ""
    person_ids: list[int] = []
    notes: dict[int, str] = {}
    findings: str = ""
    orders: str = ""
    follow_up: str = ""
    follow_up_on: date | None = None


class PatrolOrderCreate(Schema):
    person_id: int
    drug: str
    dose: str
    route: str
    frequency: str
    times: list[str] = []
    start_on: date | None = None
    stop_on: date | None = None
    prn_indication: str = ""
    note: str = ""


class ReferralRead(Schema):
    id: int
    agreement_id: int
    home_id: int
    person_id: int
    person_name: str
    kind: str
    state: str
    reason: str
    requested_at: datetime
    requested_by: str
    requested_side: str
    response_note: str
    summary: str
    history: list[dict[str, Any]]
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class ReferralCreate(Schema):
    agreement_id: int
    person_id: int
    kind: str
    reason: str


class ReferralAct(Schema):
    action: str
    version: int
    reason: str | None = None
    summary: str | None = None


class FamilyBedRead(Schema):
    id: int
    agreement_id: int
    home_id: int
    person_id: int
    person_name: str
    diagnosis: str
    criteria: list[str]
    care_plan: str
    responsible_doctor: str
    round_interval_days: int
    state: str
    opened_on: date
    closed_on: date | None
    outcome: str
    close_reason: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class FamilyBedCreate(Schema):
    agreement_id: int
    person_id: int
    diagnosis: str
    criteria: list[str]
    responsible_doctor: str
    care_plan: str = ""
    round_interval_days: int = 7
    opened_on: date | None = None


class BedRoundCreate(Schema):
    done_on: date
    findings: str
    orders: str = ""


class BedRoundRead(Schema):
    id: int
    bed_id: int
    done_on: date
    findings: str
    orders: str
    recorded_by: str


class BedClose(Schema):
    version: int
    outcome: str
    reason: str = ""
    closed_on: date | None = None
