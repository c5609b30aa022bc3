"""Importing residents from Excel: every bad row reported, all rows or none written."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.interop.workbook_helpers import id_number, new_building, row, workbook
from yiyang.core.errors import Conflict, Forbidden, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.interop import import_pipeline, jobs, services
from yiyang.interop.models import ImportJob
from yiyang.residents import bulk_admission
from yiyang.residents.models import (
    OPEN_STATUSES,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
)

QIXIAN = "410221"  # 杞县, county X


@pytest.fixture
def home_a(cast):  # type: ignore[no-untyped-def]
    home = cast.home_of("admin_a")
    new_building(home, "导入楼", rooms=3, beds_per_room=4)
    return home


def _import(cast, data: bytes, *, dry_run: bool = False, username: str = "admin_a"):  # type: ignore[no-untyped-def]
    return services.start_import(
        actor=cast.actor(username), file_name="老人.xlsx", data=data, dry_run=dry_run
    )


def _clean_rows(n: int) -> list[dict]:
    return [
        row(
            f"导入老人{i}",
            id_number(QIXIAN, date(1940, 1, 1 + i), 10 + i),
            "导入楼",
            str(101 + i // 4),
            str(1 + i % 4),
        )
        for i in range(n)
    ]


def _error_cells(job: ImportJob) -> set[tuple[int, str]]:
    return {(r, c) for r, c, _ in job.errors}


@pytest.mark.parametrize("worker", ["fork", "thread"])  # import_pipeline's two carriers
def test_a_clean_file_imports_every_row_with_stay_profile_classification_and_audit(
    cast, home_a, monkeypatch, worker
) -> None:
    monkeypatch.setattr(import_pipeline, "WORKER", worker)
    rows = _clean_rows(5)
    rows[0].update(
        {
            "联系电话": "13912345678",
            "失能等级": "重度失能",
            "过敏史": "青霉素",
            "紧急联系人": "王小红",
            "与老人关系": "女儿",
            "紧急联系人电话": "13800001234",
        }
    )
    audits = AuditEvent.objects.count()
    audits_max = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    job = _import(cast, workbook(rows))
    assert job.status == ImportJob.Status.DONE, job.message
    assert (job.total_rows, job.imported_rows, job.error_count) == (5, 5, 0)
    assert job.payload == b""  # the file is not kept once imported
    people = Person.objects.filter(name__startswith="导入老人", org=home_a)
    assert people.count() == 5
    first = people.get(name="导入老人0")
    assert first.id_number == rows[0]["证件号码"] and first.phone == "13912345678"
    # from the ID number: born 1940-01-01, serial 010 is even, so female (GB 11643)
    assert (first.birth_date, first.sex) == (date(1940, 1, 1), "F")
    stay = Stay.objects.get(person=first, status__in=OPEN_STATUSES)
    assert (stay.bed.room.building.name, stay.bed.room.number, stay.bed.label) == (
        "导入楼",
        "101",
        "1",
    )
    assert stay.admitted_on == date(2026, 10, 8)
    assert StayEventRecord.objects.filter(stay=stay, event="admit").count() == 1
    profile = HealthProfile.objects.get(person=first)
    assert (profile.disability_level, profile.allergies) == ("3", "青霉素")
    contact = Contact.objects.get(person=first)
    assert (contact.kind, contact.name, contact.phone) == ("emergency", "王小红", "13800001234")
    # Aged 86, no disease recorded, no vaccination: no row of REFERENCE §1.4 matches (G rows
    # stop at 79, Y2 needs a full course, R2 a disease), so the score decides.
    record = KeyPopulationRecord.objects.get(person=first, is_current=True)
    assert (record.band, record.disease, record.vaccination, record.basis) == (
        "80-89",
        "none",
        "none",
        "score",
    )
    # ... and it is exactly what the one-by-one admission would have stored
    from yiyang.residents import rules
    from yiyang.residents import services as resident_services

    inputs = resident_services.classification_inputs(first, record.classified_on)
    expected = rules.classify_key_population(
        age=inputs["age"], disease=inputs["disease"], vaccination=inputs["vaccination"]
    )
    assert (record.category, record.basis) == (expected.category.value, expected.basis)
    # one row for the chunk of 5 (bulk_admission.CHUNK is 2000), upload and finish for the job
    assert AuditEvent.objects.count() - audits == 1 + 2
    event = AuditEvent.objects.get(action="residents.import.admit", id__gt=audits_max)
    assert event.changes["import_job"] == job.pk
    assert sorted(event.changes["persons"]) == sorted(people.values_list("pk", flat=True))
    assert event.changes["stays"] == [
        Stay.objects.get(person_id=pk).pk for pk in event.changes["persons"]
    ]
    assert sorted(event.changes["key_population_records"]) == sorted(
        KeyPopulationRecord.objects.filter(person__in=people).values_list("pk", flat=True)
    )
    assert (event.object_type, event.object_org_id, event.username) == (
        "residents.person",
        home_a.pk,
        "admin_a",
    )


def test_every_imported_person_is_found_with_the_audit_row_that_created_them(
    cast, home_a, monkeypatch
) -> None:
    from yiyang.residents import queries

    monkeypatch.setattr(bulk_admission, "CHUNK", 2)
    job = _import(cast, workbook(_clean_rows(5)))
    assert job.status == ImportJob.Status.DONE, job.message
    chunks = list(
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION, changes__import_job=job.pk)
        .order_by("id")
    )
    assert [e.changes["count"] for e in chunks] == [2, 2, 1]
    assert [e.changes["chunk"] for e in chunks] == [1, 2, 3]
    people = Person.objects.filter(name__startswith="导入老人", org=home_a).order_by("pk")
    assert people.count() == 5
    for person in people:
        trail = queries.audit_events_of_person(cast.actor("admin_a"), person)
        created = [e for e in trail if e.action == bulk_admission.AUDIT_ACTION]
        assert len(created) == 1, person.name
        assert person.pk in created[0].changes["persons"]
        assert created[0].changes["import_job"] == job.pk
        # ... and no other chunk's row claims them
        assert sum(person.pk in e.changes["persons"] for e in chunks) == 1
    # a later change to the person shows up next to it, newest first
    from yiyang.residents import services as resident_services

    person = people.first()
    resident_services.update_person(
        actor=cast.actor("admin_a"), person_id=person.pk, version=person.version,
        address="河南省开封市杞县城关镇",
    )
    trail = queries.audit_events_of_person(cast.actor("admin_a"), person)
    assert [e.action for e in trail][:2] == ["residents.person.update", bulk_admission.AUDIT_ACTION]
    # another home's staff read none of it
    assert queries.audit_events_of_person(cast.actor("nurse_c"), person) == []


@pytest.mark.parametrize("worker", ["fork", "thread"])  # import_pipeline's two carriers
def test_bad_rows_import_nothing_and_each_is_listed_with_row_column_and_reason(
    cast, home_a, monkeypatch, worker
) -> None:
    monkeypatch.setattr(import_pipeline, "WORKER", worker)
    existing = Person.objects.filter(org=home_a, id_number_index__isnull=False).first()
    good = id_number(QIXIAN, date(1941, 2, 3), 21)
    rows = [
        row("好人", good, "导入楼", "101", "1"),  # row 2: fine
        row("校验码错", good[:-1] + ("0" if good[-1] != "0" else "1"), "导入楼", "101", "2"),
        row("数字格式", float(id_number(QIXIAN, date(1942, 3, 4), 33)), "导入楼", "101", "3"),
        row("重复", good, "导入楼", "101", "4"),  # row 5
        row("已建档", existing.id_number, "导入楼", "102", "1"),  # row 6
        row("没有床", id_number(QIXIAN, date(1943, 4, 5), 45), "导入楼", "999", "1"),
        row("", id_number(QIXIAN, date(1944, 5, 6), 57), "导入楼", "102", "2"),  # row 8
        row("同床", id_number(QIXIAN, date(1945, 6, 7), 69), "导入楼", "101", "1"),
        row(
            "电话错",
            id_number(QIXIAN, date(1946, 7, 8), 71),
            "导入楼",
            "102",
            "3",
            联系电话="12345",
        ),
        row(
            "日期错",
            id_number(QIXIAN, date(1947, 8, 9), 83),
            "导入楼",
            "102",
            "4",
            入住日期="去年春天",
        ),
    ]
    before = (
        Person.objects.count(),
        Stay.objects.count(),
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION).count(),
    )
    job = _import(cast, workbook(rows))
    assert job.status == ImportJob.Status.REJECTED
    assert (job.total_rows, job.imported_rows) == (10, 0)
    assert _error_cells(job) == {
        (3, "证件号码"),
        (4, "证件号码"),
        (5, "证件号码"),
        (6, "证件号码"),
        (7, "楼栋/房间号/床号"),
        (8, "姓名"),
        (9, "楼栋/房间号/床号"),
        (10, "联系电话"),
        (11, "入住日期"),
    }
    messages = {r: m for r, _, m in job.errors}
    assert "校验码" in messages[3]
    assert "数字格式" in messages[4] and "文本" in messages[4]
    assert "第 2 行" in messages[5]
    assert "已在系统中建档" in messages[6]
    assert "床位不存在" in messages[7]
    assert "必填" in messages[8]
    assert "第 2 行" in messages[9]
    assert job.error_count == 9
    after = (
        Person.objects.count(),
        Stay.objects.count(),
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION).count(),
    )
    assert after == before


def test_a_dry_run_writes_nothing_until_confirmed_and_confirm_checks_again(cast, home_a) -> None:
    data = workbook(_clean_rows(3))
    job = _import(cast, data, dry_run=True)
    assert job.status == ImportJob.Status.CHECKED
    assert [p["name"] for p in job.preview] == ["导入老人0", "导入老人1", "导入老人2"]
    assert "*" in job.preview[0]["id_number"]  # the preview is masked
    assert not Person.objects.filter(name__startswith="导入老人").exists()
    job = services.confirm_import(actor=cast.actor("admin_a"), job_id=job.pk)
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(name__startswith="导入老人").count() == 3
    with pytest.raises(Conflict, match="不能确认导入"):
        services.confirm_import(actor=cast.actor("admin_a"), job_id=job.pk)


def test_a_bed_taken_between_preview_and_confirm_rejects_the_whole_file(cast, home_a) -> None:
    from yiyang.orgs.models import Bed
    from yiyang.residents import services as resident_services

    job = _import(cast, workbook(_clean_rows(3)), dry_run=True)
    bed = Bed.objects.get(room__building__name="导入楼", room__number="101", label="2")
    resident_services.admit_resident(
        actor=cast.actor("admin_a"),
        home_id=home_a.pk,
        bed_id=bed.pk,
        name="抢床位",
        id_number=id_number(QIXIAN, date(1950, 1, 1), 99),
    )
    job = services.confirm_import(actor=cast.actor("admin_a"), job_id=job.pk)
    assert job.status == ImportJob.Status.REJECTED
    assert _error_cells(job) == {(3, "楼栋/房间号/床号")}
    assert not Person.objects.filter(name__startswith="导入老人").exists()


def test_a_crash_halfway_through_the_writes_leaves_nothing(cast, home_a, monkeypatch) -> None:
    monkeypatch.setattr(bulk_admission, "CHUNK", 2)
    real = bulk_admission._write_chunk
    calls = []

    def crash_on_second_chunk(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk_admission, "_write_chunk", crash_on_second_chunk)
    persons, stays = Person.objects.count(), Stay.objects.count()
    job = _import(cast, workbook(_clean_rows(5)))
    assert len(calls) == 2  # the first chunk was written, inside the transaction
    assert job.status == ImportJob.Status.FAILED and "没有写入任何数据" in job.message
    assert (Person.objects.count(), Stay.objects.count()) == (persons, stays)


@pytest.mark.parametrize("worker", ["fork", "thread"])
def test_a_failure_while_building_rows_in_the_worker_leaves_nothing(
    cast, home_a, monkeypatch, worker
) -> None:
    monkeypatch.setattr(import_pipeline, "WORKER", worker)
    monkeypatch.setattr(bulk_admission, "CHUNK", 2)
    real_prepare, real_write = bulk_admission._Writer.prepare, bulk_admission._write_chunk
    built, written = [], []

    def fail_on_third_chunk(self, chunk):  # type: ignore[no-untyped-def]
        built.append(1)  # in the worker: a forked worker's list is its own copy
        if len(built) == 3:
            raise RuntimeError("out of memory")
        return real_prepare(self, chunk)

    def write(prepared):  # type: ignore[no-untyped-def]
        written.append(1)  # in this process, which holds the transaction
        return real_write(prepared)

    monkeypatch.setattr(bulk_admission._Writer, "prepare", fail_on_third_chunk)
    monkeypatch.setattr(bulk_admission, "_write_chunk", write)
    persons, stays, audits = (
        Person.objects.count(),
        Stay.objects.count(),
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION).count(),
    )
    job = _import(cast, workbook(_clean_rows(5)))
    # chunks 1 and 2 were built and written before the worker's report of the failure arrived
    assert len(written) == 2
    assert job.status == ImportJob.Status.FAILED and "没有写入任何数据" in job.message
    assert (
        Person.objects.count(),
        Stay.objects.count(),
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION).count(),
    ) == (persons, stays, audits)


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_rejected_as_a_whole(
    cast, home_a
) -> None:
    job = _import(cast, b"PK\x03\x04 not really a zip")
    assert job.status == ImportJob.Status.REJECTED and "无法读取" in job.message
    job = _import(cast, workbook([{"姓名": "张三"}], headers=("姓名", "备注")))
    assert job.status == ImportJob.Status.REJECTED and "证件号码" in job.message
    with pytest.raises(ValidationFailed, match="Excel"):
        services.start_import(actor=cast.actor("admin_a"), file_name="老人.csv", data=b"a,b")


def test_only_homes_with_the_admission_permission_import(cast, home_a) -> None:
    data = workbook(_clean_rows(1))
    with pytest.raises(Forbidden):
        services.start_import(actor=cast.actor("officer_x"), file_name="a.xlsx", data=data)
    with pytest.raises(Forbidden):
        services.start_import(actor=cast.actor("doctor_b"), file_name="a.xlsx", data=data)


def test_the_stored_file_is_encrypted_and_bound_to_its_job(cast, home_a) -> None:
    data = workbook(_clean_rows(1))
    job = _import(cast, data, dry_run=True)
    stored = bytes(ImportJob.objects.get(pk=job.pk).payload)
    assert stored and data not in stored and b"PK\x03\x04" not in stored
    assert jobs.unseal(job) == data
    other = ImportJob.objects.create(
        home=home_a,
        region_code=home_a.region_code,
        file_name="x.xlsx",
        file_size=1,
        created_by="x",
        file_sha256=job.file_sha256,
        payload=stored,
    )
    with pytest.raises(ValueError, match="校验失败"):
        jobs.unseal(other)


def test_the_command_line_imports_and_fails_with_the_row_errors(cast, home_a, tmp_path) -> None:
    path = tmp_path / "老人.xlsx"
    bad = _clean_rows(2)
    bad[1]["证件号码"] = "410221194001010000"
    path.write_bytes(workbook(bad))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import", "residents", str(path), "--home", home_a.credit_code)
    assert not Person.objects.filter(name__startswith="导入老人").exists()
    path.write_bytes(workbook(_clean_rows(2)))
    call_command("import", "residents", str(path), "--home", home_a.credit_code, "--dry-run")
    assert not Person.objects.filter(name__startswith="导入老人").exists()
    call_command("import", "residents", str(path), "--home", home_a.credit_code)
    assert Person.objects.filter(name__startswith="导入老人", org=home_a).count() == 2
    event = AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION).latest("id")
    assert event.username == "命令行导入" and event.user_id is None
    assert event.changes["count"] == 2
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        call_command("import", "residents", str(path), "--home", "91410000000000000X")


def test_upload_page_runs_the_job_and_shows_the_errors(cast, home_a) -> None:
    client = cast.browser("admin_a")
    assert client.get(reverse("interop:imports")).status_code == 200
    rows = _clean_rows(2)
    rows[1]["床号"] = "9"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("老人.xlsx", workbook(rows))
    response = client.post(reverse("interop:imports"), {"file": upload, "dry_run": "on"})
    job = ImportJob.objects.latest("id")
    assert response.status_code == 302 and response.url == reverse(
        "interop:import_job", args=[job.pk]
    )
    page = client.get(response.url).content.decode()
    assert "第 3 行" in page and "床位不存在" in page and "有错误，未导入" in page
    progress = client.get(reverse("interop:import_progress", args=[job.pk]))
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    listing = client.get(reverse("interop:imports")).content.decode()
    assert "老人.xlsx" in listing
    # another home sees neither the job nor it in its list
    other = cast.browser("admin_c")
    assert other.get(reverse("interop:import_job", args=[job.pk])).status_code == 404
    assert "老人.xlsx" not in other.get(reverse("interop:imports")).content.decode()


def test_upload_form_errors_are_shown_in_chinese(cast, home_a) -> None:
    client = cast.browser("admin_a")
    response = client.post(reverse("interop:imports"), {})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("interop:imports"), {"file": SimpleUploadedFile("a.txt", b"hello")}
    )
    assert response.status_code == 400 and "请上传 Excel 文件" in response.content.decode()


def test_the_demo_import_wrote_one_chunk_row_dated_back_with_its_job(cast) -> None:
    job = ImportJob.objects.get(status=ImportJob.Status.DONE, file_name__contains="已更正")
    rows = list(
        AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION, changes__import_job=job.pk)
    )
    assert len(rows) == 1
    assert rows[0].changes["count"] == job.imported_rows == len(rows[0].changes["persons"])
    assert rows[0].at <= job.finished_at  # dated back with the job, not left at build time


@pytest.mark.django_db
def test_the_forked_worker_cannot_query_the_database() -> None:
    from django.db import connection

    Person.objects.exists()  # the connection is open, as it is when the worker is forked
    before = list(connection.execute_wrappers)
    import_pipeline._forbid_database()  # what the worker does first
    try:
        with pytest.raises(RuntimeError, match="不能访问数据库"):
            Person.objects.exists()
    finally:
        connection.execute_wrappers[:] = before


def test_a_file_with_a_bad_row_past_the_first_chunk_rolls_back_the_written_chunks(
    cast, home_a, monkeypatch
) -> None:
    monkeypatch.setattr(bulk_admission, "CHUNK", 2)
    written = []
    real = bulk_admission._write_chunk
    monkeypatch.setattr(bulk_admission, "_write_chunk", lambda p: (written.append(1), real(p)))
    rows = _clean_rows(7)
    rows[5]["入住日期"] = "去年春天"  # row 7, in the third chunk
    persons = Person.objects.count()
    job = _import(cast, workbook(rows))
    assert job.status == ImportJob.Status.REJECTED
    assert _error_cells(job) == {(7, "入住日期")}
    assert written  # chunks before the bad row were written, inside the transaction ...
    assert Person.objects.count() == persons  # ... and rolled back with it


def test_an_id_number_already_on_record_in_a_later_chunk_is_listed_and_nothing_is_written(
    cast, home_a, monkeypatch
) -> None:
    # The unique blind index refuses the row as it goes in (chunk 3 here, after two chunks
    # were written); the rollback follows and every row's ID number is checked for the list.
    monkeypatch.setattr(bulk_admission, "CHUNK", 2)
    existing = Person.objects.filter(org=home_a, id_number_index__isnull=False).first()
    rows = _clean_rows(7)
    rows[4]["证件号码"] = existing.id_number  # row 6
    persons, stays = Person.objects.count(), Stay.objects.count()
    job = _import(cast, workbook(rows))
    assert job.status == ImportJob.Status.REJECTED, job.message
    assert _error_cells(job) == {(6, "证件号码")}
    assert "已在系统中建档" in job.errors[0][2]
    assert (Person.objects.count(), Stay.objects.count()) == (persons, stays)
    # nothing was left behind: the same file without that row imports
    del rows[4]
    assert _import(cast, workbook(rows)).status == ImportJob.Status.DONE


def test_the_forked_worker_leaves_ctrl_c_to_the_job_process(monkeypatch) -> None:
    import signal
    from multiprocessing import Pipe

    def report(pipe, *args):  # type: ignore[no-untyped-def]
        ignores_int = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        pipe.send((os.getpid(), ignores_int, signal.getsignal(signal.SIGTERM) is signal.SIG_DFL))

    monkeypatch.setattr(import_pipeline, "WORKER", "fork")
    monkeypatch.setattr(import_pipeline, "_work", report)
    ours, theirs = Pipe()
    handle = import_pipeline._Handle(None, b"", date.today(), theirs, ours)  # type: ignore[arg-type]
    try:
        pid, ignores_int, default_term = ours.recv()
    finally:
        handle.end(kill=False)
    assert pid != os.getpid()  # it ran in the forked worker ...
    assert (ignores_int, default_term) == (True, True)  # ... which leaves Ctrl-C to the job
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # this process unchanged
