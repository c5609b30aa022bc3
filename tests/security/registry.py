"""Shared parts of the cross-organisation suite: the world of home A's objects and routes.

Each app that adds routes registers them in a plugin module `tests/security/cross_org_<app>.py`
(picked up by `test_cross_org.py`), so apps built side by side never edit one shared table:

- `build(cast, w: World) -> None` creates the app's objects of home A (or of township T, county
  X ...) and stores them in `w.extra` under names the routes use;
- `ROUTES: dict[str, Route]`, with `obj(...)` / `api_route(...)` as below;
- optional: `state(w) -> tuple` (everything a forbidden write could touch), `PARTNER_READS`,
  `PARTNER_WRITES` (frozensets of route names doctor_b may read / write), `NOT_OWN` (API lists
  where home C has no rows of its own: route name -> the home A object id that must be absent),
  `ABSENT` (API lists: route name -> ids of home A objects that must be absent), `LIST_VIEWER`
  (route name -> the username that checks a list, default nurse_c).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yiyang.agreements.models import Agreement, FamilyBed, PatrolVisit, Referral
from yiyang.assessments.models import Assessment
from yiyang.medication.models import MedicationOrder
from yiyang.orgs.models import Bed, Building, Membership, NursingHome, Room
from yiyang.residents.models import Stay


@dataclass
class World:
    home_a: NursingHome
    home_c: NursingHome
    building: Building
    room: Room
    bed: Bed
    nurse_a: Membership
    stay: Stay
    free_bed: Bed
    final: Assessment
    draft: Assessment
    agreement: Agreement  # home A with 开封市康复医院 (not doctor_b's institution)
    referral: Referral  # an up-referral of the stay's resident under that agreement
    patrol_visit: PatrolVisit  # a visit of med_r under that agreement, seeing the stay's resident
    family_bed: FamilyBed  # an open family bed of another resident under that agreement
    medication_order: MedicationOrder  # an active order of the stay's resident by hdoc_a
    # Objects the per-app plugins (cross_org_<app>.py) build, by name.
    extra: dict[str, Any] = field(default_factory=dict)
    built: list[Any] = field(default_factory=list)  # the plugin modules built into this world


@dataclass(frozen=True)
class Route:
    """How a route is scoped. `kind`: public | own (acts on the caller's own organisation) |
    list (returns rows, foreign ones must be absent) | object (addresses one of home A's
    objects) | admin (platform operators only)."""

    kind: str
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    body: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    writes: bool = False


def _obj(method: str = "get", body=None, writes: bool = False, **kw):  # type: ignore[no-untyped-def]
    return Route("object", method, kwargs=lambda w: {k: f(w) for k, f in kw.items()}, body=body,
                 writes=writes)


def _api(kind: str, method: str = "get", body=None, **kw):  # type: ignore[no-untyped-def]
    return Route(kind, method, kwargs=lambda w: {k: f(w) for k, f in kw.items()}, body=body,
                 api=True, writes=method != "get")




def obj(method: str = "get", body=None, writes: bool = False, **kw):  # type: ignore[no-untyped-def]
    """An object route: kw maps URL kwargs to functions of the world."""
    return Route("object", method, kwargs=lambda w: {k: f(w) for k, f in kw.items()}, body=body,
                 writes=writes)


def api_route(kind: str, method: str = "get", body=None, **kw):  # type: ignore[no-untyped-def]
    return Route(kind, method, kwargs=lambda w: {k: f(w) for k, f in kw.items()}, body=body,
                 api=True, writes=method != "get")
