"""Surveillance and the outbreak playbook: opening, the report to county X, the order of steps,
timeline and audit, isolation, deaths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.infection.helpers import close_open_incidents, fresh_incident, positive, resident
from yiyang.core.errors import NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.infection import outbreak_queries as queries
from yiyang.infection import outbreak_services as services
from yiyang.infection.models import (
    InfectionControl,
    LineListEntry,
    Outbreak,
    OutbreakEvent,
    OutbreakReport,
)
from yiyang.orgs.models import Building, Room


def test_abnormal_antigen_opens_an_incident_in_officer_x_inbox_only(cast) -> None:
    close_open_incidents(cast)
    before = Outbreak.objects.count()
    test = positive(cast)
    outbreak = test.outbreak
    assert Outbreak.objects.count() == before + 1 and outbreak.state == "opened"
    report = OutbreakReport.objects.get(outbreak=outbreak, parent__isnull=True)
    assert report.to_org_id == cast.actor("officer_x").org_id
    assert report.due_at - report.received_at == timedelta(hours=2)
    assert report in queries.inbox(cast.actor("officer_x"))
    for other in ("officer_y", "officer_z"):
        assert report not in queries.inbox(cast.actor(other))
        assert not queries.reports(cast.actor(other)).filter(pk=report.pk).exists()
    # the case is on the line list; the timeline starts with the opening and the report
    assert outbreak.line_list.get().role == LineListEntry.Role.CASE
    assert list(outbreak.events.values_list("action", flat=True)) == ["open", "report_in"]
    assert AuditEvent.objects.filter(action="infection.outbreak.open",
                                     object_id=str(outbreak.pk)).exists()


def test_a_second_positive_joins_the_open_incident(cast) -> None:
    outbreak = fresh_incident(cast)
    second = positive(cast, nth=1)
    assert second.outbreak_id == outbreak.pk
    assert outbreak.line_list.count() == 2
    assert OutbreakReport.objects.filter(outbreak=outbreak).count() == 1


def test_negative_results_open_nothing(cast) -> None:
    close_open_incidents(cast)
    stay = resident(cast)
    test = services.record_test(actor=cast.actor("nurse_a"), kind="nucleic_acid",
                                result="negative", person_id=stay.person_id)
    assert test.outbreak is None
    assert not Outbreak.objects.filter(home=stay.home).exclude(state="closed").exists()


def test_staff_are_tested_too(cast) -> None:
    close_open_incidents(cast)
    staff = cast.membership("admin_a")
    test = services.record_test(actor=cast.actor("nurse_a"), kind="antigen", result="positive",
                                staff_id=staff.pk)
    assert test.outbreak.line_list.get().staff_id == staff.pk
    # another home's staff member answers 404
    with pytest.raises(NotFound):
        services.record_test(actor=cast.actor("nurse_a"), kind="antigen", result="positive",
                             staff_id=cast.membership("nurse_c").pk)


def test_low_spo2_prompts_referral(cast) -> None:
    stay = resident(cast)
    check = services.record_symptom_check(actor=cast.actor("nurse_a"), person_id=stay.person_id,
                                          temperature="37.2", spo2=91)
    assert check.referral_signs and "93" in check.referral_signs[0]
    fine = services.record_symptom_check(actor=cast.actor("nurse_a"), person_id=stay.person_id,
                                         temperature="36.6", spo2=97)
    assert fine.referral_signs == []


def test_other_homes_cannot_record_for_home_a(cast) -> None:
    stay = resident(cast)
    with pytest.raises((NotFound, ValidationFailed)):
        services.record_symptom_check(actor=cast.actor("nurse_c"), person_id=stay.person_id,
                                      temperature="37")
    with pytest.raises(NotFound):
        services.record_test(actor=cast.actor("officer_x") if False else cast.actor("nurse_c"),
                             kind="antigen", result="positive", person_id=stay.person_id)


def _act(cast, outbreak, action, **kw):  # type: ignore[no-untyped-def]
    outbreak.refresh_from_db()
    if "at" not in kw and outbreak.opened_at < timezone.now() - timedelta(hours=1):
        last = outbreak.events.order_by("-at").values_list("at", flat=True).first()
        kw["at"] = last + timedelta(minutes=1)  # a backdated incident: steps one after another
    return services.act(actor=cast.actor("admin_a"), outbreak_id=outbreak.pk, action=action,
                        version=outbreak.version, **kw)


def test_out_of_order_steps_are_refused_in_chinese(cast) -> None:
    outbreak = fresh_incident(cast)
    with pytest.raises(ValidationFailed) as err:
        _act(cast, outbreak, "disinfect", note="x")
    assert "当前为「发现异常」" in err.value.message and "启动应急预案" in err.value.message
    outbreak.refresh_from_db()
    assert outbreak.state == "opened"
    assert not AuditEvent.objects.filter(action="infection.outbreak.disinfect",
                                         object_id=str(outbreak.pk)).exists()


def test_the_whole_playbook_each_step_on_the_timeline_and_audited(cast) -> None:
    outbreak = fresh_incident(cast, at=timezone.now() - timedelta(days=2))
    home = outbreak.home
    case = outbreak.line_list.get()
    contact_stay = resident(cast, nth=2)
    _act(cast, outbreak, "start_plan", note="启动")
    with pytest.raises(ValidationFailed, match="尚未登记转移去向"):
        _act(cast, outbreak, "isolate")
    _act(cast, outbreak, "place", entry_id=case.pk, where="home_room", place="1号楼 隔离室1")
    _act(cast, outbreak, "add_person", role="close", person_id=contact_stay.person_id)
    _act(cast, outbreak, "isolate")
    with pytest.raises(ValidationFailed):
        _act(cast, outbreak, "report")  # the joint mechanism is required
    _act(cast, outbreak, "report", joint_mechanism="杞县联防联控办 王")
    _act(cast, outbreak, "place", entry_id=case.pk, where="hospital", place="杞县人民医院",
         green_channel=True)
    _act(cast, outbreak, "transfer")
    _act(cast, outbreak, "start_tracing", at=timezone.now() - timedelta(days=1))
    _act(cast, outbreak, "manage_contacts")
    # in-home isolation: refused without the recorded conditions
    InfectionControl.objects.filter(home=home).delete()
    with pytest.raises(ValidationFailed, match="不具备院内就地隔离条件"):
        _act(cast, outbreak, "decide_isolation", mode="in_home")
    with pytest.raises(ValidationFailed, match="闭环转运"):
        _act(cast, outbreak, "decide_isolation", mode="external")
    _act(cast, outbreak, "decide_isolation", mode="external", closed_loop=True)
    _act(cast, outbreak, "disinfect", note="终末消毒")
    with pytest.raises(ValidationFailed, match="未日清日结"):
        _act(cast, outbreak, "close", note="解除", at=timezone.now())
    yesterday = timezone.localdate() - timedelta(days=1)
    _act(cast, outbreak, "trace_day", day=yesterday.isoformat(), new_cases=0)
    with pytest.raises(ValidationFailed, match="已日清日结"):
        _act(cast, outbreak, "trace_day", day=yesterday.isoformat())
    _act(cast, outbreak, "close", note="解除隔离", at=timezone.now())
    outbreak.refresh_from_db()
    assert outbreak.state == "closed" and outbreak.closed_at is not None
    steps = ["start_plan", "isolate", "report", "transfer", "start_tracing", "manage_contacts",
             "decide_isolation", "disinfect", "close"]
    events = list(OutbreakEvent.objects.filter(outbreak=outbreak).values_list("action",
                                                                             flat=True))
    assert [e for e in events if e in steps] == steps
    audited = set(AuditEvent.objects.filter(object_type="infection.outbreak",
                                            object_id=str(outbreak.pk))
                  .values_list("action", flat=True))
    assert {f"infection.outbreak.{s}" for s in steps} <= audited
    # the contact's quarantine ends 7 days on (UNCONFIRMED length); the case went to hospital
    contact = outbreak.line_list.get(role="close")
    assert (contact.quarantine_until - contact.quarantine_from).days == 6
    case.refresh_from_db()
    assert queries.line_list(cast.actor("nurse_a"), outbreak)[0].current.where == "hospital"
    with pytest.raises(ValidationFailed, match="已结束"):
        _act(cast, outbreak, "trace_day")


def test_in_home_isolation_allowed_with_buildings_single_rooms_and_control(cast) -> None:
    outbreak = fresh_incident(cast)
    home = outbreak.home
    Building.objects.filter(home=home).update(is_independent=True)
    Room.objects.filter(pk=Room.objects.filter(home=home).order_by("pk").first().pk).update(
        is_single=True)
    services.set_infection_control(actor=cast.actor("admin_a"), has_system=False)
    check = services.isolation_check(home.pk)
    assert not check.allowed and check.reasons == ("未登记建立院感控制体系",)
    services.set_infection_control(actor=cast.actor("admin_a"), has_system=True, note="已建立")
    assert services.isolation_check(home.pk).allowed


def test_a_death_goes_through_the_stay_and_the_timeline(cast) -> None:
    outbreak = fresh_incident(cast)
    case = outbreak.line_list.get()
    services.act(actor=cast.actor("admin_a"), outbreak_id=outbreak.pk, action="death",
                 entry_id=case.pk, certificate_no="豫A2026000123", note="病亡")
    case.refresh_from_db()
    assert case.outcome == "died"
    stay = case.person.stays.order_by("-pk").first()
    assert stay.status == "deceased" and stay.death_certificate_no == "豫A2026000123"
    assert outbreak.events.filter(action="death").exists()
