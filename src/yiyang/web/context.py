"""Template context for the shell: the actor, the role's menu, the memberships to switch to."""

from __future__ import annotations

from django.http import HttpRequest

from yiyang.core.permissions import OrgKind, Role
from yiyang.orgs.queries import memberships_of
from yiyang.web.navigation import menu_groups_for


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None, "menu_groups": []}
    return {
        "actor": actor,
        "menu_groups": menu_groups_for(actor),
        "role_label": Role(actor.role).label,
        "kind_label": OrgKind(actor.org_kind).label,
        # Evaluated only where the template shows the switcher.
        "memberships": lambda: list(memberships_of(request.user)),
    }
