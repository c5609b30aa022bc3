"""The demo stock and administration history: a month of doses (mostly given; some refused,
held, late, missed), a low stock, a near-expiry and an expired batch, a wrong-time error and an
adverse reaction with their handling — written through the services (audited)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.demo.medication import build_demo_emar
from yiyang.medication.emar_queries import annotate_stock
from yiyang.medication.models import (
    MedicationAdministration,
    MedicationIncident,
    MedicineStock,
    StockMovement,
)


def test_demo_has_a_month_of_doses_mostly_given(cast) -> None:
    statuses = Counter(MedicationAdministration.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert total >= 300
    assert statuses["given"] / total > 0.85
    assert statuses["refused"] and statuses["held"] and statuses["missed"]
    assert MedicationAdministration.objects.filter(late=True).exists()
    assert MedicationAdministration.objects.filter(scheduled_at__isnull=True,
                                                   status="given").exclude(effect="").exists()
    first = MedicationAdministration.objects.order_by("given_at").first().given_at
    assert timezone.now() - first > timedelta(days=25)
    homes = set(MedicationAdministration.objects.values_list("home_id", flat=True))
    assert homes == {cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk}
    assert AuditEvent.objects.filter(action__startswith="medication.dose.").count() == total


def test_demo_stock_matches_its_ledger_and_has_warnings(cast) -> None:
    for stock in MedicineStock.objects.all():
        moves = list(StockMovement.objects.filter(stock=stock).values_list("delta", flat=True))
        assert sum(moves) == stock.on_hand
        given = MedicationAdministration.objects.filter(stock=stock).values_list("quantity",
                                                                                  flat=True)
        assert stock.quantity_received - sum(given) == stock.on_hand
    rows = annotate_stock(list(MedicineStock.objects.filter(status="active")))
    expiry = Counter(r.expiry.value for r in rows)
    assert expiry["expired"] >= 1 and expiry["near"] >= 1
    assert any(r.low and r.total > 0 for r in rows)
    assert all(r.handed_over_by and r.received_by for r in rows)


def test_demo_incidents_with_handling(cast) -> None:
    wrong_time = MedicationIncident.objects.get(kind="wrong_time",
                                                home=cast.home_of("nurse_a"))
    assert wrong_time.administration.late and wrong_time.doctor_informed
    reaction = MedicationIncident.objects.filter(kind="adverse_reaction").first()
    assert reaction is not None and reaction.administration_id and reaction.outcome
    assert reaction.doctor_name and reaction.action_taken and reaction.follow_up


def test_demo_is_idempotent(cast) -> None:
    assert build_demo_emar() == 0
