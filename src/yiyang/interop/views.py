"""Import and export pages. Thin: parse, call a service, render; the work runs in the worker."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiyang.core.downloads import content_disposition
from yiyang.core.errors import DomainError, Forbidden
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Actor
from yiyang.interop import forms, jobs, queries, services, workbooks
from yiyang.interop.models import ImportJob
from yiyang.orgs.middleware import actor_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _home_actor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("只有养老机构可以导入导出入住老年人")
    return actor


def _download(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(name)
    return response


def imports(request: HttpRequest) -> HttpResponse:
    """Upload form and the home's import history."""
    actor = _home_actor(request)
    require(actor, Perm.ADMIT_RESIDENTS)
    posted = request.method == "POST"
    form = forms.UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.start_import(actor=actor, file_name=upload.name, data=upload.read(),
                                        dry_run=form.cleaned_data["dry_run"])
        except DomainError as exc:
            if exc.status not in (400, 409):
                raise
            form.add_error("file", exc.message)
        else:
            return redirect("interop:import_job", job_id=job.pk)
    page = paginate(request, queries.import_jobs(actor))
    return render(request, "interop/imports.html", {
        "form": form, "page": page, "can_export": actor.can(Perm.REVEAL_PERSONAL_DATA)},
        status=400 if form.is_bound and form.errors else 200)


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    return queries.import_job(actor_of(request), job_id)


def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    errors = Paginator(job.errors, 50).get_page(request.GET.get("page"))
    return render(request, "interop/job.html", {
        "job": job, "progress": jobs.progress_of(job), "errors": errors,
        "can_confirm": job.status == ImportJob.Status.CHECKED
        and actor_of(request).can(Perm.ADMIT_RESIDENTS)})


def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by the page while the job runs; asks the page to reload once it has finished."""
    job = _job(request, job_id)
    response = render(request, "interop/_progress.html",
                      {"job": job, "progress": jobs.progress_of(job)})
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        services.confirm_import(actor=actor_of(request), job_id=job_id)
    except DomainError as exc:
        if exc.status != 409:
            raise
        messages.error(request, exc.message)
    return redirect("interop:import_job", job_id=job_id)


def residents_template(request: HttpRequest) -> HttpResponse:
    actor_of(request)
    return _download("入住老年人导入模板.xlsx", workbooks.residents_template())


@require_POST
def residents_export(request: HttpRequest) -> HttpResponse:
    name, data = services.export_residents(actor=_home_actor(request))
    return _download(name, data)


@require_POST
def register_export(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if actor.org_kind not in (OrgKind.HOME, OrgKind.REGULATOR):
        raise Forbidden("重点人群登记表由养老机构和主管部门导出")
    name, data = services.export_register(actor=actor)
    return _download(name, data)
