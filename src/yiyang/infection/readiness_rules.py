"""Readiness rules (issue 7 item 5). Pure: no Django import.

Sources: seed 001 items 7 (county demand list of supplies), 8 (support teams at province or
city level), 10 (staff not fully vaccinated moved off direct-contact posts), 19–20 (closed
management measures, staff shift rotation); seed 000 §七 (teams trained by the city with the
CDC; masks, antigen kits and medicines in reserve). Numbers the seeds do not give are our
defaults and marked UNCONFIRMED in `docs/infection-readiness.md`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# ---------------------------------------------------------------- staff vaccination (item 10)

# Primary-course doses by vaccine type (the Chinese COVID-19 vaccines in use): inactivated
# 2 doses, adenovirus-vector 1 dose, recombinant protein 3 doses. UNCONFIRMED as a rule source:
# product labelling, not the seeds.
COURSE_DOSES: dict[str, int] = {"inactivated": 2, "adenovirus": 1, "recombinant": 3}
PRODUCT_LABELS: dict[str, str] = {"inactivated": "灭活疫苗", "adenovirus": "腺病毒载体疫苗",
                                  "recombinant": "重组蛋白疫苗"}


@dataclass(frozen=True)
class Dose:
    kind: str  # "primary" | "booster" | "contraindication" | "deferral"
    on: date
    product: str = ""  # one of COURSE_DOSES for doses
    until: date | None = None  # deferral: deferred until
    reason: str = ""


@dataclass(frozen=True)
class VaccinationStatus:
    primary_doses: int
    required: int
    full_course: bool
    full_on: date | None
    booster: bool
    contraindicated: bool
    deferred_until: date | None
    reason: str

    @property
    def label(self) -> str:
        if self.full_course:
            return "已全程接种并加强" if self.booster else "已全程接种"
        if self.contraindicated:
            return "接种禁忌"
        if self.deferred_until:
            return "暂缓接种"
        if self.primary_doses:
            return f"未全程（{self.primary_doses}/{self.required} 剂）"
        return "未接种"


def vaccination_status(doses: Iterable[Dose], today: date) -> VaccinationStatus:
    """Full course from the primary doses of the product first given (default inactivated)."""
    ordered = sorted(doses, key=lambda d: d.on)
    primary = [d for d in ordered if d.kind == "primary"]
    product = next((d.product for d in primary if d.product in COURSE_DOSES), "inactivated")
    required = COURSE_DOSES[product]
    full_on = primary[required - 1].on if len(primary) >= required else None
    booster = full_on is not None and any(d.kind == "booster" and d.on > full_on
                                          for d in ordered)
    contra = [d for d in ordered if d.kind == "contraindication"]
    deferrals = [d for d in ordered if d.kind == "deferral" and (d.until is None
                                                                 or d.until >= today)]
    deferred_until = deferrals[-1].until or today if deferrals else None
    reason = (contra[-1].reason if contra else deferrals[-1].reason if deferrals else "")
    return VaccinationStatus(len(primary), required, full_on is not None, full_on, booster,
                             bool(contra), deferred_until, reason)


def flagged_off_direct_contact(status: VaccinationStatus, *, direct_contact: bool) -> bool:
    """Seed 001 item 10: 对没有全程接种疫苗的工作人员应调离直接接触和服务老年人的工作岗位."""
    return direct_contact and not status.full_course


# ---------------------------------------------------------------- supplies (item 7)

@dataclass(frozen=True)
class SupplyKind:
    code: str
    label: str
    unit: str
    minimum: int  # default minimum stock per home; UNCONFIRMED (the seeds give no figures)


SUPPLY_KINDS: tuple[SupplyKind, ...] = (
    SupplyKind("n95", "N95 口罩", "只", 200),
    SupplyKind("surgical_mask", "医用外科口罩", "只", 1000),
    SupplyKind("antigen_kit", "抗原检测试剂", "人份", 100),
    SupplyKind("protective_suit", "医用防护服", "套", 50),
    SupplyKind("disinfectant", "含氯消毒剂", "公斤", 20),
    SupplyKind("antipyretic", "退热药（对乙酰氨基酚）", "盒", 30),
    SupplyKind("cough_medicine", "止咳化痰药", "盒", 20),
    SupplyKind("oximeter", "指夹式血氧仪", "台", 5),
)
SUPPLY_BY_CODE = {k.code: k for k in SUPPLY_KINDS}


def shortfall(on_hand: int, minimum: int) -> int:
    """How far below its minimum a stock line is (0 when at or above)."""
    return max(0, minimum - on_hand)


def apply_movement(on_hand: int, kind: str, quantity: int) -> int:
    """Stock after a receipt, a use or a count (stocktake sets the level). A use never takes the
    stock below zero: raises ValueError."""
    if quantity < 0:
        raise ValueError("数量不能为负数")
    if kind == "receipt":
        return on_hand + quantity
    if kind == "use":
        if quantity > on_hand:
            raise ValueError(f"领用数量超过现有库存（现有 {on_hand}）")
        return on_hand - quantity
    if kind == "count":
        return quantity
    raise ValueError("未知的出入库类型")


@dataclass(frozen=True)
class DemandLine:
    kind: str
    label: str
    unit: str
    total: int
    by_home: dict[str, int] = field(default_factory=dict)


def demand_list(lines: Iterable[tuple[str, str, int, int]]) -> list[DemandLine]:
    """The county's demand list (seed 001 item 7, 建立需求清单): for each kind, the sum of the
    homes' shortfalls. `lines` are (home name, kind code, on hand, minimum)."""
    totals: dict[str, dict[str, int]] = {}
    for home, kind, on_hand, minimum in lines:
        gap = shortfall(on_hand, minimum)
        if gap:
            per_home = totals.setdefault(kind, {})
            per_home[home] = per_home.get(home, 0) + gap
    out = []
    for spec in SUPPLY_KINDS:
        if spec.code in totals:
            by_home = totals[spec.code]
            out.append(DemandLine(spec.code, spec.label, spec.unit, sum(by_home.values()),
                                  by_home))
    return out


