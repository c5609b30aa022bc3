"""Resident rules (pure Python, no Django): key-population classification, register age bands,
ages and the stay lifecycle.

Classification (docs REFERENCE §1.4): the operational table of 国卫明电〔2022〕487号/509号 as used
locally, kept as data in ``data/key_population_rules.json`` so a province can replace it
(:func:`load_rule_set`).  The table is evaluated first (first matching row in file order); the
score applies only when no row matches.

Register scope (seed 000 §三, REFERENCE §1.6): Henan registers residents aged 60+ and disabled
residents at any age, in the bands 60–64, 65–79, 80–89 and 90+.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "AGE_MAX",
    "BAND_LABELS",
    "CATEGORY_LABELS",
    "CATEGORY_TIERS",
    "DEFAULT_RULES_JSON",
    "EVENT_LABELS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "AgeBand",
    "Category",
    "Classification",
    "DiseaseStatus",
    "InvalidTransition",
    "Rule",
    "RuleSet",
    "StayEvent",
    "StayStatus",
    "VaccinationStatus",
    "age_band",
    "age_on",
    "allowed_events",
    "birthday",
    "classify_key_population",
    "disease_status",
    "follow_up_interval",
    "holds_bed",
    "in_register_scope",
    "is_open",
    "load_rule_set",
    "next_band_change",
    "next_status",
    "vaccination_status",
]

AGE_MAX = 150
DEFAULT_RULES_JSON = Path(__file__).resolve().parent / "data" / "key_population_rules.json"


# --------------------------------------------------------------------------- vocabularies


class Category(StrEnum):
    # REFERENCE §1.3: colour code of 国卫明电〔2022〕509号.
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def tier(self) -> str:
        return CATEGORY_TIERS[self]

    @property
    def severity(self) -> int:
        """0 green < 1 yellow < 2 red (for comparisons; services are cumulative, §1.5)."""
        return _SEVERITY[self]


CATEGORY_LABELS: Mapping[Category, str] = MappingProxyType(
    {
        Category.RED: "重点人群（红）",
        Category.YELLOW: "次重点人群（黄）",
        Category.GREEN: "一般人群（绿）",
    }
)
# REFERENCE §1.3/§1.5: service tier by category.
CATEGORY_TIERS: Mapping[Category, str] = MappingProxyType(
    {Category.RED: "三级服务", Category.YELLOW: "二级服务", Category.GREEN: "一级服务"}
)
_SEVERITY = {Category.GREEN: 0, Category.YELLOW: 1, Category.RED: 2}


class DiseaseStatus(StrEnum):
    # REFERENCE §1.2: underlying disease absent, or present and 稳定/不稳定 (clinician's flag).
    NONE = "none"
    STABLE = "stable"
    UNSTABLE = "unstable"

    @property
    def label(self) -> str:
        return {"none": "无基础性疾病", "stable": "基础性疾病稳定", "unstable": "基础性疾病不稳定"}[
            self.value
        ]


class VaccinationStatus(StrEnum):
    # REFERENCE §1.4: 全程接种 / 未全程接种 (started, not completed) / 未接种.
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"full": "全程接种", "partial": "未全程接种", "none": "未接种"}[self.value]


_DISEASES = frozenset(DiseaseStatus)
_VACCINATIONS = frozenset(VaccinationStatus)


def _check_age(age: object) -> int:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(f"年龄必须是整数（周岁）：{age!r}")
    if not 0 <= age <= AGE_MAX:
        raise ValueError(f"年龄超出范围 0–{AGE_MAX}：{age}")
    return age


def _check_choice(value: object, allowed: frozenset[str], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        options = "、".join(sorted(allowed))
        raise ValueError(f"未知的{what}：{value!r}（应为 {options}）")
    return value


# --------------------------------------------------------------------------- rule set (data)


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the classification table; ages inclusive, ``None`` = unbounded."""

    id: str
    category: Category
    age_min: int | None
    age_max: int | None
    disease: frozenset[str]
    vaccination: frozenset[str]

    def matches(self, age: int, disease: str, vaccination: str) -> bool:
        return (
            (self.age_min is None or age >= self.age_min)
            and (self.age_max is None or age <= self.age_max)
            and disease in self.disease
            and vaccination in self.vaccination
        )


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: int
    source: str
    effective_from: date
    rows: tuple[Rule, ...]
    # Score (REFERENCE §1.4 "Fallback score"): (threshold age, points) ascending — the highest
    # threshold reached gives the age points (0 below the first).
    age_points: tuple[tuple[int, int], ...]
    disease_points: Mapping[str, int]
    vaccination_points: Mapping[str, int]
    bands: tuple[tuple[int, int, Category], ...]  # (low, high inclusive, category)
    follow_up_days: Mapping[Category, int | None]  # REFERENCE §1.5

    @property
    def label(self) -> str:
        """``id@version``, stored with every classification."""
        return f"{self.id}@{self.version}"

    def match(self, age: int, disease: str, vaccination: str) -> Rule | None:
        return next((r for r in self.rows if r.matches(age, disease, vaccination)), None)

    def score(self, age: int, disease: str, vaccination: str) -> int:
        points = 0
        for threshold, pts in self.age_points:
            if age >= threshold:
                points = pts
        return points + self.disease_points[disease] + self.vaccination_points[vaccination]

    def category_for_score(self, total: int) -> Category:
        for low, high, category in self.bands:
            if low <= total <= high:
                return category
        raise ValueError(f"{self.label}: no score band for {total}")  # excluded by validation


