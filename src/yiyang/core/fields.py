"""Encrypted model fields and their blind indexes (DESIGN "Data scope")."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models

from yiyang.core.crypto import KeyRing


@cache
def keyring() -> KeyRing:
    return KeyRing.from_specs(settings.FIELD_KEY, settings.FIELD_KEYS_OLD, settings.INDEX_KEY)


def blind_index(value: str, *, purpose: str) -> str:
    return keyring().blind_index(value, purpose=purpose)


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python, SM4-GCM ciphertext in the database.

    Only `isnull` can be looked up: equality on ciphertext never matches (random nonce), so
    exact search goes through the companion `BlindIndexField`.
    """

    encrypted = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value in (None, ""):
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return keyring().encrypt(value)

    def get_lookup(self, lookup_name: str):  # type: ignore[no-untyped-def]
        if lookup_name != "isnull":
            raise FieldError(f"加密字段 {self.name} 只能用盲索引查询，不支持 {lookup_name}")
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of the normalised plaintext of `source`, recomputed on every save."""

    def __init__(
        self,
        *args: Any,
        source: str,
        purpose: str,
        normalize: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source, self.purpose, self.normalize = source, purpose, normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["purpose"] = self.source, self.purpose
        # Always explicit: CharField leaves out db_index=False (its default), and __init__
        # would then turn the index back on when a migration or a clone rebuilds the field.
        kwargs["db_index"] = self.db_index
        return name, path, args, kwargs

    def index_of(self, plaintext: str | None) -> str | None:
        if not plaintext:
            return None
        value = self.normalize(plaintext) if self.normalize else plaintext
        return blind_index(value, purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
