"""A home manager on a tablet follows the outbreak playbook: opens the incident from the menu,
sees the current step, the report clocks and the line list, and completes the next step."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD
from yiyang.infection.models import Outbreak

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_follows_the_playbook(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "admin_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=疫情处置")
    tablet.wait_for_selector("text=事件列表")
    tablet.locator("a.btn >> text=处置页").first.click()
    tablet.wait_for_selector(".steps")
    assert "下一步：经绿色通道转运定点医院" in tablet.locator("main").inner_text()
    assert tablet.locator(".step.done").count() == 3
    shot(tablet, "outbreak_admin_a")
    button = tablet.locator("button >> text=完成：经绿色通道转运定点医院")
    box = button.bounding_box()
    assert box and box["height"] >= 44  # a real touch target
    tablet.fill(".act input[name=note] >> nth=0", "经专家评估，暂无需转运")
    button.click()
    tablet.wait_for_selector(".alert.success")
    assert "下一步：开展专题流调" in tablet.locator("main").inner_text()
    outbreak = Outbreak.objects.exclude(state="closed").get(home__name="杞县颐养园养老中心")
    assert outbreak.state == "transferred"
    shot(tablet, "outbreak_after_step_admin_a")


def test_city_officer_sees_the_region_table_and_the_overdue_report(live_server, browser, shot,
                                                                   settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", "officer_city")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.click("nav.side >> text=疫情处置")
    page.wait_for_selector("text=辖区进行中的疫情")
    text = page.locator("main").inner_text()
    assert "杞县" in text and "逾期" in text
    shot(page, "outbreak_regulator_officer_city")
    page.click("nav.side >> text=疫情报告")
    page.wait_for_selector("text=疫情报告收件箱")
    assert "上报上级" in page.locator("main").inner_text()
    shot(page, "inbox_officer_city")
    context.close()
