"""core.bulk_insert: rows written without model instances read back exactly like ORM saves."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction

from yiyang.core.bulk_insert import IdCounter, IdGrants, Ids, Table, insert
from yiyang.core.fields import blind_index, keyring
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import User
from yiyang.residents.models import Person


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_table_with_reserved_ids_writes_defaults_stamps_ciphertext_and_indexes(cast) -> None:
    home = cast.home_of("admin_a")
    with transaction.atomic():
        ids = Ids(Person).take(2)
        table = Table(
            Person,
            ["id", "org_id", "region_code", "name", "sex", "birth_date", "id_number", "phone"],
        )
        rows = [
            {
                "id": ids[0],
                "org_id": home.pk,
                "region_code": home.region_code,
                "name": "批量甲",
                "sex": "F",
                "birth_date": date(1940, 5, 6),
                "id_number": "41022119400506002X",
                "phone": "13912345678",
            },
            {
                "id": ids[1],
                "org_id": home.pk,
                "region_code": home.region_code,
                "name": "批量乙",
                "sex": "M",
                "birth_date": date(1941, 1, 2),
                "id_number": "",
                "phone": "",
            },
        ]
        table.write(table.prepare(rows))
    assert ids[1] == ids[0] + 1 or connection.vendor == "postgresql"
    first, second = Person.objects.get(pk=ids[0]), Person.objects.get(pk=ids[1])
    assert (first.name, first.sex, first.birth_date) == ("批量甲", "F", date(1940, 5, 6))
    assert first.id_number == "41022119400506002X" and first.phone == "13912345678"
    assert "13912345678" not in _raw("residents_person", "phone", first.pk)
    assert first.id_number_index == blind_index("41022119400506002X", purpose="id_number")
    assert first.phone_index == blind_index("13912345678", purpose="phone")
    assert (second.id_number, second.id_number_index, second.phone_index) == ("", None, None)
    assert (first.ethnicity, first.version, first.photo.name) == ("汉族", 1, "")  # defaults
    assert first.created_at == first.updated_at == second.created_at  # one stamp per call
    # The sequence moved past the reserved ids: the next ORM insert does not collide.
    later = Person.objects.create(
        org=home, region_code=home.region_code, name="之后", sex="F", birth_date=date(1950, 1, 1)
    )
    assert later.pk > ids[1]


@pytest.mark.django_db
def test_insert_returns_ids_in_order_and_fills_left_out_fields() -> None:
    ids = insert(User, [{"username": "bulk_a", "phone": "13800000001"}, {"username": "bulk_b"}])
    a, b = User.objects.get(pk=ids[0]), User.objects.get(pk=ids[1])
    assert (a.username, b.username) == ("bulk_a", "bulk_b")
    assert a.phone == "13800000001" and a.phone_index == blind_index("13800000001", purpose="phone")
    assert (b.phone, b.phone_index, b.is_active, b.date_joined is not None) == (
        "",
        None,
        True,
        True,
    )


@pytest.mark.django_db
def test_json_and_missing_values_convert_like_the_orm() -> None:
    changes = {"name": [None, "王秀英"], "born": [None, "1940-05-06"]}
    (pk,) = insert(
        AuditEvent,
        [{"username": "bulk", "action": "x.y", "object_type": "a.b", "changes": changes}],
    )
    event = AuditEvent.objects.get(pk=pk)
    assert event.changes == changes and event.ip is None and event.org_id is None
    orm = AuditEvent.objects.create(
        username="orm", action="x.y", object_type="a.b", changes=changes
    )
    assert _raw("core_auditevent", "changes", pk) == _raw("core_auditevent", "changes", orm.pk)


@pytest.mark.django_db
def test_choices_bools_nulls_and_constant_defaults_store_what_the_orm_stores(cast) -> None:
    """On SQLite, NULL columns and constant defaults become literals and TextChoices members
    and bools plain values (core.bulk_insert.Table): nothing a reader can tell apart."""
    home = cast.home_of("admin_a")
    rows = [
        {
            "org_id": home.pk,
            "region_code": home.region_code,
            "name": name,
            "sex": Person.Sex.FEMALE,  # a TextChoices member
            "birth_date": date(1940, 5, 6),
            "document_type": Person.Document.ID_CARD,
            "address_region_id": None,  # NULL in every row
        }
        for name in ("常量甲", "常量乙")
    ]
    ids = insert(Person, rows)
    (orm_pk,) = insert(Person, rows[:1])  # a second call reuses the compiled layout
    orm = Person.objects.create(
        org=home, region_code=home.region_code, name="对照", sex="F", birth_date=date(1940, 5, 6)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sex, document_type, version, photo, address_region_id FROM residents_person "
            "WHERE id IN (%s, %s, %s, %s) ORDER BY id",
            [*ids, orm_pk, orm.pk],
        )
        stored = cursor.fetchall()
    assert len(set(stored)) == 1 and stored[0][:4] == ("F", "id_card", 1, "")
    assert stored[0][4] is None
    (event_pk,) = insert(
        AuditEvent,
        [{"username": "b", "action": "x.y", "object_type": "a.b", "ip": None, "user_id": None}],
    )
    event = AuditEvent.objects.get(pk=event_pk)
    assert (event.ip, event.user_id, event.changes) == (None, None, {})


def test_id_counter_hands_out_consecutive_ids_from_the_first_free_one() -> None:
    counter = IdCounter(41)
    assert counter.take(3) == [41, 42, 43]
    assert counter.take(0) == []
    assert counter.take(2) == [44, 45]


def test_id_grants_carry_what_a_batch_leaves_over_and_wait_for_more() -> None:
    batches = iter([range(10, 14), [20, 21, 25]])
    grants = IdGrants(lambda: grants.grant(next(batches, [])))
    assert grants.take(3) == [10, 11, 12]  # waited for the first batch
    assert grants.take(3) == [13, 20, 21]  # the leftover 13, then the next batch
    assert grants.take(1) == [25]
    with pytest.raises(RuntimeError, match="no more ids"):
        grants.take(1)  # nothing more is granted: an error, not an endless wait


@pytest.mark.django_db
def test_ready_rows_and_rows_sent_to_another_process_write_what_prepare_writes(cast) -> None:
    home = cast.home_of("admin_a")
    keys = ["id", "org_id", "region_code", "name", "sex", "birth_date", "id_number", "phone"]
    with transaction.atomic():
        ids = Ids(Person).take(2)
        table = Table(Person, keys)
        assert table.ready_columns == (*keys, "id_number_index", "phone_index")
        with pytest.raises(ValueError, match="9 values for 10 columns"):
            table.prepare_ready([(ids[0], home.pk, home.region_code, "甲", "F", "1940-05-06",
                                  "", "", None)])
        number = "41022119400506002X"
        ready = table.prepare_ready([(
            ids[0], home.pk, home.region_code, "就绪甲", "F",
            connection.ops.adapt_datefield_value(date(1940, 5, 6)),
            keyring().encrypt(number), "", blind_index(number, purpose="id_number"), None,
        )])
        table.write(table.restore(ready.portable()))  # as the importing process does
        reference = table.prepare([{
            "id": ids[1], "org_id": home.pk, "region_code": home.region_code, "name": "参照乙",
            "sex": "F", "birth_date": date(1940, 5, 6), "id_number": number, "phone": "",
        }])
        Person.objects.filter(pk=ids[0]).update(id_number_index=None)  # unique: make room
        table.write(reference)
    first, second = Person.objects.get(pk=ids[0]), Person.objects.get(pk=ids[1])
    assert first.id_number == second.id_number == number
    assert (first.birth_date, first.sex, first.phone) == (date(1940, 5, 6), "F", "")
    assert (first.version, first.photo.name, first.phone_index) == (1, "", None)
    assert second.id_number_index == blind_index(number, purpose="id_number")
