"""eMAR pages and API: the medicine cart records a dose and lowers the stock, a second record of
the same dose is a clear conflict, stock/incident routes, fixed query counts, the monthly MAR
PDF (Noto CJK, no missing glyphs, audited), and what doctor_b may do (read, never write)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.medication import helpers
from tests.medication.emar_helpers import at, intake, order_and_stock, yesterday
from yiyang.core.models import AuditEvent
from yiyang.medication.models import MedicationAdministration, MedicineStock

ADMIN_API = "/api/v1/medication-administrations"
STOCK_API = "/api/v1/medicine-stock"
INCIDENT_API = "/api/v1/medication-incidents"


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _on_hand(stock: MedicineStock) -> Decimal:
    return MedicineStock.objects.get(pk=stock.pk).on_hand


# ---- API ---------------------------------------------------------------------------------------

def test_api_gives_a_dose_refuses_a_second_record_and_keeps_the_stock_exact(cast) -> None:
    order, stock = order_and_stock(cast, "10")
    api = cast.api("nurse_a")
    body = {"order_id": order.pk, "status": "given",
            "scheduled_at": at(yesterday(), "08:00").isoformat(),
            "given_at": at(yesterday(), "08:05").isoformat()}
    first = api.post(ADMIN_API, body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["quantity"] == "1.000" and first.json()["late"] is False
    assert _on_hand(stock) == Decimal(9)
    second = cast.api("hdoc_a").post(ADMIN_API, body, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["code"] == "dose_recorded"
    assert "不能重复登记" in second.json()["message"]
    assert MedicationAdministration.objects.filter(order=order).count() == 1
    assert _on_hand(stock) == Decimal(9)


def test_api_refused_dose_leaves_stock_and_empty_stock_is_refused(cast) -> None:
    order, stock = order_and_stock(cast, "1")
    api = cast.api("nurse_a")
    day2 = yesterday() - timedelta(days=1)
    refused = api.post(ADMIN_API, {"order_id": order.pk, "status": "refused",
                                   "reason": "老人拒绝服药",
                                   "scheduled_at": at(day2, "08:00").isoformat()},
                       content_type="application/json")
    assert refused.status_code == 201 and refused.json()["quantity"] is None
    assert _on_hand(stock) == 1
    no_reason = api.post(ADMIN_API, {"order_id": order.pk, "status": "held",
                                     "scheduled_at": at(yesterday(), "08:00").isoformat()},
                         content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    MedicineStock.objects.filter(pk=stock.pk).update(on_hand=0)
    empty = api.post(ADMIN_API, {"order_id": order.pk, "status": "given",
                                 "scheduled_at": at(yesterday(), "08:00").isoformat()},
                     content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["code"] == "no_stock" and "没有库存" in empty.json()["message"]


def test_api_intake_adjust_and_list_with_warnings(cast) -> None:
    order = helpers.order(cast, drug="接口测试药", dose="0.5 片")
    api = cast.api("nurse_a")
    made = api.post(STOCK_API, {
        "person_id": order.person_id, "drug": order.drug, "unit": "片", "batch_number": "A1",
        "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "quantity": "2.5", "storage_location": "药柜 1", "handed_over_by": "李梅",
        "handed_over_relation": "女儿"}, content_type="application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["on_hand"] == "2.500" and data["expiry"] == "near"
    assert data["days_left"] == 5 and data["low"] is True  # 2.5 ÷ 0.5 a day
    assert data["movements"][0]["kind"] == "intake"
    adjusted = api.post(f"{STOCK_API}/{data['id']}/adjust", {
        "version": data["version"], "kind": "dispose", "quantity": "0.5", "reason": "受潮"},
        content_type="application/json")
    assert adjusted.status_code == 200 and adjusted.json()["on_hand"] == "2.000"
    stale = api.post(f"{STOCK_API}/{data['id']}/adjust", {
        "version": data["version"], "kind": "dispose", "quantity": "0.5", "reason": "X"},
        content_type="application/json")
    assert stale.status_code == 409
    listed = api.get(f"{STOCK_API}?warnings_only=true&person_id={order.person_id}").json()
    assert data["id"] in {row["id"] for row in listed["items"]}


def test_api_incidents(cast) -> None:
    order, _ = order_and_stock(cast)
    api = cast.api("nurse_a")
    made = api.post(INCIDENT_API, {
        "person_id": order.person_id, "kind": "adverse_reaction", "severity": "mild",
        "occurred_at": timezone.now().isoformat(), "description": "皮疹", "order_id": order.pk,
        "doctor_informed": True, "doctor_name": "王医生"}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["drug"] == order.drug and made.json()["kind_label"] == "药物不良反应"
    pk = made.json()["id"]
    assert api.get(f"{INCIDENT_API}/{pk}").status_code == 200
    assert cast.api("doctor_b").get(f"{INCIDENT_API}/{pk}").status_code == 200
    assert cast.api("nurse_c").get(f"{INCIDENT_API}/{pk}").status_code == 404
    assert pk in {i["id"] for i in api.get(INCIDENT_API).json()["items"]}


def test_partner_doctor_reads_the_record_but_records_nothing(cast) -> None:
    order, stock = order_and_stock(cast)
    record = cast.api("nurse_a").post(ADMIN_API, {
        "order_id": order.pk, "status": "given",
        "scheduled_at": at(yesterday(), "08:00").isoformat()},
        content_type="application/json").json()
    doctor_b = cast.api("doctor_b")
    assert doctor_b.get(f"{ADMIN_API}/{record['id']}").status_code == 200
    assert record["id"] in {r["id"] for r in doctor_b.get(
        f"{ADMIN_API}?person_id={order.person_id}").json()["items"]}
    assert doctor_b.get(f"{STOCK_API}/{stock.pk}").status_code == 200
    refused = doctor_b.post(ADMIN_API, {
        "order_id": order.pk, "status": "given",
        "scheduled_at": at(yesterday() - timedelta(days=1), "08:00").isoformat()},
        content_type="application/json")
    assert refused.status_code == 404
    assert _on_hand(stock) == Decimal(9)


def test_api_lists_run_a_fixed_number_of_queries(cast) -> None:
    api = cast.api("nurse_a")
    api.get("/api/v1/me")  # the token's first use of the day is written once
    for url in (ADMIN_API, STOCK_API, INCIDENT_API):
        few = _count(api, f"{url}?limit=1")
        many = _count(api, f"{url}?limit=100")
        assert few == many, url


# ---- pages -------------------------------------------------------------------------------------

def test_the_cart_gives_a_dose_and_the_second_nurse_sees_a_conflict(cast) -> None:
    order, stock = order_and_stock(cast, "10")
    page = cast.browser("nurse_a").get(reverse("medication:rounds"),
                                       {"day": yesterday().isoformat(), "slot": "08:00"})
    assert page.status_code == 200
    text = page.content.decode()
    assert order.drug in text and "批号 B2401" in text and "✓ 已给药" in text
    url = reverse("medication:administer", args=[order.pk])
    body = {"status": "given", "scheduled_at": f"{yesterday():%Y-%m-%d}T08:00",
            "next": reverse("medication:rounds")}
    first = cast.browser("nurse_a").post(url, body, follow=True)
    assert "已给药" in first.content.decode()
    assert _on_hand(stock) == Decimal(9)
    second = cast.browser("hdoc_a").post(url, body, follow=True)
    assert "不能重复登记" in second.content.decode()
    assert _on_hand(stock) == Decimal(9)
    assert MedicationAdministration.objects.filter(order=order).count() == 1


def test_round_list_costs_the_same_for_more_residents(cast) -> None:
    client = cast.browser("nurse_a")
    url = reverse("medication:rounds") + f"?day={yesterday():%Y-%m-%d}"
    before = _count(client, url)
    for nth in (3, 4, 5):
        stay = helpers.resident(cast, nth=nth)
        o = helpers.order(cast, stay=stay, drug=f"计数测试药{nth}")
        intake(cast, o)
    assert _count(client, url) == before


def test_stock_page_flags_expired_near_and_low(cast) -> None:
    order = helpers.order(cast, drug="页面过期药")
    intake(cast, order, "3", received_at=timezone.now() - timedelta(days=30),
           expires_on=timezone.localdate() - timedelta(days=1))
    client = cast.browser("nurse_a")
    text = client.get(reverse("medication:stock"), {"q": "页面过期药"}).content.decode()
    assert "已过期" in text and "无库存" in text
    assert _count(client, reverse("medication:stock")) == _count(
        client, reverse("medication:stock") + "?q=页面过期药")


def test_intake_page_and_resident_page(cast) -> None:
    order = helpers.order(cast, drug="页面接收药")
    client = cast.browser("nurse_a")
    url = reverse("medication:intake", args=[order.person_id])
    assert order.drug in client.get(url).content.decode()  # offered from the orders
    response = client.post(url, {
        "drug": order.drug, "unit": "片", "quantity": "14", "batch_number": "P1",
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "storage_location": "药柜 2", "source": "family", "handed_over_by": "赵强",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    page = client.get(reverse("medication:person", args=[order.person_id])).content.decode()
    assert "赵强 交" in page and "药柜 2" in page
    bad = client.post(url, {"drug": order.drug, "unit": "片", "quantity": "14",
                            "batch_number": "P2", "storage_location": "X", "source": "family",
                            "handed_over_by": "X",
                            "expires_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
                            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert bad.status_code == 400 and "不予接收" in bad.content.decode()


def test_incident_pages(cast) -> None:
    order, _ = order_and_stock(cast)
    client = cast.browser("nurse_a")
    url = reverse("medication:incident_new", args=[order.person_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "kind": "wrong_drug", "severity": "none", "description": "拿错邻床药，发药前核对发现",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "order_id": str(order.pk)})
    assert response.status_code == 302, response.content.decode()[:500]
    detail = client.get(response["Location"]).content.decode()
    assert "给错药" in detail and "处置记录" in detail
    assert "拿错邻床药" in client.get(reverse("medication:incidents")).content.decode()


# ---- MAR PDF -----------------------------------------------------------------------------------

def _poppler(tool: str, pdf: bytes, tmp_path: Path) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian poppler-utils; .ci/run installs it)")
    path = tmp_path / "mar.pdf"
    path.write_bytes(pdf)
    out = [str(path), "-"] if tool == "pdftotext" else [str(path)]
    return subprocess.run([exe, *out], capture_output=True, text=True, check=True).stdout


def test_mar_page_and_pdf_print_chinese_with_no_missing_glyph(
        cast, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    order, _ = order_and_stock(cast, frequency="bid", times=["08:00", "16:00"])
    from tests.medication.emar_helpers import give

    give(cast, order, hhmm="08:00")
    give(cast, order, hhmm="16:00", status="refused", reason="老人拒绝服药")
    month = f"{yesterday():%Y-%m}"
    page = cast.browser("doctor_b").get(reverse("medication:mar", args=[order.person_id]),
                                        {"month": month})
    assert page.status_code == 200 and "拒服" in page.content.decode()
    caplog.set_level(logging.WARNING, logger="weasyprint")
    before = AuditEvent.objects.filter(action="medication.mar.print").count()
    response = cast.browser("nurse_a").get(
        reverse("medication:mar_pdf", args=[order.person_id]), {"month": month})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="medication.mar.print").count() == before + 1
    pdf = response.content
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    fonts = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all("CJK" in line.split()[0] and line.split()[-5] == "yes"
                         for line in fonts), fonts
    text = _poppler("pdftotext", pdf, tmp_path)
    person = order.person
    for expected in ("老年人给药记录单", person.name, order.drug, "拒", "√", "图例"):
        assert expected in text, expected
