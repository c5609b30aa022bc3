"""Reads of organisations, facilities and staff, always from `visible_to(actor)`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import (
    Bed,
    Building,
    Membership,
    NursingHome,
    Organisation,
    Room,
    User,
)


def active_membership(user: User, membership_id: int | None) -> Membership | None:
    """The session's chosen membership if still valid, else the user's first active one."""
    qs = (
        Membership.objects.select_related("org__region", "user")
        .filter(user=user, is_active=True, org__is_active=True)
        .order_by("id")
    )
    chosen = qs.filter(pk=membership_id).first() if membership_id else None
    return chosen or qs.first()


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("org")
        .filter(user=user, is_active=True, org__is_active=True)
        .order_by("id")
    )


def organisations(actor: Actor, *, kind: str | None = None, q: str | None = None):
    qs = Organisation.objects.visible_to(actor).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code__startswith=q.upper()))
    return qs


def organisation(actor: Actor, pk: int, action: str = Action.VIEW) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.select_related("region", "parent"), actor, action, pk=pk
    )


def homes(actor: Actor):
    return NursingHome.objects.visible_to(actor).select_related("region")


def buildings(actor: Actor, *, home_id: int | None = None):
    qs = (
        Building.objects.visible_to(actor)
        .select_related("home")
        .annotate(
            room_count=Count("rooms", distinct=True),
            bed_count=Count("rooms__beds", distinct=True),
        )
    )
    return qs.filter(home_id=home_id) if home_id else qs


def rooms(actor: Actor, *, building_id: int | None = None, home_id: int | None = None):
    qs = Room.objects.visible_to(actor).select_related("building").annotate(bed_count=Count("beds"))
    if building_id:
        qs = qs.filter(building_id=building_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    return qs


def beds(actor: Actor, *, room_id: int | None = None, home_id: int | None = None):
    qs = Bed.objects.visible_to(actor).select_related("room__building")
    if room_id:
        qs = qs.filter(room_id=room_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    return qs


def staff(actor: Actor, *, org_id: int | None = None):
    qs = Membership.objects.visible_to(actor).select_related("user", "org")
    return qs.filter(org_id=org_id) if org_id else qs


def facility_counts(actor: Actor, home_id: int) -> dict[str, int]:
    return {
        "buildings": Building.objects.visible_to(actor).filter(home_id=home_id).count(),
        "rooms": Room.objects.visible_to(actor).filter(home_id=home_id).count(),
        "beds": Bed.objects.visible_to(actor).filter(home_id=home_id, is_active=True).count(),
    }
