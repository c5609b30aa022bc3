"""Sets `request.actor` from the session's active membership (pages; the API uses tokens)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yiyang.core.errors import Forbidden
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.auth import client_ip
from yiyang.orgs.queries import active_membership

SESSION_KEY = "yiyang_membership_id"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        if not request.path.startswith(("/api/", "/fhir/", "/static/")):
            user = request.user
            if user.is_authenticated:
                membership = active_membership(user, request.session.get(SESSION_KEY))
                if membership is not None:
                    request.actor = actor_for(membership, ip=client_ip(request))  # type: ignore[attr-defined]
        return self.get_response(request)


def actor_of(request: HttpRequest) -> Actor:
    """The page user's actor; 403 for a login without an active membership."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Forbidden("您的账号还没有有效的机构任职")
    return actor
