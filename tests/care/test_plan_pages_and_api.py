"""Care pages and `/api/v1/care-plans`, `/care-tasks`, `/vital-signs`: shapes, filters,
versions (409), conflicts, Chinese errors, htmx taps."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.care.plan_helpers import approved_plan, assessed
from yiyang.care import plan_services as services
from yiyang.care.models import CarePlan, CareTask


def _pending(cast, plan) -> CareTask:  # type: ignore[no-untyped-def]
    services.generate_tasks(actor=cast.actor("nurse_a"), home_id=plan.home_id,
                            day=timezone.localdate() + timedelta(days=2))
    return CareTask.objects.filter(plan=plan, status="pending").first()


def test_api_proposes_patches_with_version_and_approves(cast) -> None:
    stay = assessed(cast)
    api = cast.api("nurse_a")
    made = api.post("/api/v1/care-plans", {"person_id": stay.person_id},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    plan = made.json()
    assert plan["status"] == "draft" and plan["revisions"] == []
    assert {p["code"] for p in plan["problems"]} >= {"pressure_high", "fall_high"}
    url = f"/api/v1/care-plans/{plan['id']}"
    ok = api.patch(url, {"version": plan["version"], "nursing_level": "first",
                         "review_on": "2030-01-01"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["nursing_level_label"] == "一级护理"
    stale = api.patch(url, {"version": plan["version"], "note": "X"},
                      content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    approved = api.post(f"{url}/approve", {"version": ok.json()["version"]},
                        content_type="application/json")
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved" and [r["number"] for r in body["revisions"]] == [1]
    listed = api.get("/api/v1/care-plans", {"person_id": stay.person_id}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == plan["id"]
    bad = api.patch(url, {"version": body["version"], "problems": [
        {"problem": "X", "goal": "Y", "interventions": [{"text": "Z", "frequency": "daily"}]}]},
        content_type="application/json")
    assert bad.status_code == 400 and "执行时间" in bad.json()["message"]
    carer = cast.api("care_a1").patch(url, {"version": body["version"], "note": "X"},
                                      content_type="application/json")
    assert carer.status_code == 403


def test_api_records_tasks_with_reason_and_conflict(cast) -> None:
    plan = approved_plan(cast)
    task = _pending(cast, plan)
    url = f"/api/v1/care-tasks/{task.pk}/record"
    a, b = cast.api("care_a1"), cast.api("care_a2")
    refused = a.post(url, {"version": task.version, "done": False, "reason": ""},
                     content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"code": "reason_required", "message": "未完成的任务必须填写原因",
                              "field": "reason"}
    first = a.post(url, {"version": task.version, "done": True}, content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "done"
    second = b.post(url, {"version": task.version, "done": True},
                    content_type="application/json")
    assert second.status_code == 409 and "请勿重复记录" in second.json()["message"]
    day = task.day.isoformat()
    rows = a.get("/api/v1/care-tasks", {"plan_id": plan.pk, "day": day, "status": "done"}).json()
    assert [t["id"] for t in rows["items"]] == [task.pk]
    assert rows["items"][0]["state"] == "done"


def test_api_vital_signs_with_alerts(cast) -> None:
    plan = approved_plan(cast)
    api = cast.api("care_a1")
    made = api.post("/api/v1/vital-signs", {"person_id": plan.person_id, "systolic": 182,
                                            "diastolic": 104, "pulse": 80},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["has_alert"] and body["alerts"][0]["message"].startswith("收缩压 182 mmHg 偏高")
    listed = api.get("/api/v1/vital-signs", {"person_id": plan.person_id, "alerts": True}).json()
    assert [v["id"] for v in listed["items"]] == [body["id"]]
    refused = api.post("/api/v1/vital-signs", {"person_id": plan.person_id},
                       content_type="application/json")
    assert refused.status_code == 400 and refused.json()["message"] == "请至少填写一项体征"


def test_point_of_care_page_and_htmx_taps(cast) -> None:
    plan = approved_plan(cast)
    home = plan.home
    shift, day = services.shift_now(home)
    services.generate_tasks(actor=cast.actor("nurse_a"), home_id=home.pk, day=day)
    task = CareTask.objects.filter(plan=plan, day=day, shift__code=shift.code,
                                   status="pending").first()
    browser = cast.browser("care_a1")
    page = browser.get(reverse("care:point_of_care"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{shift.name}" in text and plan.person.name in text and f'id="task-{task.pk}"' in text
    url = reverse("care:task_record", args=[task.pk])
    refused = browser.post(url, {"version": task.version, "done": "0", "reason": ""},
                           HTTP_HX_REQUEST="true")
    assert "未完成的任务必须填写原因" in refused.content.decode()
    done = browser.post(url, {"version": task.version, "done": "1"}, HTTP_HX_REQUEST="true")
    assert "已完成" in done.content.decode() and CareTask.objects.get(pk=task.pk).status == "done"
    again = cast.browser("care_a2").post(url, {"version": task.version, "done": "1"},
                                         HTTP_HX_REQUEST="true")
    assert "请勿重复记录" in again.content.decode()
    vitals = browser.post(reverse("care:vitals_record", args=[plan.person_id]),
                          {"temperature": "38.6"}, HTTP_HX_REQUEST="true")
    assert "体征异常" in vitals.content.decode() and "体温 38.6 ℃ 偏高" in vitals.content.decode()
    note = browser.post(reverse("care:note_write", args=[plan.person_id]),
                        {"text": "发热，已报告护士", "for_handover": "on"}, HTTP_HX_REQUEST="true")
    assert "需交班" in note.content.decode()
    sheet = browser.get(reverse("care:handover")).content.decode()
    assert "体温 38.6 ℃ 偏高" in sheet and "发热，已报告护士" in sheet
    nurse_list = cast.browser("nurse_a").get(reverse("care:plans")).content.decode()
    assert "体温 38.6 ℃ 偏高" in nurse_list  # the nurse sees the alert


def test_plan_pages_edit_and_approve(cast) -> None:
    stay = assessed(cast)
    nurse = cast.browser("nurse_a")
    made = nurse.post(reverse("care:plan_propose", args=[stay.person_id]))
    plan = CarePlan.objects.get(stay=stay)
    assert made.status_code == 302 and made["Location"] == reverse("care:plan", args=[plan.pk])
    edit_url = reverse("care:plan_edit", args=[plan.pk])
    assert nurse.get(edit_url).status_code == 200
    post = {"version": plan.version, "nursing_level": "first", "review_on": "2030-01-01",
            "p-1-problem": "跌倒高风险", "p-1-goal": "不发生跌倒", "p-1-code": "fall_high",
            "p-1-i-1-text": "床栏", "p-1-i-1-frequency": "each_shift",
            "p-1-i-2-text": "测体重", "p-1-i-2-frequency": "weekly", "p-1-i-2-times": "08:00",
            "p-1-i-2-weekday": "0", "p-2-problem": "", "p-2-goal": ""}
    saved = nurse.post(edit_url, post)
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert [i["text"] for i in plan.problems[0]["interventions"]] == ["床栏", "测体重"]
    bad = nurse.post(edit_url, {**post, "version": plan.version, "p-1-i-2-times": ""})
    assert bad.status_code == 400 and "需要填写执行时间" in bad.content.decode()
    nurse.post(reverse("care:plan_approve", args=[plan.pk]), {"version": plan.version})
    detail = nurse.get(reverse("care:plan", args=[plan.pk])).content.decode()
    assert "第 1 版" in detail and "每周一 08:00" in detail
    assert cast.browser("care_a1").get(edit_url).status_code == 404


def test_lists_run_a_fixed_number_of_queries(cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api, browser = cast.api("nurse_a"), cast.browser("nurse_a")
    api.get("/api/v1/care-tasks")  # the token's first use is recorded once
    browser.get(reverse("care:point_of_care"))
    counts = []
    for url, params in (("/api/v1/care-tasks", {}), ("/api/v1/care-plans", {}),
                        ("/api/v1/vital-signs", {})):
        sizes = []
        for limit in (1, 50):
            with CaptureQueriesContext(connection) as ctx:
                body = api.get(url, {**params, "limit": limit}).json()
            assert len(body["items"]) == min(limit, body["count"])
            sizes.append(len(ctx))
        counts.append(sizes)
    assert all(a == b for a, b in counts), counts
    with CaptureQueriesContext(connection) as ctx:
        assert browser.get(reverse("care:point_of_care"), {"all": "1"}).status_code == 200
    building = cast.home_of("nurse_a").buildings.order_by("id").last().pk
    with CaptureQueriesContext(connection) as few:
        browser.get(reverse("care:point_of_care"), {"all": "1", "building": str(building)})
    assert len(ctx) == len(few)
