"""Obligations and the hazard ledger through services, queries, pages and API; regulators read
their region and never change a home's records; the demo's overdue duties show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiyang.care.models import EducationSession
from yiyang.compliance import queries, services, sources
from yiyang.compliance.models import Hazard, ObligationRecord
from yiyang.compliance.rules import Status
from yiyang.core import paging
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def _cells(cast, username: str, home_user: str) -> dict:  # type: ignore[no-untyped-def]
    actor = cast.actor(username)
    home = cast.home_of(home_user)
    return {c.obligation.code: c for c in queries.standings(actor, [home])[home.pk]}


def test_the_demo_boards_show_done_due_and_overdue(cast) -> None:
    a = _cells(cast, "nurse_a", "nurse_a")
    assert a["fire_check"].status is Status.OVERDUE  # last month's check was skipped
    assert a["hazard_ledger"].status is Status.OVERDUE  # the exit door past its deadline
    assert a["health_education"].connected  # care's education sessions are a source
    assert a["mental_health_lecture"].connected
    assert a["annual_checkup"].connected  # agreements' service records are a source
    c = _cells(cast, "nurse_c", "nurse_c")
    assert c["emergency_drill"].status is Status.OVERDUE
    assert c["hazard_ledger"].status is Status.DUE  # one open, within its deadline


def test_recording_this_period_turns_an_overdue_duty_done(cast) -> None:
    nurse = cast.actor("nurse_a")
    before = AuditEvent.objects.count()
    services.record_obligation(actor=nurse, obligation="fire_check",
                               done_on=timezone.localdate(), summary="月度防火检查",
                               participants=3,
                               evidence=SimpleUploadedFile("表.pdf", PDF))
    cell = _cells(cast, "nurse_a", "nurse_a")["fire_check"]
    assert cell.status is Status.DONE
    assert cell.standing.overdue_count >= 1  # the missed month stays in the history
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"obligation": "health_education"}, "请选择需要登记的义务"),
    ({"done_on": "tomorrow"}, "不能晚于今天"),
    ({"summary": " "}, "请填写情况记录"),
    ({"evidence": SimpleUploadedFile("x.exe", b"MZ")}, "PDF 或图片"),
    ({"evidence": SimpleUploadedFile("x.pdf", b"not a pdf")}, "内容与扩展名不符"),
])
def test_bad_records_are_refused_in_chinese(cast, kwargs: dict, message: str) -> None:
    data = {"obligation": "fire_drill", "done_on": timezone.localdate(), "summary": "演练"}
    if kwargs.get("done_on") == "tomorrow":
        kwargs["done_on"] = timezone.localdate() + timedelta(days=1)
    data.update(kwargs)
    with pytest.raises(ValidationFailed, match=message):
        services.record_obligation(actor=cast.actor("nurse_a"), **data)


@pytest.mark.parametrize("username", ["officer_x", "officer_city", "doctor_b", "care_a1"])
def test_only_the_homes_staff_record(cast, username: str) -> None:
    with pytest.raises(Forbidden):
        services.record_obligation(actor=cast.actor(username), obligation="fire_drill",
                                   done_on=timezone.localdate(), summary="X")


@pytest.mark.parametrize("username", ["officer_x", "officer_city"])
def test_regulators_cannot_change_a_homes_hazard(cast, username: str) -> None:
    hazard = Hazard.objects.filter(home=cast.home_of("nurse_a"), state="rectified").first()
    with pytest.raises(NotFound):
        services.act_on_hazard(actor=cast.actor(username), hazard_id=hazard.pk,
                               action="verify", version=hazard.version)
    assert Hazard.objects.get(pk=hazard.pk).state == "rectified"


def test_hazard_steps_out_of_order_are_refused(cast) -> None:
    nurse = cast.actor("nurse_a")
    today = timezone.localdate()
    h = services.record_hazard(actor=nurse, found_on=today, place="厨房", description="插座松动",
                               deadline=today + timedelta(days=3))
    with pytest.raises(ValidationFailed, match="尚未登记整改"):
        services.act_on_hazard(actor=nurse, hazard_id=h.pk, action="verify", version=h.version)
    h = services.act_on_hazard(actor=nurse, hazard_id=h.pk, action="rectify", version=h.version,
                               note="更换插座", evidence=SimpleUploadedFile("a.pdf", PDF))
    h = services.act_on_hazard(actor=nurse, hazard_id=h.pk, action="verify", version=h.version)
    assert h.state == "verified" and [e["action"] for e in h.history] == [
        "found", "rectify", "verify"]
    with pytest.raises(ValidationFailed, match="已复核销号"):
        services.act_on_hazard(actor=nurse, hazard_id=h.pk, action="rectify", version=h.version,
                               note="X")


def test_officer_x_sees_county_x_only_and_the_city_officer_the_city(cast) -> None:
    county = {h.name for h in queries.homes(cast.actor("officer_x"))}
    city = {h.name for h in queries.homes(cast.actor("officer_city"))}
    home_a, home_c = cast.home_of("nurse_a").name, cast.home_of("nurse_c").name
    assert home_a in county and home_c not in county
    assert {home_a, home_c} <= city and county < city
    page = cast.browser("officer_x").get(reverse("compliance:obligations")).content.decode()
    assert home_a in page and home_c not in page
    page = cast.browser("officer_city").get(reverse("compliance:obligations")).content.decode()
    assert home_a in page and home_c in page
    hazards = {h.home_id for h in queries.hazards(cast.actor("officer_x"))}
    assert hazards == {cast.home_of("nurse_a").pk}


def test_the_overview_runs_a_fixed_number_of_queries(cast, monkeypatch) -> None:
    client = cast.browser("officer_city")
    url = reverse("compliance:obligations")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    monkeypatch.setattr(paging, "PER_PAGE", 1)
    one = count()
    monkeypatch.setattr(paging, "PER_PAGE", 25)
    assert count() == one


def test_an_unconnected_source_says_so_and_a_connected_one_counts(cast, monkeypatch) -> None:
    monkeypatch.delitem(sources._SOURCES, "care.education_sessions")
    page = cast.browser("nurse_a").get(reverse("compliance:obligations")).content.decode()
    assert "数据来源尚未接入" in page
    assert _cells(cast, "nurse_a", "nurse_a")["health_education"].status \
        is Status.NOT_CONNECTED
    monkeypatch.setitem(sources._SOURCES, "care.education_sessions",
                        lambda ids, periods, today: {i: [sources.Progress(1, 1)] * len(periods)
                                                     for i in ids})
    cell = _cells(cast, "nurse_a", "nurse_a")["health_education"]
    assert cell.status is Status.DONE


def test_board_api_and_evidence(cast) -> None:
    home_a = cast.home_of("nurse_a")
    board = cast.browser("officer_x").get(reverse("compliance:board", args=[home_a.pk]))
    assert board.status_code == 200 and "防火检查" in board.content.decode()
    assert "登记履行记录" not in board.content.decode()  # regulators read, no form
    items = cast.api("officer_x").get("/api/v1/obligations?limit=100").json()["items"]
    fire = next(i for i in items if i["id"] == f"{home_a.pk}:fire_check")
    assert fire["status"] == "overdue" and fire["overdue_periods"]
    record = ObligationRecord.objects.filter(home=home_a).exclude(evidence="").first()
    response = cast.browser("officer_x").get(reverse("compliance:record_evidence",
                                                     args=[record.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert cast.browser("nurse_c").get(reverse("compliance:record_evidence",
                                               args=[record.pk])).status_code == 404


def test_record_through_the_page_and_the_api(cast) -> None:
    client = cast.browser("nurse_a")
    response = client.post(reverse("compliance:record"), {
        "obligation": "infection_drill", "done_on": timezone.localdate().isoformat(),
        "participants": "12", "summary": "传染病应急演练",
        "evidence": SimpleUploadedFile("签到.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    bad = client.post(reverse("compliance:record"), {"obligation": "fire_drill",
                                                     "done_on": "", "summary": ""})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    api = cast.api("nurse_a").post("/api/v1/obligation-records", {
        "obligation": "fire_drill", "done_on": timezone.localdate().isoformat(),
        "summary": "消防演练"}, content_type="application/json")
    assert api.status_code == 201 and api.json()["obligation_title"] == "消防演练"
    refused = cast.api("officer_x").post("/api/v1/obligation-records", {
        "obligation": "fire_drill", "done_on": timezone.localdate().isoformat(),
        "summary": "X"}, content_type="application/json")
    assert refused.status_code == 403


def test_care_sessions_fulfil_the_education_and_lecture_duties_by_hand_count(cast) -> None:
    """Seed 002 §六 (monthly) and §十二 (two lectures a year) read care's sessions."""
    today = timezone.localdate()
    for user in ("nurse_a", "nurse_c"):
        home = cast.home_of(user)
        cells = _cells(cast, user, user)
        sessions = EducationSession.objects.filter(home=home)
        this_month = sessions.filter(held_on__year=today.year, held_on__month=today.month)
        lectures = sessions.filter(kind=EducationSession.Kind.MENTAL,
                                   held_on__year=today.year).count()
        education, mental = cells["health_education"].standing, \
            cells["mental_health_lecture"].standing
        assert (education.done, education.required) == (this_month.count(), 1), user
        assert (mental.done, mental.required) == (lectures, 2), user
    # The demo: home A held two lectures this year, home C one (still due in December).
    assert _cells(cast, "nurse_a", "nurse_a")["mental_health_lecture"].standing.done == 2
    home_c = cast.home_of("nurse_c")
    assert _cells(cast, "nurse_c", "nurse_c")["mental_health_lecture"].standing.done == 1
    # A new lecture counts at once.
    EducationSession.objects.create(home=home_c, region_code=home_c.region_code,
                                    kind=EducationSession.Kind.MENTAL, topic="老年期抑郁的识别",
                                    held_on=today, speaker="心理咨询师", other_count=10,
                                    recorded_by="nurse_c")
    assert _cells(cast, "nurse_c", "nurse_c")["mental_health_lecture"].standing.done == 2
