"""The demo orders: realistic, in homes A and C, through the services (audited)."""

from __future__ import annotations

from collections import Counter

from yiyang.core.models import AuditEvent
from yiyang.medication.models import MedicationOrder
from yiyang.medication.rules import check_schedule


def test_demo_orders_per_home(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    per_home = Counter(MedicationOrder.objects.values_list("home_id", flat=True))
    assert per_home[home_a.pk] >= 20 and per_home[home_c.pk] >= 10
    assert set(per_home) == {home_a.pk, home_c.pk}  # the homes that have a doctor
    drugs = set(MedicationOrder.objects.values_list("drug", flat=True))
    assert {"盐酸二甲双胍片", "阿司匹林肠溶片", "硝酸甘油片", "对乙酰氨基酚片"} <= drugs
    assert drugs & {"苯磺酸氨氯地平片", "硝苯地平控释片", "缬沙坦胶囊"}
    assert drugs & {"阿托伐他汀钙片", "瑞舒伐他汀钙片"}


def test_demo_orders_follow_the_rules_and_the_conditions(cast) -> None:
    # The clinics' orders (patrol orders also come from the agreements demo's visits).
    for o in MedicationOrder.objects.exclude(source="patrol").select_related("person"):
        assert check_schedule(o.frequency, o.times, o.prn_indication)[1] == tuple(o.times)
        codes = set(o.person.conditions.filter(is_active=True).values_list("code", flat=True))
        if o.drug == "盐酸二甲双胍片":
            assert "DM" in codes
        if o.drug == "硝酸甘油片":
            assert "CHD" in codes and o.frequency == "prn" and o.prn_indication
    assert MedicationOrder.objects.count() == AuditEvent.objects.filter(
        action="medication.order.prescribe").count()


def test_demo_has_partner_orders_and_stops_with_reasons(cast) -> None:
    home_a = cast.home_of("nurse_a")
    doctor_b = cast.actor("doctor_b")
    patrol = MedicationOrder.objects.filter(home=home_a, prescriber_org_id=doctor_b.org_id)
    assert patrol.exists() and set(patrol.values_list("source", flat=True)) == {"patrol"}
    assert all(ref.isdigit() for ref in patrol.values_list("source_ref", flat=True))
    stopped = MedicationOrder.objects.filter(status="stopped")
    assert stopped.count() >= 3 and all(o.stop_reason for o in stopped)
    assert stopped.exclude(stop_instructed_by="").exists()  # a nurse recorded a doctor's stop
    assert MedicationOrder.objects.filter(source="referral").exists()
    assert MedicationOrder.objects.filter(frequency="weekly").exists()
