"""Reads of pressure injuries, incidents and education sessions, always from `visible_to(actor)`,
in a fixed number of queries whatever the row count; the pressure-injury indicator per home and
period; the education counts per home and period (for the compliance indicators)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import safety_rules as rules
from .models import EducationSession, Incident, PressureInjury, PressureInjuryObservation

_LESION_RELATED = ("person", "home")


def include_mucosal() -> bool:
    """REFERENCE §5.7: mucosal injuries count as stage ≥2 in hospital practice (a setting)."""
    return bool(getattr(settings, "PRESSURE_INDICATOR_INCLUDE_MUCOSAL", True))


def _home_filter(actor: Actor, qs: QuerySet, home_id: int | None) -> QuerySet:
    if home_id:
        return qs.filter(home_id=home_id)
    if actor.org_kind == OrgKind.HOME:
        return qs.filter(home_id=actor.org_id)
    return qs


def open_stay(actor: Actor, person_id: int) -> Stay | None:
    return (Stay.objects.visible_to(actor).filter(person_id=person_id, status__in=OPEN_STATUSES)
            .first())


def home_residents(actor: Actor) -> list[tuple[int, str]]:
    """(person id, name) of the actor's home's residents in an open stay, by pinyin."""
    return list(Stay.objects.visible_to(actor)
                .filter(home_id=actor.org_id, status__in=OPEN_STATUSES)
                .order_by("person__pinyin").values_list("person_id", "person__name"))


# ---- pressure injuries ---------------------------------------------------------------------


def lesions(actor: Actor, *, person_id: int | None = None, home_id: int | None = None,
            open_only: bool = False, acquired_only: bool = False,
            q: str = "") -> QuerySet[PressureInjury]:
    qs = _home_filter(actor, PressureInjury.objects.visible_to(actor)
                      .select_related(*_LESION_RELATED), home_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if open_only:
        qs = qs.filter(healed_on__isnull=True)
    if acquired_only:
        qs = qs.filter(present_on_admission=False)
    text = q.strip().lower()
    if text:
        qs = qs.filter(Q(person__name__contains=text) | Q(person__pinyin__contains=text) |
                       Q(person__initials__contains=text))
    return qs


def lesion(actor: Actor, pk: int, action: str = Action.VIEW) -> PressureInjury:
    qs = (PressureInjury.objects.select_related(*_LESION_RELATED, "stay")
          .prefetch_related(Prefetch("observations",
                                     PressureInjuryObservation.objects.order_by("observed_at",
                                                                                "id"))))
    return get_visible_or_404(qs, actor, action, pk=pk)


def observation(actor: Actor, pk: int) -> PressureInjuryObservation:
    """One entry of a lesion's healing record (for its photo), to whoever may read it."""
    return get_visible_or_404(PressureInjuryObservation, actor, pk=pk)


def indicator_home(actor: Actor, home_id: int) -> NursingHome:
    """A home whose indicator the actor may read: its own staff and its regulators."""
    home = get_visible_or_404(NursingHome.objects.select_related("region"), actor, pk=home_id)
    if actor.org_kind == OrgKind.HOME and actor.org_id == home.pk:
        return home
    if actor.org_kind == OrgKind.REGULATOR:
        return home
    raise NotFound()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _inputs_by_home(actor: Actor, home_ids: list[int], start: date, end: date
                    ) -> dict[int, tuple[list[rules.ResidentSpan], list[rules.LesionFact]]]:
    """The stays and lesions of the homes that touch [start, end] (three queries)."""
    stays = list(Stay.objects.visible_to(actor)
                 .filter(home_id__in=home_ids, admitted_on__lte=end)
                 .exclude(ended_on__lt=start)
                 .values("pk", "home_id", "person_id", "admitted_on", "ended_on", "created_at"))
    out: dict[int, tuple[list[rules.ResidentSpan], list[rules.LesionFact]]] = {
        h: ([], []) for h in home_ids}
    admitted_at = {}
    for s in stays:
        out[s["home_id"]][0].append(
            rules.ResidentSpan(s["person_id"], s["admitted_on"], s["ended_on"]))
        admitted_at[s["pk"]] = rules.admission_moment(s["admitted_on"], _local(s["created_at"]))
    rows = list(PressureInjury.objects.visible_to(actor)
                .filter(home_id__in=home_ids, stay_id__in=list(admitted_at),
                        found_at__date__lte=end + timedelta(days=1))
                .values("pk", "home_id", "person_id", "stay_id", "found_at", "initial_stage",
                        "present_on_admission"))
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for o in (PressureInjuryObservation.objects.visible_to(actor)
              .filter(lesion_id__in=[r["pk"] for r in rows])
              .values("lesion_id", "observed_at", "stage")):
        history[o["lesion_id"]].append((_local(o["observed_at"]), o["stage"]))
    for r in rows:
        out[r["home_id"]][1].append(rules.LesionFact(
            lesion_id=r["pk"], person_id=r["person_id"], admitted_at=admitted_at[r["stay_id"]],
            found_at=_local(r["found_at"]), present_on_admission=r["present_on_admission"],
            history=((_local(r["found_at"]), r["initial_stage"]), *history[r["pk"]])))
    return out


def indicator_inputs(actor: Actor, home_id: int, start: date, end: date
                     ) -> tuple[list[rules.ResidentSpan], list[rules.LesionFact]]:
    """The stays and lesions of a home that touch [start, end] (three queries)."""
    return _inputs_by_home(actor, [home_id], start, end)[home_id]


