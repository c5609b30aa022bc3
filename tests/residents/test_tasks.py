"""The nightly task re-classifies residents whose birthday moves them into another band."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yiyang.orgs.models import Bed
from yiyang.residents import services
from yiyang.residents.models import OPEN_STATUSES, KeyPopulationRecord
from yiyang.residents.tasks import birthdays_on, reclassify_birthdays


def _sixty_fifth_birthday_tomorrow() -> tuple[date, date]:
    tomorrow = timezone.localdate() + timedelta(days=1)
    try:
        return tomorrow, tomorrow.replace(year=tomorrow.year - 65)
    except ValueError:  # tomorrow is 29 Feb: pick the day after
        day = tomorrow + timedelta(days=1)
        return day, day.replace(year=day.year - 65)


def test_a_65th_birthday_moves_the_band_and_is_recorded_by_the_system(cast) -> None:
    actor = cast.actor("admin_a")
    day, born = _sixty_fifth_birthday_tomorrow()
    bed = Bed.objects.filter(home_id=actor.org_id).exclude(
        stays__status__in=OPEN_STATUSES).first()
    stay = services.admit_resident(actor=actor, home_id=actor.org_id, bed_id=bed.pk,
                                   name="生日测试", document_type="other", sex="F",
                                   birth_date=born)
    first = KeyPopulationRecord.objects.get(person=stay.person, is_current=True)
    assert first.band == "60-64"
    assert stay.person in birthdays_on(day)
    assert reclassify_birthdays(day) >= 1
    now = KeyPopulationRecord.objects.get(person=stay.person, is_current=True)
    assert (now.band, now.classified_by, now.classified_on) == ("65-79", "system", day)
    assert reclassify_birthdays(day) == 0  # nothing changes twice


def test_leap_day_birthdays_count_on_the_first_of_march(cast) -> None:
    actor = cast.actor("admin_a")
    bed = Bed.objects.filter(home_id=actor.org_id).exclude(
        stays__status__in=OPEN_STATUSES).first()
    stay = services.admit_resident(actor=actor, home_id=actor.org_id, bed_id=bed.pk,
                                   name="闰日", document_type="other", sex="M",
                                   birth_date=date(1948, 2, 29))
    assert stay.person in birthdays_on(date(2027, 3, 1))
    assert stay.person not in birthdays_on(date(2028, 3, 1))
    assert stay.person in birthdays_on(date(2028, 2, 29))
