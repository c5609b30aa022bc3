"""What the indicator dashboards read (issue 10 item 3).

A region's pages read the latest snapshot only (`IndicatorSnapshot`, written every 30 minutes
by `indicator_snapshots.take_snapshot`): the region's own row and its children's rows of
`RegionIndicatorValue` in one query, the names in one, and a fourth query that depends on the
level (a county: its institutions' `OrgIndicatorValue` rows with their names; a city or the
province: how many institutions each child region has in the snapshot). So a province page
costs the same number of queries as a county page, and no indicator is computed on page load.
An institution's own page computes its indicators live (`indicator_snapshots.live_values`).

Every read goes through `visible_to(actor)`; a region or organisation outside the actor's
scope raises `NotFound` (404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import Length

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.models import Organisation
from yiyang.regions.models import Region

from . import indicator_snapshots, indicators
from .dashboard_rules import child_length
from .indicator_snapshots import HOME_COUNT
from .indicators.base import ZERO, Indicator, Records, Value
from .models import IndicatorSnapshot, OrgIndicatorValue, RegionIndicatorValue

__all__ = ["Child", "OwnRow", "RegionView", "TrendPoint", "check_region", "indicator",
           "latest_snapshot", "own_rows", "records", "region_view", "snapshot_for", "trend"]

LEVEL_NAMES = {2: "省", 4: "市", 6: "县（市、区）"}


@dataclass
class Child:
    key: str  # a region prefix, or the organisation id as text at county level
    name: str
    is_org: bool
    values: dict[str, Value] = field(default_factory=dict)
    org_count: int = 0


@dataclass
class RegionView:
    prefix: str
    name: str
    breadcrumb: list[tuple[str, str]]  # (prefix, name) from the actor's own region down
    values: dict[str, Value]  # indicator code -> the region's value
    children: list[Child]
    snapshot: IndicatorSnapshot | None

    @property
    def is_county(self) -> bool:
        return len(self.prefix) == 6

    @property
    def child_label(self) -> str:
        return "机构" if self.is_county else ("市" if len(self.prefix) == 2 else "县（市、区）")


@dataclass(frozen=True)
class TrendPoint:
    on: date
    value: Value


@dataclass(frozen=True)
class OwnRow:
    indicator: Indicator
    value: Value | None  # None: the source is not connected


def latest_snapshot() -> IndicatorSnapshot | None:
    return indicator_snapshots.latest()


def snapshot_for(end: date) -> IndicatorSnapshot | None:
    """The snapshot nearest a period's end: the last one taken on or before it."""
    return (IndicatorSnapshot.objects.filter(on__lte=end)
            .order_by("-on", "-taken_at", "-id").first())


def indicator(code: str) -> Indicator:
    ind = indicators.get(code)
    if ind is None:
        raise NotFound("没有这个指标")
    return ind


def check_region(actor: Actor, prefix: str) -> None:
    """A regulator's region or one inside it; anything else is 404."""
    if (actor.org_kind != OrgKind.REGULATOR or not prefix.isdigit()
            or len(prefix) not in (2, 4, 6) or not prefix.startswith(actor.region_prefix)):
        raise NotFound("不在本部门辖区内")


def _breadcrumb_prefixes(actor: Actor, prefix: str) -> list[str]:
    return [prefix[:n] for n in (2, 4, 6)
            if len(actor.region_prefix) <= n <= len(prefix)] or [prefix]


def _names(prefixes: Sequence[str]) -> dict[str, str]:
    """Region names by scope prefix, current codes first (one query)."""
    current: dict[str, str] = {}
    retired: dict[str, str] = {}
    rows = (Region.objects.filter(scope_prefix__in=list(prefixes), level__lte=3)
            .order_by("code").values_list("scope_prefix", "name", "valid_to"))
    for pfx, name, valid_to in rows:
        (current if valid_to is None else retired).setdefault(pfx, name)
    return {**retired, **current}


def region_view(actor: Actor, prefix: str, snapshot: IndicatorSnapshot | None,
                codes: Sequence[str] | None = None) -> RegionView:
    """The region's values and its children's from `snapshot` (three queries at any level)."""
    check_region(actor, prefix)
    crumbs = _breadcrumb_prefixes(actor, prefix)
    child_len = child_length(prefix)
    values: dict[str, Value] = {}
    children: dict[str, Child] = {}
    if snapshot is not None:
        rows = RegionIndicatorValue.objects.visible_to(actor).filter(snapshot=snapshot)
        if codes is not None:
            rows = rows.filter(indicator__in=[*codes, HOME_COUNT])
        if child_len is None:
            rows = rows.filter(region_code=prefix)
        else:
            rows = (rows.filter(region_code__startswith=prefix)
                    .annotate(n=Length("region_code")).filter(n__in=[len(prefix), child_len]))
        for code, ind, num, den, parts in rows.values_list(
                "region_code", "indicator", "numerator", "denominator", "parts"):
            value = Value(num, den, parts or {})
            if ind == HOME_COUNT:  # the homes of a child region, written with the snapshot
                if code != prefix:
                    children.setdefault(code, Child(code, code, False)).org_count = num
            elif code == prefix:
                values[ind] = value
            else:
                children.setdefault(code, Child(code, code, False)).values[ind] = value
    names = _names([*crumbs, *children])
    if snapshot is not None and child_len is None:
        orgs = (OrgIndicatorValue.objects.visible_to(actor)
                .filter(snapshot=snapshot, region_code__startswith=prefix))
        if codes is not None:
            orgs = orgs.filter(indicator__in=list(codes))
        for org_id, org_name, ind, num, den, parts in orgs.values_list(
                "org_id", "org__name", "indicator", "numerator", "denominator", "parts"
        ).order_by("org__name", "org_id"):
            child = children.setdefault(str(org_id), Child(str(org_id), org_name, True))
            child.values[ind] = Value(num, den, parts or {})
    for key, child in children.items():
        if not child.is_org:
            child.name = names.get(key, key)
    ordered = sorted(children.values(), key=lambda c: (c.name, c.key) if c.is_org else (c.key,))
    return RegionView(prefix=prefix, name=names.get(prefix, prefix),
                      breadcrumb=[(p, names.get(p, p)) for p in crumbs], values=values,
                      children=ordered, snapshot=snapshot)


