"""Reads for the shell: what each kind of organisation sees first after logging in."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from yiyang.agreements import queries as agreement_queries
from yiyang.compliance import dashboard_report
from yiyang.core.models import AuditEvent
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Actor
from yiyang.orgs import queries
from yiyang.regions.models import Region


def home_dashboard(actor: Actor) -> dict[str, Any]:
    home = queries.homes(actor).get(pk=actor.org_id)
    buildings = list(queries.buildings(actor, home_id=home.pk))
    counts = queries.facility_counts(actor, home.pk)
    return {
        **_cooperation(actor),
        "home": home,
        "counts": counts,
        "staff_count": queries.staff(actor, org_id=home.pk).filter(is_active=True).count(),
        "chart": {
            "title": "各楼栋床位数",
            "categories": [b.name for b in buildings],
            "series": [{"name": "床位", "data": [b.bed_count for b in buildings]}],
        },
    }


def regulator_dashboard(actor: Actor) -> dict[str, Any]:
    orgs = queries.organisations(actor)
    by_kind = {row["kind"]: row["n"] for row in orgs.values("kind").annotate(n=Count("id"))}
    homes = queries.homes(actor)
    totals = homes.aggregate(
        capacity=Sum("bed_capacity"),
        integrated=Count("pk", filter=Q(is_integrated=True)),
        with_unit=Count("pk", filter=Q(has_medical_unit=True)),
    )
    # Homes per county inside the region: county = first 6 digits of the row's code.
    per_county: dict[str, int] = {}
    for code in homes.values_list("region_code", flat=True):
        per_county[code[:6]] = per_county.get(code[:6], 0) + 1
    names = dict(Region.objects.filter(code__in=per_county).values_list("code", "name"))
    return {
        "indicators": dashboard_report.headline_cards(actor),
        "by_kind": [(OrgKind(k).label, by_kind.get(k, 0)) for k in OrgKind.values],
        "totals": totals,
        "home_count": by_kind.get(OrgKind.HOME, 0),
        "chart": {
            "title": "辖区养老机构分布（按县区）",
            "categories": [names.get(c, c) for c in sorted(per_county)],
            "series": [{"name": "养老机构", "data": [per_county[c] for c in sorted(per_county)]}],
        },
    }


def medical_dashboard(actor: Actor) -> dict[str, Any]:
    partners = queries.homes(actor).filter(pk__in=actor.partner_home_ids)
    return {"partners": list(partners), **_cooperation(actor)}


def _cooperation(actor: Actor) -> dict[str, Any]:
    """This week's patrol visits and the open referrals of the actor's agreements."""
    return {"patrols_due": agreement_queries.patrols_due(actor, timezone.localdate()),
            "open_referrals": list(agreement_queries.open_referrals(actor)[:20])}


def community_dashboard(actor: Actor) -> dict[str, Any]:
    nearby = queries.organisations(actor).exclude(pk=actor.org_id)
    return {"nearby": list(nearby.select_related("region")[:50])}


BUILDERS = {
    OrgKind.HOME: home_dashboard,
    OrgKind.REGULATOR: regulator_dashboard,
    OrgKind.MEDICAL: medical_dashboard,
    OrgKind.COMMUNITY: community_dashboard,
}


def dashboard_for(actor: Actor) -> dict[str, Any]:
    context = BUILDERS[actor.org_kind](actor)
    if actor.can(Perm.VIEW_AUDIT):
        context["recent_events"] = list(AuditEvent.objects.visible_to(actor)[:8])
    return context


def audit_events(actor: Actor, *, action: str | None = None):  # type: ignore[no-untyped-def]
    qs = AuditEvent.objects.visible_to(actor)
    return qs.filter(action__startswith=action) if action else qs