# ---------------------------------------------------------------- support teams (item 8)

# A team is ready when it trained within this many days: one quarter, by analogy with the
# quarterly emergency drill of seed 001 item 1. UNCONFIRMED.
TEAM_TRAINING_VALID_DAYS = 90


def team_ready(last_trained: date | None, today: date,
               valid_days: int = TEAM_TRAINING_VALID_DAYS) -> bool:
    return last_trained is not None and today - last_trained <= timedelta(days=valid_days)


def training_due_on(last_trained: date | None,
                    valid_days: int = TEAM_TRAINING_VALID_DAYS) -> date | None:
    return last_trained + timedelta(days=valid_days) if last_trained else None


# ---------------------------------------------------------------- closed management (19–20)

# Seed 001 item 19 names the measures; item 21 the unified delivery of supplies; item 20 the
# staff rotation.
MEASURES: tuple[tuple[str, str], ...] = (
    ("cctv", "安装监控"),
    ("door_sensors", "安装门磁"),
    ("outside_watch", "安排机构外部工作人员院外监督值守"),
    ("supplies_delivery", "物资保供、统一配送"),
    ("staff_rotation", "工作人员规范轮班"),
)
MEASURE_LABELS = dict(MEASURES)

# Seed 001 item 20 asks for a regulated rotation but states no lengths. Our defaults: at most
# 14 days on duty inside the closed home, then at least 7 days of rest / health monitoring
# before the next on-duty period. UNCONFIRMED (common local practice in 2022, not the seed).
MAX_ON_DUTY_DAYS = 14
MIN_REST_DAYS = 7


@dataclass(frozen=True)
class Shift:
    staff: str  # membership key
    team: str
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class ShiftFlag:
    staff: str
    start: date
    code: str  # "too_long" | "short_rest"
    message: str


def shift_days(shift: Shift) -> int:
    return (shift.end - shift.start).days + 1


def rotation_flags(shifts: Iterable[Shift], *, max_on_duty: int = MAX_ON_DUTY_DAYS,
                   min_rest: int = MIN_REST_DAYS) -> list[ShiftFlag]:
    """Where a staff member works past the allowed period or returns before resting enough."""
    flags: list[ShiftFlag] = []
    by_staff: dict[str, list[Shift]] = {}
    for s in shifts:
        by_staff.setdefault(s.staff, []).append(s)
    for staff, own in sorted(by_staff.items()):
        own.sort(key=lambda s: s.start)
        prev: Shift | None = None
        for s in own:
            if shift_days(s) > max_on_duty:
                flags.append(ShiftFlag(staff, s.start, "too_long",
                                       f"连续在岗 {shift_days(s)} 天，超过 {max_on_duty} 天"))
            if prev is not None:
                rest = (s.start - prev.end).days - 1
                if rest < min_rest:
                    flags.append(ShiftFlag(staff, s.start, "short_rest",
                                           f"两班之间休整 {max(rest, 0)} 天，少于 {min_rest} 天"))
            prev = s
    return flags


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def measures_missing(done: Iterable[str]) -> list[str]:
    chosen = set(done)
    return [code for code, _ in MEASURES if code not in chosen]


def check_measures(codes: Iterable[str]) -> list[str]:
    known = set(MEASURE_LABELS)
    out = []
    for code in codes:
        if code not in known:
            raise ValueError(f"未知的封闭管理措施：{code}")
        if code not in out:
            out.append(code)
    return out


def on_duty_today(shifts: Iterable[Shift], today: date) -> Mapping[str, Shift]:
    return {s.staff: s for s in shifts if s.start <= today <= s.end}
