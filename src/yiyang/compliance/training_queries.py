"""Reads of training courses and the TCM techniques register, always from `visible_to(actor)`:
an institution reads its own, a regulator its region's, nobody else anything. Lists run a fixed
number of queries whatever the number of rows (attendee counts are annotated, performers and
organisations fetched in one go)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Actor, get_visible_or_404
from yiyang.orgs.models import Membership

from .models import TcmTechnique, TrainingAttendance, TrainingCourse

__all__ = ["can_record", "course", "courses", "staff_choices", "technique", "techniques"]


def can_record(actor: Actor) -> bool:
    return actor.org_kind in (OrgKind.HOME, OrgKind.MEDICAL) and actor.can(Perm.RECORD_TRAINING)


def courses(actor: Actor, *, org_id: int | None = None, kind: str = "",
            year: int | None = None) -> QuerySet[TrainingCourse]:
    qs = (TrainingCourse.objects.visible_to(actor).select_related("org")
          .annotate(attendee_count=Count("attendance")))
    if org_id:
        qs = qs.filter(org_id=org_id)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-id")


def course(actor: Actor, pk: int) -> TrainingCourse:
    found: TrainingCourse = get_visible_or_404(
        TrainingCourse.objects.select_related("org").prefetch_related(
            Prefetch("attendance", queryset=TrainingAttendance.objects
                     .select_related("membership__user").order_by("membership__user__full_name",
                                                                   "membership_id"))),
        actor, pk=pk)
    return found


def techniques(actor: Actor, *, org_id: int | None = None, current_on: date | None = None
               ) -> QuerySet[TcmTechnique]:
    """The register; `current_on`: only the techniques offered on that day."""
    qs = (TcmTechnique.objects.visible_to(actor).select_related("org")
          .prefetch_related(Prefetch("performers", queryset=Membership.objects
                                     .select_related("user"))))
    if org_id:
        qs = qs.filter(org_id=org_id)
    if current_on is not None:
        qs = qs.filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=current_on),
                       started_on__lte=current_on)
    return qs.order_by("org__region_code", "org_id", "category", "technique", "-started_on",
                       "id")


def technique(actor: Actor, pk: int) -> TcmTechnique:
    found: TcmTechnique = get_visible_or_404(
        TcmTechnique.objects.select_related("org").prefetch_related(
            Prefetch("performers", queryset=Membership.objects.select_related("user"))),
        actor, pk=pk)
    return found


def staff_choices(actor: Actor) -> list[tuple[int, str]]:
    """The actor's own institution's active staff, for the attendee and performer pickers."""
    rows = (Membership.objects.filter(org_id=actor.org_id, is_active=True)
            .select_related("user").order_by("role", "user__full_name", "id"))
    return [(m.pk, f"{m.user.full_name or m.user.username}（{m.title or m.get_role_display()}）")
            for m in rows]
