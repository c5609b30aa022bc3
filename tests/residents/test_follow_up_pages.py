"""Follow-up pages: the schedule (counts, overdue rows, filters, fixed query count), recording
from a row, the home's intervals, the resident's page and the menu."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiyang.core import paging
from yiyang.core.identifiers import id_check_digit
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed
from yiyang.residents import followup_queries, followup_rules, followup_services
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, FollowUpPolicy, FollowUpRecord, Stay
from yiyang.residents.rules import Category
from yiyang.web.navigation import menu_for

URL = "/follow-ups/"


def _rows(actor, home_id: int, **kw):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    iv = followup_queries.intervals(actor, home_id)
    rows = list(followup_queries.schedule(actor, home_id, iv, today=today, **kw))
    for row in rows:
        row.follow_up = followup_rules.follow_up_state(
            interval_days=iv[Category(row.category)], since=row.since, last_on=row.last_on,
            today=today)
    return rows


def test_the_url_is_the_named_route() -> None:
    assert reverse("residents:follow_ups") == URL


def test_schedule_shows_tiers_and_overdue_rows_first(cast) -> None:
    response = cast.browser("nurse_a").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "分级随访计划" in page and "今日待随访" in page and "fu-overdue" in page
    assert "登记随访" in page
    actor = cast.actor("nurse_a")
    rows = _rows(actor, actor.org_id)
    late = [r.follow_up.is_overdue for r in rows]
    assert any(late) and late == sorted(late, reverse=True)  # overdue first
    reds = [r for r in rows if r.category == "red" and r.follow_up.is_overdue]
    assert len(reds) >= 2  # the demo leaves some red residents unasked
    assert f"逾期 {reds[0].follow_up.overdue_days} 天" in page


def test_sql_overdue_and_counts_agree_with_the_rules(cast) -> None:
    """The page's filter and counts (SQL) and each row's state (followup_rules) agree, with
    default intervals and with a home's own (green weekly, yellow none)."""
    actor = cast.actor("admin_a")
    home_id = actor.org_id
    for settings in ({}, {"green": 7, "yellow": None}):
        for category, days in settings.items():
            followup_services.set_follow_up_policy(actor=actor, home_id=home_id,
                                                   category=category, interval_days=days)
        rows = _rows(actor, home_id)
        assert rows
        for row in rows:
            assert bool(row.late) == row.follow_up.is_overdue, (row.person.name, settings)
        only = _rows(actor, home_id, overdue_only=True)
        assert {r.pk for r in only} == {r.pk for r in rows if r.follow_up.is_overdue}
        iv = followup_queries.intervals(actor, home_id)
        counts = {t.category: t for t in followup_queries.tier_counts(
            actor, home_id, iv, today=timezone.localdate())}
        for c in Category:
            mine = [r for r in rows if r.category == c.value]
            assert counts[c].residents == len(mine)
            assert counts[c].overdue == sum(r.follow_up.is_overdue for r in mine)
            assert counts[c].to_do == sum(r.follow_up.state in ("overdue", "due") for r in mine)
    assert counts[Category.GREEN].overdue > 0  # weekly green, never followed up yet
    assert counts[Category.YELLOW].to_do == 0


def test_filters_and_the_htmx_partial(cast) -> None:
    client = cast.browser("nurse_a")
    reds = client.get(URL + "?category=red&overdue=on", HTTP_HX_REQUEST="true")
    assert reds.status_code == 200
    body = reds.content.decode()
    assert "<h1>" not in body and "fu-overdue" in body
    assert "绿 · 一般" not in body and "黄 · 次重点" not in body
    greens = client.get(URL + "?category=green&overdue=on").content.decode()
    assert "没有逾期的随访" in greens


def test_non_homes_have_no_schedule(cast) -> None:
    assert cast.browser("officer_x").get(URL).status_code == 403
    assert cast.browser("doctor_b").get(URL).status_code == 403


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _admit_more(cast, n: int) -> None:  # type: ignore[no-untyped-def]
    actor = cast.actor("admin_c")
    nurse = cast.actor("nurse_c")
    for i in range(n):
        bed = (Bed.objects.filter(home_id=actor.org_id, is_active=True)
               .exclude(stays__status__in=OPEN_STATUSES).order_by("-pk").first())
        first17 = f"4102221938{i + 1:02d}15{i % 9}1{i % 10}"
        stay = resident_services.admit_resident(
            actor=actor, home_id=actor.org_id, bed_id=bed.pk, name=f"测试{'一二三四五六七八'[i]}",
            id_number=first17 + id_check_digit(first17), admitted_on=date(2026, 1, 5))
        followup_services.record_follow_up(actor=nurse, person_id=stay.person_id,
                                           method="phone", findings="好")


def _one_red_resident_overdue(home) -> None:  # type: ignore[no-untyped-def]
    """The filtered page must list someone: an empty page skips the row query, and whether
    the demo world leaves a red resident overdue in home C depends on the day's draws."""
    month_ago = timezone.localdate() - timedelta(days=30)
    stay = (Stay.objects.filter(home=home, status__in=OPEN_STATUSES,
                                person__classifications__is_current=True,
                                person__classifications__category=Category.RED,
                                person__classifications__classified_on__lt=month_ago,
                                admitted_on__lt=month_ago)
            .order_by("pk").first())
    assert stay is not None, "the demo world has a long-registered red resident in home C"
    FollowUpRecord.objects.filter(
        stay=stay, done_on__gte=timezone.localdate() - timedelta(days=3)).delete()


