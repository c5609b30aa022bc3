"""The care-archive handover card (seed 000 §四): one printable page per resident with what a
receiving hospital or a new carer needs at once, for one resident or a whole building.

Reading and auditing live together here: the card is a read, but printing it discloses personal
data (contact phones in full), so every export writes one audit event.

Who may print: whoever may VIEW the resident's clinical data (`Action.VIEW` on `Person`, the
same row scope as the resident page). There is deliberately no `Perm` from `MATRIX` on top:
caregivers hold no permissions at all, and a change of carer is exactly when they need the card.
The resident's ID number stays masked (`core.masking`); revealing it is `REVEAL_PERSONAL_DATA`.

Rendering: WeasyPrint with the Noto CJK fonts installed on the system. No resource is fetched
from anywhere: the fetcher only accepts `data:` URIs and the photo is read from storage and
inlined, so the card renders the same on a closed intranet.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.downloads import content_disposition
from yiyang.core.errors import NotFound, ValidationFailed
from yiyang.core.masking import HIDDEN, hides_personal_data, mask_id_number
from yiyang.core.pdf import html_to_pdf
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Building
from yiyang.residents import rules
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    Vaccination,
)

AUDIT_ACTION = "residents.handover_card"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContactLine:
    kind: str
    name: str
    relation: str
    phone: str  # in full: the card is for reaching the family in an emergency


@dataclass(frozen=True)
class Card:
    """Everything one page shows, already formatted for print."""

    person_id: int
    name: str
    sex: str
    age: int
    birth_date: date
    id_label: str
    id_masked: str
    ethnicity: str
    home: str
    location: str  # building / room / bed, or why there is none
    status: str
    admitted_on: date | None
    photo: str  # a data: URI, or ""
    category: str  # "red" | "yellow" | "green" | ""
    category_label: str
    band: str
    allergies: str
    diet: str
    disability: str
    conditions: list[tuple[str, bool]] = field(default_factory=list)  # (label, unstable)
    vaccination: str = ""
    care_needs: str = ""
    service_items: str = ""
    service_cautions: str = ""
    current_medicines: str = ""
    designated_hospital: str = ""
    family_doctor: str = ""
    contacts: list[ContactLine] = field(default_factory=list)


@dataclass(frozen=True)
class Export:
    pdf: bytes
    filename: str  # Chinese, for Content-Disposition
    count: int

    @property
    def content_disposition(self) -> str:
        return content_disposition(self.filename, inline=True, fallback="handover.pdf")


# ---- reading: a fixed number of queries for any number of residents -----------------------

def _persons(actor: Actor, persons: QuerySet[Person]) -> list[Person]:
    """The persons with everything the card shows, each relation scoped and prefetched once."""
    open_stays = (Stay.objects.visible_to(actor).filter(status__in=OPEN_STATUSES)
                  .select_related("home", "bed__room__building"))
    return list(
        persons.visible_to(actor, Action.VIEW)
        .select_related("org")
        .prefetch_related(
            Prefetch("stays", queryset=open_stays, to_attr="open_stays"),
            Prefetch("profile", queryset=HealthProfile.objects.visible_to(actor)),
            Prefetch("conditions", to_attr="active_conditions",
                     queryset=Condition.objects.visible_to(actor).filter(is_active=True)),
            Prefetch("vaccinations", to_attr="visible_vaccinations",
                     queryset=Vaccination.objects.visible_to(actor)),
            Prefetch("contacts", to_attr="visible_contacts",
                     queryset=Contact.objects.visible_to(actor)),
            Prefetch("classifications", to_attr="current_classifications",
                     queryset=KeyPopulationRecord.objects.visible_to(actor)
                     .filter(is_current=True)),
        )
    )


def _photo(person: Person) -> str:
    """The photo as a data: URI read from storage (never a URL); "" when absent or unreadable."""
    if not person.photo:
        return ""
    try:
        with person.photo.storage.open(person.photo.name, "rb") as fh:
            data = fh.read()
    except OSError:
        logger.warning("handover card: photo of person %s is missing", person.pk)
        return ""
    mime = mimetypes.guess_type(person.photo.name)[0] or "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _vaccination(person: Person, current: KeyPopulationRecord | None) -> str:
    rows: list[Vaccination] = person.visible_vaccinations  # type: ignore[attr-defined]
    doses = sorted({v.dose_number for v in rows
                    if v.kind == Vaccination.Kind.DOSE and v.dose_number})
    boosters = [v for v in rows if v.kind == Vaccination.Kind.BOOSTER]
    held = [v for v in rows if v.kind in (Vaccination.Kind.CONTRAINDICATION,
                                          Vaccination.Kind.DEFERRAL)]
    parts = [current.vaccination_label] if current else []
    if doses or boosters:
        given = [v.given_on for v in rows if v.dose_number]
        parts.append(f"已接种 {len(doses)} 剂" + (f"、加强 {len(boosters)} 剂" if boosters else "")
                     + (f"（末次 {max(given):%Y-%m-%d}）" if given else ""))
    for v in held[-1:]:
        parts.append(f"{v.get_kind_display()}：{v.reason}")
    return "；".join(parts) or "无记录"


def _location(stay: Stay | None) -> str:
    if stay is None:
        return "未在住"
    if stay.bed is None:
        return "未分配床位"
    room = stay.bed.room
    return f"{room.building.name} {room.floor}层 {room.number}房 {stay.bed.label}床"


def _card(person: Person, today: date) -> Card:
    stays: list[Stay] = person.open_stays  # type: ignore[attr-defined]
    stay = stays[0] if stays else None
    profile: HealthProfile | None = getattr(person, "profile", None)
    classes: list[KeyPopulationRecord] = person.current_classifications  # type: ignore[attr-defined]
    current = classes[0] if classes else None
    disability = "—"
    if profile is not None:
        disability = profile.get_disability_level_display()
        if profile.disability_certificate_kind:
            disability += f"（残疾人证：{profile.disability_certificate_kind}）"
    return Card(
        person_id=person.pk, name=person.name, sex=person.get_sex_display(),
        age=rules.age_on(person.birth_date, today), birth_date=person.birth_date,
        id_label=person.get_document_type_display(), id_masked=mask_id_number(person.id_number),
        ethnicity=person.ethnicity,
        home=stay.home.name if stay else person.org.name,
        location=_location(stay),
        status=stay.get_status_display() if stay else "未在住",
        admitted_on=stay.admitted_on if stay else None,
        photo=_photo(person),
        category=current.category if current else "",
        category_label=rules.Category(current.category).label if current else "不在登记范围",
        band=current.band if current else "",
        allergies=(profile.allergies if profile else "") or "未记录",
        diet=(profile.diet if profile else "") or "未记录",
        disability=disability,
        conditions=[(c.label, c.status == Condition.Status.UNSTABLE)
                    for c in person.active_conditions],  # type: ignore[attr-defined]
        vaccination=_vaccination(person, current),
        care_needs=profile.care_needs if profile else "",
        service_items=profile.service_items if profile else "",
        service_cautions=profile.service_cautions if profile else "",
        current_medicines=profile.current_medicines if profile else "",
        designated_hospital=profile.designated_hospital if profile else "",
        family_doctor=profile.family_doctor if profile else "",
        contacts=[ContactLine(c.get_kind_display(), c.name, c.relation, c.phone)
                  for c in person.visible_contacts],  # type: ignore[attr-defined]
    )


def _bed_order(person: Person) -> tuple:
    stays: list[Stay] = person.open_stays  # type: ignore[attr-defined]
    bed = stays[0].bed if stays else None
    if bed is None:
        return (1, "", 0, "", "", person.pinyin)
    room = bed.room
    return (0, room.building.name, room.floor, room.number, bed.label, person.pinyin)


def person_cards(actor: Actor, person_id: int) -> tuple[Person, list[Card]]:
    """One resident's card; `NotFound` (404) when the actor may not view the person."""
    people = _persons(actor, Person.objects.filter(pk=person_id))
    if not people:
        raise NotFound()
    return people[0], [_shown(actor, _card(people[0], timezone.localdate()))]


