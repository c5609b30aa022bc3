"""Pure rules of service plans and point-of-care recording (no Django import).

* **Proposal** (seed 002 §十九 "根据评估结果…制定针对性服务方案"): the current final results of the
  assessment scales (REFERENCE §2, §5) propose problems → goals → interventions and the nursing
  level.  The table `RULES` is data; each row names the instrument, the bands that trigger it and
  what it proposes.  The nurse edits and approves what is proposed.
* **Schedules**: an intervention's frequency (every 2 h / 4 h, each shift, daily at HH:MM, weekly)
  becomes the due times of one *care day*: the shifts that start on that day (by default 早班
  07:00, 中班 15:00, 夜班 23:00 → the care day runs from 07:00 to 07:00 next morning).
* **Late**: a pending task more than `GRACE` after its due time is late.
* **Vital signs**: default normal ranges (overridable per resident), plausibility bounds, alerts.
* **Review**: a plan's review date; overdue, or due within `REVIEW_SOON_DAYS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

__all__ = [
    "DEFAULT_RANGES", "DEFAULT_SHIFTS", "GRACE", "NURSING_LEVEL_LABELS", "REVIEW_DAYS",
    "REVIEW_SOON_DAYS", "RULES", "VITAL_FIELDS", "Finding", "Frequency", "NursingLevel",
    "PlanError", "Proposal", "ShiftSpec", "Slot", "TaskState", "VitalAlert", "check_problems",
    "check_shifts", "check_vitals", "current_shift", "nursing_level_for", "propose",
    "review_state", "slots_for_day", "task_state", "vital_alerts", "merge_ranges",
]


class PlanError(ValueError):
    """Bad input, with a Chinese message and the field it belongs to."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


# ---------------------------------------------------------------------------------------------
# Nursing level (护理等级)

class NursingLevel(StrEnum):
    SPECIAL = "special"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"

    @property
    def label(self) -> str:
        return NURSING_LEVEL_LABELS[self]


NURSING_LEVEL_LABELS = {
    NursingLevel.SPECIAL: "特级护理",
    NursingLevel.FIRST: "一级护理",
    NursingLevel.SECOND: "二级护理",
    NursingLevel.THIRD: "三级护理",
}

# GB/T 42195 final level (REFERENCE §2.3) → nursing level.  UNCONFIRMED: the mapping differs by
# province; this is our default (完好 → 三级, 轻度 → 二级, 中度 → 一级, 重度/完全丧失 → 特级).
_LEVEL_BY_ABILITY = {0: NursingLevel.THIRD, 1: NursingLevel.SECOND, 2: NursingLevel.FIRST,
                     3: NursingLevel.SPECIAL, 4: NursingLevel.SPECIAL}


def nursing_level_for(ability_level: int | None) -> NursingLevel | None:
    """The nursing level a GB/T 42195 ability level proposes (None without a level)."""
    if ability_level is None:
        return None
    if ability_level not in _LEVEL_BY_ABILITY:
        raise PlanError("bad_level", f"未知的能力等级：{ability_level}")
    return _LEVEL_BY_ABILITY[ability_level]


# ---------------------------------------------------------------------------------------------
# Frequencies and shifts

class Frequency(StrEnum):
    Q2H = "q2h"
    Q4H = "q4h"
    EACH_SHIFT = "each_shift"
    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS = {
    Frequency.Q2H: "每 2 小时",
    Frequency.Q4H: "每 4 小时",
    Frequency.EACH_SHIFT: "每班一次",
    Frequency.DAILY: "每日定时",
    Frequency.WEEKLY: "每周定时",
}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ShiftSpec:
    code: str
    name: str
    start: time
    hours: int  # length in whole hours


DEFAULT_SHIFTS = (
    ShiftSpec("day", "早班", time(7, 0), 8),
    ShiftSpec("evening", "中班", time(15, 0), 8),
    ShiftSpec("night", "夜班", time(23, 0), 8),
)


