"""Shell pages: login, dashboard, switching membership, the audit trail. Thin."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from yiyang.core.errors import Forbidden, NotFound
from yiyang.core.paging import paginate
from yiyang.core.permissions import Perm, require
from yiyang.orgs import services as org_services
from yiyang.orgs.actors import actor_for
from yiyang.orgs.auth import client_ip
from yiyang.orgs.middleware import SESSION_KEY
from yiyang.orgs.queries import memberships_of
from yiyang.web import queries


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if actor is None:
        return render(request, "web/no_membership.html", status=403)
    return render(request, f"web/dashboard_{actor.org_kind}.html", queries.dashboard_for(actor))


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("membership_id", "")
    membership = next((m for m in memberships_of(request.user) if str(m.pk) == wanted), None)
    if membership is None:
        raise NotFound("该任职不存在或已停用")
    request.session[SESSION_KEY] = membership.pk
    org_services.record_switch(actor=actor_for(membership, ip=client_ip(request)))
    return redirect("web:dashboard")


def audit_log(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if actor is None:
        raise Forbidden()
    require(actor, Perm.VIEW_AUDIT)
    events = queries.audit_events(actor, action=request.GET.get("action") or None)
    page = paginate(request, events)
    template = "web/_audit_rows.html" if request.htmx else "web/audit.html"
    return render(request, template, {"page": page, "action": request.GET.get("action", "")})
