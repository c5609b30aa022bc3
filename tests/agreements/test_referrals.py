"""Referrals under an agreement: no skipped state, reasons, sides, audit (issue 8 item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from yiyang.agreements import services
from yiyang.agreements.models import Agreement, Referral
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = pytest.mark.django_db


def _setup(cast):  # type: ignore[no-untyped-def]
    home_a = cast.home_of("nurse_a")
    agreement = Agreement.objects.get(home=home_a, medical_id=cast.actor("doctor_b").org_id)
    stay = Stay.objects.filter(home=home_a, status__in=OPEN_STATUSES).first()
    return agreement, stay


def _step(cast, who: str, r: Referral, action: str, **kw) -> Referral:  # type: ignore[no-untyped-def]
    return services.act_referral(actor=cast.actor(who), referral_id=r.pk, action=action,
                                 version=r.version, **kw)


def test_an_up_referral_runs_its_course_with_every_step_audited(cast) -> None:
    agreement, stay = _setup(cast)
    r = services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="胸闷气短加重")
    with pytest.raises(ValidationFailed):
        _step(cast, "doctor_b", r, "admit")  # cannot skip accept and transfer
    with pytest.raises(Forbidden):
        _step(cast, "nurse_a", r, "accept")  # the receiving side accepts
    r = _step(cast, "doctor_b", r, "accept")
    r = _step(cast, "nurse_a", r, "transfer")
    r = _step(cast, "doctor_b", r, "admit")
    with pytest.raises(ValidationFailed, match="出院小结"):
        _step(cast, "doctor_b", r, "return")
    r = _step(cast, "doctor_b", r, "return", summary="肺部感染，抗感染治疗 7 天后好转")
    assert r.state == "returned"
    assert [h["action"] for h in r.history] == ["request", "accept", "transfer", "admit",
                                                "return"]
    assert AuditEvent.objects.filter(object_type="agreements.referral",
                                     object_id=str(r.pk)).count() == 5


def test_a_declined_referral_needs_a_reason(cast) -> None:
    agreement, stay = _setup(cast)
    r = services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="发热")
    with pytest.raises(ValidationFailed, match="原因"):
        _step(cast, "doctor_b", r, "decline")
    r = _step(cast, "doctor_b", r, "decline", reason="床位已满，建议转县医院")
    assert (r.state, r.response_note) == ("declined", "床位已满，建议转县医院")


def test_the_agreement_decides_who_may_refer_what(cast) -> None:
    agreement, stay = _setup(cast)
    with pytest.raises(ValidationFailed, match="绿色通道"):
        services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="green_channel", reason="X")
    with pytest.raises(Forbidden):
        services.request_referral(actor=cast.actor("doctor_b"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="X")
    with pytest.raises(NotFound):
        services.request_referral(actor=cast.actor("doctor_d"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="X")
    with pytest.raises(Forbidden):
        services.request_referral(actor=cast.actor("care_a1"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="X")
    other = Stay.objects.filter(home=cast.home_of("nurse_c"), status__in=OPEN_STATUSES).first()
    with pytest.raises(ValidationFailed):
        services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=other.person_id, kind="up", reason="X")


def test_the_referral_pages(cast) -> None:
    agreement, stay = _setup(cast)
    url = reverse("agreements:detail", args=[agreement.pk])
    assert "申请转诊" in cast.browser("nurse_a").get(url).content.decode()
    response = cast.browser("nurse_a").post(
        reverse("agreements:request_referral", args=[agreement.pk]),
        {"person_id": stay.person_id, "kind": "up", "reason": "血糖控制不佳"})
    assert response.status_code == 302
    r = Referral.objects.get(agreement=agreement, reason="血糖控制不佳")
    page = cast.browser("doctor_b").get(url).content.decode()
    assert "血糖控制不佳" in page and "接收" in page
    response = cast.browser("doctor_b").post(reverse("agreements:act_referral", args=[r.pk]),
                                             {"action": "accept", "version": r.version})
    assert response.status_code == 302
    assert Referral.objects.get(pk=r.pk).state == "accepted"
    assert "血糖控制不佳" in cast.browser("officer_x").get(url).content.decode()


def test_the_stay_shows_the_hospital_transfer_and_return(cast) -> None:
    agreement, _ = _setup(cast)
    stay = Stay.objects.filter(home=agreement.home, status="in_residence").first()
    bed_id = stay.bed_id
    r = services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="跌倒后髋部疼痛")
    r = _step(cast, "doctor_b", r, "accept")
    r = _step(cast, "nurse_a", r, "transfer")
    stay.refresh_from_db()
    assert (stay.status, stay.bed_id) == ("in_hospital", bed_id)  # the bed is kept
    out = stay.events.filter(event="hospital_transfer").latest("id")
    assert out.destination == agreement.medical.name
    r = _step(cast, "doctor_b", r, "admit")
    r = _step(cast, "doctor_b", r, "return", summary="股骨颈骨折保守治疗，返院康复")
    stay.refresh_from_db()
    assert stay.status == "in_residence"
    assert stay.events.filter(event="return_from_hospital", id__gt=out.id).count() == 1
    assert AuditEvent.objects.filter(object_type="residents.stay", object_id=str(stay.pk),
                                     action="residents.stay.return_from_hospital").exists()
    assert "入住记录" in r.history[-1]["note"]


def test_a_stay_already_moved_by_hand_is_left_alone(cast) -> None:
    agreement, _ = _setup(cast)
    stay = Stay.objects.filter(home=agreement.home, status="in_residence").first()
    r = services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="高热")
    r = _step(cast, "doctor_b", r, "accept")
    Stay.objects.filter(pk=stay.pk).update(status="on_leave")
    events = stay.events.count()
    r = _step(cast, "nurse_a", r, "transfer")
    assert r.state == "transferred"
    assert stay.events.count() == events
    assert Stay.objects.get(pk=stay.pk).status == "on_leave"


def test_the_referral_api(cast) -> None:
    agreement, _ = _setup(cast)
    stay = Stay.objects.filter(home=agreement.home, status="in_residence").last()
    created = cast.api("nurse_a").post("/api/v1/referrals", {
        "agreement_id": agreement.pk, "person_id": stay.person_id, "kind": "up",
        "reason": "反复头晕"}, content_type="application/json")
    assert created.status_code == 201, created.content
    r = created.json()
    assert (r["state"], r["person_id"]) == ("requested", stay.person_id)
    skipped = cast.api("doctor_b").post(f"/api/v1/referrals/{r['id']}/act", {
        "action": "admit", "version": r["version"]}, content_type="application/json")
    assert skipped.status_code == 400 and skipped.json()["message"]
    declined = cast.api("doctor_b").post(f"/api/v1/referrals/{r['id']}/act", {
        "action": "decline", "version": r["version"]}, content_type="application/json")
    assert declined.status_code == 400 and "原因" in declined.json()["message"]
    accepted = cast.api("doctor_b").post(f"/api/v1/referrals/{r['id']}/act", {
        "action": "accept", "version": r["version"]}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    open_ids = [x["id"] for x in
                cast.api("doctor_b").get("/api/v1/referrals?open_only=true").json()["items"]]
    assert r["id"] in open_ids
    assert cast.api("officer_x").get(f"/api/v1/referrals/{r['id']}").status_code == 200
    for outsider in ("nurse_c", "doctor_d"):
        assert cast.api(outsider).get(f"/api/v1/referrals/{r['id']}").status_code == 404
        assert cast.api(outsider).get("/api/v1/referrals").json()["count"] == 0


def test_the_page_shows_each_step_in_chinese_and_local_time(cast) -> None:
    agreement, stay = _setup(cast)
    r = services.request_referral(actor=cast.actor("nurse_a"), agreement_id=agreement.pk,
                                  person_id=stay.person_id, kind="up", reason="心悸")
    r = _step(cast, "doctor_b", r, "decline", reason="建议转上级医院心内科")
    page = cast.browser("nurse_a").get(reverse("agreements:detail", args=[agreement.pk]))
    text = page.content.decode()
    local = timezone.localtime(r.requested_at).strftime("%Y-%m-%d %H:%M")
    assert f"{local} " in text and "：申请" in text and "：拒绝（建议转上级医院心内科）" in text
    assert "：request" not in text
