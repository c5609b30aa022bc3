"""Readiness services and queries against the demo world: who may write what, the flags, the
demand list by hand count, the sampling completion per county and the demo's shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.infection import readiness_queries as rq
from yiyang.infection import readiness_services as rs
from yiyang.infection import sampling_queries as sq
from yiyang.infection import sampling_services as ss
from yiyang.infection.models import (
    ClosedManagement,
    LocalCaseMark,
    SampleTaken,
    SamplingDay,
    StaffDose,
    SupplyStock,
    SupportTeam,
    SupportTeamMember,
)
from yiyang.orgs.models import Membership, NursingHome

# ---------------------------------------------------------------- sampling


def test_demo_county_x_is_marked_and_home_a_has_a_full_round_then_daily(cast) -> None:
    home_a = cast.home_of("nurse_a")
    h = sq.home_sampling(cast.actor("nurse_a"), home_a.pk)
    assert h is not None and h.mark.county_name == "杞县"
    assert (timezone.localdate() - h.mark.started_on).days == 7
    assert h.days[0].phase == "full_round" and h.days[0].met
    assert h.days[0].sampled == h.days[0].population > 30
    assert [d.phase for d in h.days[1:]] == ["daily"] * 7
    # days 1..6 recorded, one short; today still to do
    assert [d.met for d in h.days[1:-1]].count(False) == 1
    assert not h.days[-1].met and h.days[-1].sampled == 0
    assert len(h.proposal) == -(-h.days[-1].population // 5)
    outside = SampleTaken.objects.filter(home=home_a, from_proposal=False)
    assert outside.count() == 2


def test_county_regulator_sees_its_homes_completion_and_not_another_county(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    names = {h.home.pk for h in sq.region_sampling(cast.actor("officer_x"))}
    assert home_a.pk in names and home_c.pk not in names
    assert home_a.pk not in {h.home.pk for h in sq.region_sampling(cast.actor("officer_y"))}
    assert home_a.pk in {h.home.pk for h in sq.region_sampling(cast.actor("officer_city"))}
    day = SamplingDay.objects.filter(home=home_a).first()
    assert sq.sampling_days(cast.actor("officer_x")).filter(pk=day.pk).exists()
    assert not sq.sampling_days(cast.actor("officer_y")).filter(pk=day.pk).exists()
    assert not sq.sampling_days(cast.actor("nurse_c")).filter(pk=day.pk).exists()
    with pytest.raises(NotFound):
        sq.sampling_day(cast.actor("officer_y"), day.pk)


def test_recording_today_from_the_proposal(cast) -> None:
    nurse = cast.actor("nurse_a")
    h = sq.home_sampling(nurse, nurse.org_id)
    keys = [s.key for s in h.proposal]
    day = ss.record_samples(actor=nurse, day=timezone.localdate(), subjects=keys)
    assert day.proposed == keys
    h = sq.home_sampling(nurse, nurse.org_id)
    assert h.days[-1].met and h.days[-1].from_proposal == len(keys)
    # recording the same people again adds nobody
    ss.record_samples(actor=nurse, day=timezone.localdate(), subjects=keys[:1])
    assert SampleTaken.objects.filter(sampling_day=day).count() == len(keys)
    assert AuditEvent.objects.filter(action="infection.sampling.record",
                                     object_id=str(day.pk)).count() == 2


def test_home_outside_a_marked_county_owes_no_sampling(cast) -> None:
    nurse_c = cast.actor("nurse_c")
    assert sq.home_sampling(nurse_c, nurse_c.org_id) is None
    member = Membership.objects.filter(org_id=nurse_c.org_id).first()
    with pytest.raises(ValidationFailed, match="没有本土病例"):
        ss.record_samples(actor=nurse_c, day=timezone.localdate(), subjects=[f"s:{member.pk}"])


def test_sampling_refuses_strangers(cast) -> None:
    nurse = cast.actor("nurse_a")
    other = Membership.objects.filter(org_id=cast.actor("nurse_c").org_id).first()
    with pytest.raises(ValidationFailed, match="不是本机构"):
        ss.record_samples(actor=nurse, day=timezone.localdate(), subjects=[f"s:{other.pk}"])
    with pytest.raises(Forbidden):
        ss.record_samples(actor=cast.actor("officer_x"), day=timezone.localdate(),
                          subjects=["s:1"])


def test_only_a_county_civil_affairs_bureau_marks_its_own_county(cast) -> None:
    with pytest.raises(Forbidden):
        ss.mark_local_case(actor=cast.actor("officer_city"), started_on=timezone.localdate())
    with pytest.raises(Forbidden):
        ss.mark_local_case(actor=cast.actor("nurse_a"), started_on=timezone.localdate())
    with pytest.raises(Conflict):  # county X is marked already
        ss.mark_local_case(actor=cast.actor("officer_x"), started_on=timezone.localdate())
    mark_y = ss.mark_local_case(actor=cast.actor("officer_y"),
                                started_on=timezone.localdate() - timedelta(days=1))
    assert mark_y.county_name == "通许县"
    mark_x = LocalCaseMark.objects.get(county_name="杞县")
    with pytest.raises(NotFound):  # another county's mark
        ss.end_local_case(actor=cast.actor("officer_y"), mark_id=mark_x.pk,
                          version=mark_x.version)
    with pytest.raises(NotFound):  # the city reads it but does not end it
        ss.end_local_case(actor=cast.actor("officer_city"), mark_id=mark_x.pk,
                          version=mark_x.version)
    ended = ss.end_local_case(actor=cast.actor("officer_y"), mark_id=mark_y.pk,
                              version=mark_y.version)
    assert ended.ended_on == timezone.localdate()
    # home C (county Y) owed sampling during county Y's period: yesterday and today
    h = sq.home_sampling(cast.actor("nurse_c"), cast.actor("nurse_c").org_id)
    assert h is not None and len(h.days) == 2 and h.days[0].phase == "full_round"


# ---------------------------------------------------------------- staff


def test_not_fully_vaccinated_staff_on_direct_contact_posts_are_flagged(cast) -> None:
    admin = cast.actor("admin_a")
    rows = rq.staff_rows(list(rq.staff_memberships(admin, home_id=admin.org_id)))
    flagged = {r.membership.user.username for r in rows if r.flagged}
    # care_a3: one dose; nurse_a2: one dose then deferred; reg_a: contraindicated but not on a
    # direct-contact post
    assert flagged == {"care_a3", "nurse_a2"}
    care = next(r for r in rows if r.membership.user.username == "care_a3")
    rs.record_staff_dose(actor=admin, membership_id=care.membership.pk, kind="primary",
                         product="inactivated", given_on=timezone.localdate())
    row = rq.staff_member(admin, care.membership.pk)
    assert row.status.full_course and not row.flagged
    rs.set_staff_post(actor=admin, membership_id=care.membership.pk, post="后勤",
                      direct_contact=False, version=row.post.version)
    nurse2 = next(r for r in rows if r.membership.user.username == "nurse_a2")
    rs.set_staff_post(actor=admin, membership_id=nurse2.membership.pk, post="库房管理",
                      direct_contact=False, version=nurse2.post.version)
    assert not rq.staff_member(admin, nurse2.membership.pk).flagged


def test_staff_writes_stay_in_the_home(cast) -> None:
    nurse_c_member = cast.membership("nurse_c")
    with pytest.raises(NotFound):
        rs.record_staff_dose(actor=cast.actor("admin_a"), membership_id=nurse_c_member.pk,
                             kind="primary", product="inactivated",
                             given_on=timezone.localdate())
    with pytest.raises(NotFound):
        rs.record_staff_dose(actor=cast.actor("officer_x"),
                             membership_id=cast.membership("nurse_a").pk, kind="primary",
                             product="inactivated", given_on=timezone.localdate())
    with pytest.raises(ValidationFailed, match="原因"):
        rs.record_staff_dose(actor=cast.actor("admin_a"),
                             membership_id=cast.membership("nurse_a").pk, kind="deferral",
                             given_on=timezone.localdate())
    assert StaffDose.objects.filter(membership=nurse_c_member).count() >= 1


# ---------------------------------------------------------------- supplies


def test_demo_supplies_one_line_below_minimum_in_two_homes(cast) -> None:
    below = [s for s in SupplyStock.objects.select_related("home") if s.shortfall]
    assert sorted((s.home.short_name, s.kind) for s in below) == [
        ("五里河敬老院", "n95"), ("颐养园", "antigen_kit")]


def test_county_demand_list_adds_up_the_homes_shortfalls_by_hand(cast) -> None:
    admin_a, admin_b = cast.actor("admin_a"), cast.actor("admin_b")
    # Set three lines of two county-X homes to known levels and minimums.
    for actor, kind, on_hand, minimum in ((admin_a, "n95", 150, 200),
                                          (admin_b, "n95", 20, 200),
                                          (admin_a, "antigen_kit", 100, 100),
                                          (admin_b, "antigen_kit", 40, 100)):
        stock = SupplyStock.objects.get(home_id=actor.org_id, kind=kind)
        stock = rs.set_supply_minimum(actor=actor, stock_id=stock.pk, version=stock.version,
                                      minimum=minimum)
        rs.record_supply_movement(actor=actor, stock_id=stock.pk, kind="count",
                                  quantity=on_hand)
    got = {d.kind: d.total for d in rq.demand(cast.actor("officer_x"))}
    assert got["n95"] == 50 + 180
    assert got["antigen_kit"] == 60
    # county Y's regulator sees none of county X's shortfalls
    assert "n95" not in {d.kind for d in rq.demand(cast.actor("officer_y"))
                         if set(d.by_home) & {"杞县颐养园养老中心", "杞县五里河镇敬老院"}}


def test_a_use_never_takes_stock_below_zero(cast) -> None:
    admin = cast.actor("admin_a")
    stock = SupplyStock.objects.get(home_id=admin.org_id, kind="n95")
    with pytest.raises(ValidationFailed, match="超过现有库存"):
        rs.record_supply_movement(actor=admin, stock_id=stock.pk, kind="use",
                                  quantity=stock.on_hand + 1)
    with pytest.raises(NotFound):
        rs.record_supply_movement(actor=cast.actor("admin_c"), stock_id=stock.pk,
                                  kind="receipt", quantity=1)


# ---------------------------------------------------------------- teams


def test_city_team_ready_province_team_not(cast) -> None:
    teams = {t.name: rq.is_ready(t) for t in rq.teams(cast.actor("officer_prov"))}
    assert teams == {"开封市养老机构疫情应急支援队（第一分队）": True,
                     "河南省养老服务应急支援队": False}
    assert not rq.teams(cast.actor("officer_x")).exists()
    assert not rq.teams(cast.actor("nurse_a")).exists()


def test_team_member_phone_is_encrypted_and_only_the_owner_writes(cast) -> None:
    team = SupportTeam.objects.get(name__startswith="开封市")
    member = SupportTeamMember.objects.filter(team=team).first()
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("select phone from infection_supportteammember where id=%s", [member.pk])
        stored = cur.fetchone()[0]
    assert member.phone not in stored and "$" in stored
    with pytest.raises(NotFound):
        rs.add_team_member(actor=cast.actor("officer_prov"), team_id=team.pk, name="X",
                           profession="X")
    with pytest.raises(Forbidden):
        rs.create_team(actor=cast.actor("officer_x"), name="县队")


# ---------------------------------------------------------------- closed management


def test_home_a_closure_with_a_flagged_rotation(cast) -> None:
    admin = cast.actor("admin_a")
    closure = ClosedManagement.objects.get(home_id=admin.org_id, ended_on__isnull=True)
    plan = rq.rotation(rq.closure(admin, closure.pk))
    assert plan["flagged"] == 1 and plan["flags"][0].code == "too_long"
    assert plan["on_duty"] >= 1
    assert "安排机构外部工作人员院外监督值守" in plan["missing"]
    with pytest.raises(Conflict):
        rs.start_closed_management(actor=admin, started_on=timezone.localdate())
    member = cast.membership("nurse_a")
    first = next(s for s in plan["shifts"] if s.membership_id == member.pk)
    with pytest.raises(ValidationFailed, match="重叠"):
        rs.add_shift(actor=admin, closure_id=closure.pk, membership_id=member.pk, team="C组",
                     start_on=first.start_on, end_on=first.start_on)
    with pytest.raises(NotFound):
        rs.add_shift(actor=cast.actor("admin_c"), closure_id=closure.pk,
                     membership_id=member.pk, team="C组", start_on=first.start_on,
                     end_on=first.start_on)
    ended = rs.end_closed_management(actor=admin, closure_id=closure.pk, version=closure.version)
    assert ended.ended_on == timezone.localdate()


def test_demo_is_idempotent(cast) -> None:
    from yiyang.demo.infection_readiness import build_demo_infection_readiness

    assert build_demo_infection_readiness() == 0
    assert NursingHome.objects.exists()
