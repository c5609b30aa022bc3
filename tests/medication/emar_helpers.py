"""Shared set-up of the eMAR tests: an order, a batch of its medicine, a scheduled time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.medication import helpers
from yiyang.medication import emar_services
from yiyang.medication.models import MedicationOrder, MedicineStock


def at(day: date, hhmm: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(int(hhmm[:2]), int(hhmm[3:]))))


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def intake(cast, order: MedicationOrder, quantity: str = "10", username: str = "nurse_a",  # type: ignore[no-untyped-def]
           **changes: Any) -> MedicineStock:
    data: dict[str, Any] = {
        "drug": order.drug, "strength": "5 mg", "unit": "片", "batch_number": "B2401",
        "expires_on": timezone.localdate() + timedelta(days=200), "quantity": Decimal(quantity),
        "storage_location": "护士站药柜 3 号格", "handed_over_by": "王小红",
        "handed_over_relation": "女儿",
        "received_at": timezone.now() - timedelta(days=5)}
    data.update(changes)
    return emar_services.intake(actor=cast.actor(username), person_id=order.person_id, **data)


def order_and_stock(cast, quantity: str = "10", **order_changes: Any  # type: ignore[no-untyped-def]
                    ) -> tuple[MedicationOrder, MedicineStock]:
    order = helpers.order(cast, drug=order_changes.pop("drug", "测试用氨氯地平片"),
                          **order_changes)
    return order, intake(cast, order, quantity)


def give(cast, order: MedicationOrder, day: date | None = None, hhmm: str = "08:00",  # type: ignore[no-untyped-def]
         username: str = "nurse_a", **changes: Any):
    day = day or yesterday()
    data: dict[str, Any] = {"status": "given", "scheduled_at": at(day, hhmm),
                            "given_at": at(day, hhmm) + timedelta(minutes=10)}
    data.update(changes)
    return emar_services.record_administration(actor=cast.actor(username), order_id=order.pk,
                                               **data)
