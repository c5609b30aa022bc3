"""Scheduled work of service plans: the care tasks of today and tomorrow for every home with an
approved plan (idempotent, so a rerun or the nurse's button never makes a task twice).  Runs in
the Huey worker, never on page load."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import system_actor
from yiyang.orgs.models import NursingHome

from . import plan_services
from .models import CarePlan


def generate_for_all_homes(day: date) -> int:
    """Tasks of care days `day` and `day + 1` for every home with an approved plan."""
    made = 0
    home_ids = CarePlan.objects.filter(revision__gt=0).values_list("home_id", flat=True)
    for home in NursingHome.objects.filter(pk__in=home_ids).order_by("pk"):
        actor = system_actor(home.pk, OrgKind.HOME, home.region_code)
        for d in (day, day + timedelta(days=1)):
            made += plan_services.generate_tasks(actor=actor, home_id=home.pk, day=d)
    return made


@db_periodic_task(crontab(minute="5", hour="*/6"))
def generate_care_tasks() -> int:
    return generate_for_all_homes(timezone.localdate())
