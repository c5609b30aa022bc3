"""Encrypted columns in the database: ciphertext at rest, lookup only through the index."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from yiyang.core.fields import blind_index
from yiyang.orgs.models import User


@pytest.mark.django_db
def test_phone_is_stored_encrypted_and_found_by_blind_index() -> None:
    user = User.objects.create(username="enc_probe", phone="13912345678")
    with connection.cursor() as cur:
        cur.execute("SELECT phone, phone_index FROM orgs_user WHERE id = %s", [user.pk])
        stored, index = cur.fetchone()
    assert "13912345678" not in stored
    assert index == blind_index("13912345678", purpose="phone")
    assert User.objects.get(pk=user.pk).phone == "13912345678"
    found = User.objects.filter(phone_index=blind_index("13912345678", purpose="phone"))
    assert list(found) == [user]


@pytest.mark.django_db
def test_plain_lookup_on_an_encrypted_field_is_refused() -> None:
    with pytest.raises(FieldError, match="盲索引"):
        list(User.objects.filter(phone="13912345678"))


@pytest.mark.django_db
def test_index_follows_changes_and_blank_values() -> None:
    user = User.objects.create(username="enc_probe2", phone="13912345678")
    user.phone = ""
    user.save()
    user.refresh_from_db()
    assert user.phone_index is None
