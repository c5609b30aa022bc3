"""Reads of surveillance, incidents, the reporting chain and isolation sites, always starting from
`visible_to(actor)`; lists run a fixed number of queries whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Building, Membership
from yiyang.regions.models import Region
from yiyang.residents import followup_queries, followup_rules
from yiyang.residents.models import OPEN_STATUSES, FollowUpRecord, KeyPopulationRecord, Stay
from yiyang.residents.rules import Category

from . import rules
from .models import (
    IsolationSite,
    LineListEntry,
    Outbreak,
    OutbreakEvent,
    OutbreakReport,
    Placement,
    SymptomCheck,
    TestResult,
)
from .outbreak_reports import level_codes

# ---- surveillance ---------------------------------------------------------------------------


def symptom_checks(actor: Actor, *, person_id: int | None = None, day: date | None = None,
                   referral_only: bool = False) -> QuerySet[SymptomCheck]:
    qs = SymptomCheck.objects.visible_to(actor).select_related("home")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if day:
        qs = qs.filter(checked_on=day)
    if referral_only:
        qs = qs.exclude(referral_signs=[])
    return qs


def symptom_check(actor: Actor, pk: int) -> SymptomCheck:
    return get_visible_or_404(SymptomCheck.objects.select_related("home"), actor, pk=pk)


def tests(actor: Actor, *, person_id: int | None = None,
          positive_only: bool = False) -> QuerySet[TestResult]:
    qs = TestResult.objects.visible_to(actor).select_related("home")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if positive_only:
        qs = qs.filter(result=TestResult.Result.POSITIVE)
    return qs


def test(actor: Actor, pk: int) -> TestResult:
    return get_visible_or_404(TestResult.objects.select_related("home"), actor, pk=pk)


def buildings(actor: Actor) -> QuerySet[Building]:
    return Building.objects.visible_to(actor, Action.CHANGE).filter(home_id=actor.org_id)


def round_rows(actor: Actor, building_id: int, day: date) -> list[Stay]:
    """Every resident in an open stay of the building, with the day's latest check (if any)
    as `.check`: two queries."""
    building = get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id)
    stays = list(Stay.objects.visible_to(actor)
                 .filter(bed__room__building=building, status__in=OPEN_STATUSES)
                 .select_related("person", "bed__room")
                 .order_by("bed__room__floor", "bed__room__number", "bed__label"))
    checks: dict[int, SymptomCheck] = {}
    for c in (SymptomCheck.objects.visible_to(actor)
              .filter(checked_on=day, person_id__in=[s.person_id for s in stays])
              .order_by("checked_at")):
        checks[c.person_id] = c
    for s in stays:
        s.check = checks.get(s.person_id)  # type: ignore[attr-defined]
    return stays


# ---- incidents ------------------------------------------------------------------------------


def outbreaks(actor: Actor, *, open_only: bool = False,
              region: str = "") -> QuerySet[Outbreak]:
    qs = Outbreak.objects.visible_to(actor).select_related("home")
    if open_only:
        qs = qs.exclude(state=rules.State.CLOSED)
    if region:
        qs = qs.filter(region_code__startswith=region)
    return qs.annotate(
        cases=Count("line_list", filter=Q(line_list__role=LineListEntry.Role.CASE), distinct=True),
        contacts=Count("line_list", filter=~Q(line_list__role=LineListEntry.Role.CASE),
                       distinct=True))


def outbreak(actor: Actor, pk: int, action: str = Action.VIEW) -> Outbreak:
    return get_visible_or_404(Outbreak.objects.select_related("home"), actor, action, pk=pk)


def open_outbreak_of_home(actor: Actor) -> Outbreak | None:
    if actor.org_kind != OrgKind.HOME:
        return None
    return (Outbreak.objects.visible_to(actor).filter(home_id=actor.org_id)
            .exclude(state=rules.State.CLOSED).first())


def timeline(actor: Actor, outbreak: Outbreak) -> QuerySet[OutbreakEvent]:
    return OutbreakEvent.objects.visible_to(actor).filter(outbreak=outbreak)


def line_list(actor: Actor, outbreak: Outbreak) -> list[LineListEntry]:
    """Entries with their placements (`.placements_all`) and current one (`.current`)."""
    entries = list(LineListEntry.objects.visible_to(actor).filter(outbreak=outbreak)
                   .select_related("person", "staff")
                   .prefetch_related(Prefetch("placements",
                                              queryset=Placement.objects.select_related("site"),
                                              to_attr="placements_all")))
    for e in entries:
        open_ = [p for p in e.placements_all if p.until is None]  # type: ignore[attr-defined]
        e.current = open_[-1] if open_ else None  # type: ignore[attr-defined]
    return entries


def reports_of(actor: Actor, outbreak: Outbreak) -> QuerySet[OutbreakReport]:
    """The whole chain of an incident the actor may see (`outbreak` comes from `outbreak()`):
    the home and every level see each clock of it (seed 001 item 14, "visible to both")."""
    outbreak = get_visible_or_404(Outbreak, actor, pk=outbreak.pk)
    return (OutbreakReport.objects.filter(outbreak=outbreak)
            .select_related("from_org", "to_org", "escalated_to").order_by("received_at", "pk"))


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    open_count: int
    cases: int


def region_table(actor: Actor) -> list[RegionRow]:
    """Open incidents per city (for a province) or per county (for a city or county) of the
    actor's region (two queries)."""
    by_city = len(actor.region_prefix) <= 2
    area = (Concat(Substr("region_code", 1, 4), Value("00")) if by_city
            else Substr("region_code", 1, 6))
    rows = (Outbreak.objects.visible_to(actor).exclude(state=rules.State.CLOSED)
            .annotate(county=area).values("county")
            .annotate(n=Count("pk", distinct=True),
                      cases=Count("line_list", filter=Q(line_list__role="case")))
            .order_by("county"))
    rows = list(rows)
    names = dict(Region.objects.filter(code__in=[r["county"] for r in rows])
                 .values_list("code", "name"))
    return [RegionRow(r["county"], names.get(r["county"], r["county"]), r["n"], r["cases"])
            for r in rows]


