"""Staff training (seed 002 §五) and TCM techniques (§十一) pages: an institution records and
reads its own, with its coverage against the target; a regulator reads its region's. Thin:
parse, call a service or a query, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.forms import form_errors, submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.middleware import actor_of

from . import training_forms as f
from . import training_queries as q
from . import training_rules as tr
from . import training_services as services
from .indicators.training import STAFF_TRAINING, STAFF_TRAINING_MEDICAL
from .views import serve_evidence

_OWN_KINDS = (OrgKind.HOME, OrgKind.MEDICAL)


def _coverage(actor: Actor) -> dict | None:  # type: ignore[type-arg]
    """The actor's own institution's training coverage now, with the people behind it."""
    if actor.org_kind not in _OWN_KINDS:
        return None
    ind = STAFF_TRAINING if actor.org_kind == OrgKind.HOME else STAFF_TRAINING_MEDICAL
    today = timezone.localdate()
    value = ind.compute([actor.org_id], today).get(actor.org_id)
    records = ind.records(actor, actor.org_id, today)
    return {"indicator": ind, "value": value, "rate": ind.figure(value) if value else None,
            "records": records, "window": tr.training_window(today),
            "untrained": value.denominator - value.numerator if value else 0}


def _trainings_page(request: HttpRequest, actor: Actor, form: f.TrainingForm | None = None,
                    status: int = 200) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in dict(tr.TRAINING_KINDS):
        kind = ""
    page = paginate(request, q.courses(actor, kind=kind))
    can_record = q.can_record(actor)
    if can_record and form is None:
        form = f.TrainingForm(staff=q.staff_choices(actor))
    return render(request, "compliance/training/list.html", {
        "page": page, "kind": kind, "kinds": tr.TRAINING_KINDS,
        "form": form if can_record else None, "coverage": _coverage(actor),
        "show_org": actor.org_kind == OrgKind.REGULATOR}, status=status)


def training_list(request: HttpRequest) -> HttpResponse:
    return _trainings_page(request, actor_of(request))


@require_POST
def training_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    services.institution_of(actor)  # 403 before anything for those who may not record
    form = f.TrainingForm(request.POST, request.FILES, staff=q.staff_choices(actor))
    course = submit(form, services.record_training, actor=actor)
    if course:
        messages.success(request, f"已登记培训：{course.title}")
        return redirect("compliance:training", course.pk)
    return _trainings_page(request, actor, form=form, status=400)


def training(request: HttpRequest, pk: int) -> HttpResponse:
    item = q.course(actor_of(request), pk)
    return render(request, "compliance/training/detail.html", {
        "course": item, "attendance": list(item.attendance.all())})


def training_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_evidence(q.course(actor_of(request), pk).certificate)


# ---- TCM techniques -----------------------------------------------------------------------------

def _techniques_page(request: HttpRequest, actor: Actor, form: f.TechniqueForm | None = None,
                     status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    show_stopped = request.GET.get("all") == "1"
    qs = q.techniques(actor, current_on=None if show_stopped else today)
    page = paginate(request, qs)
    can_record = q.can_record(actor)
    if can_record and form is None:
        form = f.TechniqueForm(staff=q.staff_choices(actor))
    summary = None
    if actor.org_kind in _OWN_KINDS:
        offered = list(q.techniques(actor, org_id=actor.org_id, current_on=today)
                       .values_list("technique", "category"))
        items = {t for t, _ in offered}
        types = sorted({c for _, c in offered}, key=list(tr.TCM_TYPES).index)
        summary = {"items": len(items), "types": len(types),
                   "type_labels": [tr.TCM_TYPES[c] for c in types],
                   "meets": tr.meets_4_types_6_items(items)}
    return render(request, "compliance/training/techniques.html", {
        "page": page, "form": form if can_record else None, "summary": summary,
        "show_stopped": show_stopped, "show_org": actor.org_kind == OrgKind.REGULATOR,
        "today": today, "min_types": tr.MIN_TYPES, "min_items": tr.MIN_ITEMS}, status=status)


def technique_list(request: HttpRequest) -> HttpResponse:
    return _techniques_page(request, actor_of(request))


@require_POST
def technique_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    services.institution_of(actor)
    form = f.TechniqueForm(request.POST, staff=q.staff_choices(actor))
    row = submit(form, services.add_technique, actor=actor)
    if row:
        messages.success(request, f"已登记：{row.get_technique_display()}")
        return redirect("compliance:tcm_techniques")
    return _techniques_page(request, actor, form=form, status=400)


def technique(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = q.technique(actor, pk)
    can_stop = (q.can_record(actor) and item.org_id == actor.org_id
                and item.stopped_on is None)
    return render(request, "compliance/training/technique.html", {
        "item": item, "form": f.StopTechniqueForm(initial={"version": item.version})
        if can_stop else None})


@require_POST
def technique_stop(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = q.technique(actor, pk)
    form = f.StopTechniqueForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("compliance:tcm_technique", item.pk)
    submit_and_flash(request, form, services.stop_technique, "已记录停止开展", actor=actor,
                     technique_id=item.pk)
    return redirect("compliance:tcm_technique", item.pk)
