"""A nurse and a regulator log in on a tablet-sized screen and see their dashboards."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD
from yiyang.orgs.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_nurse_logs_in_and_sees_the_home_dashboard(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    home = Membership.objects.select_related("org").get(user__username="nurse_a").org
    _login(tablet, live_server.url, "nurse_a")
    assert home.name in tablet.locator("h1").inner_text()
    assert tablet.locator("nav.side a", has_text="床位设施").count() == 1
    tablet.wait_for_selector("[data-chart] canvas")  # ECharts drew, from the vendored file
    shot(tablet, "dashboard_nurse_a")
    tablet.click("nav.side >> text=床位设施")
    tablet.wait_for_selector("section.card")
    assert tablet.locator(".bed").count() > 10
    shot(tablet, "facilities_nurse_a")


def test_regulator_sees_the_region(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    _login(tablet, live_server.url, "officer_city")
    assert "辖区概况" in tablet.locator("h1").inner_text()
    tablet.wait_for_selector("[data-chart] canvas")
    shot(tablet, "dashboard_officer_city")


def test_wrong_password_shows_a_chinese_error(live_server, tablet) -> None:
    ensure_world()
    tablet.goto(f"{live_server.url}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", "wrong-password-1")
    tablet.click("button[type=submit]")
    assert "正确的用户名和密码" in tablet.locator(".alert.error").inner_text()
