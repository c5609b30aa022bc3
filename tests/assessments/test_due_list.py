"""The due list of a home (queries.due_list) on real records: routine intervals from settings,
immediate re-assessment after a hospital return (the residents' stay event) and after a change
of the GB/T 42195 level, and how a correction changes that."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tests.assessments.helpers import bottom, finished, open_stay, top
from yiyang.assessments import queries, services
from yiyang.assessments.schedule_rules import DEFAULT_ROUTINE_DAYS, Reason, TriggerKind
from yiyang.residents import services as resident_services
from yiyang.residents.models import Stay

BUNDLE = ("gbt42195", "morse", "braden")


def _dues(cast, stay: Stay, today: date) -> dict[str, object]:  # type: ignore[no-untyped-def]
    rows = queries.due_list(cast.actor("nurse_a"), stay.home_id, today=today)
    return {r.due.instrument: r.due for r in rows if r.stay.pk == stay.pk}


def _resident(cast, before: date) -> Stay:  # type: ignore[no-untyped-def]
    """A stay of home A in residence (not on leave or in hospital), not yet assessed."""
    return (Stay.objects.filter(home=cast.home_of("nurse_a"), status="in_residence",
                                admitted_on__lt=before, person__assessments__isnull=True)
            .select_related("person").order_by("pk").first())


def _all_done(cast, stay: Stay, on: date) -> None:  # type: ignore[no-untyped-def]
    for code in BUNDLE:
        finished(cast, stay, code, on=on)


def test_a_hospital_return_makes_the_bundle_due_within_three_days(cast) -> None:
    today = timezone.localdate()
    stay = _resident(cast, today - timedelta(days=40))
    _all_done(cast, stay, today - timedelta(days=20))
    assert _dues(cast, stay, today).keys() == {"braden"}  # 20 + 30: routine, in 10 days
    admin = cast.actor("admin_a")
    stay = resident_services.change_stay(actor=admin, stay_id=stay.pk, event="hospital_transfer",
                                         version=stay.version, on=today - timedelta(days=10),
                                         destination="县人民医院")
    resident_services.change_stay(actor=admin, stay_id=stay.pk, event="return_from_hospital",
                                  version=stay.version, on=today - timedelta(days=4))
    found = _dues(cast, stay, today)
    assert found.keys() == set(BUNDLE)
    for code in BUNDLE:
        due = found[code]
        assert due.reason is Reason.IMMEDIATE and due.trigger.kind is TriggerKind.HOSPITAL_RETURN
        # Returned 4 days ago + 3 days (IMMEDIATE_WITHIN_DAYS): one day late.
        assert (due.due_on, due.days_late) == (today - timedelta(days=1), 1)
    # Assessing again after the return answers it.
    _all_done(cast, stay, today)
    assert _dues(cast, stay, today) == {}


def test_a_level_change_makes_the_risk_scales_due(cast) -> None:
    today = timezone.localdate()
    stay = open_stay(cast, before=today - timedelta(days=60))
    _all_done(cast, stay, today - timedelta(days=50))  # every item at its top: level 0
    worse = finished(cast, stay, "gbt42195", bottom("gbt42195"), on=today - timedelta(days=5))
    assert worse.level == 4
    found = _dues(cast, stay, today)
    assert "gbt42195" not in found
    morse = found["morse"]
    assert morse.reason is Reason.IMMEDIATE and morse.trigger.kind is TriggerKind.LEVEL_CHANGE
    assert morse.trigger.note == "能力等级 0 → 4"
    assert (morse.due_on, morse.days_late) == (today - timedelta(days=2), 2)
    # Braden's routine date (50 days ago + 30) is earlier than the trigger's: it wins.
    braden = found["braden"]
    assert braden.reason is Reason.IMMEDIATE and braden.due_on == today - timedelta(days=20)

    # A correction still in draft leaves the level change standing ...
    fix = services.correct(actor=cast.actor("nurse_a"), assessment_id=worse.pk, note="评错")
    assert _dues(cast, stay, today)["morse"].reason is Reason.IMMEDIATE
    # ... a finished one back at level 0 removes it.
    services.save_draft(actor=cast.actor("nurse_a"), assessment_id=fix.pk,
                        answers=top("gbt42195"))
    fix.refresh_from_db()
    services.finalise(actor=cast.actor("nurse_a"), assessment_id=fix.pk, version=fix.version,
                      second_assessor_id=cast.user("nurse_a2").pk)
    assert "morse" not in _dues(cast, stay, today)


def test_routine_intervals_come_from_settings_per_instrument(cast, settings) -> None:
    today = timezone.localdate()
    stay = open_stay(cast, before=today - timedelta(days=60))
    _all_done(cast, stay, today - timedelta(days=40))
    # Defaults: ability 180, Morse 90 → not yet; Braden 30 → 10 days late.
    assert {k: v.days_late for k, v in _dues(cast, stay, today).items()} == {"braden": 10}
    settings.ASSESSMENT_ROUTINE_DAYS = {"gbt42195": 30, "braden": None, "mnasf": 90}
    found = _dues(cast, stay, today)
    # Ability now every 30 days: 10 days late; Braden only on admission and on triggers;
    # Morse keeps its default; MNA-SF joins the schedule and is owed since admission.
    assert found["gbt42195"].reason is Reason.ROUTINE and found["gbt42195"].days_late == 10
    assert "braden" not in found and "morse" not in found
    assert found["mnasf"].reason is Reason.FIRST
    assert queries.routine_days() == {"gbt42195": 30, "morse": 90, "braden": None,
                                      "mnasf": 90}
    assert DEFAULT_ROUTINE_DAYS["braden"] == 30  # the default itself is untouched


@pytest.mark.parametrize("bad", [{"nope": 30}, {"morse": 0}, {"morse": "90"}, {"morse": True}])
def test_bad_routine_settings_are_refused(cast, settings, bad: dict[str, object]) -> None:
    settings.ASSESSMENT_ROUTINE_DAYS = bad
    with pytest.raises(ImproperlyConfigured, match="ASSESSMENT_ROUTINE_DAYS"):
        queries.routine_days()


def test_stacking_clauses_is_a_setting(cast, settings) -> None:
    answers = top("gbt42195")
    answers["B.1.1"] = 0  # 86 → initial level 1 (REFERENCE §2.3: 66–89)
    annex = {"risk_跌倒": "1", "risk_噎食": "1", "risk_走失": "0", "risk_自杀/自伤": "0",
             "risk_其他": "0", "informant_relation": "本人", "diagnoses": ["痴呆"]}
    stay = open_stay(cast)
    # Default: clauses 2 and 3 together raise the level once (REFERENCE §2.4).
    assert finished(cast, stay, "gbt42195", answers, context=annex).level == 2
    settings.ASSESSMENT_STACK_CLAUSES = True
    stacked = finished(cast, stay, "gbt42195", answers, context=annex)
    assert stacked.level == 3 and stacked.outcome["details"]["stack_clauses"] is True
