"""Demo data for the regulators' workspace (issue 10): obligations and their records, the
yearly inspection draw with findings and rectifications, clinic filings.

* **Obligation records**: a year of drills, fire checks and fire drills for every demo home,
  with random gaps (seeded); some gaps are fixed so the board shows something overdue now:
  home A missed last month's fire check, home C last quarter's emergency-plan drill.  Every
  fifth record carries a small PDF as evidence.
* **Hazard ledger** of home A: one verified, one rectified waiting for verification, one open
  past its deadline (the overdue rectification); home C has one open within its deadline.
* **Inspections**: 杞县民政局's inspector list (its two accounts and two names from the list),
  this year's 双随机 draw with the fixed seed `DRAW_SEED`, two homes drawn; home A's inspection
  has a finding rectified and verified, home B's one rectified and re-issued.
* **Filings**: home A's 医务室 filed and accepted by 杞县卫健委; home C's 诊所 returned by
  开封市卫健委 with reasons.

Written through the services (checked and audited); deterministic and idempotent (returns 0
when a draw or an obligation record exists).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yiyang.compliance import filing_services, inspection_services, obligations, rules, services
from yiyang.compliance.models import ClinicFiling, Inspection, InspectionDraw, ObligationRecord
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership

__all__ = ["DRAW_SEED", "build_demo_compliance"]

DRAW_SEED = 20260315

# (home key, the account that records) — the manager, who holds the permission in every home.
_HOMES = (("home_a", "nurse_a"), ("home_b", "admin_b"), ("home_c", "nurse_c"),
          ("home_d", "admin_d"), ("home_e", "admin_e"), ("home_f", "admin_f"))

_SUMMARIES = {
    "emergency_drill": ("开展疫情应急状态转换演练，模拟发现发热老人后的隔离、报告和转运流程",
                        "开展突发停电、火灾疏散综合应急预案演练，检验夜班值守和转移流程"),
    "fire_check": ("检查消防通道、安全出口、灭火器压力和有效期，未发现问题",
                   "检查厨房燃气管道和电气线路，更换过期灭火器 2 具",
                   "夜间巡查楼道、配电室，疏散指示标志完好"),
    "fire_drill": ("组织全体员工消防疏散演练，模拟二楼起火，转移失能老人",
                   "开展灭火器、消防栓实操培训和疏散演练"),
    "infection_drill": ("开展传染病防控应急演练：疑似聚集性发热病例的发现、报告、隔离和消毒",),
}
_PLACES = ("厨房", "二楼配电箱", "1号楼东侧安全出口", "洗衣房", "3楼楼梯间")
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0"
        b"/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _actor(username: str) -> Actor:
    return actor_for(Membership.objects.select_related("org", "user")
                     .get(user__username=username, is_active=True))


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


# (home, obligation) -> the period index from the end to skip (1 = the period before this one)
_FIXED_GAPS = {("home_a", "fire_check"): 1, ("home_c", "emergency_drill"): 1}


def _records(rng: random.Random, today: date) -> int:
    made = 0
    for key, username in _HOMES:
        actor = _actor(username)
        for spec in obligations.recordable():
            periods = rules.periods_in_window(spec.interval, today)
            for back, period in enumerate(reversed(periods)):
                gap = _FIXED_GAPS.get((key, spec.code))
                if gap is not None and back <= gap:
                    continue  # missed last period and not yet done this one: overdue now
                if back == 0 and rng.random() < 0.5:
                    continue  # this period's duty is still to do
                if back > 1 and rng.random() < 0.12:
                    continue  # an older gap, in the history
                first = max(period.start, rules.window(today))
                last = min(period.end, today)
                if first > last:
                    continue
                for n in range(spec.per_period):
                    day = first + timedelta(days=rng.randrange((last - first).days + 1))
                    made += 1
                    services.record_obligation(
                        actor=actor, obligation=spec.code, done_on=day,
                        summary=rng.choice(_SUMMARIES[spec.code]),
                        participants=rng.randrange(8, 60),
                        participant_note="全体值班员工及部分自理老人" if n == 0 else "",
                        evidence=_pdf(f"签到表-{spec.code}-{day:%Y%m%d}.pdf")
                        if made % 5 == 0 else None)
    return made


def _hazards(today: date) -> int:
    nurse_a, admin_a, nurse_c = _actor("nurse_a"), _actor("admin_a"), _actor("nurse_c")
    verified = services.record_hazard(
        actor=nurse_a, found_on=today - timedelta(days=95), place=_PLACES[0],
        description="燃气灶具软管老化开裂", deadline=today - timedelta(days=88))
    verified = services.act_on_hazard(
        actor=nurse_a, hazard_id=verified.pk, action="rectify", version=verified.version,
        note="更换为金属波纹软管并加装燃气泄漏报警器", done_on=today - timedelta(days=90),
        evidence=_pdf("燃气软管更换.pdf"))
    services.act_on_hazard(actor=admin_a, hazard_id=verified.pk, action="verify",
                           version=verified.version, done_on=today - timedelta(days=86))
    waiting = services.record_hazard(
        actor=nurse_a, found_on=today - timedelta(days=20), place=_PLACES[1],
        description="配电箱周边堆放纸箱等可燃物", deadline=today - timedelta(days=13))
    services.act_on_hazard(actor=nurse_a, hazard_id=waiting.pk, action="rectify",
                           version=waiting.version, note="清理可燃物，划定禁放区域",
                           done_on=today - timedelta(days=15))
    services.record_hazard(
        actor=nurse_a, found_on=today - timedelta(days=40), place=_PLACES[2],
        description="安全出口门闭门器损坏，疏散指示灯不亮", level="major",
        deadline=today - timedelta(days=10))
    services.record_hazard(
        actor=nurse_c, found_on=today - timedelta(days=3), place=_PLACES[3],
        description="烘干机排风管积尘较多", deadline=today + timedelta(days=7))
    return 4


def _inspections(today: date) -> int:
    officer = _actor("officer_x")
    admin_reg = _actor("admin_reg_x")
    for username in ("officer_x", "admin_reg_x"):
        m = Membership.objects.get(user__username=username, is_active=True)
        inspection_services.add_inspector(actor=admin_reg, membership_id=m.pk)
    inspection_services.add_inspector(actor=admin_reg, name="李建华", title="执法证 豫民 0221003")
    inspection_services.add_inspector(actor=admin_reg, name="周敏", title="执法证 豫民 0221007")
    draw = inspection_services.make_draw(actor=officer, year=today.year, count=2,
                                         per_inspection=2, seed=DRAW_SEED)
    start = date(today.year, 1, 1)
    by_home = {i.home_id: i for i in Inspection.objects.filter(draw=draw)}
    home_a = _actor("nurse_a").org_id
    other = next(i for h, i in by_home.items() if h != home_a)
    first = by_home[home_a]

    def day(n: int) -> date:
        return max(start, today - timedelta(days=n))

    first = inspection_services.conclude(
        actor=officer, inspection_id=first.pk, version=first.version, inspected_on=day(60),
        outcome="消防安全、传染病防控、服务质量总体符合要求；发现 1 项问题已责令整改并验收通过")
    f1 = inspection_services.issue_finding(
        actor=officer, inspection_id=first.pk, today=day(60), deadline=day(60) + timedelta(30),
        description="部分护理员未参加年度消防培训，培训记录不全", requirement="补训并建立培训台账")
    f1 = inspection_services.act_on_finding(
        actor=_actor("admin_a"), finding_id=f1.pk, action="rectify", version=f1.version,
        today=day(45), note="已组织全员补训，建立培训签到台账", evidence=_pdf("补训签到.pdf"))
    inspection_services.act_on_finding(actor=officer, finding_id=f1.pk, action="verify",
                                       version=f1.version, today=day(40), note="复查合格")
    other = inspection_services.conclude(
        actor=officer, inspection_id=other.pk, version=other.version, inspected_on=day(50),
        outcome="发现老人入院评估记录不完整，已责令限期整改")
    f2 = inspection_services.issue_finding(
        actor=officer, inspection_id=other.pk, today=day(50), deadline=day(50) + timedelta(20),
        description="3 名老人入院评估缺少能力评估表", requirement="补做评估并归档")
    f2 = inspection_services.act_on_finding(
        actor=_actor("admin_b"), finding_id=f2.pk, action="rectify", version=f2.version,
        today=day(35), note="已补做 1 名老人的评估")
    inspection_services.act_on_finding(
        actor=officer, finding_id=f2.pk, action="reissue", version=f2.version, today=day(25),
        deadline=today + timedelta(days=10), note="仍有 2 名老人未完成评估，重新下达整改")
    return 1


def _filings(today: date) -> int:
    a = filing_services.file_clinic(
        actor=_actor("admin_a"), kind=ClinicFiling.Kind.CLINIC_ROOM,
        name="杞县颐养园养老中心医务室",
        head="张国庆", doctors=2, nurses=4, services="常见病诊疗、慢病随访、院内急救、健康体检协助",
        record_number="豫杞卫备 2026-011", filed_on=today - timedelta(days=120))
    filing_services.review_filing(actor=_actor("officer_xh"), filing_id=a.pk, action="accept",
                                  version=a.version, reason="材料齐全，予以备案")
    c = filing_services.file_clinic(
        actor=_actor("admin_c"), kind=ClinicFiling.Kind.CLINIC, name="通许县福寿康养老院诊所",
        head="马红霞", doctors=1, nurses=1, services="常见病诊疗",
        filed_on=today - timedelta(days=30))
    filing_services.review_filing(
        actor=_actor("admin_reg_cityh"), filing_id=c.pk, action="return", version=c.version,
        reason="诊所应至少有 1 名执业医师和 1 名注册护士的执业证书复印件，请补充后重新提交")
    return 2


def build_demo_compliance() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if InspectionDraw.objects.exists() or ObligationRecord.objects.exists():
        return 0
    today = timezone.localdate()
    rng = random.Random("yiyang-demo-compliance")
    return _records(rng, today) + _hazards(today) + _inspections(today) + _filings(today)
