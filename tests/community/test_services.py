"""Scope, the one person record, dated changes, visits, coverage against a hand count, import,
outbreak help."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.community.helpers import free_bed, list_one, new_id_number
from yiyang.community import queries, services, workbook
from yiyang.community.models import LedgerChange, LedgerEntry
from yiyang.core.errors import Conflict, NotFound, ValidationFailed
from yiyang.core.identifiers import id_check_digit
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import CommunityOrg
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Person, Stay


def _ids(actor) -> set[int]:  # type: ignore[no-untyped-def]
    return set(queries.entries(actor).values_list("pk", flat=True))


# ---- scope ----------------------------------------------------------------------------------

def test_worker_t_sees_township_t_and_nothing_of_another_township(cast) -> None:
    t, u = cast.actor("worker_t"), cast.actor("worker_u")
    in_t = set(LedgerEntry.objects.filter(township_id=t.org_id).values_list("pk", flat=True))
    in_u = set(LedgerEntry.objects.filter(township_id=u.org_id).values_list("pk", flat=True))
    assert len(in_t) >= 25 and len(in_u) >= 25
    assert _ids(t) == in_t  # the township sees every committee's rows
    assert _ids(u) == in_u
    # a village committee sees its own rows only
    v = cast.actor("worker_v")
    assert _ids(v) == set(LedgerEntry.objects.filter(org_id=v.org_id).values_list("pk",
                                                                                 flat=True))
    assert _ids(v) < in_t


def test_regulators_read_their_county_only(cast) -> None:
    t, u = cast.actor("worker_t"), cast.actor("worker_u")
    in_t = set(LedgerEntry.objects.filter(township_id=t.org_id).values_list("pk", flat=True))
    in_u = set(LedgerEntry.objects.filter(township_id=u.org_id).values_list("pk", flat=True))
    assert _ids(cast.actor("officer_x")) == in_t
    assert _ids(cast.actor("officer_y")) == in_u  # another county: nothing of township T
    assert _ids(cast.actor("officer_city")) >= in_t | in_u
    for username in ("nurse_c", "doctor_b", "doctor_d", "admin_a"):
        assert _ids(cast.actor(username)) == set()


def test_api_lists_are_scoped(cast) -> None:
    t = cast.actor("worker_t")
    active_t = set(LedgerEntry.objects.filter(township_id=t.org_id, status="active")
                   .values_list("pk", flat=True))
    items = cast.api("worker_t").get("/api/v1/ledger-entries?limit=500").json()["items"]
    assert {i["id"] for i in items} == active_t
    assert all("*" in i["id_number"] for i in items)  # masked
    items = cast.api("officer_y").get("/api/v1/ledger-entries?limit=500").json()["items"]
    assert not {i["id"] for i in items} & active_t
    one = next(iter(active_t))
    assert cast.api("worker_u").get(f"/api/v1/ledger-entries/{one}").status_code == 404
    assert cast.api("officer_x").get(f"/api/v1/ledger-entries/{one}").status_code == 200


def test_writes_outside_the_area_are_refused(cast) -> None:
    entry = list_one(cast.actor("worker_t"))
    for username in ("worker_u", "officer_x", "nurse_c"):
        with pytest.raises(NotFound):
            services.record_visit(actor=cast.actor(username), entry_id=entry.pk,
                                  visited_on=None, visitor="X", findings="X")
    # a village committee cannot write the township's or another committee's rows
    with pytest.raises(NotFound):
        services.record_visit(actor=cast.actor("worker_v"), entry_id=entry.pk,
                              visited_on=None, visitor="X", findings="X")


def test_township_lists_for_its_committee_and_the_village_sees_it(cast) -> None:
    t, v = cast.actor("worker_t"), cast.actor("worker_v")
    entry = list_one(t, committee_id=v.org_id)
    assert entry.org_id == v.org_id and entry.township_id == t.org_id
    assert entry.pk in _ids(v)
    with pytest.raises(NotFound):  # not a committee of township T
        list_one(t, committee_id=cast.actor("worker_u").org_id)


# ---- one person record ------------------------------------------------------------------------

def test_a_ledger_person_admitted_to_a_home_stays_the_same_record(cast) -> None:
    t, admin = cast.actor("worker_t"), cast.actor("admin_a")
    entry = list_one(t, dependent=True)
    person = entry.person
    persons = Person.objects.count()
    home = cast.home_of("admin_a")
    stay = resident_services.admit_resident(
        actor=admin, home_id=home.pk, bed_id=free_bed(home.pk).pk,
        name=person.name, id_number=person.id_number)
    assert stay.person_id == person.pk
    assert Person.objects.count() == persons
    person.refresh_from_db()
    assert person.org_id == home.pk  # the home keeps the record now
    assert AuditEvent.objects.filter(action="residents.person.take_over",
                                     object_id=str(person.pk)).exists()
    shown = queries.entry(t, entry.pk)
    assert shown.in_care and shown.care_home == home.name
    assert not shown.overdue  # visits pause while in residential care
    page = cast.browser("worker_t").get(f"/community/ledger/{entry.pk}/").content.decode()
    assert "机构养老" in page and home.name in page
    api = cast.api("worker_t").get(f"/api/v1/ledger-entries/{entry.pk}").json()
    assert api["in_residential_care"] is True and api["care_home"] == home.name
    # the home sees the resident; the ledger stays the community's
    assert Person.objects.visible_to(admin).filter(pk=person.pk).exists()
    assert not LedgerEntry.objects.visible_to(admin).filter(pk=entry.pk).exists()


def test_the_old_refusal_between_two_homes_still_holds(cast) -> None:
    home_a, home_c = cast.home_of("admin_a"), cast.home_of("admin_c")
    number = new_id_number()
    resident_services.admit_resident(actor=cast.actor("admin_a"), home_id=home_a.pk,
                                     bed_id=free_bed(home_a.pk).pk, name="甘德福",
                                     id_number=number)
    with pytest.raises(ValidationFailed) as exc:
        resident_services.admit_resident(actor=cast.actor("admin_c"), home_id=home_c.pk,
                                         bed_id=free_bed(home_c.pk).pk, name="甘德福",
                                         id_number=number)
    assert exc.value.code == "person_elsewhere"


def test_a_discharged_home_resident_is_not_taken_by_another_home(cast) -> None:
    """Take-over is only for records a community organisation keeps."""
    home_a, home_c = cast.home_of("admin_a"), cast.home_of("admin_c")
    number = new_id_number()
    stay = resident_services.admit_resident(actor=cast.actor("admin_a"), home_id=home_a.pk,
                                            bed_id=free_bed(home_a.pk).pk, name="甘保林",
                                            id_number=number)
    Stay.objects.filter(pk=stay.pk).update(status="discharged")
    with pytest.raises(ValidationFailed):
        resident_services.admit_resident(actor=cast.actor("admin_c"), home_id=home_c.pk,
                                         bed_id=free_bed(home_c.pk).pk, name="甘保林",
                                         id_number=number)


def test_the_ledger_refuses_a_person_already_registered(cast) -> None:
    stay = Stay.objects.filter(home=cast.home_of("admin_a"),
                               status__in=OPEN_STATUSES).select_related("person").first()
    with pytest.raises(ValidationFailed) as exc:
        list_one(cast.actor("worker_t"), id_number=stay.person.id_number)
    assert exc.value.code == "person_exists"


# ---- dated changes ----------------------------------------------------------------------------

def test_a_dated_change_keeps_the_old_values(cast) -> None:
    t = cast.actor("worker_t")
    entry = list_one(t)
    day = timezone.localdate() - timedelta(days=5)
    services.update_entry(actor=t, entry_id=entry.pk, version=entry.version, effective_on=day,
                          living="family", guardian_phone="13700001111", note="女儿搬回同住")
    entry.refresh_from_db()
    assert entry.living == "family" and entry.changed_on == day
    change = LedgerChange.objects.filter(entry=entry, kind="update").get()
    assert change.effective_on == day
    assert change.changes["居住情况"] == ["独居", "与子女或其他家人同住"]
    assert change.changes["监护人电话"] == ["已修改", "已修改"]  # never the number
    assert "13700001111" not in str(AuditEvent.objects.filter(object_id=str(entry.pk)).values())
    with pytest.raises(Conflict):
        services.update_entry(actor=t, entry_id=entry.pk, version=1, living="alone")
    kinds = list(LedgerChange.objects.filter(entry=entry).values_list("kind", flat=True))
    assert sorted(kinds) == ["list", "update"]


def test_end_entry_keeps_it_readable(cast) -> None:
    t = cast.actor("worker_t")
    entry = list_one(t)
    services.end_entry(actor=t, entry_id=entry.pk, version=entry.version, ended_on=None,
                       reason="died")
    entry.refresh_from_db()
    assert entry.status == "ended"
    assert entry.pk in _ids(t)
    with pytest.raises(ValidationFailed):
        services.request_service(actor=t, entry_id=entry.pk, kind="meals", detail="X",
                                 provider="X")


# ---- visits -----------------------------------------------------------------------------------

def test_overdue_visit_flagged_until_visited(cast) -> None:
    t = cast.actor("worker_t")
    entry = list_one(t, dependent=True)  # alone + dependent: high risk, every 7 days
    shown = queries.entry(t, entry.pk)
    assert shown.risk == "high"
    assert shown.next_due == entry.listed_on + timedelta(days=7) and shown.overdue
    assert entry.pk in {e.pk for e in queries.visit_plan(t, overdue_only=True)}
    services.record_visit(actor=t, entry_id=entry.pk, visited_on=None, visitor="周桂兰",
                          findings="精神可，药品充足", arrangements="下周再访")
    shown = queries.entry(t, entry.pk)
    assert not shown.overdue and shown.next_due == timezone.localdate() + timedelta(days=7)


# ---- home services ----------------------------------------------------------------------------

def test_service_request_delivered_and_closed(cast) -> None:
    t = cast.actor("worker_t")
    entry = list_one(t)
    req = services.request_service(actor=t, entry_id=entry.pk, kind="meals",
                                   detail="午餐送餐", provider="五里河镇幸福院助餐点")
    services.record_delivery(actor=t, request_id=req.pk, version=req.version,
                             delivered_on=None, worker="李红霞")
    req.refresh_from_db()
    assert req.status == "open"
    services.record_delivery(actor=t, request_id=req.pk, version=req.version,
                             delivered_on=None, worker="李红霞", close=True)
    req.refresh_from_db()
    assert req.status == "closed" and req.deliveries.count() == 2
    with pytest.raises(ValidationFailed):
        services.request_service(actor=t, entry_id=entry.pk, kind="massage", detail="X",
                                 provider="X")


# ---- family doctors: coverage against a hand count ---------------------------------------------

def _village_actor(cast):  # type: ignore[no-untyped-def]
    t = cast.actor("worker_t")
    township = CommunityOrg.objects.get(pk=t.org_id)
    village = CommunityOrg.objects.create(
        kind=township.kind, name="五里河镇测试村村民委员会", short_name="测试村",
        credit_code="54410221TESTVIL01X", region=township.region,
        region_code=township.region_code, parent=township, level=CommunityOrg.Level.VILLAGE)
    return replace(t, org_id=village.pk, org_name=village.name), village


def test_coverage_equals_a_hand_count(cast) -> None:
    actor, village = _village_actor(cast)
    today = timezone.localdate()
    old = date(today.year - 85, 1, 1)
    young = date(today.year - 70, 1, 1)

    def person(born: date, **flags):  # type: ignore[no-untyped-def]
        number = new_id_number()
        number = number[:6] + born.strftime("%Y%m%d") + number[14:17]
        return list_one(actor, id_number=number + id_check_digit(number), **flags)

    med = services.institutions_for(CommunityOrg.objects.get(pk=village.parent_id)).first()

    def sign(entry, start, end):  # type: ignore[no-untyped-def]
        services.sign_contract(actor=actor, entry_id=entry.pk, institution_id=med.pk,
                               team="第一团队", doctor="刘医生", package="basic",
                               start_on=start, end_on=end)

    year = timedelta(days=365)
    a = person(old)  # 高龄, signed, in force
    sign(a, today - timedelta(days=10), today + year)
    b = person(young, dependent=True)  # 失能, not signed
    c = person(young, disabled=True)  # 残疾, contract ended yesterday: not covered
    sign(c, today - year, today - timedelta(days=1))
    d = person(young, disabled=True, dependent=True)  # target once, signed
    sign(d, today - timedelta(days=100), today + timedelta(days=100))
    e = person(young)  # alone only: not in the target group, signed: not counted
    sign(e, today - timedelta(days=10), today + year)
    f = person(old, seriously_ill=True, illness="晚期肝硬化")  # 高龄, signed
    sign(f, today, today + year)
    # hand count: target = a, b, c, d, f (5); covered = a, d, f (3) → 60 %
    rows = queries.coverage_table(actor)
    assert [(r.level, r.coverage.signed, r.coverage.target) for r in rows] == [
        ("县（区）", 3, 5), ("乡镇（街道）", 3, 5), ("村（居）委会", 3, 5)]
    assert rows[-1].coverage.percent == 60.0
    assert b.pk and c.pk


def test_county_coverage_equals_a_count_over_the_raw_rows(cast) -> None:
    today = timezone.localdate()
    rows = queries.coverage_table(cast.actor("officer_x"))
    county = next(r for r in rows if r.level == "县（区）")
    target = signed = 0
    for e in LedgerEntry.objects.filter(region_code__startswith="410221", status="active"):
        if Stay.objects.filter(person_id=e.person_id, status__in=OPEN_STATUSES).exists():
            continue
        born = e.person.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if not (age >= 80 or e.dependent or e.disabled):
            continue
        target += 1
        signed += e.contracts.filter(start_on__lte=today, end_on__gte=today,
                                     terminated_on__isnull=True).exists()
    assert (county.coverage.signed, county.coverage.target) == (signed, target)
    assert target > 10 and 0 < signed < target
    townships = [r for r in rows if r.level == "乡镇（街道）"]
    assert sum(r.coverage.target for r in townships) == target


# ---- import -------------------------------------------------------------------------------------

def _file(rows):  # type: ignore[no-untyped-def]
    return workbook.export(rows)


def _row(**kw):  # type: ignore[no-untyped-def]
    base = {"name": "宋玉兰", "id_number": new_id_number(), "living": "alone",
            "guardian_name": "宋海军", "needs": ["meals", "medication"], "dependent": True}
    base.update(kw)
    return base


def test_import_is_all_or_nothing_with_row_errors_in_chinese(cast) -> None:
    t = cast.actor("worker_t")
    before = LedgerEntry.objects.count()
    data = _file([_row(), _row(id_number="410221193801020000"), _row(living="",
                                                                        guardian_name="")])
    rows, problems = workbook.parse(data)
    problems = [(p.row, p.column, p.message) for p in problems] + services.check_rows(t, rows)
    assert {p[0] for p in problems} == {3, 4}
    assert any(p[1] == "居住情况" and "请填写" in p[2] for p in problems)
    assert any(p[1] == "身份证号码" for p in problems)
    with pytest.raises(ValidationFailed):
        services.import_entries(actor=t, rows=rows)
    assert LedgerEntry.objects.count() == before


def test_import_then_export_then_reimport_is_refused_as_duplicate(cast) -> None:
    t = cast.actor("worker_t")
    good = [_row(), _row(name="宋德山", living="spouse", committee="五里河村")]
    rows, problems = workbook.parse(_file(good))
    assert problems == []
    made = services.import_entries(actor=t, rows=rows)
    assert len(made) == 2 and made[1].org.short_name == "五里河村"
    assert made[0].needs == ["medication", "meals"] and made[0].dependent
    rows, _ = workbook.parse(_file(good))
    found = services.check_rows(t, rows)
    assert [p[0] for p in found] == [2, 3] and "已在系统中建档" in found[0][2]


def test_export_page_masks_for_a_worker_and_reads_back(cast) -> None:
    response = cast.browser("worker_t").post("/community/ledger/export.xlsx")
    assert response.status_code == 200
    rows, _problems = workbook.parse(response.content)
    assert len(rows) >= 25
    assert all("*" in values["id_number"] for _, values in rows)


# ---- outbreak -----------------------------------------------------------------------------------

def test_outbreak_list_orders_by_what_cannot_wait(cast, monkeypatch) -> None:
    # The switch alone: no county source (web's registers infection's open outbreaks, and the
    # demo keeps one open in county X; tests/web/test_outbreak_source.py covers that path).
    monkeypatch.setattr(queries, "_outbreak_sources", [])
    t = cast.actor("worker_t")
    assert queries.outbreak_active(t)[0] is False
    services.set_outbreak_mode(actor=t, active=True, note="县内出现聚集性疫情")
    on, why = queries.outbreak_active(t)
    assert on and "开启" in why
    assert queries.outbreak_active(cast.actor("worker_v"))[0]  # the township's switch covers it
    assert not queries.outbreak_active(cast.actor("worker_u"))[0]
    rows = queries.outbreak_list(t)
    assert rows and all(not e.in_care for e in rows)
    urgent = [i for i, e in enumerate(rows) if {"dialysis", "radio_chemo", "medication"}
              & set(e.needs)]
    calm = [i for i, e in enumerate(rows) if not {"dialysis", "radio_chemo", "medication"}
            & set(e.needs)]
    assert urgent and calm and max(urgent) < min(calm)


def test_a_registered_source_turns_outbreak_help_on_for_the_county(cast) -> None:
    def county_x(code: str) -> bool:
        return code == "410221"

    queries.register_outbreak_source(county_x)
    try:
        assert queries.outbreak_active(cast.actor("worker_t"))[0]
        assert not queries.outbreak_active(cast.actor("worker_u"))[0]
    finally:
        queries._outbreak_sources.remove(county_x)
