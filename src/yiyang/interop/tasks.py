"""Background work for imports (Huey). An upload is queued here and runs in the worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yiyang.interop import jobs


@db_task()
def run_import(job_id: int) -> None:
    jobs.run(job_id)


@db_periodic_task(crontab(minute="*/5"))
def expire_stale_imports() -> int:
    return jobs.expire_stale()
