"""Staff training coverage (seed 002 §五) and TCM techniques offered (§十一).

Formulas and what is UNCONFIRMED: docs/indicators-training.md.

* `staff_training` (homes) and `staff_training_medical` (medical institutions): the people
  holding an active membership in a manager or professional role (`training_rules.TRAINED_ROLES`)
  of the institution; trained = attended at least one of the institution's recorded trainings
  held in the 12 months ending `on`. One person with two such roles counts once.
* `tcm_techniques` (homes with an internal medical unit: `has_medical_unit`, or a clinic filing
  accepted on or before `on`): homes offering on `on` at least 6 items of at least 4 types.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor

from .. import training_rules as tr
from . import register
from .base import Indicator, RecordRow, Records, Target, Value

__all__ = ["STAFF_TRAINING", "STAFF_TRAINING_MEDICAL", "TCM_TECHNIQUES"]

_CLAUSE_TRAINING = ("国卫办老龄发〔2025〕29号（种子002）§五：到2027年底，基本完成辖区内医养结合机构"
                    "管理人员、专业技术人员培训全覆盖")
_CLAUSE_TCM = ("国卫办老龄发〔2025〕29号（种子002）§十一：医养结合机构中的基层医疗卫生机构规范开展"
               "4类6项以上的中医适宜技术")



def _check_visible(actor: Actor, org_id: int, kind: str) -> None:
    """`NotFound` unless the actor may read the organisation (its own staff, its regulators)."""
    from yiyang.orgs.models import Organisation

    if not (Organisation.objects.visible_to(actor)
            .filter(pk=org_id, kind=kind).exists()):
        raise NotFound()


# ---- staff training ---------------------------------------------------------------------------

def _trained_staff(kind: str, org_ids: Sequence[int] | None, on: date):  # type: ignore[no-untyped-def]
    """Memberships in the trained roles of active organisations of `kind`, each annotated
    `trained` (the person attended a training of that organisation in the window)."""
    from yiyang.orgs.models import Membership

    from ..models import TrainingAttendance

    start, end = tr.training_window(on)
    attended = TrainingAttendance.objects.filter(
        membership__user_id=OuterRef("user_id"), membership__org_id=OuterRef("org_id"),
        course__org_id=OuterRef("org_id"), course__held_on__gte=start,
        course__held_on__lte=end)
    qs = Membership.objects.filter(org__kind=kind, org__is_active=True, is_active=True,
                                   role__in=sorted(tr.TRAINED_ROLES))
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    return qs.annotate(trained=Exists(attended))


def _training_compute(kind: str):  # type: ignore[no-untyped-def]
    def compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
        rows = (_trained_staff(kind, org_ids, on).order_by().values("org_id")
                .annotate(total=Count("user_id", distinct=True),
                          done=Count("user_id", distinct=True, filter=Q(trained=True))))
        return {r["org_id"]: Value(r["done"], r["total"]) for r in rows}
    return compute


def _training_records(kind: str):  # type: ignore[no-untyped-def]
    def records(actor: Actor, org_id: int, on: date) -> Records:
        from yiyang.orgs.models import Membership

        from ..models import TrainingAttendance, TrainingCourse

        _check_visible(actor, org_id, kind)
        columns = ("姓名", "岗位", "近12个月培训次数", "最近一次培训", "计入")
        start, end = tr.training_window(on)
        staff = list(Membership.objects.visible_to(actor)
                     .filter(org_id=org_id, org__kind=kind, org__is_active=True, is_active=True,
                             role__in=sorted(tr.TRAINED_ROLES))
                     .select_related("user").order_by("user__full_name", "user_id", "id"))
        courses = (TrainingCourse.objects.visible_to(actor)
                   .filter(org_id=org_id, held_on__gte=start, held_on__lte=end))
        seen: dict[int, list[tuple[date, int, str]]] = {}
        for user_id, held_on, course_id, title in (
                TrainingAttendance.objects.filter(course__in=courses,
                                                  membership__org_id=org_id)
                .values_list("membership__user_id", "course__held_on", "course_id",
                             "course__title")):
            seen.setdefault(user_id, []).append((held_on, course_id, title))
        rows: list[RecordRow] = []
        done: set[int] = set()
        for m in staff:
            if m.user_id in done:  # one person, two roles: one row
                continue
            done.add(m.user_id)
            attended = sorted(seen.get(m.user_id, []), reverse=True)
            latest = attended[0] if attended else None
            rows.append(RecordRow(
                (m.user.full_name or m.user.username, m.title or m.get_role_display(),
                 str(len(attended)), f"{latest[0]:%Y-%m-%d} {latest[2]}" if latest else "—",
                 "✓" if latest else "✗"),
                counted=latest is not None,
                url=reverse("compliance:training", args=[latest[1]]) if latest else ""))
        return Records(columns, rows, note=(
            f"管理人员、专业技术人员（院长/管理员、医生、护士等）；标 ✓ 的在 {start:%Y-%m-%d} 至 "
            f"{end:%Y-%m-%d} 参加过本机构登记的培训，计入分子"))
    return records


STAFF_TRAINING = register(Indicator(
    code="staff_training", title="养老机构从业人员培训覆盖率", clause=_CLAUSE_TRAINING,
    formula="近12个月参加过培训的管理人员、专业技术人员数 ÷ 在职管理人员、专业技术人员数 × 100%",
    org_kind=OrgKind.HOME, compute=_training_compute(OrgKind.HOME),
    records=_training_records(OrgKind.HOME),
    target=Target(">=", 100, "到2027年底基本完成培训全覆盖"), order=40,
    numerator_label="近12个月受训人数", denominator_label="管理人员、专业技术人员数"))

STAFF_TRAINING_MEDICAL = register(Indicator(
    code="staff_training_medical", title="医疗卫生机构从业人员培训覆盖率",
    clause=_CLAUSE_TRAINING,
    formula="近12个月参加过培训的管理人员、医生数 ÷ 在职管理人员、医生数 × 100%",
    org_kind=OrgKind.MEDICAL, compute=_training_compute(OrgKind.MEDICAL),
    records=_training_records(OrgKind.MEDICAL),
    target=Target(">=", 100, "到2027年底基本完成培训全覆盖"), order=41,
    numerator_label="近12个月受训人数", denominator_label="管理人员、专业技术人员数"))


# ---- TCM techniques ---------------------------------------------------------------------------

def _eligible_homes(org_ids: Sequence[int] | None, on: date):  # type: ignore[no-untyped-def]
    """Active homes with an internal medical unit on `on`: declared on the home's card, or a
    clinic filing accepted (reviewed) on or before `on`."""
    from yiyang.orgs.models import NursingHome

    from ..models import ClinicFiling
    from ..rules import FilingState

    filed = ClinicFiling.objects.filter(home_id=OuterRef("pk"), state=FilingState.ACCEPTED,
                                        reviewed_on__lte=on)
    qs = NursingHome.objects.filter(Q(has_medical_unit=True) | Exists(filed), is_active=True)
    if org_ids is not None:
        qs = qs.filter(pk__in=list(org_ids))
    return qs


def _offered_on(on: date) -> Q:
    return Q(started_on__lte=on) & (Q(stopped_on__isnull=True) | Q(stopped_on__gte=on))


def _tcm_compute(org_ids: Sequence[int] | None, on: date) -> dict[int, Value]:
    from ..models import TcmTechnique

    homes = _eligible_homes(org_ids, on)
    out = {pk: Value(0, 1) for pk in homes.values_list("pk", flat=True)}
    for r in (TcmTechnique.objects.filter(_offered_on(on), org_id__in=homes.values("pk"))
              .order_by().values("org_id")
              .annotate(items=Count("technique", distinct=True),
                        types=Count("category", distinct=True))):
        if r["org_id"] in out and tr.meets_counts(r["types"], r["items"]):
            out[r["org_id"]] = Value(1, 1)
    return out


def _tcm_records(actor: Actor, org_id: int, on: date) -> Records:
    from ..models import TcmTechnique

    _check_visible(actor, org_id, OrgKind.HOME)
    columns = ("技术类别", "技术项目", "开展日期", "停止日期", "在开展")
    rows_qs = (TcmTechnique.objects.visible_to(actor).filter(org_id=org_id)
               .order_by("category", "technique", "-started_on", "id"))
    rows: list[RecordRow] = []
    items: set[str] = set()
    for t in rows_qs:
        offered = t.started_on <= on and (t.stopped_on is None or t.stopped_on >= on)
        if offered:
            items.add(t.technique)
        rows.append(RecordRow(
            (t.get_category_display(), t.get_technique_display(), f"{t.started_on:%Y-%m-%d}",
             f"{t.stopped_on:%Y-%m-%d}" if t.stopped_on else "—", "✓" if offered else "✗"),
            counted=offered, url=reverse("compliance:tcm_technique", args=[t.pk])))
    types = {tr.TCM_CATALOGUE[c].type_code for c in items if c in tr.TCM_CATALOGUE}
    eligible = _eligible_homes([org_id], on).exists()
    verdict = ("达标" if tr.meets_4_types_6_items(items) else "未达标") if eligible else \
        "本机构无内设医疗机构，不计入该指标"
    return Records(columns, rows, note=(
        f"{on:%Y-%m-%d} 在开展 {len(types)} 类 {len(items)} 项（标 ✓ 者），要求 4 类 6 项以上："
        f"{verdict}"))


TCM_TECHNIQUES = register(Indicator(
    code="tcm_techniques", title="内设医疗机构开展中医适宜技术达标率", clause=_CLAUSE_TCM,
    formula="开展4类6项以上中医适宜技术的有内设医疗机构的养老机构数 ÷ 有内设医疗机构的养老机构数"
            " × 100%",
    org_kind=OrgKind.HOME, compute=_tcm_compute, records=_tcm_records,
    target=Target(">=", 100, "规范开展4类6项以上的中医适宜技术"), order=42,
    numerator_label="达到4类6项的机构数", denominator_label="有内设医疗机构的养老机构数"))
