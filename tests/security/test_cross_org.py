"""The cross-organisation suite (STYLE "Tests"): every page and API route is in `ROUTES`.

A route missing from the registry fails `test_every_route_is_registered`, so nobody adds an
endpoint without saying how it is scoped. For each object route we check that another home
(`nurse_c`) and an unrelated institution (`doctor_d`) get 404 on home A's objects, that the
county regulator (`officer_x`) can read inside county X but never write, and that anonymous
API calls get 401.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.assessments.helpers import top
from tests.security.registry import Route, World, api_route, obj
from yiyang.agreements import family_bed_rules as bed_rules
from yiyang.agreements import family_bed_services, patrol_services
from yiyang.agreements import services as agreement_services
from yiyang.agreements.models import (
    Agreement,
    AgreementEvent,
    FamilyBed,
    FamilyBedRound,
    FeeEntry,
    PatrolResident,
    PatrolVisit,
    Referral,
    ServiceRecord,
)
from yiyang.assessments import services as assessment_services
from yiyang.assessments.models import AdmissionAssessment, Assessment, ReassessmentTrigger
from yiyang.core.models import AuditEvent
from yiyang.interop.models import ImportJob
from yiyang.medication import services as medication_services
from yiyang.medication.models import MedicationOrder
from yiyang.orgs.models import Bed, Building, Membership, NursingHome, Organisation, Room
from yiyang.residents import services as resident_services
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    FollowUpPolicy,
    FollowUpRecord,
    HealthProfile,
    Person,
    Stay,
    Vaccination,
)


def _resident_stay(cast, home_a: NursingHome) -> Stay:  # type: ignore[no-untyped-def]
    stay = Stay.objects.filter(home=home_a, status__in=OPEN_STATUSES).first()
    if stay is None:  # the demo residents may not be built: admit one
        actor = cast.actor("admin_a")
        bed = Bed.objects.filter(home=home_a).exclude(stays__status__in=OPEN_STATUSES).first()
        stay = resident_services.admit_resident(actor=actor, home_id=home_a.pk, bed_id=bed.pk,
                                                name="单春生", id_number="410221194403150036")
    return stay


def _assessments(cast, stay: Stay) -> tuple[Assessment, Assessment]:  # type: ignore[no-untyped-def]
    """A finalised and a draft Morse record of the stay's resident, made by nurse_a."""
    nurse = cast.actor("nurse_a")
    final = assessment_services.start(actor=nurse, person_id=stay.person_id, instrument="morse",
                                      answers=top("morse"))
    final = assessment_services.finalise(actor=nurse, assessment_id=final.pk,
                                         version=final.version)
    draft = assessment_services.start(actor=nurse, person_id=stay.person_id,
                                      instrument="braden", answers={})
    return final, draft


def _agreement(cast, home_a: NursingHome) -> Agreement:  # type: ignore[no-untyped-def]
    """A published agreement of home A with med_r, whose text is the demo's signed document."""
    admin_a, admin_med_r = cast.actor("admin_a"), cast.actor("admin_med_r")
    today = timezone.localdate()
    a = agreement_services.create_draft(
        actor=admin_a, counterpart_id=admin_med_r.org_id, items=[6, 7, 11, 13, 16],
        modes=["patrol", "referral"],
        start_on=today - timedelta(days=30), end_on=today + timedelta(days=335),
        home_duties="提供场地", medical_duties="定期巡诊", fee="0", patrol_interval_days=30)
    a = agreement_services.act(actor=admin_a, agreement_id=a.pk, action="confirm_home",
                               version=a.version)
    a = agreement_services.act(actor=admin_med_r, agreement_id=a.pk, action="confirm_medical",
                               version=a.version)
    signed = Agreement.objects.exclude(signed_document="").values_list("signed_document",
                                                                       flat=True).first()
    Agreement.objects.filter(pk=a.pk).update(signed_document=signed)
    for action in ("sign", "publish"):
        a = agreement_services.act(actor=admin_a, agreement_id=a.pk, action=action,
                                   version=a.version)
    return a


