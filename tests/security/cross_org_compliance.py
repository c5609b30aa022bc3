"""Cross-organisation routes of `compliance` (issue 10): obligations, hazards, inspections,
filings.

Home A's own rows (an obligation record with evidence, a rectified hazard with evidence, a filing
waiting for review) are what other organisations must not reach.  Inspections are regulators'
rows: the read routes address 杞县民政局's (officer_x's) inspection of home A; the regulator-write
routes address an inspection of home A by 开封市民政局 (officer_city's), so that officer_x, who
reads it, is refused the write like every regulator on another's rows.  The writes of officer_x
on its own inspection are checked in `tests/compliance/test_inspection_scope.py`, with the county
Y regulator and the other organisations.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.compliance import filing_services, inspection_services, services
from yiyang.compliance.models import (
    ClinicFiling,
    Finding,
    Hazard,
    Inspection,
    InspectionDraw,
    Inspector,
    ObligationRecord,
)

PDF = b"%PDF-1.4\n%%EOF\n"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    nurse_a, admin_a = cast.actor("nurse_a"), cast.actor("admin_a")
    today = timezone.localdate()
    w.extra["record"] = services.record_obligation(
        actor=nurse_a, obligation="fire_check", done_on=today, summary="X", evidence=_pdf())
    hazard = services.record_hazard(actor=nurse_a, found_on=today, place="X", description="X",
                                    deadline=today + timedelta(days=7))
    w.extra["hazard"] = services.act_on_hazard(actor=nurse_a, hazard_id=hazard.pk,
                                               action="rectify", version=hazard.version,
                                               note="X", evidence=_pdf())
    w.extra["filing"] = filing_services.file_clinic(
        actor=admin_a, kind=ClinicFiling.Kind.NURSING_STATION, name="X", head="X", services="X")
    # officer_x's (杞县民政局) inspection of home A, from the demo's draw
    w.extra["inspection"] = Inspection.objects.get(
        home=w.home_a, regulator_id=cast.actor("officer_x").org_id, draw__isnull=False)
    w.extra["own_finding"] = Finding.objects.filter(inspection=w.extra["inspection"]).first()
    # officer_city's (开封市民政局) inspection of home A, with a rectified finding
    city = cast.actor("officer_city")
    for name in ("X1", "X2"):
        inspection_services.add_inspector(actor=city, name=name)
    draw = inspection_services.make_draw(actor=city, year=today.year, percent=100,
                                         per_inspection=2, seed=1)
    w.extra["draw"] = InspectionDraw.objects.get(regulator_id=cast.actor("officer_x").org_id,
                                                 year=today.year)
    city_inspection = Inspection.objects.get(draw=draw, home=w.home_a)
    finding = inspection_services.issue_finding(actor=city, inspection_id=city_inspection.pk,
                                                description="X", deadline=today)
    w.extra["city_finding"] = inspection_services.act_on_finding(
        actor=admin_a, finding_id=finding.pk, action="rectify", version=finding.version,
        note="X")
    w.extra["city_inspection"] = city_inspection


def state(w: World) -> tuple:
    return (
        ObligationRecord.objects.count(), Hazard.objects.count(),
        Hazard.objects.get(pk=w.extra["hazard"].pk).version,
        ClinicFiling.objects.count(), ClinicFiling.objects.get(pk=w.extra["filing"].pk).version,
        Inspector.objects.count(), InspectionDraw.objects.count(), Inspection.objects.count(),
        Inspection.objects.get(pk=w.extra["city_inspection"].pk).version,
        Inspection.objects.get(pk=w.extra["inspection"].pk).version,
        Finding.objects.count(), Finding.objects.get(pk=w.extra["city_finding"].pk).version,
    )


HOME = {"org_id": lambda w: w.home_a.pk}
RECORD = {"pk": lambda w: w.extra["record"].pk}
HAZARD = {"pk": lambda w: w.extra["hazard"].pk}
FILING = {"pk": lambda w: w.extra["filing"].pk}
INSPECTION = {"pk": lambda w: w.extra["inspection"].pk}
CITY_INSPECTION = {"pk": lambda w: w.extra["city_inspection"].pk}
CITY_FINDING = {"pk": lambda w: w.extra["city_finding"].pk}
OWN_FINDING = {"pk": lambda w: w.extra["own_finding"].pk}
DRAW = {"pk": lambda w: w.extra["draw"].pk}


def _today() -> str:
    return timezone.localdate().isoformat()


ROUTES: dict[str, Route] = {
    # pages
    "compliance:obligations": Route("list"),
    "compliance:board": obj(**HOME),
    "compliance:record": Route("own", "post"),
    "compliance:record_evidence": obj(**RECORD),
    "compliance:hazards": Route("list"),
    "compliance:hazard_create": Route("own", "post"),
    "compliance:hazard": obj(**HAZARD),
    "compliance:hazard_act": obj("post", writes=True, body=lambda w: {
        "action": "verify", "version": w.extra["hazard"].version}, **HAZARD),
    "compliance:hazard_evidence": obj(**HAZARD),
    "compliance:inspections": Route("list"),
    "compliance:inspectors": Route("own"),
    "compliance:draw": Route("own", "post"),
    "compliance:inspection": obj(**INSPECTION),
    "compliance:conclude": obj("post", writes=True, body=lambda w: {
        "version": w.extra["city_inspection"].version, "inspected_on": _today(),
        "outcome": "X"}, **CITY_INSPECTION),
    "compliance:issue_finding": obj("post", writes=True, body=lambda w: {
        "description": "X", "deadline": _today()}, **CITY_INSPECTION),
    "compliance:finding_act": obj("post", writes=True, body=lambda w: {
        "action": "verify", "version": w.extra["city_finding"].version}, **CITY_FINDING),
    "compliance:finding_evidence": obj(**OWN_FINDING),
    "compliance:public": Route("public"),
    "compliance:filings": Route("list"),
    "compliance:filing_create": Route("own", "post"),
    "compliance:integrated": Route("list"),
    "compliance:filing": obj(**FILING),
    "compliance:filing_review": obj("post", writes=True, body=lambda w: {
        "action": "accept", "version": w.extra["filing"].version}, **FILING),
    # API
    "api:list_obligation_statuses": api_route("list"),
    "api:list_obligation_records": api_route("list"),
    "api:get_obligation_record": api_route("object", **RECORD),
    "api:create_obligation_record": api_route("own", "post", body=lambda w: {
        "obligation": "fire_check", "done_on": _today(), "summary": "X"}),
    "api:list_hazards": api_route("list"),
    "api:get_hazard": api_route("object", **HAZARD),
    "api:create_hazard": api_route("own", "post", body=lambda w: {
        "found_on": _today(), "place": "X", "description": "X", "deadline": _today()}),
    "api:act_on_hazard": api_route("object", "post", body=lambda w: {
        "action": "verify", "version": w.extra["hazard"].version}, **HAZARD),
    "api:list_inspections": api_route("list"),
    "api:get_inspection": api_route("object", **INSPECTION),
    "api:conclude_inspection": api_route("object", "post", body=lambda w: {
        "version": w.extra["city_inspection"].version, "inspected_on": _today(),
        "outcome": "X"}, **CITY_INSPECTION),
    "api:issue_finding": api_route("object", "post", body=lambda w: {
        "description": "X", "deadline": _today()}, **CITY_INSPECTION),
    "api:act_on_finding": api_route("object", "post", body=lambda w: {
        "action": "verify", "version": w.extra["city_finding"].version}, **CITY_FINDING),
    "api:list_inspection_draws": api_route("list"),
    "api:get_inspection_draw": api_route("object", **DRAW),
    "api:create_inspection_draw": api_route("own", "post", body=lambda w: {
        "year": timezone.localdate().year, "count": 1}),
    "api:list_clinic_filings": api_route("list"),
    "api:get_clinic_filing": api_route("object", **FILING),
    "api:create_clinic_filing": api_route("own", "post", body=lambda w: {
        "kind": "clinic", "name": "X", "head": "X", "services": "X"}),
    "api:review_clinic_filing": api_route("object", "post", body=lambda w: {
        "action": "accept", "version": w.extra["filing"].version}, **FILING),
}

# Home C has no inspection and sees no draw: these lists are checked for absence only.
NOT_OWN = {
    "api:list_inspections": lambda w: w.extra["inspection"].pk,
    "api:list_inspection_draws": lambda w: w.extra["draw"].pk,
}
ABSENT = {
    "api:list_obligation_statuses": lambda w: {f"{w.home_a.pk}:fire_check",
                                               f"{w.home_a.pk}:emergency_drill"},
    "api:list_obligation_records": lambda w: set(
        ObligationRecord.objects.filter(home=w.home_a).values_list("pk", flat=True)),
    "api:list_hazards": lambda w: set(
        Hazard.objects.filter(home=w.home_a).values_list("pk", flat=True)),
    "api:list_clinic_filings": lambda w: set(
        ClinicFiling.objects.filter(home=w.home_a).values_list("pk", flat=True)),
}
