"""A caregiver on a tablet (1024×768) opens this shift's page, taps a task done, tries to mark
one not done without a reason (refused in Chinese), records one with a reason, and enters a
temperature outside the resident's range (an alert on the page, and on the handover)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import ensure_world
from yiyang.care.models import CareTask
from yiyang.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_caregiver_records_tasks_and_vitals_on_a_tablet(live_server, tablet, shot,
                                                        settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "care_a1")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=本班照护")
    tablet.wait_for_selector("section.resident")
    shot(tablet, "point_of_care_care_a1")
    tablet.screenshot(path=str(ARTIFACTS / "point_of_care_care_a1_viewport.png"))
    rows = tablet.locator(".task:has(button.done-btn)")
    assert rows.count() >= 2
    first = rows.first
    pk = int(first.get_attribute("data-task"))
    button = first.locator("button.done-btn")
    box = button.bounding_box()
    assert box and box["height"] >= 44  # a real touch target
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 1024  # no sideways scroll
    button.click()
    tablet.wait_for_selector(f"#task-{pk}.done")
    assert CareTask.objects.get(pk=pk).status == "done"
    # Not done without a reason: refused in Chinese, the task stays open.
    second = tablet.locator(".task:has(button.done-btn)").first
    pk2 = int(second.get_attribute("data-task"))
    second.locator("summary").click()
    second.locator("button:has-text('记为未完成')").click()
    tablet.wait_for_selector(f"#task-{pk2} .err")
    assert "未完成的任务必须填写原因" in tablet.locator(f"#task-{pk2} .err").inner_text()
    assert CareTask.objects.get(pk=pk2).status == "pending"
    again = tablet.locator(f"#task-{pk2}")
    again.locator("summary").click()
    again.locator("input[name=reason]").fill("老人拒绝")
    again.locator("button:has-text('记为未完成')").click()
    tablet.wait_for_selector(f"#task-{pk2}.not_done")
    assert CareTask.objects.get(pk=pk2).reason == "老人拒绝"
    # A temperature outside the range raises an alert on the page.
    resident = tablet.locator("section.resident").first
    resident.locator("summary:has-text('录入生命体征')").click()
    resident.locator("input[name=temperature]").fill("38.5")
    resident.locator("input[name=pulse]").fill("96")
    resident.locator("button:has-text('保存体征')").click()
    tablet.wait_for_selector(".vital-alert")
    assert "体温 38.5 ℃ 偏高" in tablet.locator(".vital-alert").inner_text()
    shot(tablet, "point_of_care_after_taps_care_a1")
    tablet.screenshot(path=str(ARTIFACTS / "point_of_care_after_taps_viewport.png"))
    tablet.click(".care-tabs >> text=交接班")
    tablet.wait_for_selector("text=体征异常")
    assert "体温 38.5 ℃ 偏高" in tablet.locator("main").inner_text()
    shot(tablet, "handover_care_a1")
    # The plans: the overdue review is flagged; a plan shows its content and revisions.
    tablet.click(".care-tabs >> text=服务方案")
    tablet.wait_for_selector("h1:has-text('服务方案')")
    assert tablet.locator(".tag.red:has-text('复评逾期')").count() >= 1
    shot(tablet, "care_plans_care_a1")
    tablet.locator("table a.btn:has-text('查看')").first.click()
    tablet.wait_for_selector("h2:has-text('修订历史')")
    assert "护理等级" in tablet.locator("main").inner_text()
    shot(tablet, "care_plan_detail_care_a1")
