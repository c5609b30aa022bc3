"""A nurse of home A on a tablet opens the readiness overview, goes to today's sampling,
records the proposed people and sees the day met; the county officer sees the completion."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD
from yiyang.infection.models import SampleTaken

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_nurse_records_todays_sampling(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    _login(tablet, base, "nurse_a")
    tablet.click("nav.side >> text=应急准备")
    tablet.wait_for_selector("h1:has-text('疫情应急准备')")
    assert "杞县" in tablet.locator(".alert.error").first.inner_text()
    shot(tablet, "readiness_nurse_a")
    tablet.click("main >> text=登记今日采样")
    tablet.wait_for_selector("input[name=subjects]")
    checked = tablet.locator("input[name=subjects]:checked").count()
    assert checked > 0
    shot(tablet, "sampling_nurse_a")
    before = SampleTaken.objects.count()
    tablet.click("main button[type=submit]")
    tablet.wait_for_selector("text=达标")
    assert SampleTaken.objects.count() == before + checked
    first_row = tablet.locator("tbody tr").first.inner_text()
    assert "达标" in first_row
    tablet.click("main >> text=工作人员接种")
    tablet.wait_for_selector("text=应调离直接接触岗位")
    assert tablet.locator("main .tag.warn").count() == 2
    shot(tablet, "staff_nurse_a")
    tablet.click("main >> text=封闭管理")
    tablet.click("main >> text=轮班安排")
    tablet.wait_for_selector("h2:has-text('轮班安排')")
    assert "超过 14 天" in tablet.locator("main").inner_text()
    shot(tablet, "closed_nurse_a")


def test_county_officer_sees_home_a_completion(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    _login(tablet, base, "officer_x")
    tablet.goto(f"{base}/infection/sampling/")
    tablet.wait_for_selector("text=各机构完成情况")
    text = tablet.locator("main").inner_text()
    assert "杞县颐养园养老中心" in text and "通许县福寿康养老院" not in text
    shot(tablet, "sampling_officer_x")
    tablet.goto(f"{base}/infection/supplies/")
    assert "N95" in tablet.locator("main").inner_text()
    shot(tablet, "supplies_officer_x")