def world(cast, name: str | None = None) -> World:  # type: ignore[no-untyped-def]
    """Home A's base objects plus those of the plugin that registers route `name` (of every
    plugin when no name is given): a test builds only what its route needs."""
    w = _base_world(cast)
    for plugin in PLUGINS:
        if name is None or name in plugin.ROUTES:
            plugin.build(cast, w)
            w.built.append(plugin)
    return w


def _base_world(cast) -> World:  # type: ignore[no-untyped-def]
    home_a = cast.home_of("nurse_a")
    stay = _resident_stay(cast, home_a)
    bed = Bed.objects.filter(home=home_a).select_related("room__building").first()
    free_bed = Bed.objects.filter(home=home_a).exclude(stays__status__in=OPEN_STATUSES).first()
    final, draft = _assessments(cast, stay)
    agreement = _agreement(cast, home_a)
    med_r = cast.actor("admin_med_r")
    other = (Stay.objects.filter(home=home_a, status__in=OPEN_STATUSES)
             .exclude(person_id=stay.person_id)
             .exclude(person_id__in=FamilyBed.objects.filter(state="opened")
                      .values("person_id")).first())
    return World(home_a=home_a, home_c=cast.home_of("nurse_c"), building=bed.room.building,
                 room=bed.room, bed=bed, nurse_a=cast.membership("nurse_a"), stay=stay,
                 free_bed=free_bed, final=final, draft=draft, agreement=agreement,
                 referral=agreement_services.request_referral(
                     actor=cast.actor("admin_a"), agreement_id=agreement.pk,
                     person_id=stay.person_id, kind="up", reason="X"),
                 patrol_visit=patrol_services.record_patrol_visit(
                     actor=med_r, agreement_id=agreement.pk, visited_on=timezone.localdate(),
                     doctors="X", person_ids=[stay.person_id]),
                 family_bed=family_bed_services.open_family_bed(
                     actor=med_r, agreement_id=agreement.pk, person_id=other.person_id,
                     diagnosis="X", criteria=[c.code for c in bed_rules.CRITERIA],
                     responsible_doctor="X"),
                 medication_order=medication_services.prescribe(
                     actor=cast.actor("hdoc_a"), person_id=stay.person_id, drug="X",
                     dose="1 片", route="oral", frequency="qd",
                     start_on=timezone.localdate()))


_obj, _api = obj, api_route

# The per-app registries (see registry.py), in file-name order.
PLUGINS = [importlib.import_module(f"tests.security.{path.stem}")
           for path in sorted(Path(__file__).parent.glob("cross_org_*.py"))]


def _merged(attr: str, empty):  # type: ignore[no-untyped-def]
    merged = type(empty)(empty)
    for plugin in PLUGINS:
        extra = getattr(plugin, attr, empty)
        if isinstance(merged, dict):
            clash = merged.keys() & extra.keys()
            assert not clash, f"{plugin.__name__} registers {sorted(clash)} again"
            merged.update(extra)
        else:
            merged |= extra
    return merged


HOME = {"org_id": lambda w: w.home_a.pk}
BUILDING = {"building_id": lambda w: w.building.pk}
ROOM = {"room_id": lambda w: w.room.pk}
BED = {"bed_id": lambda w: w.bed.pk}
STAFF = {"membership_id": lambda w: w.nurse_a.pk}
PERSON = {"person_id": lambda w: w.stay.person_id}


def _import_job_of(home: NursingHome) -> ImportJob:
    """A checked (confirmable) import job of home A."""
    job, _ = ImportJob.objects.get_or_create(
        home=home, file_name="cross-org.xlsx",
        defaults={"region_code": home.region_code, "file_size": 1, "file_sha256": "0" * 64,
                  "status": ImportJob.Status.CHECKED, "created_by": "nurse_a"})
    return job


