"""Authentication: the password backend (demo accounts only in demo mode) and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import ApiToken, User


def may_authenticate(user: User) -> bool:
    """Active, and if a demo persona then only while the server runs in demo mode."""
    return user.is_active and (not user.is_demo or settings.DEMO_MODE)


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: User) -> bool:  # type: ignore[override]
        return may_authenticate(user)


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR; we never trust X-Forwarded-For.
    return request.META.get("REMOTE_ADDR") or None


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` → `request.actor` acting through the token's membership."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("membership__user", "membership__org__region")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if found is None:
            return None
        membership = found.membership
        if not (membership.is_active and may_authenticate(membership.user)):
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = membership.user
        request.actor = actor_for(membership, ip=client_ip(request))  # type: ignore[attr-defined]
        return found
