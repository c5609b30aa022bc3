"""Recording follow-ups and a home's intervals: permission, validation, audit, versions."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents import followup_services as services
from yiyang.residents.models import (
    OPEN_STATUSES,
    FollowUpPolicy,
    FollowUpRecord,
    KeyPopulationRecord,
    Stay,
)


def _resident(cast, username: str = "nurse_a", category: str = "red") -> Stay:  # type: ignore[no-untyped-def]
    home = cast.home_of(username)
    current = KeyPopulationRecord.objects.filter(is_current=True, category=category)
    return (Stay.objects.filter(home=home, status="in_residence",
                                person__in=current.values("person"))
            .select_related("person").order_by("pk").first())


def _record(cast, username: str = "nurse_a", stay: Stay | None = None, **extra):  # type: ignore[no-untyped-def]
    stay = stay or _resident(cast)
    data = {"method": "in_person", "findings": "精神好，无发热咳嗽", **extra}
    return services.record_follow_up(actor=cast.actor(username), person_id=stay.person_id,
                                     **data)


def test_a_nurse_records_a_follow_up_with_readings_and_it_is_audited(cast) -> None:
    stay = _resident(cast)
    record = _record(cast, stay=stay, spo2=97, temperature=Decimal("36.6"), antigen="negative",
                     next_action="继续每日一问")
    assert (record.stay, record.home_id, record.person_id) == (stay, stay.home_id,
                                                               stay.person_id)
    assert record.done_on == timezone.localdate() and record.category == "red"
    assert record.recorded_by == "nurse_a" and record.region_code == stay.region_code
    assert record.referral_signs == ()
    event = AuditEvent.objects.get(action="residents.follow_up.record",
                                   object_id=str(record.pk))
    assert event.username == "nurse_a" and event.object_org_id == stay.home_id
    assert event.changes["spo2"] == [None, 97] and event.changes["method"] == [None, "in_person"]


def test_low_oxygen_is_flagged_for_referral(cast) -> None:
    record = _record(cast, spo2=91, findings="活动后气促")
    assert record.referral_signs and "转诊" in record.referral_signs[0]


def test_a_past_follow_up_with_its_time(cast) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    record = _record(cast, done_on=yesterday, done_time=time(9, 30), method="phone")
    assert (record.done_on, record.done_time) == (yesterday, time(9, 30))


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"method": "fax"}, "method", "随访方式"),
    ({"findings": "  "}, "findings", "请填写随访情况"),
    ({"spo2": 30}, "spo2", "血氧饱和度应在 50–100%"),
    ({"spo2": 101}, "spo2", "血氧饱和度"),
    ({"temperature": Decimal("45.0")}, "temperature", "体温应在"),
    ({"antigen": "maybe"}, "antigen", "抗原"),
    ({"done_on": timezone.localdate() + timedelta(days=1)}, "done_on", "不能晚于今天"),
    ({"done_on": timezone.localdate() - timedelta(days=40 * 365)}, "done_on", "早于入住日期"),
])
def test_bad_input_is_a_chinese_error_and_writes_nothing(cast, extra, field, message) -> None:
    before = (FollowUpRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as err:
        _record(cast, **extra)
    assert err.value.field == field and message in err.value.message
    assert (FollowUpRecord.objects.count(), AuditEvent.objects.count()) == before


def test_a_time_later_today_is_refused(cast) -> None:
    now = timezone.localtime()
    if now.time() > time(23, 58):
        pytest.skip("no later time today")
    with pytest.raises(ValidationFailed, match="不能晚于现在"):
        _record(cast, done_on=now.date(), done_time=time(23, 59))


@pytest.mark.parametrize("username", ["care_a1", "reg_a"])
def test_caregivers_and_registrars_may_not_record(cast, username: str) -> None:
    with pytest.raises(Forbidden):
        _record(cast, username)


@pytest.mark.parametrize("username", ["nurse_c", "doctor_b", "doctor_d", "officer_x",
                                      "officer_city"])
def test_other_organisations_and_regulators_get_404(cast, username: str) -> None:
    before = FollowUpRecord.objects.count()
    with pytest.raises(NotFound):
        _record(cast, username)
    assert FollowUpRecord.objects.count() == before


def test_no_follow_up_after_discharge(cast) -> None:
    closed = Stay.objects.filter(home=cast.home_of("nurse_a")).exclude(
        status__in=OPEN_STATUSES).exclude(person__stays__status__in=OPEN_STATUSES).first()
    with pytest.raises(ValidationFailed) as err:
        _record(cast, stay=closed)
    assert err.value.code == "no_open_stay"


# ---- the home's intervals ---------------------------------------------------------------

def _set(cast, username: str = "admin_a", **kw):  # type: ignore[no-untyped-def]
    actor = cast.actor(username)
    home_id = kw.pop("home_id", cast.home_of("admin_a").pk)
    return services.set_follow_up_policy(actor=actor, home_id=home_id, **kw)


def test_set_change_and_reset_a_policy_with_versions_and_audit(cast) -> None:
    policy = _set(cast, category="green", interval_days=7)
    assert (policy.interval_days, policy.version) == (7, 1)
    policy = _set(cast, category="green", interval_days=None, version=1)  # none at all
    assert (policy.interval_days, policy.version) == (None, 2)
    with pytest.raises(Conflict):
        _set(cast, category="green", interval_days=14, version=1)  # stale
    assert _set(cast, category="green", use_default=True, version=2) is None
    assert not FollowUpPolicy.objects.filter(category="green").exists()
    actions = list(AuditEvent.objects.filter(action__startswith="residents.follow_up_policy",
                                             object_org_id=cast.home_of("admin_a").pk)
                   .order_by("id").values_list("action", "changes"))
    assert [a for a, _ in actions] == ["residents.follow_up_policy.set",
                                       "residents.follow_up_policy.set",
                                       "residents.follow_up_policy.reset"]
    assert actions[0][1]["interval_days"] == [None, 7]
    assert actions[1][1]["interval_days"] == [7, None]


def test_reset_without_a_setting_does_nothing_and_a_vanished_one_is_a_conflict(cast) -> None:
    before = AuditEvent.objects.count()
    assert _set(cast, category="red", use_default=True) is None
    assert AuditEvent.objects.count() == before
    with pytest.raises(Conflict):
        _set(cast, category="red", interval_days=2, version=3)


@pytest.mark.parametrize(("kw", "message"), [
    ({"category": "purple", "interval_days": 1}, "人群分类无效"),
    ({"category": "red", "interval_days": 0}, "1–365"),
    ({"category": "red", "interval_days": 400}, "1–365"),
])
def test_bad_policy_input(cast, kw, message) -> None:
    with pytest.raises(ValidationFailed, match=message):
        _set(cast, **kw)


@pytest.mark.parametrize("username", ["nurse_a", "reg_a"])
def test_only_the_home_manager_sets_intervals(cast, username: str) -> None:
    with pytest.raises(Forbidden):
        _set(cast, username, category="red", interval_days=2)


@pytest.mark.parametrize("username", ["admin_c", "officer_x", "doctor_b"])
def test_other_organisations_cannot_set_home_a_intervals(cast, username: str) -> None:
    with pytest.raises(NotFound):
        _set(cast, username, category="red", interval_days=2)
    assert not FollowUpPolicy.objects.filter(home=cast.home_of("admin_a")).exists()
