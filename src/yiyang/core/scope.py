"""Row scope: the one place that knows who may see which rows (DESIGN "Data scope").

Every scoped model declares `scope = Scope(owner=..., data=...)`: the path to the organisation
that owns a row and what kind of data it is. `visible_to(actor, action)` turns that into one
filter; `get_visible_or_404` and `ensure_visible` are built on it, so list, detail and the
after-write conformity check can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind, Perm


class DataClass(StrEnum):
    ADMIN = "admin"  # an organisation's own business: its staff and its regulators
    CLINICAL = "clinical"  # also the medical institutions under an active agreement (read)
    DIRECTORY = "directory"  # organisations themselves: partners see each other's card


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    REGULATE = "regulate"  # what regulators act on: reports, inspections


@dataclass(frozen=True)
class Scope:
    owner: str  # path to the owning organisation ("" when the row is the organisation)
    data: DataClass = DataClass.ADMIN
    region_field: str = "region_code"
    regulator_acts: bool = False  # regulators may `REGULATE` (not `CHANGE`) these rows

    def owner_lookup(self) -> str:
        if not self.owner:
            return "pk"
        return self.owner if self.owner.endswith("_id") else f"{self.owner}__id"


@dataclass(frozen=True)
class Actor:
    """Who is acting, built once per request from the active membership."""

    user_id: int | None  # None for the system (scheduled tasks)
    username: str
    membership_id: int | None
    org_id: int
    org_kind: str
    org_name: str
    role: str
    region_code: str
    region_prefix: str  # regulators: every code in their region starts with it
    permissions: frozenset[Perm] = frozenset()
    partner_home_ids: frozenset[int] = frozenset()
    ip: str | None = None
    display_name: str = ""

    def can(self, perm: Perm) -> bool:
        return perm in self.permissions


def system_actor(org_id: int, org_kind: str, region_code: str) -> Actor:
    """The platform acting on an organisation's rows in a scheduled task (audited as such)."""
    return Actor(user_id=None, username="system", membership_id=None, org_id=org_id,
                 org_kind=org_kind, org_name="系统任务", role="system", region_code=region_code,
                 region_prefix=region_code, display_name="系统任务")


_NOTHING = Q(pk__in=[])


def scope_filter(model: type[models.Model], actor: Actor | None, action: str) -> Q:
    spec: Scope | None = getattr(model, "scope", None)
    if spec is None:
        raise TypeError(f"{model.__name__} declares no scope")
    if actor is None:
        return _NOTHING
    own = Q(**{spec.owner_lookup(): actor.org_id})
    if actor.org_kind == OrgKind.REGULATOR:
        if action == Action.VIEW or (action == Action.REGULATE and spec.regulator_acts):
            return Q(**{f"{spec.region_field}__startswith": actor.region_prefix})
        # Outside their own organisation (its staff, its card) regulators only read.
        return own if action == Action.CHANGE else _NOTHING
    if action != Action.VIEW:
        return own
    if (
        actor.org_kind == OrgKind.MEDICAL
        and actor.partner_home_ids
        and spec.data in (DataClass.CLINICAL, DataClass.DIRECTORY)
    ):
        return own | Q(**{f"{spec.owner_lookup()}__in": sorted(actor.partner_home_ids)})
    if actor.org_kind == OrgKind.COMMUNITY and spec.data == DataClass.DIRECTORY:
        # A township or village sees the organisations' cards in its own area.
        return own | Q(**{f"{spec.region_field}__startswith": actor.region_prefix})
    return own


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None, action: str = Action.VIEW) -> ScopedQuerySet:
        return self.filter(scope_filter(self.model, actor, action))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)

M = TypeVar("M", bound=models.Model)


def get_visible_or_404(
    source: type[M] | models.QuerySet,
    actor: Actor | None,
    action: str = Action.VIEW,
    **lookup: Any,
) -> M:
    """The object if the actor may `action` it; otherwise `NotFound`, exactly like a miss."""
    qs = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    try:
        return qs.visible_to(actor, action).get(**lookup)  # type: ignore[attr-defined]
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def ensure_visible(obj: models.Model, actor: Actor, action: str = Action.CHANGE) -> None:
    """After-write conformity: the row must still be in the actor's scope, else roll back."""
    manager = type(obj)._default_manager
    if not manager.visible_to(actor, action).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise NotFound("写入的对象超出了您的管辖范围")
