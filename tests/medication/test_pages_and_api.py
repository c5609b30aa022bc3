"""Medication pages and `/api/v1/medication-orders`: lists, resident page, prescribe, stop,
fixed query counts, and who sees what (nurse_c and doctor_d nothing of home A, doctor_b reads and
prescribes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.medication.emar_helpers import intake
from tests.medication.helpers import order, resident, today
from yiyang.medication import services
from yiyang.medication.models import (
    MedicationAdministration,
    MedicationIncident,
    MedicationOrder,
    MedicineStock,
    StockMovement,
)

API = "/api/v1/medication-orders"


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


# ---- pages ----------------------------------------------------------------------------------


def test_the_home_list_shows_its_orders_and_filters(cast) -> None:
    made = order(cast, drug="测试药甲片")
    client = cast.browser("nurse_a")
    page = client.get(reverse("medication:list")).content.decode()
    assert "用药医嘱" in page and "盐酸二甲双胍片" in page
    found = client.get(reverse("medication:list"), {"q": "测试药甲"}).content.decode()
    assert reverse("medication:detail", args=[made.pk]) in found
    stopped = client.get(reverse("medication:list"), {"state": "stopped", "q": "测试药甲"})
    assert "没有已停用的医嘱" in stopped.content.decode()
    assert "通许县福寿康养老院" not in page  # home C's orders are not listed


def test_the_list_answers_htmx_with_the_rows_only(cast) -> None:
    response = cast.browser("nurse_a").get(reverse("medication:list"), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<table>" in text and "<html" not in text


def test_the_resident_page_links_to_the_orders(cast) -> None:
    stay = resident(cast)
    page = cast.browser("nurse_a").get(reverse("residents:detail", args=[stay.person_id]))
    assert reverse("medication:person", args=[stay.person_id]) in page.content.decode()


def test_a_residents_orders_page(cast) -> None:
    stay = resident(cast, nth=2)
    running = order(cast, stay=stay, drug="测试药乙片", frequency="bid", times=["08:00", "16:00"])
    stopped = order(cast, stay=stay, drug="测试药丙片")
    services.stop_order(actor=cast.actor("hdoc_a"), order_id=stopped.pk, version=stopped.version,
                        reason="皮疹，停药")
    url = reverse("medication:person", args=[stay.person_id])
    nurse_page = cast.browser("nurse_a").get(url).content.decode()
    assert "测试药乙片" in nurse_page and "08:00、16:00" in nurse_page
    assert "皮疹，停药" in nurse_page
    assert reverse("medication:prescribe", args=[stay.person_id]) not in nurse_page
    doctor_page = cast.browser("hdoc_a").get(url).content.decode()
    assert reverse("medication:prescribe", args=[stay.person_id]) in doctor_page
    assert reverse("medication:detail", args=[running.pk]) in doctor_page


def test_prescribing_on_the_page(cast) -> None:
    stay = resident(cast, nth=3)
    client = cast.browser("hdoc_a")
    url = reverse("medication:prescribe", args=[stay.person_id])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"drug": "卡托普利片", "dose": "12.5 mg", "route": "sublingual",
                            "frequency": "prn", "start_on": today().isoformat(),
                            "source": "clinic"})
    assert bad.status_code == 400 and "用药指征" in bad.content.decode()
    good = client.post(url, {"drug": "卡托普利片", "dose": "12.5 mg", "route": "sublingual",
                             "frequency": "prn", "prn_indication": "血压≥180/110 时",
                             "start_on": today().isoformat(), "source": "clinic"})
    assert good.status_code == 302
    made = MedicationOrder.objects.filter(person_id=stay.person_id, drug="卡托普利片").get()
    assert made.prn_indication == "血压≥180/110 时" and made.prescriber_name


def test_times_are_typed_in_one_box(cast) -> None:
    stay = resident(cast, nth=3)
    response = cast.browser("hdoc_a").post(
        reverse("medication:prescribe", args=[stay.person_id]),
        {"drug": "二甲双胍", "dose": "0.5 g", "route": "oral", "frequency": "tid",
         "times": "7:30，11:30 17:30", "start_on": today().isoformat(), "source": "clinic"})
    assert response.status_code == 302
    assert MedicationOrder.objects.get(person_id=stay.person_id, drug="二甲双胍").times == [
        "07:30", "11:30", "17:30"]


def test_nurses_do_not_get_the_prescribe_form(cast) -> None:
    stay = resident(cast)
    url = reverse("medication:prescribe", args=[stay.person_id])
    assert cast.browser("nurse_a").get(url).status_code == 403


def test_stopping_on_the_page(cast) -> None:
    made = order(cast)
    detail = reverse("medication:detail", args=[made.pk])
    nurse = cast.browser("nurse_a")
    page = nurse.get(detail).content.decode()
    assert "下达停止医嘱的医生" in page  # the nurse names the doctor
    assert "下达停止医嘱的医生" not in cast.browser("hdoc_a").get(detail).content.decode()
    response = nurse.post(reverse("medication:stop", args=[made.pk]),
                          {"version": made.version, "reason": "医生电话通知停药",
                           "instructed_by": "叶医生"})
    assert response.status_code == 302 and response["Location"] == detail
    saved = MedicationOrder.objects.get(pk=made.pk)
    assert (saved.status, saved.stop_instructed_by) == ("stopped", "叶医生")
    assert "医生电话通知停药" in nurse.get(detail).content.decode()
    stale = nurse.post(reverse("medication:stop", args=[made.pk]),
                       {"version": made.version, "reason": "X", "instructed_by": "X"}, follow=True)
    assert "记录已被他人修改" in stale.content.decode()


def test_the_menu_entry(cast) -> None:
    for username in ("nurse_a", "doctor_b"):
        page = cast.browser(username).get(reverse("web:dashboard")).content.decode()
        assert f'href="{reverse("medication:list")}"' in page, username
    page = cast.browser("officer_x").get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("medication:list")}"' not in page


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d"])
def test_others_see_nothing_of_home_a(cast, username: str) -> None:
    made = order(cast, drug="测试药丁片")
    client = cast.browser(username)
    assert "测试药丁片" not in client.get(reverse("medication:list"), {"state": "all"}
                                     ).content.decode()
    for url in (reverse("medication:detail", args=[made.pk]),
                reverse("medication:person", args=[made.person_id]),
                reverse("medication:prescribe", args=[made.person_id])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("medication:stop", args=[made.pk]),
                       {"version": made.version, "reason": "X"}).status_code == 404
    api = cast.api(username)
    assert api.get(f"{API}/{made.pk}").status_code == 404
    assert made.pk not in {i["id"] for i in api.get(API, {"limit": 500}).json()["items"]}
    stopped = api.post(f"{API}/{made.pk}/stop", {"version": made.version, "reason": "X"},
                       content_type="application/json")
    assert stopped.status_code == 404
    assert MedicationOrder.objects.get(pk=made.pk).status == "active"


def test_doctor_b_reads_and_prescribes_for_home_a(cast) -> None:
    made = order(cast, drug="测试药戊片")
    client = cast.browser("doctor_b")
    listed = client.get(reverse("medication:list")).content.decode()
    assert "测试药戊片" in listed and "杞县颐养园养老中心" in listed  # the home column
    assert client.get(reverse("medication:detail", args=[made.pk])).status_code == 200
    form = client.get(reverse("medication:prescribe", args=[made.person_id]))
    assert form.status_code == 200 and 'value="patrol" selected' in form.content.decode()
    created = cast.api("doctor_b").post(API, {
        "person_id": made.person_id, "drug": "阿司匹林肠溶片", "dose": "100 mg", "route": "oral",
        "frequency": "qd", "times": ["08:00"], "start_on": today().isoformat(),
        "source": "patrol", "source_ref": "88"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["prescriber_name"] == "刘志强"
    assert created.json()["prescriber_org_name"] == "杞县五里河镇卫生院"


# ---- API ------------------------------------------------------------------------------------


def test_the_api_round_trip(cast) -> None:
    stay = resident(cast, nth=4)
    api = cast.api("hdoc_a")
    created = api.post(API, {
        "person_id": stay.person_id, "drug": "硝苯地平控释片", "dose": "30 mg", "route": "oral",
        "frequency": "qd", "start_on": today().isoformat(),
        "stop_on": (today() + timedelta(days=30)).isoformat()}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["times"] == ["08:00"] and body["state"] == "active"
    assert body["route_label"] == "口服" and body["frequency_label"] == "每日一次（qd）"
    assert api.get(f"{API}/{body['id']}").json()["drug"] == "硝苯地平控释片"
    mine = api.get(API, {"person_id": stay.person_id, "active": "true"}).json()
    assert body["id"] in {i["id"] for i in mine["items"]} and mine["count"] >= 1
    stopped = api.post(f"{API}/{body['id']}/stop", {"version": body["version"],
                                                    "reason": "头晕，血压 100/60"},
                       content_type="application/json")
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    inactive = api.get(API, {"person_id": stay.person_id, "active": "false"}).json()
    assert body["id"] in {i["id"] for i in inactive["items"]}
    active = api.get(API, {"person_id": stay.person_id, "active": "true"}).json()
    assert body["id"] not in {i["id"] for i in active["items"]}
    again = api.post(f"{API}/{body['id']}/stop", {"version": body["version"], "reason": "X"},
                     content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "stale_version"


def test_api_errors_are_chinese(cast) -> None:
    stay = resident(cast)
    response = cast.api("hdoc_a").post(API, {
        "person_id": stay.person_id, "drug": "X", "dose": "1 片", "route": "oral",
        "frequency": "bid", "times": ["08:00"], "start_on": today().isoformat()},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "times_count", "field": "times",
                               "message": "每日两次（bid）应填写 2 个给药时间，现为 1 个"}
    assert cast.api("nurse_a").post(API, {
        "person_id": stay.person_id, "drug": "X", "dose": "1 片", "route": "oral",
        "frequency": "qd", "start_on": today().isoformat()},
        content_type="application/json").status_code == 403


# ---- query counts ---------------------------------------------------------------------------


def test_api_list_does_not_grow_with_rows(cast) -> None:
    client = cast.api("officer_city")
    client.get("/api/v1/me")
    assert client.get(f"{API}?limit=30").json()["count"] > 30
    assert _queries(client, f"{API}?limit=1") == _queries(client, f"{API}?limit=30")


@pytest.mark.parametrize("username", ["nurse_a", "doctor_b", "officer_city"])
def test_the_list_page_does_not_grow_with_rows(cast, username: str) -> None:
    stay = resident(cast, nth=5)
    single = order(cast, stay=stay)
    client = cast.browser(username)
    client.get(reverse("web:dashboard"))
    url = reverse("medication:list")
    one = _queries(client, f"{url}?person_id={stay.person_id}&q={single.drug}&state=all")
    many = _queries(client, f"{url}?state=all")
    assert "下一页" in client.get(f"{url}?state=all").content.decode()  # a full page of rows
    assert one == many


def test_the_resident_page_does_not_grow_with_rows(cast) -> None:
    few, lots = resident(cast, nth=6), resident(cast, nth=7)
    people = [few.person_id, lots.person_id]
    # The demo's eMAR rows protect the orders: remove them first.
    MedicationIncident.objects.filter(person_id__in=people).delete()
    StockMovement.objects.filter(stock__person_id__in=people).delete()
    MedicationAdministration.objects.filter(person_id__in=people).delete()
    MedicineStock.objects.filter(person_id__in=people).delete()
    MedicationOrder.objects.filter(person_id__in=people).delete()
    intake(cast, order(cast, stay=few))
    for i in range(12):
        order(cast, stay=lots, drug=f"药{i}", frequency="prn" if i % 3 == 0 else "qd",
              times=[] if i % 3 == 0 else ["08:00"],
              prn_indication="疼痛时" if i % 3 == 0 else "")
        if i % 4 == 0:
            intake(cast, MedicationOrder.objects.get(person_id=lots.person_id, drug=f"药{i}"))
    client = cast.browser("nurse_a")
    client.get(reverse("web:dashboard"))
    assert _queries(client, reverse("medication:person", args=[few.person_id])) == \
        _queries(client, reverse("medication:person", args=[lots.person_id]))
