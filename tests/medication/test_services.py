"""Medication-order services: who may prescribe and stop, scope, validation, audit, versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from tests.medication.helpers import order, resident, today
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.medication import queries, services
from yiyang.medication.models import MedicationOrder
from yiyang.residents.models import OPEN_STATUSES, Person


def _audit(action: str, obj: MedicationOrder) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_type="medication.medicationorder",
                                  object_id=str(obj.pk))


def test_the_home_doctor_prescribes_and_it_is_audited(cast) -> None:
    stay = resident(cast)
    made = order(cast, "hdoc_a", stay, frequency="bid", times=["16:00", "8:00"],
                 note="饭后服用")
    saved = MedicationOrder.objects.get(pk=made.pk)
    assert (saved.person_id, saved.home_id, saved.region_code) == (
        stay.person_id, stay.home_id, stay.home.region_code)
    assert saved.times == ["08:00", "16:00"] and saved.status == "active"
    assert saved.prescriber_org_id == stay.home_id and saved.source == "clinic"
    assert saved.prescriber_id == cast.user("hdoc_a").pk
    event = _audit("medication.order.prescribe", saved)
    assert event.username == "hdoc_a" and event.object_org_id == stay.home_id
    assert event.changes["drug"] == [None, "苯磺酸氨氯地平片"]
    assert event.changes["times"] == [None, ["08:00", "16:00"]]


def test_empty_times_take_the_usual_ward_times(cast) -> None:
    assert order(cast, times=[], frequency="tid").times == ["08:00", "12:00", "16:00"]


def test_the_partner_doctor_prescribes_for_home_a(cast) -> None:
    doctor_b = cast.actor("doctor_b")
    stay = resident(cast)
    assert stay.home_id in doctor_b.partner_home_ids
    made = order(cast, "doctor_b", stay, source="patrol", source_ref="17")
    assert made.prescriber_org_id == doctor_b.org_id and made.prescriber_name == "刘志强"
    assert (made.source, made.source_ref) == ("patrol", "17")
    assert _audit("medication.order.prescribe", made).org_id == doctor_b.org_id


def test_prescribe_joins_the_callers_transaction(cast) -> None:
    """The patrol-visit service calls it inside its own transaction (not durable)."""
    before = MedicationOrder.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        order(cast, "doctor_b", source="patrol")
        assert MedicationOrder.objects.count() == before + 1
        raise RuntimeError("the caller fails after prescribing")
    assert MedicationOrder.objects.count() == before


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d", "hdoc_c", "worker_u"])
def test_foreign_prescribers_get_404_for_home_a(cast, username: str) -> None:
    before = (MedicationOrder.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NotFound):
        order(cast, username)
    assert (MedicationOrder.objects.count(), AuditEvent.objects.count()) == before


def test_the_partner_doctor_gets_404_in_a_home_without_agreement(cast) -> None:
    with pytest.raises(NotFound):
        order(cast, "doctor_b", resident(cast, "nurse_c"))


@pytest.mark.parametrize("username", ["nurse_a", "admin_a", "care_a1", "officer_x"])
def test_non_doctors_may_not_prescribe(cast, username: str) -> None:
    before = MedicationOrder.objects.count()
    with pytest.raises(Forbidden):
        order(cast, username)
    assert MedicationOrder.objects.count() == before


def test_a_resident_without_an_open_stay_gets_no_order(cast) -> None:
    home = cast.home_of("nurse_a")
    gone = (Person.objects.filter(org=home, stays__home=home)
            .exclude(stays__status__in=OPEN_STATUSES).first())
    assert gone is not None, "the demo has discharged residents"
    with pytest.raises(ValidationFailed) as err:
        services.prescribe(actor=cast.actor("hdoc_a"), person_id=gone.pk, drug="X", dose="1 片",
                    route="oral", frequency="qd", start_on=today())
    assert err.value.code == "not_resident"


@pytest.mark.parametrize(("changes", "field"), [
    ({"drug": "  "}, "drug"),
    ({"dose": ""}, "dose"),
    ({"route": "rectal"}, "route"),
    ({"frequency": "q2h"}, "frequency"),
    ({"frequency": "bid", "times": ["08:00"]}, "times"),
    ({"times": ["25:00"]}, "times"),
    ({"frequency": "q8h", "times": ["08:00", "12:00", "20:00"]}, "times"),
    ({"frequency": "prn", "times": []}, "prn_indication"),
    ({"frequency": "prn", "times": ["08:00"], "prn_indication": "胸痛时"}, "times"),
    ({"prn_indication": "血压高时"}, "prn_indication"),
    ({"stop_on": today() - timedelta(days=10)}, "stop_on"),
    ({"source": "pharmacy"}, "source"),
    ({"note": "注" * 301}, "note"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(cast, changes, field) -> None:  # type: ignore[no-untyped-def]
    before = (MedicationOrder.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as err:
        order(cast, **changes)
    assert err.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
    assert (MedicationOrder.objects.count(), AuditEvent.objects.count()) == before


def test_a_prn_order_keeps_its_indication_and_no_times(cast) -> None:
    made = order(cast, drug="硝酸甘油片", dose="0.5 mg", route="sublingual", frequency="prn",
                 times=[], prn_indication="胸痛发作时舌下含服")
    assert made.times == [] and made.prn_indication == "胸痛发作时舌下含服" and made.is_prn


def test_a_once_order_ends_on_its_start_day(cast) -> None:
    made = order(cast, frequency="once", times=["10:00"], start_on=today())
    assert made.stop_on == today()


# ---- stop -----------------------------------------------------------------------------------


def test_the_doctor_stops_an_order_and_it_is_audited(cast) -> None:
    made = order(cast)
    stopped = services.stop_order(actor=cast.actor("hdoc_a"), order_id=made.pk,
                                  version=made.version, reason="血压偏低，停药观察")
    saved = MedicationOrder.objects.get(pk=made.pk)
    assert saved.status == "stopped" and saved.stopped_on == today()
    assert saved.stop_reason == "血压偏低，停药观察" and saved.stop_instructed_by == ""
    assert saved.version == made.version + 1 == stopped.version
    event = _audit("medication.order.stop", saved)
    assert event.changes["status"] == ["active", "stopped"]
    assert event.changes["version"] == [made.version, made.version + 1]
    assert not queries.orders(cast.actor("nurse_a"), person_id=made.person_id,
                              active_only=True).filter(pk=made.pk).exists()


def test_a_stale_version_is_a_conflict(cast) -> None:
    made = order(cast)
    services.stop_order(actor=cast.actor("hdoc_a"), order_id=made.pk, version=made.version,
                        reason="停药")
    with pytest.raises(Conflict):
        services.stop_order(actor=cast.actor("doctor_b"), order_id=made.pk,
                            version=made.version, reason="再停")
    with pytest.raises(ValidationFailed) as err:
        services.stop_order(actor=cast.actor("doctor_b"), order_id=made.pk,
                            version=made.version + 1, reason="再停")
    assert err.value.code == "already_stopped"
    assert MedicationOrder.objects.get(pk=made.pk).version == made.version + 1


def test_the_nurse_records_a_doctors_stop_instruction(cast) -> None:
    made = order(cast)
    nurse = cast.actor("nurse_a")
    with pytest.raises(ValidationFailed) as err:
        services.stop_order(actor=nurse, order_id=made.pk, version=made.version, reason="黑便")
    assert err.value.field == "instructed_by"
    stopped = services.stop_order(actor=nurse, order_id=made.pk, version=made.version,
                                  reason="黑便", instructed_by="刘志强",
                                  stopped_on=today() - timedelta(days=1))
    assert (stopped.stop_instructed_by, stopped.stopped_by) == ("刘志强", "李秀梅")
    assert stopped.stopped_on == today() - timedelta(days=1)


def test_the_partner_doctor_stops_home_a_orders(cast) -> None:
    made = order(cast)
    stopped = services.stop_order(actor=cast.actor("doctor_b"), order_id=made.pk,
                                  version=made.version, reason="巡诊调整用药")
    assert stopped.status == "stopped" and stopped.stopped_by == "刘志强"


@pytest.mark.parametrize(("username", "error"), [
    ("nurse_c", NotFound), ("doctor_d", NotFound), ("hdoc_c", NotFound), ("worker_u", NotFound),
    ("care_a1", Forbidden), ("officer_x", Forbidden),
])
def test_others_may_not_stop(cast, username: str, error: type) -> None:
    made = order(cast)
    with pytest.raises(error):
        services.stop_order(actor=cast.actor(username), order_id=made.pk,
                            version=made.version, reason="X", instructed_by="X")
    assert MedicationOrder.objects.get(pk=made.pk).status == "active"


@pytest.mark.parametrize(("days", "code"), [(1, "future_date"), (-10, "stop_before_start")])
def test_stop_dates_are_checked(cast, days: int, code: str) -> None:
    made = order(cast)  # started three days ago
    with pytest.raises(ValidationFailed) as err:
        services.stop_order(actor=cast.actor("hdoc_a"), order_id=made.pk, version=made.version,
                            reason="X", stopped_on=today() + timedelta(days=days))
    assert err.value.code == code


# ---- reads ----------------------------------------------------------------------------------


def test_who_sees_home_a_orders(cast) -> None:
    made = order(cast)
    for username in ("nurse_a", "care_a1", "hdoc_a", "doctor_b", "officer_x", "officer_city"):
        assert queries.orders(cast.actor(username)).filter(pk=made.pk).exists(), username
    for username in ("nurse_c", "doctor_d", "worker_t", "worker_u", "hdoc_c"):
        assert not queries.orders(cast.actor(username)).filter(pk=made.pk).exists(), username
        with pytest.raises(NotFound):
            queries.order(cast.actor(username), made.pk)


def test_active_and_stopped_filters(cast) -> None:
    stay = resident(cast, nth=1)
    running = order(cast, stay=stay)
    ended = order(cast, stay=stay, start_on=today() - timedelta(days=10),
                  stop_on=today() - timedelta(days=3))
    later = order(cast, stay=stay, start_on=today() + timedelta(days=2))
    stopped = order(cast, stay=stay)
    services.stop_order(actor=cast.actor("hdoc_a"), order_id=stopped.pk,
                        version=stopped.version, reason="X")
    actor = cast.actor("nurse_a")
    active = set(queries.orders(actor, person_id=stay.person_id, active_only=True)
                 .values_list("pk", flat=True))
    past = set(queries.orders(actor, person_id=stay.person_id, stopped_only=True)
               .values_list("pk", flat=True))
    mine = {running.pk, ended.pk, later.pk, stopped.pk}
    assert active & mine == {running.pk, later.pk}
    assert past & mine == {ended.pk, stopped.pk}
    assert [o.state for o in (queries.order(actor, running.pk), queries.order(actor, ended.pk),
                              queries.order(actor, later.pk), queries.order(actor, stopped.pk))
            ] == ["active", "ended", "pending", "stopped"]
