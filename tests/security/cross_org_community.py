"""Cross-organisation registry of the community app (issue 9).

The objects belong to township T (五里河镇, county X), kept by its worker `worker_t`: a ledger
entry, a visit, a home-service request and a family-doctor contract. Other organisations
(`nurse_c`, `doctor_d`, `worker_u` of a township in county Y, and `doctor_b`, whose township
health centre is in township T but holds no ledger) get 404; `officer_x` (county X) reads and
never writes. Lists are checked by `worker_u`, who has a ledger of its own in county Y, for
the absence of township T's rows.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.community import services
from yiyang.community.models import (
    CommunityVisit,
    DoctorHomeVisit,
    FamilyDoctorContract,
    HomeServiceDelivery,
    HomeServiceRequest,
    LedgerChange,
    LedgerEntry,
    OutbreakMode,
)
from yiyang.core.identifiers import id_check_digit
from yiyang.orgs.models import MedicalInstitution
from yiyang.residents.services import person_by_id_number

_seq = itertools.count(1)


def new_id_number() -> str:
    """A valid ID number nobody has: born 1938-01-02, sequences 001–099 (demo uses 100+)."""
    while True:
        n = next(_seq)
        first17 = f"410221{19380102 + (n // 90)}{n % 90 + 1:03d}"
        number = first17 + id_check_digit(first17)
        if person_by_id_number(number) is None:
            return number


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    t = cast.actor("worker_t")
    today = timezone.localdate()
    entry = services.list_person(
        actor=t, name="安桂香", id_number=new_id_number(), living="alone", dependent=True,
        needs=["medication"], guardian_name="安建伟", guardian_relation="儿子",
        guardian_phone="13812345678", listed_on=today - timedelta(days=40))
    institution = MedicalInstitution.objects.filter(region_code__startswith="410221").first()
    w.extra.update(
        community_entry=entry,
        community_visit=services.record_visit(actor=t, entry_id=entry.pk,
                                              visited_on=today - timedelta(days=3),
                                              visitor="周桂兰", findings="X"),
        community_service=services.request_service(actor=t, entry_id=entry.pk, kind="meals",
                                                   detail="X", provider="X"),
        community_contract=services.sign_contract(
            actor=t, entry_id=entry.pk, institution_id=institution.pk, team="X", doctor="X",
            package="basic", start_on=today - timedelta(days=30),
            end_on=today + timedelta(days=300)),
    )


def _e(w: World) -> int:
    return w.extra["community_entry"].pk


def _day(w: World) -> str:
    return timezone.localdate().isoformat()


_entry = {"pk": _e}
_service = {"pk": lambda w: w.extra["community_service"].pk}
_contract = {"pk": lambda w: w.extra["community_contract"].pk}
_visit_body = lambda w: {"visited_on": _day(w), "method": "home", "visitor": "X",  # noqa: E731
                         "findings": "X"}

ROUTES = {
    "community:ledger": Route("list"),
    "community:visits": Route("list"),
    "community:services": Route("list"),
    "community:family_doctors": Route("list"),
    "community:outbreak": Route("list"),
    "community:entry_new": Route("own"),
    "community:import": Route("own"),
    "community:template": Route("own"),
    "community:export": Route("own", "post"),
    "community:outbreak_switch": Route("own", "post"),
    "community:entry": obj(**_entry),
    "community:entry_edit": obj(writes=True, **_entry),
    "community:entry_end": obj("post", writes=True, body=lambda w: {
        "version": w.extra["community_entry"].version, "ended_on": _day(w), "reason": "moved"},
        **_entry),
    "community:visit_new": obj("post", writes=True, body=_visit_body, **_entry),
    "community:service_new": obj("post", writes=True, body=lambda w: {
        "kind": "bathing", "detail": "X", "provider": "X", "requested_on": _day(w)}, **_entry),
    "community:contract_new": obj("post", writes=True, body=lambda w: {
        "institution_id": w.extra["community_contract"].institution_id, "team": "X",
        "doctor": "X", "package": "basic", "start_on": _day(w), "end_on": _day(w)}, **_entry),
    "community:service_deliver": obj("post", writes=True, body=lambda w: {
        "version": w.extra["community_service"].version, "delivered_on": _day(w),
        "worker": "X"}, **_service),
    "community:contract_visit": obj("post", writes=True, body=lambda w: {
        "visited_on": _day(w), "doctor": "X", "content": "X"}, **_contract),
    # API
    "api:list_ledger_entries": api_route("list"),
    "api:list_community_visits": api_route("list"),
    "api:list_home_services": api_route("list"),
    "api:list_family_doctor_contracts": api_route("list"),
    "api:get_ledger_entry": api_route("object", **_entry),
    "api:get_community_visit": api_route("object",
                                         pk=lambda w: w.extra["community_visit"].pk),
    "api:get_home_service": api_route("object", **_service),
    "api:get_family_doctor_contract": api_route("object", **_contract),
    "api:create_ledger_entry": api_route("own", "post", body=lambda w: {
        "name": "X", "id_number": new_id_number(), "living": "alone", "guardian_name": "X"}),
    "api:update_ledger_entry": api_route("object", "patch", body=lambda w: {
        "version": w.extra["community_entry"].version, "living": "family"}, **_entry),
    "api:create_community_visit": api_route("object", "post", body=lambda w: {
        "entry_id": _e(w), "visitor": "X", "findings": "X"}),
    "api:create_home_service": api_route("object", "post", body=lambda w: {
        "entry_id": _e(w), "kind": "bathing", "detail": "X", "provider": "X"}),
    "api:deliver_home_service": api_route("object", "post", body=lambda w: {
        "version": w.extra["community_service"].version, "worker": "X"}, **_service),
    "api:create_family_doctor_contract": api_route("object", "post", body=lambda w: {
        "entry_id": _e(w), "institution_id": w.extra["community_contract"].institution_id,
        "team": "X", "doctor": "X", "package": "basic", "start_on": _day(w),
        "end_on": _day(w)}),
    "api:record_family_doctor_visit": api_route("object", "post", body=lambda w: {
        "doctor": "X", "content": "X"}, **_contract),
}

LIST_VIEWER = {name: "worker_u" for name, r in ROUTES.items() if r.kind == "list"}


def _township_t(model, lookup: str):  # type: ignore[no-untyped-def]
    def ids(w: World) -> set[int]:
        township = w.extra["community_entry"].township_id
        return set(model.objects.filter(**{lookup: township}).values_list("pk", flat=True))
    return ids


ABSENT = {
    "api:list_ledger_entries": _township_t(LedgerEntry, "township_id"),
    "api:list_community_visits": _township_t(CommunityVisit, "entry__township_id"),
    "api:list_home_services": _township_t(HomeServiceRequest, "entry__township_id"),
    "api:list_family_doctor_contracts": _township_t(FamilyDoctorContract,
                                                    "entry__township_id"),
}


def state(w: World) -> tuple:
    return (
        LedgerEntry.objects.count(), LedgerChange.objects.count(),
        CommunityVisit.objects.count(), HomeServiceRequest.objects.count(),
        HomeServiceDelivery.objects.count(), FamilyDoctorContract.objects.count(),
        DoctorHomeVisit.objects.count(), OutbreakMode.objects.count(),
        LedgerEntry.objects.get(pk=_e(w)).version,
        HomeServiceRequest.objects.get(pk=w.extra["community_service"].pk).version,
    )
