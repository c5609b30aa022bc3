"""Reads of the region table (public reference data, not organisation-scoped)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiyang.core.errors import NotFound
from yiyang.regions.models import Region


def regions(
    *,
    parent_code: str | None = None,
    level: int | None = None,
    q: str | None = None,
    current_only: bool = True,
) -> QuerySet[Region]:
    qs = Region.objects.all()
    if parent_code:
        qs = qs.filter(parent_code=parent_code)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__contains=q) if not q.isdigit() else qs.filter(code__startswith=q)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs


def region_by_id(pk: int) -> Region:
    try:
        return Region.objects.get(pk=pk)
    except Region.DoesNotExist as exc:
        raise NotFound("行政区划不存在") from exc
