"""Reads of residents, always starting from `visible_to(actor)`; one query per list page."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from yiyang.core.models import AuditEvent
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Bed
from yiyang.residents.bulk_admission import AUDIT_ACTION as IMPORT_AUDIT_ACTION
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
    Vaccination,
)


def _latest_stay(field: str) -> Subquery:
    return Subquery(Stay.objects.filter(person=OuterRef("pk")).order_by("-admitted_on", "-id")
                    .values(field)[:1])


def _current_class(field: str) -> Subquery:
    return Subquery(KeyPopulationRecord.objects.filter(person=OuterRef("pk"), is_current=True)
                    .values(field)[:1])


def residents(actor: Actor) -> QuerySet[Person]:
    """Persons with their latest stay and current classification as annotations."""
    return (
        Person.objects.visible_to(actor)
        .select_related("org")
        .annotate(
            stay_id=_latest_stay("id"),
            stay_status=_latest_stay("status"),
            stay_home_id=_latest_stay("home_id"),
            admitted_on=_latest_stay("admitted_on"),
            bed_label=_latest_stay("bed__label"),
            room_number=_latest_stay("bed__room__number"),
            building_name=_latest_stay("bed__room__building__name"),
            category=_current_class("category"),
            band=_current_class("band"),
        )
    )


def resident(actor: Actor, person_id: int, action: str = Action.VIEW) -> Person:
    return get_visible_or_404(residents(actor), actor, action, pk=person_id)


def stays_of(actor: Actor, person: Person) -> QuerySet[Stay]:
    return (Stay.objects.visible_to(actor).filter(person=person)
            .select_related("home", "bed__room__building"))


def timeline(actor: Actor, stay_ids: list[int]) -> QuerySet[StayEventRecord]:
    return (StayEventRecord.objects.visible_to(actor).filter(stay_id__in=stay_ids)
            .select_related("from_bed__room__building", "to_bed__room__building")
            .order_by("-occurred_on", "-id"))


def bed_board(actor: Actor, home_id: int) -> list[Bed]:
    """Every bed of the home with its open stay's person (or None), in building/room order."""
    occupants = {
        s.bed_id: s for s in Stay.objects.visible_to(actor)
        .filter(home_id=home_id, status__in=OPEN_STATUSES, bed__isnull=False)
        .select_related("person")
    }
    beds = list(Bed.objects.visible_to(actor).filter(home_id=home_id)
                .select_related("room__building")
                .order_by("room__building__name", "room__floor", "room__number", "label"))
    for bed in beds:
        bed.stay = occupants.get(bed.pk)
    return beds


def register_counts(actor: Actor, home_id: int | None = None) -> dict[tuple[str, str], int]:
    """{(band, category): n} over current classifications of residents in open stays."""
    qs = KeyPopulationRecord.objects.visible_to(actor).filter(
        is_current=True, person__stays__status__in=OPEN_STATUSES)
    if home_id:
        qs = qs.filter(person__stays__home_id=home_id)
    rows = qs.values("band", "category").annotate(n=Count("person", distinct=True))
    return {(r["band"], r["category"]): r["n"] for r in rows}


def register(actor: Actor, *, home_id: int | None = None) -> QuerySet[Person]:
    qs = residents(actor).filter(stay_status__in=OPEN_STATUSES, category__isnull=False)
    return qs.filter(stay_home_id=home_id) if home_id else qs


def search(qs: QuerySet[Person], text: str) -> QuerySet[Person]:
    text = text.strip().lower()
    if not text:
        return qs
    return qs.filter(Q(name__contains=text) | Q(pinyin__contains=text) |
                     Q(initials__contains=text))


def free_beds(actor: Actor, home_id: int) -> list[Bed]:
    return [b for b in bed_board(actor, home_id) if b.stay is None and b.is_active]


def health_record(actor: Actor, person: Person) -> dict:
    """Profile, conditions, vaccinations, contacts and classification history of one person."""
    return {
        "profile": HealthProfile.objects.visible_to(actor).filter(person=person).first(),
        "conditions": list(Condition.objects.visible_to(actor).filter(person=person,
                                                                      is_active=True)),
        "vaccinations": list(Vaccination.objects.visible_to(actor).filter(person=person)),
        "contacts": list(Contact.objects.visible_to(actor).filter(person=person)),
        "classifications": list(KeyPopulationRecord.objects.visible_to(actor)
                                .filter(person=person)[:10]),
    }


def audit_events_of_person(actor: Actor, person: Person) -> list[AuditEvent]:
    """The audit trail of one person that the actor may read, newest first: events on the
    person, their stays and classifications (one row each), and the import chunk that created
    them if they came from an Excel import. Such a row names up to `bulk_admission.CHUNK`
    persons (`changes["persons"]`) and carries their id range, by which it is found."""
    stay_ids = [str(pk) for pk in Stay.objects.filter(person=person).values_list("pk", flat=True)]
    record_ids = [
        str(pk)
        for pk in KeyPopulationRecord.objects.filter(person=person).values_list("pk", flat=True)
    ]
    visible = AuditEvent.objects.visible_to(actor)
    own = visible.filter(
        Q(object_type="residents.person", object_id=str(person.pk))
        | Q(object_type="residents.stay", object_id__in=stay_ids)
        | Q(object_type="residents.keypopulationrecord", object_id__in=record_ids)
    )
    imported = visible.filter(
        action=IMPORT_AUDIT_ACTION,
        changes__person_id_min__lte=person.pk,
        changes__person_id_max__gte=person.pk,
    )
    events = list(own) + [e for e in imported if person.pk in e.changes.get("persons", ())]
    return sorted(events, key=lambda e: (e.at, e.pk), reverse=True)
