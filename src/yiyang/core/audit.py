"""The audit trail, written explicitly by services inside their transaction (STYLE "writes")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from yiyang.core.models import AuditEvent
from yiyang.core.scope import Actor

REDACTED = "（已加密，不记录明文）"


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # an uploaded file is audited by its stored name
        return value.name or ""
    return value


def _is_secret(field: models.Field) -> bool:
    return bool(getattr(field, "encrypted", False))


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Current values of the concrete, editable fields (encrypted ones redacted)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.primary_key or field.name in {"created_at", "updated_at"}:
            continue
        value = getattr(obj, field.attname)
        out[field.name] = REDACTED if _is_secret(field) and value else _plain(value)
    return out


def created(obj: models.Model) -> dict[str, Any]:
    return {name: [None, value] for name, value in snapshot(obj).items() if value not in ("", None)}


@cache
def _created_fields(model: type[models.Model]) -> tuple[tuple[str, str, bool], ...]:
    """(name, attname, secret) of the fields `created()` reports, in model order."""
    return tuple(
        (f.name, f.attname, _is_secret(f))
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in {"created_at", "updated_at"}
    )


_AS_IS = frozenset({str, int, bool, float})  # types `_plain` returns unchanged


def created_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """`created()` for a row given as a dict of attnames (rows written without instances)."""
    get, as_is = values.get, _AS_IS
    return {
        name: [None, REDACTED if secret else value if type(value) in as_is else _plain(value)]
        for name, attname, secret in _created_fields(model)
        if (value := get(attname)) is not None and value != ""
    }


def row_values(
    actor: Actor,
    action: str,
    *,
    model: type[models.Model],
    object_id: int,
    object_repr: str,
    object_org_id: int | None,
    region_code: str,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """An audit row as a dict, for writing with `core.bulk_insert` (no model instance)."""
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "membership_id": actor.membership_id,
        "org_id": actor.org_id,
        "region_code": region_code or actor.region_code,
        "action": action,
        "object_type": model._meta.label_lower,
        "object_id": str(object_id),
        "object_repr": object_repr[:200],
        "object_org_id": object_org_id,
        "changes": changes,
        "ip": actor.ip,
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields that changed; secrets show only that they did."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v or v == REDACTED}


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    object_org_id: int | None = None,
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """One audit row in the caller's transaction. `object_org_id` defaults from the object."""
    event = build(
        actor,
        action,
        obj,
        changes=changes,
        object_org_id=object_org_id,
        object_type=object_type,
        object_repr=object_repr,
    )
    event.save()
    return event


def build(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    object_org_id: int | None = None,
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """An unsaved audit row, for services that write many rows at once (`bulk_create`)."""
    if obj is not None and object_org_id is None:
        object_org_id = _owner_org_id(obj)
    return AuditEvent(
        user_id=actor.user_id,
        username=actor.username,
        membership_id=actor.membership_id,
        org_id=actor.org_id,
        region_code=getattr(obj, "region_code", "") or actor.region_code,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        object_org_id=object_org_id,
        changes=changes or {},
        ip=actor.ip,
    )


def _owner_org_id(obj: models.Model) -> int | None:
    spec = getattr(type(obj), "scope", None)
    if spec is None:
        return None
    if not spec.owner:
        return obj.pk
    target: Any = obj
    parts = spec.owner.split("__")
    for part in parts[:-1]:
        target = getattr(target, part)
    last = parts[-1]
    return getattr(target, last if last.endswith("_id") else f"{last}_id")


# Chinese names for audit actions; each app registers its own in AppConfig.ready().
ACTION_LABELS: dict[str, str] = {"core.reveal": "查看完整个人信息"}


def describe(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def label_of(action: str) -> str:
    return ACTION_LABELS.get(action, action)
