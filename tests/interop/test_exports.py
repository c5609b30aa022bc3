"""The template, the residents export (which re-imports) and the register export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from yiyang.core.errors import Forbidden
from yiyang.core.models import AuditEvent
from yiyang.interop import resident_import, services
from yiyang.interop.resident_columns import HEADERS, SHEET
from yiyang.residents import bulk_admission
from yiyang.residents.models import OPEN_STATUSES, KeyPopulationRecord, Stay


def _sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_template_has_the_headers_and_instructions(cast) -> None:
    response = cast.browser("nurse_a").get(reverse("interop:residents_template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheets = _sheets(response.content)
    assert tuple(sheets[SHEET][0]) == HEADERS
    assert any("文本格式" in line[0] for line in sheets["填写说明"])


def test_the_residents_export_reimports_cleanly_as_far_as_the_file_goes(cast) -> None:
    actor = cast.actor("admin_a")
    open_stays = Stay.objects.filter(home_id=actor.org_id, status__in=OPEN_STATUSES)
    name, data = services.export_residents(actor=actor)
    assert name.endswith(".xlsx") and "入住老年人" in name
    rows = _sheets(data)[SHEET]
    assert len(rows) - 1 == open_stays.count() > 0
    # ID numbers come back as text, intact, and every row passes the file checks...
    from django.utils import timezone
    parsed = resident_import.parse(data, today=timezone.localdate())
    assert parsed.errors == [] and len(parsed.admissions) == open_stays.count()
    ids = {s.person.id_number for s in open_stays.select_related("person")}
    assert {a.id_number for a in parsed.admissions} == ids
    # ...while the database checks refuse it all: the people exist and the beds are taken
    problems = bulk_admission.check(open_stays.first().home, parsed.admissions)
    assert {p.row for p in problems if p.field == "id_number"} == \
        {a.row for a in parsed.admissions}
    assert AuditEvent.objects.filter(action="interop.export.residents",
                                     username="admin_a").exists()


def test_the_full_export_needs_the_reveal_permission(cast) -> None:
    with pytest.raises(Forbidden):
        services.export_residents(actor=cast.actor("nurse_a"))
    response = cast.browser("nurse_a").post(reverse("interop:residents_export"))
    assert response.status_code == 403
    assert cast.browser("officer_x").post(reverse("interop:residents_export")).status_code == 403


def test_the_register_export_counts_and_masks(cast) -> None:
    actor = cast.actor("nurse_a")
    _, data = services.export_register(actor=actor)
    sheets = _sheets(data)
    current = KeyPopulationRecord.objects.filter(
        is_current=True, person__stays__home_id=actor.org_id,
        person__stays__status__in=OPEN_STATUSES).distinct()
    listed = sheets["名单"][1:]
    assert len(listed) == current.count() > 0
    assert sheets["汇总"][-1][0] == "合计" and sheets["汇总"][-1][-1] == current.count()
    red = current.filter(category="red").count()
    assert sheets["汇总"][-1][1] == red  # first category column is 红色
    assert all("*" in r[3] for r in listed if r[3])  # nurse_a may not reveal: masked


def test_the_register_export_of_a_regulator_covers_its_county_only(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    response = cast.browser("officer_x").post(reverse("interop:register_export"))
    assert response.status_code == 200
    homes = {r[0] for r in _sheets(response.content)["名单"][1:]}
    assert home_a.name in homes and home_c.name not in homes
    assert cast.browser("doctor_d").post(reverse("interop:register_export")).status_code == 403


def test_the_export_runs_a_fixed_number_of_queries(cast) -> None:
    actor = cast.actor("admin_a")
    with CaptureQueriesContext(connection) as ctx:
        services.export_residents(actor=actor)
    # a few queries for the home, the stays with people/profiles/beds, contacts, the audit row
    assert len(ctx.captured_queries) <= 8