def building_cards(actor: Actor, building_id: int) -> tuple[Building, list[Person], list[Card]]:
    """Every resident with an open stay in a bed of the building, in bed order."""
    building = get_visible_or_404(Building.objects.select_related("home"), actor, Action.VIEW,
                                  pk=building_id)
    stays = Stay.objects.visible_to(actor).filter(status__in=OPEN_STATUSES,
                                                  bed__room__building=building)
    people = sorted(_persons(actor, Person.objects.filter(pk__in=stays.values("person_id"))),
                    key=_bed_order)
    today = timezone.localdate()
    return building, people, [_shown(actor, _card(p, today)) for p in people]


def _shown(actor: Actor, card: Card) -> Card:
    """Medical institutions see no ID or phone numbers on the card (issue 8)."""
    if not hides_personal_data(actor):
        return card
    return replace(card, id_masked=HIDDEN,
                   contacts=[replace(c, phone=HIDDEN) for c in card.contacts])


# ---- rendering ----------------------------------------------------------------------------

def render_html(cards: list[Card], *, title: str, generated_at: datetime | None = None) -> str:
    return render_to_string("residents/handover_card.html", {
        "cards": cards, "title": title,
        "generated_at": generated_at or timezone.localtime(),
    })


def render_pdf(cards: list[Card], *, title: str) -> bytes:
    return html_to_pdf(render_html(cards, title=title), what="handover card")


# ---- exports: read, render, audit ------------------------------------------------------------

def _audited(actor: Actor, obj, changes: dict) -> None:  # type: ignore[no-untyped-def]
    # After rendering, in a short transaction of its own: never hold the database's write lock
    # (SQLite) for the seconds a PDF takes. Nothing is disclosed before the response, so an
    # export that fails to render leaves no audit row and no file.
    with transaction.atomic(durable=True):
        audit.record(actor, AUDIT_ACTION, obj, changes=changes)


def export_person(*, actor: Actor, person_id: int) -> Export:
    person, cards = person_cards(actor, person_id)
    pdf = render_pdf(cards, title=f"{person.name} 交接卡")
    _audited(actor, person, {"persons": [person.pk], "disclosed": "contacts.phone"})
    return Export(pdf=pdf, count=1,
                  filename=f"交接卡-{person.name}-{timezone.localdate():%Y%m%d}.pdf")


def export_building(*, actor: Actor, building_id: int) -> Export:
    """All cards of a building in one PDF; one audit event naming every resident printed."""
    building, people, cards = building_cards(actor, building_id)
    if not cards:
        raise ValidationFailed("empty_building",
                               f"{building.name}目前没有在住老人，没有可打印的交接卡")
    pdf = render_pdf(cards, title=f"{building.home.name} {building.name} 交接卡")
    _audited(actor, building, {"persons": [p.pk for p in people], "count": len(people),
                               "disclosed": "contacts.phone"})
    return Export(pdf=pdf, count=len(cards),
                  filename=f"交接卡-{building.name}-{timezone.localdate():%Y%m%d}.pdf")
