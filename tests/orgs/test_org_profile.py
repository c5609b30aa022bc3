"""The organisation card: a wrong credit code is refused in Chinese and nothing changes."""

from __future__ import annotations

from django.urls import reverse

from yiyang.core.models import AuditEvent
from yiyang.orgs.models import NursingHome


def test_bad_credit_code_on_the_page_is_a_form_error(cast) -> None:
    home = cast.home_of("admin_a")
    before = (home.credit_code, home.version, AuditEvent.objects.count())
    wrong = home.credit_code[:-1] + ("0" if home.credit_code[-1] != "0" else "1")
    response = cast.browser("admin_a").post(reverse("orgs:edit", args=[home.pk]), {
        "version": home.version, "name": home.name, "credit_code": wrong,
        "category": home.category, "ownership": home.ownership,
        "bed_capacity": home.bed_capacity,
        "has_medical_unit": "on", "medical_unit_type": home.medical_unit_type,
    })
    assert response.status_code == 400
    assert "统一社会信用代码校验码错误" in response.content.decode()
    home.refresh_from_db()
    assert (home.credit_code, home.version, AuditEvent.objects.count()) == before


def test_profile_update_through_the_api_is_audited(cast) -> None:
    home = cast.home_of("admin_a")
    response = cast.api("admin_a").patch(
        f"/api/v1/organisations/{home.pk}",
        {"version": home.version, "bed_capacity": 130, "is_integrated": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert NursingHome.objects.get(pk=home.pk).bed_capacity == 130
    event = AuditEvent.objects.filter(action="orgs.organisation.update").latest("id")
    assert event.changes["bed_capacity"] == [home.bed_capacity, 130]


def test_medical_unit_type_is_required_when_a_unit_exists(cast) -> None:
    home = cast.home_of("admin_a")
    response = cast.api("admin_a").patch(
        f"/api/v1/organisations/{home.pk}",
        {"version": home.version, "has_medical_unit": True, "medical_unit_type": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "有内设医疗机构时请选择其类型"


def test_a_home_care_centre_is_a_category_of_home(cast) -> None:
    home = cast.home_of("admin_a")
    api = cast.api("admin_a")
    bad = api.patch(f"/api/v1/organisations/{home.pk}",
                    {"version": home.version, "category": "hotel"},
                    content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"] == "类别无效"
    ok = api.patch(f"/api/v1/organisations/{home.pk}",
                   {"version": home.version, "category": "home_care_centre"},
                   content_type="application/json")
    assert ok.status_code == 200
    page = cast.browser("admin_a").get(reverse("orgs:detail", args=[home.pk])).content.decode()
    assert "乡镇（街道）居家养老服务中心" in page