_TOP_KEYS = {"id", "version", "source", "effective_from", "rows", "score", "follow_up_days"}
_ROW_KEYS = {"id", "category", "age_min", "age_max", "disease", "vaccination"}
_SCORE_KEYS = {"age", "disease", "vaccination", "bands"}


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"key-population rule set: {where}: {message}")


def _int(value: Any, where: str, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"expected an integer, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise _fail(where, f"{value} is outside {low}..{high}")
    return value


def _keys(obj: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()) -> None:
    if not isinstance(obj, Mapping):
        raise _fail(where, f"expected an object, got {type(obj).__name__}")
    missing = required - obj.keys()
    unknown = obj.keys() - required - optional
    if missing:
        raise _fail(where, f"missing {sorted(missing)}")
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"expected a non-empty string, got {value!r}")
    return value


def _category(value: Any, where: str) -> Category:
    if not isinstance(value, str) or value not in set(Category):
        raise _fail(where, f"unknown category {value!r}")
    return Category(value)


def _choices(value: Any, allowed: frozenset[str], where: str) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        raise _fail(where, f"expected a non-empty list, got {value!r}")
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise _fail(where, f"unknown value {item!r} (allowed: {sorted(allowed)})")
    if len(set(value)) != len(value):
        raise _fail(where, f"duplicate values in {value!r}")
    return frozenset(value)


def _points(value: Any, allowed: frozenset[str], where: str) -> Mapping[str, int]:
    _keys(value, where, set(allowed))
    return MappingProxyType({k: _int(value[k], f"{where}.{k}", low=0) for k in sorted(allowed)})


def _parse_row(raw: Any, where: str) -> Rule:
    _keys(raw, where, _ROW_KEYS, frozenset({"note"}))
    bounds = []
    for key in ("age_min", "age_max"):
        v = raw[key]
        bounds.append(None if v is None else _int(v, f"{where}.{key}", low=0, high=AGE_MAX))
    age_min, age_max = bounds
    if age_min is not None and age_max is not None and age_min > age_max:
        raise _fail(where, f"age_min {age_min} > age_max {age_max}")
    return Rule(
        id=_str(raw["id"], f"{where}.id"),
        category=_category(raw["category"], f"{where}.category"),
        age_min=age_min,
        age_max=age_max,
        disease=_choices(raw["disease"], _DISEASES, f"{where}.disease"),
        vaccination=_choices(raw["vaccination"], _VACCINATIONS, f"{where}.vaccination"),
    )