IMPORT_JOB = {"job_id": lambda w: _import_job_of(w.home_a).pk}
FINAL = {"pk": lambda w: w.final.pk}
AGREEMENT = {"pk": lambda w: w.agreement.pk}
VISIT = {"pk": lambda w: w.patrol_visit.pk}
FAMILY_BED = {"pk": lambda w: w.family_bed.pk}
REFERRAL = {"pk": lambda w: w.referral.pk}
DRAFT = {"pk": lambda w: w.draft.pk}
ORDER = {"pk": lambda w: w.medication_order.pk}

ROUTES: dict[str, Route] = {
    "web:login": Route("public"),
    "web:logout": Route("public", "post"),
    "web:dashboard": Route("own"),
    "web:switch": Route("own", "post"),
    "web:audit": Route("list"),
    "orgs:my_org": Route("own"),
    "orgs:directory": Route("list"),
    "orgs:facilities": Route("own"),
    "orgs:building_create": Route("own", "post"),
    "orgs:staff": Route("list"),
    "orgs:staff_create": Route("own"),
    "orgs:detail": _obj(**HOME),
    "orgs:edit": _obj(writes=True, **HOME),
    "orgs:home_facilities": _obj(**HOME),
    "orgs:building_edit": _obj(writes=True, **BUILDING),
    "orgs:building_delete": _obj("post", writes=True, **BUILDING),
    "orgs:room_create": _obj("post", body=lambda w: {"number": "X1", "floor": 1}, writes=True,
                             **BUILDING),
    "orgs:room_edit": _obj(writes=True, **ROOM),
    "orgs:room_delete": _obj("post", writes=True, **ROOM),
    "orgs:bed_create": _obj("post", body=lambda w: {"label": "X"}, writes=True, **ROOM),
    "orgs:bed_edit": _obj(writes=True, **BED),
    "orgs:bed_delete": _obj("post", writes=True, **BED),
    "orgs:staff_edit": _obj(writes=True, **STAFF),
    "orgs:staff_password": _obj(writes=True, **STAFF),
    "orgs:staff_reveal_phone": _obj("post", writes=True, **STAFF),
    "interop:imports": Route("list"),
    "interop:residents_template": Route("own"),
    "interop:residents_export": Route("own", "post"),
    "interop:register_export": Route("own", "post"),
    "interop:import_job": _obj(**IMPORT_JOB),
    "interop:import_progress": _obj(**IMPORT_JOB),
    "interop:import_confirm": _obj("post", writes=True, **IMPORT_JOB),
    "assessments:list": Route("list"),
    "assessments:due": Route("list"),
    "assessments:detail": _obj(**FINAL),
    "assessments:report_pdf": _obj(**FINAL),
    "assessments:answer": _obj("post", writes=True, body=lambda w: {"1": "4"}, **DRAFT),
    "assessments:finalise": _obj("post", writes=True,
                                 body=lambda w: {"version": w.draft.version}, **DRAFT),
    "assessments:discard": _obj("post", writes=True,
                                body=lambda w: {"version": w.draft.version}, **DRAFT),
    "assessments:correct": _obj("post", writes=True, body=lambda w: {"note": "X"}, **FINAL),
    "assessments:history": _obj(**PERSON),
    "assessments:start": _obj("post", writes=True, body=lambda w: {
        "instrument": "morse", "reason": "routine", "assessed_on": "2026-01-01"}, **PERSON),
    "assessments:trigger": _obj("post", writes=True, body=lambda w: {
        "kind": "fall", "occurred_on": "2026-01-01"}, **PERSON),
    "assessments:admission": _obj(stay_id=lambda w: w.stay.pk),
    "agreements:list": Route("list"),
    "agreements:create": Route("own"),
    "agreements:public": Route("public"),
    "agreements:detail": _obj(**AGREEMENT),
    "agreements:document": _obj(**AGREEMENT),
    "agreements:record_service": _obj("post", writes=True, body=lambda w: {
        "kind": "training", "delivered_on": timezone.localdate().isoformat(), "topic": "X",
        "people": 1}, **AGREEMENT),
    "agreements:request_referral": _obj("post", writes=True, body=lambda w: {
        "person_id": w.stay.person_id, "kind": "up", "reason": "X"}, **AGREEMENT),
    "agreements:act_referral": _obj("post", writes=True, body=lambda w: {
        "action": "cancel", "version": w.referral.version, "reason": "X"},
        pk=lambda w: w.referral.pk),
    "agreements:record_fee": _obj("post", writes=True, body=lambda w: {
        "kind": "receipt", "entry_on": timezone.localdate().isoformat(), "amount": "100",
        "note": "X"}, **AGREEMENT),
    "agreements:act": _obj("post", writes=True, body=lambda w: {
        "action": "terminate", "version": w.agreement.version, "reason": "X"}, **AGREEMENT),
    "agreements:record_patrol": _obj("post", writes=True, body=lambda w: {
        "visited_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "doctors": "X",
        "person_ids": [w.stay.person_id]}, **AGREEMENT),
    # medication
    "medication:list": Route("list"),
    "medication:person": _obj(**PERSON),
    "medication:prescribe": _obj(writes=True, **PERSON),
    "medication:detail": _obj(**ORDER),
    "medication:stop": _obj("post", writes=True, body=lambda w: {
        "version": w.medication_order.version, "reason": "X"}, **ORDER),
    "api:list_medication_orders": _api("list"),
    "api:get_medication_order": _api("object", **ORDER),
    "api:prescribe_medication_order": _api("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "drug": "X", "dose": "1 片", "route": "oral",
        "frequency": "qd", "start_on": timezone.localdate().isoformat()}),
    "api:stop_medication_order": _api("object", "post", body=lambda w: {
        "version": w.medication_order.version, "reason": "X"}, **ORDER),
    "agreements:patrol_visit": _obj(**VISIT),
    "agreements:patrol_order": _obj("post", writes=True, body=lambda w: {
        "person_id": w.stay.person_id, "drug": "X", "dose": "1 片", "route": "oral",
        "frequency": "qd", "times": "08:00", "start_on": timezone.localdate().isoformat()},
        **VISIT),
    "agreements:family_beds": Route("list"),
    "agreements:family_bed": _obj(**FAMILY_BED),
    "agreements:open_family_bed": _obj("post", writes=True, body=lambda w: {
        "person_id": w.stay.person_id, "diagnosis": "X", "responsible_doctor": "X",
        "criteria": [c.code for c in bed_rules.CRITERIA], "round_interval_days": 7,
        "opened_on": timezone.localdate().isoformat()}, **AGREEMENT),
    "agreements:family_bed_round": _obj("post", writes=True, body=lambda w: {
        "done_on": timezone.localdate().isoformat(), "findings": "X"}, **FAMILY_BED),
    "agreements:close_family_bed": _obj("post", writes=True, body=lambda w: {
        "version": w.family_bed.version, "outcome": "recovered",
        "closed_on": timezone.localdate().isoformat()}, **FAMILY_BED),
    "api:list_patrol_visits": _api("list"),
    "api:get_patrol_visit": _api("object", **VISIT),
    "api:create_patrol_visit": _api("object", "post", body=lambda w: {
        "agreement_id": w.agreement.pk, "visited_on": timezone.localdate().isoformat(),
        "doctors": "X", "person_ids": [w.stay.person_id]}),
    "api:create_patrol_order": _api("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "drug": "X", "dose": "1 片", "route": "oral",
        "frequency": "qd", "times": ["08:00"]}, **VISIT),
    "api:list_referrals": _api("list"),
    "api:get_referral": _api("object", **REFERRAL),
    "api:create_referral": _api("object", "post", body=lambda w: {
        "agreement_id": w.agreement.pk, "person_id": w.stay.person_id, "kind": "up",
        "reason": "X"}),
    "api:act_on_referral": _api("object", "post", body=lambda w: {
        "action": "cancel", "version": w.referral.version, "reason": "X"}, **REFERRAL),
    "api:list_family_beds": _api("list"),
    "api:get_family_bed": _api("object", **FAMILY_BED),
    "api:open_family_bed": _api("object", "post", body=lambda w: {
        "agreement_id": w.agreement.pk, "person_id": w.stay.person_id, "diagnosis": "X",
        "criteria": [c.code for c in bed_rules.CRITERIA], "responsible_doctor": "X"}),
    "api:create_family_bed_round": _api("object", "post", body=lambda w: {
        "done_on": timezone.localdate().isoformat(), "findings": "X"}, **FAMILY_BED),
    "api:close_family_bed": _api("object", "post", body=lambda w: {
        "version": w.family_bed.version, "outcome": "recovered"}, **FAMILY_BED),
    "api:list_agreements": _api("list"),
    "api:get_agreement": _api("object", **AGREEMENT),
    "api:act_on_agreement": _api("object", "post", body=lambda w: {
        "action": "terminate", "version": w.agreement.version, "reason": "X"}, **AGREEMENT),
    "api:list_assessments": _api("list"),
    "api:get_assessment": _api("object", **FINAL),
    "api:create_draft": _api("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "instrument": "morse"}),
    "api:finalise": _api("object", "post", body=lambda w: {"version": w.draft.version}, **DRAFT),
    "residents:list": Route("list"),
    "residents:admit": Route("own"),
    "residents:bed_board": Route("own"),
    "residents:register": Route("list"),
    "residents:detail": _obj(**PERSON),
    "residents:edit": _obj(writes=True, **PERSON),
    "residents:profile": _obj(writes=True, **PERSON),
    "residents:reveal": _obj("post", writes=True, **PERSON),
    "residents:change_stay": _obj("post", writes=True, body=lambda w: {
        "version": w.stay.version, "event": "leave"}, stay_id=lambda w: w.stay.pk, **PERSON),
    "residents:add_condition": _obj("post", writes=True, body=lambda w: {
        "code": "HTN", "status": "unstable", "judged_on": "2026-01-01", "judged_by": "X"},
        **PERSON),
    "residents:add_vaccination": _obj("post", writes=True, body=lambda w: {
        "kind": "deferral", "given_on": "2026-01-01", "reason": "X"}, **PERSON),
    "residents:add_contact": _obj("post", writes=True, body=lambda w: {
        "kind": "family", "name": "X"}, **PERSON),
    "residents:handover_card": _obj(**PERSON),
    "residents:follow_ups": Route("list"),
    "residents:follow_up_policy": Route("own"),
    "residents:record_follow_up": _obj("post", writes=True, body=lambda w: {
        "done_on": "2026-01-01", "method": "phone", "findings": "X"}, **PERSON),
    "residents:photo": _obj("post", writes=True, **PERSON),
    "residents:photo_file": _obj(**PERSON),
    # The building of the stay's bed: one with at least one resident, so the PDF is not empty.
    "residents:building_handover": _obj(building_id=lambda w: w.stay.bed.room.building_id),
    "api:list_residents": _api("list"),
    "api:get_resident": _api("object", **PERSON),
    "api:create_resident": _api("object", "post", body=lambda w: {
        "home_id": w.home_a.pk, "bed_id": w.free_bed.pk, "name": "越权",
        "id_number": "11010519491231002X"}),
    "api:update_resident": _api("object", "patch", body=lambda w: {
        "version": w.stay.person.version, "address": "X"}, **PERSON),
    "api:reveal_resident": _api("object", "post", **PERSON),
    "api:openapi-json": Route("public", api=True),
    "api:openapi-view": Route("public", api=True),
    "api:api-root": Route("public", api=True),
    "api:me": _api("own"),
    "api:list_regions": _api("own"),
    "api:get_region": _api("own", region_id=lambda w: w.home_a.region_id),
    "api:list_organisations": _api("list"),
    "api:get_organisation": _api("object", **HOME),
    "api:update_organisation": _api("object", "patch", body=lambda w: {"version": w.home_a.version,
                                                                       "name": "改名"}, **HOME),
    "api:list_buildings": _api("list"),
    "api:create_building": _api("object", "post",
                                body=lambda w: {"home_id": w.home_a.pk, "name": "越权楼"}),
    "api:get_building": _api("object", **BUILDING),
    "api:update_building": _api("object", "patch",
                                body=lambda w: {"version": w.building.version, "note": "x"},
                                **BUILDING),
    "api:delete_building": _api("object", "delete", **BUILDING),
    "api:list_rooms": _api("list"),
    "api:create_room": _api("object", "post",
                            body=lambda w: {"building_id": w.building.pk, "number": "X9"}),
    "api:get_room": _api("object", **ROOM),
    "api:update_room": _api("object", "patch",
                            body=lambda w: {"version": w.room.version, "number": "X8"}, **ROOM),
    "api:delete_room": _api("object", "delete", **ROOM),
    "api:list_beds": _api("list"),
    "api:create_bed": _api("object", "post", body=lambda w: {"room_id": w.room.pk, "label": "X"}),
    "api:get_bed": _api("object", **BED),
    "api:update_bed": _api("object", "patch",
                           body=lambda w: {"version": w.bed.version, "label": "X7"}, **BED),
    "api:delete_bed": _api("object", "delete", **BED),
    "api:list_staff": _api("list"),
    "api:get_staff": _api("object", **STAFF),
}
_base_routes = len(ROUTES)
ROUTES = {**ROUTES, **_merged("ROUTES", {})}
assert len(ROUTES) == _base_routes + sum(len(p.ROUTES) for p in PLUGINS), "a route twice"


