"""The city's officer opens the indicator dashboard on a tablet, sees the counties' figures and
the chart, drills down to county X, to home A and to the records behind its number."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import ensure_world
from yiyang.compliance import indicator_snapshots, indicators
from yiyang.compliance.indicators.base import Indicator, RecordRow, Records, Target, Value
from yiyang.demo import DEMO_PASSWORD
from yiyang.orgs.models import Membership, NursingHome

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "browser_rate"


def _compute(org_ids, on):  # type: ignore[no-untyped-def]
    qs = NursingHome.objects.filter(is_active=True)
    if org_ids is not None:
        qs = qs.filter(pk__in=org_ids)
    return {pk: Value(pk % 7 + 3, 10) for pk in qs.values_list("pk", flat=True)}


def _records(actor, org_id, on):  # type: ignore[no-untyped-def]
    home = NursingHome.objects.visible_to(actor).filter(pk=org_id).first()
    if home is None:
        return Records(("记录",), [])
    n = org_id % 7 + 3
    return Records(("记录", "日期"), [RecordRow((f"{home.name} 第{i + 1}条", on.isoformat()),
                                              i < n) for i in range(10)])


@pytest.fixture
def rate():  # type: ignore[no-untyped-def]
    ind = indicators.register(Indicator(
        code=CODE, title="测试覆盖率", clause="测试种子 §八", formula="覆盖人数 ÷ 目标人数",
        org_kind="home", compute=_compute, records=_records,
        target=Target(">=", 60, "不低于60%"), order=-1, numerator_label="覆盖人数",
        denominator_label="目标人数"))
    yield ind
    indicators.unregister(CODE)


def test_city_officer_drills_down_to_the_records(live_server, tablet, shot, settings,
                                                 rate) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    indicator_snapshots.take_snapshot(timezone.localdate(), codes=[CODE])
    home_a = NursingHome.objects.get(pk=Membership.objects.filter(
        user__username="nurse_a", is_active=True).values_list("org_id", flat=True).first())
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "officer_city")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=指标看板")
    tablet.wait_for_selector("table[data-table=children]")
    tablet.wait_for_selector(".chart canvas")
    assert "数据截至" in tablet.inner_text("main")
    shot(tablet, "dashboard_city_officer_city")
    tablet.click("table[data-table=children] >> a >> text=杞县")
    tablet.wait_for_url(f"{base}/indicators/regions/410221/")
    row = tablet.locator("table[data-table=children] tr", has_text=home_a.name)
    figure = row.locator("a.fig-met, a.fig-unmet").first
    box = figure.bounding_box()
    assert box and box["height"] >= 32
    shot(tablet, "dashboard_county_officer_city")
    figure.click()
    tablet.wait_for_selector("table[data-table=records]")
    text = tablet.inner_text("main")
    n = home_a.pk % 7 + 3
    assert f"共 10 条记录，其中 {n} 条计入覆盖人数" in text
    assert tablet.locator("table[data-table=records] tbody tr").count() == 10
    shot(tablet, "dashboard_records_officer_city")
