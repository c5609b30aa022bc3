"""Indicators from the resident records and assessments (issue 10 item 2; measured on homes).

* ``key_populations`` — seed 000 §三: residents in the key-population register, by age band and
  red/yellow/green category (a count; the denominator is every resident).
* ``resident_vaccination`` — seed 000 §三/§五: COVID vaccination (全程接种) of the register.
* ``admission_assessment`` — seed 002 §十九: the admission assessment done within 7 days.
* ``reassessment_on_time`` — seed 002 §十九: no re-assessment overdue (the due list's rules).

Every figure is "as of the end of day ``on``", read from dates in the data: a stay is open on
``on`` when ``admitted_on <= on`` and it has not ended (``ended_on`` empty or after ``on``).
``compute`` runs one query per indicator whatever the number of homes, grouping by the home in
SQL; ``records`` builds the same per-stay query from ``visible_to(actor)`` for one home, so the
rows it marks counted are exactly the numerator. Definitions: docs/indicators-residents.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from yiyang.assessments import schedule_rules
from yiyang.assessments.models import AdmissionAssessment, Assessment, ReassessmentTrigger
from yiyang.assessments.queries import routine_days
from yiyang.assessments.schedule_rules import TRIGGERED, TriggerKind
from yiyang.residents.models import (
    HealthProfile,
    KeyPopulationRecord,
    Stay,
    StayEventRecord,
    Vaccination,
)
from yiyang.residents.rules import StayEvent
from yiyang.residents.vaccines import DEFAULT_SERIES, PRIMARY_SERIES

from . import register
from ._resident_rules import (
    BAND_NAMES,
    BAND_STARTS,
    CATEGORIES,
    CATEGORY_NAMES,
    PARTS_LABELS,
    UNCLASSIFIED,
    UNDER_60,
    VACCINATION_LABELS,
    born_by,
    days_before,
    part_key,
    year_before,
)
from .base import Indicator, RecordRow, Records, Target, Unit
from .base import Value as Figure

if TYPE_CHECKING:
    from yiyang.core.scope import Actor

__all__ = ["ADMISSION", "KEY_POPULATIONS", "REASSESSMENT", "VACCINATION"]

FINAL = Assessment.Status.FINAL
S000 = "种子000《关于做好养老机构新冠重点人群健康服务工作的通知》"
S002 = "种子002《关于开展医养结合促进行动的通知》（国卫办老龄发〔2025〕29号）"
FIRST_WITHIN = timedelta(days=schedule_rules.FIRST_WITHIN_DAYS)


# ---- shared pieces --------------------------------------------------------------------------


def _rows(model: Any, actor: Actor | None) -> QuerySet[Any]:
    """All rows for `compute`; only the actor's visible rows for `records`."""
    return model.objects.all() if actor is None else model.objects.visible_to(actor)


def _stays(actor: Actor | None, org_ids: Sequence[int] | None) -> QuerySet[Stay]:
    qs = _rows(Stay, actor)
    return qs if org_ids is None else qs.filter(home_id__in=list(org_ids))


