"""Pure rules of pressure injuries, care-risk incidents and health education (no Django).

Sources:

* NPIAP 2016 staging and the indicator: REFERENCE §5.7.  国卫办老龄发〔2025〕29号 §二十一 (seed 002)
  caps "Ⅱ度及以上压疮新发生率" at 5 % without defining it; the formula is the nursing-quality
  indicator's (住院患者2期及以上院内压力性损伤发生率, 护理专业医疗质量控制指标 2020 版), used by
  analogy as REFERENCE §5.7 states:

      rate (%) = new facility-acquired cases of stage ≥2 in the period
                 ÷ (residents present at period start + residents admitted during the period)
                 × 100

  - cases are people, not lesions (a person with several new lesions counts once; the lesion
    count is kept for analysis);
  - "new / facility-acquired" = not present on admission and first found more than 24 h after
    admission; present-on-admission lesions and those found within 24 h are excluded;
  - "stage ≥2" = 2, 3, 4, unstageable and DTPI, device-related ones of those stages included;
    mucosal injuries (not staged) are included when the setting says so (hospital practice;
    UNCONFIRMED for nursing homes);
  - per month, quarter and year; the density form (cases per 1000 resident-days) is computed too.
* GB 38600 care risks and GB/T 42195 A.2.14 event types: REFERENCE §2.4–2.5.
* Education: seed 002 §六 (at least one session a month), §十二 (at least two mental-health
  lectures a year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

__all__ = [
    "EDUCATION_MONTHLY_MIN", "MENTAL_HEALTH_YEARLY_MIN", "NEW_AFTER", "RATE_LIMIT_PERCENT",
    "A214_TYPE", "TRIGGER_KIND", "IncidentKind", "IndicatorResult", "LesionFact", "Period",
    "PeriodKind", "ResidentSpan", "Stage", "admission_moment", "counts_toward_stage_two",
    "first_stage_two_at", "incident_counts", "periods_of_year", "pressure_indicator",
]

RATE_LIMIT_PERCENT = 5  # seed 002 §二十一: "控制在5%以内"
NEW_AFTER = timedelta(hours=24)  # REFERENCE §5.7: "入本病区24小时后新发"
EDUCATION_MONTHLY_MIN = 1  # seed 002 §六: "每月至少开展1次"
MENTAL_HEALTH_YEARLY_MIN = 2  # seed 002 §十二: "每年至少开展2次"


class Stage(StrEnum):
    """NPIAP 2016 stages (REFERENCE §5.7); mucosal injuries are not staged."""

    ONE = "1", "1 期"
    TWO = "2", "2 期"
    THREE = "3", "3 期"
    FOUR = "4", "4 期"
    UNSTAGEABLE = "unstageable", "不可分期"
    DTPI = "dtpi", "深部组织损伤"
    MUCOSAL = "mucosal", "黏膜压力性损伤（不分期）"
    HEALED = "healed", "已愈合"

    def __new__(cls, value: str, label: str) -> Stage:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label  # type: ignore[attr-defined]
        return obj


STAGE_TWO_PLUS = frozenset({Stage.TWO, Stage.THREE, Stage.FOUR, Stage.UNSTAGEABLE, Stage.DTPI})


def counts_toward_stage_two(stage: str, *, include_mucosal: bool) -> bool:
    """Is a lesion at `stage` a "stage Ⅱ-and-above" injury for the indicator?"""
    if stage == Stage.MUCOSAL:
        return include_mucosal
    return stage in STAGE_TWO_PLUS


def first_stage_two_at(history: Iterable[tuple[datetime, str]], *,
                       include_mucosal: bool) -> datetime | None:
    """When a lesion was first recorded at stage ≥2 (its finding or a later observation).

    A lesion found at stage 1 that worsens to stage 2 in the home becomes a new stage-≥2 case on
    the day it is seen at stage 2 (our reading: the indicator counts stage-≥2 injuries acquired in
    the facility; UNCONFIRMED for progression)."""
    for at, stage in sorted(history):
        if counts_toward_stage_two(stage, include_mucosal=include_mucosal):
            return at
    return None


def admission_moment(admitted_on: date, registered_at: datetime | None) -> datetime:
    """The admission time the 24-hour rule counts from (naive local time).

    A stay stores its admission day only.  When it was registered on that same day, the
    registration is the admission; otherwise (entered later) the start of the admission day —
    the choice that never hides a case (a lesion found on day 2 counts from midnight of day 1)."""
    if registered_at is not None and registered_at.date() == admitted_on:
        return registered_at.replace(tzinfo=None)
    return datetime.combine(admitted_on, time.min)


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int = 1  # month 1–12, quarter 1–4, 1 for a year

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.MONTH:
            return date(self.year, self.number, 1)
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The last day (inclusive)."""
        if self.kind == PeriodKind.MONTH:
            nxt = date(self.year + (self.number == 12), self.number % 12 + 1, 1)
        elif self.kind == PeriodKind.QUARTER:
            nxt = date(self.year + (self.number == 4), (3 * self.number) % 12 + 1, 1)
        else:
            nxt = date(self.year + 1, 1, 1)
        return nxt - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        if kind == PeriodKind.MONTH:
            return cls(kind, day.year, day.month)
        if kind == PeriodKind.QUARTER:
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(kind, day.year)


