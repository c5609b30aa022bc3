"""The shape every versioned update takes inside a service's transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from yiyang.core import audit
from yiyang.core.scope import Action, Actor, ensure_visible
from yiyang.core.versioning import bump

M = TypeVar("M", bound=models.Model)


def save_changes(actor: Actor, obj: M, version: int | None, data: dict[str, Any],
                 action: str) -> M:
    """Claim `version`, apply `data`, save, check the row is still in scope, audit the diff."""
    before = audit.snapshot(obj)
    bump(obj, version)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.save()
    ensure_visible(obj, actor, Action.CHANGE)
    audit.record(actor, action, obj, changes=audit.diff(before, audit.snapshot(obj)))
    return obj
