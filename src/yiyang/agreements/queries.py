"""Reads of agreements, always from `visible_to(actor)` (both parties, regulators by region);
the public list reads only what was made public (向社会公开) and never personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.medication import queries as medication_queries
from yiyang.medication.models import MedicationOrder
from yiyang.orgs.models import MedicalInstitution, NursingHome
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import catalogue, rules
from .family_bed_rules import BedState, RoundStatus, round_status
from .models import (
    Agreement,
    AgreementEvent,
    FamilyBed,
    FamilyBedRound,
    FeeEntry,
    PatrolResident,
    PatrolVisit,
    Referral,
    ServiceRecord,
)

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


def patrol_visits(actor: Actor, agreement_id: int | None = None) -> QuerySet[PatrolVisit]:
    qs = (PatrolVisit.objects.visible_to(actor).select_related("agreement__home",
                                                               "agreement__medical")
          .annotate(seen_count=Count("seen")).order_by("-visited_on", "-id"))
    return qs if agreement_id is None else qs.filter(agreement_id=agreement_id)


def patrol_visit(actor: Actor, pk: int) -> PatrolVisit:
    return get_visible_or_404(PatrolVisit.objects.select_related("agreement__home",
                                                                 "agreement__medical"),
                              actor, pk=pk)


def residents_seen(actor: Actor, visit_id: int) -> QuerySet[PatrolResident]:
    return (PatrolResident.objects.visible_to(actor).filter(visit_id=visit_id)
            .select_related("person").order_by("person__pinyin", "id"))


def patrol_orders(actor: Actor, visit: PatrolVisit) -> QuerySet[MedicationOrder]:
    """The drug orders given on the visit, as the home's medication orders show them."""
    return (medication_queries.orders(actor, home_id=visit.home_id)
            .filter(source="patrol", source_ref=str(visit.pk)))


def family_beds(actor: Actor, *, agreement_id: int | None = None,
                open_only: bool = False) -> QuerySet[FamilyBed]:
    qs = (FamilyBed.objects.visible_to(actor).select_related("person", "agreement__home",
                                                             "agreement__medical")
          .annotate(last_round=Max("rounds__done_on"), round_count=Count("rounds"))
          .order_by("-opened_on", "-id"))
    if agreement_id is not None:
        qs = qs.filter(agreement_id=agreement_id)
    if open_only:
        qs = qs.filter(state=BedState.OPENED)
    return qs


def family_bed(actor: Actor, pk: int) -> FamilyBed:
    return get_visible_or_404(FamilyBed.objects.select_related("person", "agreement__home",
                                                               "agreement__medical"),
                              actor, pk=pk)


def family_bed_rounds(actor: Actor, bed_id: int) -> QuerySet[FamilyBedRound]:
    return FamilyBedRound.objects.visible_to(actor).filter(bed_id=bed_id)


def with_round_status(beds: list[FamilyBed], today: date) -> list[FamilyBed]:
    """Attach `round_status` to each loaded bed (list pages)."""
    for bed in beds:
        bed.round_status = bed_round_status(bed, today)  # type: ignore[attr-defined]
    return beds


def bed_round_status(bed: FamilyBed, today: date) -> RoundStatus | None:
    """When the open bed's next round is due (from the `last_round` annotation)."""
    if bed.state != BedState.OPENED:
        return None
    last = getattr(bed, "last_round", None)
    return round_status(opened_on=bed.opened_on, round_dates=[last] if last else [],
                        today=today, interval_days=bed.round_interval_days)


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


def all_referrals(actor: Actor, *, state: str = "", open_only: bool = False) -> QuerySet[Referral]:
    qs = Referral.objects.visible_to(actor).select_related("person", "agreement")
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.exclude(state__in=[s.value for s in rules.TERMINAL_REFERRAL_STATES])
    return qs


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


@dataclass(frozen=True)
class ReferralStep:
    at: str  # "YYYY-MM-DD HH:MM"
    who: str
    label: str
    note: str


def _local_minute(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16]
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def referral_steps(referral: Referral) -> list[ReferralStep]:
    """The referral's history for people: action labels in Chinese, minutes not seconds."""
    out = []
    for h in referral.history:
        action = h.get("action", "")
        label = "申请" if action == "request" else (
            rules.ReferralAction(action).label
            if action in rules.ReferralAction._value2member_map_ else action)
        out.append(ReferralStep(at=_local_minute(str(h.get("at", ""))),
                                who=f"{h.get('org', '')} {h.get('by', '')}".strip(),
                                label=label, note=h.get("note", "")))
    return out


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

