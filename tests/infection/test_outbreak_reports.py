"""The reporting chain: inbox by department, forwarding upward, the background clock that marks
a report overdue from the time it fell due and flags it to the level above."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.infection.helpers import close_open_incidents, fresh_incident, positive
from yiyang.core.errors import Forbidden, NotFound
from yiyang.core.models import AuditEvent
from yiyang.infection import outbreak_queries as queries
from yiyang.infection import outbreak_reports as reports
from yiyang.infection import tasks
from yiyang.infection.models import OutbreakReport


def _home_report(cast, hours_ago: float = 0) -> OutbreakReport:  # type: ignore[no-untyped-def]
    outbreak = fresh_incident(cast, at=timezone.now() - timedelta(hours=hours_ago, minutes=1))
    return OutbreakReport.objects.get(outbreak=outbreak, parent__isnull=True)


def test_a_report_left_unforwarded_past_two_hours_is_escalated_with_the_time_it_fell_due(
        cast) -> None:
    report = _home_report(cast, hours_ago=3)
    due = report.received_at + timedelta(hours=2)
    assert queries.clock(report).overdue  # shown overdue before the task even ran
    n = tasks.report_clock.call_local()
    assert n >= 1
    report.refresh_from_db()
    assert report.overdue_since == due
    assert report.escalated_at is not None and report.escalated_at >= due
    city = cast.actor("officer_city")
    assert report.escalated_to_id == city.org_id
    assert report in queries.inbox(city)  # the level above sees the flag
    assert AuditEvent.objects.filter(action="infection.report.escalate",
                                     object_id=str(report.pk)).exists()
    assert report.outbreak.events.filter(note__contains="逾期").exists()
    # escalated once only
    assert reports.escalate_overdue() == 0
    assert OutbreakReport.objects.get(pk=report.pk).escalated_at == report.escalated_at


def test_a_report_within_two_hours_is_not_escalated(cast) -> None:
    report = _home_report(cast, hours_ago=1)
    reports.escalate_overdue()
    report.refresh_from_db()
    assert report.escalated_at is None and report.overdue_since is None
    clock = queries.clock(report)
    assert not clock.overdue and 55 <= clock.remaining_minutes <= 60


def test_the_county_forwards_to_the_city_and_the_city_to_the_province(cast) -> None:
    report = _home_report(cast)
    officer_x, officer_city = cast.actor("officer_x"), cast.actor("officer_city")
    reports.acknowledge(actor=officer_x, report_id=report.pk, version=report.version)
    report.refresh_from_db()
    upward = reports.forward(actor=officer_x, report_id=report.pk, version=report.version,
                             content="杞县民政局上报")
    report.refresh_from_db()
    assert report.status == "forwarded" and report.overdue_since is None
    assert upward.to_org_id == officer_city.org_id and upward.from_org_id == officer_x.org_id
    assert upward in queries.inbox(officer_city) and upward not in queries.inbox(officer_x)
    top = reports.forward(actor=officer_city, report_id=upward.pk, version=upward.version)
    assert top.to_org.name == "河南省民政厅"
    final = reports.forward(actor=cast.actor("officer_prov"), report_id=top.pk,
                            version=top.version)
    assert final.to_external == reports.MINISTRY and final.status == "forwarded"


def test_a_late_forward_keeps_the_time_it_fell_due(cast) -> None:
    report = _home_report(cast, hours_ago=3)
    reports.forward(actor=cast.actor("officer_x"), report_id=report.pk, version=report.version)
    report.refresh_from_db()
    assert report.overdue_since == report.due_at


def test_only_the_receiving_department_acts(cast) -> None:
    report = _home_report(cast)
    with pytest.raises(Forbidden):  # the city reads it but it is not addressed to the city
        reports.forward(actor=cast.actor("officer_city"), report_id=report.pk,
                        version=report.version)
    for username in ("officer_y", "nurse_c", "doctor_b"):
        with pytest.raises((NotFound, Forbidden)):
            reports.forward(actor=cast.actor(username), report_id=report.pk,
                            version=report.version)
    with pytest.raises((NotFound, Forbidden)):
        reports.acknowledge(actor=cast.actor("nurse_a"), report_id=report.pk,
                            version=report.version)


def test_the_home_sees_its_report_and_clock_but_not_other_homes(cast) -> None:
    report = _home_report(cast)
    assert queries.reports(cast.actor("nurse_a")).filter(pk=report.pk).exists()
    assert not queries.reports(cast.actor("nurse_c")).filter(pk=report.pk).exists()


def test_a_home_without_a_department_in_the_system_still_opens_its_incident(cast) -> None:
    from yiyang.orgs.models import Regulator

    close_open_incidents(cast)
    Regulator.objects.filter(department="civil_affairs").update(is_active=False)
    outbreak = positive(cast).outbreak
    assert outbreak.state == "opened" and not outbreak.reports.exists()
    assert outbreak.events.filter(note__contains="电话报告").exists()


def test_without_a_county_department_the_report_goes_to_the_city(cast) -> None:
    from yiyang.orgs.models import Regulator

    close_open_incidents(cast)
    Regulator.objects.filter(pk=cast.actor("officer_x").org_id).update(is_active=False)
    report = positive(cast).outbreak.reports.get()
    assert report.to_org_id == cast.actor("officer_city").org_id and report.level == "city"
