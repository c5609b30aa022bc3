"""Demo cooperation agreements (seed 003): who signed with whom, and the patrol-visit log.

* Home A ↔ 杞县五里河镇卫生院 (med_b, `doctor_b`'s institution): a published agreement in force,
  a one-year term that began about half a year ago, patrol every 14 days; visits recorded on
  (or a day or two after) each due date, except one due date a few weeks ago that was missed;
  residents seen on each visit with notes; an annual health check and a training session; the
  fee memo account; an up-referral that went to hospital and came back (the stay shows both), a
  declined one and one awaiting an answer; an open family bed with weekly rounds and a closed one.
* 通许县中医院 (med_d, `doctor_d`'s) has no agreement at all.
* Home C ↔ 开封市康复医院 (med_r): a draft, not yet confirmed; before it, an agreement with
  monthly patrols that the hospital never carried out, terminated by home C 20 days ago (the
  regulators' patrol and coverage indicators show a home that fell out of cooperation).
* Home E ↔ 兰考县仁爱护理院 (med_n): last year's agreement, whose term has ended (expired).

Written through the services (checked and audited like a user's).  Deterministic relative to
today, and idempotent: does nothing when any agreement exists.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from yiyang.agreements import family_bed_rules as bed_rules
from yiyang.agreements import family_bed_services, patrol_services, rules, services
from yiyang.agreements.models import Agreement, PatrolVisit, Referral
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import Stay

__all__ = ["build_demo_agreements"]

_HOME_DUTIES = ("提供巡诊场地和必要的设施设备；建立入住老年人健康档案并及时通报健康状况变化；"
                "按医嘱协助老年人用药；配合开展健康教育和应急演练。")
_MEDICAL_DUTIES = ("组建医护一体化巡诊团队，按约定周期定时巡诊；提供基本公共卫生服务和常见病诊疗；"
                   "开通双向转诊通道；指导传染病防控和药事管理；将合作经费单列备查账管理。")
_PATROL_INTERVAL = 14
_MISSED_BACK = 3  # the due date this many cycles before the latest closed one was missed


def _actor(username: str) -> Actor:
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    if membership is None:
        raise RuntimeError(f"演示账号 {username} 不存在，请先生成演示机构")
    return actor_for(membership)


def _document(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo signed agreement\n%%EOF\n", name=name)


def _draft(home_actor: Actor, medical_id: int, *, start: date, end: date, items: list[int],
           modes: list[str], fee: str, factors: list[str],
           interval: int | None) -> Agreement:
    return services.create_draft(
        actor=home_actor, counterpart_id=medical_id, items=items, modes=modes, start_on=start,
        end_on=end, home_duties=_HOME_DUTIES, medical_duties=_MEDICAL_DUTIES, fee=fee,
        fee_factors=factors, patrol_interval_days=interval)


def _publish(agreement: Agreement, home_actor: Actor, medical_actor: Actor) -> Agreement:
    day = agreement.start_on - timedelta(days=5)
    steps = ((home_actor, "confirm_home", None), (medical_actor, "confirm_medical", None),
             (home_actor, "sign", _document(f"agreement-{agreement.pk}.pdf")),
             (home_actor, "publish", None))
    for actor, action, document in steps:
        agreement = services.act(actor=actor, agreement_id=agreement.pk, action=action,
                                 version=agreement.version, document=document, today=day)
    return agreement


def _seen_on(home_id: int, day: date, count: int, offset: int) -> list[int]:
    """`count` residents who stayed in the home on `day`, a different slice each visit."""
    ids = list(Stay.objects.filter(home_id=home_id, admitted_on__lte=day)
               .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
               .order_by("person_id").values_list("person_id", flat=True))
    if not ids:
        return []
    start = (offset * 7) % len(ids)
    return [ids[(start + k) % len(ids)] for k in range(min(count, len(ids)))]


_NOTES = ("血压 162/94 mmHg，偏高", "空腹血糖 8.9 mmol/L", "左足跟皮肤发红，未破溃",
          "咳嗽咳痰 3 天，双肺呼吸音粗", "睡眠差，情绪低落", "")


def _patrols(agreement: Agreement, doctor: Actor, today: date) -> int:
    interval = agreement.patrol_interval_days or _PATROL_INTERVAL
    dues = rules.patrol_due_dates(agreement.start_on, agreement.end_on, interval, until=today)
    grace = rules.default_grace_days(interval)
    closed = [d for d in dues if d + timedelta(days=grace) < today]
    missed = closed[-_MISSED_BACK] if len(closed) >= _MISSED_BACK else None
    count = 0
    for i, due in enumerate(dues):
        if due == missed:
            continue
        visited = due + timedelta(days=i % 3)
        if visited > today:
            continue
        seen = _seen_on(agreement.home_id, visited, 8 + (i * 5) % 13, i)
        notes = {pid: _NOTES[(pid + i) % len(_NOTES)] for pid in seen[:4]}
        patrol_services.record_patrol_visit(
            actor=doctor, agreement_id=agreement.pk, visited_on=visited,
            doctors="刘志强（全科医生）", nurses="王秀英", person_ids=seen,
            notes={k: v for k, v in notes.items() if v},
            findings="血压控制欠佳 2 人；1 人足部皮肤破溃" if i % 4 == 0 else "未见明显异常",
            orders="一周后复测血压；破溃处每日换药" if i % 4 == 0 else "继续原治疗方案",
            follow_up="下次巡诊复查血压、血糖" if i % 4 == 0 else "",
            follow_up_on=visited + timedelta(days=interval) if i % 4 == 0 else None)
        count += 1
    return count


_PATROL_ORDERS = (
    {"drug": "苯磺酸氨氯地平片", "dose": "5 mg", "route": "oral", "frequency": "qd",
     "times": ["08:00"], "note": "巡诊测血压偏高，加用"},
    {"drug": "硝酸甘油片", "dose": "0.5 mg", "route": "sublingual", "frequency": "prn",
     "prn_indication": "胸痛发作时舌下含服，5 分钟未缓解可重复 1 次"},
    {"drug": "莫匹罗星软膏", "dose": "适量", "route": "topical", "frequency": "bid",
     "times": ["09:00", "21:00"], "note": "足部破溃处外涂，换药后使用"},
)


def _patrol_orders(agreement: Agreement, doctor: Actor) -> None:
    """Drug orders given on the two latest visits: they join the home's medication orders."""
    visits = list(PatrolVisit.objects.filter(agreement=agreement).order_by("-visited_on")[:2])
    k = 0
    for visit in visits:
        seen = list(visit.seen.filter(person__stays__status="in_residence",
                                      person__stays__home_id=agreement.home_id)
                    .values_list("person_id", flat=True)[:2])
        for pid in seen:
            patrol_services.give_patrol_order(actor=doctor, visit_id=visit.pk, person_id=pid,
                                              **_PATROL_ORDERS[k % len(_PATROL_ORDERS)])
            k += 1


