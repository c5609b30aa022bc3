"""Demo data for infection readiness (issue 7 items 4, 5), written through the services:

* county X (杞县) marked by its civil-affairs bureau with a local case a week ago; home A did the
  full round on the first day and a 20 % round every day since, one of them short (and today's
  round is still to do); home B (also county X) did only the full round;
* staff posts and vaccination in every home, with a few staff of home A not fully vaccinated on
  direct-contact posts (flagged);
* supplies of every home at or above minimum except one line in home A and one in home B;
* the city's support team with members and training records (ready), and a province team whose
  last training is too old (not ready);
* home A in closed management since six days ago, with a rotation plan in two teams, one shift
  past the allowed 14 days.
Deterministic (seeded `random.Random`); returns 0 when the county mark exists already.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from yiyang.core.scope import Actor
from yiyang.infection import readiness_rules as rr
from yiyang.infection import readiness_services as rs
from yiyang.infection import sampling_queries as sq
from yiyang.infection import sampling_services as ss
from yiyang.infection.models import LocalCaseMark, SupplyStock
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, NursingHome

__all__ = ["build_demo_infection_readiness"]

_DIRECT_ROLES = {"home_nurse", "home_caregiver", "home_doctor"}
_POSTS = {"home_manager": "院长（行政）", "home_registrar": "入住登记（前台）",
          "home_nurse": "护士（直接护理）", "home_caregiver": "护理员（直接照护）",
          "home_doctor": "医务室医生（诊疗）"}


def _actor(username: str) -> Actor | None:
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership) if membership is not None else None


def _home_of(actor: Actor) -> NursingHome:
    return NursingHome.objects.get(pk=actor.org_id)


def _sampling(nurse: Actor, start: date, today: date, *, short_day: int | None,
              daily: bool) -> int:
    home = _home_of(nurse)
    made = 0
    for n in range((today - start).days):
        day = start + timedelta(days=n)
        state = sq.compute([home], today)
        if not state:
            return made
        h = state[0]
        if n == 0:
            keys = [s.key for s in h.subjects if s.key in sq._present(h, day)]
        elif not daily:
            break
        else:
            keys = [s.key for s in sq.proposal_for(h, day)]
            if n == short_day:
                keys = keys[:-3]  # three residents were in hospital checks: one day short
            if n == 2:  # two staff back from leave tested outside the proposal
                keys += [s.key for s in h.subjects if s.key.startswith("s:")
                         and s.key not in keys][:2]
        if keys:
            ss.record_samples(actor=nurse, day=day, subjects=keys)
            made += 1
    return made


def _staff(admin: Actor, rng: random.Random, today: date, weak: dict[str, str]) -> int:
    made = 0
    for m in (Membership.objects.filter(org_id=admin.org_id, is_active=True)
              .select_related("user").order_by("pk")):
        rs.set_staff_post(actor=admin, membership_id=m.pk, post=_POSTS.get(m.role, "工作人员"),
                          direct_contact=m.role in _DIRECT_ROLES)
        first = today - timedelta(days=rng.randint(420, 560))
        plan = weak.get(m.user.username, "booster" if rng.random() < 0.7 else "full")
        if plan == "contraindication":
            rs.record_staff_dose(actor=admin, membership_id=m.pk, kind="contraindication",
                                 given_on=first, reason="既往接种后严重过敏反应（医生评估）")
            made += 1
            continue
        if plan == "deferral":
            rs.record_staff_dose(actor=admin, membership_id=m.pk, kind="primary",
                                 product="inactivated", given_on=first)
            rs.record_staff_dose(actor=admin, membership_id=m.pk, kind="deferral",
                                 given_on=today - timedelta(days=10),
                                 deferred_until=today + timedelta(days=20),
                                 reason="发热待查，暂缓第二剂")
            made += 2
            continue
        doses = 1 if plan == "one_dose" else 2
        for i in range(doses):
            rs.record_staff_dose(actor=admin, membership_id=m.pk, kind="primary",
                                 product="inactivated", given_on=first + timedelta(days=28 * i))
            made += 1
        if plan == "booster":
            rs.record_staff_dose(actor=admin, membership_id=m.pk, kind="booster",
                                 product="recombinant",
                                 given_on=first + timedelta(days=rng.randint(200, 300)))
            made += 1
    return made


def _supplies(admin: Actor, rng: random.Random, today: date, short: str | None) -> int:
    rs.open_stock_lines(actor=admin)
    made = 0
    for stock in SupplyStock.objects.filter(home_id=admin.org_id).order_by("kind"):
        received = stock.minimum * rng.randint(14, 20) // 10
        rs.record_supply_movement(actor=admin, stock_id=stock.pk, kind="receipt",
                                  quantity=received, on=today - timedelta(days=30),
                                  note="县民政局统一调配")
        used = received - stock.minimum - rng.randint(0, stock.minimum // 4)
        if stock.kind == short:
            used = received - stock.minimum // 3  # a third of the minimum left
        used = min(max(used, 0), received)
        if used:
            rs.record_supply_movement(actor=admin, stock_id=stock.pk, kind="use", quantity=used,
                                      on=today - timedelta(days=rng.randint(1, 6)),
                                      note="日常防护与核酸采样")
        made += 2
    return made


def _teams(today: date) -> int:
    made = 0
    city = _actor("officer_city")
    if city is not None:
        team = rs.create_team(actor=city, name="开封市养老机构疫情应急支援队（第一分队）",
                              leader="孙明华", note="市民政局会同市卫健委组建，随时待命")
        for name, profession, employer, phone in (
            ("孙明华", "管理", "开封市民政局", "13903781021"),
            ("高俊峰", "感染科医师", "开封市第二人民医院", "13837862207"),
            ("梁雪", "主管护师", "开封市第二人民医院", "15903783318"),
            ("许文博", "公共卫生医师", "开封市疾病预防控制中心", "13673861145"),
            ("冯静", "养老护理员（高级）", "开封市社会福利院", "18638711093"),
        ):
            rs.add_team_member(actor=city, team_id=team.pk, name=name, profession=profession,
                               employer=employer, phone=phone)
            made += 1
        for days_ago, topic in ((160, "养老机构院感防控与三级防护穿脱"),
                                (95, "聚集性疫情应急处置桌面推演"),
                                (40, "核酸采样与闭环转运实操培训")):
            rs.record_team_training(actor=city, team_id=team.pk,
                                    trained_on=today - timedelta(days=days_ago), topic=topic,
                                    trainer="开封市疾病预防控制中心", attendees=5)
            made += 1
    prov = _actor("officer_prov")
    if prov is not None:
        team = rs.create_team(actor=prov, name="河南省养老服务应急支援队", leader="")
        rs.add_team_member(actor=prov, team_id=team.pk, name="周建民", profession="重症医学科医师",
                           employer="河南省人民医院", phone="13838012276")
        rs.record_team_training(actor=prov, team_id=team.pk,
                                trained_on=today - timedelta(days=200),
                                topic="养老机构疫情应急处置培训", trainer="河南省疾控中心",
                                attendees=12)
        made += 3
    return made


def _closure(admin: Actor, today: date) -> int:
    start = today - timedelta(days=6)
    closure = rs.start_closed_management(
        actor=admin, started_on=start, measures=["cctv", "door_sensors", "staff_rotation",
                                                 "supplies_delivery"],
        note="院内出现抗原阳性，经县民政局同意实行封闭管理")
    staff = list(Membership.objects.filter(org_id=admin.org_id, is_active=True).order_by("pk"))
    half = (len(staff) + 1) // 2
    made = 1
    for i, m in enumerate(staff):
        first = i < half
        team = "A组" if first else "B组"
        begin = start if first else start + timedelta(days=rr.MAX_ON_DUTY_DAYS)
        length = rr.MAX_ON_DUTY_DAYS + (2 if i == 0 else 0)  # the first stays on two days more
        rs.add_shift(actor=admin, closure_id=closure.pk, membership_id=m.pk, team=team,
                     start_on=begin, end_on=begin + timedelta(days=length - 1))
        made += 1
    return made


def build_demo_infection_readiness() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if LocalCaseMark.objects.exists():
        return 0
    officer = _actor("officer_x")
    if officer is None:
        return 0
    today = timezone.localdate()
    rng = random.Random(7045)
    start = today - timedelta(days=7)
    made = 0
    ss.mark_local_case(actor=officer, started_on=start,
                       note="县疾控中心通报：城关镇发现 1 例本土无症状感染者")
    made += 1
    nurse_a, nurse_b = _actor("nurse_a"), _actor("nurse_b")
    if nurse_a is not None:
        made += _sampling(nurse_a, start, today, short_day=4, daily=True)
    if nurse_b is not None:
        made += _sampling(nurse_b, start, today, short_day=None, daily=False)
    weak = {"care_a3": "one_dose", "nurse_a2": "deferral", "reg_a": "contraindication",
            "care_c2": "one_dose"}
    shortages = {"admin_a": "antigen_kit", "admin_b": "n95"}
    for username in ("admin_a", "admin_b", "admin_c", "admin_d", "admin_e", "admin_f"):
        admin = _actor(username)
        if admin is None:
            continue
        made += _staff(admin, rng, today, weak)
        made += _supplies(admin, rng, today, shortages.get(username))
    made += _teams(today)
    admin_a = _actor("admin_a")
    if admin_a is not None:
        made += _closure(admin_a, today)
    return made
