"""API shapes of `/api/v1/agreements`."""

from __future__ import annotations

from datetime import date
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
