"""Optimistic locking: a save that names a stale version is refused (HTTP 409 / form error)."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from yiyang.core.errors import Conflict


def bump(obj: models.Model, expected_version: int | None) -> None:
    """Claim the row at `expected_version` and advance it; call inside the write transaction.

    The conditional UPDATE takes the row lock first, so of two nurses saving the same version
    exactly one wins, on SQLite and PostgreSQL alike.
    """
    if expected_version is None:
        raise Conflict("缺少版本号，请刷新后再提交", code="version_required")
    claimed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if claimed != 1:
        raise Conflict()
    obj.version = expected_version + 1  # type: ignore[attr-defined]