def _parse_score(raw: Any) -> tuple[Any, ...]:
    _keys(raw, "score", _SCORE_KEYS)
    if not isinstance(raw["age"], list):
        raise _fail("score.age", "expected a list of [threshold, points]")
    age_points: list[tuple[int, int]] = []
    for i, pair in enumerate(raw["age"]):
        where = f"score.age[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise _fail(where, f"expected [threshold, points], got {pair!r}")
        threshold = _int(pair[0], where, low=0, high=AGE_MAX)
        if age_points and threshold <= age_points[-1][0]:
            raise _fail(where, "thresholds must be strictly increasing")
        age_points.append((threshold, _int(pair[1], where, low=0)))
    disease = _points(raw["disease"], _DISEASES, "score.disease")
    vaccination = _points(raw["vaccination"], _VACCINATIONS, "score.vaccination")
    if not isinstance(raw["bands"], list) or not raw["bands"]:
        raise _fail("score.bands", "expected a non-empty list of [low, high, category]")
    bands: list[tuple[int, int, Category]] = []
    for i, band in enumerate(raw["bands"]):
        where = f"score.bands[{i}]"
        if not isinstance(band, list) or len(band) != 3:
            raise _fail(where, f"expected [low, high, category], got {band!r}")
        low, high = _int(band[0], where), _int(band[1], where)
        if low > high:
            raise _fail(where, f"low {low} > high {high}")
        bands.append((low, high, _category(band[2], where)))
    # Every reachable total must fall in exactly one band, so every input gets a category.
    age_values = {0} | {p for _, p in age_points}
    totals = {a + d + v for a in age_values for d in disease.values() for v in vaccination.values()}
    for total in sorted(totals):
        hits = [b for b in bands if b[0] <= total <= b[1]]
        if len(hits) != 1:
            raise _fail("score.bands", f"score {total} falls in {len(hits)} bands (need exactly 1)")
    return tuple(age_points), disease, vaccination, tuple(bands)


def _parse_rule_set(raw: Any) -> RuleSet:
    _keys(raw, "top level", _TOP_KEYS, frozenset({"notes"}))
    try:
        effective_from = date.fromisoformat(_str(raw["effective_from"], "effective_from"))
    except ValueError as exc:
        raise _fail(
            "effective_from", f"expected YYYY-MM-DD, got {raw['effective_from']!r}"
        ) from exc
    if not isinstance(raw["rows"], list):
        raise _fail("rows", "expected a list")
    rows = tuple(_parse_row(r, f"rows[{i}]") for i, r in enumerate(raw["rows"]))
    ids = [r.id for r in rows]
    if len(set(ids)) != len(ids):
        raise _fail("rows", f"duplicate row ids in {ids}")
    if "score" in ids:
        raise _fail("rows", '"score" is reserved as the fallback basis')
    age_points, disease, vaccination, bands = _parse_score(raw["score"])
    fu = raw["follow_up_days"]
    _keys(fu, "follow_up_days", {c.value for c in Category})
    follow_up = MappingProxyType(
        {
            c: None if fu[c.value] is None else _int(fu[c.value], f"follow_up_days.{c}", low=1)
            for c in Category
        }
    )
    return RuleSet(
        id=_str(raw["id"], "id"),
        version=_int(raw["version"], "version", low=1),
        source=_str(raw["source"], "source"),
        effective_from=effective_from,
        rows=rows,
        age_points=age_points,
        disease_points=disease,
        vaccination_points=vaccination,
        bands=bands,
        follow_up_days=follow_up,
    )


@cache
def _default_rule_set() -> RuleSet:
    return load_rule_set(DEFAULT_RULES_JSON)


