"""Reads of the tier follow-up schedule, always from `visible_to(actor)`.

The schedule is one query for the page's rows, one for its count and one for the per-tier
counts, whatever the number of residents: the current classification and the last follow-up
are correlated subqueries, and "overdue" is a filter on dates worked out from the home's
intervals (one per category, so at most three date comparisons).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from yiyang.core.scope import Actor
from yiyang.residents import followup_rules
from yiyang.residents.models import (
    OPEN_STATUSES,
    FollowUpPolicy,
    FollowUpRecord,
    KeyPopulationRecord,
    Person,
    Stay,
)
from yiyang.residents.rules import Category

Intervals = dict[Category, int | None]
_NOTHING = Q(pk__in=[])


def policies(actor: Actor, home_id: int) -> dict[str, FollowUpPolicy]:
    """The home's own settings by category (absent: the rule set's default applies)."""
    return {p.category: p for p in FollowUpPolicy.objects.visible_to(actor).filter(home_id=home_id)}


def intervals(actor: Actor, home_id: int,
              own: dict[str, FollowUpPolicy] | None = None) -> Intervals:
    own = policies(actor, home_id) if own is None else own
    return followup_rules.effective_intervals({c: p.interval_days for c, p in own.items()})


def _current_class(field: str) -> Subquery:
    return Subquery(KeyPopulationRecord.objects.filter(person=OuterRef("person_id"),
                                                       is_current=True).values(field)[:1])


def _last_follow_up(field: str) -> Subquery:
    return Subquery(FollowUpRecord.objects.filter(stay=OuterRef("pk"))
                    .order_by("-done_on", F("done_time").desc(nulls_last=True), "-id")
                    .values(field)[:1])


def _open_stays(actor: Actor, home_id: int) -> QuerySet[Stay]:
    """Open stays of the home whose person is in the register (has a current category), with
    `since` (later of classification and admission) and `base_on` (later of since and the
    last follow-up) — the dates `followup_rules.next_due` starts from."""
    return (
        Stay.objects.visible_to(actor)
        .filter(home_id=home_id, status__in=OPEN_STATUSES)
        .annotate(category=_current_class("category"),
                  classified_on=_current_class("classified_on"),
                  last_on=_last_follow_up("done_on"))
        .filter(category__isnull=False)
        .annotate(since=Greatest("classified_on", "admitted_on"))
        .annotate(base_on=Greatest(Coalesce("last_on", "since"), "since"))
    )


def _on_or_before(iv: Intervals, today: date, *, strict: bool) -> Q:
    """Rows whose due date (base_on + interval) is before today (strict) or not after it."""
    q = _NOTHING
    for category, days in iv.items():
        if days is None:
            continue
        limit = today - timedelta(days=days)
        dated = Q(base_on__lt=limit) if strict else Q(base_on__lte=limit)
        q |= Q(category=category.value) & dated
    return q


def overdue_filter(iv: Intervals, today: date) -> Q:
    return _on_or_before(iv, today, strict=True)


def to_do_filter(iv: Intervals, today: date) -> Q:
    """Due today or overdue."""
    return _on_or_before(iv, today, strict=False)


def schedule(actor: Actor, home_id: int, iv: Intervals, *, today: date,
             category: str = "", overdue_only: bool = False) -> QuerySet[Stay]:
    """Rows of the schedule: overdue first, then red before yellow before green, then those
    waiting longest; each row carries `category`, `since`, `last_on` and the last follow-up's
    `last_method` for `followup_rules.follow_up_state`."""
    overdue = overdue_filter(iv, today)
    qs = _open_stays(actor, home_id)
    if category:
        qs = qs.filter(category=category)
    if overdue_only:
        qs = qs.filter(overdue)
    return (
        qs.select_related("person", "bed__room__building")
        .annotate(
            last_method=_last_follow_up("method"),
            last_by=_last_follow_up("recorded_by"),
            late=Case(When(overdue, then=Value(1)), default=Value(0),
                      output_field=IntegerField()),
            severity=Case(*[When(category=c.value, then=Value(c.severity)) for c in Category],
                          default=Value(-1), output_field=IntegerField()),
        )
        .order_by("-late", "-severity", "base_on", "person__pinyin", "pk")
    )


@dataclass(frozen=True)
class TierCount:
    category: Category
    interval_days: int | None
    residents: int
    to_do: int
    overdue: int

    @property
    def interval_label(self) -> str:
        return followup_rules.interval_label(self.interval_days)


def tier_counts(actor: Actor, home_id: int, iv: Intervals, *, today: date) -> list[TierCount]:
    """Per category: residents in the register, to do today (due or overdue), overdue."""
    rows = (
        _open_stays(actor, home_id).order_by().values("category")
        .annotate(n=Count("pk"), to_do=Count("pk", filter=to_do_filter(iv, today)),
                  overdue=Count("pk", filter=overdue_filter(iv, today)))
    )
    found = {r["category"]: r for r in rows}
    out = []
    for c in sorted(Category, key=lambda c: -c.severity):
        r = found.get(c.value, {"n": 0, "to_do": 0, "overdue": 0})
        out.append(TierCount(c, iv[c], r["n"], r["to_do"], r["overdue"]))
    return out


def follow_ups_of(actor: Actor, person: Person, limit: int = 30) -> list[FollowUpRecord]:
    return list(FollowUpRecord.objects.visible_to(actor).filter(person=person)
                .select_related("home")
                .order_by("-done_on", F("done_time").desc(nulls_last=True), "-id")[:limit])


def current_stay_status(actor: Actor, stay: Stay, *,
                        today: date) -> followup_rules.FollowUpState | None:
    """The follow-up state of one open stay, or None when it is closed or not in the register."""
    row = _open_stays(actor, stay.home_id).filter(pk=stay.pk).first()
    if row is None:
        return None
    iv = intervals(actor, stay.home_id)
    return followup_rules.follow_up_state(interval_days=iv[Category(row.category)],
                                          since=row.since, last_on=row.last_on, today=today)
