"""Reads of the medicine stock, the administration record and medication incidents, always from
`visible_to(actor)` (the home's staff, its regulators, partner doctors: clinical data); the
preparation list of a round, the stock warnings and the monthly MAR grid in a fixed number of
queries whatever the number of residents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.residents.models import OPEN_STATUSES, Stay

from . import emar_rules as er
from . import rules
from .emar_services import low_stock_days, near_expiry_days, scheduled_datetime
from .models import (
    MedicationAdministration,
    MedicationIncident,
    MedicationOrder,
    MedicineStock,
    StockMovement,
)

# ---- stock --------------------------------------------------------------------------------------


def stock(actor: Actor, *, person_id: int | None = None, home_id: int | None = None,
          active_only: bool = True, q: str = "") -> QuerySet[MedicineStock]:
    qs = MedicineStock.objects.visible_to(actor).select_related("person", "home")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    if active_only:
        qs = qs.filter(status=MedicineStock.Status.ACTIVE)
    text = q.strip().lower()
    if text:
        qs = qs.filter(Q(person__name__contains=text) | Q(person__pinyin__contains=text) |
                       Q(person__initials__contains=text) | Q(drug__contains=text))
    return qs.order_by("person__name", "person_id", "drug", "expires_on", "id")


def stock_item(actor: Actor, pk: int, action: str = Action.VIEW) -> MedicineStock:
    return get_visible_or_404(MedicineStock.objects.select_related("person", "home"), actor,
                              action, pk=pk)


def movements(stock_row: MedicineStock) -> QuerySet[StockMovement]:
    return stock_row.movements.order_by("-at", "-id")


def _per_day(order: MedicationOrder) -> Decimal:
    """Scheduled doses a day (weekly = 1/7; PRN and once: no steady rate)."""
    freq = rules.Frequency(order.frequency)
    if freq in (rules.Frequency.PRN, rules.Frequency.ONCE):
        return Decimal(0)
    if freq is rules.Frequency.WEEKLY:
        return Decimal(1) / Decimal(7)
    return Decimal(len(order.times))


def annotate_stock(rows: list[MedicineStock], today: date | None = None) -> list[MedicineStock]:
    """Set on each batch: `expiry` (ok/near/expired), `total` (the resident's usable stock of
    the drug), `per_day` (units a day by the orders in force), `days_left`, `low`.
    One query for the orders of all the residents."""
    today = today or timezone.localdate()
    near, low_days = near_expiry_days(), low_stock_days()
    people = {r.person_id for r in rows}
    orders: dict[tuple[int, str], list[MedicationOrder]] = defaultdict(list)
    for o in MedicationOrder.objects.filter(
            person_id__in=people, status=MedicationOrder.Status.ACTIVE).filter(
            Q(stop_on__isnull=True) | Q(stop_on__gte=today)):
        orders[(o.person_id, o.drug)].append(o)
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        r.expiry = er.expiry_state(r.expires_on, today, near)
        if r.expiry is not er.ExpiryState.EXPIRED and r.status == MedicineStock.Status.ACTIVE:
            totals[(r.person_id, r.drug)] += r.on_hand
    for r in rows:
        key = (r.person_id, r.drug)
        r.total = totals[key]
        rate = Decimal(0)
        for o in orders.get(key, ()):
            per = er.units_per_dose(o.dose, r.unit, r.strength)
            if per is not None:
                rate += per * _per_day(o)
        r.per_day = rate or None
        r.orders_in_force = len(orders.get(key, ()))
        r.days_left = er.days_left(r.total, r.per_day)
        r.low = r.total == 0 or (r.days_left is not None and r.days_left < low_days)
        r.warn = r.low or r.expiry is not er.ExpiryState.OK
    return rows


def stock_warnings(actor: Actor, home_id: int | None = None) -> list[MedicineStock]:
    rows = annotate_stock(list(stock(actor, home_id=home_id)))
    return [r for r in rows if r.warn]


# ---- administrations --------------------------------------------------------------------------


def administrations(actor: Actor, *, person_id: int | None = None, order_id: int | None = None,
                    home_id: int | None = None, status: str = "", day: date | None = None,
                    late_only: bool = False) -> QuerySet[MedicationAdministration]:
    qs = (MedicationAdministration.objects.visible_to(actor)
          .select_related("order", "person", "stock"))
    if person_id:
        qs = qs.filter(person_id=person_id)
    if order_id:
        qs = qs.filter(order_id=order_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    if status:
        qs = qs.filter(status=status)
    if late_only:
        qs = qs.filter(late=True)
    if day:
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        qs = qs.filter(given_at__gte=start, given_at__lt=start + timedelta(days=1))
    return qs.order_by("-given_at", "-id")


def administration(actor: Actor, pk: int,
                   action: str = Action.VIEW) -> MedicationAdministration:
    qs = MedicationAdministration.objects.select_related("order", "person", "stock")
    return get_visible_or_404(qs, actor, action, pk=pk)


# ---- incidents ----------------------------------------------------------------------------------


def incidents(actor: Actor, *, person_id: int | None = None, home_id: int | None = None,
              open_only: bool = False, kind: str = "") -> QuerySet[MedicationIncident]:
    qs = MedicationIncident.objects.visible_to(actor).select_related("person", "home",
                                                                      "administration")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if home_id:
        qs = qs.filter(home_id=home_id)
    if open_only:
        qs = qs.filter(status=MedicationIncident.Status.OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-occurred_at", "-id")


def incident(actor: Actor, pk: int, action: str = Action.VIEW) -> MedicationIncident:
    qs = MedicationIncident.objects.select_related("person", "home", "administration",
                                                   "order")
    return get_visible_or_404(qs, actor, action, pk=pk)


# ---- preparation list (摆药单) ------------------------------------------------------------------


@dataclass
class Dose:
    order: MedicationOrder
    slot: str
    scheduled_at: datetime
    record: MedicationAdministration | None = None
    batch: MedicineStock | None = None
    units: Decimal | None = None
    problem: str = ""

    @property
    def key(self) -> str:
        return f"{self.order.pk}-{self.slot}"


@dataclass
class ResidentRound:
    stay: Stay
    doses: list[Dose] = field(default_factory=list)
    prn: list[MedicationOrder] = field(default_factory=list)


def _orders_in_force(home_id: int, day: date, person_id: int | None = None) -> QuerySet:
    qs = (MedicationOrder.objects.filter(home_id=home_id, start_on__lte=day)
          .filter(Q(stop_on__isnull=True) | Q(stop_on__gte=day))
          .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=day)))
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("drug", "id")


def slots(home_id: int, day: date) -> list[str]:
    times: set[str] = set()
    for o in _orders_in_force(home_id, day):
        times.update(rules.doses_on(day, frequency=o.frequency, times=o.times,
                                    start_on=o.start_on, stop_on=o.stop_on,
                                    stopped_on=o.stopped_on))
    return sorted(times)


def round_list(actor: Actor, *, home_id: int, day: date, slot: str = "",
               person_id: int | None = None) -> list[ResidentRound]:
    """The doses due on `day` (at `slot` when given) for every resident in an open stay of the
    home, each with the batch it would come from (first expiry first out) and its problem
    (no stock, only expired stock, not enough, amount to be entered); the PRN orders in force.
    Five queries whatever the number of residents."""
    stays = list(Stay.objects.visible_to(actor).filter(home_id=home_id,
                                                       status__in=OPEN_STATUSES)
                 .select_related("person", "bed__room__building")
                 .order_by("bed__room__building__name", "bed__room__number", "bed__label",
                           "person__name"))
    if person_id:
        stays = [s for s in stays if s.person_id == person_id]
    by_person = {s.person_id: ResidentRound(stay=s) for s in stays}
    orders = [o for o in _orders_in_force(home_id, day, person_id)
              if o.person_id in by_person]
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    records = {(r.order_id, r.scheduled_at): r for r in MedicationAdministration.objects.filter(
        home_id=home_id, scheduled_at__gte=start, scheduled_at__lt=start + timedelta(days=1))}
    batches: dict[tuple[int, str], list[MedicineStock]] = defaultdict(list)
    for b in MedicineStock.objects.filter(home_id=home_id, person_id__in=list(by_person),
                                          status=MedicineStock.Status.ACTIVE).order_by(
            "expires_on", "id"):
        batches[(b.person_id, b.drug)].append(b)
    # What the listed doses would take, batch by batch, so two doses of one batch add up.
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for o in orders:
        entry = by_person[o.person_id]
        if o.is_prn:
            entry.prn.append(o)
            continue
        for hhmm in rules.doses_on(day, frequency=o.frequency, times=o.times,
                                   start_on=o.start_on, stop_on=o.stop_on,
                                   stopped_on=o.stopped_on):
            if slot and hhmm != slot:
                continue
            at = scheduled_datetime(day, hhmm)
            dose = Dose(order=o, slot=hhmm, scheduled_at=at, record=records.get((o.pk, at)))
            _source(dose, batches.get((o.person_id, o.drug), []), day, planned)
            entry.doses.append(dose)
    for entry in by_person.values():
        entry.doses.sort(key=lambda d: (d.slot, d.order.drug))
    return [e for e in by_person.values() if e.doses or (e.prn and not slot)]


def _source(dose: Dose, batches: list[MedicineStock], day: date,
            planned: dict[int, Decimal]) -> None:
    if dose.record is not None:
        dose.batch = dose.record.stock if dose.record.stock_id else None
        return
    if not batches:
        dose.problem = "无库存"
        return
    usable = [b for b in batches if b.expires_on >= day]
    if not usable:
        dose.problem = "仅有过期药品"
        return
    per = er.units_per_dose(dose.order.dose, usable[0].unit, usable[0].strength)
    dose.units = per
    if per is None:
        dose.batch = usable[0]
        dose.problem = "请核对给药数量"
        return
    pick = er.pick_batch([er.Batch(b.pk, b.on_hand - planned[b.pk], b.expires_on)
                          for b in usable], per, day)
    if pick is None:
        dose.problem = "库存不足"
        dose.batch = usable[0]
        return
    dose.batch = next(b for b in usable if b.pk == pick.id)
    planned[pick.id] += per


# ---- MAR (one resident, one month) -----------------------------------------------------------


@dataclass
class MarRow:
    order: MedicationOrder
    slot: str  # "" for a PRN order
    cells: list[dict[str, Any]]


def mar(actor: Actor, *, person_id: int, year: int, month: int,
        now: datetime | None = None) -> dict[str, Any]:
    """The month's grid: a row per order and time (PRN orders one row), a cell per day with
    the record's code (√ given, 迟 late, 缓 held, 拒 refused, 漏 missed, 未记 a past scheduled
    dose with no record).  Three queries."""
    days = er.month_days(year, month)
    first, last = days[0], days[-1]
    now = now or timezone.now()
    orders = list(MedicationOrder.objects.visible_to(actor)
                  .filter(person_id=person_id, start_on__lte=last)
                  .filter(Q(stop_on__isnull=True) | Q(stop_on__gte=first))
                  .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=first))
                  .select_related("prescriber_org").order_by("start_on", "drug", "id"))
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = start + timedelta(days=len(days))
    records = list(MedicationAdministration.objects.visible_to(actor)
                   .filter(person_id=person_id, order__in=[o.pk for o in orders])
                   .filter(Q(scheduled_at__gte=start, scheduled_at__lt=end) |
                           Q(scheduled_at__isnull=True, given_at__gte=start, given_at__lt=end))
                   .order_by("given_at", "id"))
    scheduled = {(r.order_id, r.scheduled_at): r for r in records if r.scheduled_at}
    prn: dict[tuple[int, date], list[MedicationAdministration]] = defaultdict(list)
    for r in records:
        if r.scheduled_at is None:
            prn[(r.order_id, timezone.localdate(r.given_at))].append(r)
    rows: list[MarRow] = []
    counts: dict[str, int] = defaultdict(int)
    for o in orders:
        if o.is_prn:
            cells = []
            for d in days:
                given = prn.get((o.pk, d), [])
                cells.append({"day": d, "code": str(len(given)) if given else "",
                              "records": given})
            rows.append(MarRow(order=o, slot="", cells=cells))
            continue
        slots_of_order = sorted(set(o.times))
        for hhmm in slots_of_order:
            cells = []
            for d in days:
                due = hhmm in rules.doses_on(d, frequency=o.frequency, times=o.times,
                                             start_on=o.start_on, stop_on=o.stop_on,
                                             stopped_on=o.stopped_on)
                at = scheduled_datetime(d, hhmm)
                rec = scheduled.get((o.pk, at))
                code = er.cell_code(rec.status if rec else None, bool(rec and rec.late), due,
                                    at < now)
                if code:
                    counts[code.name] += 1
                cells.append({"day": d, "code": code.value, "record": rec, "due": due})
            rows.append(MarRow(order=o, slot=hhmm, cells=cells))
    return {"days": days, "rows": rows, "counts": dict(counts), "records": records,
            "year": year, "month": month}
