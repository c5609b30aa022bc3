"""Demo organisations, facilities, staff accounts and memberships (`yiyang demo`).

A realistic synthetic Henan setting: 开封市 (410200) and three of its counties —
county X = 杞县 (410221), county Y = 通许县 (410222), county Z = 兰考县 (410225) — with six
nursing homes, four medical institutions, community organisations and the civil-affairs and
health regulators at county, city and province level. Everything is deterministic (seeded
`random.Random`), so reruns on a fresh database produce the same codes, names and numbers.

This is a data generator: it writes models directly (bulk_create for rooms and beds) rather
than through the services, which would demand an acting user for every row.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from yiyang.core.identifiers import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    org_code_check_char,
    parse_credit_code,
)
from yiyang.core.permissions import OrgKind, Role
from yiyang.demo import DEMO_PASSWORD
from yiyang.orgs.models import (
    Bed,
    Building,
    CommunityOrg,
    MedicalInstitution,
    Membership,
    NursingHome,
    Organisation,
    Regulator,
    Room,
    User,
)
from yiyang.regions.models import Region

__all__ = ["DemoCast", "DemoDataError", "Login", "LoginGroup", "build_demo_orgs"]

# The user whose presence means "the demo data is already there".
SENTINEL_USERNAME = "nurse_a"

PROVINCE = "410000"  # 河南省
CITY = "410200"  # 开封市
CITY_DISTRICT = "410205"  # 禹王台区
COUNTY_X = "410221"  # 杞县
COUNTY_Y = "410222"  # 通许县
COUNTY_Z = "410225"  # 兰考县
TOWNSHIP_T = "410221101"  # 杞县五里河镇
TOWNSHIP_U = "410222101"  # 通许县竖岗镇
TOWNSHIP_Z = "410225101"  # 兰考县堌阳镇


class DemoDataError(RuntimeError):
    """The demo data cannot be built (e.g. the region table is not loaded); Chinese message."""


# ---- the cast printed by `yiyang demo` ------------------------------------------------------

@dataclass(frozen=True)
class Login:
    username: str
    description: str  # e.g. "杞县颐养园养老中心 护士"
    full_name: str = ""


@dataclass(frozen=True)
class LoginGroup:
    title: str
    logins: tuple[Login, ...]


@dataclass(frozen=True)
class DemoCast:
    """The demo logins, grouped: the named personas first, then everyone else by org kind."""

    password: str
    groups: tuple[LoginGroup, ...] = field(default_factory=tuple)

    def __iter__(self) -> Iterator[Login]:
        for group in self.groups:
            yield from group.logins

    @property
    def usernames(self) -> list[str]:
        return [login.username for login in self]

    def describe(self, username: str) -> str:
        for login in self:
            if login.username == username:
                return login.description
        raise KeyError(username)


# ---- specifications ---------------------------------------------------------------------

@dataclass(frozen=True)
class _OrgSpec:
    key: str
    kind: str
    name: str
    short_name: str
    region: str
    address: str
    credit_prefix: str  # 登记管理部门码 + 机构类别码
    profile: dict = field(default_factory=dict)
    parent: str = ""


@dataclass(frozen=True)
class _Facilities:
    buildings: tuple[tuple[str, int], ...]  # (name, floors); the first is the independent one
    beds: int  # beds to lay out (≤ the home's bed_capacity)


_H = NursingHome.Ownership
_U = NursingHome.MedicalUnit
_T = MedicalInstitution.Type
_G = MedicalInstitution.Grade


def _home(key: str, name: str, short: str, region: str, address: str, credit: str, *,
          ownership: str, capacity: int, unit: str = "", filing: str = "",
          integrated: bool = False) -> _OrgSpec:
    return _OrgSpec(key, OrgKind.HOME, name, short, region, address, credit, {
        "ownership": ownership, "bed_capacity": capacity, "has_medical_unit": bool(unit),
        "medical_unit_type": unit, "medical_filing_no": filing, "is_integrated": integrated,
    })


HOMES: tuple[_OrgSpec, ...] = (
    _home("home_a", "杞县颐养园养老中心", "颐养园", COUNTY_X,
          "河南省开封市杞县金城大道168号", "52", ownership=_H.PRIVATE, capacity=120,
          unit=_U.CLINIC_ROOM, filing="杞卫医备〔2023〕第017号", integrated=True),
    _home("home_b", "杞县五里河镇敬老院", "五里河敬老院", TOWNSHIP_T,
          "河南省开封市杞县五里河镇五里河村东200米", "12", ownership=_H.PUBLIC, capacity=60),
    _home("home_c", "通许县福寿康养老院", "福寿康", COUNTY_Y,
          "河南省开封市通许县咸平路东段66号", "91", ownership=_H.PRIVATE, capacity=100,
          unit=_U.CLINIC_ROOM, filing="通卫医备〔2022〕第009号", integrated=True),
    _home("home_d", "通许县竖岗镇中心敬老院", "竖岗敬老院", TOWNSHIP_U,
          "河南省开封市通许县竖岗镇人民路18号", "52", ownership=_H.PUBLIC_PRIVATE,
          capacity=50),
    _home("home_e", "兰考县康宁颐养院", "康宁颐养院", COUNTY_Z,
          "河南省开封市兰考县裕禄大道中段218号", "52", ownership=_H.PRIVATE, capacity=80,
          unit=_U.NURSING_STATION, filing="兰卫护备〔2024〕第003号", integrated=True),
    _home("home_f", "兰考县堌阳镇敬老院", "堌阳敬老院", TOWNSHIP_Z,
          "河南省开封市兰考县堌阳镇民族街12号", "12", ownership=_H.PUBLIC, capacity=40),
)

FACILITIES: dict[str, _Facilities] = {
    "home_a": _Facilities((("1号楼", 4), ("2号楼", 3), ("康复楼", 2)), beds=112),
    "home_b": _Facilities((("主楼", 2),), beds=58),
    "home_c": _Facilities((("1号楼", 4), ("2号楼", 3)), beds=96),
    "home_d": _Facilities((("综合楼", 3),), beds=46),
    "home_e": _Facilities((("A座", 4), ("B座", 2)), beds=76),
    "home_f": _Facilities((("主楼", 2), ("后院平房", 1)), beds=38),
}

MEDICAL: tuple[_OrgSpec, ...] = (
    _OrgSpec("med_b", OrgKind.MEDICAL, "杞县五里河镇卫生院", "五里河卫生院", TOWNSHIP_T,
             "河南省开封市杞县五里河镇文化路9号", "12",
             {"type": _T.TOWNSHIP_HC, "grade": _G.I, "license_no": "PDY41022111000001"}),
    _OrgSpec("med_d", OrgKind.MEDICAL, "通许县中医院", "通许中医院", COUNTY_Y,
             "河南省开封市通许县建设路中段88号", "12",
             {"type": _T.TCM, "grade": _G.II, "license_no": "PDY41022221000002"}),
    _OrgSpec("med_r", OrgKind.MEDICAL, "开封市康复医院", "开封康复医院", CITY_DISTRICT,
             "河南省开封市禹王台区五一路106号", "12",
             {"type": _T.REHAB, "grade": _G.II, "license_no": "PDY41020521000003"}),
    _OrgSpec("med_n", OrgKind.MEDICAL, "兰考县仁爱护理院", "仁爱护理院", COUNTY_Z,
             "河南省开封市兰考县中山南街58号", "52",
             {"type": _T.NURSING, "grade": _G.UNGRADED, "license_no": "PDY41022552000004"}),
)

_CL = CommunityOrg.Level
COMMUNITY: tuple[_OrgSpec, ...] = (
    _OrgSpec("comm_t", OrgKind.COMMUNITY, "五里河镇人民政府", "五里河镇", TOWNSHIP_T,
             "河南省开封市杞县五里河镇政府街1号", "11", {"level": _CL.TOWNSHIP}),
    _OrgSpec("comm_v", OrgKind.COMMUNITY, "五里河镇五里河村村民委员会", "五里河村", TOWNSHIP_T,
             "河南省开封市杞县五里河镇五里河村村委大院", "54", {"level": _CL.VILLAGE},
             parent="comm_t"),
    _OrgSpec("comm_u", OrgKind.COMMUNITY, "竖岗镇人民政府", "竖岗镇", TOWNSHIP_U,
             "河南省开封市通许县竖岗镇政府路2号", "11", {"level": _CL.TOWNSHIP}),
    _OrgSpec("comm_g", OrgKind.COMMUNITY, "堌阳镇人民政府", "堌阳镇", TOWNSHIP_Z,
             "河南省开封市兰考县堌阳镇政通路6号", "11", {"level": _CL.TOWNSHIP}),
)

_RD = Regulator.Department
_RL = Regulator.Level


def _reg(key: str, name: str, short: str, region: str, address: str, dept: str,
         level: str) -> _OrgSpec:
    return _OrgSpec(key, OrgKind.REGULATOR, name, short, region, address, "11",
                    {"department": dept, "level": level})


REGULATORS: tuple[_OrgSpec, ...] = (
    _reg("reg_x", "杞县民政局", "杞县民政", COUNTY_X, "河南省开封市杞县人民路32号",
         _RD.CIVIL_AFFAIRS, _RL.COUNTY),
    _reg("reg_xh", "杞县卫生健康委员会", "杞县卫健委", COUNTY_X, "河南省开封市杞县健康路15号",
         _RD.HEALTH, _RL.COUNTY),
    _reg("reg_y", "通许县民政局", "通许民政", COUNTY_Y, "河南省开封市通许县行政路7号",
         _RD.CIVIL_AFFAIRS, _RL.COUNTY),
    _reg("reg_z", "兰考县民政局", "兰考民政", COUNTY_Z, "河南省开封市兰考县兰阳路21号",
         _RD.CIVIL_AFFAIRS, _RL.COUNTY),
    _reg("reg_city", "开封市民政局", "开封市民政", CITY, "河南省开封市龙亭区宋城路98号",
         _RD.CIVIL_AFFAIRS, _RL.CITY),
    _reg("reg_cityh", "开封市卫生健康委员会", "开封市卫健委", CITY,
         "河南省开封市龙亭区晋安路16号", _RD.HEALTH, _RL.CITY),
    _reg("reg_prov", "河南省民政厅", "省民政厅", PROVINCE, "河南省郑州市金水区经三路17号",
         _RD.CIVIL_AFFAIRS, _RL.PROVINCE),
    _reg("reg_provh", "河南省卫生健康委员会", "省卫健委", PROVINCE,
         "河南省郑州市金水区金水路101号", _RD.HEALTH, _RL.PROVINCE),
)

ALL_ORGS: tuple[_OrgSpec, ...] = HOMES + MEDICAL + COMMUNITY + REGULATORS

_PROFILE_MODEL = {
    OrgKind.HOME: NursingHome,
    OrgKind.MEDICAL: MedicalInstitution,
    OrgKind.COMMUNITY: CommunityOrg,
    OrgKind.REGULATOR: Regulator,
}

# (username, full name or "" for a generated one, org key, role, title)
_R = Role
STAFF: tuple[tuple[str, str, str, str, str], ...] = (
    # 杞县颐养园养老中心 (home A)
    ("admin_a", "王建国", "home_a", _R.HOME_MANAGER, "院长"),
    ("nurse_a", "李秀梅", "home_a", _R.HOME_NURSE, "护士"),
    ("nurse_a2", "", "home_a", _R.HOME_NURSE, "护士长"),
    ("reg_a", "", "home_a", _R.HOME_REGISTRAR, "入住登记员"),
    ("care_a1", "", "home_a", _R.HOME_CAREGIVER, "护理员"),
    ("care_a2", "", "home_a", _R.HOME_CAREGIVER, "护理员"),
    ("care_a3", "", "home_a", _R.HOME_CAREGIVER, "护理员"),
    ("hdoc_a", "", "home_a", _R.HOME_DOCTOR, "医务室医生"),
    # 杞县五里河镇敬老院 (home B)
    ("admin_b", "", "home_b", _R.HOME_MANAGER, "院长"),
    ("reg_b", "", "home_b", _R.HOME_REGISTRAR, "登记员"),
    ("nurse_b", "", "home_b", _R.HOME_NURSE, "护士"),
    ("care_b1", "", "home_b", _R.HOME_CAREGIVER, "护理员"),
    ("care_b2", "", "home_b", _R.HOME_CAREGIVER, "护理员"),
    # 通许县福寿康养老院 (home C)
    ("admin_c", "", "home_c", _R.HOME_MANAGER, "院长"),
    ("nurse_c", "张丽娟", "home_c", _R.HOME_NURSE, "护士"),
    ("reg_c", "", "home_c", _R.HOME_REGISTRAR, "登记员"),
    ("care_c1", "", "home_c", _R.HOME_CAREGIVER, "护理员"),
    ("care_c2", "", "home_c", _R.HOME_CAREGIVER, "护理员"),
    ("hdoc_c", "", "home_c", _R.HOME_DOCTOR, "医务室医生"),
    # 通许县竖岗镇中心敬老院 (home D)
    ("admin_d", "", "home_d", _R.HOME_MANAGER, "院长"),
    ("reg_d", "", "home_d", _R.HOME_REGISTRAR, "登记员"),
    ("nurse_d", "", "home_d", _R.HOME_NURSE, "护士"),
    ("care_d1", "", "home_d", _R.HOME_CAREGIVER, "护理员"),
    ("care_d2", "", "home_d", _R.HOME_CAREGIVER, "护理员"),
    # 兰考县康宁颐养院 (home E, nursing station)
    ("admin_e", "", "home_e", _R.HOME_MANAGER, "院长"),
    ("nurse_e", "", "home_e", _R.HOME_NURSE, "护理站护士"),
    ("reg_e", "", "home_e", _R.HOME_REGISTRAR, "登记员"),
    ("care_e1", "", "home_e", _R.HOME_CAREGIVER, "护理员"),
    ("care_e2", "", "home_e", _R.HOME_CAREGIVER, "护理员"),
    # 兰考县堌阳镇敬老院 (home F)
    ("admin_f", "", "home_f", _R.HOME_MANAGER, "院长"),
    ("reg_f", "", "home_f", _R.HOME_REGISTRAR, "登记员"),
    ("care_f1", "", "home_f", _R.HOME_CAREGIVER, "护理员"),
    # medical institutions
    ("admin_med_b", "", "med_b", _R.MEDICAL_ADMIN, "院长"),
    ("doctor_b", "刘志强", "med_b", _R.MEDICAL_DOCTOR, "全科医生"),
    ("agree_b", "", "med_b", _R.AGREEMENT_MANAGER, "公共卫生科科长"),
    ("doctor_multi", "郑永刚", "med_b", _R.MEDICAL_DOCTOR, "全科医生"),
    ("admin_med_d", "", "med_d", _R.MEDICAL_ADMIN, "医务科科长"),
    ("doctor_d", "陈中和", "med_d", _R.MEDICAL_DOCTOR, "中医内科医生"),
    ("agree_d", "", "med_d", _R.AGREEMENT_MANAGER, "医养结合办公室主任"),
    ("admin_med_r", "", "med_r", _R.MEDICAL_ADMIN, "信息科科长"),
    ("doctor_r", "", "med_r", _R.MEDICAL_DOCTOR, "康复医学科医生"),
    ("admin_med_n", "", "med_n", _R.MEDICAL_ADMIN, "院长"),
    ("doctor_n", "", "med_n", _R.MEDICAL_DOCTOR, "医生"),
    # community organisations
    ("admin_comm_t", "", "comm_t", _R.COMMUNITY_ADMIN, "社会事务办主任"),
    ("worker_t", "周桂兰", "comm_t", _R.COMMUNITY_WORKER, "民政助理员"),
    ("admin_comm_v", "", "comm_v", _R.COMMUNITY_ADMIN, "村委会主任"),
    ("worker_v", "", "comm_v", _R.COMMUNITY_WORKER, "村民政协理员"),
    ("admin_comm_u", "", "comm_u", _R.COMMUNITY_ADMIN, "社会事务办主任"),
    ("worker_u", "吴海燕", "comm_u", _R.COMMUNITY_WORKER, "民政助理员"),
    ("admin_comm_g", "", "comm_g", _R.COMMUNITY_ADMIN, "社会事务办主任"),
    ("worker_g", "", "comm_g", _R.COMMUNITY_WORKER, "民政助理员"),
    # regulators
    ("admin_reg_x", "", "reg_x", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_x", "赵卫东", "reg_x", _R.REGULATOR_OFFICER, "养老服务股股长"),
    ("admin_reg_xh", "", "reg_xh", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_xh", "", "reg_xh", _R.REGULATOR_OFFICER, "老龄健康股股长"),
    ("admin_reg_y", "", "reg_y", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_y", "", "reg_y", _R.REGULATOR_OFFICER, "养老服务股科员"),
    ("admin_reg_z", "", "reg_z", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_z", "", "reg_z", _R.REGULATOR_OFFICER, "养老服务股科员"),
    ("admin_reg_city", "", "reg_city", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_city", "孙明华", "reg_city", _R.REGULATOR_OFFICER, "养老服务科科长"),
    ("admin_reg_cityh", "", "reg_cityh", _R.REGULATOR_ADMIN, "办公室主任"),
    ("admin_reg_prov", "", "reg_prov", _R.REGULATOR_ADMIN, "办公室主任"),
    ("officer_prov", "", "reg_prov", _R.REGULATOR_OFFICER, "养老服务处处长"),
    ("admin_reg_provh", "", "reg_provh", _R.REGULATOR_ADMIN, "办公室主任"),
)

# One account with two memberships, to show switching between organisations.
EXTRA_MEMBERSHIPS: tuple[tuple[str, str, str, str], ...] = (
    ("doctor_multi", "home_a", _R.HOME_DOCTOR, "驻院医生"),
)

# Shown first, in this order: the personas other parts and checks rely on (DESIGN).
PERSONAS: tuple[str, ...] = (
    "nurse_a", "admin_a", "nurse_c", "doctor_b", "doctor_d", "officer_x", "officer_city",
    "worker_t", "worker_u", "doctor_multi", "officer_prov",
)

_GROUP_TITLES = {
    OrgKind.HOME: "养老机构",
    OrgKind.MEDICAL: "医疗卫生机构",
    OrgKind.COMMUNITY: "社区组织",
    OrgKind.REGULATOR: "监管部门",
}

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩"
    "唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
_GIVEN = (
    "秀英", "桂英", "玉兰", "淑珍", "海霞", "春梅", "红霞", "晓燕", "丽华", "静",
    "敏", "芳", "娜", "婷", "建华", "建军", "国强", "志刚", "振华", "新民", "永生",
    "卫国", "明", "伟", "磊", "勇", "超", "鹏飞", "亚楠", "雪梅", "俊杰", "文博",
    "宏伟", "书华", "彦军", "瑞芳", "庆丰", "保国", "金凤", "爱萍", "素琴", "凤霞",
    "玉梅", "海峰", "红军", "长青", "国庆", "晓东", "丽萍", "艳红", "春生", "宇航",
    "梦瑶", "佳怡", "子涵", "浩然", "振宇", "翠萍", "秋菊", "冬梅", "德胜", "学军",
)
_MOBILE_PREFIXES = ("138", "139", "137", "135", "150", "151", "158", "186", "187", "176")


# ---- generation helpers -----------------------------------------------------------------

def make_credit_code(rng: random.Random, prefix: str, region: str) -> str:
    """A valid synthetic 统一社会信用代码: prefix(2) + region(6) + body(8) + 2 check chars."""
    body = "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(8))
    first16 = f"{prefix}{region[:6]}{body}"
    first17 = first16 + org_code_check_char(body)
    return parse_credit_code(first17 + credit_code_check_char(first17))


def _landline(rng: random.Random, region: str) -> str:
    area = "0371"  # 开封 and 郑州 share the 0371 area code
    head = "6" if region == PROVINCE else "2"
    return f"{area}-{head}{rng.randrange(10**6, 10**7)}"


def _unique(make, seen: set[str]) -> str:  # type: ignore[no-untyped-def]
    while True:
        value = make()
        if value not in seen:
            seen.add(value)
            return value


def _layout(rng: random.Random, facilities: _Facilities) -> list[tuple[int, int, str, int]]:
    """Rooms as (building index, floor, number, beds), spread evenly over every floor."""
    sizes: list[int] = []
    while (left := facilities.beds - sum(sizes)) > 0:
        size = rng.choices((1, 2, 3, 4), weights=(2, 6, 3, 1))[0]
        sizes.append(min(size, left))
    slots = [(b, floor) for b, (_, floors) in enumerate(facilities.buildings)
             for floor in range(1, floors + 1)]
    base, extra = divmod(len(sizes), len(slots))
    rooms: list[tuple[int, int, str, int]] = []
    taken = 0
    for i, (b, floor) in enumerate(slots):
        count = base + (1 if i < extra else 0)
        for j, beds in enumerate(sizes[taken:taken + count], start=1):
            rooms.append((b, floor, f"{floor}{j:02d}", beds))
        taken += count
    return rooms


def _regions() -> dict[str, Region]:
    codes = {spec.region for spec in ALL_ORGS}
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        raise DemoDataError(
            f"行政区划表中缺少 {'、'.join(missing)}，请先运行 `yiyang regions load` 载入行政区划"
        )
    return found


# ---- building -----------------------------------------------------------------------------

def _create_orgs(rng: random.Random, regions: dict[str, Region]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    codes: set[str] = set(Organisation.objects.values_list("credit_code", flat=True))
    for spec in ALL_ORGS:
        region = regions[spec.region]
        model = _PROFILE_MODEL[spec.kind]
        orgs[spec.key] = model.objects.create(
            kind=spec.kind,
            name=spec.name,
            short_name=spec.short_name,
            credit_code=_unique(lambda s=spec: make_credit_code(rng, s.credit_prefix, s.region),
                                codes),
            region=region,
            region_code=region.code,
            address=spec.address,
            phone=_landline(rng, spec.region),
            parent=orgs[spec.parent] if spec.parent else None,
            **spec.profile,
        )
    return orgs


def _create_facilities(rng: random.Random, homes: dict[str, Organisation]) -> None:
    for key, facilities in FACILITIES.items():
        home = homes[key]
        buildings = [
            Building.objects.create(home=home, region_code=home.region_code, name=name,
                                    floors=floors, is_independent=(i == 0),
                                    note="独立设置的养老服务楼" if i == 0 else "")
            for i, (name, floors) in enumerate(facilities.buildings)
        ]
        layout = _layout(rng, facilities)
        Room.objects.bulk_create(
            Room(home=home, building=buildings[b], region_code=home.region_code, number=number,
                 floor=floor, is_single=(beds == 1))
            for b, floor, number, beds in layout
        )
        rooms = {(r.building_id, r.number): r for r in Room.objects.filter(home=home)}
        Bed.objects.bulk_create(
            Bed(home=home, room=rooms[(buildings[b].pk, number)], region_code=home.region_code,
                label=str(n))
            for b, _, number, beds in layout
            for n in range(1, beds + 1)
        )


def _create_staff(rng: random.Random, orgs: dict[str, Organisation]) -> None:
    password = make_password(DEMO_PASSWORD)
    names: set[str] = {full for _, full, *_ in STAFF if full}
    phones: set[str] = set()
    users: dict[str, User] = {}
    for username, full_name, org_key, role, title in STAFF:
        name = full_name or _unique(lambda: rng.choice(_SURNAMES) + rng.choice(_GIVEN), names)
        phone = _unique(
            lambda: rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}", phones
        )
        users[username] = user = User.objects.create(
            username=username, full_name=name, phone=phone, password=password, is_demo=True,
        )
        org = orgs[org_key]
        Membership.objects.create(user=user, org=org, role=role, title=title,
                                  region_code=org.region_code)
    for username, org_key, role, title in EXTRA_MEMBERSHIPS:
        org = orgs[org_key]
        Membership.objects.create(user=users[username], org=org, role=role, title=title,
                                  region_code=org.region_code)


def demo_cast() -> DemoCast:
    """The demo logins as they are in the database."""
    memberships = (
        Membership.objects.filter(user__is_demo=True, is_active=True, user__is_active=True)
        .select_related("user", "org")
        .order_by("pk")
    )
    by_user: dict[str, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user.username, []).append(m)

    def login(username: str) -> Login:
        ms = by_user[username]
        places = "；".join(f"{m.org.name} {m.title or m.get_role_display()}" for m in ms)
        suffix = f"（{len(ms)} 个任职，可切换机构）" if len(ms) > 1 else ""
        return Login(username, f"{places}{suffix}", ms[0].user.full_name)

    groups = [LoginGroup("主要演示角色", tuple(login(u) for u in PERSONAS if u in by_user))]
    for kind, title in _GROUP_TITLES.items():
        rest = tuple(login(u) for u, ms in by_user.items()
                     if u not in PERSONAS and ms[0].org.kind == kind)
        if rest:
            groups.append(LoginGroup(title, rest))
    return DemoCast(password=DEMO_PASSWORD, groups=tuple(groups))


def build_demo_orgs(*, seed: str = "yiyang-demo-henan") -> DemoCast:
    """Create the demo organisations, facilities and accounts once; return the cast.

    Idempotent: when the demo data is already there (user `nurse_a` exists), nothing is
    written and the cast is read back from the database.
    """
    if User.objects.filter(username=SENTINEL_USERNAME).exists():
        return demo_cast()
    rng = random.Random(seed)
    with transaction.atomic():
        orgs = _create_orgs(rng, _regions())
        _create_facilities(rng, {k: v for k, v in orgs.items() if k in FACILITIES})
        _create_staff(rng, orgs)
    return demo_cast()


def expected_bed_count() -> int:
    return sum(f.beds for f in FACILITIES.values())


def _check_specs() -> None:  # import-time sanity of the tables above
    capacities = {s.key: s.profile["bed_capacity"] for s in HOMES}
    for key, facilities in FACILITIES.items():
        assert facilities.beds <= capacities[key], key
    assert len({u for u, *_ in STAFF}) == len(STAFF)
    assert set(PERSONAS) <= {u for u, *_ in STAFF}


_check_specs()
