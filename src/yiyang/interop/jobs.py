"""Running an import job: read and check the file, then (unless it is a dry run) admit every row
in one transaction. Called by the Huey worker for uploads and directly by the command line.

The job row is updated only between phases, outside the import transaction; progress within a
phase goes to the "progress" cache so the page can show it while the transaction is open.
A killed worker rolls the transaction back, so a job is either fully imported or not at all;
`expire_stale` marks such a job as failed once its heartbeat stops.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import caches
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import DomainError
from yiyang.core.fields import keyring
from yiyang.core.gcpause import cyclic_gc_paused
from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Actor, system_actor
from yiyang.interop import import_pipeline, resident_import
from yiyang.interop.models import MAX_STORED_ERRORS, ImportJob
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents import bulk_admission

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 2.0  # at most one progress write per this many seconds
STALE_AFTER = timedelta(minutes=15)


def _associated(job: ImportJob) -> bytes:
    # Binds the ciphertext to its job, so a payload copied onto another job does not decrypt.
    return f"import-job:{job.pk}:{job.file_sha256}".encode()


def seal(job: ImportJob, data: bytes) -> None:
    job.payload = keyring().encrypt_bytes(data, associated=_associated(job))


def unseal(job: ImportJob) -> bytes:
    data = keyring().decrypt_bytes(job.payload, associated=_associated(job))
    if hashlib.sha256(data).hexdigest() != job.file_sha256:
        raise DomainError("payload_mismatch", "导入文件校验失败，请重新上传")
    return data


# ---- progress -------------------------------------------------------------------------------


def _key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def progress_of(job: ImportJob) -> dict[str, Any]:
    """{"phase", "done", "total", "percent", "at"} for the page's progress bar."""
    stored = caches["progress"].get(_key(job.pk)) or {}
    total = stored.get("total") or job.total_rows or 0
    done = stored.get("done", 0)
    if job.status == ImportJob.Status.DONE:
        done = total
    percent = int(done * 100 / total) if total else 0
    return {
        "phase": stored.get("phase", job.get_status_display()),
        "done": done,
        "total": total,
        "percent": min(percent, 100),
        "at": stored.get("at"),
    }


class _Ticker:
    """Writes progress to the cache, throttled so 200,000 rows are not 200,000 writes."""

    def __init__(self, job: ImportJob, phase: str, total: int) -> None:
        self.job_id, self.phase, self.total, self.last = job.pk, phase, total, 0.0
        self(0, force=True)

    def __call__(self, done: int, *, force: bool = False, total: int | None = None) -> None:
        now = time.monotonic()
        if total is not None:
            self.total, force = total, True
        if force or now - self.last >= HEARTBEAT_SECONDS:
            self.last = now
            caches["progress"].set(
                _key(self.job_id),
                {
                    "phase": self.phase,
                    "done": done,
                    "total": self.total,
                    "at": timezone.now().isoformat(),
                },
            )


# ---- the run --------------------------------------------------------------------------------


def actor_of(job: ImportJob) -> Actor:
    """The uploader's actor; a command-line job acts as the platform for that home."""
    membership = (
        Membership.objects.select_related("org__region", "user")
        .filter(pk=job.membership_id, is_active=True)
        .first()
        if job.membership_id
        else None
    )
    if membership is not None:
        return actor_for(membership)
    return command_line_actor(job.home_id, job.region_code)


def command_line_actor(home_id: int, region_code: str) -> Actor:
    """Whoever runs `yiyang import` on the server already holds the database; the import is
    audited as the command line, with only the permission it needs."""
    base = system_actor(home_id, OrgKind.HOME, region_code)
    return replace(
        base,
        username="命令行导入",
        display_name="命令行导入",
        permissions=frozenset({Perm.ADMIT_RESIDENTS}),
    )


