"""Pages and API of lesions, incidents and education sessions."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from yiyang.care.models import EducationSession, Incident, PressureInjury
from yiyang.residents.models import OPEN_STATUSES, Stay


def _stay(cast, username: str = "nurse_a", nth: int = 6) -> Stay:  # type: ignore[no-untyped-def]
    return (Stay.objects.filter(home=cast.home_of(username), status__in=OPEN_STATUSES)
            .select_related("person").order_by("pk")[nth])


def test_pages_render_for_the_home(cast) -> None:
    client = cast.browser("nurse_a")
    lesion = PressureInjury.objects.filter(home=cast.home_of("nurse_a")).first()
    incident = Incident.objects.filter(home=cast.home_of("nurse_a")).first()
    session = EducationSession.objects.filter(home=cast.home_of("nurse_a")).first()
    stay = _stay(cast)
    for url, text in [
        (reverse("care:wound_list") + "?state=all", lesion.person.name),
        (reverse("care:wound_detail", args=[lesion.pk]), "愈合记录"),
        (reverse("care:pressure_home"), "控制线"),
        (reverse("care:pressure_indicator", args=[lesion.home_id]) + "?by=quarter", "第4季度"),
        (reverse("care:wound_create", args=[stay.person_id]), "24 小时"),
        (reverse("care:incident_list"), incident.person.name),
        (reverse("care:incident_detail", args=[incident.pk]), incident.place),
        (reverse("care:incident_create", args=[stay.person_id]), "A.2.14"),
        (reverse("care:education_list"), "心理健康知识讲座 2 / 2"),
        (reverse("care:education_detail", args=[session.pk]), session.topic),
        (reverse("care:education_create"), "参加的老年人"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_report_a_fall_from_the_page(cast) -> None:
    stay = _stay(cast, nth=7)
    client = cast.browser("care_a1")
    url = reverse("care:incident_create", args=[stay.person_id])
    bad = client.post(url, {"kind": "fall", "occurred_at": "", "place": "X"})
    assert bad.status_code == 400 and "发生时间" in bad.content.decode()
    when = timezone.localtime() - timedelta(minutes=30)
    response = client.post(url, {
        "kind": "fall", "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "place": "餐厅",
        "description": "起身时跌倒", "severity": "none", "immediate_action": "扶起观察"})
    assert response.status_code == 302
    incident = Incident.objects.filter(person_id=stay.person_id).latest("pk")
    assert incident.trigger is not None and incident.reporter_name


def test_regulator_sees_the_table_of_homes(cast) -> None:
    response = cast.browser("officer_x").get(reverse("care:pressure_home"))
    text = response.content.decode()
    assert response.status_code == 200
    assert cast.home_of("nurse_a").name in text and cast.home_of("nurse_c").name not in text


def test_api_lesion_lifecycle(cast) -> None:
    stay = _stay(cast, nth=8)
    client = cast.api("nurse_a")
    found = (timezone.now() - timedelta(hours=5)).isoformat()
    made = client.post("/api/v1/pressure-injuries", {
        "person_id": stay.person_id, "site": "heel", "stage": "2", "found_at": found,
        "length_cm": "1.5"}, content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["stage_label"] == "2 期" and body["observations"] == []
    pk, version = body["id"], body["version"]
    obs = client.post(f"/api/v1/pressure-injuries/{pk}/observations",
                      {"version": version, "stage": "3", "treatment": "清创"},
                      content_type="application/json")
    assert obs.status_code == 201 and obs.json()["stage"] == "3"
    assert len(obs.json()["observations"]) == 1
    stale = client.patch(f"/api/v1/pressure-injuries/{pk}", {"version": version, "note": "X"},
                         content_type="application/json")
    assert stale.status_code == 409
    ok = client.patch(f"/api/v1/pressure-injuries/{pk}",
                      {"version": obs.json()["version"], "device_related": True},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["device_related"] is True
    listed = client.get(f"/api/v1/pressure-injuries?person_id={stay.person_id}").json()
    assert pk in {item["id"] for item in listed["items"]}
    refused = cast.api("care_a1").post("/api/v1/pressure-injuries", {
        "person_id": stay.person_id, "site": "heel", "stage": "2", "found_at": found},
        content_type="application/json")
    assert refused.status_code == 403


def test_api_incident_and_education(cast) -> None:
    stay = _stay(cast, nth=9)
    client = cast.api("nurse_a")
    made = client.post("/api/v1/incidents", {
        "person_id": stay.person_id, "kind": "wandering", "place": "大门",
        "description": "独自外出", "immediate_action": "寻回",
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat()},
        content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind_label"] == "走失" and body["trigger_id"]
    done = client.patch(f"/api/v1/incidents/{body['id']}",
                        {"version": body["version"], "follow_up": "佩戴定位手环", "closed": True},
                        content_type="application/json")
    assert done.status_code == 200 and done.json()["closed"] is True
    session = client.post("/api/v1/education-sessions", {
        "kind": "health", "topic": "防跌倒", "held_on": timezone.localdate().isoformat(),
        "speaker": "护士长", "audience": ["residents"], "attendee_ids": [stay.person_id],
        "other_count": 2}, content_type="application/json")
    assert session.status_code == 201, session.content
    assert session.json()["attendees"] == [{"id": stay.person_id, "name": stay.person.name}]
    bad = client.post("/api/v1/education-sessions", {
        "kind": "health", "topic": "X", "held_on": timezone.localdate().isoformat(),
        "speaker": "X", "audience": ["nobody"], "other_count": 2},
        content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"] == "请选择对象"


def test_the_regulators_table_runs_a_fixed_number_of_queries(
        cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = cast.browser("officer_city")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("care:pressure_home"))
    assert response.status_code == 200
    assert cast.home_of("nurse_c").name in response.content.decode()
