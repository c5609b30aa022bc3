"""Clinic filings (seed 004: filed, not approved) and the per-county list of 医养结合 homes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yiyang.compliance import filing_services, queries
from yiyang.compliance.models import ClinicFiling
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_demo_filings(cast) -> None:
    a = ClinicFiling.objects.get(home=cast.home_of("nurse_a"))
    c = ClinicFiling.objects.get(home=cast.home_of("nurse_c"))
    assert (a.state, a.reviewer.name) == ("accepted", "杞县卫生健康委员会")
    assert c.state == "returned" and "执业医师" in c.review_note


def test_file_review_and_refusals(cast) -> None:
    admin_a = cast.actor("admin_a")
    f = filing_services.file_clinic(actor=admin_a, kind="nursing_station", name="颐养园护理站",
                                    head="李秀梅", nurses=3, services="基础护理、康复护理")
    with pytest.raises(ValidationFailed, match="等待卫生健康部门审核"):
        filing_services.file_clinic(actor=admin_a, kind="clinic", name="X", head="X",
                                    services="X")
    with pytest.raises(Forbidden):  # nurses do not file
        filing_services.file_clinic(actor=cast.actor("nurse_a"), kind="clinic", name="X",
                                    head="X", services="X")
    with pytest.raises(Forbidden, match="卫生健康部门"):  # civil affairs reads, does not review
        filing_services.review_filing(actor=cast.actor("officer_x"), filing_id=f.pk,
                                      action="accept", version=f.version)
    with pytest.raises(NotFound):
        filing_services.review_filing(actor=cast.actor("admin_c"), filing_id=f.pk,
                                      action="accept", version=f.version)
    xh = cast.actor("officer_xh")
    with pytest.raises(ValidationFailed, match="写明理由"):
        filing_services.review_filing(actor=xh, filing_id=f.pk, action="return",
                                      version=f.version)
    f = filing_services.review_filing(actor=xh, filing_id=f.pk, action="accept",
                                      version=f.version)
    assert (f.state, f.reviewer_id) == ("accepted", xh.org_id)
    with pytest.raises(ValidationFailed, match="不能重复审核"):
        filing_services.review_filing(actor=xh, filing_id=f.pk, action="return",
                                      version=f.version, reason="X")
    with pytest.raises(ValidationFailed, match="已经备案"):
        filing_services.file_clinic(actor=admin_a, kind="nursing_station", name="X", head="X",
                                    services="X")


def test_integrated_institutions_per_county(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    blocks = queries.integrated_by_county(cast.actor("officer_x"))
    assert [b.name for b in blocks] == ["杞县"]
    names = {r.home.name for b in blocks for r in b.rows}
    assert home_a.name in names  # accepted filing and agreements in force
    row = next(r for b in blocks for r in b.rows if r.home.pk == home_a.pk)
    assert row.filing is not None and row.agreements >= 1
    city = queries.integrated_by_county(cast.actor("officer_city"))
    # home C's filing was returned: it counts only if it has an agreement in force
    in_city = {r.home.pk for b in city for r in b.rows}
    assert home_a.pk in in_city
    assert (home_c.pk in in_city) == any(r.agreements for b in city for r in b.rows
                                         if r.home.pk == home_c.pk)
    page = cast.browser("officer_x").get(reverse("compliance:integrated")).content.decode()
    assert home_a.name in page and "杞县" in page


def test_the_filing_pages(cast) -> None:
    f = ClinicFiling.objects.get(home=cast.home_of("nurse_c"))
    page = cast.browser("admin_c").get(reverse("compliance:filing", args=[f.pk])).content.decode()
    assert "已退回" in page and "执业医师" in page
    assert cast.browser("admin_a").get(reverse("compliance:filing",
                                               args=[f.pk])).status_code == 404
    queue = cast.browser("officer_xh").get(reverse("compliance:filings")).content.decode()
    assert cast.home_of("nurse_a").name in queue and cast.home_of("nurse_c").name not in queue
    response = cast.api("admin_a").post("/api/v1/clinic-filings", {
        "kind": "nursing_station", "name": "护理站", "head": "X", "services": "护理"},
        content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    reviewed = cast.api("officer_xh").post(f"/api/v1/clinic-filings/{pk}/review", {
        "action": "return", "version": 1, "reason": "缺少护士执业证书"},
        content_type="application/json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "returned"
