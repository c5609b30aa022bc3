"""Reads of sampling rounds: the county marks, who is owed sampling in a home, today's proposal
and the completion per home per day. A fixed number of queries for any number of homes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiyang.core.errors import NotFound
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Membership, NursingHome
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import sampling_rules as sr
from .models import LocalCaseMark, SampleTaken, SamplingDay


def marks(actor: Actor, *, open_only: bool = False) -> QuerySet[LocalCaseMark]:
    qs = LocalCaseMark.objects.visible_to(actor).select_related("regulator")
    if open_only:
        qs = qs.filter(ended_on__isnull=True)
    return qs


def mark(actor: Actor, pk: int, action: str = Action.VIEW) -> LocalCaseMark:
    return get_visible_or_404(LocalCaseMark.objects.select_related("regulator"), actor, action,
                              pk=pk)


def active_marks(day: date) -> list[LocalCaseMark]:
    """Every county's local-case period covering `day` (public to the homes of the county)."""
    return list(LocalCaseMark.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day))


def mark_for(home: NursingHome, day: date, found: list[LocalCaseMark] | None = None
             ) -> LocalCaseMark | None:
    for m in found if found is not None else active_marks(day):
        if home.region_code.startswith(m.county_prefix):
            return m
    return None


@dataclass
class HomeSampling:
    """One home under a local-case period: its population, history, proposal and completion."""

    home: NursingHome
    mark: LocalCaseMark
    subjects: list[sr.Subject]
    since: dict[str, date | None]  # residents: admission date; staff: None (always there)
    sampled: dict[date, set[str]] = field(default_factory=dict)
    proposed: dict[date, set[str]] = field(default_factory=dict)
    days: list[sr.DayCompletion] = field(default_factory=list)
    proposal: list[sr.Subject] = field(default_factory=list)
    today: date | None = None

    @property
    def current(self) -> sr.DayCompletion | None:
        return self.days[-1] if self.days else None

    @property
    def short_days(self) -> list[sr.DayCompletion]:
        return [d for d in self.days[:-1] if not d.met]

    @property
    def full_round_done(self) -> bool:
        return any(d.phase == "full_round" and d.met for d in self.days)

    @property
    def sampled_today(self) -> set[str]:
        return self.sampled.get(self.today, set()) if self.today else set()

    def name_of(self, key: str) -> str:
        return next((s.name for s in self.subjects if s.key == key), key)


def _present(h: HomeSampling, day: date) -> set[str]:
    return {k for k, since in h.since.items() if since is None or since <= day}


def compute(homes: list[NursingHome], today: date) -> list[HomeSampling]:
    """Sampling state of each home whose county has a local case today (fixed query count)."""
    found = active_marks(today)
    pairs = [(h, m) for h in homes if (m := mark_for(h, today, found)) is not None]
    if not pairs:
        return []
    ids = [h.pk for h, _ in pairs]
    out: dict[int, HomeSampling] = {
        h.pk: HomeSampling(h, m, [], {}, today=today) for h, m in pairs}
    stays = (Stay.objects.filter(home_id__in=ids, status__in=OPEN_STATUSES)
             .select_related("person").order_by("person__name", "pk"))
    for stay in stays:
        key = f"r:{stay.person_id}"
        out[stay.home_id].subjects.append(sr.Subject(key, stay.person.name))
        out[stay.home_id].since[key] = stay.admitted_on
    staff = (Membership.objects.filter(org_id__in=ids, is_active=True).select_related("user")
             .order_by("user__full_name", "pk"))
    for m in staff:
        key = f"s:{m.pk}"
        out[m.org_id].subjects.append(sr.Subject(key, f"{m.user}（工作人员）"))
        out[m.org_id].since[key] = None
    earliest = min(m.started_on for _, m in pairs)
    for home_id, day, subject in (SampleTaken.objects.filter(home_id__in=ids, day__gte=earliest)
                                  .values_list("home_id", "day", "subject")):
        h = out[home_id]
        if day >= h.mark.started_on:
            h.sampled.setdefault(day, set()).add(subject)
    for home_id, day, proposed in (SamplingDay.objects.filter(home_id__in=ids, day__gte=earliest)
                                   .values_list("home_id", "day", "proposed")):
        out[home_id].proposed[day] = set(proposed)
    for h in out.values():
        _finish(h, today)
    return list(out.values())


def _finish(h: HomeSampling, today: date) -> None:
    days = sr.period_days(h.mark.started_on, h.mark.ended_on, today)
    everyone = {d: _present(h, d) for d in days}
    h.days = sr.completion(days=days, population={d: len(e) for d, e in everyone.items()},
                           sampled=h.sampled, proposed=h.proposed, everyone=everyone)
    h.proposal = proposal_for(h, today)


def proposal_for(h: HomeSampling, day: date) -> list[sr.Subject]:
    """The rotation proposal for `day`, from the samples of the days before it."""
    last: dict[str, date] = {}
    for d, keys in h.sampled.items():
        if d < day:
            for k in keys:
                if k not in last or last[k] < d:
                    last[k] = d
    before = [c for c in h.days if c.day < day]
    round_done = any(c.phase == "full_round" and c.met for c in before) or (
        bool(before) and before[-1].phase == "daily")
    present = _present(h, day)
    return sr.propose([s for s in h.subjects if s.key in present], last,
                      full_round_done=round_done)


def home_sampling(actor: Actor, home_id: int, today: date | None = None) -> HomeSampling | None:
    """The home's own staff and its regulators (names of residents and staff: not for partner
    institutions or community organisations, who see the home's card only)."""
    if actor.org_kind not in (OrgKind.HOME, OrgKind.REGULATOR):
        raise NotFound()
    home = get_visible_or_404(NursingHome, actor, pk=home_id)
    found = compute([home], today or timezone.localdate())
    return found[0] if found else None


def region_sampling(actor: Actor, today: date | None = None) -> list[HomeSampling]:
    """Regulators: every home of their region under a local case, with its completion (a home:
    itself; nobody else)."""
    if actor.org_kind not in (OrgKind.HOME, OrgKind.REGULATOR):
        return []
    homes = list(NursingHome.objects.visible_to(actor).filter(kind=OrgKind.HOME)
                 .order_by("region_code", "name"))
    return compute(homes, today or timezone.localdate())


def sampling_days(actor: Actor, *, home_id: int | None = None) -> QuerySet[SamplingDay]:
    qs = SamplingDay.objects.visible_to(actor).select_related("home", "mark")
    if home_id:
        qs = qs.filter(home_id=home_id)
    return qs


def sampling_day(actor: Actor, pk: int) -> SamplingDay:
    return get_visible_or_404(SamplingDay.objects.select_related("home", "mark"), actor, pk=pk)


def samples_of(day: SamplingDay) -> list[SampleTaken]:
    return list(day.samples.all())


def counts_by_day(day_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(sampled, from the proposal) per sampling day id, in one query."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for day_id, from_prop in SampleTaken.objects.filter(sampling_day_id__in=day_ids) \
            .values_list("sampling_day_id", "from_proposal"):
        out[day_id][0] += 1
        out[day_id][1] += int(from_prop)
    return {k: (v[0], v[1]) for k, v in out.items()}
