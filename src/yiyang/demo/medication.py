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
from datetime import date, datetime, time, timedelta
from decimal import Decimal

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
    """Build the demo orders, then the medicine stock and a month of administration records
    (`yiyang.demo.medication_emar`); the number of rows made (0 when they exist already)."""
    made = _build_orders()
    return made + build_demo_emar()


def _build_orders() -> int:
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


# ---- self-brought medicine and the administration record (eMAR) -----------------------------
#
# For a few residents of homes A and C with orders in force: the family handed over each drug
# about a month ago (batch, expiry, storage place, both names), and the nurses recorded every
# scheduled dose since, through the eMAR service — mostly given on time, some late, refused,
# held or missed with their reasons; PRN doses with the indication and the effect.  Today's doses
# are left for the medicine cart (those already past show as overdue).  One resident's stock
# runs low, one batch is near its expiry, one batch has expired (the next one is used), a dose
# given two hours late was reported as a wrong-time error, and an adverse reaction was handled.

_EMAR_DAYS = 30
_RESIDENTS = {"nurse_a": 6, "nurse_c": 2}
_MASS = {"mg", "g", "μg", "ug"}
_REFUSALS = ("老人拒绝服药，劝说无效，已告知医生", "老人诉恶心，拒服，已告知医生")
_HOLDS = ("血压 92/58 mmHg，暂缓给药并报告医生", "空腹血糖 3.6 mmol/L，暂缓并报告医生",
          "外出就诊未归，暂缓")
_MISSES = ("交接班遗漏，次班发现已过时间，报告医生后未补给",)


def _unit_and_strength(o: MedicationOrder) -> tuple[str, str]:
    """How the family's box counts the drug (the dose's own unit, or tablets/capsules of the
    dose's strength); captopril 25 mg tablets are halved for a 12.5 mg dose."""
    from yiyang.medication import emar_rules

    amount = emar_rules._amount(o.dose.split("（")[0])
    if "（" in o.dose and "粒" in o.dose:
        return "粒", o.dose.split("（")[0].strip()
    if "喷" in o.dose:
        return "喷", o.dose.split("（")[0].strip()
    if amount is not None and amount[1] not in _MASS:
        return amount[1], ""
    unit = "粒" if "胶囊" in o.drug else "片"
    if o.drug == CAPTOPRIL_PRN.drug:
        return unit, "25 mg"
    return unit, o.dose


def build_demo_emar() -> int:
    from yiyang.medication import emar_rules, emar_services
    from yiyang.medication.models import MedicationAdministration, MedicineStock

    if MedicineStock.objects.exists():
        return 0
    rng = random.Random(6006)
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    late_doses: list[MedicationAdministration] = []
    given_doses: list[MedicationAdministration] = []
    special = {"low": False, "near": False, "expired": False}
    for username, count in _RESIDENTS.items():
        nurse = _actor(username)
        if nurse is None:
            continue
        first = today - timedelta(days=_EMAR_DAYS)
        orders = list(MedicationOrder.objects.filter(
            home_id=nurse.org_id, status=MedicationOrder.Status.ACTIVE, start_on__lte=first)
            .exclude(frequency="once").select_related("person").order_by("person_id", "id"))
        people = sorted({o.person_id for o in orders})[:count]
        for person_id in people:
            mine = [o for o in orders if o.person_id == person_id]
            for o in mine:
                unit, strength = _unit_and_strength(o)
                per = emar_rules.units_per_dose(o.dose, unit, strength) or Decimal(1)
                daily = per * (len(o.times) or Decimal("0.3"))
                received = timezone.make_aware(datetime.combine(first, time(7, 0)))
                quantity = (daily * 45).quantize(Decimal(1))
                expires = today + timedelta(days=rng.randint(200, 600))
                batches = []
                if not special["expired"] and o.frequency in ("qd", "bid"):
                    # An older batch that expired four days ago with some left (to be
                    # destroyed); the fresh batch is used since.
                    special["expired"] = True
                    batches.append((f"{rng.randint(20230101, 20231231)}", daily * _EMAR_DAYS,
                                    today - timedelta(days=4), received - timedelta(days=60)))
                elif not special["near"] and o.frequency == "qd":
                    special["near"] = True
                    expires = today + timedelta(days=20)
                elif not special["low"] and o.frequency in ("bid", "tid"):
                    special["low"] = True
                    quantity = daily * (_EMAR_DAYS + 3)
                batches.append((f"{rng.randint(20240101, 20251231)}", quantity, expires,
                                received))
                for batch_number, amount, expires_on, at in batches:
                    emar_services.intake(
                        actor=nurse, person_id=person_id, drug=o.drug, unit=unit,
                        strength=strength, batch_number=batch_number, expires_on=expires_on,
                        quantity=max(amount, per), received_at=at,
                        storage_location=f"护士站药柜 {person_id % 40 + 1} 号格",
                        handed_over_by=o.person.name[0] + rng.choice("建秀春国丽红"),
                        handed_over_relation=rng.choice(("女儿", "儿子", "儿媳", "老伴")))
                    made += 1
            for day_offset in range(_EMAR_DAYS, 0, -1):
                day = today - timedelta(days=day_offset)
                for o in mine:
                    made += _doses_of_day(nurse, o, day, rng, late_doses, given_doses, now)
        _incidents(nurse, late_doses, given_doses, rng)
        late_doses, given_doses = [], []
        made += _recent_intakes(nurse, set(people), rng, today)
    return made


