"""Assessment records through the services: drafts, finalising, two assessors, corrections,
the hand-over of the ability level to the register, the admission bundle, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.assessments.helpers import ANNEX, bottom, finished, open_stay, top
from yiyang.assessments import queries, services
from yiyang.assessments.models import AdmissionAssessment, Assessment
from yiyang.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents.models import HealthProfile, KeyPopulationRecord


def test_a_draft_saves_as_it_goes_and_cannot_be_finalised_incomplete(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    draft = services.start(actor=nurse, person_id=stay.person_id, instrument="gbt42195",
                           reason="first")
    assert draft.status == "draft" and draft.instrument_version == "GB/T 42195-2022"
    services.save_draft(actor=nurse, assessment_id=draft.pk, answers={"B.1.1": 3})
    services.save_draft(actor=nurse, assessment_id=draft.pk, answers={"B.1.2": 2})
    draft.refresh_from_db()
    assert draft.answers == {"B.1.1": 3, "B.1.2": 2}
    with pytest.raises(ValidationFailed) as missing:
        services.finalise(actor=nurse, assessment_id=draft.pk, version=draft.version,
                          second_assessor_id=cast.user("nurse_a2").pk)
    assert missing.value.code == "incomplete" and "B.1.3" in missing.value.message
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.outcome == {}
    # An answer outside the item's options is refused and nothing changes.
    with pytest.raises(ValidationFailed):
        services.save_draft(actor=nurse, assessment_id=draft.pk, answers={"B.2.4": 4})
    assert Assessment.objects.get(pk=draft.pk).answers == {"B.1.1": 3, "B.1.2": 2}


def test_ability_needs_annex_a_and_a_second_assessor(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    draft = services.start(actor=nurse, person_id=stay.person_id, instrument="gbt42195",
                           answers=top("gbt42195"))
    with pytest.raises(ValidationFailed) as annex_missing:
        services.finalise(actor=nurse, assessment_id=draft.pk, version=draft.version,
                          second_assessor_id=cast.user("nurse_a2").pk)
    assert annex_missing.value.code == "incomplete_annex"
    services.save_draft(actor=nurse, assessment_id=draft.pk, context=ANNEX)
    draft.refresh_from_db()
    for second, code in ((None, "second_assessor_required"), (cast.user("nurse_a").pk,
                         "second_assessor_self"), (cast.user("care_a1").pk,
                         "second_assessor_invalid"), (cast.user("nurse_c").pk,
                         "second_assessor_invalid")):
        with pytest.raises(ValidationFailed) as bad:
            services.finalise(actor=nurse, assessment_id=draft.pk, version=draft.version,
                              second_assessor_id=second)
        assert bad.value.code == code
    done = services.finalise(actor=nurse, assessment_id=draft.pk, version=draft.version,
                             second_assessor_id=cast.user("nurse_a2").pk)
    # REFERENCE §2.3: every item at its maximum is 90 → 能力完好 (level 0).
    assert (done.total, done.level, done.status) == (90, 0, "final")
    assert done.second_assessor_name and done.assessor_name
    assert AuditEvent.objects.filter(action="assessments.finalise",
                                     object_id=str(done.pk)).exists()


def test_the_final_level_goes_to_the_profile_and_the_register(cast) -> None:
    stay = open_stay(cast)
    # Every item at 0: total 0 → level 4 完全失能 (REFERENCE §2.3).
    done = finished(cast, stay, "gbt42195", bottom("gbt42195"))
    assert (done.total, done.level) == (0, 4)
    profile = HealthProfile.objects.get(person_id=stay.person_id)
    assert profile.disability_level == "4"
    current = KeyPopulationRecord.objects.filter(person_id=stay.person_id,
                                                 is_current=True).first()
    assert current is not None and current.has_disability is True
    assert AuditEvent.objects.filter(action="residents.profile.assessed_disability",
                                     object_id=str(profile.pk)).exists()


def test_change_clauses_come_from_annex_a(cast) -> None:
    stay = open_stay(cast)
    answers = top("gbt42195")
    answers["B.1.1"] = 0  # total 86 → initial level 1
    annex = {**ANNEX, "risk_跌倒": "1", "risk_噎食": "1", "diagnoses": ["痴呆"]}
    done = finished(cast, stay, "gbt42195", answers, context=annex)
    details = done.outcome["details"]
    assert (done.total, details["initial_level"]) == (86, 1)
    # Clauses 2 and 3 both hold; the default raises once (REFERENCE §2.4).
    assert details["clauses"] == ["dementia_or_mental", "risk_events"] and done.level == 2


def test_other_mental_disorders_count_only_when_a_psychiatrist_diagnosed_them(cast) -> None:
    stay = open_stay(cast)
    answers = top("gbt42195")
    answers["B.1.1"] = 0
    unconfirmed = finished(cast, stay, "gbt42195", answers,
                           context={**ANNEX, "diagnoses": ["其他精神和行为障碍"]})
    assert unconfirmed.level == 1
    confirmed = finished(cast, stay, "gbt42195", answers,
                         context={**ANNEX, "diagnoses": ["其他精神和行为障碍"],
                                  "psychiatrist_confirmed": True})
    assert confirmed.level == 2


def test_a_finalised_record_is_corrected_by_a_new_one(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    first = finished(cast, stay, "morse", top("morse"))
    with pytest.raises(Conflict):
        services.save_draft(actor=nurse, assessment_id=first.pk, answers={})
    with pytest.raises(ValidationFailed):
        services.correct(actor=nurse, assessment_id=first.pk, note="  ")
    fix = services.correct(actor=nurse, assessment_id=first.pk, note="步态评错")
    assert fix.corrects_id == first.pk and fix.answers == first.answers and fix.status == "draft"
    with pytest.raises(Conflict):  # one correction per record
        services.correct(actor=nurse, assessment_id=first.pk, note="再次更正")
    # Until the correction is finished the old record still counts.
    assert [r.pk for r in queries.history(nurse, stay.person_id)] == [first.pk]
    services.save_draft(actor=nurse, assessment_id=fix.pk, answers=bottom("morse"))
    fix.refresh_from_db()
    services.finalise(actor=nurse, assessment_id=fix.pk, version=fix.version)
    assert [r.pk for r in queries.history(nurse, stay.person_id)] == [fix.pk]
    first.refresh_from_db()
    assert first.status == "final" and first.answers == top("morse")  # kept as it was


def test_permissions_and_scope(cast) -> None:
    stay = open_stay(cast)
    record = finished(cast, stay, "braden", top("braden"))
    with pytest.raises(Forbidden):
        services.start(actor=cast.actor("care_a1"), person_id=stay.person_id,
                       instrument="braden")
    for outsider in ("nurse_c", "doctor_d", "officer_x"):
        with pytest.raises(NotFound):
            services.start(actor=cast.actor(outsider), person_id=stay.person_id,
                           instrument="braden")
        with pytest.raises(NotFound):
            services.correct(actor=cast.actor(outsider), assessment_id=record.pk, note="x")
    with pytest.raises(NotFound):
        queries.assessment(cast.actor("nurse_c"), record.pk)
    assert queries.assessment(cast.actor("officer_x"), record.pk) == record  # reads its county


def test_dates_and_reasons_are_checked(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    today = timezone.localdate()
    for kwargs, code in (({"assessed_on": today + timedelta(days=1)}, "future_date"),
                         ({"assessed_on": stay.admitted_on - timedelta(days=1)},
                          "before_admission"),
                         ({"reason": "whim"}, "invalid_choice"),
                         ({"reason": "other"}, "required"),
                         ({"instrument": "nope"}, "invalid_instrument")):
        with pytest.raises(ValidationFailed) as bad:
            services.start(actor=nurse, person_id=stay.person_id,
                           **{"instrument": "morse", **kwargs})
        assert bad.value.code == code, kwargs


def test_the_admission_bundle_rates_the_four_risks(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    bundle = services.start_admission(actor=nurse, stay_id=stay.pk,
                                      health_status="高血压，血压控制尚可",
                                      service_needs=["daily_care", "medical_care"])
    with pytest.raises(Conflict):
        services.start_admission(actor=nurse, stay_id=stay.pk)
    parts = services.current_components(bundle)
    assert sorted(parts) == ["braden", "gbt42195", "morse"]
    assert all(p.reason == "first" and p.status == "draft" for p in parts.values())
    with pytest.raises(ValidationFailed):  # a bundle component cannot be thrown away
        services.discard(actor=nurse, assessment_id=parts["morse"].pk,
                         version=parts["morse"].version)
    ability = top("gbt42195")
    ability["B.1.1"] = 1  # frequent choking → choking risk 高 (bundle_rules)
    ability["B.3.2"] = 2  # cannot go out alone → wandering risk 中
    services.save_draft(actor=nurse, assessment_id=parts["gbt42195"].pk, answers=ability,
                        context=ANNEX)
    services.save_draft(actor=nurse, assessment_id=parts["morse"].pk, answers=top("morse"))
    services.save_draft(actor=nurse, assessment_id=parts["braden"].pk, answers=top("braden"))
    for code in ("morse", "braden"):
        part = Assessment.objects.get(pk=parts[code].pk)
        services.finalise(actor=nurse, assessment_id=part.pk, version=part.version)
    assert AdmissionAssessment.objects.get(pk=bundle.pk).status == "open"
    part = Assessment.objects.get(pk=parts["gbt42195"].pk)
    part = services.finalise(actor=nurse, assessment_id=part.pk, version=part.version,
                             second_assessor_id=cast.user("nurse_a2").pk)
    bundle.refresh_from_db()
    assert bundle.status == "complete" and bundle.ability_level == part.level
    levels = {k: v["label"] for k, v in bundle.ratings.items()}
    # Morse at its worst (125) is high risk; Braden at its best (23) is no risk.
    assert levels == {"fall": "高", "pressure": "低", "choking": "高", "wandering": "中"}
    assert bundle.overall_risk == "高"


def test_triggers_are_validated(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.actor("nurse_a")
    today = timezone.localdate()
    trigger = services.report_trigger(actor=nurse, person_id=stay.person_id, kind="fall",
                                      occurred_on=today, note="夜间如厕跌倒")
    assert trigger.home_id == stay.home_id
    for kind, on in (("hospital_return", today), ("fall", today + timedelta(days=1))):
        with pytest.raises(ValidationFailed):
            services.report_trigger(actor=nurse, person_id=stay.person_id, kind=kind,
                                    occurred_on=on)
    with pytest.raises(NotFound):
        services.report_trigger(actor=cast.actor("nurse_c"), person_id=stay.person_id,
                                kind="fall", occurred_on=today)
