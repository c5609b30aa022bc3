"""Services delivered under an agreement: health check, training, telemedicine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from yiyang.agreements import services
from yiyang.agreements.models import Agreement, ServiceRecord
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _active(cast) -> Agreement:  # type: ignore[no-untyped-def]
    return Agreement.objects.get(home=cast.home_of("nurse_a"),
                                 medical_id=cast.actor("doctor_b").org_id)


def test_only_agreed_items_by_the_medical_side_within_the_term(cast) -> None:
    a = _active(cast)
    today = timezone.localdate()
    record = services.record_service(actor=cast.actor("doctor_b"), agreement_id=a.pk,
                                     kind="health_check", delivered_on=today, topic="体检",
                                     people=12)
    assert AuditEvent.objects.filter(action="agreements.service",
                                     object_id=str(record.pk)).exists()
    with pytest.raises(ValidationFailed, match="第 17 项"):
        services.record_service(actor=cast.actor("doctor_b"), agreement_id=a.pk,
                                kind="telemedicine", delivered_on=today, topic="远程会诊")
    with pytest.raises(ValidationFailed):
        services.record_service(actor=cast.actor("doctor_b"), agreement_id=a.pk,
                                kind="health_check", delivered_on=a.start_on - timedelta(days=1),
                                topic="体检")
    with pytest.raises(Forbidden):
        services.record_service(actor=cast.actor("nurse_a"), agreement_id=a.pk,
                                kind="health_check", delivered_on=today, topic="体检")
    with pytest.raises(NotFound):
        services.record_service(actor=cast.actor("doctor_d"), agreement_id=a.pk,
                                kind="health_check", delivered_on=today, topic="体检")


def test_the_services_show_on_the_agreement_page(cast) -> None:
    a = _active(cast)
    url = reverse("agreements:detail", args=[a.pk])
    response = cast.browser("doctor_b").post(reverse("agreements:record_service", args=[a.pk]), {
        "kind": "training", "delivered_on": timezone.localdate().isoformat(),
        "topic": "培训：压疮换药", "people": "1"})
    assert response.status_code == 302
    assert ServiceRecord.objects.filter(agreement=a, topic="培训：压疮换药").exists()
    for username in ("admin_a", "officer_x"):
        page = cast.browser(username).get(url).content.decode()
        assert "培训：压疮换药" in page and "年度老年人健康体检" in page
