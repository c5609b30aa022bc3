"""Writes of the interop app: starting and confirming imports, and the audited exports."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.interop import exports, jobs, tasks, workbooks
from yiyang.interop.models import ImportJob
from yiyang.orgs.models import NursingHome

durable = transaction.atomic(durable=True)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _home(actor: Actor) -> NursingHome:
    if actor.org_kind != OrgKind.HOME:
        raise ValidationFailed("not_a_home", "只有养老机构可以导入入住老年人")
    return get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=actor.org_id)


@durable
def _create_job(actor: Actor, home: NursingHome, file_name: str, data: bytes,
                dry_run: bool) -> ImportJob:
    job = ImportJob.objects.create(
        home=home, region_code=home.region_code, dry_run=dry_run, file_name=file_name[:200],
        file_size=len(data), file_sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor.display_name or actor.username, membership_id=actor.membership_id)
    jobs.seal(job, data)
    job.save(update_fields=["payload"])
    audit.record(actor, "interop.import.upload", job, changes={
        "file": [None, job.file_name], "size": [None, job.file_size],
        "dry_run": [None, dry_run]})
    return job


def _check_upload(file_name: str, data: bytes) -> None:
    if not file_name.lower().endswith(EXCEL_SUFFIXES):
        raise ValidationFailed("bad_file", "请上传 Excel 文件（.xlsx / .xls / .ods）", field="file")
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ValidationFailed(
            "too_large", f"文件超过 {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB，请分批导入",
            field="file")
    if not data:
        raise ValidationFailed("empty", "文件是空的", field="file")


def start_import(*, actor: Actor, file_name: str, data: bytes,
                 dry_run: bool = True) -> ImportJob:
    """Store the upload (encrypted) as a job and queue it; the worker checks and imports."""
    require(actor, Perm.ADMIT_RESIDENTS)
    home = _home(actor)
    _check_upload(file_name, data)
    job = _create_job(actor, home, file_name, data, dry_run)
    tasks.run_import(job.pk)  # after commit: the worker must see the job
    job.refresh_from_db()
    return job


def import_now(*, actor: Actor, file_name: str, data: bytes, dry_run: bool = False) -> ImportJob:
    """The same job run in this process (the demo builder, scripts), not in the worker."""
    require(actor, Perm.ADMIT_RESIDENTS)
    home = _home(actor)
    _check_upload(file_name, data)
    return jobs.run(_create_job(actor, home, file_name, data, dry_run).pk)


def import_from_command_line(*, home_code: str, file_name: str, data: bytes,
                             dry_run: bool) -> ImportJob:
    """`yiyang import residents FILE --home CODE`: the same job, run here and now."""
    home = NursingHome.objects.filter(credit_code=home_code.strip().upper()).first()
    if home is None:
        raise ValidationFailed("unknown_home", f"没有统一社会信用代码为 {home_code} 的养老机构",
                               field="home")
    actor = jobs.command_line_actor(home.pk, home.region_code)
    _check_upload(file_name, data)
    job = _create_job(actor, home, file_name, data, dry_run)
    return jobs.run(job.pk)


@durable
def _confirm(actor: Actor, job_id: int) -> ImportJob:
    job = get_visible_or_404(ImportJob.objects.select_for_update(), actor, Action.CHANGE,
                             pk=job_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    if job.status != ImportJob.Status.CHECKED:
        raise Conflict(f"该导入任务当前为“{job.get_status_display()}”，不能确认导入",
                       code="not_checked")
    job.dry_run, job.status, job.membership_id = False, ImportJob.Status.QUEUED, \
        actor.membership_id
    job.save(update_fields=["dry_run", "status", "membership_id", "updated_at"])
    audit.record(actor, "interop.import.confirm", job, changes={"rows": [None, job.total_rows]})
    return job


def confirm_import(*, actor: Actor, job_id: int) -> ImportJob:
    """After a clean dry run: import the same file (checked again, since time has passed)."""
    job = _confirm(actor, job_id)
    tasks.run_import(job.pk)
    job.refresh_from_db()
    return job


# ---- exports ----------------------------------------------------------------------------------

def _stamp(today: date) -> str:
    return today.strftime("%Y%m%d")


@durable
def export_residents(*, actor: Actor) -> tuple[str, bytes]:
    """The home's residents in the import template, with full ID and phone numbers: needs the
    reveal permission, and is audited like a reveal."""
    home = _home(actor)
    require(actor, Perm.REVEAL_PERSONAL_DATA)
    rows = exports.resident_rows(actor, home.pk)
    audit.record(actor, "interop.export.residents", home, changes={"rows": [None, len(rows)]})
    return f"{home.name}-入住老年人-{_stamp(timezone.localdate())}.xlsx", \
        workbooks.residents_workbook(rows)


@durable
def export_register(*, actor: Actor) -> tuple[str, bytes]:
    """The key-population register as the actor sees it (a home its own, a regulator its
    region); ID numbers masked unless the actor may reveal them."""
    full = actor.can(Perm.REVEAL_PERSONAL_DATA)
    sheets = exports.register_sheets(actor, full_ids=full)
    audit.record(actor, "interop.export.register", None, object_org_id=actor.org_id,
                 object_type="residents.register", object_repr="重点人群登记表",
                 changes={"rows": [None, len(sheets[1][2])], "full_ids": [None, full]})
    return f"{actor.org_name}-重点人群登记-{_stamp(timezone.localdate())}.xlsx", \
        workbooks.table_workbook("重点人群分类登记", sheets)
