"""Agreement services: drafting, both sides confirming, signing, publishing, ending, patrols."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from yiyang.agreements import patrol_services, services
from yiyang.agreements.models import Agreement, AgreementEvent, PatrolVisit
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TERMS = {"items": [1, 2, 5], "modes": ["patrol", "referral"], "home_duties": "提供场地",
         "medical_duties": "定期巡诊", "fee": "6000.00", "fee_factors": ["workload"],
         "patrol_interval_days": 7}


def _draft(cast, **over) -> Agreement:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    terms = {**TERMS, "start_on": today - timedelta(days=20),
             "end_on": today + timedelta(days=345), **over}
    return services.create_draft(actor=cast.actor("admin_a"),
                                 counterpart_id=cast.actor("doctor_d").org_id, **terms)


def _act(cast, who: str, a: Agreement, action: str, **kw) -> Agreement:  # type: ignore[no-untyped-def]
    return services.act(actor=cast.actor(who), agreement_id=a.pk, action=action,
                        version=a.version, **kw)


def _published(cast) -> Agreement:  # type: ignore[no-untyped-def]
    a = _draft(cast)
    a = _act(cast, "admin_a", a, "confirm_home")
    a = _act(cast, "agree_d", a, "confirm_medical")
    a = _act(cast, "admin_a", a, "sign", document=ContentFile(b"%PDF-1.4\n", name="x.pdf"))
    return _act(cast, "admin_med_d", a, "publish")


def test_the_whole_path_to_published_writes_timeline_and_audit(cast) -> None:
    audits = AuditEvent.objects.filter(action__startswith="agreements.").count()
    a = _published(cast)
    assert a.state == "published"
    assert a.published_on == timezone.localdate()
    assert a.signed_document.name
    steps = list(AgreementEvent.objects.filter(agreement=a).values_list("action", "to_state"))
    assert steps == [("create", "draft"), ("confirm_home", "confirmed_by_home"),
                     ("confirm_medical", "confirmed"), ("sign", "signed"),
                     ("publish", "published")]
    assert AuditEvent.objects.filter(action__startswith="agreements.").count() == audits + 5
    # doctor_d's institution now holds an active agreement with home A.
    assert cast.actor("doctor_d").partner_home_ids == frozenset({a.home_id})


def test_each_side_confirms_only_for_itself(cast) -> None:
    a = _draft(cast)
    with pytest.raises(Forbidden):
        _act(cast, "admin_a", a, "confirm_medical")
    with pytest.raises(Forbidden):
        _act(cast, "agree_d", a, "confirm_home")
    assert Agreement.objects.get(pk=a.pk).state == "draft"


def test_other_organisations_and_plain_staff_cannot_act(cast) -> None:
    a = _draft(cast)
    with pytest.raises(NotFound):
        _act(cast, "admin_c", a, "confirm_home")
    with pytest.raises(NotFound):
        _act(cast, "agree_b", a, "confirm_medical")
    with pytest.raises(NotFound):
        _act(cast, "officer_x", a, "confirm_home")
    with pytest.raises(Forbidden):
        _act(cast, "nurse_a", a, "confirm_home")
    with pytest.raises(Forbidden):
        _act(cast, "doctor_d", a, "confirm_medical")


def test_no_skipping_stale_versions_and_reasons(cast) -> None:
    a = _draft(cast)
    with pytest.raises(ValidationFailed):
        _act(cast, "admin_a", a, "publish")
    with pytest.raises(ValidationFailed):
        _act(cast, "admin_a", a, "activate")  # the dates do that
    with pytest.raises(ValidationFailed, match="原因"):
        _act(cast, "admin_a", a, "withdraw")
    stale = a.version
    a = _act(cast, "admin_a", a, "confirm_home")
    with pytest.raises(Conflict):
        services.act(actor=cast.actor("agree_d"), agreement_id=a.pk, action="confirm_medical",
                     version=stale)
    a = _act(cast, "agree_d", a, "confirm_medical")
    with pytest.raises(ValidationFailed, match="签字盖章"):
        _act(cast, "admin_a", a, "sign")


def test_an_incomplete_text_is_refused(cast) -> None:
    with pytest.raises(ValidationFailed, match="巡诊周期"):
        _draft(cast, patrol_interval_days=None)
    with pytest.raises(ValidationFailed, match="服务项目"):
        _draft(cast, items=[18])
    with pytest.raises(ValidationFailed, match="经费"):
        _draft(cast, fee_factors=[])


def test_termination_needs_a_reason_and_ends_access(cast) -> None:
    a = _published(cast)
    with pytest.raises(ValidationFailed):
        _act(cast, "admin_a", a, "terminate", reason=" ")
    a = _act(cast, "admin_a", a, "terminate", reason="双方协商一致")
    assert (a.state, a.terminated_on) == ("terminated", timezone.localdate())
    assert a.termination_reason == "双方协商一致"
    assert cast.actor("doctor_d").partner_home_ids == frozenset()


def test_patrol_visits_are_recorded_by_the_medical_side_within_the_term(cast) -> None:
    a = _published(cast)
    today = timezone.localdate()
    with pytest.raises(Forbidden):
        patrol_services.record_patrol_visit(actor=cast.actor("nurse_a"), agreement_id=a.pk,
                                     visited_on=today, doctors="X")
    with pytest.raises(NotFound):
        patrol_services.record_patrol_visit(actor=cast.actor("doctor_b"), agreement_id=a.pk,
                                     visited_on=today, doctors="X")
    with pytest.raises(ValidationFailed):
        patrol_services.record_patrol_visit(actor=cast.actor("doctor_d"), agreement_id=a.pk,
                                     visited_on=a.start_on - timedelta(days=1), doctors="X")
    with pytest.raises(ValidationFailed):
        patrol_services.record_patrol_visit(actor=cast.actor("doctor_d"), agreement_id=a.pk,
                                     visited_on=today + timedelta(days=1), doctors="X")
    visit = patrol_services.record_patrol_visit(
        actor=cast.actor("doctor_d"), agreement_id=a.pk, visited_on=today, doctors="陈中和",
        findings="血压偏高 1 人", orders="复测血压")
    assert PatrolVisit.objects.get(pk=visit.pk).home_id == a.home_id
    assert AuditEvent.objects.filter(action="agreements.patrol", object_id=str(visit.pk)).exists()


def test_no_patrol_visit_on_a_draft(cast) -> None:
    a = _draft(cast)
    with pytest.raises(ValidationFailed, match="尚未公开"):
        patrol_services.record_patrol_visit(actor=cast.actor("doctor_d"), agreement_id=a.pk,
                                     visited_on=timezone.localdate(), doctors="X")


def test_the_medical_side_may_draft_too(cast) -> None:
    today = timezone.localdate()
    a = services.create_draft(actor=cast.actor("agree_d"),
                              counterpart_id=cast.home_of("nurse_c").pk,
                              start_on=today, end_on=today + timedelta(days=365), **TERMS)
    assert a.home_id == cast.home_of("nurse_c").pk
    assert a.region_code == cast.home_of("nurse_c").region_code
    with pytest.raises(Forbidden):
        services.create_draft(actor=cast.actor("officer_x"), counterpart_id=a.home_id,
                              start_on=today, end_on=today, **TERMS)


def test_the_nightly_clock_moves_states_with_the_dates(cast) -> None:
    a = _published(cast)
    today = timezone.localdate()
    Agreement.objects.filter(pk=a.pk).update(end_on=today + timedelta(days=10))
    services.catch_up(today=today)
    a.refresh_from_db()
    assert a.state == "expiring"
    steps = list(AgreementEvent.objects.filter(agreement=a).values_list("action", flat=True))
    assert steps[-2:] == ["activate", "warn"]
    services.catch_up(today=today)  # nothing more to do today
    assert AgreementEvent.objects.filter(agreement=a).count() == len(steps)
    services.catch_up(today=today + timedelta(days=11))
    a.refresh_from_db()
    assert a.state == "expired"
    assert AuditEvent.objects.filter(action="agreements.act", object_id=str(a.pk),
                                     username="system").count() == 3


def test_the_fee_memo_account_is_the_medical_sides(cast) -> None:
    from decimal import Decimal

    from yiyang.agreements import queries
    from yiyang.agreements.models import FeeEntry

    a = _published(cast)
    today = timezone.localdate()
    fee = {"agreement_id": a.pk, "entry_on": today}
    services.record_fee(actor=cast.actor("agree_d"), kind="receipt", amount=Decimal("3000"),
                        note="第一季度合作经费", **fee)
    services.record_fee(actor=cast.actor("admin_med_d"), kind="use", amount=Decimal("1200.50"),
                        note="巡诊交通及耗材", **fee)
    with pytest.raises(ValidationFailed, match="余额"):
        services.record_fee(actor=cast.actor("agree_d"), kind="use", amount=Decimal("2000"),
                            note="超支", **fee)
    with pytest.raises(Forbidden):
        services.record_fee(actor=cast.actor("admin_a"), kind="receipt", amount=Decimal("1"),
                            note="X", **fee)
    with pytest.raises(Forbidden):
        services.record_fee(actor=cast.actor("doctor_d"), kind="receipt", amount=Decimal("1"),
                            note="X", **fee)
    rows = FeeEntry.objects.filter(agreement=a).values_list("kind", "amount")
    assert services.fee_balance(rows) == Decimal("1799.50")
    assert queries.fee_entries(cast.actor("agree_d"), a.pk).count() == 2
    assert queries.fee_entries(cast.actor("officer_x"), a.pk).count() == 2
    assert queries.fee_entries(cast.actor("admin_a"), a.pk).count() == 0
    entries = [str(pk) for pk in FeeEntry.objects.filter(agreement=a).values_list("pk", flat=True)]
    assert AuditEvent.objects.filter(action="agreements.fee", object_id__in=entries).count() == 2
