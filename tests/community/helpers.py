"""Shared set-up of the community tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.security.cross_org_community import new_id_number
from yiyang.community import services
from yiyang.community.models import LedgerEntry
from yiyang.core.scope import Actor
from yiyang.orgs.models import Bed
from yiyang.residents.models import OPEN_STATUSES

__all__ = ["free_bed", "list_one", "new_id_number"]


def list_one(actor: Actor, **changes: Any) -> LedgerEntry:
    data: dict[str, Any] = {
        "name": "韩秀荣", "id_number": new_id_number(), "living": "alone",
        "guardian_name": "韩建军", "guardian_relation": "儿子",
        "guardian_phone": "13912345678",
        "listed_on": timezone.localdate() - timedelta(days=40)}
    data.update(changes)
    return services.list_person(actor=actor, **data)


def free_bed(home_id: int) -> Bed:
    return (Bed.objects.filter(home_id=home_id, is_active=True)
            .exclude(stays__status__in=OPEN_STATUSES).order_by("pk").first())
