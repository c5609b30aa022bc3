"""Assessment pages: the home's records and due list, the tablet questionnaire, the report (page
and PDF), a resident's history with its chart, triggers and the admission bundle.
Thin: parse, call a service or a query, render."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.errors import DomainError, Forbidden
from yiyang.core.forms import submit
from yiyang.core.masking import hides_personal_data
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor
from yiyang.orgs.middleware import actor_of
from yiyang.residents import queries as resident_queries

from . import annex, bundle_rules, queries, report, services
from . import forms as f
from .instruments import gbt42195, registry
from .instruments.base import Scale
from .models import Assessment


def _own_home(actor: Actor) -> int:
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("评估由养老机构开展")
    return actor.org_id


# ---- lists ----------------------------------------------------------------------------------


def assessment_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = _own_home(actor)
    flt = f.ListFilter(request.GET or None)
    wanted = flt.cleaned_data if flt.is_valid() else {}
    rows = queries.assessments(actor, home_id=home_id, instrument=wanted.get("instrument", ""),
                               status=wanted.get("status", ""))
    page = paginate(request, rows)
    scales = registry.scales()
    for record in page.object_list:
        record.scale_name = scales[record.instrument].name if record.instrument in scales \
            else record.instrument
    context = {"filter": flt, "page": page}
    if request.htmx:
        return render(request, "assessments/_rows.html", context)
    return render(request, "assessments/list.html", context)


def due(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    home_id = _own_home(actor)
    today = timezone.localdate()
    flt = f.DueFilter(request.GET or None)
    wanted = flt.cleaned_data if flt.is_valid() else {}
    rows = queries.due_list(actor, home_id, today=today,
                            instrument=wanted.get("instrument", ""),
                            overdue_only=bool(wanted.get("overdue")), q=wanted.get("q", ""))
    page = paginate(request, rows)
    context = {"filter": flt, "page": page, "today": today,
               "overdue": sum(1 for r in rows if r.due.overdue), "total": len(rows),
               "can_assess": actor.can(Perm.ASSESS)}
    if request.htmx:
        return render(request, "assessments/_due_rows.html", context)
    return render(request, "assessments/due.html", context)


# ---- start, fill, finalise ----------------------------------------------------------------


def start(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id, Action.CHANGE)
    require(actor, Perm.ASSESS)
    initial = {k: request.GET[k] for k in ("instrument", "reason") if k in request.GET}
    form = f.StartForm(request.POST or None, initial=initial)
    if request.method == "POST":
        record = submit(form, services.start, actor=actor, person_id=person.pk)
        if record:
            return redirect("assessments:detail", record.pk)
    return render(request, "assessments/start.html", {"form": form, "person": person},
                  status=400 if form.is_bound else 200)


# Some scales word their options "2 分：…"; the form shows the points in a column of its own.
_POINTS_PREFIX = re.compile(r"^\d+\s*分\s*[：:]\s*")


@dataclass
class QuestionView:
    code: str
    text: str
    hint: str
    options: list[dict[str, Any]]
    answer: int | None


@dataclass
class Group:
    name: str
    questions: list[QuestionView] = field(default_factory=list)


def _groups(scale: Scale, answers: dict[str, int]) -> list[Group]:
    groups: list[Group] = []
    for q in scale.questions:
        if not groups or groups[-1].name != q.group:
            groups.append(Group(q.group))
        groups[-1].questions.append(QuestionView(
            q.code, q.text, q.hint or getattr(_ability_item(scale, q.code), "description", ""),
            [{"value": o.value, "label": _POINTS_PREFIX.sub("", o.label), "points": o.score}
             for o in q.options],
            answers.get(q.code)))
    return groups


def _ability_item(scale: Scale, code: str) -> Any:
    return gbt42195.ITEMS.get(code) if scale.code == services.ABILITY else None


def _annex_sections(values: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
        (section, [{"field": fd, "value": values.get(fd.key)} for fd in annex.FIELDS
                   if fd.section == section])
        for section in annex.SECTIONS
    ]


def _progress(scale: Scale, record: Assessment, error: str = "") -> dict[str, Any]:
    required = [q for q in scale.questions if q.required]
    missing = scale.missing(record.answers)
    annex_missing = (annex.missing(record.context.get("annex", {}))
                     if scale.code == services.ABILITY else [])
    return {
        "answered": len(required) - len(missing),
        "required": len(required),
        "percent": round(100 * (len(required) - len(missing)) / max(len(required), 1)),
        "running_total": scale.running_total(record.answers) if scale.additive else None,
        "max_total": scale.max_total,
        "missing": missing,
        "annex_missing": annex_missing,
        "complete": not missing and not annex_missing,
        "error": error,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft opens as the questionnaire; a finalised record as its report."""
    actor = actor_of(request)
    record = queries.assessment(actor, pk)
    scale = registry.get(record.instrument)
    if record.is_final:
        return render(request, "assessments/report.html", {
            **report.context(record, scale, hide_personal=hides_personal_data(actor)),
            "correct_form": f.CorrectForm(),
            "can_assess": actor.can(Perm.ASSESS) and actor.org_id == record.home_id,
            "is_current": queries.is_current(record)})
    can_edit = actor.can(Perm.ASSESS) and actor.org_id == record.home_id
    finalise_form = f.FinaliseForm(
        initial={"version": record.version,
                 "informant_name": record.context.get("annex", {}).get("informant_name", "")},
        assessors=queries.second_assessors(actor, record.home_id),
        two_assessors=scale.code == services.ABILITY)
    return render(request, "assessments/fill.html", {
        "record": record, "scale": scale, "groups": _groups(scale, record.answers),
        "annex_sections": (_annex_sections(record.context.get("annex", {}))
                           if scale.code == services.ABILITY else []),
        "context_fields": [(cf, record.context.get(cf.name, "")) for cf in scale.context_fields]
        if scale.code != services.ABILITY else [],
        "conventions": list(scale.band_tables.values()),
        "convention": record.context.get("convention", scale.default_convention),
        "progress": _progress(scale, record), "finalise_form": finalise_form,
        "can_edit": can_edit})


