"""Safety, infection and obligation indicators (issue 10 item 2; docs/indicators-safety.md).

* `pressure_injury_rate` (homes) — new stage Ⅱ+ pressure injuries, seed 002 §二十一, REFERENCE
  §5.7, in the calendar month before `on`'s month, exactly `care.safety_rules.pressure_indicator`.
* `outbreak_reports_on_time` (civil-affairs regulators) — reports forwarded upward within
  2 hours of arrival (seed 001 item 14), in the 12 months ending `on`.
* `staff_vaccination` (homes) — staff on the home's list with a full primary course by `on`
  (seed 001 item 10, `infection.readiness_rules.vaccination_status`).
* `obligations_met` (homes) — obligation periods of the last year done / fallen due, by the
  obligations board's rules (`compliance.rules`, `compliance.queries.standings`).

Every `compute` runs a fixed number of queries whatever the number of organisations and counts
in SQL; only lesions (few) are read row by row, for the 24-hour rule and the stage history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models import (
    Value as V,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone

from yiyang.compliance.rules import years_before
from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind

from . import register
from .base import Indicator, RecordRow, Records, Target, Unit, Value

__all__ = [
    "OBLIGATIONS_MET", "OUTBREAK_REPORTS", "PRESSURE", "STAFF_VACCINATION",
    "obligation_counts", "pressure_period", "report_window",
]


# ---- pure date rules ---------------------------------------------------------------------------

def pressure_period(on: date) -> tuple[date, date]:
    """The complete calendar month before `on`'s month: (first day, last day)."""
    last = on.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def report_window(on: date) -> tuple[date, date]:
    """The 12 months ending `on`: the local due dates counted, both ends inclusive
    (2026-12-06 → 2025-12-07 … 2026-12-06)."""
    return years_before(on, 1) + timedelta(days=1), on


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _home(actor, org_id: int):  # type: ignore[no-untyped-def]
    """The home whose indicator the actor may read: its own staff and its regulators."""
    from yiyang.compliance import queries

    return queries.home(actor, org_id)


# ---- 1. new stage Ⅱ+ pressure injuries (seed 002 §二十一, REFERENCE §5.7) --------------------

def _pressure_facts(org_ids: Sequence[int] | None, start: date, end: date
                    ) -> dict[int, list]:  # type: ignore[type-arg]
    """The lesions that may be new stage-≥2 cases of the period, per home (two queries).

    Only lesions not present on admission, found by the day after the period, and either found
    from the day before the period on or observed in (or just around) it: a lesion found
    earlier becomes a case in the period only through an observation in it. The pure rule
    decides exactly; these bounds only keep the rows few."""
    from yiyang.care import safety_rules as rules
    from yiyang.care.models import PressureInjury, PressureInjuryObservation

    observed = PressureInjuryObservation.objects.filter(
        lesion_id=OuterRef("pk"), observed_at__date__gte=start - timedelta(days=1),
        observed_at__date__lte=end + timedelta(days=1))
    qs = (PressureInjury.objects
          .filter(present_on_admission=False, found_at__date__lte=end + timedelta(days=1),
                  stay__admitted_on__lte=end)
          .exclude(stay__ended_on__lt=start)
          .filter(Q(found_at__date__gte=start - timedelta(days=1)) | Exists(observed)))
    if org_ids is not None:
        qs = qs.filter(home_id__in=list(org_ids))
    rows = list(qs.values("pk", "home_id", "person_id", "found_at", "initial_stage",
                          "present_on_admission", "stay__admitted_on", "stay__created_at"))
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    if rows:
        for o in (PressureInjuryObservation.objects
                  .filter(lesion_id__in=[r["pk"] for r in rows],
                          observed_at__date__lte=end + timedelta(days=1))
                  .values("lesion_id", "observed_at", "stage")):
            history[o["lesion_id"]].append((_local(o["observed_at"]), o["stage"]))
    facts: dict[int, list[rules.LesionFact]] = defaultdict(list)
    for r in rows:
        facts[r["home_id"]].append(rules.LesionFact(
            lesion_id=r["pk"], person_id=r["person_id"],
            admitted_at=rules.admission_moment(r["stay__admitted_on"],
                                               _local(r["stay__created_at"])),
            found_at=_local(r["found_at"]), present_on_admission=r["present_on_admission"],
            history=((_local(r["found_at"]), r["initial_stage"]), *history[r["pk"]])))
    return facts


