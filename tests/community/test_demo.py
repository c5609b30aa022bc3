"""The demo ledger: both townships, visits with some overdue, services open and delivered,
contracts for part of the target group, one person since admitted to a home."""

from __future__ import annotations

from collections import Counter

from yiyang.community import queries
from yiyang.community.models import (
    CommunityVisit,
    FamilyDoctorContract,
    HomeServiceRequest,
    LedgerEntry,
)
from yiyang.core.identifiers import parse_id_number
from yiyang.residents.models import OPEN_STATUSES, Stay


def test_demo_ledger_per_township(cast) -> None:
    t, u = cast.actor("worker_t"), cast.actor("worker_u")
    per = Counter(LedgerEntry.objects.values_list("township_id", flat=True))
    assert per[t.org_id] >= 25 and per[u.org_id] >= 25
    # three village committees in township T, two in U
    assert len(set(LedgerEntry.objects.values_list("org_id", flat=True))) == 5
    for e in LedgerEntry.objects.select_related("person")[:80]:
        assert parse_id_number(e.person.id_number).number == e.person.id_number
        assert e.guardian_name or e.contact_name


def test_demo_history_overdue_services_contracts(cast) -> None:
    t = cast.actor("worker_t")
    assert CommunityVisit.objects.count() > 100
    plan = queries.visit_plan(t)
    assert any(e.overdue for e in plan) and any(not e.overdue for e in plan)
    statuses = set(HomeServiceRequest.objects.values_list("status", flat=True))
    assert {"open", "closed"} <= statuses
    rows = queries.coverage_table(t)
    township = next(r for r in rows if r.level == "乡镇（街道）")
    assert 0 < township.coverage.signed < township.coverage.target
    assert FamilyDoctorContract.objects.exists()


def test_demo_person_admitted_to_a_home_is_the_same_record(cast) -> None:
    in_care = [e for e in queries.entries(cast.actor("worker_t")) if e.care_home]
    assert len(in_care) == 1
    stay = Stay.objects.get(person=in_care[0].person, status__in=OPEN_STATUSES)
    assert stay.home_id == cast.actor("admin_b").org_id
    assert in_care[0].person.org_id == stay.home_id
