"""Who sees what through an agreement (issue 8 "Who sees what"), at the boundary dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiyang.agreements import access, queries
from yiyang.agreements.models import Agreement
from yiyang.core.permissions import OrgKind
from yiyang.residents import queries as resident_queries

pytestmark = pytest.mark.django_db


def _demo_agreement(cast) -> Agreement:  # type: ignore[no-untyped-def]
    home_a = cast.home_of("nurse_a")
    return Agreement.objects.get(home=home_a, medical_id=cast.actor("doctor_b").org_id)


def test_doctor_b_reads_home_a_residents_and_doctor_d_nothing(cast) -> None:
    home_a = cast.home_of("nurse_a")
    doctor_b, doctor_d = cast.actor("doctor_b"), cast.actor("doctor_d")
    assert doctor_b.partner_home_ids == frozenset({home_a.pk})
    assert doctor_d.partner_home_ids == frozenset()
    seen = resident_queries.residents(doctor_b)
    assert seen.exists()
    assert set(seen.values_list("org_id", flat=True)) == {home_a.pk}
    assert not resident_queries.residents(doctor_d).exists()


def test_access_holds_on_the_end_date_and_stops_the_day_after(cast) -> None:
    agreement = _demo_agreement(cast)
    home_a = agreement.home_id
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(end_on=today)
    doctor_b = cast.actor("doctor_b")
    assert doctor_b.partner_home_ids == frozenset({home_a})
    assert resident_queries.residents(doctor_b).exists()
    assert access.partner_homes(agreement.medical_id, today + timedelta(days=1)) == set()

    Agreement.objects.filter(pk=agreement.pk).update(end_on=today - timedelta(days=1))
    doctor_b = cast.actor("doctor_b")
    assert doctor_b.partner_home_ids == frozenset()
    assert not resident_queries.residents(doctor_b).exists()


def test_access_starts_on_the_start_date(cast) -> None:
    agreement = _demo_agreement(cast)
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(start_on=today + timedelta(days=1))
    assert cast.actor("doctor_b").partner_home_ids == frozenset()
    Agreement.objects.filter(pk=agreement.pk).update(start_on=today)
    assert cast.actor("doctor_b").partner_home_ids == frozenset({agreement.home_id})


def test_a_terminated_agreement_gives_nothing(cast) -> None:
    from yiyang.agreements import services

    agreement = _demo_agreement(cast)
    services.act(actor=cast.actor("admin_a"), agreement_id=agreement.pk, action="terminate",
                 version=agreement.version, reason="医疗机构撤并")
    doctor_b = cast.actor("doctor_b")
    assert doctor_b.partner_home_ids == frozenset()
    assert not resident_queries.residents(doctor_b).exists()


def test_the_medical_side_sees_its_agreements_not_others_of_the_home(cast) -> None:
    doctor_b, doctor_d = cast.actor("doctor_b"), cast.actor("doctor_d")
    assert doctor_b.org_kind == OrgKind.MEDICAL
    mine = list(queries.agreements(doctor_b))
    assert mine and all(a.medical_id == doctor_b.org_id for a in mine)
    assert not queries.agreements(doctor_d).exists()
    assert not queries.agreements(cast.actor("nurse_c")).filter(
        home_id=cast.home_of("nurse_a").pk).exists()
