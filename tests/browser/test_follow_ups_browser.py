"""A nurse on a tablet opens the follow-up schedule, sees the overdue red residents first and
records a follow-up from the row."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD
from yiyang.residents.models import FollowUpRecord

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_records_an_overdue_follow_up(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=随访计划")
    tablet.wait_for_selector("tr.fu-overdue")
    assert "分级随访计划" in tablet.locator("h1").inner_text()
    first = tablet.locator("tbody tr").first
    assert "fu-overdue" in (first.get_attribute("class") or "")
    name = first.locator("td").first.locator("a").inner_text()
    shot(tablet, "follow_ups_nurse_a")
    # Tablet: the row's button is a real touch target.
    box = first.locator("a.btn").bounding_box()
    assert box and box["height"] >= 36
    tablet.check("#id_overdue")  # htmx narrows the list without a reload
    tablet.wait_for_function("document.location.search.includes('overdue=on')")
    before = FollowUpRecord.objects.count()
    first = tablet.locator("tbody tr").first
    first.locator("a.btn").click()
    tablet.wait_for_selector("textarea[name=findings]")
    assert name in tablet.locator("h1").inner_text()
    tablet.check("input[name=method][value=in_person]")
    tablet.fill("input[name=spo2]", "97")
    tablet.fill("input[name=temperature]", "36.6")
    tablet.fill("textarea[name=findings]", "精神好，无发热咳嗽")
    shot(tablet, "follow_up_form_nurse_a")
    tablet.click("main button[type=submit]")  # not the top bar's 退出
    tablet.wait_for_selector(".alert.success")
    assert "overdue=on" in tablet.url
    assert FollowUpRecord.objects.count() == before + 1
    assert f"已登记 {name} 的随访" in tablet.locator(".alert.success").inner_text()
    shot(tablet, "follow_ups_after_record_nurse_a")