def load_rule_set(
    path_or_dict: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> RuleSet:
    """Load and validate a rule set: the bundled default (cached), a JSON file, or a dict.

    Malformed data raises ``ValueError`` naming the offending field.
    """
    if path_or_dict is None:
        return _default_rule_set()
    if not isinstance(path_or_dict, str | os.PathLike):
        return _parse_rule_set(path_or_dict)  # a mapping; anything else is refused there
    with open(path_or_dict, encoding="utf-8") as fh:
        try:
            raw = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ValueError(f"key-population rule set {os.fspath(path_or_dict)}: {exc}") from exc
    return _parse_rule_set(raw)


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category
    basis: str  # the matching row id ("R2"), or "score" when no row matched
    score: int | None  # the fallback score, only when basis == "score"
    rule_set: str  # "id@version" of the rule set used

    @property
    def label(self) -> str:
        return self.category.label


def classify_key_population(
    *, age: int, disease: str, vaccination: str, rule_set: RuleSet | None = None
) -> Classification:
    """Red/yellow/green for one person (REFERENCE §1.4): table first, score when no row matches.

    ``age`` in completed years on the classification date (0–150); ``disease`` the aggregate
    status (:func:`disease_status`); ``vaccination`` from :func:`vaccination_status`.
    """
    _check_age(age)
    _check_choice(disease, _DISEASES, "基础性疾病状态")
    _check_choice(vaccination, _VACCINATIONS, "疫苗接种状态")
    rs = rule_set if rule_set is not None else load_rule_set()
    row = rs.match(age, disease, vaccination)
    if row is not None:
        return Classification(row.category, row.id, None, rs.label)
    total = rs.score(age, disease, vaccination)
    return Classification(rs.category_for_score(total), "score", total, rs.label)


def disease_status(statuses: Iterable[str]) -> DiseaseStatus:
    """Aggregate per-disease flags: unstable if any is, else stable if any disease, else none.

    Each item is "stable" or "unstable" (REFERENCE §1.2); "none" is accepted and adds nothing.
    """
    if isinstance(statuses, str):
        raise ValueError("应传入各基础性疾病状态的列表，而不是单个字符串")
    seen = {_check_choice(s, _DISEASES, "基础性疾病状态") for s in statuses}
    for status in (DiseaseStatus.UNSTABLE, DiseaseStatus.STABLE):
        if status in seen:
            return status
    return DiseaseStatus.NONE


def vaccination_status(
    *, doses_received: int, doses_in_primary_series: int | None, contraindicated: bool = False
) -> VaccinationStatus:
    """全程/未全程/未接种 from dose counts (REFERENCE §1.4 notes).

    Full when the primary series of the product is completed; boosters beyond it change nothing.
    ``doses_in_primary_series`` may be ``None`` (product unknown) only when no dose was received.
    A contraindication (禁忌/暂缓) is recorded by the caller but does not change the status: the
    table classifies on protection, so an unvaccinated person with a contraindication is "none".
    """
    if isinstance(doses_received, bool) or not isinstance(doses_received, int):
        raise ValueError(f"接种剂次必须是整数：{doses_received!r}")
    if doses_received < 0:
        raise ValueError(f"接种剂次不能为负数：{doses_received}")
    if not isinstance(contraindicated, bool):
        raise ValueError(f"contraindicated 必须是布尔值：{contraindicated!r}")
    if doses_in_primary_series is None:
        if doses_received:
            raise ValueError("已接种但未知疫苗基础免疫剂次，无法判断是否全程接种")
        return VaccinationStatus.NONE
    if isinstance(doses_in_primary_series, bool) or not isinstance(doses_in_primary_series, int):
        raise ValueError(f"基础免疫剂次必须是整数：{doses_in_primary_series!r}")
    if doses_in_primary_series < 1:
        raise ValueError(f"基础免疫剂次至少为 1：{doses_in_primary_series}")
    if doses_received == 0:
        return VaccinationStatus.NONE
    if doses_received >= doses_in_primary_series:
        return VaccinationStatus.FULL
    return VaccinationStatus.PARTIAL


def follow_up_interval(category: Category | str, rule_set: RuleSet | None = None) -> int | None:
    """Days between follow-ups for a category (REFERENCE §1.5: red 1, yellow 3, green none)."""
    cat = Category(_check_choice(category, frozenset(Category), "人群分类"))
    rs = rule_set if rule_set is not None else load_rule_set()
    return rs.follow_up_days[cat]


# --------------------------------------------------------------------------- age and register


class AgeBand(StrEnum):
    # Seed 000 §三: "60-65岁、65-79岁、80-89岁、90岁以上" (60-65 read as 60–64, REFERENCE §1.6).
    AGE_60_64 = "60-64"
    AGE_65_79 = "65-79"
    AGE_80_89 = "80-89"
    AGE_90_PLUS = "90+"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS: Mapping[AgeBand, str] = MappingProxyType(
    {
        AgeBand.AGE_60_64: "60–64岁",
        AgeBand.AGE_65_79: "65–79岁",
        AgeBand.AGE_80_89: "80–89岁",
        AgeBand.AGE_90_PLUS: "90岁及以上",
    }
)
# Lower bound of each band, ascending; the age-band change dates are these birthdays.
_BAND_STARTS: tuple[tuple[int, AgeBand], ...] = (
    (60, AgeBand.AGE_60_64),
    (65, AgeBand.AGE_65_79),
    (80, AgeBand.AGE_80_89),
    (90, AgeBand.AGE_90_PLUS),
)


def age_band(age: int) -> AgeBand | None:
    """The Henan register band for an age, or ``None`` under 60."""
    _check_age(age)
    band = None
    for start, b in _BAND_STARTS:
        if age >= start:
            band = b
    return band


def in_register_scope(*, age: int, has_disability: bool) -> bool:
    """Seed 000 §三: registered when aged 60+, or disabled (残疾人) at any age."""
    _check_age(age)
    if not isinstance(has_disability, bool):
        raise ValueError(f"has_disability 必须是布尔值：{has_disability!r}")
    return has_disability or age >= 60


def _check_date(value: object, name: str) -> date:
    # datetime is a date subclass but compares badly with date: refuse it explicitly.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} 必须是日期（date）：{value!r}")
    return value


def birthday(birth_date: date, years: int) -> date:
    """The date a person turns ``years`` old.

    Choice for 29 February: in a non-leap year the birthday is 1 March (the person is not a year
    older until 28 February has passed), consistent with :func:`age_on`.
    """
    _check_date(birth_date, "birth_date")
    year = birth_date.year + years
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 Feb in a non-leap year
        return date(year, 3, 1)


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years (周岁) on date ``on``; see :func:`birthday` for 29 February."""
    _check_date(birth_date, "birth_date")
    _check_date(on, "on")
    if on < birth_date:
        raise ValueError(f"日期 {on} 早于出生日期 {birth_date}")
    # (2, 28) < (2, 29): a 29-Feb person is still the younger age on 28 Feb of a non-leap year.
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def next_band_change(birth_date: date, after: date) -> date | None:
    """First date strictly after ``after`` on which the register band changes (60th, 65th, 80th
    or 90th birthday); ``None`` once past the 90th.  65 and 80 are also the classification's age
    boundaries (REFERENCE §1.4), so this is when the daily task must re-classify ("动态管理")."""
    _check_date(birth_date, "birth_date")
    _check_date(after, "after")
    for start, _ in _BAND_STARTS:
        day = birthday(birth_date, start)
        if day > after:
            return day
    return None


# --------------------------------------------------------------------------- stay lifecycle


class StayStatus(StrEnum):
    IN_RESIDENCE = "in_residence"
    ON_LEAVE = "on_leave"
    IN_HOSPITAL = "in_hospital"
    DISCHARGED = "discharged"
    DECEASED = "deceased"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


class StayEvent(StrEnum):
    ADMIT = "admit"
    MOVE_BED = "move_bed"
    LEAVE = "leave"
    RETURN_FROM_LEAVE = "return_from_leave"
    HOSPITAL_TRANSFER = "hospital_transfer"
    RETURN_FROM_HOSPITAL = "return_from_hospital"
    DISCHARGE = "discharge"
    DEATH = "death"
    # Seed 001 item 18: the 人口死亡医学证明 is issued afterwards with the medical institution or
    # police/judicial department; recorded on a deceased stay (once: enforced by the service).
    DEATH_CERTIFICATE = "death_certificate"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


STATUS_LABELS: Mapping[StayStatus, str] = MappingProxyType(
    {
        StayStatus.IN_RESIDENCE: "在院",
        StayStatus.ON_LEAVE: "请假外出",
        StayStatus.IN_HOSPITAL: "住院/转院",
        StayStatus.DISCHARGED: "已出院",
        StayStatus.DECEASED: "已去世",
    }
)
EVENT_LABELS: Mapping[StayEvent, str] = MappingProxyType(
    {
        StayEvent.ADMIT: "入住",
        StayEvent.MOVE_BED: "调换床位",
        StayEvent.LEAVE: "请假",
        StayEvent.RETURN_FROM_LEAVE: "销假返院",
        StayEvent.HOSPITAL_TRANSFER: "转院就医",
        StayEvent.RETURN_FROM_HOSPITAL: "住院返院",
        StayEvent.DISCHARGE: "出院",
        StayEvent.DEATH: "去世登记",
        StayEvent.DEATH_CERTIFICATE: "死亡医学证明登记",
    }
)

_S, _E = StayStatus, StayEvent
_ALIVE = (_S.IN_RESIDENCE, _S.ON_LEAVE, _S.IN_HOSPITAL)
TRANSITIONS: Mapping[tuple[StayStatus | None, StayEvent], StayStatus] = MappingProxyType(
    {
        (None, _E.ADMIT): _S.IN_RESIDENCE,
        (_S.IN_RESIDENCE, _E.MOVE_BED): _S.IN_RESIDENCE,
        (_S.IN_RESIDENCE, _E.LEAVE): _S.ON_LEAVE,
        (_S.ON_LEAVE, _E.RETURN_FROM_LEAVE): _S.IN_RESIDENCE,
        (_S.IN_RESIDENCE, _E.HOSPITAL_TRANSFER): _S.IN_HOSPITAL,
        (_S.IN_HOSPITAL, _E.RETURN_FROM_HOSPITAL): _S.IN_RESIDENCE,
        **{(s, _E.DISCHARGE): _S.DISCHARGED for s in _ALIVE},
        **{(s, _E.DEATH): _S.DECEASED for s in _ALIVE},
        (_S.DECEASED, _E.DEATH_CERTIFICATE): _S.DECEASED,
    }
)

# Choice: a resident on leave or in hospital keeps the bed (保留床位) since they are expected
# back; the bed is freed only by an explicit DISCHARGE or DEATH.
_BED_HOLDING = frozenset(_ALIVE)
_OPEN = frozenset(_ALIVE)
_STATUSES = frozenset(StayStatus)
_EVENTS = frozenset(StayEvent)


class InvalidTransition(ValueError):
    """A stay event not allowed in the current status (message in Chinese, for the user)."""

    def __init__(self, current: StayStatus | None, event: StayEvent) -> None:
        self.current, self.event = current, event
        if current is None:
            msg = f"尚无入住记录，不能办理{event.label}"
        else:
            msg = f"{current.label}的入住记录不能办理{event.label}"
        super().__init__(msg)


def next_status(current: StayStatus | None, event: StayEvent) -> StayStatus:
    """The status after ``event``; raises :class:`InvalidTransition` if not allowed."""
    cur = None if current is None else StayStatus(_check_choice(current, _STATUSES, "入住状态"))
    ev = StayEvent(_check_choice(event, _EVENTS, "入住事件"))
    try:
        return TRANSITIONS[(cur, ev)]
    except KeyError:
        raise InvalidTransition(cur, ev) from None


def allowed_events(current: StayStatus | None) -> frozenset[StayEvent]:
    """Events allowed from ``current`` (e.g. which action buttons to show)."""
    return frozenset(e for (s, e) in TRANSITIONS if s == current)


def is_open(status: StayStatus) -> bool:
    """True while the stay is not closed (closed = discharged or deceased)."""
    return StayStatus(status) in _OPEN


def holds_bed(status: StayStatus) -> bool:
    """True if the stay keeps its bed reserved: in residence, on leave and in hospital."""
    return StayStatus(status) in _BED_HOLDING
