"""Resident pages and API: admission by form, masked numbers, reveal audited, register counts."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed
from yiyang.residents.models import OPEN_STATUSES, KeyPopulationRecord, Person, Stay

ID_82_MALE = "410221194403150036"  # worked out by hand in test_stay_services.py


def _free_bed(home_id: int) -> Bed:
    return (Bed.objects.filter(home_id=home_id, is_active=True)
            .exclude(stays__status__in=OPEN_STATUSES).first())


def test_admission_form_then_resident_page_masks_numbers(cast) -> None:
    client = cast.browser("admin_a")
    home = cast.home_of("admin_a")
    response = client.post(reverse("residents:admit"), {
        "name": "曾桂兰", "document_type": "id_card", "id_number": ID_82_MALE,
        "ethnicity": "汉族", "bed_id": _free_bed(home.pk).pk,
        "admitted_on": timezone.localdate().isoformat(), "phone": "13837800001"})
    assert response.status_code == 302
    person = Person.objects.get(name="曾桂兰")
    page = client.get(reverse("residents:detail", args=[person.pk])).content.decode()
    assert ID_82_MALE not in page and "410221********0036" in page
    assert "13837800001" not in page and "138****0001" in page


def test_admission_form_shows_the_id_error_and_writes_nothing(cast) -> None:
    client = cast.browser("admin_a")
    before = (Person.objects.count(), Stay.objects.count())
    response = client.post(reverse("residents:admit"), {
        "name": "错号", "document_type": "id_card", "id_number": "410221194403150031",
        "ethnicity": "汉族", "bed_id": _free_bed(cast.home_of("admin_a").pk).pk,
        "admitted_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "身份证号码校验码错误" in response.content.decode()
    assert (Person.objects.count(), Stay.objects.count()) == before


def test_api_masks_and_reveal_is_audited(cast) -> None:
    client = cast.api("admin_a")
    home = cast.home_of("admin_a")
    created = client.post("/api/v1/residents", {
        "home_id": home.pk, "bed_id": _free_bed(home.pk).pk, "name": "解明",
        "id_number": ID_82_MALE}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["id_number"] == "410221********0036"
    assert body["category"] == "red" and body["band"] == "80-89"
    nurse = cast.api("nurse_a").post(f"/api/v1/residents/{body['id']}/reveal")
    assert nurse.status_code == 403
    revealed = client.post(f"/api/v1/residents/{body['id']}/reveal")
    assert revealed.json()["id_number"] == ID_82_MALE
    event = AuditEvent.objects.filter(action="core.reveal").latest("id")
    assert event.username == "admin_a" and event.object_id == str(body["id"])
    assert ID_82_MALE not in json.dumps(event.changes)


def test_api_filters_by_category_and_status(cast) -> None:
    client = cast.api("admin_a")
    home = cast.home_of("admin_a")
    client.post("/api/v1/residents", {"home_id": home.pk, "bed_id": _free_bed(home.pk).pk,
                                       "name": "解明", "id_number": ID_82_MALE},
                content_type="application/json")
    reds = client.get(f"/api/v1/residents?home_id={home.pk}&category=red&status=in_residence")
    items = reds.json()["items"]
    assert items and all(i["category"] == "red" and i["stay_status"] == "in_residence"
                         for i in items)
    expected = KeyPopulationRecord.objects.filter(
        is_current=True, category="red", person__stays__home=home,
        person__stays__status="in_residence").values("person").distinct().count()
    assert reds.json()["count"] == expected


def test_register_and_bed_board_render(cast) -> None:
    client = cast.browser("admin_a")
    home = cast.home_of("admin_a")
    register = client.get(reverse("residents:register"))
    assert register.status_code == 200 and "重点人群分类登记" in register.content.decode()
    board = client.get(reverse("residents:bed_board")).content.decode()
    assert f"共 {Bed.objects.filter(home=home).count()} 张" in board
