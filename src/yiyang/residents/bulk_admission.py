"""Admitting many residents at once (an Excel import): check every row against the database,
then write them all in one transaction or none at all.

The single-resident path is `services.admit_resident`; this module applies the same rules
(GB 11643 ID numbers, one open stay per person and per bed, the classification of REFERENCE
§1.4, an audit row per write) with set-based queries and `bulk_create`, so 200,000 rows are not
200,000 round trips. Nothing here knows about spreadsheets: callers pass `Admission` values
and get back `Problem`s naming the field, which the caller maps to its own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.bulk_insert import insert
from yiyang.core.models import AuditEvent
from yiyang.core.permissions import Perm, require
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Bed, NursingHome
from yiyang.residents import rules, services
from yiyang.residents.models import (
    OPEN_STATUSES,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
)
from yiyang.residents.search import pinyin_keys

CHUNK = 2000  # rows per bulk INSERT: bounded memory, and a progress tick per chunk

BedKey = tuple[str, str, str]  # (building name, room number, bed label)


@dataclass
class Admission:
    """One resident to admit, already cleaned (ID parsed, phones checked, dates parsed)."""

    row: int
    name: str
    sex: str
    birth_date: date
    bed: BedKey
    admitted_on: date
    document_type: str = Person.Document.ID_CARD
    id_number: str = ""
    phone: str = ""
    ethnicity: str = "汉族"
    address: str = ""
    disability_level: str = HealthProfile.Disability.NONE
    disability_certificate_no: str = ""
    allergies: str = ""
    diet: str = ""
    designated_hospital: str = ""
    contact_name: str = ""
    contact_relation: str = ""
    contact_phone: str = ""
    bed_id: int | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    message: str


def _chunks(items: Sequence[Admission]) -> Iterable[list[Admission]]:
    it, size = iter(items), CHUNK
    while batch := list(islice(it, size)):
        yield batch


def _id_index(number: str) -> str | None:
    return Person._meta.get_field("id_number_index").index_of(number)


def check(home: NursingHome, admissions: Sequence[Admission]) -> list[Problem]:
    """Problems that need the database: unknown, inactive or taken beds, and ID numbers that
    already have a record. Resolves `bed_id` on each admission as a side effect."""
    problems: list[Problem] = []
    # Plain tuples, not model instances: a large home has tens of thousands of beds.
    beds = {
        (building, room, label): (pk, active)
        for pk, building, room, label, active in Bed.objects.filter(home=home).values_list(
            "pk", "room__building__name", "room__number", "label", "is_active")
    }
    taken = set(Stay.objects.filter(home=home, status__in=OPEN_STATUSES, bed__isnull=False)
                .values_list("bed_id", flat=True))
    for adm in admissions:
        found = beds.get(adm.bed)
        where = "{} {} {}床".format(*adm.bed)
        if found is None:
            problems.append(Problem(adm.row, "bed", f"床位不存在：本机构没有 {where}"))
        elif not found[1]:
            problems.append(Problem(adm.row, "bed", f"床位 {where} 已停用"))
        elif found[0] in taken:
            problems.append(Problem(adm.row, "bed", f"床位 {where} 已有人入住"))
        else:
            adm.bed_id = found[0]
    by_index = {_id_index(a.id_number): a for a in admissions if a.id_number}
    keys = list(by_index)
    for start in range(0, len(keys), 900):  # stay under SQLite's bound-parameter limit
        for index in Person.objects.filter(
                id_number_index__in=keys[start:start + 900]).values_list(
                "id_number_index", flat=True):
            adm = by_index[index]
            problems.append(Problem(adm.row, "id_number",
                                    "该证件号码已在系统中建档，请在老人页面办理入住，不能重复导入"))
    return sorted(problems, key=lambda p: p.row)


def _classification(adm: Admission, on: date, actor: Actor,
                    rule_set: rules.RuleSet) -> dict[str, Any] | None:
    """What `services.classify` stores for a new person with no recorded disease and no
    vaccination yet (REFERENCE §1.4), as column values."""
    age = rules.age_on(adm.birth_date, on)
    inputs = {"age": age, "band": rules.age_band(age) or "",
              "has_disability": HealthProfile.is_disabled(adm.disability_level,
                                                          adm.disability_certificate_no),
              "disease": rules.disease_status([]),
              "vaccination": rules.vaccination_status(doses_received=0,
                                                      doses_in_primary_series=1)}
    values = services.classification_values(inputs, on=on, classified_by=actor.username,
                                            rule_set=rule_set)
    return None if values is None else {**values, "is_current": True}


def _write_chunk(actor: Actor, home: NursingHome, batch: list[Admission], today: date,
                 rule_set: rules.RuleSet) -> None:
    """Every row of every table for one chunk, as plain values (core.bulk_insert)."""
    own = {"org_id": home.pk, "region_code": home.region_code}
    at_home = {"home_id": home.pk, "region_code": home.region_code}
    persons = []
    for adm in batch:
        pinyin, initials = pinyin_keys(adm.name)
        persons.append({
            **own, "name": adm.name, "sex": adm.sex, "birth_date": adm.birth_date,
            "document_type": adm.document_type, "id_number": adm.id_number,
            "phone": adm.phone, "ethnicity": adm.ethnicity, "address": adm.address,
            "pinyin": pinyin, "initials": initials})
    person_ids = insert(Person, persons)
    stays = [{**at_home, "person_id": pid, "bed_id": a.bed_id, "admitted_on": a.admitted_on,
              "status": rules.StayStatus.IN_RESIDENCE.value}
             for pid, a in zip(person_ids, batch, strict=True)]
    stay_ids = insert(Stay, stays)
    insert(HealthProfile, [
        {**own, "person_id": pid, "allergies": a.allergies, "diet": a.diet,
         "disability_level": a.disability_level,
         "disability_certificate_no": a.disability_certificate_no,
         "designated_hospital": a.designated_hospital}
        for pid, a in zip(person_ids, batch, strict=True)])
    insert(StayEventRecord, [
        {**at_home, "stay_id": sid, "event": rules.StayEvent.ADMIT.value,
         "occurred_on": a.admitted_on, "to_bed_id": a.bed_id, "recorded_by": actor.username,
         "note": "批量导入"}
        for sid, a in zip(stay_ids, batch, strict=True)])
    insert(Contact, [
        {**own, "person_id": pid, "kind": Contact.Kind.EMERGENCY.value, "name": a.contact_name,
         "relation": a.contact_relation, "phone": a.contact_phone}
        for pid, a in zip(person_ids, batch, strict=True) if a.contact_name])
    classified = [(pid, a, c) for pid, a in zip(person_ids, batch, strict=True)
                  if (c := _classification(a, today, actor, rule_set)) is not None]
    record_ids = insert(KeyPopulationRecord, [{**own, "person_id": pid, **c}
                                              for pid, _, c in classified])
    events = []
    for pid, sid, person, stay, adm in zip(person_ids, stay_ids, persons, stays, batch,
                                           strict=True):
        events.append(audit.row_values(
            actor, "residents.person.register", model=Person, object_id=pid,
            object_repr=adm.name, object_org_id=home.pk, region_code=home.region_code,
            changes=audit.created_values(Person, person)))
        events.append(audit.row_values(
            actor, "residents.stay.admit", model=Stay, object_id=sid,
            object_repr=f"{adm.name} @ {home.name}", object_org_id=home.pk,
            region_code=home.region_code, changes=audit.created_values(Stay, stay)))
    events.extend(audit.row_values(
        actor, "residents.classify", model=KeyPopulationRecord, object_id=rid,
        object_repr=f"{adm.name} 重点人群分类", object_org_id=home.pk,
        region_code=home.region_code,
        changes={"category": [None, c["category"]], "basis": [None, c["basis"]]})
        for rid, (_, adm, c) in zip(record_ids, classified, strict=True))
    insert(AuditEvent, events)


def admit_many(*, actor: Actor, home_id: int, admissions: Sequence[Admission],
               progress: Callable[[int], None] | None = None) -> list[Problem]:
    """Admit every admission or none: returns the problems (and writes nothing) if any row
    fails the database checks, else writes all rows in one transaction and returns []."""
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    today = timezone.localdate()
    rule_set = rules.load_rule_set()
    with transaction.atomic(durable=True):
        # Lock the home's row so two imports into one home cannot both take the same beds;
        # the partial unique indexes would reject the loser anyway, losing its whole file.
        NursingHome.objects.select_for_update().filter(pk=home.pk).exists()
        problems = check(home, admissions)
        if problems:
            return problems
        done = 0
        for batch in _chunks(admissions):
            _write_chunk(actor, home, batch, today, rule_set)
            done += len(batch)
            if progress is not None:
                progress(done)
    return []
