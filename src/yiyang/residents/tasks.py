"""Scheduled work for residents: birthdays that change the age band re-classify (seed 000 §三
"动态管理"). Runs in the Huey worker, never on page load."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import system_actor
from yiyang.residents import services
from yiyang.residents.models import OPEN_STATUSES, Person


def birthdays_on(day: date):  # type: ignore[no-untyped-def]
    """Persons in an open stay whose birthday falls on `day` (29 Feb counts on 1 Mar)."""
    qs = Person.objects.filter(stays__status__in=OPEN_STATUSES).select_related("org", "profile")
    today = Q(birth_date__month=day.month, birth_date__day=day.day)
    if (day.month, day.day) == (3, 1) and not calendar.isleap(day.year):
        today |= Q(birth_date__month=2, birth_date__day=29)  # rules.age_on: 29 Feb → 1 Mar
    return qs.filter(today)


def reclassify_birthdays(day: date) -> int:
    """Re-classify everyone whose birthday is `day`; returns how many results changed."""
    changed = 0
    for person in birthdays_on(day).distinct():
        actor = system_actor(person.org_id, OrgKind.HOME, person.region_code)
        with transaction.atomic():
            before = person.classifications.filter(is_current=True).first()
            after = services.classify(actor=actor, person=person, on=day)
            changed += (before.pk if before else None) != (after.pk if after else None)
    return changed


@db_periodic_task(crontab(hour="0", minute="20"))
def nightly_reclassification() -> int:
    return reclassify_birthdays(timezone.localdate())
