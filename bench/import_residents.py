"""Import throughput against a plain python-calamine read of the same file (issue: resident
records, "Performance"). Both are measured in this run, on this machine; the figure reported
is the ratio of rates, import rate / read rate (goal >= 0.2).

    .venv/bin/python bench/import_residents.py [ROWS]      (default 200000)

Runs on its own SQLite database in a temporary data directory (or DATABASE_URL if set, which
must be an empty database), never on the demo's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main(rows: int) -> None:
    data_dir = tempfile.mkdtemp(prefix="yiyang-bench-")
    os.environ["YIYANG_DATA_DIR"] = data_dir
    os.environ.pop("YIYANG_TESTING", None)
    setup(rows)
    # Both measurements run in a fresh process, from the state a running system is in: the
    # setup's bulk writes checkpointed out of the WAL (SQLite does so every 1,000 pages), and
    # none of the setup's objects (200,000 row dicts, bed instances) in the heap that the
    # import's worker is forked from.
    try:
        subprocess.run([sys.executable, __file__, "--measure", str(rows)], check=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)  # a 200,000-row run leaves ~400 MB


def setup(rows: int) -> None:
    """Migrate the database of YIYANG_DATA_DIR (or DATABASE_URL), add a home with `rows`
    free beds, and write the workbook `residents.xlsx` of `rows` residents next to it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yiyang.core.identifiers import id_check_digit
    from yiyang.demo.orgs import build_demo_orgs
    from yiyang.interop import workbooks
    from yiyang.orgs.models import Bed, Building, NursingHome, Room
    from yiyang.regions.services import load_regions

    data_dir = os.environ["YIYANG_DATA_DIR"]
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions()
    build_demo_orgs()
    home = NursingHome.objects.order_by("id").first()
    building = Building.objects.create(home=home, region_code=home.region_code, name="压测楼")
    per_room = 100
    rooms = Room.objects.bulk_create(
        Room(home=home, region_code=home.region_code, building=building, number=str(10000 + r))
        for r in range((rows + per_room - 1) // per_room))
    Bed.objects.bulk_create((Bed(home=home, region_code=home.region_code, room=room,
                                 label=str(b + 1)) for room in rooms for b in range(per_room)),
                            batch_size=5000)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "秀英桂兰玉珍凤芝淑华建国志强德明"
    start = date(1925, 1, 1)
    lines = []
    for i in range(rows):
        body = f"410221{start + timedelta(days=i // 900):%Y%m%d}{i % 900 + 1:03d}"
        lines.append({
            "name": surnames[i % 20] + given[(i * 7) % 16] + given[(i * 13) % 16],
            "id_number": body + id_check_digit(body), "building": "压测楼",
            "room": str(10000 + i // per_room), "bed": str(1 + i % per_room),
            "admitted_on": date(2026, 1, 1) + timedelta(days=i % 300),
            "phone": f"139{i:08d}", "contact_name": "家属", "contact_relation": "子女",
            "contact_phone": f"138{i:08d}"})
    data = workbooks.residents_workbook(lines)
    path = Path(data_dir) / "residents.xlsx"
    path.write_bytes(data)
    print(f"setup: {rows} rows, {len(data) / 1e6:.1f} MB, {time.perf_counter() - t:.1f} s")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def measure(rows: int) -> None:
    """The baseline read and the import, both in this process, on `main`'s setup."""
    os.environ.pop("YIYANG_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyang.settings")
    import django

    django.setup()
    from python_calamine import CalamineWorkbook

    from yiyang.interop import jobs, services
    from yiyang.interop.models import ImportJob
    from yiyang.orgs.models import NursingHome
    from yiyang.residents.models import Person

    home = NursingHome.objects.order_by("id").first()
    path = Path(os.environ["YIYANG_DATA_DIR"]) / "residents.xlsx"
    data = path.read_bytes()

    # Baseline: python-calamine reading every cell of the same file.
    t = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    cells = sum(len(r) for r in book.get_sheet_by_name(book.sheet_names[0]).iter_rows())
    read = time.perf_counter() - t
    print(f"calamine read: {read:.2f} s ({rows / read:,.0f} rows/s, {cells:,} cells)")
    del book  # its cells, hundreds of MB, are not the import's

    # The import end to end: decrypt the stored upload, validate, check the database,
    # encrypt, insert persons, stays, profiles, events, contacts, classifications, audit
    # (reading, checking and building rows in a forked worker: interop.import_pipeline).
    job = services.import_from_command_line(home_code=home.credit_code, file_name=path.name,
                                            data=data, dry_run=True)
    job.dry_run, job.status = False, ImportJob.Status.QUEUED
    job.save(update_fields=["dry_run", "status"])
    import resource

    t, cpu = time.perf_counter(), time.process_time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        job = profiler.runcall(jobs.run, job.pk)
        order = os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        pstats.Stats(profiler).sort_stats(order).print_stats(30)
    else:
        job = jobs.run(job.pk)
    spent, cpu = time.perf_counter() - t, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the forked worker, once reaped
    worker = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert job.status == ImportJob.Status.DONE, (job.status, job.message, job.errors[:5])
    assert Person.objects.filter(org=home).count() == rows
    # CPU seconds of this process (all its threads) and of the import's forked worker
    # (interop.import_pipeline): less sensitive than the wall time to other work on a shared
    # machine, though not immune (caches, hyperthreads).
    print(f"import: {spent:.2f} s ({rows / spent:,.0f} rows/s), CPU {cpu:.2f} s here "
          f"+ {worker:.2f} s worker = {cpu + worker:.2f} s")
    print(f"ratio import/read rate: {read / spent:.3f} (goal >= 0.2)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else 200_000)
