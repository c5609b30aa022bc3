"""Sampling-round pages: the rotation of a home (today's proposal, recording, completion per
day), the completion of a region's homes for regulators, marking a county's local case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.errors import Forbidden
from yiyang.core.forms import submit, submit_and_flash
from yiyang.core.permissions import OrgKind, Perm
from yiyang.orgs.middleware import actor_of

from . import readiness_forms as forms
from . import sampling_queries as sq
from . import sampling_services as ss


def _choices(h: sq.HomeSampling) -> list[tuple[str, str]]:
    proposed = {s.key for s in h.proposal}
    first = [(s.key, s.name) for s in h.proposal]
    return first + [(s.key, s.name) for s in h.subjects if s.key not in proposed]


def sampling(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context: dict = {"today": timezone.localdate(), "marks": list(sq.marks(actor)[:20])}
    if actor.org_kind == OrgKind.HOME:
        h = sq.home_sampling(actor, actor.org_id)
        context["h"] = h
        context["can_record"] = actor.can(Perm.MANAGE_INFECTION_READINESS)
        if h is not None:
            form = forms.SamplesForm(request.POST or None, choices=_choices(h),
                                     initial={"subjects": [s.key for s in h.proposal]})
            if request.method == "POST" and submit(form, ss.record_samples, actor=actor):
                return redirect("infection:sampling")
            context["form"] = form
            context["proposed_keys"] = {s.key for s in h.proposal}
            day_ids = dict(sq.sampling_days(actor, home_id=actor.org_id)
                           .values_list("day", "pk"))
            context["days"] = [(c, day_ids.get(c.day)) for c in reversed(h.days)]
        return render(request, "infection/sampling.html", context,
                      status=400 if request.method == "POST" else 200)
    context["homes"] = sq.region_sampling(actor)
    context["can_mark"] = actor.org_kind == OrgKind.REGULATOR and actor.can(
        Perm.MANAGE_REGIONAL_READINESS)
    context["mark_form"] = forms.MarkForm()
    context["my_org"] = actor.org_id
    return render(request, "infection/sampling_region.html", context)


@require_POST
def mark(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not actor.can(Perm.MANAGE_REGIONAL_READINESS):
        raise Forbidden()
    submit_and_flash(request, forms.MarkForm(request.POST), ss.mark_local_case,
                     "已标记本县出现本土病例：辖区养老机构须完成一次全员核酸检测", actor=actor)
    return redirect("infection:sampling")


@require_POST
def end_mark(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    sq.mark(actor, pk)  # 404 unless visible
    submit_and_flash(request, forms.EndMarkForm(request.POST), ss.end_local_case,
                     "已解除本土病例标记", actor=actor, mark_id=pk)
    return redirect("infection:sampling")


def sampling_day(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    day = sq.sampling_day(actor, pk)
    samples = sq.samples_of(day)
    return render(request, "infection/sampling_day.html", {
        "d": day, "samples": samples, "outside": [s for s in samples if not s.from_proposal],
        "missed": len(set(day.proposed) - {s.subject for s in samples})})
