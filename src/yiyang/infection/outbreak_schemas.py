"""API shapes of surveillance, outbreaks, the reporting chain and isolation sites."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Schema

from . import rules


class SymptomCheckRead(Schema):
    id: int
    home_id: int
    person_id: int | None
    staff_id: int | None
    subject_name: str
    checked_on: date
    checked_at: datetime
    temperature: Decimal | None
    spo2: int | None
    symptoms: list[str]
    persistent_fever: bool
    breathing_difficulty: bool
    referral_signs: list[str]
    note: str
    recorded_by: str


class SymptomCheckCreate(Schema):
    person_id: int | None = None
    staff_id: int | None = None
    at: datetime | None = None
    temperature: Decimal | None = None
    spo2: int | None = None
    symptoms: list[str] = []
    persistent_fever: bool = False
    breathing_difficulty: bool = False
    note: str = ""


class TestResultRead(Schema):
    id: int
    home_id: int
    person_id: int | None
    staff_id: int | None
    subject_name: str
    kind: str
    result: str
    sampled_at: datetime
    outbreak_id: int | None
    note: str
    recorded_by: str


class TestResultCreate(Schema):
    person_id: int | None = None
    staff_id: int | None = None
    kind: str
    result: str
    sampled_at: datetime | None = None
    note: str = ""


class OutbreakRead(Schema):
    id: int
    home_id: int
    home_name: str
    region_code: str
    state: str
    state_label: str
    next_action: str | None
    next_action_label: str | None
    opened_at: datetime
    closed_at: datetime | None
    isolation_mode: str
    summary: str
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.home.name

    @staticmethod
    def resolve_next_action(obj: Any) -> str | None:
        step = obj.next_action
        return step.value if step else None

    @staticmethod
    def resolve_next_action_label(obj: Any) -> str | None:
        step = obj.next_action
        return step.label if step else None


class OutbreakAct(Schema):
    action: str
    version: int | None = None
    at: datetime | None = None
    note: str = ""
    # payload of the steps and side actions (see outbreak_services)
    person_id: int | None = None
    staff_id: int | None = None
    role: str = ""
    entry_id: int | None = None
    where: str = ""
    site_id: int | None = None
    place: str = ""
    closed_loop: bool = False
    green_channel: bool = False
    joint_mechanism: str = ""
    mode: str = ""
    day: date | None = None
    new_cases: int = 0
    certificate_no: str = ""


class OutbreakReportRead(Schema):
    id: int
    outbreak_id: int
    home_name: str
    from_org_id: int
    from_org_name: str
    to_org_id: int | None
    to_name: str
    level: str
    parent_id: int | None
    content: str
    sent_by: str
    received_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None
    status: str
    forwarded_at: datetime | None
    overdue: bool
    minutes_left: int
    overdue_since: datetime | None
    escalated_at: datetime | None
    escalated_to_id: int | None
    version: int

    @staticmethod
    def resolve_home_name(obj: Any) -> str:
        return obj.outbreak.home.name

    @staticmethod
    def resolve_from_org_name(obj: Any) -> str:
        return obj.from_org.name

    @staticmethod
    def resolve_to_name(obj: Any) -> str:
        return obj.to_org.name if obj.to_org_id else obj.to_external

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return rules.report_clock(obj.received_at, timezone.now(), obj.forwarded_at).overdue

    @staticmethod
    def resolve_minutes_left(obj: Any) -> int:
        return rules.report_clock(obj.received_at, timezone.now(),
                                  obj.forwarded_at).remaining_minutes


class OutbreakReportAct(Schema):
    action: str  # acknowledge | forward
    version: int
    content: str = ""


class IsolationSiteRead(Schema):
    id: int
    org_id: int
    org_name: str
    region_code: str
    name: str
    kind: str
    address: str
    capacity: int
    contact: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_org_name(obj: Any) -> str:
        return obj.org.name


class IsolationSiteCreate(Schema):
    name: str
    kind: str
    capacity: int
    address: str = ""
    contact: str = ""
    serves: str = ""


class IsolationSiteUpdate(Schema):
    version: int
    name: str
    kind: str
    capacity: int
    address: str = ""
    contact: str = ""
    is_active: bool = True
