"""Every readiness write leaves one described audit row; the regional pages run a fixed number
of queries whatever the number of homes under a local case."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiyang.core.audit import label_of
from yiyang.core.models import AuditEvent
from yiyang.infection import readiness_services as rs
from yiyang.infection import sampling_services as ss
from yiyang.infection.models import ClosedManagement, SupplyStock, SupportTeam


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_each_write_is_audited_once_with_a_chinese_label(cast) -> None:
    today = timezone.localdate()
    admin, city = cast.actor("admin_a"), cast.actor("officer_city")
    nurse_member = cast.membership("nurse_a")
    stock = SupplyStock.objects.get(home_id=admin.org_id, kind="n95")
    closure = ClosedManagement.objects.get(home_id=admin.org_id, ended_on__isnull=True)
    team = SupportTeam.objects.get(regulator_id=city.org_id)
    steps = [
        ("infection.staff.dose", lambda: rs.record_staff_dose(
            actor=admin, membership_id=nurse_member.pk, kind="booster", product="recombinant",
            given_on=today)),
        ("infection.supplies.receipt", lambda: rs.record_supply_movement(
            actor=admin, stock_id=stock.pk, kind="receipt", quantity=10)),
        ("infection.team.training", lambda: rs.record_team_training(
            actor=city, team_id=team.pk, trained_on=today, topic="穿脱防护服")),
        ("infection.closure.shift", lambda: rs.add_shift(
            actor=admin, closure_id=closure.pk, membership_id=nurse_member.pk, team="C组",
            start_on=today + timedelta(days=90), end_on=today + timedelta(days=95))),
        ("infection.local_case.mark", lambda: ss.mark_local_case(
            actor=cast.actor("officer_y"), started_on=today)),
    ]
    for action, step in steps:
        before = AuditEvent.objects.count()
        obj = step()
        assert AuditEvent.objects.count() == before + 1, action
        event = _last(action)
        assert event is not None and label_of(action) != action
        assert event.username in {"admin_a", "officer_city", "officer_y"}
        if action != "infection.supplies.receipt":
            assert event.object_id == str(obj.pk)


def test_team_member_phone_is_redacted_in_the_audit(cast) -> None:
    city = cast.actor("officer_city")
    team = SupportTeam.objects.get(regulator_id=city.org_id)
    rs.add_team_member(actor=city, team_id=team.pk, name="王医生", profession="医师",
                       phone="13912345678")
    event = _last("infection.team.member")
    assert "13912345678" not in str(event.changes)


def test_regional_sampling_page_runs_a_fixed_number_of_queries(cast) -> None:
    def count(username: str) -> int:
        client = cast.browser(username)
        client.get(reverse("infection:sampling"))  # warm the session and menus
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("infection:sampling")).status_code == 200
        return len(ctx.captured_queries)

    few = count("officer_x")  # county X: homes A and B under the mark
    ss.mark_local_case(actor=cast.actor("officer_y"),
                       started_on=timezone.localdate() - timedelta(days=2))
    ss.mark_local_case(actor=cast.actor("officer_z"),
                       started_on=timezone.localdate() - timedelta(days=4))
    many = count("officer_city")  # six homes in three counties
    assert few == many
