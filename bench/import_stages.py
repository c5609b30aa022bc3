"""Where an import's time goes: `import_residents.py`'s run, with wall and thread-CPU seconds
per stage, for the process that holds the transaction and for the forked worker that reads,
checks and builds rows (`interop.import_pipeline`; the worker writes its totals to a file the
parent prints), and SQLite INSERT CPU per table (bench/README.md, fourth round).

    .venv/bin/python bench/import_stages.py [ROWS] [--profile]

The setup (database with ROWS free beds, the workbook) is built once and kept in
/tmp/yiyang-stages-ROWS; each run imports into a fresh copy of it. With --profile, cProfile
tables of the worker's row building and of the INSERTs follow. Measures the code on
`sys.path`; `PYTHONPATH=<other checkout>/src` measures another version on the same setup if
it has the same stages (the third round's version of this file measured the one-process
import)."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _setup(rows: int, data_dir: str) -> None:
    """Copy the cached setup into data_dir, building it first if needed (needs Django)."""
    cache = Path(tempfile.gettempdir()) / f"yiyang-stages-{rows}"
    if (cache / "done").exists():
        for f in cache.iterdir():
            if f.is_file() and f.name != "done":
                shutil.copy(f, data_dir)
        return
    # import_residents.setup, on this data directory.
    os.environ["YIYANG_DATA_DIR"] = data_dir
    runpy.run_path(str(HERE / "import_residents.py"))["setup"](rows)
    cache.mkdir(exist_ok=True)
    for f in Path(data_dir).iterdir():
        if f.is_file() and not f.name.endswith(("-wal", "-shm")):
            shutil.copy(f, cache)
    (cache / "done").touch()


def main(rows: int, profile: bool) -> None:
    data_dir = tempfile.mkdtemp(prefix="yiyang-stages-run-")
    os.environ["YIYANG_DATA_DIR"] = data_dir
    os.environ.pop("YIYANG_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyang.settings")
    import django

    cached = (Path(tempfile.gettempdir()) / f"yiyang-stages-{rows}" / "done").exists()
    if cached:
        _setup(rows, data_dir)  # before Django opens the database
    django.setup()
    if not cached:
        _setup(rows, data_dir)

    import cProfile
    import pstats

    from python_calamine import CalamineWorkbook

    from yiyang.core import bulk_insert
    from yiyang.interop import import_pipeline, jobs, resident_import, services
    from yiyang.interop.models import ImportJob
    from yiyang.orgs.models import NursingHome
    from yiyang.residents import bulk_admission

    path = Path(data_dir) / "residents.xlsx"
    data = path.read_bytes()
    t = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    sum(len(r) for r in book.get_sheet_by_name(book.sheet_names[0]).iter_rows())
    read = time.perf_counter() - t
    del book  # as import_residents.measure: its cells are not the import's
    home = NursingHome.objects.order_by("id").first()
    job = services.import_from_command_line(
        home_code=home.credit_code, file_name=path.name, data=data, dry_run=True
    )
    job.dry_run, job.status = False, ImportJob.Status.QUEUED
    job.save(update_fields=["dry_run", "status"])

    stages: dict[str, list[float]] = {}
    tables: dict[str, float] = {}
    profiles: dict[str, cProfile.Profile] = {}

    def wrap(owner: Any, name: str, around: Callable[[Callable[..., Any]], Any]) -> None:
        setattr(owner, name, around(getattr(owner, name)))

    @contextmanager
    def clock(key: str) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            spent = stages.setdefault(key, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.thread_time() - cpu

    def timed(key: str) -> Callable[[Callable[..., Any]], Any]:
        def around(real: Callable[..., Any]) -> Any:
            def run(*args: Any, **kwargs: Any) -> Any:
                with clock(key):
                    return real(*args, **kwargs)

            return run

        return around

    def profiled(key: str) -> Callable[[Callable[..., Any]], Any]:
        prof = profiles[key] = cProfile.Profile()

        def around(real: Callable[..., Any]) -> Any:
            def run(*args: Any, **kwargs: Any) -> Any:
                prof.enable()
                try:
                    return real(*args, **kwargs)
                finally:
                    prof.disable()

            return run

        return around

    def timed_context(key: str) -> Callable[[Callable[..., Any]], Any]:
        def around(real: Callable[..., Any]) -> Any:
            @contextmanager
            def run(*args: Any, **kwargs: Any) -> Any:
                with clock(key), real(*args, **kwargs):
                    yield

            return run

        return around

    def per_table(real: Callable[..., Any]) -> Any:
        def run(self: Any, prepared: Any) -> Any:
            cpu = time.thread_time()
            try:
                return real(self, prepared)
            finally:
                name = self.model.__name__
                tables[name] = tables.get(name, 0.0) + time.thread_time() - cpu

        return run

    worker_report = Path(data_dir) / "worker-stages.json"

    def report_from_worker(real: Callable[..., Any]) -> Any:
        # Runs in the forked worker: its stage totals live in its own copy of `stages`.
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return real(*args, **kwargs)
            finally:
                worker_report.write_text(json.dumps(stages))
                for key, prof in profiles.items():
                    if key.startswith("worker"):
                        prof.dump_stats(str(Path(data_dir) / f"{key}.prof"))

        return run

    if profile:
        wrap(bulk_admission.Builder, "build", profiled("worker: row building"))
        wrap(bulk_admission, "_write_chunk", profiled("inserts"))
    wrap(resident_import.RowStream, "__init__", timed("worker: calamine read"))
    wrap(bulk_admission.Builder, "build", timed("worker: row building"))
    wrap(Connection, "send", timed("pipe send, with pickling"))
    wrap(Connection, "recv", timed("pipe recv, with unpickling and waiting"))
    wrap(import_pipeline._Worker, "run", timed("worker: all"))
    wrap(import_pipeline._Worker, "run", report_from_worker)
    wrap(bulk_admission, "registered", timed("database check of ID numbers"))
    wrap(bulk_admission._Writer, "complete", timed("contacts built here"))
    wrap(bulk_admission.Builder, "finish_contacts", timed("worker: contacts built there"))
    wrap(bulk_admission.Importer, "setup", timed("setup: beds, first ids"))
    wrap(bulk_admission, "_write_chunk", timed("SQLite inserts"))
    wrap(bulk_admission.Importer, "transaction", timed_context("transaction, with commit"))
    wrap(import_pipeline, "run", timed("import_pipeline.run"))
    wrap(bulk_insert.Table, "write", per_table)

    t, cpu = time.perf_counter(), time.process_time()
    job = jobs.run(job.pk)
    spent, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert job.status == ImportJob.Status.DONE, (job.status, job.message)
    worker = json.loads(worker_report.read_text())
    worker_cpu = sum(c for k, (_, c) in worker.items() if k == "worker: all")
    print(
        f"{rows} rows: read {read:.2f} s, import {spent:.2f} s, ratio {read / spent:.3f}, "
        f"load {os.getloadavg()[0]:.1f}; CPU: this process {cpu:.2f} s, worker ≈ {worker_cpu:.2f} s"
    )
    print("  this process (holds the transaction)")
    for key, (wall, thread_cpu) in stages.items():
        print(f"    {key:40s} {wall:7.2f} s wall {thread_cpu:7.2f} s thread CPU")
    print("    INSERT CPU per table:", ", ".join(f"{k} {v:.2f}" for k, v in tables.items()))
    print("  worker process (reads, checks, builds rows)")
    for key, (wall, thread_cpu) in worker.items():
        if key.startswith(("worker", "pipe send")):
            print(f"    {key:40s} {wall:7.2f} s wall {thread_cpu:7.2f} s thread CPU")
    for key, prof in profiles.items():
        print(f"===== {key}")
        if key.startswith("worker"):
            pstats.Stats(str(Path(data_dir) / f"{key}.prof")).sort_stats("tottime").print_stats(18)
        else:
            pstats.Stats(prof).sort_stats("tottime").print_stats(18)
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 200_000, "--profile" in sys.argv)
