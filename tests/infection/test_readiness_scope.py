"""Routes whose rows belong to regulators (county local-case marks, support teams) and the
pages and API of readiness: who reads, who writes, fixed query counts, the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from yiyang.infection import readiness_services as rs
from yiyang.infection.models import (
    LocalCaseMark,
    SamplingDay,
    SupplyMovement,
    SupplyStock,
    SupportTeam,
    SupportTeamMember,
)


def _mark() -> LocalCaseMark:
    return LocalCaseMark.objects.get(county_name="杞县", ended_on__isnull=True)


def _team() -> SupportTeam:
    return SupportTeam.objects.get(name__startswith="开封市")


@pytest.mark.parametrize("username", ["nurse_a", "nurse_c", "doctor_b", "doctor_d", "worker_u",
                                      "officer_x", "officer_y"])
def test_city_team_is_the_city_and_provinces_only(cast, username: str) -> None:
    team = _team()
    assert cast.api(username).get(f"/api/v1/support-teams/{team.pk}").status_code == 404
    assert cast.browser(username).get(
        reverse("infection:teams_detail", args=[team.pk])).status_code == 404


def test_city_and_province_read_the_team_only_the_city_writes(cast) -> None:
    team = _team()
    for username in ("officer_city", "officer_prov"):
        body = cast.api(username).get(f"/api/v1/support-teams/{team.pk}").json()
        assert body["ready"] is True and len(body["members"]) == 5
        assert all("*" in m["phone"] for m in body["members"])
    before = SupportTeamMember.objects.count()
    response = cast.api("officer_prov").post(f"/api/v1/support-teams/{team.pk}/members",
                                             {"name": "X", "profession": "X"},
                                             content_type="application/json")
    assert response.status_code == 404
    response = cast.api("officer_city").post(f"/api/v1/support-teams/{team.pk}/members",
                                             {"name": "新队员", "profession": "护师",
                                              "phone": "13800001111"},
                                             content_type="application/json")
    assert response.status_code == 201
    assert SupportTeamMember.objects.count() == before + 1
    page = cast.browser("officer_city").get(reverse("infection:teams_detail", args=[team.pk]))
    assert "138****1111" in page.content.decode() and "13800001111" not in page.content.decode()


@pytest.mark.parametrize("username", ["nurse_a", "nurse_c", "doctor_b", "worker_t",
                                      "officer_y"])
def test_county_mark_is_not_ended_by_others(cast, username: str) -> None:
    mark = _mark()
    response = cast.api(username).post(f"/api/v1/local-cases/{mark.pk}/end",
                                       {"version": mark.version},
                                       content_type="application/json")
    assert response.status_code in (403, 404)
    assert LocalCaseMark.objects.get(pk=mark.pk).ended_on is None


def test_local_case_list_per_regulator(cast) -> None:
    mark = _mark()
    ids = lambda u: {i["id"] for i in cast.api(u).get("/api/v1/local-cases").json()["items"]}  # noqa: E731
    assert mark.pk in ids("officer_x") and mark.pk in ids("officer_city")
    assert mark.pk not in ids("officer_y") and mark.pk not in ids("nurse_c")


def test_officer_x_marks_and_ends_through_the_api(cast) -> None:
    api = cast.api("officer_x")
    mark = _mark()
    response = api.post(f"/api/v1/local-cases/{mark.pk}/end", {"version": mark.version},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["ended_on"]
    response = api.post("/api/v1/local-cases", {"started_on": timezone.localdate().isoformat()},
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["county_name"] == "杞县"
    response = api.post("/api/v1/local-cases", {"started_on": timezone.localdate().isoformat()},
                        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["message"] == "本县已标记本土病例且尚未解除"


def test_sampling_state_api_for_home_and_regulators(cast) -> None:
    home_a = cast.home_of("nurse_a")
    state = cast.api("nurse_a").get(f"/api/v1/sampling-state/{home_a.pk}").json()
    assert state["full_round_done"] and len(state["days"]) == 8
    assert [d["met"] for d in state["days"][1:-1]].count(False) == 1
    assert len(state["proposal"]) == state["days"][-1]["required"]
    for u in ("officer_x", "officer_city"):
        ids = {i["home_id"] for i in cast.api(u).get("/api/v1/sampling-state").json()["items"]}
        assert home_a.pk in ids
    assert not cast.api("officer_y").get("/api/v1/sampling-state").json()["items"]
    assert cast.api("doctor_b").get(f"/api/v1/sampling-state/{home_a.pk}").status_code == 404
    assert not cast.api("doctor_b").get("/api/v1/sampling-state").json()["items"]


def test_record_samples_through_the_api(cast) -> None:
    nurse = cast.api("nurse_a")
    home_a = cast.home_of("nurse_a")
    state = nurse.get(f"/api/v1/sampling-state/{home_a.pk}").json()
    people = [int(s["key"][2:]) for s in state["proposal"] if s["key"].startswith("r:")]
    staff = [int(s["key"][2:]) for s in state["proposal"] if s["key"].startswith("s:")]
    response = nurse.post("/api/v1/sampling-days", {
        "day": timezone.localdate().isoformat(), "person_ids": people,
        "membership_ids": staff}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["samples"]) == len(people) + len(staff)
    assert all(s["from_proposal"] for s in body["samples"])
    # the county regulator reads the day; another county's does not
    assert cast.api("officer_x").get(f"/api/v1/sampling-days/{body['id']}").status_code == 200
    assert cast.api("officer_y").get(f"/api/v1/sampling-days/{body['id']}").status_code == 404


def test_staff_flag_list_through_the_api(cast) -> None:
    items = cast.api("admin_a").get("/api/v1/staff-vaccinations?flagged=true").json()["items"]
    assert sorted(i["status"] for i in items) == ["暂缓接种", "未全程（1/2 剂）"]
    assert all(i["direct_contact"] for i in items)


def test_demand_export_is_the_county_list(cast) -> None:
    response = cast.browser("officer_x").get(reverse("infection:supplies_demand_export"))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("需求清单").to_python()
    body = {r[0]: r[2] for r in rows[3:]}
    stock = {s.kind: s for s in SupplyStock.objects.filter(home__region_code__startswith="410221")
             if s.shortfall}
    assert body == {"N95 口罩": stock["n95"].shortfall,
                    "抗原检测试剂": stock["antigen_kit"].shortfall}
    assert cast.browser("nurse_a").get(
        reverse("infection:supplies_demand_export")).status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/supplies", "/api/v1/staff-vaccinations",
                                 "/api/v1/sampling-days", "/api/v1/closed-management"])
def test_list_endpoints_run_a_fixed_number_of_queries(cast, url: str) -> None:
    """The city sees many rows, home C a few: the same number of queries."""
    def count(username: str) -> tuple[int, int]:
        client = cast.api(username)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response.json()["count"]

    few, n_few = count("admin_c")
    many, n_many = count("officer_city")
    assert n_many > n_few or url.endswith("closed-management")
    assert few == many


def test_pages_render_for_the_home_and_the_regulator(cast) -> None:
    for username in ("nurse_a", "officer_x", "officer_city", "nurse_c"):
        client = cast.browser(username)
        for name in ("readiness", "sampling", "staff", "supplies", "teams", "closed"):
            response = client.get(reverse(f"infection:{name}"))
            assert response.status_code == 200, (username, name)
    day = SamplingDay.objects.filter(home=cast.home_of("nurse_a")).first()
    text = cast.browser("officer_x").get(reverse("infection:sampling_day",
                                                 args=[day.pk])).content.decode()
    assert "采样人员" in text


def test_closure_page_flags_the_long_shift_and_adds_one(cast) -> None:
    from yiyang.infection.models import ClosedManagement, ShiftAssignment

    admin = cast.actor("admin_a")
    closure = ClosedManagement.objects.get(home_id=admin.org_id, ended_on__isnull=True)
    client = cast.browser("admin_a")
    text = client.get(reverse("infection:closed_detail", args=[closure.pk])).content.decode()
    assert "连续在岗 16 天，超过 14 天" in text
    assert text.count("未全程接种，不宜安排直接接触岗位") == 2  # care_a3 and nurse_a2
    before = ShiftAssignment.objects.count()
    member = cast.membership("nurse_a")
    start = timezone.localdate() + timedelta(days=60)
    response = client.post(reverse("infection:closed_shift", args=[closure.pk]), {
        "membership_id": member.pk, "team": "C组", "start_on": start.isoformat(),
        "end_on": (start + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    assert ShiftAssignment.objects.count() == before + 1


def test_a_new_home_sets_up_its_supplies(cast) -> None:
    admin = cast.actor("admin_c")
    assert SupplyStock.objects.filter(home_id=admin.org_id).count() == 8
    assert rs.open_stock_lines(actor=admin) == 0  # the demo made every line already
    SupplyMovement.objects.filter(stock__home_id=admin.org_id, stock__kind="oximeter").delete()
    SupplyStock.objects.filter(home_id=admin.org_id, kind="oximeter").delete()
    assert rs.open_stock_lines(actor=admin) == 1
    line = SupplyStock.objects.get(home_id=admin.org_id, kind="oximeter")
    assert (line.on_hand, line.minimum) == (0, 5)
