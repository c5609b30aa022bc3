"""Reads of readiness, always from `visible_to(actor)`; lists in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Membership

from . import readiness_rules as rr
from .models import (
    ClosedManagement,
    ShiftAssignment,
    StaffDose,
    StaffPost,
    SupplyMovement,
    SupplyStock,
    SupportTeam,
)

# ---------------------------------------------------------------- staff (item 10)


@dataclass
class StaffRow:
    membership: Membership
    post: StaffPost | None
    doses: list[StaffDose]
    status: rr.VaccinationStatus

    @property
    def id(self) -> int:
        return self.membership.pk

    @property
    def direct_contact(self) -> bool:
        # A staff member whose post is not recorded counts as direct contact (the safe side).
        return self.post.direct_contact if self.post else True

    @property
    def flagged(self) -> bool:
        return rr.flagged_off_direct_contact(self.status, direct_contact=self.direct_contact)


def staff_memberships(actor: Actor, *, home_id: int | None = None) -> QuerySet[Membership]:
    qs = (Membership.objects.visible_to(actor).filter(org__kind=OrgKind.HOME, is_active=True)
          .select_related("user", "org").order_by("org_id", "user__full_name", "pk"))
    if home_id:
        qs = qs.filter(org_id=home_id)
    return qs


def staff_rows(memberships: list[Membership], today: date | None = None) -> list[StaffRow]:
    """Status of each staff member (three queries whatever the count)."""
    today = today or timezone.localdate()
    ids = [m.pk for m in memberships]
    posts = {p.membership_id: p for p in StaffPost.objects.filter(membership_id__in=ids)}
    doses: dict[int, list[StaffDose]] = defaultdict(list)
    for d in StaffDose.objects.filter(membership_id__in=ids).order_by("given_on", "pk"):
        doses[d.membership_id].append(d)
    return [StaffRow(m, posts.get(m.pk), doses[m.pk],
                     rr.vaccination_status([d.as_rule() for d in doses[m.pk]], today))
            for m in memberships]


def staff_member(actor: Actor, membership_id: int) -> StaffRow:
    qs = Membership.objects.filter(org__kind=OrgKind.HOME).select_related("user", "org")
    membership = get_visible_or_404(qs, actor, pk=membership_id)
    return staff_rows([membership])[0]


# ---------------------------------------------------------------- supplies (item 7)


def stock_lines(actor: Actor, *, home_id: int | None = None,
                below_only: bool = False) -> QuerySet[SupplyStock]:
    qs = SupplyStock.objects.visible_to(actor).select_related("home").order_by(
        "home__region_code", "home__name", "kind")
    if home_id:
        qs = qs.filter(home_id=home_id)
    if below_only:
        qs = [s for s in qs if s.shortfall]  # type: ignore[assignment]
    return qs


def stock_line(actor: Actor, pk: int, action: str = Action.VIEW) -> SupplyStock:
    return get_visible_or_404(SupplyStock.objects.select_related("home"), actor, action, pk=pk)


def movements(stock: SupplyStock, limit: int = 20) -> list[SupplyMovement]:
    return list(stock.movements.all()[:limit])


def demand(actor: Actor) -> list[rr.DemandLine]:
    """The demand list of the actor's region: the homes' shortfalls summed per kind."""
    rows = (SupplyStock.objects.visible_to(actor)
            .values_list("home__name", "kind", "on_hand", "minimum"))
    return rr.demand_list(rows)


# ---------------------------------------------------------------- support teams (item 8)


def teams(actor: Actor) -> QuerySet[SupportTeam]:
    return (SupportTeam.objects.visible_to(actor).select_related("regulator")
            .annotate(last_trained=Max("trainings__trained_on")).order_by("region_code", "name"))


def team(actor: Actor, pk: int, action: str = Action.VIEW) -> SupportTeam:
    qs = (SupportTeam.objects.select_related("regulator")
          .annotate(last_trained=Max("trainings__trained_on"))
          .prefetch_related("members", "trainings"))
    return get_visible_or_404(qs, actor, action, pk=pk)


def is_ready(t: SupportTeam, today: date | None = None) -> bool:
    return rr.team_ready(getattr(t, "last_trained", None), today or timezone.localdate())


# ---------------------------------------------------------------- closed management (19–20)

_SHIFTS = Prefetch("shifts", queryset=ShiftAssignment.objects.select_related("membership__user")
                   .order_by("start_on", "team", "pk"))


def closures(actor: Actor, *, home_id: int | None = None,
             open_only: bool = False) -> QuerySet[ClosedManagement]:
    qs = ClosedManagement.objects.visible_to(actor).select_related("home")
    if home_id:
        qs = qs.filter(home_id=home_id)
    if open_only:
        qs = qs.filter(ended_on__isnull=True)
    return qs


def closure(actor: Actor, pk: int, action: str = Action.VIEW) -> ClosedManagement:
    qs = ClosedManagement.objects.select_related("home").prefetch_related(_SHIFTS)
    return get_visible_or_404(qs, actor, action, pk=pk)


def rotation(c: ClosedManagement, today: date | None = None, *,
             unvaccinated: set[int] | frozenset[int] = frozenset()) -> dict:
    """The plan's shifts, flags (past the allowed period, short rest; on duty while flagged off
    direct-contact posts for vaccination, item 10) and who is on duty."""
    today = today or timezone.localdate()
    shifts = list(c.shifts.all())
    flags = rr.rotation_flags(s.as_rule() for s in shifts)
    flagged = {(f.staff, f.start) for f in flags}
    for s in shifts:
        s.flags = [f.message for f in flags if (f.staff, f.start) == (str(s.membership_id),
                                                                       s.start_on)]
        s.days = rr.shift_days(s.as_rule())
        s.on_duty = s.start_on <= today <= s.end_on
        s.unvaccinated = s.membership_id in unvaccinated
    return {"shifts": shifts, "flags": flags, "flagged": len(flagged),
            "on_duty": sum(1 for s in shifts if s.on_duty),
            "missing": [rr.MEASURE_LABELS[m] for m in rr.measures_missing(c.measures)]}