# ---- the reporting chain -----------------------------------------------------------------


def inbox(actor: Actor, *, pending_only: bool = False) -> QuerySet[OutbreakReport]:
    """Reports addressed to the actor's department, and those escalated to it."""
    if actor.org_kind != OrgKind.REGULATOR:
        return OutbreakReport.objects.none()
    qs = (OutbreakReport.objects.visible_to(actor)
          .filter(Q(to_org_id=actor.org_id) | Q(escalated_to_id=actor.org_id))
          .select_related("outbreak__home", "from_org", "to_org", "escalated_to"))
    if pending_only:
        qs = qs.filter(status=OutbreakReport.Status.RECEIVED)
    return qs.order_by("status", "due_at", "-pk")


def reports(actor: Actor) -> QuerySet[OutbreakReport]:
    """For regulators, their inbox and what they sent; for homes, what they sent."""
    qs = OutbreakReport.objects.visible_to(actor)
    if actor.org_kind == OrgKind.REGULATOR:
        qs = qs.filter(Q(to_org_id=actor.org_id) | Q(escalated_to_id=actor.org_id)
                       | Q(from_org_id=actor.org_id))
    return qs.select_related("outbreak__home", "from_org", "to_org", "escalated_to").order_by(
        "status", "due_at", "-pk")


def report(actor: Actor, pk: int) -> OutbreakReport:
    return get_visible_or_404(
        OutbreakReport.objects.select_related("outbreak__home", "from_org", "to_org",
                                              "escalated_to"), actor, pk=pk)


def clock(r: OutbreakReport, now: datetime | None = None) -> rules.ReportClock:
    return rules.report_clock(r.received_at, now or timezone.now(), r.forwarded_at)


# ---- isolation sites --------------------------------------------------------------------------


def sites(actor: Actor) -> QuerySet[IsolationSite]:
    """Regulators: the sites of their region; homes: the active sites serving them."""
    qs = IsolationSite.objects.select_related("org")
    if actor.org_kind == OrgKind.HOME:
        return qs.filter(is_active=True, region_code__in=level_codes(actor.region_code).values())
    return qs.visible_to(actor)


def site(actor: Actor, pk: int, action: str = Action.VIEW) -> IsolationSite:
    if action != Action.VIEW:
        return get_visible_or_404(IsolationSite.objects.select_related("org"), actor, action,
                                  pk=pk)
    found = sites(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def site_load(site_ids: list[int]) -> dict[int, int]:
    """People placed at each site now."""
    return dict(Placement.objects.filter(site_id__in=site_ids, until__isnull=True)
                .values("site_id").annotate(n=Count("pk")).values_list("site_id", "n"))


# ---- tier services for infected residents (REFERENCE §1.5) ----------------------------------


@dataclass(frozen=True)
class TierTask:
    entry: LineListEntry
    category: str
    interval: int | None
    due_on: date | None
    state: str


def tier_tasks(actor: Actor, outbreak: Outbreak, today: date | None = None) -> list[TierTask]:
    """For infected residents still in care, their tier's follow-up as a due task: red daily,
    yellow every 3 days by default (the home's `FollowUpPolicy` overrides). The clock starts on
    the day they tested positive; three queries."""
    today = today or timezone.localdate()
    iv = followup_queries.intervals(actor, outbreak.home_id)
    entries = (LineListEntry.objects.visible_to(actor)
               .filter(outbreak=outbreak, role=LineListEntry.Role.CASE, person__isnull=False,
                       outcome="")
               .select_related("person")
               .annotate(category=Subquery(KeyPopulationRecord.objects.filter(
                   person=OuterRef("person_id"), is_current=True).values("category")[:1]),
                   last_on=Subquery(FollowUpRecord.objects.filter(
                       person=OuterRef("person_id"), home_id=outbreak.home_id)
                       .order_by("-done_on", "-id").values("done_on")[:1])))
    out = []
    for e in entries:
        cat = e.category or Category.GREEN.value  # type: ignore[attr-defined]
        days = iv.get(Category(cat))
        since = timezone.localtime(e.identified_at).date()
        last = e.last_on if e.last_on and e.last_on >= since else None  # type: ignore[attr-defined]
        due = followup_rules.next_due(interval_days=days, since=since, last_on=last)
        if due is None:
            state = "none"
        elif due < today:
            state = "overdue"
        elif due == today:
            state = "due"
        else:
            state = "upcoming"
        out.append(TierTask(e, cat, days, due, state))
    order = {"overdue": 0, "due": 1, "upcoming": 2, "none": 3}
    return sorted(out, key=lambda t: (order[t.state], t.due_on or today))


# ---- choices for the home's forms -------------------------------------------------------------


def home_people(actor: Actor) -> list:  # type: ignore[type-arg]
    """Residents in an open stay of the actor's home (for the forms)."""
    if actor.org_kind != OrgKind.HOME:
        return []
    stays = (Stay.objects.visible_to(actor).filter(home_id=actor.org_id,
                                                   status__in=OPEN_STATUSES)
             .select_related("person").order_by("person__pinyin", "pk"))
    return [s.person for s in stays]


def home_staff(actor: Actor) -> list[Membership]:
    if actor.org_kind != OrgKind.HOME:
        return []
    return list(Membership.objects.visible_to(actor).filter(org_id=actor.org_id, is_active=True)
                .select_related("user").order_by("pk"))
