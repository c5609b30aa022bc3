"""A registrar imports residents from Excel on a tablet: errors first, then a clean file."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.test_login_dashboard import _login
from tests.conftest import ensure_world
from tests.interop.workbook_helpers import id_number, new_building, row, workbook
from yiyang.orgs.models import Membership
from yiyang.residents.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def test_registrar_fixes_a_rejected_file_and_imports_it(live_server, tablet, shot, settings,
                                                        tmp_path) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    home = Membership.objects.select_related("org").get(user__username="admin_a").org
    new_building(home.nursinghome, "康养楼", rooms=2, beds_per_room=3)
    rows = [row(f"测试导入{i}", id_number("410221", date(1938, 5, 1 + i), 11 + 2 * i), "康养楼",
                str(101 + i // 3), str(1 + i % 3)) for i in range(5)]
    bad = [*rows[:4], {**rows[4], "证件号码": 410221193805051234.0}]
    (tmp_path / "bad.xlsx").write_bytes(workbook(bad))
    (tmp_path / "good.xlsx").write_bytes(workbook(rows))

    _login(tablet, live_server.url, "admin_a")
    tablet.click("nav.side >> text=导入导出")
    tablet.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    tablet.click("button:has-text('上传并校验')")
    tablet.wait_for_selector("text=错误明细")
    assert "第 6 行" in tablet.locator("table").inner_text()
    shot(tablet, "import_rejected_admin_a")

    tablet.click("text=返回导入导出")
    tablet.set_input_files("#id_file", str(tmp_path / "good.xlsx"))
    tablet.click("button:has-text('上传并校验')")
    tablet.wait_for_selector("text=确认导入全部 5 行")
    shot(tablet, "import_preview_admin_a")
    tablet.click("button:has-text('确认导入全部 5 行')")
    tablet.wait_for_selector(".alert.success >> text=已导入 5 位老人")
    shot(tablet, "import_done_admin_a")
    assert Person.objects.filter(name__startswith="测试导入", org=home).count() == 5
