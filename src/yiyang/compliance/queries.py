"""Reads of obligations, hazards, inspections and filings, always from `visible_to(actor)`.

`standings` computes every (home, obligation) standing of a page of homes in a fixed number of
queries: one for the records, one for the open hazards, and each connected source hook's own
(two for the agreements' check-ups), whatever the number of homes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiyang.agreements.models import Agreement
from yiyang.agreements.queries import PUBLIC_STATES
from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Membership, NursingHome
from yiyang.regions.models import Region

from . import obligations, rules, sources
from .models import (
    ClinicFiling,
    Finding,
    Hazard,
    Inspection,
    InspectionDraw,
    Inspector,
    ObligationRecord,
)
from .obligations import Obligation
from .rules import FilingState, HazardState, Progress, RectificationState, Standing, Status

# ---- homes and obligations ------------------------------------------------------------------


def homes(actor: Actor) -> QuerySet[NursingHome]:
    """The homes whose compliance the actor may read: its own (a home), its region's (a
    regulator); nobody else's."""
    qs = NursingHome.objects.filter(is_active=True).select_related("region")
    if actor.org_kind == OrgKind.REGULATOR:
        return qs.filter(region_code__startswith=actor.region_prefix).order_by("region_code",
                                                                               "name", "id")
    if actor.org_kind == OrgKind.HOME:
        return qs.filter(pk=actor.org_id)
    return qs.none()