def check_shifts(shifts: Sequence[ShiftSpec]) -> tuple[ShiftSpec, ...]:
    """Shifts sorted by start; together they must cover 24 h without gaps or overlaps."""
    if not shifts:
        raise PlanError("no_shifts", "至少需要一个班次")
    ordered = sorted(shifts, key=lambda s: (s.start.hour, s.start.minute))
    if sum(s.hours for s in ordered) != 24:
        raise PlanError("shift_cover", "班次合计应为 24 小时")
    for a, b in zip(ordered, ordered[1:], strict=False):
        end = (datetime.combine(date(2000, 1, 1), a.start) + timedelta(hours=a.hours)).time()
        if end != b.start:
            raise PlanError("shift_gap", f"{a.name}结束时间应等于{b.name}开始时间")
    return tuple(ordered)


def _windows(day: date, shifts: Sequence[ShiftSpec]) -> list[tuple[ShiftSpec, datetime, datetime]]:
    out = []
    for s in check_shifts(shifts):
        start = datetime.combine(day, s.start)
        out.append((s, start, start + timedelta(hours=s.hours)))
    return out


def current_shift(now: datetime, shifts: Sequence[ShiftSpec] = DEFAULT_SHIFTS
                  ) -> tuple[ShiftSpec, date]:
    """The shift running at `now` (naive local time) and the care day it belongs to."""
    for day in (now.date(), now.date() - timedelta(days=1)):
        for s, start, end in _windows(day, shifts):
            if start <= now < end:
                return s, day
    raise AssertionError("shifts cover 24 h")  # pragma: no cover - check_shifts guarantees it


def next_shift(shift_code: str, day: date, shifts: Sequence[ShiftSpec] = DEFAULT_SHIFTS
               ) -> tuple[ShiftSpec, date]:
    ordered = check_shifts(shifts)
    codes = [s.code for s in ordered]
    i = codes.index(shift_code)
    if i + 1 < len(ordered):
        return ordered[i + 1], day
    return ordered[0], day + timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    due: datetime  # naive local
    shift: str  # shift code


def _check_times(times: Iterable[Any], field_name: str) -> list[str]:
    out = []
    for t in times:
        if not isinstance(t, str) or not _HHMM.match(t.strip()):
            raise PlanError("bad_time", f"时间应为 24 小时制 HH:MM：{t}", field_name)
        out.append(t.strip())
    return sorted(set(out))


def slots_for_day(day: date, *, frequency: str, times: Sequence[str] = (),
                  weekday: int | None = None,
                  shifts: Sequence[ShiftSpec] = DEFAULT_SHIFTS) -> list[Slot]:
    """The due times of one intervention on care day `day`, each with its shift."""
    freq = Frequency(frequency)
    windows = _windows(day, shifts)
    begin, end = windows[0][1], windows[-1][2]

    def shift_of(t: datetime) -> str:
        return next(s.code for s, a, b in windows if a <= t < b)

    out: list[Slot] = []
    if freq in (Frequency.Q2H, Frequency.Q4H):
        step = 2 if freq == Frequency.Q2H else 4
        t = begin.replace(minute=0)
        if t < begin:
            t += timedelta(hours=1)
        while t < end:
            if t.hour % step == 0:
                out.append(Slot(t, shift_of(t)))
            t += timedelta(hours=1)
    elif freq == Frequency.EACH_SHIFT:
        out = [Slot(a + timedelta(hours=1), s.code) for s, a, _b in windows]
    else:
        if freq == Frequency.WEEKLY and weekday != day.weekday():
            return []
        for hhmm in _check_times(times, "times"):
            h, m = map(int, hhmm.split(":"))
            t = datetime.combine(day, time(h, m))
            if t < begin:
                t += timedelta(days=1)
            out.append(Slot(t, shift_of(t)))
    return sorted(out, key=lambda s: s.due)


# ---------------------------------------------------------------------------------------------
# Task state

GRACE = timedelta(minutes=30)
SOON = timedelta(minutes=30)


class TaskState(StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    LATE = "late"  # pending, more than GRACE past due
    DUE = "due"  # pending, due within SOON or past due within GRACE
    UPCOMING = "upcoming"


def task_state(status: str, due: datetime, now: datetime) -> TaskState:
    if status == "done":
        return TaskState.DONE
    if status == "not_done":
        return TaskState.NOT_DONE
    if now > due + GRACE:
        return TaskState.LATE
    if now >= due - SOON:
        return TaskState.DUE
    return TaskState.UPCOMING


# ---------------------------------------------------------------------------------------------
# Plan content

@dataclass(frozen=True)
class Finding:
    """One current final assessment result, as the proposal reads it."""

    instrument: str
    band: str
    band_label: str = ""
    total: int | None = None
    level: int | None = None
    risks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Intervention:
    key: str
    text: str
    frequency: Frequency
    times: tuple[str, ...] = ()
    weekday: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "frequency": self.frequency.value,
                "times": list(self.times), "weekday": self.weekday}


