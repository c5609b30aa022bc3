"""Reads of assessments, always starting from `visible_to(actor)`; a fixed number of queries
per page whatever the number of residents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max, QuerySet

from yiyang.core.permissions import Perm, permissions_for
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Membership
from yiyang.residents import queries as resident_queries
from yiyang.residents.models import OPEN_STATUSES, Person, Stay, StayEventRecord
from yiyang.residents.rules import StayEvent

from . import schedule_rules
from .instruments import registry
from .models import AdmissionAssessment, Assessment, ReassessmentTrigger
from .schedule_rules import Due, Trigger, TriggerKind


def assessments(actor: Actor, *, home_id: int | None = None, person_id: int | None = None,
                instrument: str = "", status: str = "") -> QuerySet[Assessment]:
    qs = (Assessment.objects.visible_to(actor)
          .select_related("person", "corrected_by", "corrects"))
    if home_id:
        qs = qs.filter(home_id=home_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if instrument:
        qs = qs.filter(instrument=instrument)
    if status:
        qs = qs.filter(status=status)
    return qs


def assessment(actor: Actor, pk: int, action: str = Action.VIEW) -> Assessment:
    qs = Assessment.objects.select_related(
        "person__profile", "stay__bed__room__building", "home", "bundle", "corrects",
        "corrected_by", "trigger")
    return get_visible_or_404(qs, actor, action, pk=pk)


def is_current(record: Assessment) -> bool:
    """Final and not corrected (a correction still in draft leaves the old one current)."""
    correction = getattr(record, "corrected_by", None)
    return record.is_final and (correction is None or not correction.is_final)


def history(actor: Actor, person_id: int) -> list[Assessment]:
    """A resident's finished records that count, oldest first."""
    rows = assessments(actor, person_id=person_id, status=Assessment.Status.FINAL)
    return [r for r in rows.order_by("assessed_on", "id") if is_current(r)]


def history_chart(records: list[Assessment]) -> dict[str, Any]:
    """One line per instrument over the assessment dates (ECharts via web/_chart.html)."""
    dates = sorted({r.assessed_on for r in records})
    by_instrument: dict[str, dict[date, int | None]] = defaultdict(dict)
    for r in records:
        if r.total is not None:
            by_instrument[r.instrument][r.assessed_on] = r.total
    scales = registry.scales()
    return {
        "title": "历次评估得分",
        "type": "line",
        "categories": [d.isoformat() for d in dates],
        "series": [
            {"name": scales[code].name if code in scales else code,
             "data": [points.get(d) for d in dates]}
            for code, points in sorted(by_instrument.items())
        ],
    }


def latest(actor: Actor, person_id: int) -> dict[str, Assessment]:
    """The current result of each instrument for a resident (care planning reads this)."""
    out: dict[str, Assessment] = {}
    for record in history(actor, person_id):
        out[record.instrument] = record  # oldest first: the last one wins
    return out


def stay(actor: Actor, stay_id: int) -> Stay:
    return get_visible_or_404(Stay.objects.select_related("person", "home"), actor, pk=stay_id)


def admission_of(actor: Actor, stay_id: int) -> AdmissionAssessment | None:
    """The stay's admission bundle, or None when it has not been started."""
    return (AdmissionAssessment.objects.visible_to(actor).select_related("person", "stay")
            .filter(stay_id=stay_id).first())


def triggers(actor: Actor, person_id: int) -> QuerySet[ReassessmentTrigger]:
    return ReassessmentTrigger.objects.visible_to(actor).filter(person_id=person_id)


def second_assessors(actor: Actor, home_id: int) -> list[tuple[int, str]]:
    """Colleagues who may co-sign an ability assessment: active, assessing, not the actor."""
    members = (Membership.objects.visible_to(actor)
               .filter(org_id=home_id, is_active=True, user__is_active=True)
               .exclude(user_id=actor.user_id).select_related("user").order_by("user__username"))
    seen: dict[int, str] = {}
    for m in members:
        if Perm.ASSESS in permissions_for(m.role) and m.user_id not in seen:
            name = m.user.get_full_name() or m.user.username
            seen[m.user_id] = f"{name}（{m.get_role_display()}）"
    return list(seen.items())


