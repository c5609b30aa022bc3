"""Synthetic data at any scale (`yiyang gen`): a province's regulators, nursing homes with their
beds, and residents, for benchmarks of dashboards and lists (issue "Regulators' workspace" item 6).

Unlike the demo (a handful of hand-described organisations in 开封市), everything here is drawn
from a seeded `random.Random`, so the same arguments on an empty database give the same rows.
Homes are spread over the province's counties in turn; each gets one building with two-bed rooms
and about 10 % spare beds. Residents are admitted through `residents.bulk_admission.admit_many`
(the Excel import's path: validated, encrypted, classified and audited like an import), acting
as the platform's system actor of each home. Then (unless `extras=False`) `scale_extras` adds
every source the indicators count (vaccinations, assessments, agreements, outbreaks, staff,
community ledgers ...) and a login per regulator of the province; see docs/operations.md.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import system_actor
from yiyang.demo import people
from yiyang.demo.orgs import make_credit_code
from yiyang.demo.scale_extras import generate_extras, regulator_logins
from yiyang.orgs.models import Bed, Building, NursingHome, Organisation, Regulator, Room
from yiyang.regions.models import Region
from yiyang.residents.bulk_admission import Admission, admit_many

__all__ = ["ScaleSpec", "generate"]

BUILDING = "综合楼"
BEDS_PER_ROOM = 2
SPARE = 1.1  # beds per resident: homes are not full
_HOME_WORDS = ("颐养", "康宁", "福寿", "安康", "夕阳红", "松鹤", "幸福", "乐龄", "仁和", "慈爱",
               "长青", "和园", "泰康", "惠民", "爱心", "温馨")
_HOME_KINDS = ("养老院", "敬老院", "养老中心", "颐养院", "护养院")


@dataclass(frozen=True)
class ScaleSpec:
    province: str = "410000"  # GB/T 2260 province code (河南省)
    homes: int = 1000
    residents: int = 200_000
    seed: str = "yiyang-gen"
    extras: bool = True  # the indicators' source rows (scale_extras)

    def __post_init__(self) -> None:
        if self.homes < 1 or self.residents < 0:
            raise ValueError("机构数至少为 1，老人数不能为负")


def _counties(province: str) -> list[Region]:
    prefix = province[:2]
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, code__startswith=prefix,
                                          valid_to__isnull=True).order_by("code"))
    if not counties:
        raise ValueError(f"行政区划表中没有 {province} 的县级区划，请先运行 yiyang regions load")
    return counties


def _regulators(province: str, counties: list[Region], codes: set[str],
                rng: random.Random) -> int:
    """Civil-affairs and health regulators of the province, its cities and the counties."""
    wanted: list[tuple[Region, str]] = []
    province_region = Region.objects.get(code=province)
    wanted.append((province_region, Regulator.Level.PROVINCE))
    city_codes = sorted({c.parent_code for c in counties if c.parent_code})
    wanted += [(r, Regulator.Level.CITY) for r in Region.objects.filter(code__in=city_codes)]
    wanted += [(c, Regulator.Level.COUNTY) for c in counties]
    existing = set(Regulator.objects.values_list("region_id", "department"))
    made = 0
    for region, level in wanted:
        for dept, suffix in ((Regulator.Department.CIVIL_AFFAIRS, "民政局"),
                             (Regulator.Department.HEALTH, "卫生健康委员会")):
            if (region.pk, dept) in existing:
                continue
            provincial_ca = level == Regulator.Level.PROVINCE and suffix == "民政局"
            name = f"{region.name}{'民政厅' if provincial_ca else suffix}"
            Regulator.objects.create(
                kind=OrgKind.REGULATOR, name=name, short_name=name[:40],
                credit_code=_credit(rng, "11", region.code, codes), region=region,
                region_code=region.code, department=dept, level=level)
            made += 1
    return made


def _credit(rng: random.Random, prefix: str, region: str, codes: set[str]) -> str:
    while True:
        code = make_credit_code(rng, prefix, region)
        if code not in codes:
            codes.add(code)
            return code


def _homes(spec: ScaleSpec, counties: list[Region], codes: set[str],
           rng: random.Random) -> list[tuple[NursingHome, int]]:
    """The homes, each with how many residents it gets (spread evenly, remainder first)."""
    base, extra = divmod(spec.residents, spec.homes)
    made: list[tuple[NursingHome, int]] = []
    for i in range(spec.homes):
        county = counties[i % len(counties)]
        residents = base + (1 if i < extra else 0)
        name = (f"{county.name}{rng.choice(_HOME_WORDS)}{rng.choice(_HOME_KINDS)}"
                f"（{i // len(counties) + 1}号）")
        home = NursingHome.objects.create(
            kind=OrgKind.HOME, name=name[:100], short_name=name[:40],
            credit_code=_credit(rng, "52", county.code, codes), region=county,
            region_code=county.code, address=f"{county.full_name or county.name}",
            ownership=rng.choice(NursingHome.Ownership.values),
            bed_capacity=max(2, math.ceil(residents * SPARE)))
        made.append((home, residents))
    return made


def _beds(home: NursingHome, count: int) -> None:
    building = Building.objects.create(home=home, region_code=home.region_code, name=BUILDING,
                                       floors=1, is_independent=True)
    rooms = Room.objects.bulk_create(
        Room(home=home, building=building, region_code=home.region_code, number=f"{r + 1:04d}")
        for r in range(math.ceil(count / BEDS_PER_ROOM)))
    Bed.objects.bulk_create(
        (Bed(home=home, room=room, region_code=home.region_code, label=str(b + 1))
         for room in rooms for b in range(BEDS_PER_ROOM)), batch_size=5000)


def _admissions(home: NursingHome, count: int, rng: random.Random, taken: set[str],
                today: date) -> list[Admission]:
    rows: list[Admission] = []
    for i in range(count):
        years = people.age(rng)
        sex = "F" if rng.random() < people.female_share(years, False) else "M"
        born = people.birth_date(rng, years, today)
        rows.append(Admission(
            row=i + 2, name=people.person_name(rng, sex), sex=sex, birth_date=born,
            id_number=people.id_number(rng, home.region_code[:6], born, sex, taken),
            bed=(BUILDING, f"{i // BEDS_PER_ROOM + 1:04d}", str(i % BEDS_PER_ROOM + 1)),
            admitted_on=today - timedelta(days=rng.randrange(1, 3 * 365)),
            phone=people.mobile(rng) if rng.random() < 0.3 else "",
            disability_level=people.disability_level(rng, years, False, set()),
            contact_name=people.young_name(rng, rng.choice("MF")), contact_relation="子女",
            contact_phone=people.mobile(rng)))
    return rows


def generate(spec: ScaleSpec, *, log: Callable[[str], None] = print) -> dict[str, int]:
    """Add the regulators, homes, beds and residents `spec` asks for; return what was made."""
    started = time.monotonic()
    rng = random.Random(spec.seed)
    counties = _counties(spec.province)
    codes = set(Organisation.objects.values_list("credit_code", flat=True))
    with transaction.atomic():
        regulators = _regulators(spec.province, counties, codes, rng)
        homes = _homes(spec, counties, codes, rng)
        for home, residents in homes:
            _beds(home, max(2, math.ceil(residents * SPARE)))
    log(f"已生成 {regulators} 个监管部门、{len(homes)} 家养老机构及其床位")
    taken: set[str] = set()
    today = timezone.localdate()
    admitted = 0
    for n, (home, residents) in enumerate(homes, start=1):
        if not residents:
            continue
        actor = dataclasses.replace(
            system_actor(home.pk, OrgKind.HOME, home.region_code),
            permissions=frozenset({Perm.ADMIT_RESIDENTS}))
        problems = admit_many(actor=actor, home_id=home.pk,
                              admissions=_admissions(home, residents, rng, taken, today))
        if problems:  # e.g. an ID number already registered in this database
            raise ValueError(f"{home.name}：{problems[0].message}（第 {problems[0].row} 行）")
        admitted += residents
        if n % 100 == 0 or n == len(homes):
            log(f"已入住 {admitted} 位老人（{n}/{len(homes)} 家机构）")
    made = {"regulators": regulators, "homes": len(homes), "residents": admitted}
    made["logins"] = regulator_logins(spec.province)
    log(f"机构、床位和入住用时 {time.monotonic() - started:.1f} 秒")
    if spec.extras:
        started = time.monotonic()
        made.update(generate_extras([h for h, _ in homes], counties, seed=spec.seed, log=log,
                                    taken=taken))
        log(f"指标来源数据用时 {time.monotonic() - started:.1f} 秒")
    return made
