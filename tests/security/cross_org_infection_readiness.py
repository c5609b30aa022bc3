"""Cross-organisation registry of infection readiness (issue 7 items 4, 5): sampling rounds,
staff vaccination, supplies, support teams, closed management (see registry.py).

Home A's objects: a sampling day, nurse_a's vaccination record, a stock line, the open closure.
County X's local-case mark and the city's support team belong to regulators: their routes act
on the caller's own organisation ("own"); their scope is tested in
tests/infection/test_readiness_scope.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.infection import readiness_services as rs
from yiyang.infection import sampling_services as ss
from yiyang.infection.models import (
    ClosedManagement,
    LocalCaseMark,
    SampleTaken,
    SamplingDay,
    ShiftAssignment,
    StaffDose,
    StaffPost,
    SupplyMovement,
    SupplyStock,
    SupportTeam,
    SupportTeamMember,
    SupportTeamTraining,
)


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    home_a = w.home_a
    today = timezone.localdate()
    mark = LocalCaseMark.objects.filter(county_name="杞县", ended_on__isnull=True).first()
    if mark is None:
        mark = ss.mark_local_case(actor=cast.actor("officer_x"),
                                  started_on=today - timedelta(days=3))
    day = SamplingDay.objects.filter(home=home_a).first()
    if day is None:
        day = ss.record_samples(actor=cast.actor("nurse_a"), day=today,
                                subjects=[f"s:{w.nurse_a.pk}"])
    if not SupplyStock.objects.filter(home=home_a).exists():
        rs.open_stock_lines(actor=cast.actor("admin_a"))
    stock = SupplyStock.objects.filter(home=home_a).order_by("kind").first()
    closure = ClosedManagement.objects.filter(home=home_a, ended_on__isnull=True).first()
    if closure is None:
        closure = rs.start_closed_management(actor=cast.actor("admin_a"), started_on=today)
    team = SupportTeam.objects.filter(regulator_id=cast.actor("officer_city").org_id).first()
    if team is None:
        team = rs.create_team(actor=cast.actor("officer_city"), name="市支援队")
    post = StaffPost.objects.filter(membership=w.nurse_a).first()
    if post is None:
        post = rs.set_staff_post(actor=cast.actor("admin_a"), membership_id=w.nurse_a.pk,
                                 post="护士", direct_contact=True)
    w.extra.update(ir_mark=mark, ir_day=day, ir_stock=stock, ir_closure=closure, ir_team=team,
                   ir_post=post)


def _v(w: World, name: str) -> int:
    o = w.extra[name]
    return type(o).objects.get(pk=o.pk).version


def state(w: World) -> tuple:
    return (
        LocalCaseMark.objects.count(), _v(w, "ir_mark"), SamplingDay.objects.count(),
        SampleTaken.objects.count(), StaffPost.objects.count(), _v(w, "ir_post"),
        StaffDose.objects.count(), SupplyStock.objects.count(), _v(w, "ir_stock"),
        SupplyMovement.objects.count(), SupportTeam.objects.count(), _v(w, "ir_team"),
        SupportTeamMember.objects.count(), SupportTeamTraining.objects.count(),
        ClosedManagement.objects.count(), _v(w, "ir_closure"), ShiftAssignment.objects.count(),
    )


DAY = {"pk": lambda w: w.extra["ir_day"].pk}
STAFF = {"membership_id": lambda w: w.nurse_a.pk}
STOCK = {"pk": lambda w: w.extra["ir_stock"].pk}
CLOSURE = {"pk": lambda w: w.extra["ir_closure"].pk}
MARK = {"pk": lambda w: w.extra["ir_mark"].pk}
TEAM = {"pk": lambda w: w.extra["ir_team"].pk}


def _today() -> str:
    return timezone.localdate().isoformat()


def _later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _own(method: str = "get", body=None, **kw):  # type: ignore[no-untyped-def]
    return Route("own", method, kwargs=lambda w: {k: f(w) for k, f in kw.items()}, body=body)


_DOSE = {"kind": "primary", "product": "inactivated", "given_on": _today()}
_SHIFT = {"team": "X", "start_on": _later(200), "end_on": _later(201)}

ROUTES: dict[str, Route] = {
    # pages
    "infection:readiness": Route("list"),
    "infection:sampling": Route("list"),
    "infection:sampling_mark": _own("post", body=lambda w: {"started_on": _today()}),
    "infection:sampling_mark_end": _own("post", body=lambda w: {
        "version": w.extra["ir_mark"].version}, **MARK),
    "infection:sampling_day": obj(**DAY),
    "infection:staff": Route("list"),
    "infection:staff_detail": obj(**STAFF),
    "infection:staff_dose": obj("post", writes=True, body=lambda w: _DOSE, **STAFF),
    "infection:staff_post": obj("post", writes=True, body=lambda w: {
        "post": "X", "direct_contact": "on", "version": _v(w, "ir_post")}, **STAFF),
    "infection:supplies": Route("list"),
    "infection:supplies_setup": _own("post"),
    "infection:supplies_demand_export": _own(),
    "infection:supplies_move": obj("post", writes=True, body=lambda w: {
        "kind": "receipt", "quantity": 1}, **STOCK),
    "infection:supplies_minimum": obj("post", writes=True, body=lambda w: {
        "version": _v(w, "ir_stock"), "minimum": 1}, **STOCK),
    "infection:teams": Route("list"),
    "infection:teams_detail": _own(**TEAM),
    "infection:teams_member": _own("post", body=lambda w: {"name": "X", "profession": "X"},
                                   **TEAM),
    "infection:teams_training": _own("post", body=lambda w: {
        "trained_on": _today(), "topic": "X"}, **TEAM),
    "infection:closed": Route("list"),
    "infection:closed_detail": obj(**CLOSURE),
    "infection:closed_shift": obj("post", writes=True, body=lambda w: {
        **_SHIFT, "membership_id": w.nurse_a.pk}, **CLOSURE),
    "infection:closed_measures": obj("post", writes=True, body=lambda w: {
        "version": _v(w, "ir_closure"), "measures": ["cctv"]}, **CLOSURE),
    "infection:closed_end": obj("post", writes=True, body=lambda w: {
        "version": _v(w, "ir_closure")}, **CLOSURE),
    # API
    "api:list_local_cases": api_route("list"),
    "api:mark_local_case": api_route("own", "post", body=lambda w: {"started_on": _today()}),
    "api:end_local_case": api_route("own", "post", body=lambda w: {
        "version": w.extra["ir_mark"].version}, **MARK),
    "api:list_sampling_days": api_route("list"),
    "api:get_sampling_day": api_route("object", **DAY),
    "api:record_samples": api_route("own", "post", body=lambda w: {
        "day": _today(), "membership_ids": [w.nurse_a.pk]}),
    "api:list_sampling_state": api_route("list"),
    "api:get_sampling_state": api_route("object", home_id=lambda w: w.home_a.pk),
    "api:list_staff_vaccinations": api_route("list"),
    "api:get_staff_vaccination": api_route("object", **STAFF),
    "api:record_staff_dose": api_route("object", "post", body=lambda w: _DOSE, **STAFF),
    "api:set_staff_post": api_route("object", "post", body=lambda w: {
        "post": "X", "direct_contact": True, "version": _v(w, "ir_post")}, **STAFF),
    "api:list_supplies": api_route("list"),
    "api:get_supply": api_route("object", **STOCK),
    "api:update_supply": api_route("object", "patch", body=lambda w: {
        "version": _v(w, "ir_stock"), "minimum": 1}, **STOCK),
    "api:record_supply_movement": api_route("object", "post", body=lambda w: {
        "kind": "receipt", "quantity": 1}, **STOCK),
    "api:supply_demand": api_route("own"),
    "api:list_support_teams": api_route("list"),
    "api:get_support_team": api_route("own", **TEAM),
    "api:create_support_team": api_route("own", "post", body=lambda w: {"name": "X"}),
    "api:add_support_team_member": api_route("own", "post", body=lambda w: {
        "name": "X", "profession": "X"}, **TEAM),
    "api:record_support_team_training": api_route("own", "post", body=lambda w: {
        "trained_on": _today(), "topic": "X"}, **TEAM),
    "api:list_closed_management": api_route("list"),
    "api:get_closed_management": api_route("object", **CLOSURE),
    "api:start_closed_management": api_route("own", "post", body=lambda w: {
        "started_on": _today()}),
    "api:update_closed_management": api_route("object", "patch", body=lambda w: {
        "version": _v(w, "ir_closure"), "measures": ["cctv"]}, **CLOSURE),
    "api:end_closed_management": api_route("object", "post", body=lambda w: {
        "version": _v(w, "ir_closure")}, **CLOSURE),
    "api:add_closed_management_shift": api_route("object", "post", body=lambda w: {
        **_SHIFT, "membership_id": w.nurse_a.pk}, **CLOSURE),
}

# Lists where home C (county Y, no local case, no closure, no team) has nothing of its own.
NOT_OWN = {
    "api:list_local_cases": lambda w: w.extra["ir_mark"].pk,
    "api:list_sampling_days": lambda w: w.extra["ir_day"].pk,
    "api:list_sampling_state": lambda w: w.home_a.pk,
    "api:list_support_teams": lambda w: w.extra["ir_team"].pk,
    "api:list_closed_management": lambda w: w.extra["ir_closure"].pk,
}
ABSENT = {
    "api:list_staff_vaccinations": lambda w: {w.nurse_a.pk},
    "api:list_supplies": lambda w: set(SupplyStock.objects.filter(home=w.home_a)
                                       .values_list("pk", flat=True)),
}