def all_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                names.add(f"{namespace}:{p.name}" if namespace else str(p.name))

    walk(get_resolver().url_patterns, None)
    return names


def test_every_route_is_registered() -> None:
    names = {n for n in all_route_names() if not n.startswith("admin:")}
    assert names - ROUTES.keys() == set(), "add the new routes to ROUTES with their scope"
    assert ROUTES.keys() - names == set(), "ROUTES names a route that no longer exists"


def _call(client: Client, route: Route, name: str, w: World):  # type: ignore[no-untyped-def]
    url = reverse(name, kwargs=route.kwargs(w))
    body = route.body(w) if route.body else {}
    if route.api and route.method in ("post", "patch"):
        return getattr(client, route.method)(url, body, content_type="application/json")
    return getattr(client, route.method)(url, body)


def _client(cast, username: str, route: Route) -> Client:  # type: ignore[no-untyped-def]
    return cast.api(username) if route.api else cast.browser(username)


def _state(w: World) -> tuple:
    """Everything a forbidden write could have touched."""
    return (
        AuditEvent.objects.count(),
        Building.objects.count(), Room.objects.count(), Bed.objects.count(),
        Building.objects.get(pk=w.building.pk).version, Room.objects.get(pk=w.room.pk).version,
        Bed.objects.get(pk=w.bed.pk).version, Organisation.objects.get(pk=w.home_a.pk).version,
        Membership.objects.get(pk=w.nurse_a.pk).version,
        Person.objects.count(), Stay.objects.count(), Condition.objects.count(),
        Vaccination.objects.count(), Contact.objects.count(),
        Person.objects.get(pk=w.stay.person_id).version, Stay.objects.get(pk=w.stay.pk).version,
        HealthProfile.objects.get(person_id=w.stay.person_id).version,
        FollowUpRecord.objects.count(), FollowUpPolicy.objects.count(),
        Person.objects.get(pk=w.stay.person_id).photo.name,
        Assessment.objects.count(), Assessment.objects.get(pk=w.draft.pk).version,
        Assessment.objects.get(pk=w.final.pk).version, ReassessmentTrigger.objects.count(),
        AdmissionAssessment.objects.count(),
        Agreement.objects.count(), Agreement.objects.get(pk=w.agreement.pk).version,
        AgreementEvent.objects.count(), PatrolVisit.objects.count(), FeeEntry.objects.count(),
        Referral.objects.count(), Referral.objects.get(pk=w.referral.pk).version,
        ServiceRecord.objects.count(), PatrolResident.objects.count(),
        FamilyBed.objects.count(), FamilyBedRound.objects.count(),
        FamilyBed.objects.get(pk=w.family_bed.pk).version,
        MedicationOrder.objects.count(),
        MedicationOrder.objects.get(pk=w.medication_order.pk).version,
        *(item for plugin in w.built if hasattr(plugin, "state") for item in plugin.state(w)),
    )


