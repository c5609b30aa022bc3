"""The demo comes with a past: audited service calls spread over the last weeks."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.demo.history import build_demo_history


def test_history_exists_once_and_lies_in_the_past(cast) -> None:
    events = AuditEvent.objects.filter(action__startswith="orgs.")
    assert events.count() >= 5
    assert build_demo_history() == 0
    assert events.filter(at__lt=timezone.now() - timedelta(days=20)).exists()
    assert set(events.values_list("username", flat=True)) == {"admin_a", "admin_c"}
