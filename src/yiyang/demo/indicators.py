"""Demo indicator snapshots (issue "Regulators' workspace" items 2, 3): the month-end snapshots
of the past year and today's, so the dashboards show trends from the first login. Filled in by
the dashboards work; returns the number of snapshots it made."""

from __future__ import annotations


def build_demo_indicators() -> int:
    return 0
