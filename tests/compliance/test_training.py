"""Staff training (seed 002 §五) and TCM techniques (§十一): the pure rules (tables and
properties), the services' checks, the pages and the API, and the demo's shape."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yiyang.compliance import training_queries as q
from yiyang.compliance import training_rules as tr
from yiyang.compliance import training_services as services
from yiyang.compliance.models import TcmTechnique, TrainingCourse
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.core.paging import PER_PAGE

# ---- pure rules -----------------------------------------------------------------------------

_ALL = list(tr.TCM_CATALOGUE)


@pytest.mark.parametrize(("items", "expected"), [
    ([], False),
    # 6 items of 4 types: 针刺 2, 灸 2, 推拿 1, 刮痧 1
    (["needling", "auricular_press", "moxa", "ginger_moxa", "tuina", "gua_sha"], True),
    # 6 items of 3 types
    (["needling", "auricular_press", "moxa", "ginger_moxa", "tuina", "acupressure"], False),
    # 5 items of 5 types
    (["needling", "moxa", "tuina", "gua_sha", "fire_cupping"], False),
    # the same item twice counts once: 5 items
    (["needling", "moxa", "tuina", "gua_sha", "fire_cupping", "fire_cupping"], False),
    # an unknown code does not count
    (["needling", "moxa", "tuina", "gua_sha", "fire_cupping", "unknown"], False),
    (["needling", "moxa", "tuina", "gua_sha", "fire_cupping", "daoyin"], True),
])
def test_4_types_6_items_table(items: list[str], expected: bool) -> None:
    assert tr.meets_4_types_6_items(items) is expected


@given(st.lists(st.sampled_from(_ALL), max_size=20))
def test_4_types_6_items_is_the_counts_rule(items: list[str]) -> None:
    types = {tr.TCM_CATALOGUE[i].type_code for i in items}
    assert tr.meets_4_types_6_items(items) == (len(types) >= 4 and len(set(items)) >= 6)


@given(st.lists(st.sampled_from(_ALL), max_size=20), st.sampled_from(_ALL))
def test_offering_one_more_item_never_loses_the_mark(items: list[str], extra: str) -> None:
    if tr.meets_4_types_6_items(items):
        assert tr.meets_4_types_6_items([*items, extra])


def test_catalogue_has_the_nine_types_and_unique_items() -> None:
    assert list(tr.TCM_TYPES.values()) == ["针刺类", "灸类", "推拿类", "刮痧类", "拔罐类",
                                           "敷熨熏浴类", "骨伤类", "肛肠类", "其他类"]
    assert tr.TCM_CATALOGUE["auricular_press"].type_label == "针刺类"
    assert tr.TCM_CATALOGUE["herbal_fumigation"].type_label == "敷熨熏浴类"


@pytest.mark.parametrize(("on", "start"), [
    (date(2026, 12, 6), date(2025, 12, 7)),
    (date(2026, 1, 1), date(2025, 1, 2)),
    (date(2028, 2, 29), date(2027, 3, 1)),  # 28 Feb 2027 + 1 day
    (date(2027, 3, 1), date(2026, 3, 2)),
])
def test_training_window_table(on: date, start: date) -> None:
    assert tr.training_window(on) == (start, on)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_training_window_is_twelve_months(on: date) -> None:
    start, end = tr.training_window(on)
    assert end == on
    assert 365 <= (end - start).days + 1 <= 366
    assert start > date(on.year - 1, on.month, min(on.day, 28)) - timedelta(days=1)


def test_caregivers_and_registrars_are_not_in_the_trained_roles() -> None:
    assert "home_caregiver" not in tr.TRAINED_ROLES
    assert "home_registrar" not in tr.TRAINED_ROLES
    assert {"home_manager", "home_nurse", "home_doctor", "medical_doctor"} <= tr.TRAINED_ROLES


# ---- services -------------------------------------------------------------------------------



@pytest.mark.django_db
def test_record_training_checks_and_audits(cast) -> None:
    nurse_a = cast.actor("nurse_a")
    today = timezone.localdate()
    before = AuditEvent.objects.filter(action="compliance.training.create").count()
    course = services.record_training(
        actor=nurse_a, title=" 消防培训 ", kind="other", organiser="杞县消防大队",
        held_on=today, hours="2.5", attendee_ids=[cast.membership("nurse_a").pk,
                                                  cast.membership("admin_a").pk])
    assert course.title == "消防培训" and str(course.hours) == "2.5"
    assert course.attendance.count() == 2
    assert AuditEvent.objects.filter(action="compliance.training.create").count() == before + 1
    with pytest.raises(ValidationFailed) as e:  # a nurse of another home
        services.record_training(actor=nurse_a, title="X", kind="other", organiser="X",
                                 held_on=today, hours=1,
                                 attendee_ids=[cast.membership("nurse_c").pk])
    assert e.value.field == "attendee_ids"
    with pytest.raises(ValidationFailed):
        services.record_training(actor=nurse_a, title="X", kind="other", organiser="X",
                                 held_on=today + timedelta(days=1), hours=1,
                                 attendee_ids=[cast.membership("nurse_a").pk])
    with pytest.raises(ValidationFailed):
        services.record_training(actor=nurse_a, title="X", kind="nonsense", organiser="X",
                                 held_on=today, hours=1,
                                 attendee_ids=[cast.membership("nurse_a").pk])
    with pytest.raises(ValidationFailed):
        services.record_training(actor=nurse_a, title="X", kind="other", organiser="X",
                                 held_on=today, hours=1, attendee_ids=[])
    for name in ("officer_x", "care_a1", "worker_t"):
        with pytest.raises(Forbidden):
            services.record_training(actor=cast.actor(name), title="X", kind="other",
                                     organiser="X", held_on=today, hours=1,
                                     attendee_ids=[cast.membership("nurse_a").pk])


@pytest.mark.django_db
def test_medical_institution_records_its_own_training(cast) -> None:
    admin = cast.actor("admin_med_b")
    course = services.record_training(
        actor=admin, title="X", kind="continuing", organiser="X",
        held_on=timezone.localdate(), hours=1, attendee_ids=[cast.membership("doctor_b").pk])
    assert course.org_id == cast.membership("doctor_b").org_id
    with pytest.raises(Forbidden):  # a doctor has no permission to record
        services.record_training(actor=cast.actor("doctor_b"), title="X", kind="other",
                                 organiser="X", held_on=timezone.localdate(), hours=1,
                                 attendee_ids=[cast.membership("doctor_b").pk])


@pytest.mark.django_db
def test_technique_register_one_open_row_and_stop_with_version(cast) -> None:
    nurse_a = cast.actor("nurse_a")
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as e:  # demo: home A already offers moxa
        services.add_technique(actor=nurse_a, technique="moxa", started_on=today)
    assert e.value.code == "duplicate"
    with pytest.raises(ValidationFailed):
        services.add_technique(actor=nurse_a, technique="not_in_catalogue", started_on=today)
    row = services.add_technique(actor=nurse_a, technique="herbal_bath", started_on=today,
                                 performer_ids=[cast.membership("hdoc_a").pk])
    assert row.category == "external"
    with pytest.raises(Conflict):
        services.stop_technique(actor=nurse_a, technique_id=row.pk, version=row.version + 5)
    with pytest.raises(ValidationFailed):
        services.stop_technique(actor=nurse_a, technique_id=row.pk, version=row.version,
                                stopped_on=today - timedelta(days=1))
    stopped = services.stop_technique(actor=nurse_a, technique_id=row.pk, version=row.version)
    assert stopped.stopped_on == today and stopped.version == row.version + 1
    # stopped: it may be registered again
    again = services.add_technique(actor=nurse_a, technique="herbal_bath", started_on=today)
    assert again.pk != row.pk
    for name in ("nurse_c", "officer_x", "doctor_b"):
        with pytest.raises(NotFound):
            services.stop_technique(actor=cast.actor(name), technique_id=again.pk,
                                    version=again.version)


# ---- queries, pages, API --------------------------------------------------------------------

@pytest.mark.django_db
def test_regulators_read_their_region_only(cast) -> None:
    a, c = cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk
    officer_x = {t.org_id for t in q.courses(cast.actor("officer_x"))}
    assert a in officer_x and c not in officer_x
    city = {t.org_id for t in q.techniques(cast.actor("officer_city"))}
    assert {a, c} <= city
    assert {t.org_id for t in q.techniques(cast.actor("nurse_c"))} == {c}


@pytest.mark.django_db
def test_lists_run_a_fixed_number_of_queries(cast) -> None:
    nurse_a = cast.actor("nurse_a")
    client = cast.browser("nurse_a")
    for url in (reverse("compliance:trainings"), reverse("compliance:tcm_techniques") + "?all=1"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for i in range(PER_PAGE):
            services.record_training(actor=nurse_a, title=f"T{i}", kind="other", organiser="X",
                                     held_on=timezone.localdate(), hours=1,
                                     attendee_ids=[cast.membership("nurse_a").pk])
        codes = [c for c in tr.TCM_CATALOGUE
                 if not TcmTechnique.objects.filter(org_id=nurse_a.org_id, technique=c).exists()]
        for code in codes[:8]:
            services.add_technique(actor=nurse_a, technique=code,
                                   started_on=timezone.localdate(),
                                   performer_ids=[cast.membership("hdoc_a").pk])
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == len(few), url


@pytest.mark.django_db
def test_home_page_shows_coverage_and_the_untrained(cast) -> None:
    html = cast.browser("nurse_a").get(reverse("compliance:trainings")).content.decode()
    assert "60%" in html  # 3 of 5 (tests/compliance/indicators/test_training.py)
    nurse_a2 = cast.membership("nurse_a2").user
    assert (nurse_a2.full_name or nurse_a2.username) in html
    assert "登记培训" in html
    page = cast.browser("officer_x").get(reverse("compliance:trainings")).content.decode()
    assert "登记培训" not in page and "杞县颐养园养老中心" in page


@pytest.mark.django_db
def test_technique_page_shows_4_types_6_items(cast) -> None:
    html = cast.browser("nurse_a").get(reverse("compliance:tcm_techniques")).content.decode()
    assert "达标" in html and "未达标" not in html
    html_c = cast.browser("nurse_c").get(reverse("compliance:tcm_techniques")).content.decode()
    assert "未达标" in html_c


@pytest.mark.django_db
def test_training_form_errors_in_chinese(cast) -> None:
    response = cast.browser("nurse_a").post(reverse("compliance:training_create"), {
        "title": "X", "kind": "other", "organiser": "X", "held_on": "2099-01-01", "hours": "2",
        "attendee_ids": [cast.membership("nurse_a").pk]})
    assert response.status_code == 400
    assert "培训日期不能晚于今天" in response.content.decode()


@pytest.mark.django_db
def test_api_create_and_read(cast) -> None:
    client = cast.api("admin_a")
    body = {"title": "API 培训", "kind": "integrated", "organiser": "X",
            "held_on": timezone.localdate().isoformat(), "hours": "3",
            "attendee_ids": [cast.membership("nurse_a2").pk]}
    r = client.post("/api/v1/staff-trainings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["attendee_count"] == 1 and data["attendees"][0]["membership_id"] == \
        cast.membership("nurse_a2").pk
    assert cast.api("officer_x").get(f"/api/v1/staff-trainings/{data['id']}").status_code == 200
    assert cast.api("nurse_c").get(f"/api/v1/staff-trainings/{data['id']}").status_code == 404
    r = client.post("/api/v1/tcm-techniques", {"technique": "herbal_wrap",
                                               "started_on": timezone.localdate().isoformat()},
                    content_type="application/json")
    assert r.status_code == 201
    tid, version = r.json()["id"], r.json()["version"]
    r = client.post(f"/api/v1/tcm-techniques/{tid}/stop", {"version": version + 1},
                    content_type="application/json")
    assert r.status_code == 409
    r = client.post(f"/api/v1/tcm-techniques/{tid}/stop", {"version": version},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["stopped_on"] == timezone.localdate().isoformat()
    r = cast.api("officer_x").post("/api/v1/staff-trainings", body,
                                   content_type="application/json")
    assert r.status_code == 403
    offered = client.get("/api/v1/tcm-techniques?on=" + timezone.localdate().isoformat()).json()
    assert offered["count"] == 7  # the demo's 6 and herbal wrap (stopped today, offered today)


# ---- demo -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_shape(cast) -> None:
    from yiyang.demo.training import build_demo_training

    a, c = cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk
    assert TrainingCourse.objects.filter(org_id=a).count() == 3
    assert TrainingCourse.objects.filter(org_id=c).count() == 2
    assert TrainingCourse.objects.filter(org__kind="medical").count() == 2
    assert TrainingCourse.objects.filter(held_on__lt=timezone.localdate()
                                         - timedelta(days=365)).exists()  # history
    assert TcmTechnique.objects.filter(org_id=a, stopped_on__isnull=False).count() == 1
    assert build_demo_training() == 0  # idempotent
