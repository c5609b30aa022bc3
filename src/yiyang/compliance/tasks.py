"""Scheduled refresh of the indicator snapshot the regions' dashboards read (every 30 min)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .indicator_snapshots import take_snapshot


@db_periodic_task(crontab(minute="*/30"))
def refresh_indicators() -> int:
    return take_snapshot().pk