@dataclass(frozen=True)
class Rule:
    code: str  # problem code
    instruments: frozenset[str]
    bands: frozenset[str]  # the result bands that trigger it ("*" any band with a risk named)
    problem: str
    goal: str
    interventions: tuple[_Intervention, ...]
    source: str
    risk: str = ""  # or: any result raising this risk triggers it
    min_level: int | None = None  # or: GB/T 42195 final level at least this


_I = _Intervention
RULES: tuple[Rule, ...] = (
    Rule("pressure_high", frozenset({"braden"}), frozenset({"high", "very_high"}),
         "压力性损伤高风险（Braden 评分≤12）", "住养期间不发生新的压力性损伤",
         (_I("turning", "协助翻身、变换体位并记录", Frequency.Q2H),
          _I("skin_check", "检查骨突及受压部位皮肤", Frequency.EACH_SHIFT),
          _I("mattress", "检查减压气垫床充气与床单位平整干燥", Frequency.DAILY, ("09:00",))),
         "REFERENCE §5.2"),
    Rule("pressure", frozenset({"braden"}), frozenset(),
         "有压力性损伤风险（Braden 评分≤18）", "皮肤完整，不发生压力性损伤",
         (_I("turning", "协助翻身、变换体位并记录", Frequency.Q2H),
          _I("skin_check", "检查骨突及受压部位皮肤", Frequency.DAILY, ("09:00",))),
         "REFERENCE §5.2", risk="pressure"),
    Rule("fall_high", frozenset({"morse"}), frozenset({"high"}),
         "跌倒高风险（Morse 高危）", "住养期间不发生跌倒",
         (_I("fall_precautions", "落实防跌倒措施：床栏、呼叫器在手边、地面干燥、夜灯",
             Frequency.EACH_SHIFT),
          _I("escort", "如厕、下床、行走时专人陪护", Frequency.EACH_SHIFT)),
         "REFERENCE §5.3"),
    Rule("fall", frozenset({"morse"}), frozenset(),
         "有跌倒风险（Morse 中危/低危）", "了解防跌倒要点，不发生跌倒",
         (_I("fall_check", "检查环境与助行器，提醒起身“三个半分钟”", Frequency.DAILY,
             ("09:30",)),), "REFERENCE §5.3", risk="fall"),
    Rule("adl_full", frozenset({"gbt42195"}), frozenset(),
         "日常生活不能自理（能力重度受损及以上）", "基本生活需要得到满足，清洁舒适",
         (_I("feeding", "协助进食、进水并记录进食量", Frequency.DAILY,
             ("07:30", "11:30", "17:30")),
          _I("oral_care", "口腔护理", Frequency.DAILY, ("08:00", "20:00")),
          _I("continence", "更换尿垫、会阴清洁", Frequency.Q4H)),
         "REFERENCE §2.3", min_level=3),
    Rule("adl_help", frozenset({"gbt42195"}), frozenset(),
         "日常生活部分依赖（能力中度受损）", "在协助下完成洗漱、进食、如厕",
         (_I("adl_assist", "协助洗漱、穿衣、如厕", Frequency.EACH_SHIFT),),
         "REFERENCE §2.3", min_level=2),
    Rule("malnourished", frozenset({"mnasf"}), frozenset({"malnourished"}),
         "营养不良（MNA-SF 0–7 分）", "进食量增加，体重不再下降",
         (_I("intake", "记录三餐进食量", Frequency.DAILY, ("08:00", "12:00", "18:00")),
          _I("supplement", "按医嘱给予营养补充（口服营养液）", Frequency.DAILY, ("10:00", "15:00")),
          _I("weight", "测体重", Frequency.WEEKLY, ("08:00",), 0)),
         "REFERENCE §5.6"),
    Rule("nutrition_risk", frozenset({"mnasf"}), frozenset({"at_risk"}),
         "有营养不良风险（MNA-SF 8–11 分）", "维持体重，进食量充足",
         (_I("intake", "记录三餐进食量", Frequency.DAILY, ("08:00", "12:00", "18:00")),
          _I("weight", "测体重", Frequency.WEEKLY, ("08:00",), 0)),
         "REFERENCE §5.6"),
    Rule("wandering", frozenset({"minicog", "ad8", "mmse", "cogscreen"}), frozenset(),
         "认知功能下降，有走失风险（认知筛查阳性）", "住养期间不发生走失",
         (_I("whereabouts", "核查在位情况，佩戴定位手环/信息卡", Frequency.EACH_SHIFT),
          _I("cognitive_training", "认知训练或陪伴活动", Frequency.DAILY, ("15:00",))),
         "REFERENCE §5.4", risk="cognitive"),
    Rule("mood", frozenset({"gds15", "moodscreen"}), frozenset(),
         "情绪低落（抑郁筛查阳性）", "情绪稳定，参与日常活动",
         (_I("talk", "心理疏导、陪伴交谈，观察情绪变化", Frequency.DAILY, ("10:00",)),),
         "REFERENCE §5.5", risk="depression"),
)

