"""The import builds its rows as tuples of database values (`bulk_admission._Writer.prepare`,
`core.bulk_insert.Table.prepare_ready`), converting constant columns once per import. Those
tuples must hold what the reference conversion (`Table.prepare`, each field's own converter)
makes of the same values, column by column; this builds both from one chunk and compares."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from yiyang.core.bulk_insert import Prepared
from yiyang.core.fields import keyring
from yiyang.residents import bulk_admission, rules
from yiyang.residents.bulk_admission import Admission
from yiyang.residents.models import (
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
)
from yiyang.residents.search import pinyin_keys

SECRET = ("id_number", "phone")  # encrypted: a fresh nonce each time, compared decrypted
STAMPS = ("created_at", "updated_at")  # one `timezone.now()` per call


def _admissions() -> list[Admission]:
    today = timezone.localdate()
    years = (58, 58, 70, 85, 95)  # 58: outside the register unless disabled
    return [
        Admission(
            row=2 + i,
            name=name,
            sex=Person.Sex.FEMALE if i % 2 else "M",  # a choices member and a plain str
            birth_date=date(today.year - years[i], 3, 1),
            bed=("导入楼", "101", str(i + 1)),
            admitted_on=date(2026, 1, 1 + i),
            document_type=Person.Document.ID_CARD if i != 3 else "other",
            id_number=f"41022119{80 - i}0301001{i}" if i != 3 else "",
            phone="13912345678" if i % 2 else "",
            ethnicity="回族" if i == 2 else "汉族",
            address="河南省开封市杞县" if i else "",
            disability_level=HealthProfile.Disability.SEVERE if i == 1 else "0",
            allergies="青霉素" if i == 4 else "",
            contact_name="王家属" if i != 2 else "",
            contact_relation="子女" if i != 2 else "",
            contact_phone="13800000000" if i in (0, 4) else "",
            bed_id=1000 + i,
        )
        for i, name in enumerate(["单春生", "曾桂兰", "王秀英", "李某", "赵德明"])
    ]


def _reference(writer: Any, chunk: Any, classes: list[dict | None]) -> list[Prepared]:
    """The same rows as dicts through `Table.prepare` (what the import wrote before)."""
    home, ids, batch, t = writer.home, chunk.ids, chunk.batch, writer.tables
    own = {"org_id": home.pk, "region_code": home.region_code}
    at_home = {"home_id": home.pk, "region_code": home.region_code}
    persons, stays, profiles, events, contacts, records = [], [], [], [], [], []
    contact_ids, record_ids = iter(ids[Contact]), iter(ids[KeyPopulationRecord])
    for pid, sid, hid, eid, a, c in zip(
        ids[Person], ids[Stay], ids[HealthProfile], ids[StayEventRecord], batch, classes,
        strict=True,
    ):
        pinyin, initials = pinyin_keys(a.name)
        persons.append({
            "id": pid, **own, "name": a.name, "sex": a.sex, "birth_date": a.birth_date,
            "document_type": a.document_type, "id_number": a.id_number, "phone": a.phone,
            "ethnicity": a.ethnicity, "address": a.address, "pinyin": pinyin,
            "initials": initials,
        })
        stays.append({"id": sid, **at_home, "person_id": pid, "bed_id": a.bed_id,
                      "admitted_on": a.admitted_on, "status": "in_residence"})
        profiles.append({
            "id": hid, **own, "person_id": pid, "allergies": a.allergies, "diet": a.diet,
            "disability_level": a.disability_level,
            "disability_certificate_no": a.disability_certificate_no,
            "designated_hospital": a.designated_hospital,
        })
        events.append({"id": eid, **at_home, "stay_id": sid, "event": "admit",
                       "occurred_on": a.admitted_on, "to_bed_id": a.bed_id,
                       "recorded_by": writer.actor.username, "note": "批量导入"})
        if a.contact_name:
            contacts.append({"id": next(contact_ids), **own, "person_id": pid,
                             "kind": Contact.Kind.EMERGENCY, "name": a.contact_name,
                             "relation": a.contact_relation, "phone": a.contact_phone})
        if c is not None:
            records.append({"id": next(record_ids), **own, "person_id": pid, **c})
    return [
        t[Person].prepare(persons),
        t[Stay].prepare(stays),
        t[HealthProfile].prepare(profiles),
        t[StayEventRecord].prepare(events),
        t[Contact].prepare(contacts),
        t[KeyPopulationRecord].prepare(records),
    ]


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in STAMPS}
    for key in SECRET:
        if out.get(key):
            out[key] = keyring().decrypt(out[key])
    return out


@pytest.mark.django_db
def test_tuple_rows_hold_what_the_reference_conversion_makes_of_the_same_values(cast) -> None:
    actor, home = cast.actor("admin_a"), cast.home_of("admin_a")
    admissions = _admissions()
    with transaction.atomic():
        writer = bulk_admission._Writer(actor, home, connection, {"import_job": 7})
        classify = bulk_admission._Classifier(
            timezone.localdate(), actor, rules.load_rule_set()
        )
        classes = [classify(a) for a in admissions]
        chunk = writer.reserve(admissions, classes)
        rows = writer.prepare(chunk)
        built = writer.complete(rows.prepared, rows.contacts)
        reference = _reference(writer, chunk, classes)
        transaction.set_rollback(True)
    # five persons, four contacts, four in the register (the 58-year-old disabled one too)
    assert [p.count for p in built[:6]] == [5, 5, 5, 5, 4, 4]
    for got, want in zip(built[:6], reference, strict=True):
        assert got.table is want.table
        assert [_comparable(r) for r in got.rows()] == [_comparable(r) for r in want.rows()], (
            got.table.model.__name__
        )
    person = built[0].rows()[1]
    assert person["id_number"] != admissions[1].id_number  # stored encrypted
    assert person["sex"] == "F" and type(person["sex"]) is str  # the plain value, not a member
