"""Demo assessments (seed 002 §十九): a past of admission bundles, re-assessments and risk scales.

Most residents in open stays had their admission bundle (GB/T 42195 with Annex A, Morse, Braden)
within three days of admission; those admitted more than about seven months ago were re-assessed
since (GB/T 42195 every ~180 days, Morse every ~90, Braden every ~30, a longer run of them for the
residents at risk), so the history chart has lines and some levels drift.  Hospital returns and
level changes were answered by immediate re-assessments, as the due list asks.

Left on purpose, so every part of the due list shows something: in each home a handful of
residents whose routine GB/T 42195 is overdue; residents with no assessment yet (those away now,
a few others, in home A the recent admissions but one); in home A a fall two days ago after the
resident's last assessment, a Morse record corrected, a draft started today; in home C a choking
answered by an immediate re-assessment and an MMSE draft, and two respite stays of the past
months, assessed on admission and over now.  A few records of the other scales in every home.

The answers follow the person: a resident's 失能等级 on file (HealthProfile) is the level the last
GB/T 42195 reaches, older residents sit lower in their level's band, and the order in which the
ability items fail follows age, stroke or Parkinson's (body first) and dementia (mind first).
Morse, Braden, Barthel and the others are read from the same ability answers.  Options are picked
by their score from each scale's questions, never by hard-coded values.

Written through the services (checked and audited like a user's), with two assessors for
GB/T 42195 (`second_assessor_id`); afterwards the audit rows and the records' own timestamps are
dated back to the assessment day, and the numbers (PG + year of creation) follow.  Home F has one
assessor only (its manager), so it cannot rate GB/T 42195: its residents have Morse and Braden.

Deterministic (seeded) and idempotent: does nothing when any assessment exists.  Runs after
`build_demo_residents`, `build_demo_imports` (home A's recent admissions) and
`build_demo_follow_ups`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Model, Prefetch
from django.utils import timezone

from yiyang.assessments import services
from yiyang.assessments.instruments import ad8, gbt42195, registry, tcm
from yiyang.assessments.instruments.base import Question
from yiyang.assessments.models import AdmissionAssessment, Assessment, ReassessmentTrigger
from yiyang.core.models import AuditEvent
from yiyang.core.permissions import Perm, Role, permissions_for
from yiyang.core.scope import Actor
from yiyang.demo import people
from yiyang.demo.orgs import HOMES
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Bed, Membership, NursingHome
from yiyang.residents import services as residents_services
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    Stay,
    StayEventRecord,
)
from yiyang.residents.rules import StayEvent, StayStatus, age_on

__all__ = ["build_demo_assessments"]

ABILITY, MORSE, BRADEN, BUNDLE = "gbt42195", "morse", "braden", "bundle"
FALL, CHOKING = "fall", "choking"
IP = "10.41.2.32"
ROUTINE_GAP = 180  # GB/T 42195 (schedule_rules.DEFAULT_ROUTINE_DAYS)
SETTLED_DAYS = 210  # admitted this long ago: re-assessed at least once since the bundle
RECENT_DAYS = 60  # admitted this recently: home A leaves all but one without a bundle
LONG_STAY_DAYS = 400  # tests pick unassessed residents admitted before this (helpers.open_stay)
SAME_DAY = {CHOKING: 0, FALL: 0, BUNDLE: 1, ABILITY: 2, MORSE: 3, BRADEN: 4}
MINUTES = {ABILITY: (35, 50), "mmse": (15, 20), "tcm": (15, 25), "gds15": (8, 12)}

# ---- the people ---------------------------------------------------------------------------


@dataclass
class _Resident:
    stay: Stay
    age: int
    level: int  # the 失能等级 on file: the level the last GB/T 42195 reaches
    diseases: set[str]  # Condition codes, and the names of "other" diseases
    unstable: bool
    contacts: list[tuple[str, str]]  # (name, relation)
    away: list[tuple[date, date]]  # past hospital stays and leaves: (left, back)
    returns: list[date]  # returns from hospital, each makes re-assessment due
    share: float = 0.5  # where in a level's band the totals sit (0 top, 1 bottom)
    dementia: bool = False  # Annex A lists 痴呆 (C.4 raises the level by one)
    losses: list[str] = field(default_factory=list)  # ability items, in the order they fail
    annex: dict[str, Any] = field(default_factory=dict)
    first: date | None = None  # the admission bundle's day
    ability: dict[str, int] = field(default_factory=dict)  # the latest ability answers
    records: list[Assessment] = field(default_factory=list)

    @property
    def person_id(self) -> int:
        return self.stay.person_id

    @property
    def name(self) -> str:
        return self.stay.person.name


@dataclass(order=True)
class _Visit:
    day: date
    rank: int  # order on the same day: a trigger, the bundle, then the instruments
    kind: str  # BUNDLE, an instrument code, or a trigger kind (FALL, CHOKING)
    reason: str = "routine"
    level: int | None = field(default=None, compare=False)  # GB/T 42195: its final level


def _visit(day: date, kind: str, reason: str = "routine") -> _Visit:
    return _Visit(day, SAME_DAY.get(kind, 5), kind, reason)


@dataclass
class _Team:
    """A home's assessors: nurses and doctors assess, the manager where there is neither; anyone
    assessing may co-sign GB/T 42195 (two assessors, C)."""

    actors: list[Actor]
    signers: list[int]

    def pick(self, rng: random.Random) -> Actor:
        return rng.choice(self.actors)

    def second(self, actor: Actor, rng: random.Random) -> int:
        return rng.choice([u for u in self.signers if u != actor.user_id])

    @property
    def rates_ability(self) -> bool:
        return len(set(self.signers)) >= 2


def _team(home: NursingHome) -> _Team:
    members = list(
        Membership.objects.select_related("org__region", "user")
        .filter(org=home, is_active=True, user__is_active=True)
        .order_by("id")
    )
    assessing = [m for m in members if Perm.ASSESS in permissions_for(m.role)]
    hands = [m for m in assessing if m.role in (Role.HOME_NURSE, Role.HOME_DOCTOR)] or assessing
    return _Team(
        actors=[actor_for(m, ip=IP) for m in hands], signers=sorted({m.user_id for m in assessing})
    )


def _residents(home: NursingHome, today: date) -> list[_Resident]:
    stays = (
        Stay.objects.filter(home=home, status__in=OPEN_STATUSES)
        .select_related("person__profile")
        .prefetch_related(
            Prefetch("person__conditions", Condition.objects.filter(is_active=True)),
            Prefetch("person__contacts", Contact.objects.order_by("kind", "id")),
            Prefetch("events", StayEventRecord.objects.order_by("occurred_on", "id")),
        )
        .order_by("person__pinyin", "pk")
    )
    out = []
    for stay in stays:
        person = stay.person
        conditions = list(person.conditions.all())
        away, left = [], None
        for event in stay.events.all():
            if event.event in (StayEvent.HOSPITAL_TRANSFER, StayEvent.LEAVE):
                left = event.occurred_on
            elif (
                event.event in (StayEvent.RETURN_FROM_HOSPITAL, StayEvent.RETURN_FROM_LEAVE)
                and left is not None
            ):
                away.append((left, event.occurred_on))
                left = None
        out.append(
            _Resident(
                stay=stay,
                age=age_on(person.birth_date, today),
                level=int(person.profile.disability_level),
                diseases={c.other_name or c.code for c in conditions},
                unstable=any(c.status == "unstable" for c in conditions),
                contacts=[(c.name, c.relation) for c in person.contacts.all()],
                away=away,
                returns=[
                    e.occurred_on
                    for e in stay.events.all()
                    if e.event == StayEvent.RETURN_FROM_HOSPITAL
                ],
            )
        )
    return out


# ---- ability answers ----------------------------------------------------------------------

_ABILITY = registry.get(ABILITY)
_MAX = {q.code: q.max_points for q in _ABILITY.questions}
BODY = {"STROKE", "帕金森病"}  # diseases that take the body first
DEMENTIA = "阿尔茨海默病"


def _loss_weights(r: _Resident) -> dict[str, float]:
    """How readily each item loses a point: mobility and self-care go with age and stroke,
    orientation and memory with dementia; aggression, mood and consciousness rarely."""
    body = 1.0 + (1.5 if r.diseases & BODY else 0.0) + max(r.age - 75, 0) / 15
    mind = (
        0.35
        + (3.0 if r.dementia or DEMENTIA in r.diseases else 0.0)
        + (0.6 if r.age >= 88 else 0.0)
    )
    weights = {}
    for q in _ABILITY.questions:
        group = q.code[:3]
        weight = {"B.1": body, "B.2": body * 1.3, "B.3": mind, "B.4": 0.5 * (body + mind)}[group]
        weights[q.code] = weight
    weights["B.2.4"] = body * 2.5  # stairs go first
    weights["B.4.4"] = (body + mind) * 1.5  # and going out alone
    weights["B.3.7"] = weights["B.3.8"] = 0.1 + 0.2 * mind
    weights["B.3.9"] = 0.02  # consciousness: only at the very end
    weights["B.4.1"] = weights["B.4.2"] = 0.3 + max(r.age - 80, 0) / 20  # sight and hearing
    return weights


def _loss_order(rng: random.Random, weights: dict[str, float]) -> list[str]:
    """Every point of the 90, in the order a declining person loses them.  One order per
    person keeps their records consistent: a lower total only adds losses."""
    left = dict(_MAX)
    order = []
    while any(left.values()):
        codes = [c for c, n in left.items() if n]
        code = rng.choices(codes, weights=[weights[c] for c in codes])[0]
        left[code] -= 1
        order.append(code)
    return order


def _with_score(q: Question, score: int) -> int:
    return next(o.value for o in q.options if o.score == score)


def _ability(r: _Resident, total: int) -> dict[str, int]:
    lost = Counter(r.losses[: gbt42195.MAX_TOTAL - total])
    return {q.code: _with_score(q, q.max_points - lost[q.code]) for q in _ABILITY.questions}


def _total(r: _Resident, level: int, rng: random.Random) -> int:
    """A total inside the band of the initial `level` (C.3): older people sit lower in it, and
    each record moves a little so the history chart is not flat."""
    _, low, high = next(band for band in gbt42195.LEVEL_BANDS if band[0] == level)
    share = min(max(r.share + rng.uniform(-0.12, 0.12), 0.0), 1.0)
    return round(high - share * (high - low))


def _levels(count: int, final: int, rng: random.Random, floor: int) -> list[int]:
    """Final levels of a resident's GB/T 42195 records, oldest first, ending at `final`.

    Some declined since admission, a few improved (rehabilitation).  Never below `floor`:
    levels do not cross 0 ↔ 1 ("能力完好" or not changes the key-population register), and with
    dementia on file every level is at least 2 (C.4 raises the initial level by one)."""
    levels = [final] * count
    draw = rng.random()
    if count >= 2 and draw < 0.3 and final - 1 >= floor:
        changed_at = rng.randrange(1, count)
        levels[:changed_at] = [final - 1] * changed_at
    elif count >= 2 and draw < 0.4 and 1 <= final <= 3:
        levels[0] = final + 1
    return levels


def _fraction(ability: dict[str, int], *codes: str) -> float:
    """How able the person is on these items, 0 (not at all) to 1."""
    return sum(ability[c] / _MAX[c] for c in codes) / len(codes)


def _ranked(q: Question) -> list[int]:
    return [o.value for o in sorted(q.options, key=lambda o: o.score)]


def _pick(q: Question, fraction: float) -> int:
    """The option at `fraction` of the way from the lowest score to the highest."""
    values = _ranked(q)
    return values[round(min(max(fraction, 0.0), 1.0) * (len(values) - 1))]


def _questions(code: str) -> dict[str, Question]:
    return {q.code: q for q in registry.get(code).questions}


# ---- Annex A ------------------------------------------------------------------------------

DIAGNOSES = {
    "HTN": "高血压",
    "DM": "糖尿病",
    "CHD": "冠心病",
    "STROKE": "脑梗塞",
    "COPD": "慢性阻塞性肺疾病",
    "CANCER_RCT": "肿瘤",
    "帕金森病": "帕金森综合征",
    "肝硬化": "肝硬化",
}
OTHER_DIAGNOSES = {"CKD": "慢性肾脏病", "IMMUNODEF": "免疫功能缺陷", "慢性心力衰竭": "慢性心力衰竭"}
EDUCATION = ("文盲", "小学", "初中", "高中/技校/中专", "大学专科及以上")
INFORMANTS = {
    "儿子": "子女",
    "女儿": "子女",
    "儿媳": "其他亲属",
    "孙子": "其他亲属",
    "侄子": "其他亲属",
    "村委会主任": "村（居）委会工作人员",
    "村民政协理员": "村（居）委会工作人员",
}


def _education(rng: random.Random, age: int, female: bool) -> str:
    # Rural Henan: the oldest women mostly never went to school.
    if age >= 85:
        weights = (55, 30, 10, 4, 1) if female else (25, 40, 22, 9, 4)
    elif age >= 75:
        weights = (35, 38, 18, 7, 2) if female else (15, 40, 28, 12, 5)
    else:
        weights = (15, 35, 32, 13, 5) if female else (8, 30, 37, 17, 8)
    return rng.choices(EDUCATION, weights=weights)[0]


def _marital(rng: random.Random, r: _Resident, public: bool) -> str:
    if public and r.stay.person.sex == "M":  # 特困供养: many never married
        return rng.choices(("未婚", "丧偶", "离婚", "已婚"), weights=(35, 40, 10, 15))[0]
    married = 15 if r.age >= 85 else 40
    return rng.choices(("已婚", "丧偶", "离婚", "未婚"), weights=(married, 90 - married, 5, 2))[0]


def _diagnoses(rng: random.Random, r: _Resident) -> tuple[list[str], str]:
    found = [name for code, name in DIAGNOSES.items() if code in r.diseases]
    other = [name for code, name in OTHER_DIAGNOSES.items() if code in r.diseases]
    if r.dementia:
        found.append("痴呆")
    elif DEMENTIA in r.diseases:
        other.append("认知功能减退（待专科确诊）")
    if r.age >= 80 and rng.random() < 0.2:
        found.append("白内障")
    if r.stay.person.sex == "F" and r.age >= 75 and rng.random() < 0.25:
        found.append("骨质疏松")
    if other:
        found.append("其他")
    return found, "、".join(other)


def _informant(
    rng: random.Random, r: _Resident, ability: dict[str, int], caregivers: list[str]
) -> tuple[str, str]:
    """The person answers when they understand and speak well; else a child, a relative, the
    village or, for those with nobody, their caregiver."""
    if _fraction(ability, "B.3.4", "B.3.5", "B.3.6") >= 0.75:
        return "本人", r.name
    for name, relation in r.contacts:
        if relation in INFORMANTS:
            return INFORMANTS[relation], name
    return "其他", rng.choice(caregivers) if caregivers else ""


def _annex(
    rng: random.Random, r: _Resident, ability: dict[str, int], public: bool, caregivers: list[str]
) -> dict[str, Any]:
    """Annex A as the assessor fills it on admission; re-assessments start from it again."""
    female = r.stay.person.sex == "F"
    height = rng.randrange(150, 163) if female else rng.randrange(160, 176)
    frail = r.level >= 3
    bmi = rng.uniform(16.5, 22.0) if frail else rng.uniform(19.0, 27.5)
    diagnoses, other = _diagnoses(rng, r)
    eating, walking = ability["B.1.1"], _fraction(ability, "B.2.1", "B.2.2", "B.2.3")
    relation, informant = _informant(rng, r, ability, caregivers)
    special = []
    if eating == 0 and rng.random() < 0.5:
        special.append("胃管")
    if ability["B.1.6"] == 0 and rng.random() < 0.3:
        special.append("尿管")
    teeth = rng.choices(
        ("无缺损", "牙列缺损", "牙列缺失"), weights=(10, 60, 30 + max(r.age - 80, 0))
    )[0]
    dentures = {
        "无缺损": "无义齿",
        "牙列缺损": rng.choice(("无义齿", "可摘局部义齿")),
        "牙列缺失": rng.choice(("可摘全/半口义齿", "无义齿")),
    }[teeth]
    swallowing = ["无"]
    if eating <= 2:
        swallowing = ["吃东西或喝水时出现咳嗽或呛咳"]
        if eating <= 1:
            swallowing.append("用餐后嘴中仍含着食物或留有残余食物")
    annex: dict[str, Any] = {
        "height_cm": height,
        "weight_kg": round(bmi * (height / 100) ** 2, 1),
        "religion": "有" if rng.random() < 0.04 else "无",
        "education": _education(rng, r.age, female),
        "living": ["养老机构"],
        "marital": _marital(rng, r, public),
        "payment": (
            ["城乡居民基本医疗保险", "医疗救助"]
            if public
            else [rng.choices(("城乡居民基本医疗保险", "城镇职工基本医疗保险"), weights=(7, 3))[0]]
            + (["大病保险"] if rng.random() < 0.3 else [])
        ),
        "income": (
            ["其他补贴", "国家普惠型补贴"]
            if public
            else rng.choice(
                (["退休金/养老金"], ["退休金/养老金", "子女补贴"], ["子女补贴", "国家普惠型补贴"])
            )
        ),
        **{f"risk_{kind}": "0" for kind in gbt42195.RISK_EVENT_TYPES},
        "informant_name": informant,
        "informant_relation": relation,
        "diagnoses": diagnoses,
        "diagnoses_other": other,
        "pressure_injury": rng.choice(("Ⅰ期", "Ⅱ期"))
        if r.level == 4 and rng.random() < 0.12
        else "无",
        "joint_motion": "是，影响日常生活功能" if walking < 0.5 else "无，没有影响日常生活功能",
        "joint_site": ("偏瘫侧肢体" if "STROKE" in r.diseases else "双膝关节")
        if walking < 0.5
        else "",
        "wounds": ["无"],
        "special_care": special or ["无"],
        "pain": rng.choices(("无疼痛", "轻度疼痛", "中度疼痛"), weights=(60, 32, 8))[0],
        "teeth": [teeth],
        "dentures": [dentures],
        "swallowing": swallowing,
        "malnutrition": bmi < 18.5,
    }
    return annex


def _health_status(r: _Resident) -> str:
    names = [n for n in r.annex["diagnoses"] if n != "其他"]
    if r.annex.get("diagnoses_other"):
        names.append(r.annex["diagnoses_other"])
    history = (
        f"既往{'、'.join(names)}，{'近期病情不稳定' if r.unstable else '病情稳定'}"
        if names
        else "无慢性病史"
    )
    daily = (
        "神志清楚，生活自理",
        "神志清楚，生活基本自理，洗澡需少量协助",
        "日常生活部分依赖，洗澡、如厕需协助",
        "日常生活大部分依赖护理，行走需扶持或轮椅",
        "长期卧床，生活完全依赖他人照护",
    )[r.level]
    return f"{history}；{daily}。"


def _service_needs(rng: random.Random, r: _Resident) -> list[str]:
    needs = ["daily_care"] if r.level >= 1 else []
    if r.diseases:
        needs.append("medical_care")
    if "STROKE" in r.diseases or (r.level in (2, 3) and rng.random() < 0.4):
        needs.append("rehabilitation")
    if rng.random() < 0.2:
        needs.append("tcm")
    if rng.random() < 0.15:
        needs.append("mental")
    if "DM" in r.diseases or r.annex["malnutrition"]:
        needs.append("nutrition")
    if r.dementia:
        needs.append("dementia_care")
    if r.diseases and rng.random() < 0.3:
        needs.append("escort")
    if r.level == 4 and "CANCER_RCT" in r.diseases:
        needs.append("hospice")
    return needs


# ---- answers of the other scales, read from the ability answers ----------------------------

# Braden item → the GB/T 42195 items it is read from (perception, moisture, activity, mobility,
# nutrition, friction and shear).
BRADEN_FROM = {
    "1": ("B.3.5", "B.3.6", "B.3.9"),
    "2": ("B.1.6", "B.1.7"),
    "3": ("B.2.3",),
    "4": ("B.2.1",),
    "5": ("B.1.1",),
    "6": ("B.2.2",),
}
# Barthel item → GB/T 42195 items (eating, bathing, grooming, dressing, bowels, bladder, toilet,
# transfer, walking, stairs).
BARTHEL_FROM = {
    "1": ("B.1.1",),
    "2": ("B.1.3",),
    "3": ("B.1.2",),
    "4": ("B.1.4", "B.1.5"),
    "5": ("B.1.7",),
    "6": ("B.1.6",),
    "7": ("B.1.8",),
    "8": ("B.2.2",),
    "9": ("B.2.3",),
    "10": ("B.2.4",),
}
# 生活自理能力评估表 item → GB/T 42195 items (meals, washing, dressing, toilet, activity).
SELFCARE_FROM = {
    "1": ("B.1.1",),
    "2": ("B.1.2", "B.1.3"),
    "3": ("B.1.4", "B.1.5"),
    "4": ("B.1.6", "B.1.7", "B.1.8"),
    "5": ("B.2.3", "B.2.4"),
}
MIND = ("B.3.1", "B.3.2", "B.3.3", "B.3.4", "B.3.5", "B.3.6")
MMSE_EDUCATION = {
    "文盲": "illiterate",
    "小学": "primary",
    "初中": "secondary",
    "高中/技校/中专": "secondary",
    "大学专科及以上": "college",
}
MMSE_SCHOOLING = ("4", "9", "10")  # serial sevens, reading, writing: hard without school
MNA_BMI_CUTS = (19, 21, 23)  # MNA-SF F1's bands (REFERENCE §5.6)


def _read(
    code: str,
    sources: dict[str, tuple[str, ...]],
    ability: dict[str, int],
    rng: random.Random,
    wobble: Iterable[str] = (),
) -> dict[str, int]:
    """Answers of an "able = more points" scale, each item read from its ability items."""
    out = {}
    for q in registry.get(code).questions:
        fraction = _fraction(ability, *sources[q.code])
        if q.code in wobble:
            fraction += rng.uniform(-0.2, 0.2)
        out[q.code] = _pick(q, fraction)
    return out


def _morse(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    q = _questions(MORSE)
    walking = ability["B.2.3"]  # 4 alone … 1 much help, 0 cannot walk
    top = _MAX["B.2.3"]
    # Walking aid: none when walking alone or not at all (wheelchair, bed, nurse); a cane or
    # walker when walking with supervision; furniture for some who need a hand.
    aid = _ranked(q["3"])[
        1 if walking == top - 1 else rng.choice((1, 2)) if walking == top - 2 else 0
    ]
    gait = _ranked(q["5"])[0 if walking in (top, 0) else 1 if walking == top - 1 else 2]
    forgets = _fraction(ability, "B.3.1", "B.3.4", "B.3.5") < 0.6 and walking > 0
    fell = walking > 0 and rng.random() < 0.06
    many = len([d for d in r.annex["diagnoses"] if d != "其他"]) >= 2
    return {
        "1": _ranked(q["1"])[-1 if fell else 0],
        "2": _ranked(q["2"])[-1 if many else 0],
        "3": aid,
        "4": _ranked(q["4"])[-1 if rng.random() < 0.04 else 0],
        "5": gait,
        "6": _ranked(q["6"])[-1 if forgets else 0],
    }


def _braden(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    return _read(BRADEN, BRADEN_FROM, ability, rng, wobble=("2", "5"))


def _barthel(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    return _read("barthel", BARTHEL_FROM, ability, rng)


def _selfcare(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    # Higher = more dependent: read the ability upside down.
    return {
        q.code: _pick(q, 1 - _fraction(ability, *SELFCARE_FROM[q.code]))
        for q in registry.get("selfcare").questions
    }


def _mmse(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    mind = _fraction(ability, *MIND)
    schooled = r.annex["education"] != "文盲"
    out = {}
    for q in registry.get("mmse").questions:
        fraction = mind + rng.uniform(-0.15, 0.1)
        if q.code in MMSE_SCHOOLING and not schooled:
            fraction -= 0.5
        out[q.code] = _pick(q, fraction)
    return out


def _minicog(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    q = _questions("minicog")
    return {
        "1": _pick(q["1"], _fraction(ability, "B.3.4") + rng.uniform(-0.2, 0.1)),
        "2": _pick(q["2"], 1.0 if _fraction(ability, *MIND) >= 0.75 else 0.0),
    }


def _ad8(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    """The informant's answers: changes noticed as the mind fails, some "don't know"."""
    change = 1.1 * (1 - _fraction(ability, *MIND)) + 0.05
    out = {}
    for q in registry.get("ad8").questions:
        if rng.random() < 0.07:
            out[q.code] = ad8.DONT_KNOW
        else:
            out[q.code] = _ranked(q)[-1 if rng.random() < change else 0]
    return out


