"""Patrol visits (issue 8 item 3): team, residents seen, findings, and the drug orders given,
which reach the home's medication orders; pages, API and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiyang.agreements import patrol_services
from yiyang.agreements.models import Agreement, PatrolResident, PatrolVisit
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.medication import queries as medication_queries
from yiyang.medication.models import MedicationOrder
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = pytest.mark.django_db


def _agreement(cast) -> Agreement:  # type: ignore[no-untyped-def]
    return Agreement.objects.get(home=cast.home_of("nurse_a"),
                                 medical_id=cast.actor("doctor_b").org_id)


def _residents(agreement: Agreement, n: int = 2) -> list[int]:
    return list(Stay.objects.filter(home=agreement.home, status__in=OPEN_STATUSES,
                                    admitted_on__lte=timezone.localdate())
                .order_by("person_id").values_list("person_id", flat=True)[:n])


def _visit(cast, agreement: Agreement, people: list[int]) -> PatrolVisit:  # type: ignore[no-untyped-def]
    return patrol_services.record_patrol_visit(
        actor=cast.actor("doctor_b"), agreement_id=agreement.pk,
        visited_on=timezone.localdate(), doctors="刘志强", nurses="王秀英", person_ids=people,
        notes={people[0]: "血压 168/96 mmHg"}, findings="血压偏高 1 人",
        follow_up="一周后复测血压", follow_up_on=timezone.localdate() + timedelta(days=7))


def test_a_visit_keeps_its_team_and_the_residents_seen(cast) -> None:
    a = _agreement(cast)
    people = _residents(a)
    visit = _visit(cast, a, people)
    assert visit.team == "医生：刘志强；护士：王秀英"
    rows = {r.person_id: r.note for r in visit.seen.all()}
    assert rows == {people[0]: "血压 168/96 mmHg", people[1]: ""}
    audit = AuditEvent.objects.get(action="agreements.patrol", object_id=str(visit.pk))
    assert audit.changes["person_ids"] == [None, sorted(people)]


def test_only_residents_of_the_home_that_day_can_be_seen(cast) -> None:
    a = _agreement(cast)
    other = Stay.objects.filter(home=cast.home_of("nurse_c"), status__in=OPEN_STATUSES).first()
    with pytest.raises(ValidationFailed, match="不在该养老机构"):
        _visit(cast, a, [*_residents(a, 1), other.person_id])
    late = (Stay.objects.filter(home=a.home, admitted_on__gt=a.start_on)
            .order_by("-admitted_on").first())
    with pytest.raises(ValidationFailed, match="不在该养老机构"):
        patrol_services.record_patrol_visit(
            actor=cast.actor("doctor_b"), agreement_id=a.pk,
            visited_on=late.admitted_on - timedelta(days=1), doctors="X",
            person_ids=[late.person_id])
    with pytest.raises(ValidationFailed, match="下次随访"):
        patrol_services.record_patrol_visit(
            actor=cast.actor("doctor_b"), agreement_id=a.pk, visited_on=timezone.localdate(),
            doctors="X", follow_up_on=timezone.localdate())


def test_an_order_given_on_the_visit_reaches_the_homes_medication_orders(cast) -> None:
    a = _agreement(cast)
    people = _residents(a)
    visit = _visit(cast, a, people)
    order = patrol_services.give_patrol_order(
        actor=cast.actor("doctor_b"), visit_id=visit.pk, person_id=people[0],
        drug="苯磺酸氨氯地平片", dose="5 mg", route="oral", frequency="qd", times=["08:00"])
    home_orders = medication_queries.orders(cast.actor("nurse_a"), person_id=people[0])
    assert order.pk in set(home_orders.values_list("pk", flat=True))
    saved = MedicationOrder.objects.get(pk=order.pk)
    assert (saved.source, saved.source_ref, saved.home_id, saved.start_on) == (
        "patrol", str(visit.pk), a.home_id, visit.visited_on)
    assert AuditEvent.objects.filter(action="agreements.patrol.order",
                                     object_id=str(visit.pk)).count() == 1
    # Only for a resident the visit saw, by the contracted institution's doctor.
    unseen = Stay.objects.filter(home=a.home, status__in=OPEN_STATUSES).exclude(
        person_id__in=people).first()
    with pytest.raises(ValidationFailed, match="诊视"):
        patrol_services.give_patrol_order(
            actor=cast.actor("doctor_b"), visit_id=visit.pk, person_id=unseen.person_id,
            drug="X", dose="1 片", route="oral", frequency="qd", times=["08:00"])
    with pytest.raises(NotFound):
        patrol_services.give_patrol_order(
            actor=cast.actor("doctor_d"), visit_id=visit.pk, person_id=people[0],
            drug="X", dose="1 片", route="oral", frequency="qd", times=["08:00"])
    with pytest.raises(Forbidden):
        patrol_services.give_patrol_order(
            actor=cast.actor("nurse_a"), visit_id=visit.pk, person_id=people[0],
            drug="X", dose="1 片", route="oral", frequency="qd", times=["08:00"])


def test_the_visit_page_and_its_order_form(cast) -> None:
    a = _agreement(cast)
    people = _residents(a)
    visit = _visit(cast, a, people)
    url = reverse("agreements:patrol_visit", args=[visit.pk])
    page = cast.browser("doctor_b").get(url).content.decode()
    assert "血压 168/96 mmHg" in page and "开具医嘱" in page
    response = cast.browser("doctor_b").post(reverse("agreements:patrol_order", args=[visit.pk]), {
        "person_id": people[1], "drug": "二甲双胍缓释片", "dose": "0.5 g", "route": "oral",
        "frequency": "bid", "times": "08:00, 18:00",
        "start_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert MedicationOrder.objects.filter(source_ref=str(visit.pk), drug="二甲双胍缓释片").exists()
    home_page = cast.browser("nurse_a").get(url).content.decode()
    assert "二甲双胍缓释片" in home_page and "开具医嘱" not in home_page
    assert "二甲双胍缓释片" in cast.browser("officer_x").get(url).content.decode()
    for outsider in ("nurse_c", "doctor_d"):
        assert cast.browser(outsider).get(url).status_code == 404
    assert cast.browser("nurse_a").post(reverse("agreements:patrol_order", args=[visit.pk]),
                                        {"person_id": people[1]}).status_code == 403


def test_the_api(cast) -> None:
    a = _agreement(cast)
    people = _residents(a)
    created = cast.api("doctor_b").post("/api/v1/patrol-visits", {
        "agreement_id": a.pk, "visited_on": timezone.localdate().isoformat(),
        "doctors": "刘志强", "person_ids": people, "notes": {str(people[0]): "咳嗽"}},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["residents_seen"] == 2
    assert {r["person_id"]: r["note"] for r in body["seen"]}[people[0]] == "咳嗽"
    order = cast.api("doctor_b").post(f"/api/v1/patrol-visits/{body['id']}/orders", {
        "person_id": people[0], "drug": "氨溴索口服溶液", "dose": "10 ml", "route": "oral",
        "frequency": "tid"}, content_type="application/json")
    assert order.status_code == 201, order.content
    assert order.json()["source"] == "patrol"
    listed = cast.api("officer_x").get(f"/api/v1/patrol-visits?agreement_id={a.pk}").json()
    assert body["id"] in [v["id"] for v in listed["items"]]
    assert cast.api("doctor_d").get(f"/api/v1/patrol-visits/{body['id']}").status_code == 404
    assert cast.api("nurse_c").get("/api/v1/patrol-visits").json()["count"] == 0


def test_the_visit_list_runs_a_fixed_number_of_queries(cast) -> None:
    api = cast.api("doctor_b")
    api.get("/api/v1/patrol-visits?limit=1")  # warm up: token, session, actor
    counts = []
    for limit in (1, 30):
        with CaptureQueriesContext(connection) as ctx:
            body = api.get(f"/api/v1/patrol-visits?limit={limit}").json()
        counts.append(len(ctx.captured_queries))
        assert len(body["items"]) == min(limit, body["count"])
    assert counts[0] == counts[1]


def test_every_demo_patrol_order_belongs_to_a_resident_its_visit_saw(cast) -> None:
    orders = MedicationOrder.objects.filter(source="patrol").values_list("person_id",
                                                                          "source_ref")
    assert len(orders) > 3
    seen = set(PatrolResident.objects.values_list("person_id", "visit_id"))
    assert {(p, int(ref)) for p, ref in orders} <= seen
