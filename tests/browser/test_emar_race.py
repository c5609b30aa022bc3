"""Two nurses record the same scheduled dose at the same moment, on two database connections
(two threads, committed rows): one record, one `Conflict`, the stock lowered once.

It lives with the live-server tests because it needs committed rows (a transactional test, which
flushes the database afterwards) and those run last, after everything that relies on the cast.
On PostgreSQL the second INSERT waits on the unique index for the first transaction, then
fails the unique constraint (order, scheduled time) and answers the conflict.

Skipped on SQLite: the test database is an in-memory shared-cache database, where a second
writer fails at once with "database table is locked" instead of waiting (the deployed file
database in WAL mode with BEGIN IMMEDIATE does wait); the same constraint path is tested there
by recording the dose twice (tests/medication/test_emar_services.py).  Run it with
``DATABASE_URL=postgres://…``."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.conftest import ensure_world
from yiyang.core.errors import Conflict
from yiyang.medication import emar_services, services
from yiyang.medication.models import MedicationAdministration, MedicineStock
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="in-memory shared-cache SQLite fails a second writer at once "
                              "(database table is locked) instead of waiting"),
]


def _actor(username: str):  # type: ignore[no-untyped-def]
    return actor_for(Membership.objects.select_related("org__region", "user")
                     .filter(user__username=username, is_active=True).order_by("id").first())


def test_two_nurses_record_the_same_dose_at_once() -> None:
    ensure_world()
    nurse, doctor = _actor("nurse_a"), _actor("hdoc_a")
    stay = (Stay.objects.filter(home_id=nurse.org_id, status__in=OPEN_STATUSES)
            .order_by("pk").first())
    order = services.prescribe(actor=doctor, person_id=stay.person_id, drug="并发测试药",
                               dose="1 片", route="oral", frequency="qd", times=["08:00"],
                               start_on=timezone.localdate() - timedelta(days=3))
    stock = emar_services.intake(actor=nurse, person_id=stay.person_id, drug=order.drug,
                                 unit="片", batch_number="R1", quantity="10",
                                 expires_on=timezone.localdate() + timedelta(days=90),
                                 storage_location="X", handed_over_by="X",
                                 received_at=timezone.now() - timedelta(days=3))
    day = timezone.localdate() - timedelta(days=1)
    scheduled = timezone.make_aware(datetime.combine(day, time(8, 0)))
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def record(actor) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            outcomes.append(emar_services.record_administration(
                actor=actor, order_id=order.pk, status="given", scheduled_at=scheduled))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(a,)) for a in (nurse, doctor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    records = [o for o in outcomes if isinstance(o, MedicationAdministration)]
    assert len(records) == 1 and len(conflicts) == 1, outcomes
    assert "不能重复登记" in conflicts[0].message
    assert MedicationAdministration.objects.filter(order=order).count() == 1
    assert MedicineStock.objects.get(pk=stock.pk).on_hand == Decimal(9)
