"""Reads of agreements, always from `visible_to(actor)` (both parties, regulators by region);
the public list reads only what was made public (向社会公开) and never personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import MedicalInstitution, NursingHome
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import catalogue, rules
from .models import Agreement, AgreementEvent, FeeEntry, PatrolVisit, Referral, ServiceRecord

PUBLIC_STATES = (rules.AgreementState.PUBLISHED, rules.AgreementState.ACTIVE,
                 rules.AgreementState.EXPIRING, rules.AgreementState.RENEWED)


def agreements(actor: Actor, *, state: str = "") -> QuerySet[Agreement]:
    qs = Agreement.objects.visible_to(actor).select_related("home", "medical")
    if state:
        qs = qs.filter(state=state)
    return qs


def agreement(actor: Actor, pk: int, action: str = Action.VIEW) -> Agreement:
    qs = Agreement.objects.select_related("home", "medical")
    return get_visible_or_404(qs, actor, action, pk=pk)


def events(actor: Actor, agreement_id: int) -> QuerySet[AgreementEvent]:
    return AgreementEvent.objects.visible_to(actor).filter(agreement_id=agreement_id)


def patrol_visits(actor: Actor, agreement_id: int) -> QuerySet[PatrolVisit]:
    return PatrolVisit.objects.visible_to(actor).filter(agreement_id=agreement_id)


def visit_dates(actor: Actor, agreement_ids: list[int]) -> dict[int, list[date]]:
    """Patrol-visit dates per agreement, in one query (the list's 履约 column)."""
    out: dict[int, list[date]] = {pk: [] for pk in agreement_ids}
    rows = (PatrolVisit.objects.visible_to(actor).filter(agreement_id__in=agreement_ids)
            .values_list("agreement_id", "visited_on"))
    for agreement_id, visited_on in rows:
        out[agreement_id].append(visited_on)
    return out


@dataclass(frozen=True)
class DueVisit:
    agreement: Agreement
    slot: rules.PatrolSlot


def patrols_due(actor: Actor, today: date, *, days: int = 7) -> list[DueVisit]:
    """Patrol visits whose window is open, or whose due date falls in the next `days`, of the
    agreements in force the actor is party to (the worklists of both sides)."""
    rows = [a for a in agreements(actor).filter(state__in=PUBLIC_STATES)
            if rules.is_access_active(today, start=a.start_on, end=a.end_on, state=a.state,
                                      terminated_on=a.terminated_on)
            and a.patrol_interval_days]
    visits = visit_dates(actor, [a.pk for a in rows])
    out: list[DueVisit] = []
    horizon = today + timedelta(days=days)
    for a in rows:
        schedule = patrol_schedule(a, visits[a.pk], today)
        for slot in schedule.slots if schedule else ():
            if slot.state is rules.PatrolState.PENDING or (
                    slot.state is rules.PatrolState.UPCOMING and slot.due <= horizon):
                out.append(DueVisit(a, slot))
    return sorted(out, key=lambda d: (d.slot.due, d.agreement.pk))


def open_referrals(actor: Actor) -> QuerySet[Referral]:
    return (Referral.objects.visible_to(actor)
            .exclude(state__in=[s.value for s in rules.TERMINAL_REFERRAL_STATES])
            .select_related("person", "agreement__home", "agreement__medical"))


def service_records(actor: Actor, agreement_id: int) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.visible_to(actor).filter(agreement_id=agreement_id)


def fee_entries(actor: Actor, agreement_id: int) -> QuerySet[FeeEntry]:
    """The memo account: the medical side's own rows, and its regulators' (read)."""
    return FeeEntry.objects.visible_to(actor).filter(agreement_id=agreement_id)


def referrals(actor: Actor, agreement_id: int) -> QuerySet[Referral]:
    return (Referral.objects.visible_to(actor).filter(agreement_id=agreement_id)
            .select_related("person", "agreement"))


def referral(actor: Actor, pk: int, action: str = Action.VIEW) -> Referral:
    return get_visible_or_404(Referral.objects.select_related("agreement"), actor, action, pk=pk)


def referable_residents(actor: Actor, home_id: int) -> list[tuple[int, str]]:
    """Residents in an open stay of the home, as the actor sees them (name and bed)."""
    stays = (Stay.objects.visible_to(actor).filter(home_id=home_id, status__in=OPEN_STATUSES)
             .select_related("person", "bed__room").order_by("person__pinyin", "person_id"))
    return [(s.person_id, f"{s.person.name}（{s.bed.room.number}-{s.bed.label}）" if s.bed
             else s.person.name) for s in stays]


def counterparties(actor: Actor) -> list[tuple[int, str]]:
    """Who the actor's organisation may propose an agreement to: the other kind, same city."""
    city = actor.region_code[:4]
    model: type[NursingHome] | type[MedicalInstitution]
    if actor.org_kind == OrgKind.HOME:
        model = MedicalInstitution
    elif actor.org_kind == OrgKind.MEDICAL:
        model = NursingHome
    else:
        return []
    rows = (model.objects.filter(is_active=True, region_code__startswith=city)
            .order_by("region_code", "name").values_list("pk", "name"))
    return list(rows)


def public_agreements(*, today: date) -> list[Agreement]:
    """Agreements made public and not ended on `today` (no login; no personal data)."""
    rows = (Agreement.objects.filter(state__in=PUBLIC_STATES, end_on__gte=today)
            .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
            .select_related("home", "medical").order_by("region_code", "home__name", "start_on"))
    return list(rows)


# ---- presentation helpers (pure over loaded rows) -----------------------------------------


@dataclass(frozen=True)
class ItemLine:
    number: int
    category: str
    content: str


def item_lines(agreement: Agreement) -> list[ItemLine]:
    out = []
    for n in agreement.items:
        try:
            it = catalogue.item(int(n))
        except (TypeError, ValueError):
            continue
        out.append(ItemLine(it.number, it.category, it.content))
    return out


def mode_labels(agreement: Agreement) -> list[str]:
    return [catalogue.CooperationMode(m).label for m in agreement.modes
            if m in catalogue.CooperationMode._value2member_map_]


def fee_factor_labels(agreement: Agreement) -> list[str]:
    return [catalogue.FeeFactor(f).label for f in agreement.fee_factors
            if f in catalogue.FEE_FACTOR_LABELS]


def effective_state(agreement: Agreement, today: date) -> rules.AgreementState:
    return rules.status_on(today, start=agreement.start_on, end=agreement.end_on,
                           state=agreement.state, terminated_on=agreement.terminated_on)


@dataclass(frozen=True)
class Schedule:
    slots: tuple[rules.PatrolSlot, ...]
    missed: int
    done: int


def patrol_schedule(agreement: Agreement, visit_dates: list[date], today: date) -> Schedule | None:
    """Due dates of the agreed interval with their visits, up to today (and the next one)."""
    interval = agreement.patrol_interval_days
    if not interval or agreement.state not in (*PUBLIC_STATES, rules.AgreementState.EXPIRED,
                                               rules.AgreementState.TERMINATED):
        return None
    last = agreement.end_on
    if agreement.terminated_on is not None:
        last = min(last, agreement.terminated_on)
    until = min(last, today + timedelta(days=interval))
    if until < agreement.start_on:
        return Schedule((), 0, 0)
    dues = rules.patrol_due_dates(agreement.start_on, agreement.end_on, interval, until=until)
    slots = rules.patrol_slots(dues, visit_dates, today=today,
                               grace_days=rules.default_grace_days(interval),
                               start=agreement.start_on, end=agreement.end_on)
    return Schedule(
        slots,
        sum(1 for s in slots if s.state is rules.PatrolState.MISSED),
        sum(1 for s in slots if s.state is rules.PatrolState.DONE),
    )