def _pressure_compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    from yiyang.care import safety_queries
    from yiyang.care import safety_rules as rules
    from yiyang.residents.models import Stay

    start, end = pressure_period(on)
    period = rules.Period(rules.PeriodKind.MONTH, start.year, start.month)
    # Residents present at the start plus those admitted during the month, each person once
    # per home: any stay admitted by the end that had not ended before the start.
    stays = (Stay.objects.filter(admitted_on__lte=end)
             .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start)))
    if org_ids is not None:
        stays = stays.filter(home_id__in=list(org_ids))
    served = dict(stays.values("home_id").annotate(n=Count("person_id", distinct=True))
                  .values_list("home_id", "n"))
    mucosal = safety_queries.include_mucosal()
    out: dict[int, Value] = {}
    facts = _pressure_facts(org_ids, start, end)
    for home_id, denominator in served.items():
        result = rules.pressure_indicator(period, (), facts.get(home_id, ()),
                                          include_mucosal=mucosal)
        out[home_id] = Value(result.cases, denominator, {"lesions": result.lesions})
    return out


def _pressure_records(actor, org_id: int, on: date) -> Records:  # type: ignore[no-untyped-def]
    from yiyang.care import safety_queries
    from yiyang.care import safety_rules as rules
    from yiyang.care.models import PressureInjury

    home = _home(actor, org_id)
    start, _ = pressure_period(on)
    period = rules.Period(rules.PeriodKind.MONTH, start.year, start.month)
    result = safety_queries.pressure_by_home(actor, [home.pk], period)[home.pk]
    people = safety_queries.people_by_id(actor, set(result.denominator_person_ids))
    lesions: dict[int, list[PressureInjury]] = defaultdict(list)
    for lesion in (PressureInjury.objects.visible_to(actor)
                   .filter(pk__in=result.case_lesion_ids).order_by("found_at", "pk")):
        lesions[lesion.person_id].append(lesion)
    rows = []
    for person_id in result.case_person_ids:
        found = lesions[person_id]
        rows.append(RecordRow(
            (people[person_id].name if person_id in people else "—",
             "、".join(f"{lesion.get_site_display()} {rules.Stage(lesion.initial_stage).label}"
                      for lesion in found),
             "、".join(f"{timezone.localtime(lesion.found_at):%Y-%m-%d %H:%M}"
                      for lesion in found),
             "新发Ⅱ期及以上"), True,
            reverse("care:wound_detail", args=[found[0].pk]) if found else ""))
    cases = set(result.case_person_ids)
    for person_id in sorted(set(result.denominator_person_ids) - cases,
                            key=lambda p: people[p].name if p in people else ""):
        rows.append(RecordRow((people[person_id].name if person_id in people else "—", "—", "—",
                               "服务对象（分母）"), False,
                              reverse("residents:detail", args=[person_id])))
    return Records(("老年人", "新发损伤（部位、分期）", "发现时间", "说明"), rows,
                   note=f"{period.label}：分母为期初在住与期内新入住老人 "
                        f"{result.denominator} 人（期初 {result.present_at_start}、新入住 "
                        f"{result.admitted}），标 ✓ 的 {result.cases} 人计入分子"
                        f"（新发损伤 {result.lesions} 处）")


PRESSURE = register(Indicator(
    code="pressure_injury_rate",
    title="Ⅱ期及以上压力性损伤新发生率",
    clause="国卫办老龄发〔2025〕29号（二十一）：Ⅱ度及以上压疮新发生率控制在5%以内"
           "（计算方法参照护理专业医疗质量控制指标，见 REFERENCE §5.7）",
    formula="上一自然月内入住24小时后新发Ⅱ期及以上压力性损伤的老人数 ÷ "
            "（月初在住老人数 + 月内新入住老人数）× 100%",
    org_kind=OrgKind.HOME,
    compute=_pressure_compute,
    records=_pressure_records,
    unit=Unit.PERCENT,
    target=Target("<=", 5, "控制在5%以内"),
    order=30,
    numerator_label="新发Ⅱ期及以上（人）",
    denominator_label="服务老人（人）",
    parts_labels={"lesions": "新发损伤处数"},
))


# ---- 2. outbreak reports forwarded within 2 hours (seed 001 item 14) -----------------------

def _report_bounds(on: date) -> tuple[datetime, datetime]:
    """Due times counted: from local midnight of the window's first day up to the end of `on`
    (or now, while `on` is today: a report not yet due is not late)."""
    first, last = report_window(on)
    return _local_midnight(first), min(_local_midnight(last + timedelta(days=1)),
                                       timezone.now())


