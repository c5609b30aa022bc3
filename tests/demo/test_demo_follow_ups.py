"""The demo's follow-ups (`yiyang.demo.follow_ups`): written through the services, audited at
their own time, with overdue red residents in home A and home E's own yellow interval."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.demo.follow_ups import build_demo_follow_ups
from yiyang.residents import followup_queries
from yiyang.residents.models import OPEN_STATUSES, FollowUpPolicy, FollowUpRecord
from yiyang.residents.rules import Category


def test_built_once_through_the_services(cast) -> None:
    records = FollowUpRecord.objects.all()
    assert records.count() >= 300
    assert build_demo_follow_ups() == 0
    events = AuditEvent.objects.filter(action="residents.follow_up.record")
    assert events.count() == records.count()
    assert set(records.values_list("category", flat=True)) <= {"red", "yellow"}
    assert not records.exclude(stay__status__in=OPEN_STATUSES).exists()


def test_audit_rows_are_dated_at_the_follow_up(cast) -> None:
    zone = timezone.get_current_timezone()
    when = {str(r.pk): datetime.combine(r.done_on, r.done_time, zone)
            for r in FollowUpRecord.objects.all()[:200]}
    events = AuditEvent.objects.filter(action="residents.follow_up.record",
                                       object_id__in=list(when))
    for event in events:
        assert timedelta(0) < event.at - when[event.object_id] <= timedelta(minutes=10)
    assert FollowUpRecord.objects.filter(done_on__lt=timezone.localdate() - timedelta(days=2)) \
        .exists()


def test_home_a_has_overdue_red_residents_and_home_e_its_own_yellow_interval(cast) -> None:
    actor = cast.actor("nurse_a")
    iv = followup_queries.intervals(actor, actor.org_id)
    tiers = {t.category: t for t in followup_queries.tier_counts(
        actor, actor.org_id, iv, today=timezone.localdate())}
    assert tiers[Category.RED].overdue >= 2
    assert tiers[Category.RED].overdue < tiers[Category.RED].residents
    assert tiers[Category.GREEN].to_do == 0
    home_e = FollowUpPolicy.objects.get()
    assert (home_e.home.name, home_e.category, home_e.interval_days) == ("兰考县康宁颐养院",
                                                                         "yellow", 2)