def _fees(agreement: Agreement, agree: Actor, today: date) -> None:
    """The medical side's memo account: the year's fee received, then spent on the visits."""
    start = agreement.start_on
    for kind, day, amount, note in (
            ("receipt", start + timedelta(days=3), "6000.00", "上半年合作经费（养老机构转账）"),
            ("use", start + timedelta(days=40), "1800.00", "巡诊交通及耗材"),
            ("receipt", start + timedelta(days=170), "6000.00", "下半年合作经费"),
            ("use", start + timedelta(days=175), "2400.00", "年度健康体检试剂")):
        if day <= today:
            services.record_fee(actor=agree, agreement_id=agreement.pk, kind=kind,
                                entry_on=day, amount=Decimal(amount), note=note)


def _open_stays(home_id: int) -> list[Stay]:
    return list(Stay.objects.filter(home_id=home_id, status="in_residence")
                .order_by("person_id")[:6])


def _referrals(agreement: Agreement, nurse: Actor, doctor: Actor) -> None:
    """One up-referral that went and came back with a summary (the stay shows both moves), one
    declined with its reason, one waiting for the hospital's answer."""
    stays = _open_stays(agreement.home_id)
    if len(stays) < 3:
        return

    def step(r: Referral, who: Actor, action: str, **kw: str) -> Referral:
        return services.act_referral(actor=who, referral_id=r.pk, action=action,
                                     version=r.version, **kw)

    done = services.request_referral(actor=nurse, agreement_id=agreement.pk,
                                     person_id=stays[0].person_id, kind="up",
                                     reason="发热 38.9℃ 伴咳嗽咳痰 3 天，血氧 93%")
    done = step(done, doctor, "accept")
    done = step(done, nurse, "transfer")
    done = step(done, doctor, "admit")
    step(done, doctor, "return", summary="社区获得性肺炎，头孢曲松抗感染 7 天，体温正常，"
                                         "复查血常规正常。返院后继续口服药 3 天，一周后复诊。")
    declined = services.request_referral(actor=nurse, agreement_id=agreement.pk,
                                         person_id=stays[1].person_id, kind="up",
                                         reason="需行髋关节置换术评估")
    step(declined, doctor, "decline", reason="本院无骨科手术条件，建议转开封市人民医院")
    services.request_referral(actor=nurse, agreement_id=agreement.pk,
                              person_id=stays[2].person_id, kind="up",
                              reason="血糖控制不佳，拟住院调整胰岛素方案")


