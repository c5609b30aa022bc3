"""Cooperation, coverage and family-doctor indicators (issue 10 item 2; seed 002 §一, §八, §十;
seed 003): agreement coverage of homes, counties with a 医养结合 institution, patrol visits made
as agreed, and family-doctor coverage of the §八 target group.

Each `compute` runs one or two aggregate queries whatever the number of organisations (the
patrol indicator reads one row per agreement, not per visit); each `records` reads through the
apps' `visible_to(actor)` queries.  Formulas and decisions: docs/indicators-cooperation.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.urls import reverse

from yiyang.agreements import queries as agreement_queries
from yiyang.agreements import rules as agreement_rules
from yiyang.agreements.models import Agreement, PatrolVisit
from yiyang.community import queries as community_queries
from yiyang.community import rules as community_rules
from yiyang.community.models import FamilyDoctorContract, LedgerEntry
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.models import NursingHome, Organisation
from yiyang.residents.models import Stay

from .. import queries as compliance_queries
from ..models import ClinicFiling
from ..rules import FilingState
from . import register
from ._cooperation_rules import due_count, patrol_last_day, patrol_period, very_old_line
from .base import Indicator, RecordRow, Records, Rollup, Target, Unit, Value

__all__ = ["IN_FORCE_STATES", "LICENSED_UNITS", "PATROL_STATES", "in_force_q", "is_in_force"]

_S = agreement_rules.AgreementState
# Agreements whose past terms still owe patrol visits (as `agreements.queries.patrol_schedule`).
PATROL_STATES = (*agreement_queries.PUBLIC_STATES, _S.EXPIRED, _S.TERMINATED)
# Internal units that are licensed (执业许可), not filed: seed 004's filing covers only 诊所、
# 卫生所（室）、医务室、护理站, so for these the home's card is the only source.
LICENSED_UNITS = (NursingHome.MedicalUnit.OUTPATIENT, NursingHome.MedicalUnit.HOSPITAL)


# A home counts 1 of 1 or 0 of 1 (values are immutable: one instance each for every home).
_YES, _NO = Value(1, 1), Value(0, 1)


def _day(on: date) -> str:
    return f"{on:%Y-%m-%d}"


# ---- agreements in force ----------------------------------------------------------------------
# Today this is the rule of `compliance.queries.integrated_by_county` and the public list (made
# public, `on` within the term, not terminated).  For an earlier day the stored state is today's,
# so an agreement expired or terminated since then still counts for the days it was in force.
IN_FORCE_STATES = (*agreement_queries.PUBLIC_STATES, _S.EXPIRED, _S.TERMINATED)


def in_force_q(on: date, prefix: str = "") -> Q:
    """An agreement in force at the end of `on`."""
    f = prefix
    not_ended = (Q(**{f"{f}terminated_on__gt": on})
                 | (Q(**{f"{f}terminated_on__isnull": True}) & ~Q(**{f"{f}state": _S.TERMINATED})))
    return Q(**{f"{f}state__in": IN_FORCE_STATES, f"{f}start_on__lte": on,
                f"{f}end_on__gte": on}) & not_ended


def is_in_force(a: Agreement, on: date) -> bool:
    """`in_force_q` for a loaded row."""
    if a.state not in IN_FORCE_STATES or not a.start_on <= on <= a.end_on:
        return False
    return a.terminated_on > on if a.terminated_on else a.state != _S.TERMINATED


def _homes(org_ids: Sequence[int] | None) -> QuerySet[NursingHome]:
    qs = NursingHome.objects.filter(is_active=True).order_by()  # no sort: a dict is returned
    return qs if org_ids is None else qs.filter(pk__in=list(org_ids))


def _agreement_in_force(on: date) -> Exists:
    return Exists(Agreement.objects.filter(in_force_q(on), home=OuterRef("pk")))


def _state_on(a: Agreement, on: date) -> str:
    return "在合作期内" if is_in_force(a, on) else agreement_queries.effective_state(a, on).label


def _agreement_row(a: Agreement, on: date) -> RecordRow:
    term = f"{_day(a.start_on)} 至 {_day(a.end_on)}"
    return RecordRow((a.number, a.medical.name, term, _state_on(a, on)), is_in_force(a, on),
                     reverse("agreements:detail", args=[a.pk]))


# ---- 1. agreement coverage of homes (seed 002 §十, seed 003) --------------------------------

def agreement_coverage(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    # The organisation table alone (no join to the homes' profile table): kind says "home".
    homes = Organisation.objects.filter(kind=OrgKind.HOME, is_active=True).order_by()
    if org_ids is not None:
        homes = homes.filter(pk__in=list(org_ids))
    rows = homes.annotate(hit=_agreement_in_force(on)).values_list("pk", "hit")
    return {pk: _YES if hit else _NO for pk, hit in rows}


def agreement_coverage_records(actor: Actor, org_id: int, on: date) -> Records:
    compliance_queries.home(actor, org_id)  # NotFound unless the actor may read the home
    rows = [_agreement_row(a, on)
            for a in agreement_queries.agreements(actor).filter(home_id=org_id)
            .exclude(state=_S.WITHDRAWN).order_by("-start_on", "-id")]
    return Records(("协议编号", "医疗卫生机构", "合作期限", f"{_day(on)} 状态"), rows,
                   "有任一标 ✓ 的协议（已公开、当日在合作期限内且未终止），该机构即计入分子；"
                   "草稿及当日未生效、已到期、已终止的协议列出备查，不计入。")


# ---- 2. counties with at least one 医养结合 institution (seed 002 §一) ------------------------

def _licensed() -> Case:
    return Case(When(Q(has_medical_unit=True, medical_unit_type__in=LICENSED_UNITS)
                     & ~Q(medical_filing_no=""), then=True),
                default=False, output_field=BooleanField())


def _filed(on: date) -> Exists:
    return Exists(ClinicFiling.objects.filter(home=OuterRef("pk"), state=FilingState.ACCEPTED,
                                              filed_on__lte=on))


def integrated_homes(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    rows = (_homes(org_ids).annotate(filed=_filed(on), agreed=_agreement_in_force(on),
                                     licensed=_licensed())
            .values_list("pk", "filed", "agreed", "licensed"))
    return {pk: _YES if filed or agreed or licensed else _NO
            for pk, filed, agreed, licensed in rows}


def integrated_records(actor: Actor, org_id: int, on: date) -> Records:
    home = compliance_queries.home(actor, org_id)
    rows: list[RecordRow] = []
    for f in compliance_queries.filings(actor).filter(home_id=org_id).order_by("-filed_on", "-id"):
        counted = f.state == FilingState.ACCEPTED and f.filed_on <= on
        rows.append(RecordRow(("内设医疗机构备案", f"{f.name}（{f.get_kind_display()}）",
                               _day(f.filed_on), FilingState(f.state).label), counted,
                              reverse("compliance:filing", args=[f.pk])))
    for a in (agreement_queries.agreements(actor).filter(home_id=org_id)
              .exclude(state=_S.WITHDRAWN).order_by("-start_on", "-id")):
        rows.append(RecordRow(("签约合作", f"{a.number} {a.medical.name}",
                               f"{_day(a.start_on)} 至 {_day(a.end_on)}",
                               _state_on(a, on)),
                              is_in_force(a, on), reverse("agreements:detail", args=[a.pk])))
    if home.has_medical_unit or home.is_integrated:
        licensed = (home.has_medical_unit and home.medical_unit_type in LICENSED_UNITS
                    and bool(home.medical_filing_no))
        unit = home.get_medical_unit_type_display() if home.has_medical_unit else "—"
        rows.append(RecordRow(
            ("机构信息", f"内设{unit} {home.medical_filing_no}".strip(), "—",
             "持执业许可，计入" if licensed else "机构自报，需在本系统备案或签约后计入"),
            licensed, reverse("orgs:detail", args=[home.pk])))
    return Records(("依据", "内容", "日期/期限", "状态"), rows,
                   "有任一标 ✓ 的依据，该机构即为医养结合机构；县（市、区）内有 1 家即计为覆盖。")


# ---- 3. patrol visits made as agreed (seed 003) --------------------------------------------

def _patrol_agreements(on: date) -> QuerySet[Agreement]:
    first, last = patrol_period(on)
    return (Agreement.objects.filter(state__in=PATROL_STATES, patrol_interval_days__isnull=False,
                                     start_on__lte=last, end_on__gte=first)
            .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=first)))


def _due(start: date, end: date, terminated_on: date | None, interval: int, on: date) -> int:
    first, last = patrol_period(on)
    return due_count(start=start, last=patrol_last_day(end, terminated_on), interval=interval,
                     first=first, until=last)


def patrol_visits(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    first, last = patrol_period(on)
    qs = _patrol_agreements(on).filter(home__is_active=True)
    if org_ids is not None:
        qs = qs.filter(home_id__in=list(org_ids))
    # values() first: grouped by these columns only, not by every column of the agreement
    rows = (qs.order_by().values("pk", "home_id", "start_on", "end_on", "terminated_on",
                                 "patrol_interval_days")
            .annotate(made=Count("patrol_visits", filter=Q(
                patrol_visits__visited_on__gte=first, patrol_visits__visited_on__lte=last)))
            .values_list("home_id", "start_on", "end_on", "terminated_on",
                         "patrol_interval_days", "made"))
    made_by: dict[int, int] = defaultdict(int)
    due_by: dict[int, int] = defaultdict(int)
    for home_id, start, end, terminated_on, interval, made in rows:
        due = _due(start, end, terminated_on, interval, on)
        due_by[home_id] += due
        made_by[home_id] += min(made, due)
    return {pk: Value(made_by[pk], due) for pk, due in due_by.items()}


def patrol_records(actor: Actor, org_id: int, on: date) -> Records:
    compliance_queries.home(actor, org_id)
    first, last = patrol_period(on)
    agreements = list(_patrol_agreements(on).filter(
        pk__in=agreement_queries.agreements(actor).filter(home_id=org_id).values("pk"))
        .select_related("medical").order_by("start_on", "id"))
    visits: dict[int, list[PatrolVisit]] = defaultdict(list)
    for v in (PatrolVisit.objects.visible_to(actor)
              .filter(agreement__in=agreements, visited_on__gte=first, visited_on__lte=last)
              .order_by("visited_on", "id")):
        visits[v.agreement_id].append(v)
    rows: list[RecordRow] = []
    for a in agreements:
        interval = a.patrol_interval_days or 1
        until = min(last, patrol_last_day(a.end_on, a.terminated_on))
        dues = ([d for d in agreement_rules.patrol_due_dates(a.start_on, a.end_on, interval,
                                                             until=until) if d >= first]
                if until >= a.start_on else [])
        made = visits[a.pk]
        label = f"{a.number} {a.medical.name}"
        agreement_url = reverse("agreements:detail", args=[a.pk])
        # The k-th visit of the period answers the k-th due date (visits beyond the agreed
        # number are listed, not counted).
        for k in range(max(len(dues), len(made))):
            due = _day(dues[k]) if k < len(dues) else "—（超出约定次数）"
            visit = made[k] if k < len(made) else None
            rows.append(RecordRow(
                (label, f"每 {interval} 天", due, _day(visit.visited_on) if visit else "未巡诊"),
                visit is not None and k < len(dues),
                reverse("agreements:patrol_visit", args=[visit.pk]) if visit else agreement_url))
    return Records(("协议", "约定巡诊周期", "应巡日期", "巡诊日期"), rows,
                   f"统计期 {_day(first)} 至 {_day(last)}：每个应巡日期一行（分母），"
                   "标 ✓ 的为已巡诊（分子，每份协议最多计约定次数）。")


# ---- 4. family-doctor coverage of the §八 target group (community) ------------------------

def _target_entries(on: date) -> QuerySet[LedgerEntry]:
    """Ledger entries on the ledger at the end of `on`, of people living at home (no stay in a
    home open that day), in the §八 target group (失能、高龄、残疾: `rules.in_target_group`)."""
    in_care = Stay.objects.filter(person=OuterRef("person_id"), admitted_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    target = (Q(dependent=True) | Q(disabled=True)
              | Q(person__birth_date__lte=very_old_line(on)))
    return (LedgerEntry.objects.filter(listed_on__lte=on)
            .filter(Q(status=LedgerEntry.Status.ACTIVE) | Q(ended_on__gt=on))
            .filter(target).filter(~Exists(in_care)))


def _contract_in_force(on: date) -> Exists:
    return Exists(FamilyDoctorContract.objects.filter(
        entry=OuterRef("pk"), start_on__lte=on, end_on__gte=on)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on)))


def family_doctor_coverage(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    # No join to the organisations for `is_active`: the snapshot keeps active organisations
    # only, and on PostgreSQL the join's misestimate turned the count into nested loops (2 s
    # instead of 30 ms at province scale, bench/README.md).
    qs = _target_entries(on)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    rows = (qs.order_by().values("org_id")
            .annotate(n=Count("pk"), signed=Count("pk", filter=_contract_in_force(on)))
            .values_list("org_id", "signed", "n"))
    return {org_id: Value(signed, n) for org_id, signed, n in rows}


def family_doctor_records(actor: Actor, org_id: int, on: date) -> Records:
    ids = _target_entries(on).filter(org_id=org_id).values("pk")
    entries = (community_queries.entries(actor, on=on).filter(pk__in=ids)
               .order_by("person__pinyin", "id"))
    rows = []
    for e in entries:
        cats = "、".join(c.label for c in e.categories_on(on)
                        if c in (community_rules.Category.DEPENDENT,
                                 community_rules.Category.VERY_OLD,
                                 community_rules.Category.DISABLED))
        doctor = (f"{e.doctor_team}（{e.doctor_institution}）" if e.has_doctor else "未签约")
        rows.append(RecordRow((e.person.name, cats, doctor), bool(e.has_doctor),
                              reverse("community:entry", args=[e.pk])))
    return Records(("姓名", "类别", "家庭医生签约"), rows,
                   "台账在册、居家（当日未入住养老机构）的失能、高龄（80 岁及以上）、残疾老年人；"
                   "标 ✓ 的当日有家庭医生签约在有效期内。")


# ---- the registrations -----------------------------------------------------------------------

register(Indicator(
    code="agreement_coverage", title="养老机构医养签约覆盖率",
    clause="种子002《关于开展医养结合促进行动的通知》（国卫办老龄发〔2025〕29号）（十）；"
           "种子003（浙卫发〔2022〕11号）一、二",
    formula="当日有在效签约协议的养老机构数 ÷ 在用养老机构数",
    org_kind=OrgKind.HOME, compute=agreement_coverage, records=agreement_coverage_records,
    unit=Unit.PERCENT, order=20,
    target=Target(">=", 100,
                  "到2027年底，基本实现有意愿与基层医疗卫生机构合作的养老机构签约全覆盖"),
    numerator_label="有在效协议的机构", denominator_label="养老机构"))

register(Indicator(
    code="integrated_counties", title="有医养结合机构的县（市、区）",
    clause="种子002《关于开展医养结合促进行动的通知》（国卫办老龄发〔2025〕29号）（一）",
    formula="至少有1家医养结合机构（内设医疗机构已备案或持证、或有在效签约协议）的县数 ÷ 县数",
    org_kind=OrgKind.HOME, compute=integrated_homes, records=integrated_records,
    unit=Unit.PERCENT, rollup=Rollup.COUNTY_ANY, order=21,
    target=Target(">=", 100, "到2027年底，每个县（市、区、旗）至少有1家医疗卫生机构或养老机构"
                             "直接开展医养结合服务"),
    numerator_label="已覆盖的县", denominator_label="县（市、区）"))

register(Indicator(
    code="patrol_visits", title="签约巡诊按约完成率",
    clause="种子003（浙卫发〔2022〕11号）二：按照协议确定的周期定时为签约养老服务机构开展巡诊医疗服务",
    formula="前3个整月内已巡诊次数（每份协议不超过应巡次数）÷ 按协议巡诊周期应巡次数",
    org_kind=OrgKind.HOME, compute=patrol_visits, records=patrol_records,
    unit=Unit.PERCENT, order=22,
    target=Target(">=", 100, "按照协议确定的周期定时巡诊"),
    numerator_label="已巡诊次数", denominator_label="应巡诊次数"))

register(Indicator(
    code="family_doctor_coverage", title="特殊困难老年人家庭医生签约覆盖率",
    clause="种子002《关于开展医养结合促进行动的通知》（国卫办老龄发〔2025〕29号）（八）",
    formula="居家失能、高龄、残疾老年人中家庭医生签约在效人数 ÷ 台账在册的上述老年人数",
    org_kind=OrgKind.COMMUNITY, compute=family_doctor_coverage, records=family_doctor_records,
    unit=Unit.PERCENT, order=23,
    target=Target(">=", 80,
                  "到2027年底，失能、高龄、残疾等特殊困难老年人家庭医生签约覆盖率不低于80%"),
    numerator_label="已签约", denominator_label="目标人群"))