def _gds15(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    # The depressive answer is the one worth a point (reverse-keyed items included).
    low_mood = 0.12 + 0.08 * r.level + (0.15 if ability["B.3.8"] == 0 else 0.0)
    out = {}
    for q in registry.get("gds15").questions:
        ranked = sorted(q.options, key=lambda o: o.score)
        out[q.code] = (ranked[-1] if rng.random() < low_mood else ranked[0]).value
    return out


def _mnasf(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    q = _questions("mnasf")
    bedbound = ability["B.2.3"] == 0
    answers = {
        "A": _pick(q["A"], _fraction(ability, "B.1.1") + rng.uniform(-0.3, 0.2)),
        "B": _pick(q["B"], rng.choice((1.0, 1.0, 1.0, 0.67, 0.33))),
        "C": _pick(q["C"], _fraction(ability, "B.2.2", "B.2.3", "B.4.4")),
        "D": _pick(q["D"], 0.0 if rng.random() < 0.1 else 1.0),
        "E": _pick(q["E"], _fraction(ability, *MIND) ** 2),
    }
    if bedbound:  # no standing weight: calf circumference instead of BMI (one of the two)
        answers["F2"] = _pick(q["F2"], 1.0 if r.level < 4 else 0.0)
    else:
        bmi = r.annex["weight_kg"] / (r.annex["height_cm"] / 100) ** 2
        answers["F1"] = _ranked(q["F1"])[sum(bmi >= cut for cut in MNA_BMI_CUTS)]
    return answers


def _tcm(r: _Resident, ability: dict[str, int], rng: random.Random) -> dict[str, int]:
    """Mostly "没有/很少"; a biased constitution common in old age shows on its own items."""
    q = _questions("tcm")
    answers = {
        code: _ranked(question)[rng.choices((0, 1, 2), weights=(65, 30, 5))[0]]
        for code, question in q.items()
    }
    if rng.random() < 0.6:
        kind = rng.choice([c for c in tcm.BIASED if c.key in ("qixu", "yangxu", "tanshi", "xueyu")])
        for n in kind.items:
            answers[str(n)] = _ranked(q[str(n)])[rng.choice((2, 3, 3))]
    else:  # 平和质: full of energy, rarely tired
        answers[str(tcm.BALANCED.items[0])] = _ranked(q[str(tcm.BALANCED.items[0])])[3]
    return answers


def _testable(r: _Resident) -> bool:
    """Awake and able enough to sit an MMSE."""
    return r.level <= 3 and r.ability["B.3.9"] == _MAX["B.3.9"]


def _forgetful(r: _Resident) -> bool:
    """Someone a nurse would screen: the mind not quite intact."""
    return _fraction(r.ability, *MIND) < 0.95


Answers = Callable[[_Resident, dict[str, int], random.Random], dict[str, int]]

# The other scales, with who they suit: MMSE and Mini-Cog for those who can be tested, GDS-15 and
# the TCM questionnaire for those who can answer about themselves, MNA-SF for the frail.
EXTRA: tuple[tuple[str, Answers, Callable[[_Resident], bool]], ...] = (
    ("barthel", _barthel, lambda r: True),
    ("mmse", _mmse, lambda r: _testable(r) and _forgetful(r)),
    ("minicog", _minicog, lambda r: r.level <= 2 and _forgetful(r)),
    ("ad8", _ad8, lambda r: r.annex["informant_relation"] != "本人"),
    ("gds15", _gds15, lambda r: _fraction(r.ability, *MIND) >= 0.75),
    ("mnasf", _mnasf, lambda r: r.level >= 2),
    ("selfcare", _selfcare, lambda r: r.level <= 1),
    ("tcm", _tcm, lambda r: r.level <= 1 and _fraction(r.ability, *MIND) >= 0.75),
)


# ---- the plan: who is assessed when ---------------------------------------------------------


def _ago(today: date, rng: random.Random, low: int, high: int) -> date:
    return today - timedelta(days=rng.randrange(low, high + 1))


def _series(last: date, step: int, count: int, after: date, rng: random.Random) -> list[date]:
    """`count` dates `step` (±3) days apart ending at `last`, all later than `after`."""
    days = [last]
    while len(days) < count:
        days.append(days[-1] - timedelta(days=step + rng.randrange(-3, 4)))
    return [d for d in days if d > after]


def _present(day: date, r: _Resident, today: date) -> date:
    """A day the resident was in the home: after a hospital stay or leave, once back."""
    for left, back in r.away:
        if left <= day < back:
            return min(back + timedelta(days=1), today - timedelta(days=1))
    return day


def _plan(
    r: _Resident, rng: random.Random, today: date, *, ability: bool, overdue: bool
) -> list[_Visit]:
    admitted = r.stay.admitted_on
    first = min(admitted + timedelta(days=rng.randrange(4)), today)
    r.first = first
    visits = (
        [_visit(first, BUNDLE, "first")]
        if ability
        else [_visit(first, MORSE, "first"), _visit(first, BRADEN, "first")]
    )
    settled = (today - first).days > SETTLED_DAYS
    if ability and settled:
        last = _ago(today, rng, 195, 320) if overdue else _ago(today, rng, 10, 170)
        count = 2 if rng.random() < 0.3 else 1
        visits += [
            _visit(d, ABILITY)
            for d in _series(last, ROUTINE_GAP, count, first + timedelta(days=120), rng)
        ]
    # The risk scales: everyone's last one is recent (so the due list is not all red), the
    # frailest have a longer run of them (Braden monthly, Morse quarterly).
    morse = 2 if r.level >= 3 else 1
    braden = 3 if r.level >= 3 and rng.random() < 0.5 else 2 if r.level >= 2 else 1
    visits += [
        _visit(d, MORSE)
        for d in _series(_ago(today, rng, 3, 88), 90, morse, first + timedelta(days=30), rng)
    ]
    visits += [
        _visit(d, BRADEN)
        for d in _series(_ago(today, rng, 1, 29), 30, braden, first + timedelta(days=14), rng)
    ]
    for v in visits:
        v.day = _present(v.day, r, today) if v.kind != BUNDLE else v.day
    _answer_hospital_returns(visits, r, rng, today, first, ability)
    return visits


def _covers(visit: _Visit, kind: str) -> bool:
    return visit.kind == kind or (visit.kind == BUNDLE and kind in services.BUNDLE)


def _answer_hospital_returns(
    visits: list[_Visit], r: _Resident, rng: random.Random, today: date, first: date, ability: bool
) -> None:
    """A return from hospital makes all three due at once (schedule_rules.TRIGGERED): where no
    later record answers it, an immediate re-assessment followed within two days."""
    kinds = services.BUNDLE if ability else (MORSE, BRADEN)
    for back in r.returns:
        if back <= first:
            continue
        for kind in kinds:
            if not any(_covers(v, kind) and v.day >= back for v in visits):
                day = min(back + timedelta(days=rng.randrange(3)), today - timedelta(days=1))
                visits.append(_visit(day, kind, "immediate"))


def _unique(visits: Iterable[_Visit]) -> list[_Visit]:
    """One visit of a kind a day, oldest first."""
    seen: set[tuple[date, str]] = set()
    out = []
    for v in sorted(visits):
        if (v.day, v.kind) not in seen:
            seen.add((v.day, v.kind))
            out.append(v)
    return out


def _set_levels(visits: list[_Visit], r: _Resident, rng: random.Random) -> list[_Visit]:
    """Levels for the GB/T 42195 visits; a change of level makes Morse and Braden due again
    (queries.due_list), so they were re-done the same day."""
    visits = _unique(visits)
    rated = [v for v in visits if _covers(v, ABILITY)]
    floor = 2 if r.dementia else 1
    for visit, level in zip(rated, _levels(len(rated), r.level, rng, floor), strict=True):
        visit.level = level
    for before, after in zip(rated, rated[1:], strict=False):
        if after.level != before.level:
            for kind in (MORSE, BRADEN):
                if not any(_covers(v, kind) and v.day >= after.day for v in visits):
                    visits.append(_visit(after.day, kind, "immediate"))
    return sorted(visits)


# ---- writing ------------------------------------------------------------------------------


@dataclass
class _Span:
    started: datetime
    finished: datetime


@dataclass
class _Draft:
    team: _Team
    resident: _Resident
    instrument: str
    answers: dict[str, int]
    context: dict[str, Any] | None


class _Demo:
    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.localtime()
        self.today = self.now.date()
        self.zone = timezone.get_current_timezone()
        self.when: dict[tuple[str, int], _Span] = {}  # (model, pk) → when it was done
        self.clock: dict[tuple[int, date], datetime] = {}  # (person, day) → next free time
        self.drafts: list[_Draft] = []  # started today, written after the dating back

    # ---- time of day ----

    def _at(self, person_id: int, day: date, minutes: int) -> _Span:
        """The next slot of the resident's assessment session that day (working hours)."""
        start = self.clock.get((person_id, day))
        if start is None:
            minute = self.rng.choice(
                (
                    self.rng.randrange(8 * 60 + 30, 11 * 60),
                    self.rng.randrange(14 * 60 + 30, 16 * 60 + 30),
                )
            )
            start = datetime.combine(day, time(minute // 60, minute % 60), self.zone)
        end = start + timedelta(minutes=minutes)
        limit = self.now - timedelta(minutes=5)
        if end > limit:  # today, later than now: it was done a moment ago
            start, end = limit - timedelta(minutes=minutes), limit
        self.clock[(person_id, day)] = end + timedelta(minutes=self.rng.randrange(3, 10))
        return _Span(start, end)

    def _minutes(self, code: str) -> int:
        low, high = MINUTES.get(code, (5, 9))
        return self.rng.randrange(low, high + 1)

    # ---- a home ----

    def home(self, key: str, home: NursingHome, public: bool) -> None:
        rng, today = self.rng, self.today
        team = _team(home)
        if not team.actors:
            return
        residents = _residents(home, today)
        caregivers = list(
            Membership.objects.filter(
                org=home, role=Role.HOME_CAREGIVER, is_active=True
            ).values_list("user__full_name", flat=True)
        )
        unassessed = self._unassessed(key, residents)
        assessed = [r for r in residents if r.person_id not in unassessed]
        for r in assessed:
            self._profile(r, public, caregivers)
        overdue = self._overdue(key, assessed)
        plans = {
            r.person_id: _plan(
                r, rng, today, ability=team.rates_ability, overdue=r.person_id in overdue
            )
            for r in assessed
        }
        present = [r for r in assessed if r.stay.status == StayStatus.IN_RESIDENCE]
        others = [r for r in present if r.person_id not in overdue]
        late = [r for r in present if r.person_id in overdue]
        if key == "home_a":
            self._fall(plans, others)
            if late:  # the overdue re-assessment begun today: self-care answered so far
                r = late[0]
                self.drafts.append(
                    _Draft(team, r, ABILITY, dict(list(r.ability.items())[:8]), None)
                )
        if key == "home_c":
            self._choking(plans, others)
            tested = [r for r in others if _testable(r) and _forgetful(r)]
            if tested:  # an MMSE begun today: orientation and registration so far
                r = tested[-1]
                answers = dict(list(_mmse(r, r.ability, rng).items())[:3])
                self.drafts.append(_Draft(team, r, "mmse", answers, self._education(r)))
        for r in assessed:
            self._write(team, r, _set_levels(plans[r.person_id], r, rng))
        if key == "home_a":
            self._correct(team, others)
        self._extras(team, present)

    def _profile(self, r: _Resident, public: bool, caregivers: list[str]) -> None:
        """Who the resident is for the assessor: where in the band, dementia on file, the order
        in which abilities fail, the ability now, Annex A."""
        rng = self.rng
        r.share = min(max((r.age - 60) / 40 * 0.6 + 0.2 + rng.uniform(-0.15, 0.15), 0.0), 1.0)
        # 痴呆 in Annex A for those with Alzheimer's on file and a few of the oldest and frailest;
        # only at level 2 and above, where C.4's raise keeps the level on file.
        r.dementia = r.level >= 2 and (
            DEMENTIA in r.diseases or (r.age >= 85 and r.level >= 3 and rng.random() < 0.3)
        )
        r.losses = _loss_order(rng, _loss_weights(r))
        r.ability = _ability(r, _total(r, r.level - r.dementia, rng))
        r.annex = _annex(rng, r, r.ability, public, caregivers)

    def _unassessed(self, key: str, residents: list[_Resident]) -> set[int]:
        """No assessment yet: those away now (in hospital, on leave), a few others, and in home
        A all but one of the recent admissions and at least three long-stay residents (tests
        assess someone who has nothing yet, admitted long ago: tests/assessments/helpers.py)."""
        rng, today = self.rng, self.today
        out = {r.person_id for r in residents if r.stay.status != StayStatus.IN_RESIDENCE}
        recent = sorted(
            (r for r in residents if r.stay.admitted_on > today - timedelta(days=RECENT_DAYS)),
            key=lambda r: r.stay.pk,
        )
        if key == "home_a":
            out |= {r.person_id for r in recent[1:]}
        ids = {r.person_id for r in recent}
        others = [r for r in residents if r.person_id not in out and r.person_id not in ids]
        out |= {r.person_id for r in rng.sample(others, max(1, len(others) // 30))}
        if key == "home_a":
            long_ago = today - timedelta(days=LONG_STAY_DAYS)
            have = sum(1 for r in residents if r.person_id in out and r.stay.admitted_on < long_ago)
            more = [r for r in others if r.person_id not in out and r.stay.admitted_on < long_ago]
            out |= {r.person_id for r in more[: max(0, 3 - have)]}
        return out

    def _overdue(self, key: str, assessed: list[_Resident]) -> set[int]:
        """A handful whose routine re-assessment is overdue: long-stay residents with no hospital
        return lately (one would have brought an immediate re-assessment)."""
        quiet = [
            r
            for r in assessed
            if r.stay.admitted_on < self.today - timedelta(days=LONG_STAY_DAYS)
            and not any(d > self.today - timedelta(days=330) for d in r.returns)
        ]
        count = min(len(quiet), 4 if key == "home_a" else 3)
        return {r.person_id for r in self.rng.sample(quiet, count)}

    def _fall(self, plans: dict[int, list[_Visit]], candidates: list[_Resident]) -> None:
        """A fall two days ago, after the resident's last assessment: ability and Morse due."""
        walkers = [
            r for r in candidates if 1 <= r.level <= 3 and r.ability["B.2.3"] in (2, 3)
        ] or candidates
        if not walkers:
            return
        r = walkers[0]
        day = self.today - timedelta(days=2)
        plans[r.person_id] = [v for v in plans[r.person_id] if v.day < day] + [_visit(day, FALL)]

    def _choking(self, plans: dict[int, list[_Visit]], candidates: list[_Resident]) -> None:
        """A choking at lunch, answered the next day by an immediate GB/T 42195."""
        eaters = [r for r in candidates if r.ability["B.1.1"] <= 2] or candidates
        if not eaters:
            return
        r = eaters[0]
        day = _ago(self.today, self.rng, 8, 14)
        plans[r.person_id] += [
            _visit(day, CHOKING),
            _visit(day + timedelta(days=1), ABILITY, "immediate"),
        ]

    def _write(self, team: _Team, r: _Resident, visits: list[_Visit]) -> None:
        """The resident's visits, oldest first: each GB/T 42195 sets the ability the risk scales
        of the following days are read from, and the profile's level follows the last one."""
        trigger: ReassessmentTrigger | None = None
        for v in visits:
            if v.level is not None:
                r.ability = _ability(r, _total(r, max(v.level - r.dementia, 0), self.rng))
            if v.kind == BUNDLE:
                self._bundle(team, r, v.day)
            elif v.kind in (FALL, CHOKING):
                trigger = self._trigger(team, r, v)
            elif v.kind == ABILITY:
                answered, trigger = trigger if v.reason == "immediate" else None, None
                self._record(
                    team,
                    r,
                    ABILITY,
                    v.day,
                    v.reason,
                    dict(r.ability),
                    self._annex_on(r, answered),
                    answered,
                )
            else:
                self._record(team, r, v.kind, v.day, v.reason, self._risk(r, v.kind), None)

    def _risk(self, r: _Resident, code: str) -> dict[str, int]:
        return (_morse if code == MORSE else _braden)(r, r.ability, self.rng)

    def _annex_on(self, r: _Resident, trigger: ReassessmentTrigger | None) -> dict[str, Any]:
        annex = dict(r.annex)
        if trigger is not None and trigger.kind == CHOKING:
            annex["risk_噎食"] = "1"  # A.2.14: the choking of the day before
        return annex

    def _education(self, r: _Resident) -> dict[str, str]:
        return {"education": MMSE_EDUCATION.get(r.annex["education"], "primary")}

    def _bundle(self, team: _Team, r: _Resident, day: date) -> None:
        actor = team.pick(self.rng)
        bundle = services.start_admission(
            actor=actor,
            stay_id=r.stay.pk,
            health_status=_health_status(r),
            service_needs=_service_needs(self.rng, r),
            started_on=day,
        )
        parts = services.current_components(bundle)
        session = self._at(r.person_id, day, 0)
        answers = {
            ABILITY: dict(r.ability),
            MORSE: self._risk(r, MORSE),
            BRADEN: self._risk(r, BRADEN),
        }
        for code in services.BUNDLE:
            part = services.save_draft(
                actor=actor,
                assessment_id=parts[code].pk,
                answers=answers[code],
                context=r.annex if code == ABILITY else None,
            )
            r.records.append(self._finalise(team, actor, part))
            self.when[("assessment", part.pk)] = _Span(
                session.started, self._at(r.person_id, day, self._minutes(code)).finished
            )
        self.when[("admissionassessment", bundle.pk)] = _Span(
            session.started, self.when[("assessment", parts[BRADEN].pk)].finished
        )

    def _record(
        self,
        team: _Team,
        r: _Resident,
        code: str,
        day: date,
        reason: str,
        answers: dict[str, int],
        context: dict[str, Any] | None,
        trigger: ReassessmentTrigger | None = None,
    ) -> Assessment:
        actor = team.pick(self.rng)
        record = services.start(
            actor=actor,
            person_id=r.person_id,
            instrument=code,
            reason=reason,
            assessed_on=day,
            answers=answers,
            context=context,
            trigger_id=trigger.pk if trigger else None,
        )
        done = self._finalise(team, actor, record)
        self.when[("assessment", record.pk)] = self._at(r.person_id, day, self._minutes(code))
        r.records.append(done)
        return done

    def _finalise(self, team: _Team, actor: Actor, record: Assessment) -> Assessment:
        second = team.second(actor, self.rng) if record.instrument == ABILITY else None
        return services.finalise(
            actor=actor, assessment_id=record.pk, version=record.version, second_assessor_id=second
        )

    def _trigger(self, team: _Team, r: _Resident, v: _Visit) -> ReassessmentTrigger:
        note = {
            FALL: "夜间起床如厕时在卫生间滑倒，臀部着地，当班护士查看无明显外伤，"
            "已通知家属和驻院医生",
            CHOKING: "午餐进食馒头时噎食，护理员立即拍背，咳出后缓解，嘱改软食",
        }[v.kind]
        trigger = services.report_trigger(
            actor=team.pick(self.rng),
            person_id=r.person_id,
            kind=v.kind,
            occurred_on=v.day,
            note=note,
        )
        self.when[("reassessmenttrigger", trigger.pk)] = self._at(r.person_id, v.day, 1)
        return trigger

    def _correct(self, team: _Team, candidates: list[_Resident]) -> None:
        """A Morse gait scored wrong, corrected by the nurse the next day (someone who walks
        with help, so either reading of the gait is plausible)."""
        walkers = [r for r in candidates if r.ability["B.2.3"] in (2, 3)] + candidates
        for r in walkers:
            morse = [a for a in r.records if a.instrument == MORSE and a.bundle_id is None]
            if not morse:
                continue
            old = morse[-1]
            actor = team.pick(self.rng)
            fix = services.correct(actor=actor, assessment_id=old.pk, note="步态评估有误，重新评定")
            gait = next(v for v in _ranked(_questions(MORSE)["5"])[1:] if v != old.answers["5"])
            fix = services.save_draft(actor=actor, assessment_id=fix.pk, answers={"5": gait})
            services.finalise(actor=actor, assessment_id=fix.pk, version=fix.version)
            day = min(old.assessed_on + timedelta(days=1), self.today)
            self.when[("assessment", fix.pk)] = self._at(r.person_id, day, 6)
            return

    def _extras(self, team: _Team, present: list[_Resident]) -> None:
        """A few records of the other scales in the last months, each given to residents it
        suits (EXTRA)."""
        rng = self.rng
        pool = [r for r in present if r.first and r.first < self.today - timedelta(days=30)]
        for code, answers, fits in EXTRA:
            chosen = [r for r in pool if fits(r)]
            for r in rng.sample(chosen, min(len(chosen), 2 if code == "barthel" else 1)):
                assert r.first is not None
                day = max(_ago(self.today, rng, 3, 100), r.first + timedelta(days=1))
                self._record(
                    team,
                    r,
                    code,
                    day,
                    "routine",
                    answers(r, r.ability, rng),
                    self._education(r) if code == "mmse" else None,
                )

    def write_drafts(self) -> None:
        for d in self.drafts:
            services.start(
                actor=d.team.pick(self.rng),
                person_id=d.resident.person_id,
                instrument=d.instrument,
                reason="routine",
                answers=d.answers,
                context=d.context,
            )

    # ---- short stays (the admission indicator, seed 002 §十九) ----

    def short_stays(self, home: NursingHome) -> None:
        """Two respite stays in the past months, both over now, each assessed on admission (the
        next day, two days after), so the home's admissions of the last year (with one earlier
        stay that ended unassessed) give the admission-assessment indicator something counted
        and something not (compliance/indicators/residents.py).
        Written after the home's residents, so nothing above changes; closed stays stay out of
        the care, infection and other builders, which read open stays."""
        rng, today = self.rng, self.today
        team = _team(home)
        members = (Membership.objects.filter(org=home, is_active=True, user__is_active=True)
                   .select_related("org__region", "user").order_by("id"))
        admin = next((m for m in members if Perm.ADMIT_RESIDENTS in permissions_for(m.role)),
                     None)
        if admin is None or not team.rates_ability:
            return
        actor = actor_for(admin, ip=IP)
        held = Stay.objects.filter(home=home, status__in=OPEN_STATUSES, bed__isnull=False)
        beds = list(Bed.objects.filter(home=home, is_active=True)
                    .exclude(pk__in=held.values("bed_id")).order_by("pk")[:2])
        taken: set[str] = set()
        for bed, (came, assessed_after, stayed), reason in zip(
                beds, ((150, 1, 45), (95, 2, 60)), ("术后短期托养", "家属外出期间短期托养"),
                strict=False):
            sex = rng.choice("MF")
            born = people.birth_date(rng, rng.randrange(72, 86), today)
            admitted = today - timedelta(days=came)
            stay = residents_services.admit_resident(
                actor=actor, home_id=home.pk, bed_id=bed.pk, admitted_on=admitted,
                name=people.person_name(rng, sex), sex=sex, birth_date=born,
                id_number=people.id_number(rng, home.region_code[:6], born, sex, taken))
            stay = Stay.objects.select_related("person__profile").get(pk=stay.pk)
            r = _Resident(stay=stay, age=age_on(born, today), level=0, diseases=set(),
                          unstable=False, contacts=[], away=[], returns=[])
            self._profile(r, False, [])
            self._bundle(team, r, admitted + timedelta(days=assessed_after))
            stay.refresh_from_db()
            residents_services.change_stay(
                actor=actor, stay_id=stay.pk, event=StayEvent.DISCHARGE, version=stay.version,
                on=admitted + timedelta(days=stayed), destination="回家", note=reason)

    # ---- dating back ----

    def date_back(self, start: int) -> None:
        """Audit rows and timestamps at the time of the assessment, not of the demo build.
        Rows about other objects written on the way (the profile's level, the register) take
        the time of the row before them; the records' numbers carry their creation year."""
        records = {
            a.pk: a
            for a in Assessment.objects.filter(
                pk__in=[pk for kind, pk in self.when if kind == "assessment"]
            ).select_related("person")
        }
        numbered = {pk: record.number for pk, record in records.items()}  # before dating
        for pk, record in records.items():
            span = self.when[("assessment", pk)]
            record.created_at, record.updated_at = span.started, span.finished
            record.finalised_at = span.finished
        renumber = {numbered[pk]: record.number for pk, record in records.items()}
        for record in records.values():  # a correction names the record it corrects
            if record.corrects_id in records:
                was = records[record.corrects_id]
                record.reason_note = record.reason_note.replace(numbered[was.pk], was.number)
        _save_columns(
            Assessment,
            records.values(),
            ("created_at", "updated_at", "finalised_at", "reason_note"),
        )
        for model, kind in (
            (AdmissionAssessment, "admissionassessment"),
            (ReassessmentTrigger, "reassessmenttrigger"),
        ):
            rows = list(model.objects.filter(pk__in=[pk for k, pk in self.when if k == kind]))
            for row in rows:
                span = self.when[(kind, row.pk)]
                row.created_at, row.updated_at = span.started, span.finished
            _save_columns(model, rows, ("created_at", "updated_at"))
        events = list(AuditEvent.objects.filter(id__gt=start).order_by("id"))
        previous = self.now
        for event in events:
            kind = event.object_type.rpartition(".")[2]
            span = self.when.get((kind, int(event.object_id or 0)))
            if span is None:  # written on the way: the profile's level, the register
                event.at = previous + timedelta(seconds=1)
            elif event.action in (
                "assessments.start",
                "assessments.admission.start",
                "assessments.trigger",
            ):
                event.at = span.started
            elif event.action == "assessments.save":
                event.at = span.finished - timedelta(minutes=1)
            else:
                event.at = span.finished
            previous = event.at
            if kind == "assessment" and int(event.object_id) in records:
                event.object_repr = str(records[int(event.object_id)])[:200]
            _renumber(event.changes, renumber)
        _save_columns(AuditEvent, events, ("at", "object_repr", "changes"))


def _save_columns(model: type[Model], rows: Iterable[Model], names: tuple[str, ...]) -> None:
    """Write these columns of many rows in one `executemany`: `bulk_update` builds a CASE per
    column and row, which took seconds for the few thousand rows here; `save()` would set
    `updated_at` to now (auto_now)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Identifiers are the model's own, quoted; values are parameters.
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk]
        for row in rows
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _renumber(changes: dict[str, Any], renumber: dict[str, str]) -> None:
    """Numbers named in an audit row (the record a correction corrects, the level's source)."""
    for key, value in changes.items():
        if isinstance(value, str) and value in renumber:
            changes[key] = renumber[value]
        elif isinstance(value, list):
            changes[key] = [renumber.get(v, v) if isinstance(v, str) else v for v in value]


def build_demo_assessments(*, seed: str = "yiyang-demo-assessments") -> int:
    """Returns the number of assessment records written (0 when any already exists)."""
    if Assessment.objects.exists():
        return 0
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    demo = _Demo(seed)
    homes = {h.name: h for h in NursingHome.objects.filter(name__in=[s.name for s in HOMES])}
    for spec in HOMES:
        if spec.name in homes:
            demo.home(spec.key, homes[spec.name], public="敬老院" in spec.name)
        if spec.key == "home_c" and spec.name in homes:
            demo.short_stays(homes[spec.name])
    demo.date_back(start)
    demo.write_drafts()
    return Assessment.objects.count()
