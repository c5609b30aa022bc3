"""Inspections: the recorded 双随机 draw, the public page, the rectification loop, and who may
see and write an inspection (officer_x's own: 404 to other homes, other kinds of organisation
and county Y's regulator; the city reads but does not write)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiyang.compliance import inspection_services as services
from yiyang.compliance import rules
from yiyang.compliance.models import Finding, Inspection, InspectionDraw
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.demo.compliance import DRAW_SEED

pytestmark = pytest.mark.django_db


def _draw(cast) -> InspectionDraw:  # type: ignore[no-untyped-def]
    return InspectionDraw.objects.get(regulator_id=cast.actor("officer_x").org_id)


def _own_inspection(cast) -> Inspection:  # type: ignore[no-untyped-def]
    return Inspection.objects.get(draw=_draw(cast), home=cast.home_of("nurse_a"))


def test_the_recorded_draw_is_reproducible_from_its_seed_and_lists(cast) -> None:
    draw = _draw(cast)
    assert draw.seed == DRAW_SEED
    again = rules.draw(draw.institution_ids, draw.inspector_ids, size=len(draw.result),
                       per_inspection=draw.per_inspection, seed=draw.seed)
    assert [[h, list(i)] for h, i in again] == draw.result
    # The county's population is its homes only: home A and home B (township T), not home C.
    assert cast.home_of("nurse_a").pk in draw.institution_ids
    assert cast.home_of("nurse_c").pk not in draw.institution_ids
    with pytest.raises(ValidationFailed, match="已经抽取过"):
        services.make_draw(actor=cast.actor("officer_x"), year=draw.year, count=1, seed=1)


def test_a_new_draw_records_its_inputs_and_plans_inspections(cast) -> None:
    city = cast.actor("officer_city")
    for name in ("甲", "乙", "丙"):
        services.add_inspector(actor=city, name=name)
    before = AuditEvent.objects.count()
    draw = services.make_draw(actor=city, year=2025, percent=50, per_inspection=2, seed=99)
    assert len(draw.result) == 3  # 6 homes in the city, 50 %
    assert Inspection.objects.filter(draw=draw).count() == 3
    assert AuditEvent.objects.count() == before + 1
    expected = rules.draw(draw.institution_ids, draw.inspector_ids, size=3, per_inspection=2,
                          seed=99)
    assert draw.result == [[h, list(i)] for h, i in expected]


def test_the_public_page_lists_outcomes_without_personal_data(cast) -> None:
    year = _draw(cast).year
    page = Client().get(reverse("compliance:public"), {"year": year}).content.decode()
    assert "杞县民政局" in page and str(DRAW_SEED) in page
    assert cast.home_of("nurse_a").name in page and "总体符合要求" in page
    for personal in ("李建华", "周敏", "赵卫东"):  # inspectors' names are not published
        assert personal not in page


def test_the_rectification_loop(cast) -> None:
    officer, admin_a = cast.actor("officer_x"), cast.actor("admin_a")
    inspection = _own_inspection(cast)
    today = timezone.localdate()
    audit_before = AuditEvent.objects.count()
    f = services.issue_finding(actor=officer, inspection_id=inspection.pk,
                               description="消防通道堆放杂物", deadline=today + timedelta(days=5))
    with pytest.raises(ValidationFailed, match="尚未提交整改"):
        services.act_on_finding(actor=officer, finding_id=f.pk, action="verify",
                                version=f.version)
    with pytest.raises(Forbidden, match="被检查机构"):
        services.act_on_finding(actor=officer, finding_id=f.pk, action="rectify",
                                version=f.version, note="X")
    with pytest.raises(NotFound):
        services.act_on_finding(actor=cast.actor("admin_c"), finding_id=f.pk, action="rectify",
                                version=f.version, note="X")
    f = services.act_on_finding(actor=admin_a, finding_id=f.pk, action="rectify",
                                version=f.version, note="已清理",
                                evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    with pytest.raises(Forbidden, match="监管部门"):
        services.act_on_finding(actor=admin_a, finding_id=f.pk, action="verify",
                                version=f.version)
    with pytest.raises(NotFound):  # the city reads it but does not act on county X's rows
        services.act_on_finding(actor=cast.actor("officer_city"), finding_id=f.pk,
                                action="verify", version=f.version)
    with pytest.raises(ValidationFailed, match="理由"):
        services.act_on_finding(actor=officer, finding_id=f.pk, action="reissue",
                                version=f.version, deadline=today + timedelta(days=3))
    f = services.act_on_finding(actor=officer, finding_id=f.pk, action="reissue",
                                version=f.version, note="仍有杂物",
                                deadline=today + timedelta(days=3))
    assert (f.state, f.rounds) == ("issued", 2)
    f = services.act_on_finding(actor=admin_a, finding_id=f.pk, action="rectify",
                                version=f.version, note="全部清理")
    f = services.act_on_finding(actor=officer, finding_id=f.pk, action="verify",
                                version=f.version)
    assert f.state == "verified"
    assert [e["action"] for e in f.history] == ["issued", "rectify", "reissue", "rectify",
                                                "verify"]
    assert AuditEvent.objects.count() == audit_before + 5
    assert AuditEvent.objects.filter(action="compliance.finding.act",
                                     object_id=str(f.pk)).count() == 4


def test_overdue_rectifications_are_flagged(cast) -> None:
    inspection = _own_inspection(cast)
    today = timezone.localdate()
    f = services.issue_finding(actor=cast.actor("officer_x"), inspection_id=inspection.pk,
                               description="X", deadline=today - timedelta(days=2),
                               today=today - timedelta(days=10))
    page = cast.browser("nurse_a").get(reverse("compliance:inspection", args=[inspection.pk]))
    assert "整改超期" in page.content.decode()
    item = cast.api("officer_city").get(f"/api/v1/inspections/{inspection.pk}").json()
    assert next(x for x in item["findings"] if x["id"] == f.pk)["overdue"] is True


def test_the_demo_inspections(cast) -> None:
    draw = _draw(cast)
    states = sorted(Finding.objects.filter(inspection__draw=draw).values_list("state", "rounds"))
    assert states == [("issued", 2), ("verified", 1)]


OWN_WRITES = [
    ("post", "compliance:conclude", lambda i, f: {"version": i.version, "outcome": "X",
                                                  "inspected_on": timezone.localdate()}),
    ("post", "compliance:issue_finding", lambda i, f: {"description": "X",
                                                       "deadline": timezone.localdate()}),
]


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d", "worker_u", "officer_y",
                                      "doctor_b"])
def test_officer_x_inspections_are_404_to_others(cast, username: str) -> None:
    inspection = _own_inspection(cast)
    finding = Finding.objects.filter(inspection=inspection).exclude(evidence="").first()
    browser, api = cast.browser(username), cast.api(username)
    reads = [reverse("compliance:inspection", args=[inspection.pk]),
             reverse("compliance:finding_evidence", args=[finding.pk])]
    for url in reads:
        assert browser.get(url).status_code == 404, url
    for url in (f"/api/v1/inspections/{inspection.pk}", f"/api/v1/inspection-draws/"
                f"{inspection.draw_id}"):
        assert api.get(url).status_code == 404, url
    before = (Finding.objects.count(), Inspection.objects.get(pk=inspection.pk).version,
              AuditEvent.objects.count())
    for _, name, body in OWN_WRITES:
        response = browser.post(reverse(name, args=[inspection.pk]), body(inspection, finding))
        assert response.status_code == 404, name
    assert browser.post(reverse("compliance:finding_act", args=[finding.pk]), {
        "action": "verify", "version": finding.version}).status_code == 404
    today = timezone.localdate().isoformat()
    for url, body in ((f"/api/v1/inspections/{inspection.pk}/conclude",
                       {"version": inspection.version, "inspected_on": today, "outcome": "X"}),
                      (f"/api/v1/inspections/{inspection.pk}/findings",
                       {"description": "X", "deadline": today}),
                      (f"/api/v1/inspection-findings/{finding.pk}/act",
                       {"action": "verify", "version": finding.version})):
        assert api.post(url, body, content_type="application/json").status_code == 404, url
    assert before == (Finding.objects.count(), Inspection.objects.get(pk=inspection.pk).version,
                      AuditEvent.objects.count())


def test_the_city_reads_county_x_inspections_but_does_not_write_them(cast) -> None:
    inspection = _own_inspection(cast)
    browser = cast.browser("officer_city")
    page = browser.get(reverse("compliance:inspection", args=[inspection.pk]))
    assert page.status_code == 200 and "保存检查结果" not in page.content.decode()
    response = browser.post(reverse("compliance:issue_finding", args=[inspection.pk]),
                            {"description": "X", "deadline": timezone.localdate()})
    assert response.status_code == 404


def test_officer_x_writes_its_own_inspection(cast) -> None:
    inspection = _own_inspection(cast)
    browser = cast.browser("officer_x")
    page = browser.get(reverse("compliance:inspection", args=[inspection.pk])).content.decode()
    assert "保存检查结果" in page and "下达整改" in page
    response = browser.post(reverse("compliance:issue_finding", args=[inspection.pk]), {
        "description": "食品留样记录缺失", "deadline": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Finding.objects.filter(inspection=inspection, description="食品留样记录缺失").exists()
    home_page = cast.browser("nurse_a").get(reverse("compliance:inspection",
                                                    args=[inspection.pk])).content.decode()
    assert "食品留样记录缺失" in home_page and "提交整改" in home_page


def test_the_inspection_pages_render(cast) -> None:
    year = _draw(cast).year
    page = cast.browser("officer_x").get(reverse("compliance:inspections"),
                                         {"year": year}).content.decode()
    assert str(DRAW_SEED) in page and cast.home_of("nurse_a").name in page
    inspectors = cast.browser("officer_x").get(reverse("compliance:inspectors")).content.decode()
    assert "李建华" in inspectors
    home = cast.browser("nurse_a").get(reverse("compliance:inspections"),
                                       {"year": year}).content.decode()
    assert cast.home_of("nurse_a").name in home and "随机抽取" not in home
