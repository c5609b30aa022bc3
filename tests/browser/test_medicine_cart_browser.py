"""A nurse with the medicine cart on a tablet opens the round of the current time, gives a dose
with one tap and sees it recorded; the stock falls by the dose."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import ensure_world
from yiyang.demo import DEMO_PASSWORD
from yiyang.medication import emar_services, services
from yiyang.medication.models import MedicationAdministration, MedicineStock
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, Stay

pytestmark = pytest.mark.django_db(transaction=True)


def _actor(username: str):  # type: ignore[no-untyped-def]
    return actor_for(Membership.objects.select_related("org__region", "user")
                     .filter(user__username=username, is_active=True).order_by("id").first())


def test_nurse_gives_a_dose_from_the_cart(live_server, tablet, shot, settings) -> None:
    settings.DEMO_MODE = True
    ensure_world()
    nurse = _actor("nurse_a")
    stay = (Stay.objects.filter(home_id=nurse.org_id, status__in=OPEN_STATUSES)
            .order_by("pk").first())
    slot = (timezone.localtime() - timedelta(minutes=10)).strftime("%H:%M")
    order = services.prescribe(actor=_actor("hdoc_a"), person_id=stay.person_id,
                               drug="浏览器测试缬沙坦胶囊", dose="80 mg", route="oral",
                               frequency="qd", times=[slot],
                               start_on=timezone.localdate() - timedelta(days=2))
    stock = emar_services.intake(actor=nurse, person_id=stay.person_id, drug=order.drug,
                                 strength="80 mg", unit="粒", batch_number="BR01",
                                 expires_on=timezone.localdate() + timedelta(days=300),
                                 quantity="14", storage_location="药柜 9 号格",
                                 handed_over_by="家属")
    base = live_server.url
    tablet.goto(f"{base}/login/")
    tablet.fill("#id_username", "nurse_a")
    tablet.fill("#id_password", DEMO_PASSWORD)
    tablet.click("button[type=submit]")
    tablet.wait_for_url(f"{base}/")
    tablet.click("nav.side >> text=发药车")
    tablet.wait_for_selector("nav.slots")
    shot(tablet, "medicine_cart_day_nurse_a")
    tablet.click(f"nav.slots >> text={slot}")
    row = tablet.locator(".dose", has_text=order.drug)
    row.wait_for()
    assert "批号 BR01" in row.inner_text()
    button = row.locator("button", has_text="已给药")
    box = button.bounding_box()
    assert box and box["height"] >= 44  # a real touch target
    shot(tablet, "medicine_cart_slot_nurse_a")
    button.click()
    tablet.wait_for_selector(".alert.success")
    assert "已给药" in tablet.locator(".alert.success").inner_text()
    assert "已给药" in tablet.locator(".dose", has_text=order.drug).inner_text()
    assert MedicineStock.objects.get(pk=stock.pk).on_hand == Decimal(13)
    assert MedicationAdministration.objects.filter(order=order, status="given").count() == 1
    shot(tablet, "medicine_cart_after_nurse_a")