def periods_of_year(kind: PeriodKind, year: int) -> list[Period]:
    count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}[kind]
    return [Period(kind, year, n) for n in range(1, count + 1)]


@dataclass(frozen=True)
class ResidentSpan:
    """One stay in the home: from the admission day to the last day (None while open)."""

    person_id: int
    admitted_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class LesionFact:
    """What the indicator needs of one lesion (times naive local)."""

    lesion_id: int
    person_id: int
    admitted_at: datetime  # admission_moment of the lesion's stay
    found_at: datetime
    present_on_admission: bool
    history: tuple[tuple[datetime, str], ...]  # (when, stage): the finding, then each observation


@dataclass(frozen=True)
class IndicatorResult:
    period: Period
    cases: int  # people with a new stage-≥2 lesion
    lesions: int  # those lesions (for analysis)
    present_at_start: int
    admitted: int
    denominator: int
    resident_days: int
    rate: float | None  # percent, None when nobody was served
    per_1000_days: float | None
    case_person_ids: tuple[int, ...] = ()
    case_lesion_ids: tuple[int, ...] = ()
    denominator_person_ids: tuple[int, ...] = field(default=(), repr=False)

    @property
    def within_limit(self) -> bool | None:
        return None if self.rate is None else self.rate <= RATE_LIMIT_PERCENT


def _overlap_days(span: ResidentSpan, start: date, end: date) -> int:
    first = max(span.admitted_on, start)
    last = min(span.ended_on or end, end)
    return max((last - first).days + 1, 0)


def pressure_indicator(period: Period, spans: Iterable[ResidentSpan],
                       lesions: Iterable[LesionFact], *,
                       include_mucosal: bool = True) -> IndicatorResult:
    """The new-incidence rate of stage Ⅱ-and-above pressure injuries of one home (REFERENCE §5.7).

    Denominator: distinct residents present at the period's start (admitted before it, not
    gone before it) plus distinct residents admitted during it (a person counts once).
    Numerator: distinct residents with a lesion not present on admission, first found more than
    24 h after the admission of its stay, and first recorded at stage ≥2 inside the period."""
    start, end = period.start, period.end
    present: set[int] = set()
    admitted: set[int] = set()
    days = 0
    for span in spans:
        if span.admitted_on < start and (span.ended_on is None or span.ended_on >= start):
            present.add(span.person_id)
        elif start <= span.admitted_on <= end:
            admitted.add(span.person_id)
        days += _overlap_days(span, start, end)
    admitted -= present
    cases: set[int] = set()
    case_lesions: list[int] = []
    for lesion in lesions:
        if lesion.present_on_admission or lesion.found_at - lesion.admitted_at <= NEW_AFTER:
            continue
        reached = first_stage_two_at(lesion.history, include_mucosal=include_mucosal)
        if reached is None or not start <= reached.date() <= end:
            continue
        cases.add(lesion.person_id)
        case_lesions.append(lesion.lesion_id)
    denominator = len(present) + len(admitted)
    rate = round(100 * len(cases) / denominator, 2) if denominator else None
    density = round(1000 * len(cases) / days, 2) if days else None
    return IndicatorResult(
        period=period, cases=len(cases), lesions=len(case_lesions),
        present_at_start=len(present), admitted=len(admitted), denominator=denominator,
        resident_days=days, rate=rate, per_1000_days=density,
        case_person_ids=tuple(sorted(cases)), case_lesion_ids=tuple(sorted(case_lesions)),
        denominator_person_ids=tuple(sorted(present | admitted)))


# ---- incidents (GB 38600 care risks) -----------------------------------------------------


class IncidentKind(StrEnum):
    FALL = "fall", "跌倒"
    CHOKING = "choking", "噎食"
    WANDERING = "wandering", "走失"
    SELF_HARM = "self_harm", "自杀/自伤"
    OTHER = "other", "其他"

    def __new__(cls, value: str, label: str) -> IncidentKind:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label  # type: ignore[attr-defined]
        return obj


# GB/T 42195 A.2.14 types (assessments.instruments.gbt42195.RISK_EVENT_TYPES).
A214_TYPE = {
    IncidentKind.FALL: "跌倒", IncidentKind.WANDERING: "走失", IncidentKind.CHOKING: "噎食",
    IncidentKind.SELF_HARM: "自杀/自伤", IncidentKind.OTHER: "其他",
}
# Which incidents make a GB/T 42195 re-assessment due at once (assessments TriggerKind):
# fall, choking and wandering by their own kind; self-harm as a change of condition (our choice).
TRIGGER_KIND = {
    IncidentKind.FALL: "fall", IncidentKind.CHOKING: "choking",
    IncidentKind.WANDERING: "wandering", IncidentKind.SELF_HARM: "condition_change",
}
A214_WINDOW_DAYS = 30


def incident_counts(kinds_and_days: Iterable[tuple[str, date]], on: date) -> dict[str, int]:
    """A.2.14 answers ("近30天照护风险事件") on `on`: per type 0, 1, 2 or 3 (= 3 or more).

    The 30 days are `on` and the 29 days before it; incidents after `on` do not count."""
    counts = dict.fromkeys(A214_TYPE.values(), 0)
    first = on - timedelta(days=A214_WINDOW_DAYS - 1)
    for kind, day in kinds_and_days:
        if first <= day <= on:
            label = A214_TYPE[IncidentKind(kind)]
            counts[label] = min(counts[label] + 1, 3)
    return counts
