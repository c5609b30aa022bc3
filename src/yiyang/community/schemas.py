"""API shapes of the community routes. ID and phone numbers are always masked here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Schema

from yiyang.core.masking import mask_id_number, mask_phone

from . import rules
from .queries import decorate


def _d(obj: Any) -> Any:
    """The entry with its categories, risk and visit dates (pure rules, no queries)."""
    if not hasattr(obj, "risk"):
        decorate([obj], timezone.localdate())
    return obj


class LedgerEntryRead(Schema):
    id: int
    committee_id: int
    committee_name: str
    township_id: int
    township_name: str
    person_id: int
    name: str
    sex: str
    age: int
    id_number: str
    living: str
    living_label: str
    categories: list[str]
    category_labels: list[str]
    risk: str
    needs: list[str]
    need_labels: list[str]
    needs_note: str
    disability_note: str
    illness: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    contact_name: str
    contact_relation: str
    contact_phone: str
    family_doctor_team: str | None
    family_doctor_institution: str | None
    last_visit: date | None
    next_visit_due: date
    visit_overdue: bool
    in_residential_care: bool
    care_home: str | None
    status: str
    listed_on: date
    changed_on: date
    version: int

    @staticmethod
    def resolve_committee_id(obj: Any) -> int:
        return obj.org_id

    @staticmethod
    def resolve_committee_name(obj: Any) -> str:
        return obj.org.name

    @staticmethod
    def resolve_township_name(obj: Any) -> str:
        return obj.township.name

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_sex(obj: Any) -> str:
        return obj.person.sex

    @staticmethod
    def resolve_age(obj: Any) -> int:
        return _d(obj).age

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return mask_id_number(obj.person.id_number)

    @staticmethod
    def resolve_living_label(obj: Any) -> str:
        return rules.Living(obj.living).label

    @staticmethod
    def resolve_categories(obj: Any) -> list[str]:
        return [c.value for c in _d(obj).cats]

    @staticmethod
    def resolve_category_labels(obj: Any) -> list[str]:
        return [c.label for c in _d(obj).cats]

    @staticmethod
    def resolve_risk(obj: Any) -> str:
        return _d(obj).risk.value

    @staticmethod
    def resolve_need_labels(obj: Any) -> list[str]:
        return [rules.Need(n).label for n in obj.needs]

    @staticmethod
    def resolve_guardian_phone(obj: Any) -> str:
        return mask_phone(obj.guardian_phone)

    @staticmethod
    def resolve_contact_phone(obj: Any) -> str:
        return mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_family_doctor_team(obj: Any) -> str | None:
        return getattr(obj, "doctor_team", None)

    @staticmethod
    def resolve_family_doctor_institution(obj: Any) -> str | None:
        return getattr(obj, "doctor_institution", None)

    @staticmethod
    def resolve_next_visit_due(obj: Any) -> date:
        return _d(obj).next_due

    @staticmethod
    def resolve_visit_overdue(obj: Any) -> bool:
        return _d(obj).overdue

    @staticmethod
    def resolve_in_residential_care(obj: Any) -> bool:
        return _d(obj).in_care


class _EntryFields(Schema):
    living: str | None = None
    disabled: bool | None = None
    disability_note: str | None = None
    dependent: bool | None = None
    seriously_ill: bool | None = None
    illness: str | None = None
    needs: list[str] | None = None
    needs_note: str | None = None
    guardian_name: str | None = None
    guardian_relation: str | None = None
    guardian_phone: str | None = None
    contact_name: str | None = None
    contact_relation: str | None = None
    contact_phone: str | None = None


class LedgerEntryCreate(_EntryFields):
    committee_id: int | None = None
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    living: str
    listed_on: date | None = None


class LedgerEntryUpdate(_EntryFields):
    version: int
    effective_on: date | None = None
    note: str = ""
    phone: str | None = None
    address: str | None = None


class VisitRead(Schema):
    id: int
    entry_id: int
    person_name: str
    visited_on: date
    method: str
    visitor: str
    findings: str
    arrangements: str
    needs_follow_up: bool
    recorded_by: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.entry.person.name


class VisitCreate(Schema):
    entry_id: int
    visited_on: date | None = None
    method: str = "home"
    visitor: str
    findings: str
    arrangements: str = ""
    needs_follow_up: bool = False


class ServiceRead(Schema):
    id: int
    entry_id: int
    person_name: str
    kind: str
    kind_label: str
    requested_on: date
    detail: str
    provider: str
    status: str
    closed_on: date | None
    last_delivery: date | None = None
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.entry.person.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()


class ServiceCreate(Schema):
    entry_id: int
    kind: str
    detail: str
    provider: str
    requested_on: date | None = None


class DeliveryCreate(Schema):
    version: int
    delivered_on: date | None = None
    worker: str
    note: str = ""
    close: bool = False


class ContractRead(Schema):
    id: int
    entry_id: int
    person_name: str
    institution_id: int
    institution_name: str
    team: str
    doctor: str
    package: str
    package_label: str
    start_on: date
    end_on: date
    terminated_on: date | None
    in_force: bool
    last_home_visit: date | None = None
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.entry.person.name

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_package_label(obj: Any) -> str:
        return obj.get_package_display()

    @staticmethod
    def resolve_in_force(obj: Any) -> bool:
        return obj.in_force(timezone.localdate())


class ContractCreate(Schema):
    entry_id: int
    institution_id: int
    team: str
    doctor: str
    package: str
    start_on: date
    end_on: date


class DoctorVisitCreate(Schema):
    visited_on: date | None = None
    doctor: str
    content: str