OBJECT_ROUTES = sorted(n for n, r in ROUTES.items() if r.kind == "object")
WRITE_ROUTES = sorted(n for n, r in ROUTES.items() if r.kind == "object" and r.writes)
LIST_ROUTES = sorted(n for n, r in ROUTES.items() if r.kind == "list")


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d", "worker_u"])
@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_other_organisations_get_404_on_home_a_objects(cast, name: str, username: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    client = _client(cast, username, route)
    before = _state(w)
    response = _call(client, route, name, w)
    assert response.status_code == 404, response.content[:300]
    assert _state(w) == before


# doctor_b's institution holds an active agreement with home A (issue 8): it reads the clinical
# part of home A's residents and the organisation's card, nothing of the home's own business,
# and writes nothing.
PARTNER_READS = frozenset({
    "api:get_assessment", "api:get_organisation", "api:get_resident",
    "assessments:admission", "assessments:detail", "assessments:history",
    "assessments:report_pdf", "orgs:detail", "orgs:home_facilities", "residents:detail",
    "residents:handover_card", "residents:photo_file",
    "medication:person", "medication:detail", "api:get_medication_order",
}) | _merged("PARTNER_READS", frozenset())
# A partner doctor also prescribes for and stops orders of home A's residents (issue 6 item 5).
PARTNER_WRITES = frozenset({
    "medication:prescribe", "medication:stop", "api:prescribe_medication_order",
    "api:stop_medication_order",
}) | _merged("PARTNER_WRITES", frozenset())
# ImportJob is scoped as clinical data, so the partner reads home A's import jobs, whose preview
# carries (masked) ID numbers.  Owned by interop (not changed here): it should be admin data.
@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_partner_doctor_reads_clinical_records_only(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    client = _client(cast, "doctor_b", route)
    before = _state(w)
    response = _call(client, route, name, w)
    if name in PARTNER_READS:
        assert response.status_code == 200, response.content[:300]
        return
    if name in PARTNER_WRITES:
        assert response.status_code in (200, 201, 302), response.content[:300]
        return
    assert response.status_code in ((403, 404) if route.writes else (404,)), \
        response.content[:300]
    assert _state(w) == before


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_regulator_cannot_write(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    client = _client(cast, "officer_x", route)
    before = _state(w)
    response = _call(client, route, name, w)
    if route.method == "get":  # an edit form: not even shown
        assert response.status_code in (403, 404)
    else:
        assert response.status_code in (403, 404), response.content[:300]
    assert _state(w) == before


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items()
                                        if r.kind == "object" and not r.writes))
def test_regulator_reads_inside_its_county_only(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    assert _call(_client(cast, "officer_x", route), route, name, w).status_code == 200
    assert _call(_client(cast, "officer_city", route), route, name, w).status_code == 200
    # officer_x's county is X; home C lies in county Y.
    if "org_id" in route.kwargs(w):
        url = reverse(name, kwargs={"org_id": w.home_c.pk})
        assert _client(cast, "officer_x", route).get(url).status_code == 404


# Home C has no agreement in force, so it has no visits, referrals or family beds of its own:
# these lists are checked for the absence of home A's object only.
NOT_OWN: dict[str, Callable[[World], int]] = {
    "api:list_patrol_visits": lambda w: w.patrol_visit.pk,
    "api:list_referrals": lambda w: w.referral.pk,
    "api:list_family_beds": lambda w: w.family_bed.pk,
    **_merged("NOT_OWN", {}),
}
ABSENT: dict[str, Callable[[World], set[int]]] = _merged("ABSENT", {})
LIST_VIEWER: dict[str, str] = {
    "orgs:staff": "admin_c", "web:audit": "admin_c", "interop:imports": "admin_c",
    **_merged("LIST_VIEWER", {}),
}


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_lists_never_show_home_a_to_home_c(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    # Staff, audit and import lists need an administrator's permission; home C's admin asks.
    username = LIST_VIEWER.get(name, "nurse_c")
    response = _call(_client(cast, username, route), route, name, w)
    assert response.status_code == 200
    if route.api:
        items = response.json()["items"]
        if name in NOT_OWN:
            assert NOT_OWN[name](w) not in {item["id"] for item in items}
            return
        assert items, "the caller's own rows are listed"
        ids = {item["id"] for item in items}
        own_kind = {"api:list_buildings": Building, "api:list_rooms": Room, "api:list_beds": Bed}
        model = own_kind.get(name)
        if model is not None:
            assert not ids & set(model.objects.filter(home=w.home_a).values_list("pk", flat=True))
        if name == "api:list_organisations":
            assert w.home_a.pk not in ids
        if name == "api:list_staff":
            assert w.nurse_a.pk not in ids
        if name == "api:list_residents":
            assert w.stay.person_id not in ids
        if name == "api:list_agreements":
            assert w.agreement.pk not in ids
        if name == "api:list_assessments":
            assert not ids & {w.final.pk, w.draft.pk}
        if name == "api:list_medication_orders":
            assert w.medication_order.pk not in ids
        if name in ABSENT:
            assert not ids & ABSENT[name](w)
    else:
        text = response.content.decode()
        assert w.home_a.name not in text
        assert w.nurse_a.user.username not in text
        assert reverse("residents:detail", args=[w.stay.person_id]) not in text


def test_nurse_c_gets_404_on_every_building_room_and_bed_of_home_a(cast) -> None:
    home_a = cast.home_of("nurse_a")
    client = cast.api("nurse_c")
    urls = [f"/api/v1/buildings/{pk}" for pk in Building.objects.filter(home=home_a)
            .values_list("pk", flat=True)]
    urls += [f"/api/v1/rooms/{pk}" for pk in Room.objects.filter(home=home_a)
             .values_list("pk", flat=True)]
    urls += [f"/api/v1/beds/{pk}" for pk in Bed.objects.filter(home=home_a)
             .values_list("pk", flat=True)]
    assert len(urls) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items()
                                        if r.api and r.kind != "public"))
def test_anonymous_api_calls_get_401(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    response = _call(Client(), route, name, w)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items()
                                        if not r.api and r.kind != "public"))
def test_anonymous_pages_redirect_to_login(cast, name: str) -> None:
    w, route = world(cast, name), ROUTES[name]
    response = _call(Client(), route, name, w)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_admin_site_is_for_platform_operators_only(cast) -> None:
    for username in ("admin_a", "officer_city"):
        response = cast.browser(username).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_bad_token_gets_401(cast) -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/v1/buildings")
    assert response.status_code == 401
