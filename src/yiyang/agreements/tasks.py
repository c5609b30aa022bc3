"""Scheduled work for agreements: the nightly clock that catches stored states up with the
dates (active, expiring ahead of the end, expired). Runs in the Huey worker, never on page load."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiyang.agreements import services


@db_periodic_task(crontab(hour="0", minute="30"))
def nightly_agreement_clock() -> int:
    return services.catch_up(today=timezone.localdate())
