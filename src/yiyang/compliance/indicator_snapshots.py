"""Computing every indicator for every organisation and region (issue 10 items 2, 3, 6).

`take_snapshot(on)` runs each connected indicator's `compute` once for all organisations of its
kind, adds the values up to counties, cities and the province (`indicators.rollup`) and writes
both in one transaction; the dashboards of regions read it. A Huey task refreshes it every
30 minutes (`tasks.py`); the demo and `yiyang gen` take one at the end. Earlier snapshots of the
same day are replaced, so the table keeps one per day for the trends.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from yiyang.orgs.models import Organisation
from yiyang.regions.models import Region

from . import indicators
from .indicators.base import ZERO, Indicator, Rollup, Value
from .indicators.rollup import roll_up
from .models import IndicatorSnapshot, OrgIndicatorValue, RegionIndicatorValue

__all__ = ["HOME_COUNT", "compute_all", "latest", "live_values", "take_snapshot"]

BATCH = 2000
# Not an indicator: the number of active homes of each region, written with every snapshot so a
# region page reads its children's counts from their own rows, whatever the region's size.
HOME_COUNT = "orgs.home_count"


def _orgs_of(kind: str) -> list[tuple[int, str]]:
    return list(Organisation.objects.filter(kind=kind, is_active=True)
                .values_list("id", "region_code"))


def _counties() -> list[str]:
    return list(Region.objects.filter(level=Region.Level.COUNTY, valid_to__isnull=True)
                .values_list("code", flat=True))


def live_values(indicator: Indicator, org_ids: Sequence[int], on: date) -> dict[int, Value]:
    """The indicator computed now for these organisations (an institution's own view)."""
    values = indicator.compute(list(org_ids), on)
    return {org_id: values.get(org_id, ZERO) for org_id in org_ids}


def compute_all(on: date, codes: Iterable[str] | None = None,
                orgs_by_kind: dict[str, list[tuple[int, str]]] | None = None
                ) -> dict[str, tuple[dict[int, tuple[str, Value]], dict[str, Value]]]:
    """code -> ({org id: (region code, value)}, {region prefix: value}) for every connected
    indicator (or those named). `orgs_by_kind` caches each kind's active organisations (id,
    region code) across calls; it is filled as kinds are read."""
    wanted = set(codes) if codes is not None else None
    orgs_by_kind = orgs_by_kind if orgs_by_kind is not None else {}
    counties: list[str] | None = None
    out: dict[str, tuple[dict[int, tuple[str, Value]], dict[str, Value]]] = {}
    for ind in indicators.all_indicators():
        if (wanted is not None and ind.code not in wanted) or not ind.connected():
            continue
        if ind.org_kind not in orgs_by_kind:
            orgs_by_kind[ind.org_kind] = _orgs_of(ind.org_kind)
        values = ind.compute(None, on)
        per_org = {org_id: (code, values.get(org_id, ZERO))
                   for org_id, code in orgs_by_kind[ind.org_kind]}
        if ind.rollup == Rollup.COUNTY_ANY and counties is None:
            counties = _counties()
        regions = roll_up(per_org.values(), mode=ind.rollup, counties=counties or ())
        out[ind.code] = (per_org, regions)
    return out


def take_snapshot(on: date | None = None, codes: Iterable[str] | None = None
                  ) -> IndicatorSnapshot:
    on = on or timezone.localdate()
    started = time.perf_counter()
    orgs_by_kind: dict[str, list[tuple[int, str]]] = {}
    results = compute_all(on, codes, orgs_by_kind)
    if "home" not in orgs_by_kind:
        orgs_by_kind["home"] = _orgs_of("home")
    with transaction.atomic(durable=True):
        snapshot = IndicatorSnapshot.objects.create(on=on, codes=sorted(results))
        org_rows = [OrgIndicatorValue(snapshot=snapshot, org_id=org_id, region_code=code,
                                      indicator=ind_code, numerator=v.numerator,
                                      denominator=v.denominator, parts=dict(v.parts))
                    for ind_code, (per_org, _) in results.items()
                    for org_id, (code, v) in per_org.items()]
        OrgIndicatorValue.objects.bulk_create(org_rows, batch_size=BATCH)
        region_rows = [RegionIndicatorValue(snapshot=snapshot, region_code=prefix,
                                            indicator=ind_code, numerator=v.numerator,
                                            denominator=v.denominator, parts=dict(v.parts))
                       for ind_code, (_, regions) in results.items()
                       for prefix, v in regions.items()]
        homes = roll_up((code, Value(1, 1)) for _, code in orgs_by_kind["home"])
        region_rows += [RegionIndicatorValue(snapshot=snapshot, region_code=prefix,
                                             indicator=HOME_COUNT, numerator=v.numerator,
                                             denominator=v.denominator)
                        for prefix, v in homes.items()]
        RegionIndicatorValue.objects.bulk_create(region_rows, batch_size=BATCH)
        IndicatorSnapshot.objects.filter(on=on).exclude(pk=snapshot.pk).delete()
        snapshot.seconds = round(time.perf_counter() - started, 3)
        snapshot.save(update_fields=["seconds"])
    return snapshot


def latest() -> IndicatorSnapshot | None:
    return IndicatorSnapshot.objects.order_by("-on", "-taken_at", "-id").first()