def pressure_by_home(actor: Actor, home_ids: list[int],
                     period: rules.Period) -> dict[int, rules.IndicatorResult]:
    """One period's indicator for many homes (three queries, for the regulator's table)."""
    inputs = _inputs_by_home(actor, home_ids, period.start, period.end)
    mucosal = include_mucosal()
    return {h: rules.pressure_indicator(period, spans, facts, include_mucosal=mucosal)
            for h, (spans, facts) in inputs.items()}


def pressure_series(actor: Actor, home_id: int, kind: rules.PeriodKind,
                    year: int) -> list[rules.IndicatorResult]:
    """The indicator for every month / quarter of `year` (or the year), up to today."""
    periods = [p for p in rules.periods_of_year(kind, year) if p.start <= timezone.localdate()]
    if not periods:
        return []
    spans, facts = indicator_inputs(actor, home_id, periods[0].start, periods[-1].end)
    mucosal = include_mucosal()
    return [rules.pressure_indicator(p, spans, facts, include_mucosal=mucosal) for p in periods]


def people_by_id(actor: Actor, ids: set[int]) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.visible_to(actor).filter(pk__in=ids)}


# ---- incidents -----------------------------------------------------------------------------


def incidents(actor: Actor, *, person_id: int | None = None, home_id: int | None = None,
              kind: str = "", q: str = "", since: date | None = None) -> QuerySet[Incident]:
    qs = _home_filter(actor, Incident.objects.visible_to(actor).select_related("person", "home"),
                      home_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(occurred_at__date__gte=since)
    text = q.strip().lower()
    if text:
        qs = qs.filter(Q(person__name__contains=text) | Q(person__pinyin__contains=text) |
                       Q(person__initials__contains=text) | Q(place__contains=text))
    return qs


def incident(actor: Actor, pk: int, action: str = Action.VIEW) -> Incident:
    qs = Incident.objects.select_related("person", "home", "trigger")
    return get_visible_or_404(qs, actor, action, pk=pk)


def risk_event_answers(person_id: int, on: date) -> dict[str, Any]:
    """GB/T 42195 A.2.14 answers from the incidents recorded in the 30 days up to `on`, for the
    assessments app's Annex A prefill (registered in `CareConfig.ready`).  Only the types with
    a recorded event are filled: events before admission or elsewhere are the informant's to
    tell, so the assessor still asks about the others."""
    first = on - timedelta(days=rules.A214_WINDOW_DAYS - 1)
    rows = (Incident.objects.filter(person_id=person_id, occurred_at__date__gte=first,
                                    occurred_at__date__lte=on)
            .values_list("kind", "occurred_at"))
    counts = rules.incident_counts(((k, timezone.localtime(at).date()) for k, at in rows), on)
    return {f"risk_{label}": str(n) for label, n in counts.items() if n}


# ---- education -----------------------------------------------------------------------------


def education_sessions(actor: Actor, *, home_id: int | None = None, year: int | None = None,
                       kind: str = "") -> QuerySet[EducationSession]:
    qs = _home_filter(actor, EducationSession.objects.visible_to(actor)
                      .select_related("home").annotate(attended=Count("attendees")), home_id)
    if year:
        qs = qs.filter(held_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-held_on", "-id")


def education_session(actor: Actor, pk: int) -> EducationSession:
    qs = (EducationSession.objects.select_related("home")
          .prefetch_related(Prefetch("attendees", Person.objects.order_by("name"))))
    return get_visible_or_404(qs, actor, pk=pk)


def education_counts(actor: Actor, period: rules.Period, *,
                     home_id: int | None = None) -> dict[int, dict[str, int]]:
    """Sessions per home in a period, by kind, plus "total" (one query).  Homes the actor may
    see with no session are absent (count 0)."""
    qs = _home_filter(actor, EducationSession.objects.visible_to(actor), home_id)
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        [*EducationSession.Kind.values, "total"], 0))
    for row in (qs.filter(held_on__gte=period.start, held_on__lte=period.end)
                .values("home_id", "kind").annotate(n=Count("pk"))):
        out[row["home_id"]][row["kind"]] += row["n"]
        out[row["home_id"]]["total"] += row["n"]
    return dict(out)


def education_calendar(actor: Actor, home_id: int | None, year: int) -> dict[str, Any]:
    """Per month of `year` the number of sessions (all kinds) and the year's mental-health
    lectures, against seed 002 §六 (monthly) and §十二 (two a year), up to today (one query)."""
    today = timezone.localdate()
    qs = _home_filter(actor, EducationSession.objects.visible_to(actor), home_id)
    months = dict.fromkeys(range(1, 13), 0)
    mental = 0
    for row in (qs.filter(held_on__year=year).values("held_on__month", "kind")
                .annotate(n=Count("pk"))):
        months[row["held_on__month"]] += row["n"]
        if row["kind"] == EducationSession.Kind.MENTAL:
            mental += row["n"]
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    rows = [{"month": m, "count": months[m], "missing": m <= last and m < (
        today.month if year == today.year else 13) and months[m] < rules.EDUCATION_MONTHLY_MIN,
        "future": m > last} for m in range(1, 13)]
    return {"months": rows, "mental": mental, "mental_min": rules.MENTAL_HEALTH_YEARLY_MIN,
            "missing": [r["month"] for r in rows if r["missing"]]}