def _recent_intakes(nurse: Actor, done: set[int], rng: random.Random, today: date) -> int:
    """The other residents' families brought their medicines in the last ten days (no history
    yet): the cart has stock for them today."""
    from yiyang.medication import emar_rules, emar_services

    made = 0
    for o in (MedicationOrder.objects.filter(home_id=nurse.org_id,
                                             status=MedicationOrder.Status.ACTIVE)
              .exclude(person_id__in=done).exclude(frequency="once")
              .select_related("person").order_by("person_id", "id")):
        if o.stop_on is not None and o.stop_on < today:
            continue
        unit, strength = _unit_and_strength(o)
        per = emar_rules.units_per_dose(o.dose, unit, strength) or Decimal(1)
        daily = per * (len(o.times) or Decimal("0.3"))
        emar_services.intake(
            actor=nurse, person_id=o.person_id, drug=o.drug, unit=unit, strength=strength,
            batch_number=f"{rng.randint(20240101, 20251231)}",
            expires_on=today + timedelta(days=rng.randint(150, 700)),
            quantity=max((daily * rng.randint(20, 60)).quantize(Decimal(1)), per),
            received_at=timezone.make_aware(datetime.combine(
                today - timedelta(days=rng.randint(1, 10)), time(rng.randint(9, 17), 0))),
            storage_location=f"护士站药柜 {o.person_id % 40 + 1} 号格",
            handed_over_by=o.person.name[0] + rng.choice("建秀春国丽红"),
            handed_over_relation=rng.choice(("女儿", "儿子", "儿媳", "老伴")))
        made += 1
    return made


def _doses_of_day(nurse: Actor, o: MedicationOrder, day: date, rng: random.Random,
                  late: list, given: list, now) -> int:  # type: ignore[no-untyped-def,type-arg]
    from yiyang.core.errors import DomainError
    from yiyang.medication import emar_services

    made = 0
    if o.is_prn:
        if rng.random() < 0.12:
            at = timezone.make_aware(datetime.combine(day, time(rng.randint(9, 20),
                                                                rng.choice((5, 20, 40)))))
            record = emar_services.record_administration(
                actor=nurse, order_id=o.pk, status="given", given_at=at,
                prn_indication_seen=o.prn_indication.split("，")[0].replace("时", "")[:60],
                effect="30 分钟后复评：症状缓解")
            return 1 if record else 0
        return 0
    for hhmm in emar_services.scheduled_times(o, day):
        scheduled = emar_services.scheduled_datetime(day, hhmm)
        roll = rng.random()
        data: dict = {"status": "given"}  # type: ignore[type-arg]
        if roll < 0.03:
            data = {"status": "refused", "reason": rng.choice(_REFUSALS)}
        elif roll < 0.05:
            data = {"status": "held", "reason": rng.choice(_HOLDS)}
        elif roll < 0.06:
            data = {"status": "missed", "reason": _MISSES[0]}
        offset = rng.randint(-20, 25)
        if data["status"] == "given" and roll > 0.97:
            offset = rng.randint(75, 130)
        given_at = scheduled + timedelta(minutes=offset)
        if given_at > now:
            continue
        try:
            record = emar_services.record_administration(
                actor=nurse, order_id=o.pk, scheduled_at=scheduled, given_at=given_at,
                **data)
        except DomainError:
            continue  # e.g. a stock that ran out: the cart shows it
        made += 1
        if record.status == "given":
            (late if record.late else given).append(record)
    return made


def _incidents(nurse: Actor, late: list, given: list, rng: random.Random) -> None:  # type: ignore[type-arg]
    from yiyang.medication import emar_services

    clinic = _actor("hdoc_a" if nurse.username == "nurse_a" else "hdoc_c")
    doctor = (clinic.display_name if clinic and clinic.display_name else "") or "医务室医生"
    if late:
        dose = late[-1]
        local = timezone.localtime(dose.scheduled_at)
        emar_services.report_incident(
            actor=nurse, person_id=dose.person_id, kind="wrong_time", severity="none",
            occurred_at=dose.given_at, administration_id=dose.pk,
            description=f"{local:%H:%M} 的{dose.order.drug}因当班护士处理跌倒老人，"
                        f"延迟 {dose.minutes_off} 分钟给药",
            doctor_informed=True, doctor_name=doctor,
            informed_at=dose.given_at + timedelta(minutes=10),
            action_taken="报告医生，监测生命体征；医生指示本次照常给药，下次按时",
            outcome="老人无不适，生命体征平稳",
            follow_up="调整发药车排班，跌倒等突发情况由另一名护士接替发药")
    reactions = [d for d in given if d.order.drug in (METFORMIN.drug, AMLODIPINE.drug,
                                                      NIFEDIPINE_CR.drug, CEFACLOR.drug)]
    if reactions:
        dose = rng.choice(reactions)
        kind = {METFORMIN.drug: "胃肠道反应：恶心、腹泻 3 次",
                CEFACLOR.drug: "服药后 1 小时前胸、双上肢散在红色皮疹，伴瘙痒"}.get(
            dose.order.drug, "服药后诉头晕、双踝轻度水肿")
        incident = emar_services.report_incident(
            actor=nurse, person_id=dose.person_id, kind="adverse_reaction", severity="mild",
            occurred_at=dose.given_at + timedelta(hours=1), administration_id=dose.pk,
            description=kind, doctor_informed=True, doctor_name=doctor,
            informed_at=dose.given_at + timedelta(hours=1, minutes=15),
            action_taken="报告医生，停用可疑药物一次，监测生命体征，每 2 小时观察一次",
            follow_up="医生评估是否调整用药；连续观察 3 天")
        emar_services.handle_incident(
            actor=nurse, incident_id=incident.pk, version=incident.version,
            doctor_informed=True, doctor_name=doctor, informed_at=incident.informed_at,
            action_taken=incident.action_taken, outcome="症状 24 小时内缓解，未再出现",
            follow_up=incident.follow_up, close=rng.random() < 0.5)
