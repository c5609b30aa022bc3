"""Shared set-up of the medication tests: residents in open stays and a fresh order."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from yiyang.medication import services
from yiyang.medication.models import MedicationOrder
from yiyang.residents.models import OPEN_STATUSES, Stay


def resident(cast, username: str = "nurse_a", nth: int = 0) -> Stay:  # type: ignore[no-untyped-def]
    """The nth resident (by stay id) in an open stay of the user's home."""
    return (Stay.objects.filter(home=cast.home_of(username), status__in=OPEN_STATUSES)
            .select_related("person", "home").order_by("pk")[nth])


def order(cast, username: str = "hdoc_a", stay: Stay | None = None,  # type: ignore[no-untyped-def]
          **changes: Any) -> MedicationOrder:
    stay = stay or resident(cast)
    data: dict[str, Any] = {
        "drug": "苯磺酸氨氯地平片", "dose": "5 mg", "route": "oral", "frequency": "qd",
        "times": ["08:00"], "start_on": timezone.localdate() - timedelta(days=3)}
    data.update(changes)
    return services.prescribe(actor=cast.actor(username), person_id=stay.person_id, **data)


def today() -> date:
    return timezone.localdate()
