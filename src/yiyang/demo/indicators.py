"""Demo indicator snapshots (issue "Regulators' workspace" items 2, 3): the month-end snapshots
of the past year and today's, so the dashboards show trends from the first login. Returns the
number of snapshots it made (0 when snapshots exist already)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yiyang.compliance import indicator_snapshots
from yiyang.compliance.models import IndicatorSnapshot

MONTHS = 12


def month_ends(today: date, months: int = MONTHS) -> list[date]:
    """The last day of each of the `months` months before today's, oldest first."""
    ends: list[date] = []
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def build_demo_indicators() -> int:
    if IndicatorSnapshot.objects.exists():
        return 0
    today = timezone.localdate()
    days = [*month_ends(today), today]
    for on in days:
        indicator_snapshots.take_snapshot(on)
    return len(days)
