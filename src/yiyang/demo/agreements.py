"""Demo cooperation agreements (seed 003): who signed with whom, and the patrol-visit log.

* Home A ↔ 杞县五里河镇卫生院 (med_b, `doctor_b`'s institution): a published agreement in force,
  a one-year term that began about half a year ago, patrol every 14 days; visits recorded on
  (or a day or two after) each due date, except one due date a few weeks ago that was missed;
  an annual health check and a family-bed round recorded as services.
* 通许县中医院 (med_d, `doctor_d`'s) has no agreement at all.
* Home C ↔ 开封市康复医院 (med_r): a draft, not yet confirmed.
* Home E ↔ 兰考县仁爱护理院 (med_n): last year's agreement, whose term has ended (expired).

Written through the services (checked and audited like a user's).  Deterministic relative to
today, and idempotent: does nothing when any agreement exists.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from yiyang.agreements import rules, services
from yiyang.agreements.models import Agreement
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership

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
        services.record_patrol_visit(
            actor=doctor, agreement_id=agreement.pk, visited_on=visited,
            team="刘志强（全科医生）、王秀英（护士）", residents_seen=8 + (i * 5) % 13,
            findings="血压控制欠佳 2 人；1 人足部皮肤破溃" if i % 4 == 0 else "未见明显异常",
            orders="调整降压药剂量，一周后复测血压；破溃处每日换药" if i % 4 == 0
            else "继续原治疗方案")
        count += 1
    return count


def build_demo_agreements() -> int:
    """Build the demo agreements; the number of agreements made (0 when they exist)."""
    if Agreement.objects.exists():
        return 0
    today = timezone.localdate()
    admin_a, agree_b, doctor_b = _actor("admin_a"), _actor("agree_b"), _actor("doctor_b")
    active = _draft(admin_a, agree_b.org_id, start=today - timedelta(days=180),
                    end=today + timedelta(days=185), items=[1, 2, 3, 4, 5, 11, 15],
                    modes=["patrol", "referral"], fee="12000.00",
                    factors=["home_size", "workload", "distance"], interval=_PATROL_INTERVAL)
    active = _publish(active, admin_a, agree_b)
    _patrols(active, doctor_b, today)
    services.record_service(actor=doctor_b, agreement_id=active.pk, kind="health_check",
                            delivered_on=today - timedelta(days=60),
                            topic="年度老年人健康体检（血常规、肝肾功能、心电图、B 超）", people=41)
    services.record_service(actor=doctor_b, agreement_id=active.pk, kind="family_bed",
                            delivered_on=today - timedelta(days=9),
                            topic="家庭病床查床：慢性心衰 2 人，调整利尿剂", people=2)

    admin_c, admin_med_r = _actor("admin_c"), _actor("admin_med_r")
    _draft(admin_c, admin_med_r.org_id, start=today + timedelta(days=30),
           end=today + timedelta(days=395), items=[6, 7, 16], modes=["patrol", "aftercare"],
           fee="8000.00", factors=["workload", "staff_titles"], interval=30)

    admin_e, admin_med_n = _actor("admin_e"), _actor("admin_med_n")
    expired = _draft(admin_e, admin_med_n.org_id, start=today - timedelta(days=730),
                     end=today - timedelta(days=366), items=[7, 10, 14], modes=["patrol"],
                     fee="0", factors=[], interval=30)
    _publish(expired, admin_e, admin_med_n)
    services.catch_up(today=today)  # what the nightly clock would have done
    return 3
