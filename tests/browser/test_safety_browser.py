"""The pressure-injury indicator on a tablet: rate against the 5 % line, the ECharts trend and the
residents behind the chosen month."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_indicator_page_on_a_tablet(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.goto(f"{base}/care/pressure-injuries/indicator/")
    assert "Ⅱ期及以上压力性损伤新发生率" in tablet.locator("h1").inner_text()
    tablet.wait_for_selector("[data-chart] canvas")
    # the row above the line is marked, and choosing it lists the residents behind it
    warn = tablet.locator("table tbody tr:has(.tag.warn) a").first
    warn.click()
    tablet.wait_for_load_state()
    assert "新发病例" in tablet.content()
    assert tablet.locator("h2 + .card table tbody tr").count() >= 2
    shot(tablet, "care_pressure_indicator")


def test_education_page_on_a_tablet(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_c")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.goto(f"{base}/care/education/")
    text = tablet.locator("main, body").first.inner_text()
    assert "心理健康知识讲座 1 / 2" in text and "未达标" in text
    shot(tablet, "care_education")
