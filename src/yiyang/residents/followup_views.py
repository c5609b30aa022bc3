"""Follow-up pages (REFERENCE §1.5): the home's schedule, recording a follow-up, the home's
intervals, and the follow-up part of the resident's page. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from yiyang.core.errors import Forbidden
from yiyang.core.forms import submit
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor
from yiyang.orgs.middleware import actor_of
from yiyang.residents import followup_forms as forms
from yiyang.residents import followup_queries as queries
from yiyang.residents import followup_rules, followup_services
from yiyang.residents import queries as resident_queries
from yiyang.residents.models import Person, Stay
from yiyang.residents.rules import Category, StayStatus, is_open


def _own_home(actor: Actor) -> int:
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("随访计划由养老机构维护")
    return actor.org_id


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def schedule(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = _own_home(actor)
    today = timezone.localdate()
    iv = queries.intervals(actor, home_id)
    f = forms.FollowUpFilterForm(request.GET or None)
    wanted = f.cleaned_data if f.is_valid() else {}
    rows = queries.schedule(actor, home_id, iv, today=today,
                            category=wanted.get("category") or "",
                            overdue_only=bool(wanted.get("overdue")))
    page = paginate(request, rows)
    for row in page.object_list:
        row.follow_up = followup_rules.follow_up_state(
            interval_days=iv[Category(row.category)], since=row.since, last_on=row.last_on,
            today=today)
    context = {"filter": f, "page": page, "today": today,
               "can_record": actor.can(Perm.EDIT_HEALTH_RECORDS),
               "here": request.get_full_path()}
    if request.htmx:
        return render(request, "residents/_follow_up_rows.html", context)
    tiers = queries.tier_counts(actor, home_id, iv, today=today)
    return render(request, "residents/follow_ups.html", {
        **context, "tiers": tiers, "overdue_total": sum(t.overdue for t in tiers),
        "can_set_policy": actor.can(Perm.MANAGE_ORG_PROFILE)})


def record(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id, Action.CHANGE)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    now = timezone.localtime()
    form = forms.FollowUpForm(request.POST or None, initial={
        "done_on": now.date(), "done_time": now.time().replace(second=0, microsecond=0),
        "method": "phone"})
    back = _next(request, reverse("residents:follow_ups"))
    if request.method == "POST":
        done = submit(form, followup_services.record_follow_up, actor=actor,
                      person_id=person.pk)
        if done:
            messages.success(request, f"已登记 {person.name} 的随访")
            for sign in done.referral_signs:
                messages.warning(request, sign)
            return redirect(back)
    return render(request, "residents/follow_up_form.html", {
        "form": form, "person": person, "back": back, "history":
        queries.follow_ups_of(actor, person, limit=5)}, status=400 if form.is_bound else 200)


def _policy_form(category: Category, policy, data=None):  # type: ignore[no-untyped-def]
    if policy is None:
        initial = {"mode": "default"}
    elif policy.interval_days is None:
        initial = {"mode": "none", "version": policy.version}
    else:
        initial = {"mode": "days", "interval_days": policy.interval_days,
                   "version": policy.version}
    return forms.FollowUpPolicyForm(data, initial={"category": category.value, **initial},
                                    auto_id=f"id_{category.value}_%s")


def policy(request: HttpRequest) -> HttpResponse:
    """One small form per category; a post saves that category alone."""
    actor = actor_of(request)
    home_id = _own_home(actor)
    require(actor, Perm.MANAGE_ORG_PROFILE)
    own = queries.policies(actor, home_id)
    posted = None
    if request.method == "POST":
        category = Category(request.POST.get("category", "")) \
            if request.POST.get("category") in {c.value for c in Category} else None
        if category is None:
            messages.error(request, "人群分类无效")
            return redirect("residents:follow_up_policy")
        posted = _policy_form(category, own.get(category.value), request.POST)
        # None is also the answer for "back to the default": success is a form without errors.
        submit(posted, followup_services.set_follow_up_policy, actor=actor, home_id=home_id)
        if not posted.errors:
            messages.success(request, f"{category.label}的随访间隔已保存")
            return redirect("residents:follow_up_policy")
    iv = queries.intervals(actor, home_id, own)
    defaults = followup_rules.effective_intervals()
    rows = []
    for c in sorted(Category, key=lambda c: -c.severity):
        mine = posted if posted is not None and posted["category"].value() == c.value else None
        rows.append({"category": c, "form": mine or _policy_form(c, own.get(c.value)),
                     "default_label": followup_rules.interval_label(defaults[c]),
                     "current_label": followup_rules.interval_label(iv[c]),
                     "own": c.value in own})
    return render(request, "residents/follow_up_policy.html", {"rows": rows},
                  status=400 if posted is not None else 200)


def detail_context(actor: Actor, person: Person, current: Stay | None) -> dict[str, Any]:
    """The follow-up part of the resident's page: history, and the state of the open stay."""
    state = None
    if current is not None and is_open(StayStatus(current.status)):
        state = queries.current_stay_status(actor, current, today=timezone.localdate())
    can = (actor.can(Perm.EDIT_HEALTH_RECORDS) and current is not None
           and current.home_id == actor.org_id and state is not None)
    return {"follow_ups": queries.follow_ups_of(actor, person), "follow_up_state": state,
            "can_record_follow_up": can}