def _open_on(qs: QuerySet[Stay], on: date) -> QuerySet[Stay]:
    return qs.filter(Q(admitted_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def _register_scope(actor: Actor | None, on: date) -> Q:
    """Seed 000 §三: aged 60+ on `on`, or disabled (any 失能 level or a disability certificate,
    `HealthProfile.is_disabled`) at any age."""
    disabled = _rows(HealthProfile, actor).filter(person_id=OuterRef("person_id")).filter(
        ~Q(disability_level=HealthProfile.Disability.NONE) | ~Q(disability_certificate_no=""))
    return Q(person__birth_date__lte=born_by(on, 60)) | Q(Exists(disabled))


def _band(on: date) -> Case:
    return Case(*[When(person__birth_date__lte=born_by(on, years), then=Value(band))
                  for years, band in BAND_STARTS],
                default=Value(UNDER_60), output_field=CharField())


def _category(actor: Actor | None, on: date) -> Coalesce:
    """The classification in force at the end of `on`: the latest one dated <= on."""
    latest = (_rows(KeyPopulationRecord, actor)
              .filter(person_id=OuterRef("person_id"), classified_on__lte=on)
              .order_by("-classified_on", "-id").values("category")[:1])
    return Coalesce(Subquery(latest), Value(UNCLASSIFIED), output_field=CharField())


def _by_home(rows: Any, num: str = "num", den: str = "den") -> dict[int, Figure]:
    return {r["home_id"]: Figure(r[num], r[den]) for r in rows}


def _url(person_id: int) -> str:
    return reverse("residents:detail", args=[person_id])


def _day(d: date | None) -> str:
    return d.isoformat() if d else "—"


# ---- 1. key populations (seed 000 §三) ---------------------------------------------------------


def _key_population_stays(actor: Actor | None, org_ids: Sequence[int] | None,
                          on: date) -> QuerySet[Stay]:
    return (_open_on(_stays(actor, org_ids), on)
            .annotate(in_register=ExpressionWrapper(_register_scope(actor, on),
                                                    output_field=BooleanField()),
                      band=_band(on), category=_category(actor, on)))


def key_populations(org_ids: Sequence[int] | None, on: date) -> dict[int, Figure]:
    """One query: open stays grouped by home, register scope, band and category."""
    totals: dict[int, int] = {}
    parts: dict[int, dict[str, int]] = {}
    rows = (_key_population_stays(None, org_ids, on).order_by()
            .values("home_id", "in_register", "band", "category").annotate(n=Count("pk")))
    for r in rows:
        home_id, n = r["home_id"], r["n"]
        totals[home_id] = totals.get(home_id, 0) + n
        mine = parts.setdefault(home_id, {})
        if r["in_register"]:
            key = part_key(r["band"], r["category"])
            mine[key] = mine.get(key, 0) + n
            mine[r["category"]] = mine.get(r["category"], 0) + n
    return {home_id: Figure(sum(parts[home_id].get(c, 0) for c in CATEGORIES), total,
                            {k: parts[home_id][k] for k in PARTS_LABELS if k in parts[home_id]})
            for home_id, total in totals.items()}


def key_population_records(actor: Actor, org_id: int, on: date) -> Records:
    rows = []
    for s in (_key_population_stays(actor, [org_id], on).select_related("person")
              .order_by("-in_register", "band", "person__pinyin", "pk")):
        band = BAND_NAMES[s.band] if s.in_register else "—"
        category = CATEGORY_NAMES[s.category] if s.in_register else "不在登记范围"
        rows.append(RecordRow((s.person.name, _day(s.admitted_on), band, category),
                              bool(s.in_register), _url(s.person_id)))
    return Records(("姓名", "入住日期", "年龄段", "分类"), rows,
                   "标 ✓ 的为纳入重点人群登记（60岁及以上或残疾）的在院老人")


KEY_POPULATIONS = register(Indicator(
    code="key_populations",
    title="重点人群分类登记",
    clause=f"{S000}§三“配合做好调查分类登记”（60-65岁、65-79岁、80-89岁、90岁以上及入住的"
           "残疾人）；REFERENCE §1.3–1.4（红黄绿分类）",
    formula="纳入登记的在院老人数（统计日60岁及以上或残疾），按年龄段×红黄绿分类；分母为在院老人数",
    org_kind="home",
    compute=key_populations,
    records=key_population_records,
    unit=Unit.COUNT,
    order=10,
    numerator_label="纳入登记人数",
    denominator_label="在院老人数",
    parts_labels=PARTS_LABELS,
))


# ---- 2. vaccination of the register (seed 000 §三) ---------------------------------------------


def _vaccination_stays(actor: Actor | None, org_ids: Sequence[int] | None,
                       on: date) -> QuerySet[Stay]:
    """Open stays in the register's scope, with the doses received by `on` (distinct dose
    numbers of kind 接种, boosters apart) and the primary series of the first dose's product —
    exactly `residents.services.classification_inputs`."""
    doses = _rows(Vaccination, actor).filter(person_id=OuterRef("person_id"),
                                             kind=Vaccination.Kind.DOSE, given_on__lte=on)
    received = (doses.order_by().values("person_id")
                .annotate(c=Count("dose_number", distinct=True)).values("c"))
    series = (doses.order_by("given_on", "id")
              .annotate(s=Case(*[When(product=p, then=Value(n))
                                 for p, n in PRIMARY_SERIES.items()],
                               default=Value(DEFAULT_SERIES), output_field=IntegerField()))
              .values("s")[:1])
    return (_open_on(_stays(actor, org_ids), on).filter(_register_scope(actor, on))
            .alias(received=Coalesce(Subquery(received), 0), series=Subquery(series)))


_FULL = Q(received__gte=F("series"))
_PARTIAL = Q(received__gt=0) & Q(received__lt=F("series"))


def resident_vaccination(org_ids: Sequence[int] | None, on: date) -> dict[int, Figure]:
    rows = (_vaccination_stays(None, org_ids, on).order_by().values("home_id")
            .annotate(den=Count("pk"), num=Count("pk", filter=_FULL),
                      partial=Count("pk", filter=_PARTIAL)))
    return {r["home_id"]: Figure(r["num"], r["den"], {
        "full": r["num"], "partial": r["partial"], "none": r["den"] - r["num"] - r["partial"]})
        for r in rows}


def vaccination_records(actor: Actor, org_id: int, on: date) -> Records:
    rows = []
    qs = (_vaccination_stays(actor, [org_id], on)
          .annotate(doses=F("received"), course=F("series"),
                    course_status=Case(When(_FULL, then=Value("full")),
                                When(_PARTIAL, then=Value("partial")),
                                default=Value("none"), output_field=CharField()))
          .select_related("person").order_by("person__pinyin", "pk"))
    for s in qs:
        course = f"{s.doses}/{s.course}" if s.course else "0"
        rows.append(RecordRow((s.person.name, _day(s.person.birth_date),
                               VACCINATION_LABELS[s.course_status], course),
                              s.course_status == "full", _url(s.person_id)))
    return Records(("姓名", "出生日期", "接种状态", "已接种/基础免疫剂次"), rows,
                   "标 ✓ 的为统计日已完成基础免疫全程接种（加强针不计）")


VACCINATION = register(Indicator(
    code="resident_vaccination",
    title="在院老人新冠疫苗全程接种率",
    clause=f"{S000}§三（登记疫苗接种情况）、§八“加快疫苗接种”（应接尽接、愿种尽种）；"
           "REFERENCE §1.4（全程接种）",
    formula="统计日已全程接种的登记范围内在院老人数 ÷ 登记范围内（60岁及以上或残疾）在院老人数",
    org_kind="home",
    compute=resident_vaccination,
    records=vaccination_records,
    order=11,
    numerator_label="全程接种人数",
    denominator_label="登记范围在院老人数",
    parts_labels=VACCINATION_LABELS,
))


# ---- 3. assessment on admission (seed 002 §十九) ----------------------------------------------


def _deadline(field: str = "admitted_on") -> ExpressionWrapper:
    # Compared only with <= (SQLite renders the sum as "YYYY-MM-DD 00:00:00"; a date string is
    # <= it exactly when the date is on or before the deadline).
    return ExpressionWrapper(F(field) + FIRST_WITHIN, output_field=DateField())


def _admission_stays(actor: Actor | None, org_ids: Sequence[int] | None,
                     on: date) -> QuerySet[Stay]:
    """Stays admitted in the 12 months ending `on` whose 7-day deadline has come by `on`,
    leaving out those that ended (discharge, death) before the deadline, with `assessed`: the
    admission bundle completed on or before the deadline."""
    done = _rows(AdmissionAssessment, actor).filter(
        stay_id=OuterRef("pk"), status=AdmissionAssessment.Status.COMPLETE,
        completed_on__lte=OuterRef("deadline"))
    return (_stays(actor, org_ids)
            .filter(admitted_on__gt=year_before(on), admitted_on__lte=on - FIRST_WITHIN)
            .annotate(deadline=_deadline(),
                      early_end=ExpressionWrapper(F("admitted_on") + FIRST_WITHIN
                                                  - timedelta(days=1), output_field=DateField()))
            .exclude(ended_on__lte=F("early_end"))
            .alias(assessed=Exists(done)))


def admission_assessment(org_ids: Sequence[int] | None, on: date) -> dict[int, Figure]:
    rows = (_admission_stays(None, org_ids, on).order_by().values("home_id")
            .annotate(den=Count("pk"), num=Count("pk", filter=Q(assessed=True))))
    return _by_home(rows)


def admission_records(actor: Actor, org_id: int, on: date) -> Records:
    completed = (_rows(AdmissionAssessment, actor).filter(stay_id=OuterRef("pk"))
                 .values("completed_on")[:1])
    qs = (_admission_stays(actor, [org_id], on)
          .annotate(on_time=F("assessed"), completed=Subquery(completed))
          .select_related("person").order_by("admitted_on", "pk"))
    rows = [RecordRow((s.person.name, _day(s.admitted_on), _day(s.admitted_on + FIRST_WITHIN),
                       _day(s.completed)), bool(s.on_time), _url(s.person_id)) for s in qs]
    return Records(("姓名", "入住日期", "评估期限", "入院评估完成日期"), rows,
                   "标 ✓ 的为入住7天内完成入院评估（能力、跌倒、压疮三项）的入住")


ADMISSION = register(Indicator(
    code="admission_assessment",
    title="入院评估及时率",
    clause=f"{S002}§十九“落实老年人入住评估制度”（在老年人入住时进行评估）",
    formula="近12个月入住且已满7天的入住中，入住7天内完成入院评估的 ÷ 该类入住数"
            "（评估期限前已出院或去世的不计）",
    org_kind="home",
    compute=admission_assessment,
    records=admission_records,
    target=Target(">=", 100, "入住时均应评估（100%）"),
    order=12,
    numerator_label="按时完成入院评估",
    denominator_label="应评估入住数",
))


# ---- 4. re-assessment on time (seed 002 §十九) -------------------------------------------------


def _overdue(actor: Actor | None, instrument: str, interval: int | None, on: date) -> Q:
    """The instrument's re-assessment is overdue on `on` (due date before `on`, as `dues`):
    its routine date (last + interval) has passed, or a trigger it answers happened in this stay
    more than 3 days ago with no record of the instrument since (on or after the trigger day)."""
    cutoff = days_before(on, schedule_rules.IMMEDIATE_WITHIN_DAYS)
    overdue = Q(pk__in=[])
    if interval:
        overdue |= ~Q(Exists(_rows(Assessment, actor).filter(
            stay_id=OuterRef("pk"), instrument=instrument, status=FINAL, assessed_on__lte=on,
            assessed_on__gte=days_before(on, interval))))

    def unanswered(day: str) -> Q:
        return ~Q(Exists(_rows(Assessment, actor).filter(
            stay_id=OuterRef(OuterRef("pk")), instrument=instrument, status=FINAL,
            assessed_on__lte=on, assessed_on__gte=OuterRef(day))))

    kinds = [k.value for k, answered_by in TRIGGERED.items() if instrument in answered_by]
    if kinds:
        overdue |= Q(Exists(_rows(ReassessmentTrigger, actor).filter(
            Q(stay_id=OuterRef("pk"), kind__in=kinds, occurred_on__lt=cutoff,
              occurred_on__gte=OuterRef("admitted_on")), unanswered("occurred_on"))))
    if instrument in TRIGGERED[TriggerKind.HOSPITAL_RETURN]:
        overdue |= Q(Exists(_rows(StayEventRecord, actor).filter(
            Q(stay_id=OuterRef("pk"), event=StayEvent.RETURN_FROM_HOSPITAL,
              occurred_on__lt=cutoff, occurred_on__gte=OuterRef("admitted_on")),
            unanswered("occurred_on"))))
    if instrument in TRIGGERED[TriggerKind.LEVEL_CHANGE]:
        # A current GB/T 42195 record whose level differs from the stay's previous current one.
        current = (_rows(Assessment, actor)
                   .filter(instrument="gbt42195", status=FINAL, assessed_on__lte=on)
                   .exclude(corrected_by__status=FINAL))
        previous = (current.filter(stay_id=OuterRef("stay_id"))
                    .filter(Q(assessed_on__lt=OuterRef("assessed_on"))
                            | Q(assessed_on=OuterRef("assessed_on"), id__lt=OuterRef("id")))
                    .order_by("-assessed_on", "-id").values("level")[:1])
        changed = (current.filter(stay_id=OuterRef("pk"), assessed_on__lt=cutoff)
                   .alias(before=Subquery(previous))
                   .filter(before__isnull=False).exclude(level=F("before")))
        overdue |= Q(Exists(changed.filter(unanswered("assessed_on"))))
    return overdue


def _reassessment_stays(actor: Actor | None, org_ids: Sequence[int] | None,
                        on: date) -> tuple[QuerySet[Stay], list[str]]:
    """Open stays with at least one scheduled instrument done in this stay (re-assessment
    applies; the first assessment is the admission indicator's), with `late` (any overdue)."""
    days = routine_days()
    done = {code: Q(Exists(_rows(Assessment, actor).filter(
        stay_id=OuterRef("pk"), instrument=code, status=FINAL, assessed_on__lte=on)))
        for code in days}
    needs = Q(pk__in=[])
    late = Q(pk__in=[])
    for code, interval in days.items():
        needs |= done[code]
        late |= done[code] & _overdue(actor, code, interval, on)
    qs = _open_on(_stays(actor, org_ids), on).filter(needs)
    return qs.alias(late=ExpressionWrapper(late, output_field=BooleanField())), list(days)


def reassessment_on_time(org_ids: Sequence[int] | None, on: date) -> dict[int, Figure]:
    qs, _ = _reassessment_stays(None, org_ids, on)
    rows = (qs.order_by().values("home_id")
            .annotate(den=Count("pk"), num=Count("pk", filter=Q(late=False))))
    return _by_home(rows)


def reassessment_records(actor: Actor, org_id: int, on: date) -> Records:
    qs, codes = _reassessment_stays(actor, [org_id], on)
    days = routine_days()
    last = {f"last_{code}": Subquery(
        _rows(Assessment, actor).filter(stay_id=OuterRef("pk"), instrument=code, status=FINAL,
                                        assessed_on__lte=on)
        .order_by("-assessed_on").values("assessed_on")[:1]) for code in codes}
    overdue = {f"late_{code}": ExpressionWrapper(
        _overdue(actor, code, days[code], on), output_field=BooleanField()) for code in codes}
    from yiyang.assessments.instruments import registry
    scales = registry.scales()
    names = {code: scales[code].name if code in scales else code for code in codes}
    rows = []
    for s in (qs.annotate(is_late=F("late"), **last, **overdue).select_related("person")
              .order_by("-is_late", "person__pinyin", "pk")):
        done = "；".join(f"{names[c]} {_day(getattr(s, f'last_{c}'))}" for c in codes
                        if getattr(s, f"last_{c}"))
        routine = [getattr(s, f"last_{c}") + timedelta(days=days[c]) for c in codes
                   if getattr(s, f"last_{c}") and days[c]]
        late = "、".join(names[c] for c in codes
                        if getattr(s, f"last_{c}") and getattr(s, f"late_{c}"))
        rows.append(RecordRow((s.person.name, _day(s.admitted_on), done,
                               _day(min(routine)) if routine else "—", late or "无"),
                              not s.is_late, _url(s.person_id)))
    return Records(("姓名", "入住日期", "最近评估", "最早常规复评日期", "逾期未评"), rows,
                   "标 ✓ 的为统计日没有逾期未做的复评（常规或跌倒、住院返回等即时评估）")


REASSESSMENT = register(Indicator(
    code="reassessment_on_time",
    title="动态评估按时率",
    clause=f"{S002}§十九（入住后及时开展动态评估）；REFERENCE §2.5（评估间隔）",
    formula="统计日在院且已做过评估的老人中，没有逾期未做复评（常规间隔或跌倒、住院返回等触发后3天内）"
            "的人数 ÷ 该类老人数",
    org_kind="home",
    compute=reassessment_on_time,
    records=reassessment_records,
    target=Target(">=", 100, "按时动态评估（100%）"),
    order=13,
    numerator_label="无逾期复评人数",
    denominator_label="需复评的在院老人数",
))