# Dependency on Barthel or 生活自理能力 when no GB/T 42195 result exists.
_DEPENDENCY_INSTRUMENTS = frozenset({"barthel", "selfcare"})


def _applies(rule: Rule, f: Finding) -> bool:
    if f.instrument not in rule.instruments:
        return False
    if rule.min_level is not None:
        return f.level is not None and f.level >= rule.min_level
    if f.band in rule.bands:
        return True
    return bool(rule.risk) and rule.risk in f.risks and not rule.bands


@dataclass(frozen=True)
class Proposal:
    nursing_level: NursingLevel | None
    problems: list[dict[str, Any]] = field(default_factory=list)


def propose(findings: Iterable[Finding]) -> Proposal:
    """Problems → goals → interventions and the nursing level from the current results.

    One problem per rule code; of two rules of one family (pressure / pressure_high, fall /
    fall_high, adl_help / adl_full, nutrition) only the stronger is kept.
    """
    found = list(findings)
    level = next((f.level for f in found if f.instrument == "gbt42195"), None)
    problems: dict[str, dict[str, Any]] = {}
    for rule in RULES:
        for f in found:
            if _applies(rule, f) and rule.code not in problems:
                problems[rule.code] = {
                    "code": rule.code, "problem": rule.problem, "goal": rule.goal,
                    "basis": f"{f.instrument}: {f.band_label or f.band}",
                    "source": rule.source,
                    "interventions": [i.as_json() for i in rule.interventions],
                }
    if level is None:
        dependent = [f for f in found if f.instrument in _DEPENDENCY_INSTRUMENTS
                     and "dependency" in f.risks]
        if dependent:
            f = dependent[0]
            problems["adl_help"] = {
                "code": "adl_help", "problem": "日常生活部分依赖",
                "goal": "在协助下完成洗漱、进食、如厕",
                "basis": f"{f.instrument}: {f.band_label or f.band}",
                "source": "REFERENCE §5.1",
                "interventions": [_I("adl_assist", "协助洗漱、穿衣、如厕",
                                     Frequency.EACH_SHIFT).as_json()]}
    for strong, weak in (("pressure_high", "pressure"), ("fall_high", "fall"),
                         ("adl_full", "adl_help"), ("malnourished", "nutrition_risk")):
        if strong in problems:
            problems.pop(weak, None)
    return Proposal(nursing_level_for(level), list(problems.values()))


