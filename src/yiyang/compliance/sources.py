"""Source hooks: obligations fulfilled by another app's records.

A source is a function `(home_ids, periods, today) -> {home_id: [Progress per period]}` that
reads its app's rows for all the homes at once (one or two queries, whatever the number of
homes), registered under the name an obligation's `source` gives (`obligations.CATALOGUE`).
Only apps below `compliance` in the layers can be read, so the hooks live here and are
registered in `ComplianceConfig.ready()`: the agreements' health checks and care's education
sessions and mental-health lectures. A name nobody registered makes `connected(name)` False and
the pages say "数据来源尚未接入" instead of counting zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from django.db.models import Count, Sum

from .rules import Period, Progress, years_before

Source = Callable[[Sequence[int], Sequence[Period], date], dict[int, list[Progress]]]

_SOURCES: dict[str, Source] = {}

__all__ = ["Source", "connected", "get", "register", "unregister"]


def register(name: str, fn: Source) -> None:
    _SOURCES[name] = fn


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def connected(name: str) -> bool:
    return name in _SOURCES


def get(name: str) -> Source | None:
    return _SOURCES.get(name)


def agreement_health_checks(home_ids: Sequence[int], periods: Sequence[Period],
                            today: date) -> dict[int, list[Progress]]:
    """Annual check-up of residents 65+ (seed 003 item 2): the people counted on the
    agreements' "老年人健康体检" service records of each year, against the residents aged 65 and
    over in an open stay today (capped at that number).  Two queries."""
    from yiyang.agreements.models import ServiceRecord
    from yiyang.residents.models import OPEN_STATUSES, Stay

    cutoff = years_before(today, 65)
    targets = dict(Stay.objects.filter(home_id__in=home_ids, status__in=OPEN_STATUSES,
                                       person__birth_date__lte=cutoff)
                   .values_list("home_id").annotate(n=Count("id")))
    done: dict[tuple[int, date], int] = defaultdict(int)
    if periods:
        rows = (ServiceRecord.objects
                .filter(home_id__in=home_ids, kind=ServiceRecord.Kind.HEALTH_CHECK,
                        delivered_on__gte=periods[0].start, delivered_on__lte=periods[-1].end)
                .values_list("home_id", "delivered_on__year").annotate(n=Sum("people")))
        for home_id, year, n in rows:
            done[(home_id, date(year, 1, 1))] += n or 0
    result: dict[int, list[Progress]] = {}
    for home_id in home_ids:
        required = targets.get(home_id, 0)
        result[home_id] = [Progress(min(done[(home_id, p.start)], required), required)
                           for p in periods]
    return result


def _sessions_per_period(home_ids: Sequence[int], periods: Sequence[Period],
                         kinds: Sequence[str] | None, required: int) -> dict[int, list[Progress]]:
    """Care's education sessions of each home counted per period (one query)."""
    from yiyang.care.models import EducationSession

    days: dict[int, list[date]] = defaultdict(list)
    if periods:
        rows = EducationSession.objects.filter(
            home_id__in=home_ids, held_on__gte=periods[0].start, held_on__lte=periods[-1].end)
        if kinds is not None:
            rows = rows.filter(kind__in=kinds)
        for home_id, held_on in rows.values_list("home_id", "held_on"):
            days[home_id].append(held_on)
    return {home_id: [Progress(sum(p.start <= d <= p.end for d in days[home_id]), required)
                      for p in periods] for home_id in home_ids}


def care_education_sessions(home_ids: Sequence[int], periods: Sequence[Period],
                            today: date) -> dict[int, list[Progress]]:
    """Seed 002 §六, health education or skills training at least monthly: every session care
    records counts (a mental-health lecture is health education too)."""
    return _sessions_per_period(home_ids, periods, None, 1)


def care_mental_health_lectures(home_ids: Sequence[int], periods: Sequence[Period],
                                today: date) -> dict[int, list[Progress]]:
    """Seed 002 §十二, at least two mental-health lectures a year: care's sessions of that kind."""
    from yiyang.care.models import EducationSession

    return _sessions_per_period(home_ids, periods, [EducationSession.Kind.MENTAL], 2)


def register_builtin() -> None:
    register("agreements.health_checks", agreement_health_checks)
    register("care.education_sessions", care_education_sessions)
    register("care.mental_health_lectures", care_mental_health_lectures)
