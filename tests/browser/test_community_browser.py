"""A township worker on a tablet opens the ledger, filters the dependent, opens one person and
records a visit."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.community.models import CommunityVisit
from yiyang.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_records_a_visit_from_the_ledger(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "worker_t")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=居家台账")
    tablet.wait_for_selector("#rows table")
    assert "特殊需求老年人台账" in tablet.locator("h1").inner_text()
    assert tablet.locator("text=逾期").count() > 0
    shot(tablet, "community_ledger_worker_t")
    tablet.select_option("#id_category", "dependent")
    tablet.wait_for_function("document.location.search.includes('category=dependent')")
    first = tablet.locator("#rows tbody tr", has_not_text="机构养老").first
    assert "失能" in first.inner_text()
    first.locator("td a").first.click()
    tablet.wait_for_selector("text=巡访关爱")
    shot(tablet, "community_entry_worker_t")
    before = CommunityVisit.objects.count()
    tablet.click("summary:has-text('记录巡访')")
    tablet.fill("textarea[name=findings]", "精神可，药品充足")
    tablet.click("form[action$='/visits/'] button[type=submit]")
    tablet.wait_for_selector(".alert.success")
    assert CommunityVisit.objects.count() == before + 1
