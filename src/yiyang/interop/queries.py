"""Reads of import jobs, always through `visible_to(actor)`."""

from __future__ import annotations

from django.db.models import QuerySet

from yiyang.core.scope import Actor, get_visible_or_404
from yiyang.interop.models import ImportJob


def import_jobs(actor: Actor) -> QuerySet[ImportJob]:
    """The history list: without the stored file, the errors or the preview."""
    return ImportJob.objects.visible_to(actor).defer("payload", "errors", "preview")


def import_job(actor: Actor, job_id: int) -> ImportJob:
    return get_visible_or_404(ImportJob.objects.defer("payload"), actor, pk=job_id)
