"""A nurse on a tablet fills a Braden assessment: each tap saves, the dock shows progress and the
running score, and finishing leads to the report."""

from __future__ import annotations

import pytest

from tests.conftest import ensure_world
from yiyang.assessments import services
from yiyang.assessments.instruments import registry
from yiyang.assessments.models import Assessment
from yiyang.demo import DEMO_PASSWORD
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_fills_braden_on_a_tablet(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    membership = Membership.objects.select_related("org__region", "user").get(
        user__username="nurse_a")
    stay = (Stay.objects.filter(home_id=membership.org_id, status__in=OPEN_STATUSES)
            .order_by("pk").first())
    draft = services.start(actor=actor_for(membership), person_id=stay.person_id,
                           instrument="braden")
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.goto(f"{base}/assessments/{draft.pk}/")
    assert "已评 0 / 6 项" in tablet.locator("#progress").inner_text()
    finish = tablet.locator("#finish button[type=submit] >> nth=0")
    assert finish.is_disabled()  # nothing answered: cannot finish
    questions = registry.get("braden").questions
    for q in questions:  # tap the lowest-scoring option of every item
        low = min(q.options, key=lambda o: o.score)
        tablet.locator(f"#q-{q.code} input[value='{low.value}']").check()
        tablet.wait_for_function(
            "n => document.querySelector('#progress').innerText.includes('已评 ' + n + ' /')",
            arg=questions.index(q) + 1)
        if q is questions[-2]:  # one answer still missing: still refused
            assert finish.is_disabled()
    # REFERENCE §5.2: every item at 1 gives 6, the bottom of the scale.
    assert "当前得分 6" in tablet.locator("#progress").inner_text().replace("\n", " ")
    shot(tablet, "assessment_form_braden")
    assert finish.is_enabled()
    finish.click()
    tablet.wait_for_selector(".alert.success")
    record = Assessment.objects.get(pk=draft.pk)
    assert record.status == "final" and record.total == 6
    shot(tablet, "assessment_report_braden")
    # The history draws the score with the vendored ECharts (no CDN): a canvas in the chart.
    tablet.goto(f"{base}/residents/{stay.person_id}/assessments/")
    tablet.wait_for_selector("[data-chart='history-chart'] canvas")
    scripts = tablet.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert any("/static/vendor/echarts/" in src for src in scripts)
    assert all(src.startswith(base) for src in scripts)
    shot(tablet, "assessment_history_chart")
