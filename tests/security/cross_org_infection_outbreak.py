"""Cross-organisation routes of infection surveillance, outbreaks, the reporting chain and
isolation sites (issue 7 items 1-3, 6-8). See `registry.py` for the interface.

Objects of home A / county X: the demo's open outbreak of home A, its report to officer_x
(`report`), the upward report county X → city (`city_report`: addressed to the city, so
officer_x reads it but may not act on it), a symptom check and a test of home A's resident, and
a site the city set up to serve county X (officer_x reads it, only the city changes it)."""

from __future__ import annotations

from tests.security.registry import Route, World, api_route, obj
from yiyang.infection import outbreak_reports, outbreak_services
from yiyang.infection.models import (
    IsolationSite,
    LineListEntry,
    Outbreak,
    OutbreakEvent,
    OutbreakReport,
    Placement,
    SymptomCheck,
    TestResult,
)
from yiyang.residents.models import OPEN_STATUSES, Stay


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    home_a = w.home_a
    outbreak = Outbreak.objects.filter(home=home_a).exclude(state="closed").first()
    if outbreak is None:
        stay = Stay.objects.filter(home=home_a, status__in=OPEN_STATUSES).first()
        outbreak = outbreak_services.record_test(
            actor=cast.actor("nurse_a"), kind="antigen", result="positive",
            person_id=stay.person_id).outbreak
    w.extra["outbreak"] = outbreak
    w.extra["report"] = OutbreakReport.objects.get(outbreak=outbreak, parent__isnull=True)
    city = cast.actor("officer_city")
    w.extra["city_report"] = OutbreakReport.objects.filter(
        outbreak=outbreak, to_org_id=city.org_id).first() or outbreak_reports.forward(
        actor=cast.actor("officer_x"), report_id=w.extra["report"].pk,
        version=w.extra["report"].version)
    w.extra["check"] = outbreak_services.record_symptom_check(
        actor=cast.actor("nurse_a"), person_id=w.stay.person_id, temperature="36.8", spo2=97)
    w.extra["test"] = outbreak_services.record_test(
        actor=cast.actor("nurse_a"), kind="antigen", result="negative",
        person_id=w.stay.person_id)
    w.extra["site"] = outbreak_reports.create_site(
        actor=city, name="开封市集中健康监测点（杞县分点）", kind="monitoring", capacity=30,
        serves="410221")


def state(w: World) -> tuple:
    return (
        SymptomCheck.objects.count(), TestResult.objects.count(), Outbreak.objects.count(),
        OutbreakEvent.objects.count(), LineListEntry.objects.count(),
        Placement.objects.count(), OutbreakReport.objects.count(),
        IsolationSite.objects.count(),
        Outbreak.objects.get(pk=w.extra["outbreak"].pk).version,
        OutbreakReport.objects.get(pk=w.extra["report"].pk).version,
        OutbreakReport.objects.get(pk=w.extra["city_report"].pk).version,
        IsolationSite.objects.get(pk=w.extra["site"].pk).version,
    )


OUTBREAK = {"pk": lambda w: w.extra["outbreak"].pk}
REPORT = {"pk": lambda w: w.extra["report"].pk}
CITY_REPORT = {"pk": lambda w: w.extra["city_report"].pk}
CHECK = {"pk": lambda w: w.extra["check"].pk}
TEST = {"pk": lambda w: w.extra["test"].pk}
SITE = {"pk": lambda w: w.extra["site"].pk}


def _act_body(w: World) -> dict:
    return {"action": "transfer", "version": Outbreak.objects.get(
        pk=w.extra["outbreak"].pk).version, "note": "经评估无需转运"}


def _forward_body(w: World) -> dict:
    return {"action": "forward", "version": OutbreakReport.objects.get(
        pk=w.extra["city_report"].pk).version}


ROUTES: dict[str, Route] = {
    "infection:surveillance": Route("list"),
    "infection:record_check": Route("own", "post"),
    "infection:record_test": Route("own", "post"),
    "infection:round": obj(writes=True, building_id=lambda w: w.stay.bed.room.building_id),
    "infection:outbreaks": Route("list"),
    "infection:outbreak": obj(**OUTBREAK),
    "infection:outbreak_act": obj("post", body=_act_body, writes=True, **OUTBREAK),
    # an export (a read, audited): regulators of the region may download it
    "infection:outbreak_export": obj("post", **OUTBREAK),
    "infection:control": Route("own", "post"),
    "infection:inbox": Route("list"),
    "infection:report_act": obj("post", body=_forward_body, writes=True, **CITY_REPORT),
    "infection:sites": Route("list"),
    "infection:site_create": Route("own", "post"),
    "api:list_symptom_checks": api_route("list"),
    "api:get_symptom_check": api_route("object", **CHECK),
    "api:create_symptom_check": api_route("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "temperature": "37.0", "spo2": 96}),
    "api:list_infection_tests": api_route("list"),
    "api:get_infection_test": api_route("object", **TEST),
    "api:create_infection_test": api_route("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "kind": "antigen", "result": "negative"}),
    "api:list_outbreaks": api_route("list"),
    "api:get_outbreak": api_route("object", **OUTBREAK),
    "api:act_outbreak": api_route("object", "post", body=_act_body, **OUTBREAK),
    "api:list_outbreak_reports": api_route("list"),
    "api:get_outbreak_report": api_route("object", **REPORT),
    "api:act_outbreak_report": api_route("object", "post", body=_forward_body, **CITY_REPORT),
    "api:list_isolation_sites": api_route("list"),
    "api:get_isolation_site": api_route("object", **SITE),
    "api:create_isolation_site": api_route("own", "post", body=lambda w: {
        "name": "X", "kind": "isolation", "capacity": 10}),
    "api:update_isolation_site": api_route("object", "patch", body=lambda w: {
        "version": IsolationSite.objects.get(pk=w.extra["site"].pk).version, "name": "改名",
        "kind": "isolation", "capacity": 10}, **SITE),
}

# Symptom checks and test results are clinical: the partner doctor reads them.
PARTNER_READS = frozenset({"api:get_symptom_check", "api:get_infection_test"})
# Home C has no outbreak and no reports; the officer of county Y sees none of county X's.
NOT_OWN = {
    "api:list_outbreaks": lambda w: w.extra["outbreak"].pk,
    "api:list_outbreak_reports": lambda w: w.extra["report"].pk,
}
ABSENT = {
    "api:list_symptom_checks": lambda w: {w.extra["check"].pk},
    "api:list_infection_tests": lambda w: {w.extra["test"].pk},
    "api:list_isolation_sites": lambda w: {w.extra["site"].pk},
}
LIST_VIEWER = {"infection:inbox": "officer_y"}