def _save(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _errors_json(errors: list[resident_import.RowError]) -> list[list[Any]]:
    return [[e.row, e.column, e.message] for e in errors[:MAX_STORED_ERRORS]]


def run(job_id: int) -> ImportJob:
    """Check the file; import it unless the job is a dry run. Never raises for bad data:
    the outcome is the job's status, errors and message."""
    job = ImportJob.objects.select_related("home").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job  # already run (a retried task) or cancelled
    actor = actor_of(job)
    _save(job, status=ImportJob.Status.CHECKING, started_at=timezone.now())
    with cyclic_gc_paused():  # millions of live objects, no cycles among them (core.gcpause)
        return _check_and_import(job, actor)


def _check_and_import(job: ImportJob, actor: Actor) -> ImportJob:
    try:
        data = unseal(job)
    except DomainError as exc:
        _finish(job, actor, ImportJob.Status.REJECTED, message=exc.message)
        return job
    if job.dry_run:
        return _dry_run(job, actor, data)
    return _import(job, actor, data)


def _dry_run(job: ImportJob, actor: Actor, data: bytes) -> ImportJob:
    """Check every row, against the database too, so that every problem is listed at once;
    write nothing. (Confirming runs every check again, under the home's lock.)"""
    try:
        parsed = resident_import.parse(
            data, today=timezone.localdate(), progress=_Ticker(job, "校验文件", 0)
        )
    except DomainError as exc:
        _finish(job, actor, ImportJob.Status.REJECTED, message=exc.message)
        return job
    parsed.add_problems(bulk_admission.check(job.home, parsed.admissions))
    _save(
        job,
        total_rows=parsed.total_rows,
        error_count=len(parsed.errors),
        errors=_errors_json(parsed.errors),
        preview=resident_import.preview(parsed.admissions),
    )
    if parsed.errors:
        _reject(job, actor)
        return job
    _save(
        job,
        status=ImportJob.Status.CHECKED,
        message=f"全部 {parsed.total_rows} 行校验通过，确认后导入",
    )
    return job


def _import(job: ImportJob, actor: Actor, data: bytes) -> ImportJob:
    """Check and write in one pass (`import_pipeline`): all rows, or none and every problem."""
    _save(job, status=ImportJob.Status.IMPORTING)
    ticker = _Ticker(job, "校验并写入", job.total_rows or 0)
    try:
        outcome = import_pipeline.run(
            actor=actor,
            home_id=job.home_id,
            data=data,
            today=timezone.localdate(),
            progress=ticker,
            source={"import_job": job.pk},  # named in each chunk's audit row
        )
    except resident_import.FileRejected as exc:
        _finish(job, actor, ImportJob.Status.REJECTED, message=exc.message)
        return job
    except DomainError as exc:
        _finish(job, actor, ImportJob.Status.FAILED, message=exc.message)
        return job
    except Exception:
        # The transaction has rolled back: say so on the job, keep the traceback in the log.
        logger.exception("import job %s failed", job.pk)
        _finish(
            job,
            actor,
            ImportJob.Status.FAILED,
            message="导入时发生系统错误，没有写入任何数据；请稍后重试或联系管理员",
        )
        return job
    _save(
        job,
        total_rows=outcome.total_rows,
        error_count=len(outcome.errors),
        errors=_errors_json(outcome.errors),
        preview=outcome.preview,
    )
    if outcome.errors:  # bad rows, beds taken, ID numbers on record (perhaps since a dry run)
        _reject(job, actor)
        return job
    ticker(outcome.imported, force=True)
    _finish(
        job,
        actor,
        ImportJob.Status.DONE,
        imported_rows=outcome.imported,
        message=f"已导入 {outcome.imported} 位老人",
    )
    return job


def _reject(job: ImportJob, actor: Actor) -> None:
    _finish(
        job,
        actor,
        ImportJob.Status.REJECTED,
        message=f"{job.error_count} 处错误，整个文件未导入",
    )


def _finish(job: ImportJob, actor: Actor, status: str, **fields: Any) -> None:
    """Terminal states drop the file: nothing personal is kept longer than needed."""
    _save(job, status=status, payload=b"", finished_at=timezone.now(), **fields)
    audit.record(
        actor,
        "interop.import.finish",
        job,
        changes={
            "status": [None, status],
            "rows": [None, job.total_rows],
            "imported": [None, job.imported_rows],
            "errors": [None, job.error_count],
        },
    )


def expire_stale(now: Any = None) -> int:
    """Jobs whose worker died: their transaction rolled back, so say so and drop the file."""
    now = now or timezone.now()
    expired = 0
    running = ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING]
    )
    for job in running:
        beat = progress_of(job).get("at")
        last = max(filter(None, [job.updated_at, _parse(beat)]))
        if now - last > STALE_AFTER:
            actor = system_actor(job.home_id, OrgKind.HOME, job.region_code)
            _finish(
                job,
                actor,
                ImportJob.Status.FAILED,
                message="导入中断（后台进程已停止），没有写入任何数据，请重新导入",
            )
            expired += 1
    return expired


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