def home(actor: Actor, org_id: int) -> NursingHome:
    found = homes(actor).filter(pk=org_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Cell:
    obligation: Obligation
    standing: Standing | None  # None: not connected or not applicable
    connected: bool = True
    applicable: bool = True

    @property
    def status(self) -> Status | None:
        if not self.applicable:
            return None
        return self.standing.status if self.standing else Status.NOT_CONNECTED


def standings(actor: Actor, home_list: Sequence[NursingHome],
              today: date | None = None) -> dict[int, list[Cell]]:
    """Each home's cells, in catalogue order."""
    today = today or timezone.localdate()
    ids = [h.pk for h in home_list]
    start = rules.window(today)
    days: dict[tuple[int, str], list[date]] = defaultdict(list)
    first = min((rules.periods_in_window(o.interval, today)[0].start for o in obligations.CATALOGUE
                 if o.interval is not rules.Interval.LEDGER), default=start)
    for home_id, code, day in (ObligationRecord.objects.visible_to(actor)
                               .filter(home_id__in=ids, done_on__gte=first, done_on__lte=today)
                               .values_list("home_id", "obligation", "done_on")):
        days[(home_id, code)].append(day)
    open_deadlines: dict[int, list[date]] = defaultdict(list)
    for home_id, deadline in (Hazard.objects.visible_to(actor)
                              .filter(home_id__in=ids, state=HazardState.OPEN)
                              .values_list("home_id", "deadline")):
        open_deadlines[home_id].append(deadline)
    hooked: dict[str, dict[int, list[Progress]]] = {}
    for o in obligations.CATALOGUE:
        if o.source not in (obligations.RECORDS, obligations.HAZARDS):
            hook = sources.get(o.source)
            if hook is not None and ids:
                hooked[o.code] = hook(ids, rules.periods_in_window(o.interval, today), today)
    result: dict[int, list[Cell]] = {}
    for h in home_list:
        cells = []
        for o in obligations.CATALOGUE:
            if not o.applies_to(OrgKind.HOME, h.category):
                cells.append(Cell(o, None, applicable=False))
            elif o.source == obligations.HAZARDS:
                cells.append(Cell(o, rules.ledger_status(open_deadlines[h.pk], today)))
            elif o.source == obligations.RECORDS:
                periods = rules.periods_in_window(o.interval, today)
                dates = days[(h.pk, o.code)]
                progress = [Progress(rules.count_in(p, dates), o.per_period) for p in periods]
                cells.append(Cell(o, rules.standing(o.interval, progress, today)))
            elif o.code in hooked:
                cells.append(Cell(o, rules.standing(o.interval, hooked[o.code][h.pk], today)))
            else:
                cells.append(Cell(o, None, connected=False))
        result[h.pk] = cells
    return result


def records(actor: Actor, *, home_id: int | None = None,
            obligation: str = "") -> QuerySet[ObligationRecord]:
    qs = ObligationRecord.objects.visible_to(actor).select_related("home")
    if home_id:
        qs = qs.filter(home_id=home_id)
    if obligation:
        qs = qs.filter(obligation=obligation)
    return qs


def record(actor: Actor, pk: int) -> ObligationRecord:
    return get_visible_or_404(ObligationRecord.objects.select_related("home"), actor, pk=pk)


# ---- hazards --------------------------------------------------------------------------------

def hazards(actor: Actor, *, home_id: int | None = None, state: str = "",
            overdue_only: bool = False, today: date | None = None) -> QuerySet[Hazard]:
    qs = Hazard.objects.visible_to(actor).select_related("home")
    if home_id:
        qs = qs.filter(home_id=home_id)
    if state:
        qs = qs.filter(state=state)
    if overdue_only:
        qs = qs.filter(state=HazardState.OPEN, deadline__lt=today or timezone.localdate())
    return qs


def hazard(actor: Actor, pk: int, action: str = Action.VIEW) -> Hazard:
    return get_visible_or_404(Hazard.objects.select_related("home"), actor, action, pk=pk)


# ---- inspections ----------------------------------------------------------------------------

def own_staff(actor: Actor) -> QuerySet[Membership]:
    """The active memberships of the actor's own organisation (candidates for the inspector
    list)."""
    return Membership.objects.filter(org_id=actor.org_id, is_active=True).select_related("user")


def inspectors(actor: Actor) -> QuerySet[Inspector]:
    return Inspector.objects.visible_to(actor, Action.CHANGE).filter(is_active=True)


def draws(actor: Actor) -> QuerySet[InspectionDraw]:
    return InspectionDraw.objects.visible_to(actor).select_related("regulator")


def draw(actor: Actor, pk: int) -> InspectionDraw:
    return get_visible_or_404(InspectionDraw.objects.select_related("regulator"), actor, pk=pk)


def inspections(actor: Actor, *, year: int | None = None,
                open_only: bool = False) -> QuerySet[Inspection]:
    qs = (Inspection.objects.visible_to(actor).select_related("home", "regulator")
          .annotate(open_findings=Count("findings", filter=Q(
              findings__state__in=(RectificationState.ISSUED, RectificationState.RECTIFIED))),
              overdue_findings=Count("findings", filter=Q(
                  findings__state=RectificationState.ISSUED,
                  findings__deadline__lt=timezone.localdate()))))
    if year:
        qs = qs.filter(year=year)
    if open_only:
        qs = qs.filter(open_findings__gt=0)
    return qs


def inspection(actor: Actor, pk: int, action: str = Action.VIEW) -> Inspection:
    return get_visible_or_404(Inspection.objects.select_related("home", "regulator", "draw"),
                              actor, action, pk=pk)


def findings(actor: Actor, inspection_id: int) -> QuerySet[Finding]:
    return Finding.objects.visible_to(actor).filter(inspection_id=inspection_id)


def finding(actor: Actor, pk: int) -> Finding:
    return get_visible_or_404(Finding.objects.select_related("inspection", "home"), actor, pk=pk)


@dataclass(frozen=True)
class PublicRow:
    regulator: str
    year: int
    seed: int
    drawn_on: date
    population: int
    institutions: list[tuple[str, str, str]]  # (name, inspected on, outcome)


def public_draws(year: int) -> list[PublicRow]:
    """双随机、一公开: each regulator's draw of the year and the outcomes, institution names only
    (no inspector names, no personal data).  Two queries."""
    draw_rows = list(InspectionDraw.objects.filter(year=year).select_related("regulator")
                     .order_by("region_code", "regulator__name"))
    by_draw: dict[int, list[Inspection]] = defaultdict(list)
    for i in (Inspection.objects.filter(draw__in=draw_rows).select_related("home")
              .order_by("home__name", "id")):
        by_draw[i.draw_id].append(i)  # type: ignore[index]
    return [PublicRow(d.regulator.name, d.year, d.seed, d.created_at.date(),
                      len(d.institution_ids),
                      [(i.home.name, f"{i.inspected_on:%Y-%m-%d}" if i.inspected_on else "待检查",
                        i.outcome if i.state == Inspection.State.DONE else "")
                       for i in by_draw[d.pk]]) for d in draw_rows]


# ---- filings --------------------------------------------------------------------------------

def filings(actor: Actor, *, state: str = "") -> QuerySet[ClinicFiling]:
    qs = ClinicFiling.objects.visible_to(actor).select_related("home", "reviewer")
    if state:
        qs = qs.filter(state=state)
    return qs


def filing(actor: Actor, pk: int) -> ClinicFiling:
    return get_visible_or_404(ClinicFiling.objects.select_related("home", "reviewer"), actor,
                              pk=pk)


@dataclass
class IntegratedRow:
    home: NursingHome
    filing: ClinicFiling | None
    agreements: int


@dataclass
class CountyBlock:
    code: str
    name: str
    rows: list[IntegratedRow]


def integrated_by_county(actor: Actor, today: date | None = None) -> list[CountyBlock]:
    """医养结合 institutions per county: homes of the actor's scope with an accepted clinic
    filing or an agreement in force today.  Four queries."""
    today = today or timezone.localdate()
    home_list = list(homes(actor))
    ids = [h.pk for h in home_list]
    accepted: dict[int, ClinicFiling] = {}
    for f in (ClinicFiling.objects.visible_to(actor)
              .filter(home_id__in=ids, state=FilingState.ACCEPTED).order_by("filed_on")):
        accepted.setdefault(f.home_id, f)
    in_force = dict(Agreement.objects.filter(home_id__in=ids, state__in=PUBLIC_STATES,
                                             start_on__lte=today, end_on__gte=today)
                    .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
                    .values_list("home_id").annotate(n=Count("id")))
    blocks: dict[str, CountyBlock] = {}
    county_codes = {h.region_code[:6] for h in home_list}
    names = dict(Region.objects.filter(code__in=county_codes).values_list("code", "name"))
    for h in home_list:
        if h.pk not in accepted and not in_force.get(h.pk):
            continue
        code = h.region_code[:6]
        block = blocks.setdefault(code, CountyBlock(code, names.get(code, code), []))
        block.rows.append(IntegratedRow(h, accepted.get(h.pk), in_force.get(h.pk, 0)))
    return sorted(blocks.values(), key=lambda b: b.code)
