"""API shapes of `/api/v1/medicine-stock`, `/api/v1/medication-administrations` and
`/api/v1/medication-incidents`.  Quantities are exact decimals (JSON strings such as "0.5")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class MedicineStockRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    drug: str
    strength: str
    unit: str
    batch_number: str
    expires_on: date
    quantity_received: Decimal
    on_hand: Decimal
    storage_location: str
    source: str
    handed_over_by: str
    handed_over_relation: str
    received_by: str
    received_at: datetime
    note: str
    status: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name


class MedicineStockWarnings(MedicineStockRead):
    expiry: str
    total: Decimal
    days_left: int | None
    low: bool

    @staticmethod
    def resolve_expiry(obj: Any) -> str:
        return obj.expiry.value


class StockMovementRead(Schema):
    kind: str
    delta: Decimal
    balance: Decimal
    reason: str
    administration_id: int | None
    actor_name: str
    at: datetime


class MedicineStockDetail(MedicineStockWarnings):
    movements: list[StockMovementRead]

    @staticmethod
    def resolve_movements(obj: Any) -> list[Any]:
        return list(obj.movements.order_by("-at", "-id"))


class MedicineStockIntake(Schema):
    person_id: int
    drug: str
    strength: str = ""
    unit: str
    batch_number: str
    expires_on: date
    quantity: Decimal
    storage_location: str
    handed_over_by: str
    handed_over_relation: str = ""
    source: str = "family"
    received_at: datetime | None = None
    note: str = ""


class MedicineStockAdjust(Schema):
    version: int
    kind: str  # adjust | return | dispose
    quantity: Decimal
    reason: str


class AdministrationRead(Schema):
    id: int
    order_id: int
    person_id: int
    person_name: str
    drug: str
    dose: str
    scheduled_at: datetime | None
    status: str
    reason: str
    given_at: datetime
    quantity: Decimal | None
    stock_id: int | None
    batch_number: str | None
    late: bool
    minutes_off: int | None
    prn_indication_seen: str
    effect: str
    recorded_by: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_drug(obj: Any) -> str:
        return obj.order.drug

    @staticmethod
    def resolve_dose(obj: Any) -> str:
        return obj.order.dose

    @staticmethod
    def resolve_batch_number(obj: Any) -> str | None:
        return obj.stock.batch_number if obj.stock_id else None


class AdministrationCreate(Schema):
    order_id: int
    status: str  # given | held | refused | missed
    scheduled_at: datetime | None = None
    given_at: datetime | None = None
    quantity: Decimal | None = None
    stock_id: int | None = None
    reason: str = ""
    prn_indication_seen: str = ""
    effect: str = ""
    note: str = ""


class IncidentRead(Schema):
    id: int
    person_id: int
    person_name: str
    home_id: int
    kind: str
    kind_label: str
    severity: str
    occurred_at: datetime
    administration_id: int | None
    order_id: int | None
    drug: str
    description: str
    doctor_informed: bool
    doctor_name: str
    informed_at: datetime | None
    action_taken: str
    outcome: str
    follow_up: str
    status: str
    reported_by: str
    version: int

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return obj.person.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.get_kind_display()


class IncidentCreate(Schema):
    person_id: int
    kind: str
    occurred_at: datetime
    description: str
    severity: str = "none"
    administration_id: int | None = None
    order_id: int | None = None
    drug: str = ""
    doctor_informed: bool = False
    doctor_name: str = ""
    informed_at: datetime | None = None
    action_taken: str = ""
    outcome: str = ""
    follow_up: str = ""
