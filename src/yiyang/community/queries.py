"""Reads of the community ledger, always from `visible_to(actor)`; a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import CommunityOrg
from yiyang.regions.models import Region
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import rules
from .models import (
    CommunityVisit,
    DoctorHomeVisit,
    FamilyDoctorContract,
    HomeServiceDelivery,
    HomeServiceRequest,
    LedgerChange,
    LedgerEntry,
    OutbreakMode,
)

# ---- outbreak sources -------------------------------------------------------------------
# An app above community (web, or infection through web) may tell whether a county has an open
# outbreak: `register_outbreak_source(lambda county_code: ...)`. Community cannot import the
# infection app (siblings in the layers), so it plugs in here.
OutbreakSource = Callable[[str], bool]
_outbreak_sources: list[OutbreakSource] = []


def register_outbreak_source(source: OutbreakSource) -> None:
    if source not in _outbreak_sources:
        _outbreak_sources.append(source)


def _open_stay(field: str) -> Subquery:
    return Subquery(Stay.objects.filter(person=OuterRef("person_id"), status__in=OPEN_STATUSES)
                    .values(field)[:1])


def _contract_in_force(on: date) -> Exists:
    return Exists(FamilyDoctorContract.objects.filter(
        entry=OuterRef("pk"), start_on__lte=on, end_on__gte=on)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on)))


def _current_contract(field: str, on: date) -> Subquery:
    return Subquery(FamilyDoctorContract.objects.filter(
        entry=OuterRef("pk"), start_on__lte=on, end_on__gte=on)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on))
        .order_by("-start_on").values(field)[:1])


def entries(actor: Actor, *, on: date | None = None) -> QuerySet[LedgerEntry]:
    """Ledger entries with the last visit, the open stay (residential care) and the family
    doctor in force as annotations."""
    on = on or timezone.localdate()
    return (LedgerEntry.objects.visible_to(actor)
            .select_related("person", "org", "township")
            .annotate(last_visit=Max("visits__visited_on"),
                      care_home=_open_stay("home__name"),
                      care_since=_open_stay("admitted_on"),
                      has_doctor=_contract_in_force(on),
                      doctor_team=_current_contract("team", on),
                      doctor_institution=_current_contract("institution__name", on)))


def search(qs: QuerySet[LedgerEntry], *, committee_id: int | None = None,
           status: str = "active", q: str = "", category: str = "",
           need: str = "") -> QuerySet[LedgerEntry]:
    if status:
        qs = qs.filter(status=status)
    if committee_id:
        qs = qs.filter(org_id=committee_id)
    if q:
        q = q.strip()
        qs = qs.filter(Q(person__name__contains=q) | Q(person__pinyin__contains=q.lower())
                       | Q(person__initials__contains=q.lower()))
    if need:  # JSON list membership the same way on SQLite and PostgreSQL: one more query
        ids = [pk for pk, needs in qs.values_list("pk", "needs") if need in (needs or ())]
        qs = qs.filter(pk__in=ids)
    if category:
        cat = rules.Category(category)
        field = {rules.Category.ALONE: Q(living=rules.Living.ALONE),
                 rules.Category.EMPTY_NEST: Q(living=rules.Living.SPOUSE),
                 rules.Category.DISABLED: Q(disabled=True),
                 rules.Category.DEPENDENT: Q(dependent=True),
                 rules.Category.ILL: Q(seriously_ill=True)}.get(cat)
        if field is not None:
            qs = qs.filter(field)
        else:  # 高龄: born on or before this day 80 years ago
            today = timezone.localdate()
            try:
                line = today.replace(year=today.year - rules.VERY_OLD_AGE)
            except ValueError:  # 29 February
                line = today.replace(year=today.year - rules.VERY_OLD_AGE, day=28)
            qs = qs.filter(person__birth_date__lte=line)
    return qs


def decorate(rows: Iterable[LedgerEntry], on: date | None = None) -> list[LedgerEntry]:
    """Categories, risk, next visit due and overdue on each row (pure rules, no queries)."""
    on = on or timezone.localdate()
    out = []
    for e in rows:
        e.cats = e.categories_on(on)
        e.risk = rules.risk(e.cats, e.needs)
        e.age = rules.age_on(e.person.birth_date, on)
        e.in_care = bool(getattr(e, "care_home", None))
        e.next_due = rules.next_visit_due(last_visit=getattr(e, "last_visit", None),
                                          listed_on=e.listed_on, level=e.risk)
        e.overdue = (e.status == LedgerEntry.Status.ACTIVE and not e.in_care
                     and rules.is_overdue(e.next_due, on))
        e.need_labels = [rules.Need(n).label for n in e.needs]
        out.append(e)
    return out


def entry(actor: Actor, pk: int) -> LedgerEntry:
    found = get_visible_or_404(entries(actor), actor, pk=pk)
    return decorate([found])[0]


def entry_to_change(actor: Actor, pk: int) -> LedgerEntry:
    """The entry if the actor may change it (404 otherwise), with person and township."""
    return get_visible_or_404(LedgerEntry.objects.select_related("person", "township"), actor,
                              Action.CHANGE, pk=pk)


def history(entry: LedgerEntry) -> QuerySet[LedgerChange]:
    return LedgerChange.objects.filter(entry=entry)


def visits(actor: Actor, *, entry_id: int | None = None) -> QuerySet[CommunityVisit]:
    qs = CommunityVisit.objects.visible_to(actor).select_related("entry__person", "entry__org")
    return qs.filter(entry_id=entry_id) if entry_id else qs


def visit(actor: Actor, pk: int) -> CommunityVisit:
    return get_visible_or_404(visits(actor), actor, pk=pk)


def visit_plan(actor: Actor, *, on: date | None = None,
               overdue_only: bool = False) -> list[LedgerEntry]:
    """Every active entry living at home with its next visit, the most overdue first."""
    on = on or timezone.localdate()
    rows = decorate(entries(actor, on=on).filter(status=LedgerEntry.Status.ACTIVE), on)
    rows = [e for e in rows if not e.in_care and (e.overdue or not overdue_only)]
    return sorted(rows, key=lambda e: (e.next_due, e.person.pinyin))


def service_requests(actor: Actor, *, entry_id: int | None = None, status: str = "",
                     kind: str = "") -> QuerySet[HomeServiceRequest]:
    qs = (HomeServiceRequest.objects.visible_to(actor)
          .select_related("entry__person", "entry__org")
          .annotate(last_delivery=Max("deliveries__delivered_on")))
    if entry_id:
        qs = qs.filter(entry_id=entry_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def service_request(actor: Actor, pk: int) -> HomeServiceRequest:
    return get_visible_or_404(service_requests(actor), actor, pk=pk)


def deliveries(request: HomeServiceRequest) -> QuerySet[HomeServiceDelivery]:
    return HomeServiceDelivery.objects.filter(request=request)


def contracts(actor: Actor, *, entry_id: int | None = None) -> QuerySet[FamilyDoctorContract]:
    qs = (FamilyDoctorContract.objects.visible_to(actor)
          .select_related("entry__person", "entry__org", "institution")
          .annotate(last_home_visit=Max("home_visits__visited_on")))
    return qs.filter(entry_id=entry_id) if entry_id else qs


def contract(actor: Actor, pk: int) -> FamilyDoctorContract:
    return get_visible_or_404(contracts(actor), actor, pk=pk)


def home_visits(contract: FamilyDoctorContract) -> QuerySet[DoctorHomeVisit]:
    return DoctorHomeVisit.objects.filter(contract=contract)


# ---- coverage (seed 002 §八) -------------------------------------------------------------

@dataclass(frozen=True)
class CoverageRow:
    level: str  # 村（居）委会 | 乡镇（街道） | 县（区）
    name: str
    code: str
    coverage: rules.Coverage


def coverage_table(actor: Actor, *, on: date | None = None) -> list[CoverageRow]:
    """签约覆盖率 of the §八 target group per committee, township and county, over the active
    entries of people living at home that the actor sees (four queries)."""
    on = on or timezone.localdate()
    rows = decorate(entries(actor, on=on).filter(status=LedgerEntry.Status.ACTIVE), on)
    rows = [e for e in rows if not e.in_care]
    groups: dict[tuple[str, str, str], list[tuple[tuple[str, ...], bool]]] = {}
    counties = {e.region_code[:6] for e in rows}
    county_names = dict(Region.objects.filter(code__in=counties).values_list("code", "name"))
    for e in rows:
        person = (e.cats, bool(e.has_doctor))
        groups.setdefault(("0", county_names.get(e.region_code[:6], e.region_code[:6]),
                           e.region_code[:6]), []).append(person)
        groups.setdefault(("1", e.township.name, str(e.township_id)), []).append(person)
        if e.org_id != e.township_id:
            groups.setdefault(("2", e.org.name, str(e.org_id)), []).append(person)
    labels = {"0": "县（区）", "1": "乡镇（街道）", "2": "村（居）委会"}
    return [CoverageRow(labels[lvl], name, code, rules.coverage(people))
            for (lvl, name, code), people in sorted(groups.items())]


# ---- outbreak help ----------------------------------------------------------------------

def outbreak_active(actor: Actor) -> tuple[bool, str]:
    """(on, why): the organisation's (or its township's) switch, or an open outbreak in the
    county reported by a registered source."""
    if actor.org_kind == OrgKind.COMMUNITY:
        org = CommunityOrg.objects.filter(pk=actor.org_id).values("parent_id").first() or {}
        mode = (OutbreakMode.objects.filter(org_id__in=[actor.org_id, org.get("parent_id")],
                                            active=True).order_by("-since").first())
        if mode is not None:
            return True, f"{mode.changed_by} 于 {mode.since:%Y-%m-%d} 开启疫情帮扶模式"
    county = actor.region_code[:6]
    if any(source(county) for source in _outbreak_sources):
        return True, "本县有尚未结束的疫情"
    return False, ""


def own_mode(actor: Actor) -> OutbreakMode | None:
    return OutbreakMode.objects.filter(org_id=actor.org_id).first()


def outbreak_list(actor: Actor, *, on: date | None = None) -> list[LedgerEntry]:
    """People at home to contact first: treatments that cannot wait, then risk, then age."""
    on = on or timezone.localdate()
    rows = [e for e in decorate(entries(actor, on=on).filter(status=LedgerEntry.Status.ACTIVE),
                                on) if not e.in_care]
    return sorted(rows, key=lambda e: (rules.outbreak_key(cats=e.cats, needs=e.needs, age=e.age),
                                       e.person.pinyin))
