"""A nurse on a tablet opens the staff-training page, sees nurse_a2 untrained, records a
training with her ticked, and the coverage goes up; then the TCM register shows 4类6项 met."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.compliance.models import TrainingCourse
from yiyang.demo import DEMO_PASSWORD
from yiyang.orgs.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_records_a_training_and_coverage_rises(live_server, tablet, shot,
                                                     settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=人员培训")
    tablet.wait_for_selector(".stat")
    assert "60%" in tablet.locator(".stat").first.inner_text()  # 3 of 5
    shot(tablet, "training_list_nurse_a")
    nurse_a2 = Membership.objects.select_related("user").get(user__username="nurse_a2")
    tablet.fill("#id_title", "消防安全与应急处置培训")
    tablet.fill("#id_organiser", "杞县消防救援大队")
    tablet.fill("#id_hours", "4")
    box = tablet.locator(f"input[name=attendee_ids][value='{nurse_a2.pk}']") \
        .locator("xpath=..").bounding_box()
    assert box and box["height"] >= 36  # a touch target, not a bare checkbox
    tablet.check(f"input[name=attendee_ids][value='{nurse_a2.pk}']")
    before = TrainingCourse.objects.count()
    tablet.click("main button[type=submit]")
    tablet.wait_for_selector(".alert.success")
    assert TrainingCourse.objects.count() == before + 1
    assert (nurse_a2.user.full_name or nurse_a2.user.username) in \
        tablet.locator("main").inner_text()
    tablet.click("text=返回培训记录")
    tablet.wait_for_selector(".stat")
    assert "80%" in tablet.locator(".stat").first.inner_text()  # 4 of 5
    tablet.click("nav.side >> text=中医适宜技术")
    tablet.wait_for_selector(".stat")
    assert "达标" in tablet.locator(".verdict").inner_text()
    shot(tablet, "tcm_techniques_nurse_a")