def _posted_context(scale: Scale, post: QueryDict) -> dict[str, Any]:
    if scale.code == services.ABILITY:
        if "annex_form" not in post:
            return {}
        values: dict[str, Any] = {}
        for fd in annex.FIELDS:
            if fd.kind == "multi":
                values[fd.key] = post.getlist(fd.key)
            elif fd.kind == "bool":
                values[fd.key] = fd.key in post
            else:
                values[fd.key] = post.get(fd.key, "")
        return values
    names = [cf.name for cf in scale.context_fields] + (["convention"] if scale.band_tables
                                                         else [])
    return {name: post[name] for name in names if name in post}


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what the form holds (one tap at a time) and return the progress bar."""
    actor = actor_of(request)
    record = queries.assessment(actor, pk, Action.CHANGE)
    scale = registry.get(record.instrument)
    answers: dict[str, int | None] = {}
    for q in scale.questions:
        raw = request.POST.get(q.code)
        if raw is not None:
            try:
                answers[q.code] = int(raw) if raw != "" else None
            except ValueError:
                continue
    error = ""
    try:
        record = services.save_draft(actor=actor, assessment_id=record.pk, answers=answers)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        error = exc.message
    posted = _posted_context(scale, request.POST)
    if posted and not error:
        try:
            record = services.save_draft(actor=actor, assessment_id=record.pk, context=posted)
        except DomainError as exc:
            if exc.status not in (400, 409):
                raise
            error = exc.message
    return render(request, "assessments/_progress.html", {
        "record": record, "progress": _progress(scale, record, error), "scale": scale,
        "oob": True})


@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    record = queries.assessment(actor, pk, Action.CHANGE)
    scale = registry.get(record.instrument)
    form = f.FinaliseForm(request.POST, assessors=queries.second_assessors(actor, record.home_id),
                          two_assessors=scale.code == services.ABILITY)
    done = submit(form, services.finalise, actor=actor, assessment_id=record.pk)
    if done:
        messages.success(request, f"评估已完成：{done.outcome['summary']}")
        return redirect("assessments:detail", done.pk)
    for error in form.errors.values():
        messages.error(request, "；".join(error))
    return redirect("assessments:detail", record.pk)


@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    record = queries.assessment(actor, pk, Action.CHANGE)
    try:
        services.discard(actor=actor, assessment_id=record.pk,
                         version=int(request.POST.get("version") or 0) or None)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        messages.error(request, exc.message)
        return redirect("assessments:detail", record.pk)
    messages.success(request, "草稿已删除")
    return redirect("assessments:history", record.person_id)


@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    record = queries.assessment(actor, pk, Action.CHANGE)
    form = f.CorrectForm(request.POST)
    new = submit(form, services.correct, actor=actor, assessment_id=record.pk)
    if new:
        messages.info(request, f"已新建更正记录，原记录 {record.number} 保留")
        return redirect("assessments:detail", new.pk)
    for error in form.errors.values():
        messages.error(request, "；".join(error))
    return redirect("assessments:detail", record.pk)


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    export = report.export(actor=actor_of(request), assessment_id=pk)
    response = HttpResponse(export.pdf, content_type="application/pdf")
    response["Content-Disposition"] = export.disposition
    return response


# ---- a resident's history, triggers ---------------------------------------------------------


def history(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id)
    records = queries.history(actor, person.pk)
    drafts = list(queries.assessments(actor, person_id=person.pk,
                                      status=Assessment.Status.DRAFT))
    own = actor.org_kind == OrgKind.HOME and actor.can(Perm.ASSESS)
    return render(request, "assessments/history.html", {
        "person": person, "records": list(reversed(records)), "drafts": drafts,
        "chart": queries.history_chart(records) if records else None,
        "triggers": list(queries.triggers(actor, person.pk)[:20]),
        "can_assess": own and person.stay_home_id == actor.org_id,
    })


def trigger(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id, Action.CHANGE)
    require(actor, Perm.ASSESS)
    form = f.TriggerForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, services.report_trigger, actor=actor, person_id=person.pk)
        if done:
            messages.success(request, f"已登记{done.get_kind_display()}，相关评估已列入待评估")
            return redirect("assessments:history", person.pk)
    return render(request, "assessments/trigger.html", {"form": form, "person": person},
                  status=400 if form.is_bound else 200)


# ---- admission bundle ----------------------------------------------------------------------


def admission(request: HttpRequest, stay_id: int) -> HttpResponse:
    actor = actor_of(request)
    stay = queries.stay(actor, stay_id)
    bundle = queries.admission_of(actor, stay.pk)
    can = (actor.can(Perm.ASSESS) and actor.org_id == stay.home_id)
    if request.method == "POST":
        if not can:
            raise Forbidden()
        form = f.AdmissionForm(request.POST)
        if bundle is None:
            done = submit(form, lambda version=None, **data: services.start_admission(**data),
                          actor=actor, stay_id=stay.pk)
        else:
            done = submit(form, services.update_admission, actor=actor, bundle_id=bundle.pk)
        if done:
            messages.success(request, "入院评估已保存")
            return redirect("assessments:admission", stay.pk)
    else:
        form = f.AdmissionForm(initial={
            "version": bundle.version if bundle else None,
            "health_status": bundle.health_status if bundle else "",
            "service_needs": bundle.service_needs if bundle else [],
            "needs_note": bundle.needs_note if bundle else ""})
    parts = services.current_components(bundle) if bundle else {}
    scales = registry.scales()
    return render(request, "assessments/admission.html", {
        "stay": stay, "person": stay.person, "bundle": bundle, "form": form, "can": can,
        "parts": [(code, scales[code].name, parts.get(code)) for code in services.BUNDLE],
        "risks": [(key, label, (bundle.ratings or {}).get(key)) for key, label
                  in bundle_rules.RISKS] if bundle else [],
        "need_labels": [dict(bundle_rules.SERVICE_NEEDS).get(n, n)
                        for n in (bundle.service_needs if bundle else [])],
        "ability_level_name": gbt42195.LEVEL_NAMES.get(bundle.ability_level, "")
        if bundle and bundle.ability_level is not None else ""},
        status=400 if request.method == "POST" else 200)


def start_url(person_id: int, instrument: str, reason: str) -> str:
    return (reverse("assessments:start", args=[person_id])
            + f"?instrument={instrument}&reason={reason}")
