"""The demo shows the import history: a rejected file with its row errors, then the fix."""

from __future__ import annotations

from django.urls import reverse

from yiyang.interop.models import ImportJob
from yiyang.residents.models import OPEN_STATUSES, StayEventRecord


def test_the_demo_has_a_rejected_and_a_completed_import_in_home_a(cast) -> None:
    home = cast.home_of("admin_a")
    jobs = list(ImportJob.objects.filter(home=home).order_by("created_at"))
    assert [j.status for j in jobs[:2]] == ["rejected", "done"]
    rejected, done = jobs[:2]
    assert rejected.error_count == 2 and rejected.imported_rows == 0
    assert {column for _, column, _ in rejected.errors} == {"证件号码", "楼栋/房间号/床号"}
    assert done.imported_rows > 0 and rejected.payload == done.payload == b""
    imported = StayEventRecord.objects.filter(home=home, note="批量导入",
                                              stay__status__in=OPEN_STATUSES)
    assert imported.count() == done.imported_rows
    page = cast.browser("admin_a").get(reverse("interop:imports")).content.decode()
    assert rejected.file_name in page and done.file_name in page
