"""Family beds under an agreement (issue 8 item 5): opened by the medical side when every
criterion holds, rounds while open, closed with an outcome; pages, API and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from yiyang.agreements import family_bed_services as beds
from yiyang.agreements.models import Agreement, FamilyBed, FamilyBedRound
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = pytest.mark.django_db

CRITERIA = ["diagnosed", "stable", "eligible", "consent"]


def _agreement(cast) -> Agreement:  # type: ignore[no-untyped-def]
    return Agreement.objects.get(home=cast.home_of("nurse_a"),
                                 medical_id=cast.actor("doctor_b").org_id)


def _free_resident(agreement: Agreement) -> int:
    """A resident of the home in an open stay without an open family bed."""
    taken = FamilyBed.objects.filter(state="opened").values("person_id")
    return (Stay.objects.filter(home=agreement.home, status__in=OPEN_STATUSES)
            .exclude(person_id__in=taken).values_list("person_id", flat=True).first())


def _open(cast, agreement: Agreement, person_id: int, **kw) -> FamilyBed:  # type: ignore[no-untyped-def]
    args = {"diagnosis": "慢性阻塞性肺疾病稳定期", "criteria": CRITERIA,
            "responsible_doctor": "刘志强", **kw}
    return beds.open_family_bed(actor=cast.actor("doctor_b"), agreement_id=agreement.pk,
                                person_id=person_id, **args)


def test_a_bed_runs_from_opening_to_closing_with_every_step_audited(cast) -> None:
    a = _agreement(cast)
    pid = _free_resident(a)
    bed = _open(cast, a, pid, opened_on=timezone.localdate() - timedelta(days=3))
    assert (bed.state, bed.home_id, bed.criteria) == ("opened", a.home_id, CRITERIA)
    entry = beds.record_round(actor=cast.actor("doctor_b"), bed_id=bed.pk,
                              done_on=timezone.localdate(), findings="喘息减轻")
    assert FamilyBedRound.objects.get(pk=entry.pk).bed_id == bed.pk
    with pytest.raises(ValidationFailed, match="其他"):
        beds.close_family_bed(actor=cast.actor("doctor_b"), bed_id=bed.pk, version=bed.version,
                              outcome="other")
    closed = beds.close_family_bed(actor=cast.actor("doctor_b"), bed_id=bed.pk,
                                   version=bed.version, outcome="improved", reason="症状缓解")
    assert (closed.state, closed.outcome, closed.closed_on) == ("closed", "improved",
                                                                  timezone.localdate())
    with pytest.raises(ValidationFailed, match="已撤床"):
        beds.record_round(actor=cast.actor("doctor_b"), bed_id=bed.pk,
                          done_on=timezone.localdate(), findings="X")
    actions = set(AuditEvent.objects.filter(action__startswith="agreements.family_bed.")
                  .filter(object_id__in=[str(bed.pk), str(entry.pk)])
                  .values_list("action", flat=True))
    assert actions == {"agreements.family_bed.open", "agreements.family_bed.round",
                       "agreements.family_bed.close"}


def test_a_bed_needs_every_criterion_item_11_and_one_bed_at_a_time(cast) -> None:
    a = _agreement(cast)
    pid = _free_resident(a)
    with pytest.raises(ValidationFailed, match="病情稳定"):
        _open(cast, a, pid, criteria=["diagnosed", "eligible", "consent"])
    _open(cast, a, pid)
    with pytest.raises(ValidationFailed, match="已有在床"):
        _open(cast, a, pid)
    Agreement.objects.filter(pk=a.pk).update(items=[1, 2, 5])
    with pytest.raises(ValidationFailed, match="第 11 项"):
        _open(cast, Agreement.objects.get(pk=a.pk), _free_resident(a))


def test_only_the_contracted_medical_side_writes(cast) -> None:
    a = _agreement(cast)
    pid = _free_resident(a)
    args = {"agreement_id": a.pk, "person_id": pid, "diagnosis": "X", "criteria": CRITERIA,
            "responsible_doctor": "X"}
    with pytest.raises(Forbidden):
        beds.open_family_bed(actor=cast.actor("nurse_a"), **args)
    with pytest.raises(NotFound):
        beds.open_family_bed(actor=cast.actor("doctor_d"), **args)
    with pytest.raises(NotFound):
        beds.open_family_bed(actor=cast.actor("nurse_c"), **args)
    with pytest.raises(NotFound):
        beds.open_family_bed(actor=cast.actor("officer_x"), **args)
    other = Stay.objects.filter(home=cast.home_of("nurse_c"), status__in=OPEN_STATUSES).first()
    with pytest.raises(ValidationFailed, match="不在签约"):
        beds.open_family_bed(actor=cast.actor("doctor_b"), **{**args,
                                                             "person_id": other.person_id})
    bed = _open(cast, a, pid)
    with pytest.raises(Conflict):
        beds.close_family_bed(actor=cast.actor("doctor_b"), bed_id=bed.pk,
                              version=bed.version + 5, outcome="recovered")


def test_the_demo_has_an_open_bed_with_an_overdue_round_and_a_closed_one(cast) -> None:
    page = cast.browser("doctor_b").get(reverse("agreements:family_beds")).content.decode()
    assert "慢性心力衰竭" in page and "逾期" in page
    everything = cast.browser("admin_a").get(
        reverse("agreements:family_beds") + "?state=all").content.decode()
    assert "治愈撤床" in everything
    assert "慢性心力衰竭" in cast.browser("officer_x").get(
        reverse("agreements:family_beds")).content.decode()
    for outsider in ("nurse_c", "doctor_d"):
        text = cast.browser(outsider).get(reverse("agreements:family_beds")).content.decode()
        assert "慢性心力衰竭" not in text and "没有在床的家庭病床" in text


def test_the_pages_open_round_and_close(cast) -> None:
    a = _agreement(cast)
    pid = _free_resident(a)
    doctor = cast.browser("doctor_b")
    detail = reverse("agreements:detail", args=[a.pk])
    assert "<summary>设立家庭病床</summary>" in doctor.get(detail).content.decode()
    assert "<summary>设立家庭病床</summary>" not in cast.browser("admin_a").get(
        reverse("agreements:detail", args=[a.pk])).content.decode()
    response = doctor.post(reverse("agreements:open_family_bed", args=[a.pk]), {
        "person_id": pid, "diagnosis": "脑梗死恢复期", "criteria": CRITERIA,
        "responsible_doctor": "刘志强", "round_interval_days": 7,
        "opened_on": timezone.localdate().isoformat()})
    bed = FamilyBed.objects.get(person_id=pid, state="opened")
    assert response.status_code == 302 and response.url == reverse("agreements:family_bed",
                                                                   args=[bed.pk])
    refused = doctor.post(reverse("agreements:open_family_bed", args=[a.pk]), {
        "person_id": _free_resident(a), "diagnosis": "X", "criteria": ["diagnosed"],
        "responsible_doctor": "X", "round_interval_days": 7,
        "opened_on": timezone.localdate().isoformat()}, follow=True)
    assert "不符合建床条件" in refused.content.decode()
    doctor.post(reverse("agreements:family_bed_round", args=[bed.pk]), {
        "done_on": timezone.localdate().isoformat(), "findings": "肌力 4 级，言语清"})
    page = doctor.get(reverse("agreements:family_bed", args=[bed.pk])).content.decode()
    assert "肌力 4 级" in page and "撤床" in page
    doctor.post(reverse("agreements:close_family_bed", args=[bed.pk]), {
        "version": bed.version, "outcome": "improved", "reason": "",
        "closed_on": timezone.localdate().isoformat()})
    assert FamilyBed.objects.get(pk=bed.pk).state == "closed"
    for outsider in ("nurse_c", "doctor_d"):
        assert cast.browser(outsider).get(
            reverse("agreements:family_bed", args=[bed.pk])).status_code == 404
    assert cast.browser("officer_x").get(
        reverse("agreements:family_bed", args=[bed.pk])).status_code == 200


def test_the_api(cast) -> None:
    a = _agreement(cast)
    pid = _free_resident(a)
    created = cast.api("doctor_b").post("/api/v1/family-beds", {
        "agreement_id": a.pk, "person_id": pid, "diagnosis": "帕金森病", "criteria": CRITERIA,
        "responsible_doctor": "刘志强"}, content_type="application/json")
    assert created.status_code == 201, created.content
    bed = created.json()
    assert (bed["state"], bed["person_id"]) == ("opened", pid)
    assert "id_number" not in bed
    rounds = cast.api("doctor_b").post(f"/api/v1/family-beds/{bed['id']}/rounds", {
        "done_on": timezone.localdate().isoformat(), "findings": "震颤同前"},
        content_type="application/json")
    assert rounds.status_code == 201 and rounds.json()["bed_id"] == bed["id"]
    listed = cast.api("admin_a").get("/api/v1/family-beds?open_only=true").json()
    assert bed["id"] in [b["id"] for b in listed["items"]]
    assert cast.api("nurse_c").get(f"/api/v1/family-beds/{bed['id']}").status_code == 404
    assert bed["id"] not in [b["id"] for b in
                             cast.api("doctor_d").get("/api/v1/family-beds").json()["items"]]
    closed = cast.api("doctor_b").post(f"/api/v1/family-beds/{bed['id']}/close", {
        "version": bed["version"], "outcome": "referred"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["outcome"] == "referred"
