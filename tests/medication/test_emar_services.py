"""Stock, administration (eMAR) and incident services: exact stock arithmetic, refusals in
Chinese, lateness, one record per scheduled dose, PRN, scope, audit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from tests.medication import helpers
from tests.medication.emar_helpers import at, give, intake, order_and_stock, yesterday
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.medication import emar_services as services
from yiyang.medication.models import (
    MedicationAdministration,
    MedicationIncident,
    MedicineStock,
    StockMovement,
)


def _on_hand(stock: MedicineStock) -> Decimal:
    return MedicineStock.objects.get(pk=stock.pk).on_hand


def test_intake_keeps_both_names_the_batch_and_a_ledger_line(cast) -> None:
    order, stock = order_and_stock(cast, "28")
    saved = MedicineStock.objects.get(pk=stock.pk)
    assert saved.on_hand == saved.quantity_received == Decimal("28")
    assert (saved.handed_over_by, saved.received_by) == ("王小红", cast.actor("nurse_a")
                                                         .display_name or "nurse_a")
    assert saved.home_id == order.home_id and saved.storage_location == "护士站药柜 3 号格"
    line = StockMovement.objects.get(stock=saved)
    assert (line.kind, line.delta, line.balance) == ("intake", Decimal(28), Decimal(28))
    assert AuditEvent.objects.filter(action="medication.stock.intake",
                                     object_id=str(saved.pk)).count() == 1


def test_an_expired_batch_is_not_received(cast) -> None:
    order = helpers.order(cast, drug="测试药A")
    with pytest.raises(ValidationFailed) as err:
        intake(cast, order, expires_on=timezone.localdate() - timedelta(days=1),
               received_at=timezone.now())
    assert "过有效期" in err.value.message


def test_giving_a_dose_lowers_the_stock_by_exactly_that_amount(cast) -> None:
    order, stock = order_and_stock(cast, "10")
    record = give(cast, order)
    assert record.quantity == Decimal(1) and record.stock_id == stock.pk
    assert _on_hand(stock) == Decimal(9)
    half = helpers.order(cast, drug="测试半片药", dose="0.5 片", frequency="bid",
                         times=["08:00", "20:00"])
    batch = intake(cast, half, "3", strength="10 mg")
    give(cast, half, hhmm="08:00")
    give(cast, half, hhmm="20:00")
    assert _on_hand(batch) == Decimal("2.000")
    ledger = list(StockMovement.objects.filter(stock=batch).order_by("id")
                  .values_list("kind", "delta", "balance"))
    assert ledger == [("intake", Decimal(3), Decimal(3)), ("dose", Decimal("-0.5"),
                      Decimal("2.5")), ("dose", Decimal("-0.5"), Decimal(2))]


def test_a_mass_dose_converts_through_the_strength(cast) -> None:
    order = helpers.order(cast, drug="测试二甲双胍", dose="0.25 g")
    batch = intake(cast, order, "20", strength="0.5 g")
    give(cast, order)
    assert _on_hand(batch) == Decimal("19.5")


def test_refused_held_and_missed_doses_leave_the_stock_alone_and_need_a_reason(cast) -> None:
    order, stock = order_and_stock(cast, "5", frequency="tid",
                                   times=["08:00", "12:00", "16:00"])
    with pytest.raises(ValidationFailed) as err:
        give(cast, order, status="refused")
    assert err.value.field == "reason" and "原因" in err.value.message
    for hhmm, status in (("08:00", "refused"), ("12:00", "held"), ("16:00", "missed")):
        record = give(cast, order, hhmm=hhmm, status=status, reason="老人拒绝服药")
        assert record.quantity is None and record.stock_id is None and not record.late
    assert _on_hand(stock) == Decimal(5)
    assert not StockMovement.objects.filter(stock=stock, kind="dose").exists()


def test_giving_from_an_empty_stock_is_refused_in_chinese(cast) -> None:
    order = helpers.order(cast, drug="没有库存的药")
    with pytest.raises(ValidationFailed) as err:
        give(cast, order)
    assert err.value.code == "no_stock" and "没有库存" in err.value.message
    batch = intake(cast, order, "1")
    give(cast, order, day=yesterday() - timedelta(days=1))
    assert _on_hand(batch) == 0
    with pytest.raises(ValidationFailed) as err:
        give(cast, order)
    assert "没有库存" in err.value.message
    assert not MedicationAdministration.objects.filter(order=order,
                                                       scheduled_at=at(yesterday(), "08:00"))


def test_not_enough_stock_is_refused_and_nothing_is_taken(cast) -> None:
    order = helpers.order(cast, drug="测试两片药", dose="2 片")
    batch = intake(cast, order, "1.5")
    with pytest.raises(ValidationFailed) as err:
        give(cast, order)
    assert err.value.code == "insufficient_stock"
    assert "库存不足" in err.value.message and "剩余 1.5 片" in err.value.message
    assert _on_hand(batch) == Decimal("1.5")


def test_an_expired_batch_cannot_be_given_and_the_fresh_one_is_used_first(cast) -> None:
    order = helpers.order(cast, drug="测试过期药")
    old = intake(cast, order, "5", batch_number="OLD",
                 received_at=timezone.now() - timedelta(days=40),
                 expires_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(ValidationFailed) as err:
        give(cast, order)
    assert err.value.code == "expired" and "过期" in err.value.message
    fresh = intake(cast, order, "5", batch_number="NEW")
    give(cast, order)
    assert (_on_hand(old), _on_hand(fresh)) == (Decimal(5), Decimal(4))


def test_first_expiry_first_out(cast) -> None:
    order = helpers.order(cast, drug="测试先到期先用")
    later = intake(cast, order, "5", batch_number="L",
                   expires_on=timezone.localdate() + timedelta(days=300))
    sooner = intake(cast, order, "5", batch_number="S",
                    expires_on=timezone.localdate() + timedelta(days=20))
    give(cast, order)
    assert (_on_hand(sooner), _on_hand(later)) == (Decimal(4), Decimal(5))


def test_a_dose_outside_the_window_is_late(cast, settings) -> None:
    settings.MEDICATION_DOSE_WINDOW_MINUTES = 60
    order, _ = order_and_stock(cast, frequency="bid", times=["08:00", "16:00"])
    on_time = give(cast, order, hhmm="08:00", given_at=at(yesterday(), "09:00"))
    late = give(cast, order, hhmm="16:00", given_at=at(yesterday(), "17:01"))
    assert (on_time.late, on_time.minutes_off) == (False, 60)
    assert (late.late, late.minutes_off) == (True, 61)


def test_the_same_scheduled_dose_recorded_twice_gives_one_record_and_a_conflict(cast) -> None:
    """Two nurses at the cart: the second call (same order and time) is what the loser of a race
    sends; the unique constraint refuses it and its stock change is rolled back."""
    order, stock = order_and_stock(cast, "10")
    give(cast, order, username="nurse_a")
    with pytest.raises(Conflict) as err:
        give(cast, order, username="hdoc_a")
    assert err.value.code == "dose_recorded" and "不能重复登记" in err.value.message
    assert "已给药" in err.value.message
    assert MedicationAdministration.objects.filter(order=order).count() == 1
    assert _on_hand(stock) == Decimal(9)
    # A refusal recorded over a given dose is refused the same way, and touches nothing.
    with pytest.raises(Conflict):
        give(cast, order, status="refused", reason="X")
    assert _on_hand(stock) == Decimal(9)


def test_only_the_orders_times_can_be_recorded_and_not_ahead_of_the_window(cast) -> None:
    order, _ = order_and_stock(cast)
    with pytest.raises(ValidationFailed) as err:
        give(cast, order, hhmm="09:00")
    assert err.value.code == "not_scheduled"
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        give(cast, order, day=tomorrow, given_at=None)
    assert err.value.code == "too_early"


def test_prn_needs_the_indication_and_takes_an_effect_check(cast) -> None:
    order = helpers.order(cast, drug="测试卡托普利", dose="12.5 mg", frequency="prn", times=[],
                          prn_indication="血压≥180/110 mmHg 时")
    batch = intake(cast, order, "10", strength="25 mg")
    actor = cast.actor("nurse_a")
    with pytest.raises(ValidationFailed) as err:
        services.record_administration(actor=actor, order_id=order.pk, status="given")
    assert err.value.field == "prn_indication_seen"
    record = services.record_administration(actor=actor, order_id=order.pk, status="given",
                                            prn_indication_seen="血压 186/112 mmHg")
    assert record.scheduled_at is None and record.quantity == Decimal("0.5")
    assert _on_hand(batch) == Decimal("9.5")
    checked = services.check_effect(actor=actor, administration_id=record.pk,
                                    version=record.version, effect="30 分钟后血压 152/94 mmHg")
    assert checked.effect_checked_at is not None
    with pytest.raises(Conflict):
        services.check_effect(actor=actor, administration_id=record.pk,
                              version=record.version, effect="X")


def test_a_dose_without_an_automatic_amount_needs_the_nurse_to_enter_it(cast) -> None:
    order = helpers.order(cast, drug="测试气雾剂", dose="100 μg（1～2 喷）", route="inhaled")
    batch = intake(cast, order, "200", unit="喷", strength="100 μg")
    with pytest.raises(ValidationFailed) as err:
        give(cast, order)
    assert err.value.code == "quantity_required"
    give(cast, order, quantity="2")
    assert _on_hand(batch) == Decimal(198)


def test_others_cannot_record_or_take_stock(cast) -> None:
    order, stock = order_and_stock(cast)
    for username in ("nurse_c", "doctor_d", "doctor_b", "officer_x"):
        with pytest.raises(NotFound):
            give(cast, order, username=username)
        # The partner doctor and the regulator see the resident but may not write: 403.
        with pytest.raises(NotFound if username in ("nurse_c", "doctor_d") else Forbidden):
            intake(cast, order, username=username)
        with pytest.raises(NotFound):
            services.adjust_stock(actor=cast.actor(username), stock_id=stock.pk,
                                  version=stock.version, kind="dispose", quantity="1",
                                  reason="X")
    assert _on_hand(stock) == Decimal(10)


def test_a_home_member_without_the_permission_is_forbidden(cast) -> None:
    from yiyang.core.permissions import Perm
    from yiyang.core.scope import Actor

    order, _ = order_and_stock(cast)
    nurse = cast.actor("nurse_a")
    without = Actor(**{**nurse.__dict__, "permissions": nurse.permissions - {
        Perm.ADMINISTER_MEDICATION, Perm.MANAGE_MEDICINE_STOCK}})
    with pytest.raises(Forbidden):
        services.record_administration(actor=without, order_id=order.pk, status="given",
                                       scheduled_at=at(yesterday(), "08:00"))
    with pytest.raises(Forbidden):
        services.intake(actor=without, person_id=order.person_id, drug="X", unit="片",
                        batch_number="1", expires_on=timezone.localdate(), quantity="1",
                        storage_location="X", handed_over_by="X")


def test_adjust_return_and_dispose(cast) -> None:
    order, stock = order_and_stock(cast, "10")
    actor = cast.actor("nurse_a")
    stock = services.adjust_stock(actor=actor, stock_id=stock.pk, version=stock.version,
                                  kind="adjust", quantity="9.5", reason="盘点少半片")
    assert stock.on_hand == Decimal("9.5")
    with pytest.raises(ValidationFailed) as err:
        services.adjust_stock(actor=actor, stock_id=stock.pk, version=stock.version,
                              kind="return", quantity="10", reason="出院")
    assert "结存只有 9.5 片" in err.value.message
    stock = services.adjust_stock(actor=actor, stock_id=stock.pk, version=stock.version,
                                  kind="return", quantity="9.5", reason="出院退还家属")
    assert stock.on_hand == 0 and stock.status == "closed"
    with pytest.raises(Conflict):
        services.adjust_stock(actor=actor, stock_id=stock.pk, version=stock.version - 1,
                              kind="adjust", quantity="1", reason="X")
    kinds = list(StockMovement.objects.filter(stock=stock).order_by("id")
                 .values_list("kind", "delta"))
    assert kinds == [("intake", Decimal(10)), ("adjust", Decimal("-0.5")),
                     ("return", Decimal("-9.5"))]


def test_a_dose_is_given_only_from_the_eMAR_never_from_care_tasks(cast) -> None:
    """Nothing in medication reads care: the only thing that lowers stock is a dose record."""
    import ast
    from pathlib import Path

    import yiyang.medication as app

    for path in Path(app.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("yiyang.care"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("yiyang.care") for a in node.names), path


def test_incidents_link_the_dose_and_record_the_handling(cast) -> None:
    order, _ = order_and_stock(cast, frequency="bid", times=["08:00", "16:00"])
    record = give(cast, order, hhmm="08:00", given_at=at(yesterday(), "10:30"))
    actor = cast.actor("nurse_a")
    incident = services.report_incident(
        actor=actor, person_id=order.person_id, kind="wrong_time",
        occurred_at=at(yesterday(), "10:30"), description="早 8 点的药 10:30 才给",
        administration_id=record.pk)
    assert incident.order_id == order.pk and incident.drug == order.drug
    assert incident.status == "open"
    with pytest.raises(ValidationFailed) as err:
        services.handle_incident(actor=actor, incident_id=incident.pk,
                                 version=incident.version, doctor_informed=True)
    assert err.value.field == "doctor_name"
    with pytest.raises(ValidationFailed):
        services.handle_incident(actor=actor, incident_id=incident.pk,
                                 version=incident.version, close=True)
    closed = services.handle_incident(
        actor=actor, incident_id=incident.pk, version=incident.version, doctor_informed=True,
        doctor_name="李医生", informed_at=at(yesterday(), "10:40"),
        action_taken="监测血压", outcome="血压平稳", follow_up="调整发药顺序", close=True)
    assert closed.status == "closed" and closed.closed_at is not None
    assert MedicationIncident.objects.get(pk=incident.pk).doctor_name == "李医生"
    for username in ("nurse_c", "doctor_b"):
        with pytest.raises((NotFound, Forbidden)):
            services.report_incident(actor=cast.actor(username), person_id=order.person_id,
                                     kind="other", occurred_at=timezone.now(),
                                     description="X")


def test_a_failed_write_leaves_nothing(cast) -> None:
    order, stock = order_and_stock(cast, "1")
    before = AuditEvent.objects.count()
    with transaction.atomic(), pytest.raises(ValidationFailed):
        give(cast, order, quantity="2")
    assert AuditEvent.objects.count() == before and _on_hand(stock) == 1
