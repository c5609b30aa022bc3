"""Demo medication orders (issue 6 item 5): what the doctors ordered for the residents.

Residents in open stays get the orders their underlying diseases call for: antihypertensives for
高血压, metformin (and for some insulin or glimepiride) for 糖尿病, aspirin and a statin for
冠心病 and 脑卒中 (with PRN nitroglycerin for 冠心病), inhalers for 慢阻肺, and for a few PRN
acetaminophen or a weekly alendronate.  A few orders were stopped with their reasons (an
antihypertensive changed for oedema, aspirin held for a suspected GI bleed — recorded by the
nurse on the partner doctor's instruction —, a statin for raised ALT), and a short antibiotic
course has run out.

Who prescribed: in home A the clinic doctor (`hdoc_a`) and `doctor_b` of the partner township
hospital on patrol visits (source "patrol", `source_ref` the visit id); some orders came back
with a hospital discharge (source "referral"); in home C its clinic doctor (`hdoc_c`).  The other
demo homes have no doctor of their own and no partner agreement in force, so they have no
orders (a home without a doctor keeps its residents' own medicines as "当前用药" in the profile).

Written through the services (checked and audited like a user's).  Deterministic (seeded) and
idempotent: does nothing when any order other than a patrol order exists.  Runs after
`build_demo_agreements`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from yiyang.agreements import patrol_services
from yiyang.agreements.models import PatrolResident
from yiyang.core.scope import Actor
from yiyang.medication import services
from yiyang.medication.models import MedicationOrder
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, Condition, Stay

__all__ = ["build_demo_medication"]

_R = MedicationOrder.Route


@dataclass(frozen=True)
class _Drug:
    drug: str
    dose: str
    route: str
    frequency: str
    times: tuple[str, ...] = ()
    prn_indication: str = ""
    note: str = ""


AMLODIPINE = _Drug("苯磺酸氨氯地平片", "5 mg", _R.ORAL, "qd", ("08:00",))
NIFEDIPINE_CR = _Drug("硝苯地平控释片", "30 mg", _R.ORAL, "qd", ("08:00",),
                      note="整片吞服，不可掰开")
VALSARTAN = _Drug("缬沙坦胶囊", "80 mg", _R.ORAL, "qd", ("08:00",))
NIFEDIPINE = _Drug("硝苯地平片", "10 mg", _R.ORAL, "tid")
CAPTOPRIL_PRN = _Drug("卡托普利片", "12.5 mg", _R.SUBLINGUAL, "prn",
                      prn_indication="血压≥180/110 mmHg 时舌下含服，30 分钟后复测并报告医生")
METFORMIN = _Drug("盐酸二甲双胍片", "0.5 g", _R.ORAL, "tid", ("07:30", "11:30", "17:30"),
                  note="随餐服用")
GLIMEPIRIDE = _Drug("格列美脲片", "2 mg", _R.ORAL, "qd", ("07:00",), note="早餐前服，注意低血糖")
GLARGINE = _Drug("甘精胰岛素注射液", "12 U", _R.SUBCUTANEOUS, "qn", ("21:00",),
                 note="腹部轮换注射部位；睡前测指尖血糖")
ASPIRIN = _Drug("阿司匹林肠溶片", "100 mg", _R.ORAL, "qd", ("08:00",))
ATORVASTATIN = _Drug("阿托伐他汀钙片", "20 mg", _R.ORAL, "qn", ("20:00",))
ROSUVASTATIN = _Drug("瑞舒伐他汀钙片", "10 mg", _R.ORAL, "qn", ("20:00",))
NITROGLYCERIN_PRN = _Drug("硝酸甘油片", "0.5 mg", _R.SUBLINGUAL, "prn",
                          prn_indication="胸痛发作时舌下含服，5 分钟不缓解可再含 1 片，最多 3 片，"
                                         "并立即报告医生")
TIOTROPIUM = _Drug("噻托溴铵粉吸入剂", "18 μg（1 粒）", _R.INHALED, "qd", ("08:00",),
                   note="吸入后漱口")
SALBUTAMOL_PRN = _Drug("硫酸沙丁胺醇吸入气雾剂", "100 μg（1～2 喷）", _R.INHALED, "prn",
                       prn_indication="喘憋加重时，24 小时不超过 8 喷")
ACETAMINOPHEN_PRN = _Drug("对乙酰氨基酚片", "0.5 g", _R.ORAL, "prn",
                          prn_indication="体温≥38.5 ℃ 或疼痛时，两次间隔不少于 6 小时，"
                                         "24 小时不超过 4 次")
ALENDRONATE = _Drug("阿仑膦酸钠片", "70 mg", _R.ORAL, "weekly", ("06:30",),
                    note="晨起空腹，200 ml 温水送服，服药后 30 分钟内保持直立")
CEFACLOR = _Drug("头孢克洛胶囊", "0.25 g", _R.ORAL, "tid", note="肺部感染，疗程 7 天")

_HTN = (AMLODIPINE, NIFEDIPINE_CR, VALSARTAN)
_STATINS = (ATORVASTATIN, ROSUVASTATIN)


def _actor(username: str) -> Actor | None:
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership) if membership is not None else None


def _residents(home_id: int) -> list[tuple[Stay, set[str]]]:
    stays = list(Stay.objects.filter(home_id=home_id, status__in=OPEN_STATUSES)
                 .select_related("person").order_by("admitted_on", "id"))
    codes: dict[int, set[str]] = defaultdict(set)
    for person_id, code in (Condition.objects.filter(person__in=[s.person_id for s in stays],
                                                     is_active=True)
                            .values_list("person_id", "code")):
        codes[person_id].add(code)
    return [(s, codes[s.person_id]) for s in stays]


def _plan(codes: set[str], rng: random.Random, elderly: bool) -> list[_Drug]:
    out: list[_Drug] = []
    if "HTN" in codes:
        out.append(rng.choice(_HTN))
    if "DM" in codes:
        out.append(METFORMIN)
        if rng.random() < 0.3:
            out.append(rng.choice((GLIMEPIRIDE, GLARGINE)))
    if codes & {"CHD", "STROKE"}:
        out += [ASPIRIN, rng.choice(_STATINS)]
    if "CHD" in codes:
        out.append(NITROGLYCERIN_PRN)
    if "COPD" in codes:
        out += [TIOTROPIUM, SALBUTAMOL_PRN]
    if out and rng.random() < 0.15:
        out.append(ACETAMINOPHEN_PRN)
    if elderly and rng.random() < 0.2:
        out.append(ALENDRONATE)
    return out


def _write(actor: Actor, stay: Stay, drug: _Drug, start: date, *, source: str = "clinic",
           source_ref: str = "", stop_on: date | None = None) -> MedicationOrder:
    return services.prescribe(
        actor=actor, person_id=stay.person_id, drug=drug.drug, dose=drug.dose, route=drug.route,
        frequency=drug.frequency, times=drug.times, start_on=start, stop_on=stop_on,
        prn_indication=drug.prn_indication, note=drug.note, source=source,
        source_ref=source_ref)


def _home(actor: Actor, rng: random.Random, today: date, *, partner: Actor | None = None,
          nurse: Actor | None = None) -> int:
    # The patrol visits that saw each resident: a patrol order is given on one of those.
    seen: dict[int, list[tuple[int, date]]] = defaultdict(list)
    if partner is not None:
        rows = (PatrolResident.objects.filter(home_id=actor.org_id,
                                              visit__visited_on__lt=today)
                .order_by("visit__visited_on")
                .values_list("person_id", "visit_id", "visit__visited_on"))
        for person_id, visit_id, visited_on in rows:
            seen[person_id].append((visit_id, visited_on))
    made = 0
    for stay, codes in _residents(actor.org_id):
        age = today.year - stay.person.birth_date.year
        plan = _plan(codes, rng, elderly=age >= 80 and stay.person.sex == "F")
        if not plan:
            continue
        earliest = max(stay.admitted_on, today - timedelta(days=400))
        span = max((today - earliest).days - 3, 0)
        visits = seen.get(stay.person_id, [])
        by_patrol = bool(visits) and rng.random() < 0.35
        for drug in plan:
            start = earliest + timedelta(days=rng.randint(0, span))
            if by_patrol and drug.frequency != "prn":
                visit_id, visited_on = rng.choice(visits)
                order = patrol_services.give_patrol_order(
                    actor=partner, visit_id=visit_id, person_id=stay.person_id,  # type: ignore[arg-type]
                    drug=drug.drug, dose=drug.dose, route=drug.route, frequency=drug.frequency,
                    times=drug.times, start_on=max(visited_on, stay.admitted_on),
                    prn_indication=drug.prn_indication, note=drug.note)
            elif rng.random() < 0.1:
                order = _write(actor, stay, drug, start, source="referral",
                               source_ref="开封市中心医院出院小结")
            else:
                order = _write(actor, stay, drug, start)
            made += 1
            made += _history(actor, stay, order, rng, today, nurse=nurse)
    return made


def _history(actor: Actor, stay: Stay, order: MedicationOrder, rng: random.Random, today: date,
             *, nurse: Actor | None) -> int:
    """Sometimes stop an order the way it happens on the ward; the number of new orders."""
    roll = rng.random()
    if order.drug == AMLODIPINE.drug and roll < 0.25 and (today - order.start_on).days > 40:
        # It replaced a nifedipine order that caused ankle oedema.
        old_start = max(order.start_on - timedelta(days=rng.randint(30, 90)), stay.admitted_on)
        if old_start >= order.start_on:
            return 0
        old = _write(actor, stay, NIFEDIPINE, old_start)
        services.stop_order(actor=actor, order_id=old.pk, version=old.version,
                            stopped_on=order.start_on - timedelta(days=1),
                            reason="血压控制不平稳、双踝水肿，改为苯磺酸氨氯地平片 5 mg qd")
        return 1
    if order.drug == ASPIRIN.drug and roll < 0.12 and nurse is not None:
        day = max(order.start_on, today - timedelta(days=rng.randint(3, 20)))
        services.stop_order(actor=nurse, order_id=order.pk, version=order.version, stopped_on=day,
                            reason="解柏油样便，疑上消化道出血，暂停抗血小板药物，已联系转诊",
                            instructed_by=order.prescriber_name)
        return 0
    if order.drug in (ATORVASTATIN.drug, ROSUVASTATIN.drug) and roll < 0.1:
        day = max(order.start_on, today - timedelta(days=rng.randint(5, 30)))
        services.stop_order(actor=actor, order_id=order.pk, version=order.version, stopped_on=day,
                            reason="复查 ALT 升高至正常上限 3 倍以上，停药 4 周后复查肝功能")
        return 0
    if order.drug == METFORMIN.drug and roll < 0.15 and (today - stay.admitted_on).days > 60:
        start = today - timedelta(days=rng.randint(20, 50))
        _write(actor, stay, CEFACLOR, max(start, stay.admitted_on),
               stop_on=max(start, stay.admitted_on) + timedelta(days=6))
        return 1
    return 0


def build_demo_medication() -> int:
    """Build the demo orders; the number made (0 when the clinics' orders exist already)."""
    # Patrol orders come from the agreements demo, which runs first.
    if MedicationOrder.objects.exclude(source=MedicationOrder.Source.PATROL).exists():
        return 0
    today = timezone.localdate()
    rng = random.Random(6005)
    made = 0
    hdoc_a, doctor_b, nurse_a = _actor("hdoc_a"), _actor("doctor_b"), _actor("nurse_a")
    if hdoc_a is not None:
        partner = doctor_b if doctor_b and hdoc_a.org_id in doctor_b.partner_home_ids else None
        made += _home(hdoc_a, rng, today, partner=partner, nurse=nurse_a)
    hdoc_c = _actor("hdoc_c")
    if hdoc_c is not None:
        made += _home(hdoc_c, rng, today, nurse=_actor("nurse_c"))
    return made
