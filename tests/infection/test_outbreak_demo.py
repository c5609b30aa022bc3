"""The demo's shape: a closed outbreak last year with reports forwarded in time, an open one in
home A with persons isolated, officer_x's received report and an overdue upward report."""

from __future__ import annotations

from django.utils import timezone

from yiyang.demo.infection import build_demo_infection
from yiyang.infection import outbreak_queries as queries
from yiyang.infection.models import IsolationSite, Outbreak, OutbreakReport, SymptomCheck


def test_demo_shape(cast) -> None:
    assert build_demo_infection() == 0  # idempotent
    home_a = cast.home_of("nurse_a")
    closed = Outbreak.objects.get(state="closed", opened_at__year=timezone.localdate().year - 1)
    assert closed.events.count() > 15
    chain = list(OutbreakReport.objects.filter(outbreak=closed).order_by("received_at"))
    assert len(chain) == 4 and all(r.status == "forwarded" for r in chain)
    assert all(r.forwarded_at <= r.due_at for r in chain if r.to_org_id)
    open_a = Outbreak.objects.get(home=home_a, state="reported")
    assert open_a.line_list.filter(role="case").count() == 2
    placed = [e.current.where for e in queries.line_list(cast.actor("nurse_a"), open_a)
              if e.current]
    assert "site" in placed and "home_room" in placed
    officer_x = cast.actor("officer_x")
    assert queries.inbox(officer_x).filter(outbreak=open_a).exists()
    late = OutbreakReport.objects.get(outbreak=open_a, status="received")
    assert late.to_org_id == cast.actor("officer_city").org_id
    assert late.overdue_since == late.due_at and late.escalated_at is not None
    assert late.escalated_to.name == "河南省民政厅"
    week_ago = timezone.localdate() - timezone.timedelta(days=7)
    assert SymptomCheck.objects.filter(home=home_a, checked_on__gte=week_ago).values(
        "checked_on").distinct().count() == 7
    assert SymptomCheck.objects.filter(home=home_a).exclude(referral_signs=[]).exists()
    assert IsolationSite.objects.count() >= 4