def test_schedule_query_count_does_not_grow_with_residents(cast) -> None:
    _one_red_resident_overdue(cast.home_of("nurse_c"))
    client = cast.browser("nurse_c")
    client.get(URL)  # session and menu warm-up
    base = _queries(client, URL)
    original = paging.PER_PAGE
    try:
        paging.PER_PAGE = 1
        assert _queries(client, URL) == base
    finally:
        paging.PER_PAGE = original
    before = Stay.objects.filter(home=cast.home_of("nurse_c"), status__in=OPEN_STATUSES).count()
    _admit_more(cast, 6)
    assert Stay.objects.filter(home=cast.home_of("nurse_c"),
                               status__in=OPEN_STATUSES).count() == before + 6
    assert _queries(client, URL) == base
    assert _queries(client, URL + "?overdue=on&category=red") == base


def test_record_from_the_row_then_back_to_the_schedule(cast) -> None:
    client = cast.browser("nurse_a")
    actor = cast.actor("nurse_a")
    row = next(r for r in _rows(actor, actor.org_id) if r.follow_up.is_overdue)
    url = reverse("residents:record_follow_up", args=[row.person_id])
    form = client.get(url + "?next=/follow-ups/%3Foverdue%3Don")
    assert form.status_code == 200 and "保存随访记录" in form.content.decode()
    response = client.post(url, {"done_on": timezone.localdate().isoformat(), "method": "phone",
                                 "spo2": "92", "findings": "电话询问：轻咳，无发热",
                                 "next": "/follow-ups/?overdue=on"})
    assert response.status_code == 302 and response["Location"] == "/follow-ups/?overdue=on"
    record = FollowUpRecord.objects.filter(person_id=row.person_id).latest("id")
    assert (record.method, record.spo2, record.recorded_by) == ("phone", 92, "nurse_a")
    after = next(r for r in _rows(actor, actor.org_id) if r.pk == row.pk)
    assert not after.follow_up.is_overdue
    shown = client.get("/follow-ups/?overdue=on").content.decode()
    assert "应及时转诊" in shown  # SpO₂ 92 % → the warning message


def test_record_refuses_outside_links_and_bad_input(cast) -> None:
    client = cast.browser("nurse_a")
    stay = Stay.objects.filter(home=cast.home_of("nurse_a"), status="in_residence").first()
    url = reverse("residents:record_follow_up", args=[stay.person_id])
    bad = client.post(url, {"done_on": timezone.localdate().isoformat(), "method": "phone",
                            "findings": " ", "spo2": "30"})
    assert bad.status_code == 400
    assert "请填写随访情况" in bad.content.decode() or "这个字段是必填项" in bad.content.decode()
    ok = client.post(url, {"done_on": timezone.localdate().isoformat(), "method": "phone",
                           "findings": "好", "next": "https://evil.example/"})
    assert ok.status_code == 302 and ok["Location"] == URL
    assert cast.browser("care_a1").get(url).status_code == 403


def test_policy_page_for_the_manager(cast) -> None:
    client = cast.browser("admin_a")
    url = reverse("residents:follow_up_policy")
    page = client.get(url)
    assert page.status_code == 200 and "随访间隔设置" in page.content.decode()
    missing = client.post(url, {"category": "green", "mode": "days"})
    assert missing.status_code == 400 and "请填写间隔天数" in missing.content.decode()
    saved = client.post(url, {"category": "green", "mode": "days", "interval_days": "7"})
    assert saved.status_code == 302
    policy = FollowUpPolicy.objects.get(home=cast.home_of("admin_a"), category="green")
    assert policy.interval_days == 7
    assert "每 7 天" in client.get(url).content.decode()
    none = client.post(url, {"category": "green", "mode": "none", "version": policy.version})
    assert none.status_code == 302
    policy.refresh_from_db()
    assert policy.interval_days is None
    stale = client.post(url, {"category": "green", "mode": "days", "interval_days": "3",
                              "version": "1"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    back = client.post(url, {"category": "green", "mode": "default", "version": policy.version})
    assert back.status_code == 302
    assert not FollowUpPolicy.objects.filter(home=cast.home_of("admin_a")).exists()
    assert AuditEvent.objects.filter(action="residents.follow_up_policy.reset",
                                     username="admin_a").exists()


@pytest.mark.parametrize(("username", "status"), [("nurse_a", 403), ("officer_x", 403),
                                                  ("doctor_b", 403)])
def test_policy_page_is_for_home_managers(cast, username: str, status: int) -> None:
    client = cast.browser(username)
    url = reverse("residents:follow_up_policy")
    assert client.get(url).status_code == status
    assert client.post(url, {"category": "red", "mode": "days",
                             "interval_days": "2"}).status_code == status
    assert not FollowUpPolicy.objects.filter(category="red").exists()


def test_resident_page_shows_history_and_state(cast) -> None:
    actor = cast.actor("nurse_a")
    row = next(r for r in _rows(actor, actor.org_id) if r.last_on and r.category == "red")
    page = cast.browser("nurse_a").get(reverse("residents:detail", args=[row.person_id]))
    text = page.content.decode()
    assert "分级随访" in text and "随访间隔：<strong>每日</strong>" in text
    assert reverse("residents:record_follow_up", args=[row.person_id]) in text
    last = FollowUpRecord.objects.filter(stay=row).order_by("-done_on", "-id").first()
    assert last.findings.split("，")[0] in text
    regulator = cast.browser("officer_x").get(reverse("residents:detail", args=[row.person_id]))
    assert regulator.status_code == 200
    assert reverse("residents:record_follow_up", args=[row.person_id]) not in \
        regulator.content.decode()


def test_menu_entry_for_homes_only(cast) -> None:
    def labels(username: str) -> list[str]:
        return [i.label for i in menu_for(cast.actor(username))]

    assert "随访计划" in labels("nurse_a") and "随访计划" in labels("admin_c")
    assert "随访计划" not in labels("officer_x") and "随访计划" not in labels("doctor_b")
