"""Reads of medication orders, always starting from `visible_to(actor)`: the home's staff, its
regulators and partner doctors (clinical data) see them; a fixed number of queries per page."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.residents.models import OPEN_STATUSES, Stay

from .models import MedicationOrder

_RELATED = ("person", "home", "prescriber_org")


def _in_force(today: date) -> Q:
    """Not stopped and not past its planned end (orders that start later count as in force)."""
    return Q(status=MedicationOrder.Status.ACTIVE) & (Q(stop_on__isnull=True) |
                                                      Q(stop_on__gte=today))


def orders(actor: Actor, *, person_id: int | None = None, home_id: int | None = None,
           active_only: bool = False, stopped_only: bool = False, q: str = "",
           today: date | None = None) -> QuerySet[MedicationOrder]:
    """The orders the actor may see; `active_only` keeps those in force (or about to start),
    `stopped_only` those stopped or past their planned end."""
    qs = MedicationOrder.objects.visible_to(actor).select_related(*_RELATED)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    in_force = _in_force(today or timezone.localdate())
    if active_only:
        qs = qs.filter(in_force)
    elif stopped_only:
        qs = qs.exclude(in_force)
    text = q.strip().lower()
    if text:
        qs = qs.filter(Q(person__name__contains=text) | Q(person__pinyin__contains=text) |
                       Q(person__initials__contains=text) | Q(drug__contains=text))
    return qs


def order(actor: Actor, pk: int, action: str = Action.VIEW) -> MedicationOrder:
    qs = MedicationOrder.objects.select_related(*_RELATED)
    return get_visible_or_404(qs, actor, action, pk=pk)


def open_stay(actor: Actor, person_id: int) -> Stay | None:
    """The resident's open stay the actor may see (its home is where orders are written)."""
    return (Stay.objects.visible_to(actor).select_related("home")
            .filter(person_id=person_id, status__in=OPEN_STATUSES).first())
