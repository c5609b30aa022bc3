"""Shared set-up of the outbreak tests: residents of home A and a fresh incident."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from yiyang.infection import outbreak_services as services
from yiyang.infection.models import Outbreak, TestResult
from yiyang.residents.models import OPEN_STATUSES, Stay


def resident(cast, username: str = "nurse_a", nth: int = 0) -> Stay:  # type: ignore[no-untyped-def]
    return (Stay.objects.filter(home=cast.home_of(username), status__in=OPEN_STATUSES)
            .select_related("person", "home").order_by("pk")[nth])


def close_open_incidents(cast, username: str = "nurse_a") -> None:  # type: ignore[no-untyped-def]
    """The demo keeps an open incident in home A; tests that open one start from none."""
    Outbreak.objects.filter(home=cast.home_of(username)).update(state="closed")


def positive(cast, username: str = "nurse_a", nth: int = 0,  # type: ignore[no-untyped-def]
             at: datetime | None = None) -> TestResult:
    stay = resident(cast, username, nth)
    return services.record_test(actor=cast.actor(username), kind="antigen", result="positive",
                                person_id=stay.person_id,
                                sampled_at=at or timezone.now() - timedelta(minutes=5))


def fresh_incident(cast, at: datetime | None = None) -> Outbreak:  # type: ignore[no-untyped-def]
    close_open_incidents(cast)
    return positive(cast, at=at).outbreak
