"""Pages and API of the community app as the workers and regulators use them."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.community.helpers import list_one, new_id_number
from yiyang.community import queries, workbook
from yiyang.community.models import LedgerChange, LedgerEntry


def _names(township_id: int) -> set[str]:
    return set(LedgerEntry.objects.filter(township_id=township_id)
               .values_list("person__name", flat=True))


def test_every_page_renders_for_the_township_worker(cast) -> None:
    client = cast.browser("worker_t")
    entry = LedgerEntry.objects.filter(township_id=cast.actor("worker_t").org_id,
                                       status="active").first()
    for url, text in [("/community/ledger/", "特殊需求老年人台账"),
                      ("/community/ledger/new/", "纳入台账"),
                      (f"/community/ledger/{entry.pk}/", "巡访关爱"),
                      (f"/community/ledger/{entry.pk}/edit/", "变更日期"),
                      ("/community/visits/", "逾期"),
                      ("/community/services/", "居家服务"),
                      ("/community/family-doctors/", "覆盖率"),
                      ("/community/outbreak/?preview=1", "优先联系名单"),
                      ("/community/ledger/import/", "下载导入模板")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    assert client.get("/community/ledger/template.xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_the_ledger_page_shows_township_t_and_not_u(cast) -> None:
    t, u = cast.actor("worker_t"), cast.actor("worker_u")
    only_u = _names(u.org_id) - _names(t.org_id)
    page = cast.browser("worker_t").get("/community/ledger/?status=").content.decode()
    assert not any(name in page for name in only_u)
    page = cast.browser("officer_y").get("/community/ledger/?status=").content.decode()
    only_t = _names(t.org_id) - _names(u.org_id)
    assert not any(name in page for name in only_t)
    assert any(name in page for name in only_u)


def test_the_need_filter(cast) -> None:
    t = cast.actor("worker_t")
    entry = list_one(t, needs=["dialysis"])
    page = cast.browser("worker_t").get("/community/ledger/?need=dialysis&status=active")
    text = page.content.decode()
    assert f"/community/ledger/{entry.pk}/" in text
    without = LedgerEntry.objects.filter(township_id=t.org_id, status="active").exclude(
        pk=entry.pk)
    for e in without:
        if "dialysis" not in e.needs:
            assert f"/community/ledger/{e.pk}/" not in text


def test_homes_have_no_ledger_page(cast) -> None:
    assert cast.browser("nurse_a").get("/community/ledger/").status_code == 403


def test_new_entry_and_dated_change_through_the_pages(cast) -> None:
    client = cast.browser("worker_t")
    v = cast.actor("worker_v")
    response = client.post("/community/ledger/new/", {
        "committee_id": v.org_id, "name": "樊秀珍", "id_number": new_id_number(),
        "listed_on": timezone.localdate().isoformat(), "living": "spouse",
        "needs": ["chronic", "dialysis"], "seriously_ill": "on", "illness": "慢性肾衰竭",
        "contact_name": "樊海军", "contact_phone": "13600001111"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(person__name="樊秀珍")
    assert entry.org_id == v.org_id and entry.needs == ["chronic", "dialysis"]
    bad = client.post("/community/ledger/new/", {
        "committee_id": v.org_id, "name": "樊秀珍", "id_number": "410221193801020001",
        "listed_on": timezone.localdate().isoformat(), "living": "alone"})
    assert bad.status_code == 400 and "身份证" in bad.content.decode()
    response = client.post(f"/community/ledger/{entry.pk}/edit/", {
        "version": entry.version, "effective_on": timezone.localdate().isoformat(),
        "living": "alone", "needs": ["chronic", "dialysis"], "seriously_ill": "on",
        "illness": "慢性肾衰竭", "contact_name": "樊海军", "contact_phone": "13600001111",
        "note": "老伴去世"})
    assert response.status_code == 302
    change = LedgerChange.objects.get(entry=entry, kind="update")
    assert change.changes == {"居住情况": ["仅与配偶同住（空巢）", "独居"]}
    page = client.get(f"/community/ledger/{entry.pk}/").content.decode()
    assert "老伴去世" in page and "独居" in page


def test_import_page_reports_row_errors_and_imports_nothing(cast) -> None:
    client = cast.browser("worker_t")
    before = LedgerEntry.objects.count()
    data = workbook.export([
        {"name": "牛玉梅", "id_number": new_id_number(), "living": "alone",
         "guardian_name": "牛建伟"},
        {"name": "牛德胜", "id_number": "41022119380102", "living": "alone",
         "guardian_name": "牛建伟", "needs": ["meals"]}])
    response = client.post("/community/ledger/import/", {
        "file": SimpleUploadedFile("t.xlsx", data)})
    assert response.status_code == 400
    assert "第 3 行" in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_api_create_patch_and_visit(cast) -> None:
    api = cast.api("worker_t")
    created = api.post("/api/v1/ledger-entries", {
        "name": "孔桂芝", "id_number": new_id_number(), "living": "alone", "dependent": True,
        "guardian_name": "孔利民", "guardian_phone": "13500002222"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["risk"] == "high" and body["guardian_phone"].startswith("135****")
    patched = api.patch(f"/api/v1/ledger-entries/{body['id']}", {
        "version": body["version"], "living": "family", "note": "儿子返乡"},
        content_type="application/json")
    assert patched.status_code == 200 and patched.json()["living"] == "family"
    stale = api.patch(f"/api/v1/ledger-entries/{body['id']}", {
        "version": body["version"], "living": "alone"}, content_type="application/json")
    assert stale.status_code == 409
    visit = api.post("/api/v1/community-visits", {
        "entry_id": body["id"], "visitor": "周桂兰", "findings": "X"},
        content_type="application/json")
    assert visit.status_code == 201
    assert cast.api("officer_x").post("/api/v1/community-visits", {
        "entry_id": body["id"], "visitor": "X", "findings": "X"},
        content_type="application/json").status_code == 404


def test_list_queries_do_not_grow_with_rows(cast) -> None:
    t = cast.actor("worker_t")
    list_one(t, listed_on=timezone.localdate() - timedelta(days=3))

    def count(limit: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            queries.decorate(list(queries.entries(t)[:limit]))
        return len(ctx.captured_queries)

    assert count(1) == count(25)
    with CaptureQueriesContext(connection) as ctx:
        queries.coverage_table(t)
    assert len(ctx.captured_queries) <= 3