def _reports_compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    from yiyang.infection.models import OutbreakReport

    since, until = _report_bounds(on)
    qs = OutbreakReport.objects.filter(to_org__isnull=False, due_at__gte=since,
                                       due_at__lte=until)
    if org_ids is not None:
        qs = qs.filter(to_org_id__in=list(org_ids))
    rows = (qs.values("to_org_id")
            .annotate(n=Count("pk", filter=Q(forwarded_at__isnull=False,
                                             forwarded_at__lte=F("due_at"))),
                      d=Count("pk"))
            .values_list("to_org_id", "n", "d"))
    return {org_id: Value(n, d) for org_id, n, d in rows}


def _regulator(actor, org_id: int):  # type: ignore[no-untyped-def]
    """A regulator whose indicator the actor may read: itself and the regulators above it."""
    from yiyang.orgs.models import Regulator

    reg = Regulator.objects.filter(pk=org_id).first()
    if (reg is None or actor.org_kind != OrgKind.REGULATOR
            or not reg.region_code.startswith(actor.region_prefix)):
        raise NotFound()
    return reg


def _reports_records(actor, org_id: int, on: date) -> Records:  # type: ignore[no-untyped-def]
    from yiyang.infection.models import OutbreakReport

    reg = _regulator(actor, org_id)
    since, until = _report_bounds(on)
    rows = []
    for r in (OutbreakReport.objects.visible_to(actor)
              .filter(to_org_id=reg.pk, due_at__gte=since, due_at__lte=until)
              .select_related("from_org", "outbreak__home").order_by("due_at", "pk")):
        on_time = r.forwarded_at is not None and r.forwarded_at <= r.due_at
        if r.forwarded_at is None:
            state = "逾期未上报"
        elif on_time:
            state = "按时上报"
        else:
            late = int((r.forwarded_at - r.due_at).total_seconds() // 60)
            state = f"超时 {late} 分钟"
        rows.append(RecordRow(
            (r.outbreak.home.name, r.from_org.name,
             f"{timezone.localtime(r.received_at):%Y-%m-%d %H:%M}",
             f"{timezone.localtime(r.due_at):%Y-%m-%d %H:%M}",
             f"{timezone.localtime(r.forwarded_at):%Y-%m-%d %H:%M}" if r.forwarded_at else "—",
             state), on_time, reverse("infection:outbreak", args=[r.outbreak_id])))
    return Records(("发生疫情的机构", "报告单位", "接报时间", "应上报时限", "上报时间", "情况"),
                   rows, note="标 ✓ 的为接报后2小时内向上级民政部门上报")


OUTBREAK_REPORTS = register(Indicator(
    code="outbreak_reports_on_time",
    title="疫情报告2小时内上报率",
    clause="《地方民政部门做好养老服务领域疫情防控工作指南（第二版）》十四：民政部门接到养老机构"
           "报告相关异常情况后，要在2小时内向上级民政部门报告",
    formula="近12个月应上报时限已到的接报中，接报后2小时内向上级上报的件数 ÷ 应上报件数 × 100%",
    org_kind=OrgKind.REGULATOR,
    compute=_reports_compute,
    records=_reports_records,
    unit=Unit.PERCENT,
    target=Target(">=", 100, "接报后2小时内上报"),
    order=31,
    numerator_label="按时上报（件）",
    denominator_label="应上报（件）",
))


# ---- 3. staff vaccination coverage (seed 001 item 10) ---------------------------------------

def _staff_queryset(org_ids: Sequence[int] | None, on: date):  # type: ignore[no-untyped-def]
    """The homes' staff list and, per membership, 1 when its full primary course is reached by
    `on`, in SQL: the primary doses up to `on` reach the course of the product first given
    (inactivated 2, adenovirus 1, recombinant 3; none recorded: inactivated), as
    `readiness_rules.vaccination_status` decides."""
    from yiyang.infection import readiness_rules as rr
    from yiyang.infection.models import StaffDose
    from yiyang.orgs.models import Membership

    primary = StaffDose.objects.filter(membership_id=OuterRef("pk"),
                                       kind=StaffDose.Kind.PRIMARY, given_on__lte=on)
    doses = Coalesce(Subquery(primary.order_by().values("membership_id")
                              .annotate(c=Count("pk")).values("c")[:1],
                              output_field=IntegerField()), V(0))
    # The course length of the product first given, worked out inside one subquery (so each
    # member costs two correlated lookups, as in the hand-written baseline).
    course = Case(*[When(product=p, then=V(n)) for p, n in rr.COURSE_DOSES.items()],
                  output_field=IntegerField())
    required = Coalesce(Subquery(primary.filter(product__in=list(rr.COURSE_DOSES))
                                 .order_by("given_on", "pk").annotate(req=course)
                                 .values("req")[:1], output_field=IntegerField()),
                        V(rr.COURSE_DOSES["inactivated"]))
    full = Case(When(GreaterThanOrEqual(doses, required), then=V(1)), default=V(0),
                output_field=IntegerField())
    qs = Membership.objects.filter(org__kind=OrgKind.HOME, is_active=True)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    return qs, full


def _staff_compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    qs, full = _staff_queryset(org_ids, on)
    rows = (qs.values("org_id").annotate(d=Count("pk"), n=Sum(full))
            .values_list("org_id", "n", "d"))
    return {org_id: Value(n or 0, d) for org_id, n, d in rows}


def _staff_records(actor, org_id: int, on: date) -> Records:  # type: ignore[no-untyped-def]
    from yiyang.infection import readiness_queries
    from yiyang.infection import readiness_rules as rr
    from yiyang.infection.models import StaffDose, StaffPost

    home = _home(actor, org_id)
    members = list(readiness_queries.staff_memberships(actor, home_id=home.pk))
    ids = [m.pk for m in members]
    doses: dict[int, list[rr.Dose]] = defaultdict(list)
    for d in (StaffDose.objects.visible_to(actor)
              .filter(membership_id__in=ids, given_on__lte=on).order_by("given_on", "pk")):
        doses[d.membership_id].append(d.as_rule())
    posts = dict(StaffPost.objects.visible_to(actor).filter(membership_id__in=ids)
                 .values_list("membership_id", "post"))
    rows = []
    for m in members:
        status = rr.vaccination_status(doses[m.pk], on)
        rows.append(RecordRow(
            (m.user.full_name or m.user.username, m.get_role_display(), posts.get(m.pk) or "—",
             status.label, f"{status.full_on:%Y-%m-%d}" if status.full_on else "—"),
            status.full_course, reverse("infection:staff_detail", args=[m.pk])))
    return Records(("姓名", "角色", "岗位", "接种情况", "全程接种日期"), rows,
                   note=f"截至 {on:%Y-%m-%d}，标 ✓ 的为已全程接种（在岗工作人员名单为当前名单）")


STAFF_VACCINATION = register(Indicator(
    code="staff_vaccination",
    title="工作人员疫苗全程接种率",
    clause="《地方民政部门做好养老服务领域疫情防控工作指南（第二版）》十：对没有全程接种疫苗的"
           "工作人员应调离直接接触和服务老年人的工作岗位",
    formula="截至统计日已全程接种的在岗工作人员数 ÷ 在岗工作人员数 × 100%",
    org_kind=OrgKind.HOME,
    compute=_staff_compute,
    records=_staff_records,
    unit=Unit.PERCENT,
    order=32,
    numerator_label="已全程接种（人）",
    denominator_label="在岗工作人员（人）",
))


# ---- 4. obligations met (issue 10 item 1; compliance.rules) --------------------------------

def obligation_counts(statuses) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(done, fallen due) from period statuses: done and overdue periods count, a current
    period still due does not (it has neither been met nor missed yet)."""
    from yiyang.compliance.rules import Status

    done = sum(1 for s in statuses if s is Status.DONE)
    missed = sum(1 for s in statuses if s is Status.OVERDUE)
    return done, done + missed


def _obligations_compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    from yiyang.compliance import obligations, rules, sources
    from yiyang.compliance.models import Hazard, ObligationRecord
    from yiyang.compliance.rules import HazardState, Progress
    from yiyang.orgs.models import NursingHome

    homes = NursingHome.objects.filter(is_active=True)
    if org_ids is not None:
        homes = homes.filter(pk__in=list(org_ids))
    categories = dict(homes.values_list("pk", "category"))
    ids = list(categories)
    if not ids:
        return {}
    periodic = [o for o in obligations.CATALOGUE if o.interval is not rules.Interval.LEDGER]
    windows = {o.code: rules.periods_in_window(o.interval, on) for o in periodic}
    # Own records: one conditional count per (obligation, period), grouped by home (one query).
    counts = {}
    for o in periodic:
        if o.source == obligations.RECORDS:
            for i, p in enumerate(windows[o.code]):
                counts[f"c_{o.code}_{i}"] = Count("pk", filter=Q(
                    obligation=o.code, done_on__gte=p.start, done_on__lte=min(p.end, on)))
    done: dict[int, dict[str, int]] = {}
    if counts:
        first = min(windows[o.code][0].start for o in periodic
                    if o.source == obligations.RECORDS)
        records = ObligationRecord.objects.filter(done_on__gte=first, done_on__lte=on)
        if org_ids is not None:
            records = records.filter(home_id__in=ids)
        done = {row.pop("home_id"): row
                for row in records.values("home_id").annotate(**counts).order_by()}
    # The hazard ledger's open items (one query).
    ledger = Hazard.objects.filter(state=HazardState.OPEN)
    if org_ids is not None:
        ledger = ledger.filter(home_id__in=ids)
    open_items = {h: (n, late) for h, n, late in
                  ledger.values("home_id").annotate(n=Count("pk"), late=Count(
                      "pk", filter=Q(deadline__lt=on))).order_by()
                  .values_list("home_id", "n", "late")}
    hooked = {}
    for o in periodic:
        if o.source not in (obligations.RECORDS, obligations.HAZARDS):
            hook = sources.get(o.source)
            if hook is not None:
                hooked[o.code] = hook(ids, windows[o.code], on)
    out: dict[int, Value] = {}
    for home_id in ids:
        statuses = []
        parts: dict[str, int] = {}
        for o in obligations.CATALOGUE:
            if not o.applies_to(OrgKind.HOME, categories[home_id]):
                continue
            if o.source == obligations.HAZARDS:
                n, late = open_items.get(home_id, (0, 0))
                s = (rules.Status.OVERDUE if late else rules.Status.DUE if n
                     else rules.Status.DONE)
                mine = [s]
            elif o.source == obligations.RECORDS:
                row = done.get(home_id, {})
                mine = [rules.period_status(p, Progress(row.get(f"c_{o.code}_{i}", 0),
                                                        o.per_period), on)
                        for i, p in enumerate(windows[o.code])]
            elif o.code in hooked:
                mine = [rules.period_status(p, g, on)
                        for p, g in zip(windows[o.code], hooked[o.code][home_id], strict=True)]
            else:
                continue  # not connected: neither met nor missed
            statuses += mine
            missed = sum(1 for s in mine if s is rules.Status.OVERDUE)
            if missed:
                parts[f"missed:{o.code}"] = missed
        n, d = obligation_counts(statuses)
        if d:
            out[home_id] = Value(n, d, parts)
    return out


def _obligations_records(actor, org_id: int, on: date) -> Records:  # type: ignore[no-untyped-def]
    from yiyang.compliance import queries
    from yiyang.compliance.rules import Status

    home = _home(actor, org_id)
    url = reverse("compliance:board", args=[home.pk])
    rows = []
    for cell in queries.standings(actor, [home], on)[home.pk]:
        st = cell.standing
        if st is None:
            continue
        if cell.obligation.interval.value == "ledger":
            if st.status in (Status.DONE, Status.OVERDUE):
                rows.append(RecordRow((cell.obligation.title, "隐患台账（当前）",
                                       f"逾期未整改 {st.overdue_count} 项" if st.overdue_count
                                       else "无逾期隐患", st.status.label),
                                      st.status is Status.DONE, url))
            continue
        for period, progress, status in st.history:
            if status in (Status.DONE, Status.OVERDUE):
                rows.append(RecordRow((cell.obligation.title, period.label,
                                       f"{progress.done}/{progress.required}{cell.obligation.unit}",
                                       status.label), status is Status.DONE, url))
    return Records(("义务", "周期", "完成/要求", "状态"), rows,
                   note="近一年已结束或已完成的周期；标 ✓ 的为按要求完成，其余为逾期未完成")


_MISSED_LABELS = {
    "missed:emergency_drill": "漏做·应急预案演练（季度）",
    "missed:fire_check": "漏做·防火检查（月）",
    "missed:fire_drill": "漏做·消防演练（半年）",
    "missed:infection_drill": "漏做·传染病防控演练（年）",
    "missed:health_education": "漏做·健康教育（月）",
    "missed:mental_health_lecture": "漏做·心理健康讲座（年）",
    "missed:annual_checkup": "漏做·65岁以上年度体检（年）",
    "missed:hazard_ledger": "隐患逾期未整改",
}

OBLIGATIONS_MET = register(Indicator(
    code="obligations_met",
    title="日常义务按期完成率",
    clause="国卫办老龄发〔2025〕29号（六）（十二）（二十四）（二十五）；《养老机构新冠肺炎疫情常态化"
           "防控指南》一；医养签约服务规范 服务项目2（义务清单见“日常义务”）",
    formula="近一年各项义务已结束或已完成的周期中按要求完成的周期数 ÷ 这些周期数 × 100%"
            "（隐患台账按当前是否有逾期未整改计1项）",
    org_kind=OrgKind.HOME,
    compute=_obligations_compute,
    records=_obligations_records,
    unit=Unit.PERCENT,
    target=Target(">=", 100, "按规定频次完成"),
    order=33,
    numerator_label="按期完成（周期）",
    denominator_label="应完成（周期）",
    parts_labels=_MISSED_LABELS,
))
