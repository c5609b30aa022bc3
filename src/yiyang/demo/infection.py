"""Demo data for Infection (issue 7 items 1-3, 6, 7): surveillance, a closed outbreak and an open
one with its reporting chain.

* Isolation sites of the civil-affairs departments (county X, Y, Z and the city).
* A week of daily symptom checks in home A and home C, negative antigen rounds, one low SpO₂.
* Last year in home E (county Z): a closed outbreak with its full timeline — plan, isolation,
  reports forwarded in time county → city → province → Ministry, green-channel transfer,
  tracing closed day by day, contacts quarantined at the county site with closed-loop
  transport, disinfection, closure.
* Now in home A (county X): an open outbreak five hours old — two residents positive, close
  contacts (a resident and a caregiver) isolated in the home and at the county site; the home's
  report received by officer_x and forwarded in time, the city's upward report left unforwarded
  past 2 hours and escalated by the background clock to the province.

Written through the services (checked and audited like a user's). Deterministic (seeded) and
idempotent: does nothing when an outbreak exists.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from yiyang.core.scope import Actor
from yiyang.infection import outbreak_reports as reports
from yiyang.infection import outbreak_services as services
from yiyang.infection.models import Outbreak, OutbreakReport
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, KeyPopulationRecord, Stay

__all__ = ["build_demo_infection"]


def _actor(username: str) -> Actor:
    m = (Membership.objects.select_related("org__region", "user")
         .filter(user__username=username, is_active=True).order_by("pk").first())
    return actor_for(m)


def _residents(actor: Actor, n: int) -> list[Stay]:
    return list(Stay.objects.filter(home_id=actor.org_id, status__in=OPEN_STATUSES)
                .select_related("person").order_by("pk")[:n])


def _by_tier(stays: list[Stay]) -> list[Stay]:
    """A red resident first and a yellow one third (the infected ones: their tier's follow-up
    shows as due tasks), the others in between and after."""
    tier = dict(KeyPopulationRecord.objects.filter(
        person_id__in=[s.person_id for s in stays], is_current=True)
        .values_list("person_id", "category"))
    red = [s for s in stays if tier.get(s.person_id) == "red"][:1]
    yellow = [s for s in stays if tier.get(s.person_id) == "yellow"][:1]
    rest = [s for s in stays if s not in red + yellow]
    first = red or rest[:1]
    rest = [s for s in rest if s not in first]
    third = yellow or rest[1:2]
    rest = [s for s in rest if s not in third]
    return [*first, rest[0], *third, *rest[1:]]


def _sites() -> dict[str, int]:
    made = {}
    for username, key, name, kind, cap, serves in (
        ("officer_x", "x", "杞县集中隔离点（县招待所）", "isolation", 80, ""),
        ("officer_city", "city", "开封市养老机构人员集中健康监测点", "monitoring", 200, ""),
        ("officer_y", "y", "通许县集中健康监测点", "monitoring", 50, ""),
        ("officer_z", "z", "兰考县集中隔离点", "isolation", 60, ""),
    ):
        site = reports.create_site(actor=_actor(username), name=name, kind=kind, capacity=cap,
                                   address="", contact="值班电话 0371-0000000", serves=serves)
        made[key] = site.pk
    return made


def _week_of_checks(rng: random.Random, username: str, n: int) -> int:
    actor = _actor(username)
    today = timezone.localdate()
    count = 0
    for back in range(7, 0, -1):
        day = today - timedelta(days=back)
        at = timezone.make_aware(datetime.combine(day, time(8, 30)))
        for i, stay in enumerate(_residents(actor, n)):
            low = back == 1 and i == 0 and username == "nurse_a"
            services.record_symptom_check(
                actor=actor, person_id=stay.person_id, at=at + timedelta(minutes=2 * i),
                temperature=f"{rng.uniform(36.2, 37.2):.1f}" if not low else "38.6",
                spo2=rng.randint(94, 99) if not low else 92,
                symptoms=["cough", "fatigue"] if low else [])
            count += 1
        if back % 3 == 1:  # an antigen round every three days, all negative
            for stay in _residents(actor, n):
                services.record_test(actor=actor, kind="antigen", result="negative",
                                     person_id=stay.person_id, sampled_at=at)
                count += 1
    return count


def _closed_outbreak_last_year(sites: dict[str, int]) -> None:
    nurse, manager = _actor("nurse_e"), _actor("admin_e")
    stays = _residents(nurse, 3)
    start = timezone.make_aware(datetime(timezone.localdate().year - 1, 12, 9, 9, 20))
    t = services.record_test(actor=nurse, kind="antigen", result="positive",
                             person_id=stays[0].person_id, sampled_at=start)
    ob = t.outbreak
    clock = {"t": start}

    def act(action: str, minutes: int, **kw) -> None:  # type: ignore[no-untyped-def]
        clock["t"] += timedelta(minutes=minutes)
        fresh = Outbreak.objects.get(pk=ob.pk)
        services.act(actor=manager, outbreak_id=ob.pk, action=action, version=fresh.version,
                     at=clock["t"], **kw)

    home_report = OutbreakReport.objects.get(outbreak=ob, parent__isnull=True)
    act("start_plan", 10, note="院长启动应急预案，全院进入应急状态")
    case = ob.line_list.get()
    act("place", 10, entry_id=case.pk, where="home_room", place="A座一楼 隔离室1")
    act("add_person", 5, role="close", person_id=stays[1].person_id)
    act("add_person", 2, role="close", person_id=stays[2].person_id)
    act("isolate", 10, note="三级防护人员转移异常人员至隔离室")
    act("report", 5, joint_mechanism="兰考县疫情防控指挥部办公室", note="电话报告并报送书面材料")
    up1 = reports.forward(actor=_actor("officer_z"), report_id=home_report.pk,
                          version=home_report.version, content="兰考县康宁颐养院1名老人抗原阳性",
                          at=start + timedelta(minutes=50))
    up2 = reports.forward(actor=_actor("officer_city"), report_id=up1.pk, version=up1.version,
                          at=start + timedelta(minutes=95))
    reports.forward(actor=_actor("officer_prov"), report_id=up2.pk, version=up2.version,
                    at=start + timedelta(minutes=130))
    act("place", 100, entry_id=case.pk, where="hospital", place="兰考县人民医院（定点医院）",
        green_channel=True)
    act("transfer", 5, note="经绿色通道转运定点医院")
    act("start_tracing", 30, note="县疾控开展专题流调")
    for contact in ob.line_list.filter(role="close"):
        act("place", 20, entry_id=contact.pk, where="site", site_id=sites["z"], closed_loop=True)
    act("manage_contacts", 10, note="判定密接 2 人，无次密接")
    act("decide_isolation", 10, mode="external", closed_loop=True,
        note="仅一栋独立建筑，密接转至县集中隔离点")
    act("disinfect", 120, note="疾控组织专门消毒作业")
    for day in range(0, 7):
        clock["t"] = start.replace(hour=21, minute=0) + timedelta(days=day)
        act("trace_day", 0, day=(start + timedelta(days=day)).date(),
            new_cases=0, note="当日流调日清日结")
    act("close", 60 * 12, note="密接隔离期满解除，未发现新感染者，处置结束")


def _open_outbreak_now(sites: dict[str, int]) -> None:
    nurse, manager = _actor("nurse_a"), _actor("admin_a")
    stays = _by_tier(_residents(nurse, 40))
    now = timezone.now()
    start = now - timedelta(hours=5)
    services.set_infection_control(actor=manager, has_system=True,
                                   note="2023 年建立院感控制制度，设感控专员")
    t = services.record_test(actor=nurse, kind="antigen", result="positive",
                             person_id=stays[0].person_id, sampled_at=start,
                             note="晨检发热后抗原检测")
    ob = t.outbreak
    clock = {"t": start}

    def act(action: str, minutes: int, **kw) -> None:  # type: ignore[no-untyped-def]
        clock["t"] += timedelta(minutes=minutes)
        fresh = Outbreak.objects.get(pk=ob.pk)
        services.act(actor=manager, outbreak_id=ob.pk, action=action, version=fresh.version,
                     at=clock["t"], **kw)

    act("start_plan", 8, note="启动应急预案")
    case = ob.line_list.get()
    act("place", 7, entry_id=case.pk, where="home_room", place="康复楼 隔离室1")
    act("add_person", 5, role="close", person_id=stays[1].person_id)
    act("add_person", 2, role="close", staff_id=_actor("care_a1").membership_id)
    contacts = list(ob.line_list.filter(role="close").order_by("pk"))
    act("place", 10, entry_id=contacts[0].pk, where="home_room", place="康复楼 隔离室2")
    act("place", 5, entry_id=contacts[1].pk, where="site", site_id=sites["x"], closed_loop=True)
    act("isolate", 5, note="三级防护人员转移完毕")
    act("report", 10, joint_mechanism="杞县疫情防控指挥部办公室 值班室", note="电话报告")
    home_report = OutbreakReport.objects.get(outbreak=ob, parent__isnull=True)
    officer_x = _actor("officer_x")
    reports.forward(actor=officer_x, report_id=home_report.pk, version=home_report.version,
                    content="杞县颐养园养老中心1名老人抗原阳性，已隔离密接2人",
                    at=start + timedelta(minutes=60))
    # a second resident tests positive by nucleic acid two hours later and joins
    services.record_test(actor=nurse, kind="nucleic_acid", result="positive",
                         person_id=stays[2].person_id, sampled_at=start + timedelta(hours=2))
    second = ob.line_list.get(person_id=stays[2].person_id)
    clock["t"] = start + timedelta(hours=2, minutes=15)
    act("place", 0, entry_id=second.pk, where="home_room", place="康复楼 隔离室3")
    # the city did not forward within 2 hours: the background clock escalates it
    reports.escalate_overdue(now)


def build_demo_infection() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if Outbreak.objects.exists():
        return 0
    rng = random.Random(7014)
    sites = _sites()
    count = len(sites)
    count += _week_of_checks(rng, "nurse_a", 12)
    count += _week_of_checks(rng, "nurse_c", 6)
    _closed_outbreak_last_year(sites)
    _open_outbreak_now(sites)
    return count + Outbreak.objects.count()
