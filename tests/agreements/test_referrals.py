"""Referrals under an agreement: no skipped state, reasons, sides, audit (issue 8 item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