def _family_beds(agreement: Agreement, doctor: Actor, today: date) -> None:
    """Two family beds: one open with weekly rounds (the last one overdue), one closed."""
    stays = _open_stays(agreement.home_id)[3:5]
    if len(stays) < 2:
        return
    criteria = [c.code for c in bed_rules.CRITERIA]
    open_bed = family_bed_services.open_family_bed(
        actor=doctor, agreement_id=agreement.pk, person_id=stays[0].person_id,
        diagnosis="慢性心力衰竭（NYHA Ⅲ级）", criteria=criteria, responsible_doctor="刘志强",
        care_plan="每日监测体重、出入量；呋塞米 20 mg qd；低盐饮食；每周查床一次",
        opened_on=today - timedelta(days=40))
    for days_ago in (33, 26, 19, 10):
        family_bed_services.record_round(
            actor=doctor, bed_id=open_bed.pk, done_on=today - timedelta(days=days_ago),
            findings="双下肢轻度水肿，体重稳定" if days_ago > 15 else "活动后气促减轻，水肿消退",
            orders="继续原方案" if days_ago > 15 else "呋塞米减量为 10 mg qd")
    closed = family_bed_services.open_family_bed(
        actor=doctor, agreement_id=agreement.pk, person_id=stays[1].person_id,
        diagnosis="2 型糖尿病足（Wagner 1 级）", criteria=criteria, responsible_doctor="刘志强",
        care_plan="创面每日换药，监测血糖", opened_on=today - timedelta(days=90))
    for days_ago in (83, 76, 69, 62):
        family_bed_services.record_round(
            actor=doctor, bed_id=closed.pk, done_on=today - timedelta(days=days_ago),
            findings="创面缩小，无渗出", orders="继续换药")
    family_bed_services.close_family_bed(actor=doctor, bed_id=closed.pk, version=closed.version,
                                         outcome="recovered", reason="创面愈合",
                                         closed_on=today - timedelta(days=60))


def build_demo_agreements() -> int:
    """Build the demo agreements; the number of agreements made (0 when they exist)."""
    if Agreement.objects.exists():
        return 0
    today = timezone.localdate()
    admin_a, agree_b, doctor_b = _actor("admin_a"), _actor("agree_b"), _actor("doctor_b")
    active = _draft(admin_a, agree_b.org_id, start=today - timedelta(days=180),
                    end=today + timedelta(days=185), items=[1, 2, 3, 4, 5, 11, 13, 15, 16],
                    modes=["patrol", "referral"], fee="12000.00",
                    factors=["home_size", "workload", "distance"], interval=_PATROL_INTERVAL)
    active = _publish(active, admin_a, agree_b)
    _patrols(active, doctor_b, today)
    doctor_b = _actor("doctor_b")  # again: the agreement is in force now (partner_home_ids)
    _patrol_orders(active, doctor_b)
    services.record_service(actor=doctor_b, agreement_id=active.pk, kind="health_check",
                            delivered_on=today - timedelta(days=60),
                            topic="年度老年人健康体检（血常规、肝肾功能、心电图、B 超）", people=41)
    services.record_service(actor=doctor_b, agreement_id=active.pk, kind="training",
                            delivered_on=today - timedelta(days=21),
                            topic="护理员急救培训：心肺复苏与海姆立克法", people=18)
    _fees(active, agree_b, today)
    _referrals(active, _actor("nurse_a"), doctor_b)
    _family_beds(active, doctor_b, today)

    admin_c, admin_med_r = _actor("admin_c"), _actor("admin_med_r")
    _draft(admin_c, admin_med_r.org_id, start=today + timedelta(days=30),
           end=today + timedelta(days=395), items=[6, 7, 16], modes=["patrol", "aftercare"],
           fee="8000.00", factors=["workload", "staff_titles"], interval=30)

    ended = _draft(admin_c, admin_med_r.org_id, start=today - timedelta(days=200),
                   end=today + timedelta(days=165), items=[6, 7, 16], modes=["patrol"],
                   fee="6000.00", factors=["workload"], interval=30)
    ended = _publish(ended, admin_c, admin_med_r)
    services.catch_up(today=ended.start_on)  # it came into force on its start date
    ended = Agreement.objects.get(pk=ended.pk)
    services.act(actor=admin_c, agreement_id=ended.pk, action="terminate", version=ended.version,
                 reason="医院康复科人员调整，约定的每月巡诊未能开展，双方协商解除；新协议正在协商",
                 today=today - timedelta(days=20))

    admin_e, admin_med_n = _actor("admin_e"), _actor("admin_med_n")
    expired = _draft(admin_e, admin_med_n.org_id, start=today - timedelta(days=730),
                     end=today - timedelta(days=366), items=[7, 10, 14], modes=["patrol"],
                     fee="0", factors=[], interval=30)
    _publish(expired, admin_e, admin_med_n)
    services.catch_up(today=today)  # what the nightly clock would have done
    return 4