def _text(value: Any, field_name: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise PlanError("required", f"请填写{label}", field_name)
    if len(text) > max_length:
        raise PlanError("too_long", f"{label}不能超过 {max_length} 个字", field_name)
    return text


def check_problems(problems: Any) -> list[dict[str, Any]]:
    """Validate and normalise plan content; interventions get unique keys within the plan."""
    if not isinstance(problems, list):
        raise PlanError("bad_problems", "服务方案内容格式不正确", "problems")
    out: list[dict[str, Any]] = []
    keys: set[str] = set()
    for n, p in enumerate(problems, 1):
        if not isinstance(p, Mapping):
            raise PlanError("bad_problems", f"第 {n} 个问题格式不正确", "problems")
        items = p.get("interventions") or []
        if not isinstance(items, list):
            raise PlanError("bad_problems", f"第 {n} 个问题的措施格式不正确", "problems")
        clean_items = []
        for m, i in enumerate(items, 1):
            if not isinstance(i, Mapping):
                raise PlanError("bad_problems", f"第 {n} 个问题第 {m} 项措施格式不正确", "problems")
            where = f"第 {n} 个问题第 {m} 项措施"
            text = _text(i.get("text"), "problems", f"{where}的内容", 200)
            try:
                freq = Frequency(i.get("frequency"))
            except ValueError as exc:
                raise PlanError("bad_frequency", f"请选择{where}的频次", "problems") from exc
            times = _check_times(i.get("times") or [], "problems")
            weekday = i.get("weekday")
            if freq in (Frequency.DAILY, Frequency.WEEKLY) and not times:
                raise PlanError("times_required", f"{where}需要填写执行时间", "problems")
            if freq == Frequency.WEEKLY:
                if not isinstance(weekday, int) or not 0 <= weekday <= 6:
                    raise PlanError("weekday_required", f"{where}需要选择星期", "problems")
            else:
                weekday = None
            if freq not in (Frequency.DAILY, Frequency.WEEKLY):
                times = []
            key = re.sub(r"[^a-z0-9_]", "", str(i.get("key") or "").lower())[:40] or f"i{n}_{m}"
            base, k = key, 2
            while key in keys:
                key, k = f"{base}_{k}", k + 1
            keys.add(key)
            clean_items.append({"key": key, "text": text, "frequency": freq.value,
                                "times": times, "weekday": weekday})
        out.append({
            "code": str(p.get("code") or "custom")[:40],
            "problem": _text(p.get("problem"), "problems", f"第 {n} 个问题", 120),
            "goal": _text(p.get("goal"), "problems", f"第 {n} 个问题的目标", 200),
            "basis": _text(p.get("basis"), "problems", "依据", 120, required=False),
            "source": _text(p.get("source"), "problems", "来源", 60, required=False),
            "interventions": clean_items,
        })
    return out


def describe_schedule(i: Mapping[str, Any]) -> str:
    freq = Frequency(i["frequency"])
    if freq == Frequency.DAILY:
        return f"每日 {'、'.join(i['times'])}"
    if freq == Frequency.WEEKLY:
        return f"每{WEEKDAYS[i['weekday']]} {'、'.join(i['times'])}"
    return freq.label


# ---------------------------------------------------------------------------------------------
# Review

REVIEW_DAYS = 90  # default interval to the next review (UNCONFIRMED; homes set their own)
REVIEW_SOON_DAYS = 7


class ReviewState(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    OK = "ok"


def review_state(review_on: date | None, today: date) -> ReviewState:
    if review_on is None or review_on < today:
        return ReviewState.OVERDUE
    if review_on <= today + timedelta(days=REVIEW_SOON_DAYS):
        return ReviewState.SOON
    return ReviewState.OK


# ---------------------------------------------------------------------------------------------
# Vital signs

@dataclass(frozen=True)
class VitalField:
    name: str
    label: str
    unit: str
    lowest: Decimal  # plausibility: outside these the entry is refused as a typing error
    highest: Decimal
    decimals: int = 0


VITAL_FIELDS = (
    VitalField("systolic", "收缩压", "mmHg", Decimal(50), Decimal(260)),
    VitalField("diastolic", "舒张压", "mmHg", Decimal(20), Decimal(160)),
    VitalField("pulse", "脉搏", "次/分", Decimal(20), Decimal(220)),
    VitalField("temperature", "体温", "℃", Decimal(30), Decimal(43), 1),
    VitalField("spo2", "血氧饱和度", "%", Decimal(50), Decimal(100)),
    VitalField("glucose", "血糖", "mmol/L", Decimal("1.0"), Decimal("35.0"), 1),
    VitalField("weight", "体重", "kg", Decimal(20), Decimal(200), 1),
)
_FIELDS = {f.name: f for f in VITAL_FIELDS}

# Default normal ranges (inclusive).  Blood pressure after the Chinese hypertension guideline
# (<140/90); SpO₂ ≥ 95 % at rest; random capillary glucose 3.9–11.1 mmol/L; axillary temperature
# 36.0–37.3 ℃.  UNCONFIRMED as a national norm for nursing homes: a nurse sets a resident's own.
DEFAULT_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "systolic": (Decimal(90), Decimal(139)),
    "diastolic": (Decimal(60), Decimal(89)),
    "pulse": (Decimal(60), Decimal(100)),
    "temperature": (Decimal("36.0"), Decimal("37.3")),
    "spo2": (Decimal(95), None),
    "glucose": (Decimal("3.9"), Decimal("11.1")),
    "weight": (None, None),
}


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise PlanError("bad_number", f"不是有效的数值：{value}") from exc
    if not d.is_finite():
        raise PlanError("bad_number", f"不是有效的数值：{value}")
    return d


def merge_ranges(overrides: Mapping[str, Any] | None
                 ) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Defaults, with a resident's own low/high where set (a null keeps the default)."""
    out = dict(DEFAULT_RANGES)
    for name, pair in (overrides or {}).items():
        if name not in _FIELDS or not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        low, high = _dec(pair[0]), _dec(pair[1])
        d_low, d_high = DEFAULT_RANGES[name]
        out[name] = (low if low is not None else d_low, high if high is not None else d_high)
    return out


def check_ranges(overrides: Mapping[str, Any]) -> dict[str, list[str | None]]:
    """Validate a resident's ranges: known fields, plausible values, low ≤ high."""
    out: dict[str, list[str | None]] = {}
    for name, pair in overrides.items():
        spec = _FIELDS.get(name)
        if spec is None:
            raise PlanError("unknown_field", f"未知的体征项目：{name}", name)
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise PlanError("bad_range", f"{spec.label}的范围应为[下限, 上限]", name)
        low, high = (_dec(v) for v in pair)
        for v in (low, high):
            if v is not None and not spec.lowest <= v <= spec.highest:
                raise PlanError("implausible", f"{spec.label}的范围超出可能的数值", name)
        if low is not None and high is not None and low > high:
            raise PlanError("bad_range", f"{spec.label}的下限不能高于上限", name)
        if low is None and high is None:
            continue
        out[name] = [None if low is None else str(low), None if high is None else str(high)]
    return out


def check_vitals(values: Mapping[str, Any]) -> dict[str, Decimal]:
    """The measured values (at least one), each within plausibility bounds."""
    out: dict[str, Decimal] = {}
    for name, raw in values.items():
        spec = _FIELDS.get(name)
        if spec is None:
            raise PlanError("unknown_field", f"未知的体征项目：{name}", name)
        try:
            value = _dec(raw)
        except PlanError as exc:
            raise PlanError(exc.code, f"{spec.label}：{exc.message}", name) from exc
        if value is None:
            continue
        if not spec.lowest <= value <= spec.highest:
            raise PlanError("implausible", f"{spec.label} {value} {spec.unit} 不在可能的范围"
                                           f"（{spec.lowest}–{spec.highest}），请核对", name)
        out[name] = value
    if not out:
        raise PlanError("empty", "请至少填写一项体征")
    if ("systolic" in out) != ("diastolic" in out):
        raise PlanError("bp_pair", "血压需同时填写收缩压和舒张压", "systolic")
    if "systolic" in out and out["systolic"] <= out["diastolic"]:
        raise PlanError("bp_order", "收缩压应高于舒张压", "systolic")
    return out


@dataclass(frozen=True)
class VitalAlert:
    field: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None

    @property
    def message(self) -> str:
        spec = _FIELDS[self.field]
        side = "偏低" if self.low is not None and self.value < self.low else "偏高"
        low = "" if self.low is None else str(self.low)
        high = "" if self.high is None else str(self.high)
        return f"{spec.label} {self.value} {spec.unit} {side}（正常 {low}–{high}）"

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": str(self.value),
                "low": None if self.low is None else str(self.low),
                "high": None if self.high is None else str(self.high),
                "message": self.message}


def vital_alerts(values: Mapping[str, Decimal],
                 ranges: Mapping[str, tuple[Decimal | None, Decimal | None]]) -> list[VitalAlert]:
    """One alert per value outside the resident's range (bounds inclusive)."""
    out = []
    for f in VITAL_FIELDS:
        value = values.get(f.name)
        if value is None:
            continue
        low, high = ranges.get(f.name, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            out.append(VitalAlert(f.name, value, low, high))
    return out
