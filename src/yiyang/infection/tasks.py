"""Scheduled work for outbreak response: the 2-hour upward-report clock (seed 001 item 14).
Runs in the Huey worker every minute, never on page load."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiyang.infection import outbreak_reports


@db_periodic_task(crontab(minute="*"))
def report_clock() -> int:
    """Mark reports not forwarded within 2 hours overdue and flag them to the level above."""
    return outbreak_reports.escalate_overdue()