# ---- the due list -------------------------------------------------------------------------


@dataclass
class DueRow:
    stay: Stay
    due: Due

    @property
    def instrument_name(self) -> str:
        scales = registry.scales()
        code = self.due.instrument
        return scales[code].name if code in scales else code


def routine_days() -> Mapping[str, int | None]:
    """The defaults, each one overridable by ``settings.ASSESSMENT_ROUTINE_DAYS`` (a home that
    sets only Braden keeps the other intervals; a new code schedules that instrument too)."""
    overrides = getattr(settings, "ASSESSMENT_ROUTINE_DAYS", None) or {}
    unknown = sorted(set(overrides) - set(registry.scales()))
    if unknown:
        raise ImproperlyConfigured(f"ASSESSMENT_ROUTINE_DAYS 含未知的量表：{'、'.join(unknown)}")
    try:
        return schedule_rules.merge_routine_days(overrides)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ASSESSMENT_ROUTINE_DAYS 无效：{exc}") from exc


def due_list(actor: Actor, home_id: int, *, today: date, instrument: str = "",
             overdue_only: bool = False, q: str = "") -> list[DueRow]:
    """Every open stay's due assessments in the home, earliest first (five queries)."""
    people = resident_queries.search(Person.objects.all(), q) if q else None
    stays_qs = (Stay.objects.visible_to(actor)
                .filter(home_id=home_id, status__in=OPEN_STATUSES)
                .select_related("person", "bed__room__building"))
    if people is not None:
        stays_qs = stays_qs.filter(person__in=people)
    stays = list(stays_qs)
    ids = [s.pk for s in stays]
    done: dict[int, dict[str, date]] = defaultdict(dict)
    for row in (Assessment.objects.visible_to(actor)
                .filter(stay_id__in=ids, status=Assessment.Status.FINAL)
                .values("stay_id", "instrument").annotate(last=Max("assessed_on"))):
        done[row["stay_id"]][row["instrument"]] = row["last"]
    found: dict[int, list[Trigger]] = defaultdict(list)
    for t in ReassessmentTrigger.objects.visible_to(actor).filter(stay_id__in=ids):
        found[t.stay_id].append(Trigger(TriggerKind(t.kind), t.occurred_on, t.note))
    for e in (StayEventRecord.objects.visible_to(actor)
              .filter(stay_id__in=ids, event=StayEvent.RETURN_FROM_HOSPITAL)):
        found[e.stay_id].append(Trigger(TriggerKind.HOSPITAL_RETURN, e.occurred_on, e.note))
    # A GB/T 42195 level different from the previous one makes the risk scales due again.
    # Only current records count (is_current: a correction still in draft leaves the old one).
    previous: dict[int, int | None] = {}
    for r in (Assessment.objects.visible_to(actor)
              .filter(stay_id__in=ids, status=Assessment.Status.FINAL, instrument="gbt42195")
              .exclude(corrected_by__status=Assessment.Status.FINAL)
              .order_by("assessed_on", "id").values("stay_id", "assessed_on", "level")):
        before = previous.get(r["stay_id"])
        if before is not None and r["level"] != before:
            found[r["stay_id"]].append(Trigger(
                TriggerKind.LEVEL_CHANGE, r["assessed_on"], f"能力等级 {before} → {r['level']}"))
        previous[r["stay_id"]] = r["level"]
    days = routine_days()
    rows = [
        DueRow(stay, due)
        for stay in stays
        for due in schedule_rules.dues(admitted_on=stay.admitted_on, today=today,
                                       last_done=done[stay.pk], triggers=found[stay.pk],
                                       routine_days=days)
        if (not instrument or due.instrument == instrument)
        and (not overdue_only or due.overdue)
    ]
    return sorted(rows, key=lambda r: (r.due.due_on, r.stay.person.pinyin, r.due.instrument))
