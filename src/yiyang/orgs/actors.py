"""Building the `Actor` from a membership: once per request or API call."""

from __future__ import annotations

from collections.abc import Callable

from yiyang.core.permissions import OrgKind, permissions_for
from yiyang.core.scope import Actor
from yiyang.orgs.models import Membership
from yiyang.regions.rules import Level, scope_prefix

# Apps above orgs (agreements) register how a medical institution finds its partner homes;
# orgs cannot import them (layers), so they plug in here from their AppConfig.ready().
PartnerResolver = Callable[[int], set[int]]
_partner_resolvers: list[PartnerResolver] = []


def register_partner_resolver(resolver: PartnerResolver) -> None:
    if resolver not in _partner_resolvers:
        _partner_resolvers.append(resolver)


def partner_home_ids(institution_id: int) -> frozenset[int]:
    found: set[int] = set()
    for resolver in _partner_resolvers:
        found |= resolver(institution_id)
    return frozenset(found)


def actor_for(membership: Membership, *, ip: str | None = None) -> Actor:
    org = membership.org
    region = org.region
    prefix = (
        region.scope_prefix or scope_prefix(region.code, Level(region.level))
        if org.kind == OrgKind.REGULATOR
        else org.region_code
    )
    return Actor(
        user_id=membership.user_id,
        username=membership.user.username,
        display_name=str(membership.user),
        membership_id=membership.pk,
        org_id=org.pk,
        org_kind=org.kind,
        org_name=org.name,
        role=membership.role,
        region_code=org.region_code,
        region_prefix=prefix,
        permissions=permissions_for(membership.role),
        partner_home_ids=(partner_home_ids(org.pk) if org.kind == OrgKind.MEDICAL else frozenset()),
        ip=ip,
    )
