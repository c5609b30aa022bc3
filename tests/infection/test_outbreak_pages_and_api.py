"""Pages and API of surveillance, outbreaks and the reporting chain."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.infection.helpers import close_open_incidents, fresh_incident, resident
from yiyang.infection.models import Outbreak, OutbreakReport, SymptomCheck


def test_api_positive_result_reaches_officer_x_inbox_with_a_two_hour_clock(cast) -> None:
    close_open_incidents(cast)
    stay = resident(cast)
    response = cast.api("nurse_a").post("/api/v1/infection-tests", {
        "person_id": stay.person_id, "kind": "antigen", "result": "positive"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    outbreak_id = response.json()["outbreak_id"]
    assert outbreak_id
    inbox = cast.api("officer_x").get("/api/v1/outbreak-reports?inbox=true").json()["items"]
    mine = [r for r in inbox if r["outbreak_id"] == outbreak_id]
    assert len(mine) == 1
    assert mine[0]["overdue"] is False and 118 <= mine[0]["minutes_left"] <= 120
    other = cast.api("officer_y").get("/api/v1/outbreak-reports?inbox=true").json()["items"]
    assert outbreak_id not in {r["outbreak_id"] for r in other}
    # the inbox page shows it with its clock
    page = cast.browser("officer_x").get(reverse("infection:inbox")).content.decode()
    assert stay.home.name in page and "剩余" in page
    assert stay.home.name not in cast.browser("officer_y").get(
        reverse("infection:inbox")).content.decode()


def test_api_out_of_order_step_is_refused_in_chinese(cast) -> None:
    outbreak = fresh_incident(cast)
    response = cast.api("admin_a").post(f"/api/v1/outbreaks/{outbreak.pk}/act", {
        "action": "close", "version": outbreak.version, "note": "x"},
        content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "out_of_order" and "下一步应为「启动应急预案」" in body["message"]
    ok = cast.api("admin_a").post(f"/api/v1/outbreaks/{outbreak.pk}/act", {
        "action": "start_plan", "version": outbreak.version}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "plan_started"
    assert ok.json()["next_action"] == "isolate"


def test_api_regulator_forwards_through_act(cast) -> None:
    outbreak = fresh_incident(cast)
    report = OutbreakReport.objects.get(outbreak=outbreak, parent__isnull=True)
    response = cast.api("officer_x").post(f"/api/v1/outbreak-reports/{report.pk}/act", {
        "action": "forward", "version": report.version}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "forwarded"
    city = cast.api("officer_city").get("/api/v1/outbreak-reports?inbox=true&pending=true")
    assert outbreak.pk in {r["outbreak_id"] for r in city.json()["items"]}


def test_outbreak_page_for_the_manager_and_the_regulator(cast) -> None:
    outbreak = Outbreak.objects.get(home=cast.home_of("nurse_a"), state="reported")
    page = cast.browser("admin_a").get(reverse("infection:outbreak", args=[outbreak.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "下一步：经绿色通道转运定点医院" in text and "完成：" in text
    assert "已逾期" in text and "督办" in text  # the city's escalated report
    assert "病例与密接一览" in text and "康复楼 隔离室1" in text
    regulator = cast.browser("officer_x").get(reverse("infection:outbreak", args=[outbreak.pk]))
    assert regulator.status_code == 200 and "完成：" not in regulator.content.decode()


def test_the_step_form_posts_and_refuses_out_of_order(cast) -> None:
    outbreak = fresh_incident(cast)
    client = cast.browser("admin_a")
    url = reverse("infection:outbreak_act", args=[outbreak.pk])
    response = client.post(url, {"action": "disinfect", "version": outbreak.version},
                           follow=True)
    assert "不能办理「专门消毒作业」" in response.content.decode()
    client.post(url, {"action": "start_plan", "version": outbreak.version})
    outbreak.refresh_from_db()
    assert outbreak.state == "plan_started"


def test_round_page_saves_the_building_and_prompts_referral(cast) -> None:
    stay = resident(cast)
    building_id = stay.bed.room.building_id
    client = cast.browser("nurse_a")
    page = client.get(reverse("infection:round", args=[building_id]))
    assert page.status_code == 200 and stay.person.name in page.content.decode()
    before = SymptomCheck.objects.count()
    response = client.post(reverse("infection:round", args=[building_id]), {
        f"t_{stay.person_id}": "38.9", f"s_{stay.person_id}": "91",
        f"sym_{stay.person_id}": ["cough"]}, follow=True)
    assert SymptomCheck.objects.count() == before + 1
    assert "低于 93%" in response.content.decode()


def test_regulator_region_table_and_sites(cast) -> None:
    text = cast.browser("officer_city").get(reverse("infection:outbreaks")).content.decode()
    assert "杞县" in text and "辖区进行中的疫情" in text
    sites = cast.browser("nurse_a").get(reverse("infection:sites")).content.decode()
    assert "杞县集中隔离点" in sites and "通许县集中健康监测点" not in sites


def test_surveillance_page_and_export(cast) -> None:
    assert cast.browser("nurse_a").get(reverse("infection:surveillance")).status_code == 200
    outbreak = Outbreak.objects.get(home=cast.home_of("nurse_a"), state="reported")
    response = cast.browser("officer_x").post(reverse("infection:outbreak_export",
                                                      args=[outbreak.pk]))
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(
        0).to_python()
    assert rows[2][1] == "姓名"
    names = {r[1] for r in rows[3:]}
    assert {e.subject_name for e in outbreak.line_list.all()} == names


def test_report_list_runs_a_fixed_number_of_queries(cast) -> None:
    client = cast.api("officer_city")
    client.get("/api/v1/outbreak-reports?limit=1")  # the token's first use writes once
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/outbreak-reports?limit=1").status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/outbreak-reports?limit=50").status_code == 200
    assert len(many) == len(few)
    assert client.get("/api/v1/outbreak-reports?limit=50").json()["count"] >= 3


def test_symptom_check_api_refers_on_low_spo2(cast) -> None:
    stay = resident(cast)
    response = cast.api("nurse_a").post("/api/v1/symptom-checks", {
        "person_id": stay.person_id, "spo2": 90, "at": (timezone.now() - timedelta(minutes=1))
        .isoformat()}, content_type="application/json")
    assert response.status_code == 201
    assert "低于 93%" in response.json()["referral_signs"][0]


def test_province_table_groups_by_city_and_pending_reports_show(cast) -> None:
    from yiyang.infection import outbreak_queries as queries

    rows = queries.region_table(cast.actor("officer_prov"))
    assert [r.code for r in rows] == ["410200"] and rows[0].name == "开封市"
    county = queries.region_table(cast.actor("officer_city"))
    assert "410221" in {r.code for r in county}
    text = cast.browser("officer_city").get(reverse("infection:outbreaks")).content.decode()
    assert "待上报的疫情报告" in text and "逾期" in text
