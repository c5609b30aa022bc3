"""Demo residents (`yiyang demo`): several hundred elderly people in the six demo homes.

Each home is filled to 55–85 % of its active beds with residents, each with a health profile,
contacts, underlying diseases (REFERENCE §1.2), COVID vaccinations, the stay's timeline, and the
key-population classification computed by the same code as `services.classify` (REFERENCE §1.4),
plus some older, superseded classifications. Some past stays (退住, 去世) over the last three
years leave beds free or reused, so the bed board and timelines show a past.

Like `demo/orgs.py` this is a data generator: deterministic (seeded `random.Random`, dates
relative to today), idempotent (nothing is written when any person exists), writing models
directly with bulk_create and no audit rows. The people themselves come from `demo/people.py`.

Two beds per home are never used — the first in the default bed order and the last created —
because the test suite deletes the first of home A's beds and `demo/history.py` deactivates the
last one.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiyang.core.permissions import Role
from yiyang.demo import people
from yiyang.demo.orgs import EXTRA_MEMBERSHIPS, HOMES, MEDICAL, STAFF, DemoDataError
from yiyang.orgs.models import Bed, NursingHome, User
from yiyang.regions.models import Region
from yiyang.residents import rules, services
from yiyang.residents.models import (
    Condition,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
    Vaccination,
)
from yiyang.residents.search import pinyin_keys

__all__ = ["build_demo_residents"]

_S, _E = rules.StayStatus, rules.StayEvent
# The medical institution whose doctors sign the home's residents (family doctor, judgements).
LINKED_MEDICAL = {"home_a": "med_b", "home_b": "med_b", "home_c": "med_d", "home_d": "med_d",
                  "home_e": "med_n", "home_f": "med_n"}
HOSPITALS = {"410221": ("杞县人民医院", "杞县中医院"), "410222": ("通许县人民医院", "通许县中医院"),
             "410225": ("兰考县人民医院", "兰考县中心医院")}
CITY_HOSPITALS = ("开封市中心医院", "河南大学淮河医院", "开封市康复医院")
ADMISSION_REASONS = ("子女外出务工，无人照料", "特困供养对象集中供养", "老伴去世后独居，家属送养",
                     "术后康复，需专人照护", "失能，居家照护困难", "")
HOSPITAL_REASONS = ("肺部感染", "血压控制不佳", "跌倒致股骨颈骨折", "慢阻肺急性加重",
                    "血糖控制不佳", "急性心肌梗死", "脑梗死复发")
LEAVE_REASONS = ("回家过春节", "到女儿家小住", "随子女外出探亲", "回村参加亲属婚礼")
MOVE_REASONS = ("照护等级调整，调入护理区", "本人要求调至低楼层", "同室老人作息不合，调换房间")
DISCHARGES = (("", "家属接回居家养老"), ("开封市康复医院", "转入长期康复"),
              ("郑州市", "随子女迁居外地"), ("", "转入子女所在地养老机构"), ("", "经济原因退住"))
DEATH_NOTES = ("夜间突发心脏骤停，经抢救无效死亡", "多器官功能衰竭，在院内安详离世",
               "肺部感染后呼吸衰竭死亡", "脑出血，经抢救无效死亡")


@dataclass
class _Home:
    key: str
    home: NursingHome
    county: str
    public: bool
    beds: list[Bed]  # the usable ones
    active: int  # active beds in all
    admin: str  # recorded_by of the timeline
    classifier: str  # classified_by of the register
    doctors: list[tuple[str, str]]  # (name, institution)
    hospitals: tuple[str, ...]


def _usernames(org_key: str, role: str) -> list[str]:
    found = [u for u, _, key, r, _ in STAFF if key == org_key and r == role]
    return found + [u for u, key, r, _ in EXTRA_MEMBERSHIPS if key == org_key and r == role]


def _homes() -> list[_Home]:
    by_name = {h.name: h for h in NursingHome.objects.filter(name__in=[s.name for s in HOMES])}
    if len(by_name) != len(HOMES):
        raise DemoDataError("演示养老机构尚未生成，请先运行 build_demo_orgs（yiyang demo）")
    names = dict(User.objects.filter(is_demo=True).values_list("username", "full_name"))
    medical = {s.key: s.name for s in MEDICAL}
    out = []
    for spec in HOMES:
        home = by_name[spec.name]
        beds = list(Bed.objects.filter(home=home, is_active=True).order_by("room_id", "label"))
        last = max(b.pk for b in beds)
        doctors = [(names[u], f"{spec.short_name}医务室") for u in
                   _usernames(spec.key, Role.HOME_DOCTOR)]
        linked = LINKED_MEDICAL[spec.key]
        doctors += [(names[u], medical[linked]) for u in _usernames(linked, Role.MEDICAL_DOCTOR)]
        county, admin = spec.region[:6], _usernames(spec.key, Role.HOME_MANAGER)[0]
        out.append(_Home(
            key=spec.key, home=home, county=county, public="敬老院" in spec.name,
            beds=[b for b in beds[1:] if b.pk != last], active=len(beds), admin=admin,
            classifier=(_usernames(spec.key, Role.HOME_DOCTOR)
                        + _usernames(spec.key, Role.HOME_NURSE) + [admin])[0],
            doctors=doctors, hospitals=(*HOSPITALS[county], medical[linked], *CITY_HOSPITALS)))
    return out


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randrange(low, max(high, low + 1)))


class _Builder:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.rows: dict[type, list[Any]] = defaultdict(list)
        codes = {people.current_county(c) for c in people.COUNTIES}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}

    def add(self, obj: Any) -> Any:
        self.rows[type(obj)].append(obj)
        return obj

    # ---- a home ---------------------------------------------------------------------------

    def fill(self, h: _Home) -> None:
        rng, today = self.rng, self.today
        pool = list(h.beds)
        rng.shuffle(pool)
        n_open = min(round(h.active * rng.uniform(0.55, 0.85)), len(pool))
        occupied, spare = pool[:n_open], pool[n_open:]
        reused: dict[int, date] = {}
        for _ in range(round(n_open * rng.uniform(0.18, 0.28))):
            ended_on = today - _days(rng, 5, 3 * 365)
            if ended_on < today - timedelta(days=430) and occupied and (
                    rng.random() < 0.6 or not spare):
                bed = occupied[len(reused)] if len(reused) < len(occupied) else None
                if bed is not None:
                    reused[bed.pk] = ended_on
            else:
                bed = spare.pop() if spare else None
            if bed is not None:
                self.ended(h, bed, ended_on)
        for bed in occupied:
            self.resident(h, bed, reused.get(bed.pk), spare)

    # ---- people ---------------------------------------------------------------------------

    def person(self, h: _Home, age: int, ref: date) -> tuple[Person, str]:
        """A new person aged `age` on `ref`, and their township's vaccination clinic."""
        rng = self.rng
        sex = "F" if rng.random() < people.female_share(age, h.public) else "M"
        born = people.birth_date(rng, age, ref)
        origin = people.home_origin(rng, h.county)
        while (name := people.person_name(rng, sex)) in self.names:
            pass
        self.names.add(name)
        address, site = people.address(rng, origin)
        full, initials = pinyin_keys(name)
        person = Person(
            org=h.home, region_code=h.home.region_code, name=name, sex=sex, birth_date=born,
            id_number=people.id_number(rng, origin, born, sex, self.ids),
            phone=people.mobile(rng) if rng.random() < (0.3 if age < 80 else 0.1) else "",
            ethnicity="回族" if rng.random() < 0.03 else "汉族", address=address,
            address_region=self.regions.get(people.current_county(origin)), pinyin=full,
            initials=initials)
        return self.add(person), site

    def health(self, p: Person, site: str, h: _Home, age: int, young: bool, lo: date,
               hi: date) -> None:
        rng = self.rng
        conditions = people.conditions(rng, age)
        diseases = {other or code for code, other, _ in conditions}
        if young:
            level = rng.choices("1234", weights=(2, 3, 3, 2))[0]
        else:
            level = people.disability_level(rng, age, h.public, diseases)
        certified = young or rng.random() < (0.12 if level in "34" else 0.03)
        cert, kind = people.disability_certificate(rng, p.id_number) if certified else ("", "")
        doctor, institution = rng.choice(h.doctors)
        own = {"org": h.home, "region_code": h.home.region_code, "person": p}
        self.add(HealthProfile(
            **own, disability_level=level, disability_certificate_no=cert,
            disability_certificate_kind=kind, designated_hospital=rng.choice(h.hospitals[:3]),
            family_doctor=f"{doctor}（{institution}）",
            **people.profile_text(rng, age_years=age, level=level, diseases=diseases,
                                  hui=p.ethnicity == "回族")))
        for code, other, status in conditions:
            self.add(Condition(**own, code=code, other_name=other, status=status,
                               judged_on=lo + _days(rng, 0, (hi - lo).days),
                               judged_by=rng.choice(h.doctors)[0]))
        unstable = any(s == "unstable" for *_, s in conditions)
        for kind, product, dose, given, reason in people.vaccinations(
                rng, age, unstable=unstable, cancer="CANCER_RCT" in diseases):
            if given <= hi:
                self.add(Vaccination(**own, kind=kind, product=product, dose_number=dose,
                                     given_on=given, site=site, reason=reason))
        for kind, name, relation in people.contacts(rng, name=p.name, sex=p.sex,
                                                    public=h.public, level=level):
            self.add(Contact(**own, kind=kind, name=name, relation=relation,
                             phone=people.mobile(rng)))

    # ---- stays ----------------------------------------------------------------------------

    def event(self, stay: Stay, h: _Home, event: str, on: date, **extra: Any) -> None:
        self.add(StayEventRecord(stay=stay, home=h.home, region_code=h.home.region_code,
                                 event=event, occurred_on=on, recorded_by=h.admin, **extra))

    def resident(self, h: _Home, bed: Bed, after: date | None, spare: list[Bed]) -> None:
        rng, today = self.rng, self.today
        young = rng.random() < 0.025  # a disabled resident under 60 (特困供养)
        age = rng.randrange(46, 60) if young else people.age(rng)
        p, site = self.person(h, age, today)
        if after is not None:  # the bed's previous occupant left on `after`
            admitted = after + _days(rng, 3, 60)
        else:
            years = 8 if young else min(8, max(1, age - 59))
            admitted = today - _days(rng, 365, years * 365)
        draw = rng.random()
        status = _S.IN_HOSPITAL if draw < 0.03 else _S.ON_LEAVE if draw < 0.055 else \
            _S.IN_RESIDENCE
        stay = self.add(Stay(person=p, home=h.home, bed=bed, status=status,
                             admitted_on=admitted, region_code=h.home.region_code))
        self.health(p, site, h, age, young, max(admitted, today - timedelta(days=330)), today)
        first_bed, lived = bed, (today - admitted).days
        moved = None
        if spare and lived > 150 and rng.random() < 0.12:
            first_bed, moved = spare.pop(), admitted + _days(rng, 30, lived - 90)
        self.event(stay, h, _E.ADMIT, admitted, to_bed=first_bed,
                   note=rng.choice(ADMISSION_REASONS))
        if moved:
            self.event(stay, h, _E.MOVE_BED, moved, from_bed=first_bed, to_bed=bed,
                       note=rng.choice(MOVE_REASONS))
        # Past episodes away, never across the move, the last 40 days or each other.
        busy = [moved] if moved else []
        for out, back, share in ((_E.HOSPITAL_TRANSFER, _E.RETURN_FROM_HOSPITAL, 0.15),
                                 (_E.LEAVE, _E.RETURN_FROM_LEAVE, 0.10)):
            if rng.random() >= share or lived < 90:
                continue
            start = admitted + _days(rng, 20, lived - 40)
            end = start + _days(rng, 3, 21)
            if end >= today - timedelta(days=40) or any(start <= d <= end for d in busy):
                continue
            busy += [start, end]
            hospital = out == _E.HOSPITAL_TRANSFER
            self.event(stay, h, out, start,
                       destination=rng.choice(h.hospitals) if hospital else "",
                       note=rng.choice(HOSPITAL_REASONS if hospital else LEAVE_REASONS))
            self.event(stay, h, back, end)
        if status == _S.ON_LEAVE:
            self.event(stay, h, _E.LEAVE, today - _days(rng, 1, 12),
                       destination=rng.choice(("女儿家", "儿子家", "老家")),
                       note=rng.choice(LEAVE_REASONS))
        elif status == _S.IN_HOSPITAL:
            self.event(stay, h, _E.HOSPITAL_TRANSFER, today - _days(rng, 1, 20),
                       destination=rng.choice(h.hospitals), note=rng.choice(HOSPITAL_REASONS))

    def ended(self, h: _Home, bed: Bed, ended_on: date) -> None:
        rng, today = self.rng, self.today
        deceased = rng.random() < 0.6
        age = min(people.age(rng) + (3 if deceased else 0), 101)
        p, site = self.person(h, age, ended_on)
        admitted = ended_on - _days(rng, 60, 5 * 365)
        stay = self.add(Stay(person=p, home=h.home, bed=None, admitted_on=admitted,
                             ended_on=ended_on, region_code=h.home.region_code,
                             status=_S.DECEASED if deceased else _S.DISCHARGED))
        self.health(p, site, h, age, False, max(admitted, ended_on - timedelta(days=330)), ended_on)
        self.event(stay, h, _E.ADMIT, admitted, to_bed=bed, note=rng.choice(ADMISSION_REASONS))
        if not deceased:
            destination, note = rng.choice(DISCHARGES)
            self.event(stay, h, _E.DISCHARGE, ended_on, from_bed=bed, destination=destination,
                       note=note)
            return
        hospital = ""
        if rng.random() < 0.4 and (ended_on - admitted).days > 30:
            hospital = rng.choice(h.hospitals)
            self.event(stay, h, _E.HOSPITAL_TRANSFER, ended_on - _days(rng, 2, 20),
                       destination=hospital, note=rng.choice(HOSPITAL_REASONS))
        self.event(stay, h, _E.DEATH, ended_on, from_bed=bed, destination=hospital,
                   note="在医院救治无效死亡" if hospital else rng.choice(DEATH_NOTES))
        recent = (today - ended_on).days < 30
        if rng.random() < (0.5 if recent else 0.9):
            stay.death_certificate_no = f"{h.county}{ended_on:%Y}{rng.randrange(1, 4000):05d}"
            self.event(stay, h, _E.DEATH_CERTIFICATE,
                       min(ended_on + _days(rng, 1, 8), today))

    # ---- the register ---------------------------------------------------------------------

    def classify(self, homes: list[_Home]) -> None:
        """Current (and some older) classifications, computed like `services.classify`."""
        rng, today = self.rng, self.today
        start = rules.load_rule_set().effective_from
        by_home = {h.home.pk: h for h in homes}
        stays = {s.person_id: s for s in self.rows[Stay]}
        persons = (Person.objects.filter(pk__in=stays).select_related("profile")
                   .prefetch_related("conditions", "vaccinations").order_by("pk"))
        for p in persons:
            stay, h = stays[p.pk], by_home[stays[p.pk].home_id]
            judged = [c.judged_on for c in p.conditions.all() if c.is_active]
            if stay.ended_on is None:  # last input change: a review, a judgement, a new band
                bands = [d for a in (60, 65, 80, 90)
                         if (d := rules.birthday(p.birth_date, a)) <= today]
                on = max(today - _days(rng, 0, 300), stay.admitted_on, start, *judged, *bands)
            else:
                on = min(stay.ended_on, max(stay.admitted_on, start, *judged))
                if on < start:
                    continue
            current = self.record(p, h, on, services.classification_inputs(p, on), True)
            if current is not None:
                self.add(current)
                if stay.ended_on is None and rng.random() < 0.55:
                    self.older(p, h, stay, current)

    def record(self, p: Person, h: _Home, on: date, inputs: dict[str, Any],
               current: bool) -> KeyPopulationRecord | None:
        values = services.classification_values(inputs, on=on, classified_by=h.classifier)
        if values is None:
            return None
        return KeyPopulationRecord(person=p, org_id=p.org_id, region_code=p.region_code,
                                   is_current=current, **values)

    def older(self, p: Person, h: _Home, stay: Stay, current: KeyPopulationRecord) -> None:
        """A superseded record from a few months earlier with another category: before the
        last dose was recorded, while a disease was still unstable, or in the previous band."""
        rng = self.rng
        floor = max(stay.admitted_on, rules.load_rule_set().effective_from)
        stable = [c for c in p.conditions.all() if c.is_active and c.status == "stable"]
        options: list[tuple[str, Any]] = []
        if current.vaccination == "full":
            options.append(("vaccination", rng.choice(("partial", "none"))))
        if current.vaccination == "partial":
            options.append(("vaccination", "none"))
        if current.disease == "stable":
            options.append(("disease", "unstable"))
        rng.shuffle(options)
        for field, value in [*options, ("band", None)]:
            if field == "disease":
                old_on = min(c.judged_on for c in stable) - _days(rng, 14, 120)
            else:
                old_on = current.classified_on - _days(rng, 60, 240)
            if old_on < floor:
                continue
            inputs = services.classification_inputs(p, old_on)
            if value is not None:
                inputs[field] = value
            old = self.record(p, h, old_on, inputs, False)
            if old is None or old.category == current.category:
                continue
            if field == "disease":  # the earlier judgement, replaced by the stable one
                was = rng.choice(stable)
                self.add(Condition(person=p, org_id=p.org_id, region_code=p.region_code,
                                   code=was.code, other_name=was.other_name, status="unstable",
                                   judged_on=max(old_on - _days(rng, 0, 10), floor),
                                   judged_by=was.judged_by, is_active=False))
            self.add(old)
            return


def build_demo_residents(*, seed: str = "yiyang-demo-residents") -> int:
    """Create the demo residents once; returns the number of persons (0 when any exists)."""
    if Person.objects.exists():
        return 0
    builder = _Builder(random.Random(seed), timezone.localdate())
    with transaction.atomic():
        homes = _homes()
        for h in homes:
            builder.fill(h)
        for model in (Person, HealthProfile, Contact, Condition, Vaccination, Stay,
                      StayEventRecord):
            model.objects.bulk_create(builder.rows[model], batch_size=500)
        builder.rows[Condition] = []
        builder.classify(homes)
        Condition.objects.bulk_create(builder.rows[Condition])  # earlier, replaced judgements
        KeyPopulationRecord.objects.bulk_create(builder.rows[KeyPopulationRecord],
                                                batch_size=500)
    return len(builder.rows[Person])
