"""Demo data for Community (issue 9): the special-needs ledger of townships T (五里河镇, 杞县)
and U (竖岗镇, 通许县), visits, home services, family-doctor contracts.

Each township gets two more village committees (CommunityOrg of level village, parent the
township) next to the demo's 五里河村; about thirty people per township are put on the ledger
over the past year by the township's worker, with visits at roughly their risk interval (some
stopped, so they are overdue now), service requests delivered and open, and family-doctor
contracts with the township health centre for part of the §八 target group. One person of
township T has since been admitted to 五里河镇敬老院 (home B): the same `Person` record.

Written through the services. Deterministic (seeded) and idempotent (0 when entries exist).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from yiyang.community import rules, services
from yiyang.community.models import FamilyDoctorContract, LedgerEntry
from yiyang.demo import people
from yiyang.demo.orgs import make_credit_code
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Bed, CommunityOrg, MedicalInstitution, Membership, Organisation
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Stay

__all__ = ["build_demo_community"]

PER_TOWNSHIP = 30

VILLAGES = {
    "worker_t": (("五里河镇东张庄村村民委员会", "东张庄村"),
                 ("五里河镇西关社区居民委员会", "西关社区")),
    "worker_u": (("竖岗镇竖岗村村民委员会", "竖岗村"), ("竖岗镇大李庄村村民委员会", "大李庄村")),
}
ILLNESSES = ("脑梗死后遗症", "慢性肾衰竭（维持性血液透析）", "肺癌术后化疗中", "晚期肝硬化",
             "慢性心力衰竭", "帕金森病", "阿尔茨海默病", "股骨颈骨折术后")
DISABILITIES = ("肢体残疾二级", "视力残疾一级", "肢体残疾三级", "听力残疾二级", "肢体残疾一级")
PROVIDERS = {"worker_t": ("五里河镇幸福院助餐点", "杞县康乐居家养老服务中心"),
             "worker_u": ("竖岗镇日间照料中心", "通许县安康居家养老服务站")}
SERVICE_TEXT = {
    rules.ServiceKind.MEALS: "每日午餐送餐上门（低盐饮食）",
    rules.ServiceKind.CLEANING: "每周一次居室清洁",
    rules.ServiceKind.WALKING: "陪同外出、代购生活用品",
    rules.ServiceKind.BATHING: "每两周上门助浴一次",
    rules.ServiceKind.MEDICAL: "陪同到镇卫生院复诊取药",
    rules.ServiceKind.EMERGENCY: "安装紧急呼叫器并每月测试",
}
FINDINGS = ("身体状况平稳，家中有存粮，水电正常", "近日血压偏高，已提醒按时服药",
            "独自在家，精神可，诉膝关节疼痛", "家中取暖设施老旧，存在安全隐患",
            "长期用药剩余不足一周", "子女外出务工，近一月未回家", "卧床，由配偶照料，照护吃力")
ARRANGEMENTS = ("继续按计划巡访", "联系家庭医生上门测量血压", "协调助餐点送餐",
                "联系子女，叮嘱每周电话问候", "更换取暖器并讲解用电安全", "代为到卫生院取药",
                "申请助浴服务")


def _actor(username: str):  # type: ignore[no-untyped-def]
    m = (Membership.objects.select_related("org__region", "user")
         .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(m)


def _villages(rng: random.Random, township: CommunityOrg, names) -> list[CommunityOrg]:  # type: ignore[no-untyped-def]
    out = list(CommunityOrg.objects.filter(parent=township).order_by("pk"))
    codes = set(Organisation.objects.values_list("credit_code", flat=True))
    for name, short in names:
        if any(v.name == name for v in out):
            continue
        code = make_credit_code(rng, "54", township.region_code)
        while code in codes:
            code = make_credit_code(rng, "54", township.region_code)
        codes.add(code)
        out.append(CommunityOrg.objects.create(
            kind=township.kind, name=name, short_name=short, credit_code=code,
            region=township.region, region_code=township.region_code,
            address=f"{township.address.split('镇')[0]}镇{short}", parent=township,
            phone=f"0371-2{rng.randrange(10**6, 10**7)}",
            level=CommunityOrg.Level.VILLAGE))
    return out


def _person(rng: random.Random, county: str, today: date, taken: set[str]) -> dict:  # type: ignore[type-arg]
    age = rng.choice((68, 72, 75, 78, 81, 83, 85, 86, 88, 90, 92, 95)) + rng.randrange(3)
    sex = "F" if rng.random() < 0.58 else "M"
    born = people.birth_date(rng, age, today)
    while True:
        number = people.id_number(rng, county, born, sex, taken)
        if resident_services.person_by_id_number(number) is None:
            break
    living = rng.choices(("alone", "spouse", "family", "other"), weights=(4, 4, 3, 1))[0]
    dependent = rng.random() < (0.35 if age >= 85 else 0.15)
    ill = rng.random() < 0.2
    disabled = rng.random() < 0.2
    needs = set()
    if rng.random() < 0.6:
        needs.add("chronic")
    if rng.random() < 0.5:
        needs.add("medication")
    if ill and rng.random() < 0.5:
        needs.add(rng.choice(("dialysis", "radio_chemo", "post_surgery")))
    if living == "alone" and rng.random() < 0.6:
        needs.add("meals")
    if dependent:
        needs.add("home_nursing")
    name = people.person_name(rng, sex)
    surname = name[0] if sex == "M" else rng.choice(people.SURNAMES)
    child = people.young_name(rng, rng.choice("MF"), surname)
    addr, _ = people.address(rng, county)
    return {
        "name": name, "id_number": number, "phone": people.mobile(rng) if rng.random() < 0.5
        else "", "address": addr, "living": living, "disabled": disabled,
        "disability_note": rng.choice(DISABILITIES) if disabled else "",
        "dependent": dependent, "seriously_ill": ill,
        "illness": rng.choice(ILLNESSES) if ill else "", "needs": sorted(needs),
        "guardian_name": child, "guardian_relation": rng.choice(("儿子", "女儿", "侄子")),
        "guardian_phone": people.mobile(rng),
        "contact_name": people.young_name(rng, "M") if rng.random() < 0.6 else "",
        "contact_relation": "邻居", "contact_phone": people.mobile(rng),
    }


def _build(rng: random.Random, username: str, today: date, taken: set[str]) -> int:
    actor = _actor(username)
    township = CommunityOrg.objects.get(pk=actor.org_id)
    committees = _villages(rng, township, VILLAGES[username])
    county = township.region_code[:6]
    institution = (MedicalInstitution.objects.filter(region_code__startswith=county)
                   .order_by("region_code").first())  # the township health centre first
    made = 0
    entries = []
    for i in range(PER_TOWNSHIP):
        data = _person(rng, county, today, taken)
        listed_on = today - timedelta(days=rng.randrange(60, 330))
        if data["contact_name"] == "":
            data["contact_relation"] = data["contact_phone"] = ""
        entry = services.list_person(actor=actor, committee_id=committees[i % len(committees)].pk,
                                     listed_on=listed_on, **data)
        entries.append(entry)
        made += 1
    for entry in entries:
        made += _history(rng, actor, entry, today, institution, username)
    return made


def _history(rng: random.Random, actor, entry: LedgerEntry, today: date,  # type: ignore[no-untyped-def]
             institution, username: str) -> int:
    made = 0
    level = rules.risk(entry.categories_on(today), entry.needs)
    interval = rules.visit_interval(level)
    day = entry.listed_on + timedelta(days=rng.randrange(1, 5))
    stop = today - timedelta(days=rng.choice((0, 0, 0, 0, interval + 5, interval + 20)))
    while day <= min(stop, today):
        services.record_visit(
            actor=actor, entry_id=entry.pk, visited_on=day, visitor=actor.display_name,
            method=rng.choice(("home", "home", "phone")), findings=rng.choice(FINDINGS),
            arrangements=rng.choice(ARRANGEMENTS), needs_follow_up=rng.random() < 0.15)
        made += 1
        day += timedelta(days=interval + rng.randrange(-2, 3))
    if "meals" in entry.needs or entry.dependent or rng.random() < 0.2:
        kind = (rules.ServiceKind.MEALS if "meals" in entry.needs else
                rng.choice((rules.ServiceKind.BATHING, rules.ServiceKind.CLEANING,
                            rules.ServiceKind.MEDICAL, rules.ServiceKind.EMERGENCY)))
        asked = entry.listed_on + timedelta(days=rng.randrange(5, 30))
        if asked <= today:
            req = services.request_service(actor=actor, entry_id=entry.pk, kind=kind,
                                           detail=SERVICE_TEXT[kind], requested_on=asked,
                                           provider=rng.choice(PROVIDERS[username]))
            made += 1
            deliveries = rng.choice((0, 2, 4, 6))
            for n in range(deliveries):
                day = asked + timedelta(days=2 + 7 * n)
                if day > today:
                    break
                services.record_delivery(
                    actor=actor, request_id=req.pk, version=req.version, delivered_on=day,
                    worker=people.young_name(rng, "F"), note="已完成",
                    close=(n == deliveries - 1 and kind != rules.ServiceKind.MEALS))
                req.refresh_from_db()
                made += 1
    target = rules.in_target_group(entry.categories_on(today))
    if institution is not None and rng.random() < (0.7 if target else 0.3):
        start = entry.listed_on - timedelta(days=rng.randrange(0, 200))
        contract = services.sign_contract(
            actor=actor, entry_id=entry.pk, institution_id=institution.pk,
            team=f"{institution.short_name or institution.name}第{rng.randrange(1, 4)}家庭医生团队",
            doctor=people.young_name(rng, rng.choice("MF")),
            package=(FamilyDoctorContract.Package.HOME_CARE if entry.dependent
                     else rng.choice(("basic", "elderly", "chronic"))),
            start_on=start, end_on=start + timedelta(days=364))
        made += 1
        if contract.in_force(today) and entry.dependent:
            services.record_doctor_visit(actor=actor, contract_id=contract.pk,
                                         visited_on=max(start, today - timedelta(days=20)),
                                         doctor=contract.doctor,
                                         content="上门测血压、血糖，调整用药")
            made += 1
    return made


def _admit_one(today: date) -> None:
    """One township-T ledger person has since moved into 五里河镇敬老院 (same Person)."""
    admin = _actor("admin_b")
    entry = (LedgerEntry.objects.filter(township_id=_actor("worker_t").org_id, dependent=True)
             .select_related("person").order_by("pk").first())
    if entry is None:
        return
    bed = (Bed.objects.filter(home_id=admin.org_id, is_active=True)
           .exclude(stays__status__in=OPEN_STATUSES).order_by("pk").first())
    if bed is None or Stay.objects.filter(person=entry.person).exists():
        return
    p = entry.person
    resident_services.admit_resident(
        actor=admin, home_id=admin.org_id, bed_id=bed.pk, admitted_on=today - timedelta(days=12),
        name=p.name, id_number=p.id_number, document_type=p.document_type)


def build_demo_community(*, seed: str = "yiyang-demo-community") -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if LedgerEntry.objects.exists():
        return 0
    if not Membership.objects.filter(user__username="worker_t").exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    taken: set[str] = set()
    made = _build(rng, "worker_t", today, taken) + _build(rng, "worker_u", today, taken)
    _admit_one(today)
    return made
