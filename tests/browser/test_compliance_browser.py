"""A nurse on a tablet opens the obligations board, sees last month's missed fire check as
overdue, records this month's with the sign-in sheet, and the card turns done."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.compliance.models import ObligationRecord
from yiyang.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_records_the_overdue_fire_check(live_server, tablet, shot, settings,
                                              tmp_path) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=义务履行")
    tablet.wait_for_selector(".obl")
    fire = tablet.locator(".obl", has_text="防火检查").first
    assert "已逾期" in fire.inner_text()
    # The lectures come from care's education sessions: home A held two this year.
    lectures = tablet.locator(".obl", has_text="心理健康知识讲座").inner_text()
    assert "数据来源尚未接入" not in lectures and "已完成 2 / 2 次" in lectures
    shot(tablet, "compliance_board_nurse_a")
    button = fire.locator("a.btn")
    box = button.bounding_box()
    assert box and box["height"] >= 36
    button.click()
    tablet.wait_for_selector("#id_summary")
    assert tablet.locator("#id_obligation").input_value() == "fire_check"
    sheet = tmp_path / "签到表.pdf"
    sheet.write_bytes(b"%PDF-1.4\n%%EOF\n")
    tablet.fill("#id_participants", "4")
    tablet.fill("#id_summary", "检查消防通道、灭火器，未发现问题")
    tablet.set_input_files("#id_evidence", str(sheet))
    before = ObligationRecord.objects.count()
    tablet.click("main button[type=submit]")
    tablet.wait_for_selector(".alert.success")
    assert ObligationRecord.objects.count() == before + 1
    fire = tablet.locator(".obl", has_text="防火检查").first
    assert "已完成" in fire.inner_text()
    shot(tablet, "compliance_board_after_record_nurse_a")


def test_county_officer_sees_the_overview_and_an_inspection(live_server, tablet, shot,
                                                            settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "officer_x")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=义务履行")
    tablet.wait_for_selector("table")
    text = tablet.locator("main").inner_text()
    assert "杞县颐养园养老中心" in text and "通许县福寿康养老院" not in text
    shot(tablet, "compliance_overview_officer_x")
    tablet.click("nav.side >> text=监督检查")
    tablet.click("text=杞县颐养园养老中心")
    tablet.wait_for_selector("text=发现的问题与整改")
    assert "验收通过" in tablet.locator("main").inner_text()
    shot(tablet, "compliance_inspection_officer_x")