def trend(actor: Actor, code: str, *, prefix: str | None = None, org_id: int | None = None,
          limit: int = 800) -> list[TrendPoint]:
    """One indicator's value of a region (or an organisation) at the last kept snapshot of
    each month (so the latest is always in), oldest first (one query; the newest `limit`
    daily snapshots, about two years)."""
    if prefix is not None:
        qs = RegionIndicatorValue.objects.visible_to(actor).filter(region_code=prefix)
    else:
        qs = OrgIndicatorValue.objects.visible_to(actor).filter(org_id=org_id)
    rows = (qs.filter(indicator=code)
            .order_by("-snapshot__on", "-snapshot_id")
            .values_list("snapshot__on", "numerator", "denominator", "parts")[:limit])
    monthly: dict[tuple[int, int], TrendPoint] = {}
    for on, num, den, parts in rows:  # newest first: the first seen of a month is its last
        monthly.setdefault((on.year, on.month), TrendPoint(on, Value(num, den, parts or {})))
    return sorted(monthly.values(), key=lambda p: p.on)


def own_rows(actor: Actor, on: date) -> list[OwnRow]:
    """An institution's own indicators, computed live (one `compute` per indicator)."""
    out = []
    for ind in indicators.all_indicators():
        if ind.org_kind != actor.org_kind:
            continue
        if not ind.connected():
            out.append(OwnRow(ind, None))
            continue
        value = indicator_snapshots.live_values(ind, [actor.org_id], on).get(actor.org_id, ZERO)
        out.append(OwnRow(ind, value))
    return out


def own_snapshot_values(actor: Actor, snapshot: IndicatorSnapshot | None
                        ) -> dict[str, Value]:
    """An institution's own values in a snapshot (its periodic report)."""
    if snapshot is None:
        return {}
    rows = (OrgIndicatorValue.objects.visible_to(actor)
            .filter(snapshot=snapshot, org_id=actor.org_id)
            .values_list("indicator", "numerator", "denominator", "parts"))
    return {ind: Value(n, d, p or {}) for ind, n, d, p in rows}


def record_org(actor: Actor, ind: Indicator, org_id: int) -> Organisation:
    """The organisation whose records the actor asks for: its own, or for a regulator one of
    its region; of the indicator's kind. Anything else is 404."""
    qs = Organisation.objects.visible_to(actor).filter(pk=org_id, kind=ind.org_kind)
    if actor.org_kind != OrgKind.REGULATOR:
        qs = qs.filter(pk=actor.org_id)
    org = qs.select_related("region").first()
    if org is None:
        raise NotFound("不在本机构或本部门辖区内")
    return org


def records(actor: Actor, ind: Indicator, org: Organisation, on: date) -> Records:
    """The indicator's own rows (read through `visible_to` by the indicator), as a list: the
    page, its count and its Excel export each go through them."""
    found = ind.records(actor, org.pk, on)
    return Records(found.columns, list(found.rows), found.note)


def counts_by_status(rows: list[OwnRow]) -> dict[str, int]:
    """How many of an institution's indicators meet their target (for the headline)."""
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.value is None:
            out["off"] += 1
        else:
            met = row.indicator.met(row.value)
            out["none" if met is None else ("met" if met else "unmet")] += 1
    return dict(out)


def monthly_trend(actor: Actor, *, prefix: str | None = None, org_id: int | None = None,
                  start: date, end: date) -> list[tuple[date, dict[str, Value]]]:
    """Every indicator of a region (or an organisation) at the last snapshot of each month
    between `start` and `end` (one query), oldest first: the report's trend table."""
    if prefix is not None:
        qs = RegionIndicatorValue.objects.visible_to(actor).filter(region_code=prefix)
    else:
        qs = OrgIndicatorValue.objects.visible_to(actor).filter(org_id=org_id)
    rows = (qs.filter(snapshot__on__gte=start, snapshot__on__lte=end)
            .order_by("snapshot__on", "snapshot_id")
            .values_list("snapshot__on", "snapshot_id", "indicator", "numerator",
                         "denominator"))
    last_of_month: dict[tuple[int, int], tuple[date, int]] = {}
    values: dict[int, dict[str, Value]] = defaultdict(dict)
    for on, snap_id, ind, num, den in rows:
        last_of_month[(on.year, on.month)] = max(last_of_month.get((on.year, on.month),
                                                                   (on, snap_id)), (on, snap_id))
        values[snap_id][ind] = Value(num, den)
    return [(on, values[snap_id]) for on, snap_id in sorted(last_of_month.values())]


def headline(actor: Actor) -> tuple[IndicatorSnapshot | None, dict[str, Value]]:
    """The latest snapshot and the values of the regulator's own region (two queries), for
    the regulator's home page."""
    snapshot = latest_snapshot()
    if snapshot is None or actor.org_kind != OrgKind.REGULATOR:
        return snapshot, {}
    rows = (RegionIndicatorValue.objects.visible_to(actor)
            .filter(snapshot=snapshot, region_code=actor.region_prefix)
            .values_list("indicator", "numerator", "denominator"))
    return snapshot, {ind: Value(n, d) for ind, n, d in rows}
