"""Agreement pages, the public page and what the partner doctor sees of residents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiyang.agreements import queries
from yiyang.agreements.models import Agreement, PatrolVisit
from yiyang.core.masking import mask_id_number
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

pytestmark = pytest.mark.django_db


def _active(cast) -> Agreement:  # type: ignore[no-untyped-def]
    return Agreement.objects.get(home=cast.home_of("nurse_a"),
                                 medical_id=cast.actor("doctor_b").org_id)


@pytest.mark.parametrize("username", ["admin_a", "nurse_a", "doctor_b", "officer_x"])
def test_the_missed_patrol_visit_shows_to_both_sides_and_the_county(cast, username: str) -> None:
    a = _active(cast)
    response = cast.browser(username).get(reverse("agreements:detail", args=[a.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "未按期巡诊 1 次" in text
    assert text.count('class="missed"') == 1
    assert a.medical.name in text and a.home.name in text
    listed = cast.browser(username).get(reverse("agreements:list")).content.decode()
    assert a.number in listed


def test_the_demo_schedule_has_exactly_one_missed_visit(cast) -> None:
    a = _active(cast)
    visits = list(PatrolVisit.objects.filter(agreement=a).values_list("visited_on", flat=True))
    schedule = queries.patrol_schedule(a, visits, timezone.localdate())
    assert schedule is not None and schedule.missed == 1 and schedule.done >= 10


def test_doctor_d_and_other_counties_see_no_agreement_of_home_a(cast) -> None:
    a = _active(cast)
    for username in ("doctor_d", "nurse_c", "officer_y"):
        client = cast.browser(username)
        assert client.get(reverse("agreements:detail", args=[a.pk])).status_code == 404
        assert a.number not in client.get(reverse("agreements:list")).content.decode()


def test_the_buttons_follow_the_side(cast) -> None:
    today = timezone.localdate()
    page = cast.browser("admin_a").post(reverse("agreements:create"), {
        "counterpart_id": cast.actor("doctor_d").org_id, "items": ["1", "5"],
        "modes": ["patrol"], "start_on": today.isoformat(),
        "end_on": (today + timedelta(days=365)).isoformat(), "home_duties": "提供场地",
        "medical_duties": "定期巡诊", "fee": "0", "patrol_interval_days": "14"})
    assert page.status_code == 302
    a = Agreement.objects.get(pk=int(page["Location"].rstrip("/").split("/")[-1]))
    home_page = cast.browser("admin_a").get(reverse("agreements:detail", args=[a.pk]))
    assert "由养老机构确认" in home_page.content.decode()
    assert "由医疗机构确认" not in home_page.content.decode()
    page = cast.browser("admin_a").post(reverse("agreements:act", args=[a.pk]), {
        "action": "confirm_home", "version": a.version})
    assert page.status_code == 302
    assert Agreement.objects.get(pk=a.pk).state == "confirmed_by_home"
    medical_page = cast.browser("agree_d").get(reverse("agreements:detail", args=[a.pk]))
    assert "由医疗机构确认" in medical_page.content.decode()


def test_a_refused_action_shows_its_message(cast) -> None:
    a = _active(cast)
    client = cast.browser("admin_a")
    response = client.post(reverse("agreements:act", args=[a.pk]),
                           {"action": "terminate", "version": a.version}, follow=True)
    assert "终止协议必须填写原因" in response.content.decode()
    assert Agreement.objects.get(pk=a.pk).state == a.state


def test_doctor_b_records_a_patrol_visit_from_the_page(cast) -> None:
    a = _active(cast)
    before = PatrolVisit.objects.filter(agreement=a).count()
    seen = Stay.objects.filter(home=a.home, status__in=OPEN_STATUSES).first()
    page = cast.browser("doctor_b").get(reverse("agreements:detail", args=[a.pk]))
    assert "登记巡诊" in page.content.decode()
    response = cast.browser("doctor_b").post(reverse("agreements:record_patrol", args=[a.pk]), {
        "visited_on": timezone.localdate().isoformat(), "doctors": "刘志强", "nurses": "王秀英",
        "person_ids": [seen.person_id], "findings": "", "orders": ""})
    assert response.status_code == 302
    assert PatrolVisit.objects.filter(agreement=a).count() == before + 1
    visit = PatrolVisit.objects.filter(agreement=a).latest("id")
    assert list(visit.seen.values_list("person_id", flat=True)) == [seen.person_id]
    assert response.url == reverse("agreements:patrol_visit", args=[visit.pk])
    # The home reads the log but does not record visits.
    assert "登记巡诊" not in cast.browser("admin_a").get(
        reverse("agreements:detail", args=[a.pk])).content.decode()


def test_the_signed_document_is_served_to_the_parties_only(cast) -> None:
    a = _active(cast)
    url = reverse("agreements:document", args=[a.pk])
    response = cast.browser("doctor_b").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert cast.browser("doctor_d").get(url).status_code == 404


def test_the_public_page_needs_no_login_and_shows_no_personal_data(cast) -> None:
    a = _active(cast)
    response = Client().get(reverse("agreements:public"))
    assert response.status_code == 200
    text = response.content.decode()
    assert a.home.name in text and a.medical.name in text
    assert "巡诊" in text
    # Drafts and expired agreements are not listed.
    for other in Agreement.objects.exclude(pk=a.pk):
        assert other.home.name not in text
    stays = Stay.objects.filter(home=a.home, status__in=OPEN_STATUSES).select_related("person")
    for stay in stays:
        assert stay.person.name not in text
        assert stay.person.id_number not in text
        assert mask_id_number(stay.person.id_number) not in text
    for visit in PatrolVisit.objects.filter(agreement=a):
        assert visit.doctors not in text


def test_doctor_b_sees_no_id_or_phone_number(cast) -> None:
    home_a = cast.home_of("nurse_a")
    people = Person.objects.filter(stays__home=home_a, stays__status__in=OPEN_STATUSES)
    person = next(p for p in people if p.id_number and p.phone)
    masked = mask_id_number(person.id_number)
    page = cast.browser("doctor_b").get(reverse("residents:detail", args=[person.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert person.name in text
    assert masked not in text and person.id_number not in text
    assert "查看完整号码" not in text
    assert '<td id="phone">—</td>' in text
    nurse_page = cast.browser("admin_a").get(reverse("residents:detail", args=[person.pk]))
    assert masked in nurse_page.content.decode()

    api = cast.api("doctor_b")
    item = api.get(f"/api/v1/residents/{person.pk}").json()
    assert item["id_number"] is None and item["phone"] is None
    listed = api.get("/api/v1/residents?limit=100").json()["items"]
    assert listed and all(r["id_number"] is None and r["phone"] is None for r in listed)
    assert cast.api("nurse_a").get(f"/api/v1/residents/{person.pk}").json()["id_number"] == masked
    assert api.post(f"/api/v1/residents/{person.pk}/reveal").status_code == 403
    card = cast.browser("doctor_b").get(reverse("residents:handover_card", args=[person.pk]))
    assert card.status_code == 200


def test_the_medical_admin_cannot_reveal_either(cast) -> None:
    person = Person.objects.filter(stays__home=cast.home_of("nurse_a")).first()
    response = cast.browser("admin_med_b").post(reverse("residents:reveal", args=[person.pk]))
    assert response.status_code == 403


def test_navigation_shows_the_agreements_entry(cast) -> None:
    for username in ("admin_a", "doctor_b", "officer_x"):
        page = cast.browser(username).get(reverse("web:dashboard")).content.decode()
        assert "医养签约" in page
    assert "医养签约" not in cast.browser("worker_t").get(reverse("web:dashboard")).content.decode()


def test_the_api_lists_and_acts_for_the_parties(cast) -> None:
    a = _active(cast)
    items = cast.api("doctor_b").get("/api/v1/agreements").json()["items"]
    assert [i["id"] for i in items] == [a.pk]
    assert items[0]["home_name"] == a.home.name and items[0]["has_signed_document"] is True
    assert cast.api("officer_x").get(f"/api/v1/agreements/{a.pk}").status_code == 200
    assert cast.api("doctor_d").get(f"/api/v1/agreements/{a.pk}").status_code == 404
    refused = cast.api("admin_a").post(f"/api/v1/agreements/{a.pk}/act", {
        "action": "terminate", "version": a.version}, content_type="application/json")
    assert refused.status_code == 400 and "原因" in refused.json()["message"]
    done = cast.api("admin_a").post(f"/api/v1/agreements/{a.pk}/act", {
        "action": "terminate", "version": a.version, "reason": "机构撤并"},
        content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "terminated"


def test_the_fee_memo_account_on_the_page(cast) -> None:
    a = _active(cast)
    client = cast.browser("agree_b")
    response = client.post(reverse("agreements:record_fee", args=[a.pk]), {
        "kind": "receipt", "entry_on": timezone.localdate().isoformat(), "amount": "6000",
        "note": "上半年合作经费"})
    assert response.status_code == 302
    page = client.get(reverse("agreements:detail", args=[a.pk])).content.decode()
    assert "上半年合作经费" in page
    assert "上半年合作经费" in cast.browser("officer_x").get(
        reverse("agreements:detail", args=[a.pk])).content.decode()
    assert "上半年合作经费" not in cast.browser("admin_a").get(
        reverse("agreements:detail", args=[a.pk])).content.decode()


@pytest.mark.parametrize("username", ["officer_x", "officer_city", "agree_b"])
def test_the_list_shows_performance_with_the_missed_visit(cast, username: str) -> None:
    text = cast.browser(username).get(reverse("agreements:list")).content.decode()
    assert _active(cast).number in text
    assert "未按期 1 次" in text


def test_the_list_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries) -> None:
    client = cast.browser("officer_prov")
    client.get(reverse("agreements:list"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse("agreements:list")).status_code == 200


@pytest.mark.parametrize("username", ["doctor_b", "admin_a", "nurse_a"])
def test_the_dashboards_show_the_patrol_worklist_and_referrals(cast, username: str) -> None:
    a = _active(cast)
    page = cast.browser(username).get(reverse("web:dashboard")).content.decode()
    assert "本周巡诊" in page and "进行中的转诊" in page
    due = queries.patrols_due(cast.actor(username), timezone.localdate())
    assert due and all(d.agreement.pk == a.pk for d in due)
    assert reverse("agreements:detail", args=[a.pk]) in page


def test_doctor_d_has_no_worklist(cast) -> None:
    assert queries.patrols_due(cast.actor("doctor_d"), timezone.localdate()) == []
    assert not queries.open_referrals(cast.actor("doctor_d")).exists()
