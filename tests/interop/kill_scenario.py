"""Helper process for `test_import_kill.py`, run as a script against its own data directory:

    python kill_scenario.py setup DATA_DIR ROWS   migrate, regions, demo orgs, ROWS free beds,
                                                  a clean workbook; prints "<credit code> <file>"
    python kill_scenario.py expire DATA_DIR       marks stale jobs failed (as an hour later);
                                                  prints "<expired> <persons> <job status>"
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path


def _django(data_dir: str) -> None:
    os.environ["YIYANG_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("YIYANG_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyang.settings")
    import django

    django.setup()


def setup(data_dir: str, rows: int) -> None:
    _django(data_dir)
    from django.core.management import call_command

    from yiyang.demo.orgs import build_demo_orgs
    from yiyang.orgs.models import Bed, Building, NursingHome, Room
    from yiyang.regions.services import load_regions

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.interop.workbook_helpers import id_number, row, workbook

    call_command("migrate", verbosity=0)
    load_regions()
    build_demo_orgs()
    home = NursingHome.objects.order_by("id").first()
    building = Building.objects.create(home=home, region_code=home.region_code, name="压测楼")
    per_room = 100
    beds = []
    for r in range(rows // per_room):
        room = Room.objects.create(home=home, region_code=home.region_code, building=building,
                                   number=str(1000 + r))
        beds.extend(Bed(home=home, region_code=home.region_code, room=room, label=str(b + 1))
                    for b in range(per_room))
    Bed.objects.bulk_create(beds, batch_size=2000)
    start = date(1930, 1, 1)
    lines = [row(f"压测{i}", id_number("410221", start + timedelta(days=i // 900), i % 900 + 1),
                 "压测楼", str(1000 + i // per_room), str(1 + i % per_room))
             for i in range(rows)]
    path = Path(data_dir) / "residents.xlsx"
    path.write_bytes(workbook(lines))
    print(home.credit_code, path)


def expire(data_dir: str) -> None:
    _django(data_dir)
    from django.utils import timezone

    from yiyang.interop import jobs
    from yiyang.interop.models import ImportJob
    from yiyang.residents.models import Person

    expired = jobs.expire_stale(timezone.now() + timedelta(hours=1))
    job = ImportJob.objects.latest("id")
    print(expired, Person.objects.count(), job.status)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], int(sys.argv[3]))
    else:
        expire(sys.argv[2])
