"""Demo history: a few weeks of real service calls, so the audit trail is not empty.

Runs after `build_demo_orgs`, through the services (so every row is checked and audited like a
user's), then dates the resulting audit rows back over the past weeks. Idempotent: does nothing
when the demo already has history.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.orgs import services
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Bed, Building, Membership


def _actor(username: str):  # type: ignore[no-untyped-def]
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership, ip="10.41.2.15")


def build_demo_history() -> int:
    """Returns the number of audit rows written (0 when the history already exists)."""
    if AuditEvent.objects.filter(action__startswith="orgs.").exists():
        return 0
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    admin_a, admin_c = _actor("admin_a"), _actor("admin_c")

    building = Building.objects.filter(home_id=admin_a.org_id).order_by("id").first()
    services.update_building(actor=admin_a, building_id=building.pk, version=building.version,
                             note="2026 年完成适老化改造，加装扶手和呼叫器")
    bed = Bed.objects.filter(home_id=admin_a.org_id).order_by("-id").first()
    services.update_bed(actor=admin_a, bed_id=bed.pk, version=bed.version, is_active=False)
    carer = Membership.objects.get(user__username="care_a1")
    services.update_staff(actor=admin_a, membership_id=carer.pk, version=carer.version,
                          title="护理员（失智照护专区）")
    nurse = Membership.objects.get(user__username="nurse_a")
    services.update_staff(actor=admin_a, membership_id=nurse.pk, version=nurse.version,
                          title="护士（夜班组长）")
    services.reveal_phone(actor=admin_a, membership_id=nurse.pk)
    home_c = Membership.objects.get(user__username="admin_c").org
    services.update_organisation(actor=admin_c, org_id=home_c.pk, version=home_c.version,
                                 phone="0371-24981234")

    # Spread the rows over the past five weeks, oldest first, at working hours.
    events = list(AuditEvent.objects.filter(id__gt=start).order_by("id"))
    now = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
    for i, event in enumerate(events):
        event.at = now - timedelta(days=35 - i * 6, hours=-(i % 4))
    AuditEvent.objects.bulk_update(events, ["at"])
    return len(events)
