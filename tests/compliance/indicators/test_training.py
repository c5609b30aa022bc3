"""Staff training (§五) and TCM techniques (§十一) indicators against hand counts.

The demo world (src/yiyang/demo/training.py) as of today, counted by hand:
* home A's managers/professionals: admin_a, nurse_a, nurse_a2, hdoc_a, doctor_multi (驻院医生);
  trained in the last 12 months: admin_a, nurse_a (200 and 45 days ago), hdoc_a → 3 of 5
  (nurse_a2's course is 425 days old; caregivers attend but do not count);
* home C: admin_c, nurse_c, hdoc_c; only nurse_c (90 days ago) → 1 of 3;
* home B: admin_b, nurse_b, no course → 0 of 2;
* med_b: admin_med_b, doctor_b, agree_b, doctor_multi; admin_med_b and doctor_b → 2 of 4;
* TCM: home A offers moxa, auricular_press, tuina, acupressure, gua_sha, acupoint_plaster
  (5 types, 6 items; fire_cupping stopped 40 days ago) → 1 of 1; home C moxa, acupoint_plaster,
  herbal_fumigation (2 types, 3 items) → 0 of 1; home E (nursing station, nothing) → 0 of 1;
  homes B, D, F have no medical unit → not counted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yiyang.compliance import indicators
from yiyang.compliance import training_services as services
from yiyang.compliance.indicators.base import Value
from yiyang.compliance.models import TcmTechnique
from yiyang.core.errors import NotFound
from yiyang.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _org(key_user: str, cast):  # type: ignore[no-untyped-def]
    return cast.membership(key_user).org_id


def _home(name: str) -> int:
    return Organisation.objects.get(name=name).pk


def test_staff_training_by_hand(cast) -> None:
    ind = indicators.get("staff_training")
    today = timezone.localdate()
    a, c = cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk
    b = _home("杞县五里河镇敬老院")
    values = ind.compute([a, b, c], today)
    assert values[a] == Value(3, 5)
    assert values[c] == Value(1, 3)
    assert values[b] == Value(0, 2)
    # nurse_a2 attends a course today and doctor_multi leaves home A: 4 of 4.
    services.record_training(actor=cast.actor("nurse_a"), title="X", kind="other",
                             organiser="X", held_on=today, hours=2,
                             attendee_ids=[cast.membership("nurse_a2").pk])
    Membership.objects.filter(user__username="doctor_multi", org_id=a).update(is_active=False)
    assert ind.compute([a], today)[a] == Value(4, 4)
    # 430 days ago no course of home A had been held yet.
    assert ind.compute([a], today - timedelta(days=430))[a] == Value(0, 4)
    # 170 days from now the 200-day-old course is out of the 12 months (admin_a drops out);
    # nurse_a, hdoc_a (45 days ago) and nurse_a2 (today) are in.
    assert ind.compute([a], today + timedelta(days=170))[a] == Value(3, 4)


def test_medical_staff_training_by_hand(cast) -> None:
    ind = indicators.get("staff_training_medical")
    med_b = cast.membership("doctor_b").org_id
    med_d = cast.membership("doctor_d").org_id
    values = ind.compute(None, timezone.localdate())
    assert values[med_b] == Value(2, 4)
    assert values[med_d] == Value(3, 3)
    assert cast.home_of("nurse_a").pk not in values  # homes are the other indicator's


def test_tcm_techniques_by_hand(cast) -> None:
    ind = indicators.get("tcm_techniques")
    today = timezone.localdate()
    a, c = cast.home_of("nurse_a").pk, cast.home_of("nurse_c").pk
    e, b = _home("兰考县康宁颐养院"), _home("杞县五里河镇敬老院")
    values = ind.compute(None, today)
    assert values[a] == Value(1, 1)
    assert values[c] == Value(0, 1)
    assert values[e] == Value(0, 1)
    assert b not in values  # no internal medical unit: not in the denominator
    # 45 days ago fire cupping was still offered (7 items); 260 days ago gua sha and acupoint
    # plaster had not started: moxa, auricular press, tuina, acupressure, fire cupping are
    # 5 items (of 4 types): not met.
    assert ind.compute([a], today - timedelta(days=45))[a] == Value(1, 1)
    assert ind.compute([a], today - timedelta(days=260))[a] == Value(0, 1)
    # home A stops gua sha today: offered until today inclusive, not from tomorrow.
    row = TcmTechnique.objects.get(org_id=a, technique="gua_sha")
    services.stop_technique(actor=cast.actor("nurse_a"), technique_id=row.pk,
                            version=row.version, stopped_on=today)
    assert ind.compute([a], today)[a] == Value(1, 1)
    assert ind.compute([a], today + timedelta(days=1))[a] == Value(0, 1)


def test_compute_runs_a_fixed_number_of_queries(cast) -> None:
    today = timezone.localdate()
    a = cast.home_of("nurse_a").pk
    for code in ("staff_training", "staff_training_medical", "tcm_techniques"):
        ind = indicators.get(code)
        with CaptureQueriesContext(connection) as one:
            ind.compute([a], today)
        with CaptureQueriesContext(connection) as every:
            ind.compute(None, today)
        assert len(one) == len(every) <= 2, code


def test_records_are_the_rows_behind_the_number(cast) -> None:
    today = timezone.localdate()
    a = cast.home_of("nurse_a").pk
    rec = indicators.get("staff_training").records(cast.actor("officer_x"), a, today)
    counted = sorted(r.cells[0] for r in rec.rows if r.counted)
    assert len(rec.rows) == 5
    assert counted == sorted(Membership.objects.get(user__username=u, org_id=a)
                             .user.full_name for u in ("admin_a", "nurse_a", "hdoc_a"))
    assert all(r.url for r in rec.rows if r.counted)
    tcm = indicators.get("tcm_techniques").records(cast.actor("admin_a"), a, today)
    assert sum(r.counted for r in tcm.rows) == 6 and len(tcm.rows) == 7
    assert "达标" in tcm.note and "未达标" not in tcm.note
    assert "5 类 6 项" in tcm.note


@pytest.mark.parametrize("username", ["nurse_c", "officer_y", "doctor_d", "worker_u"])
def test_records_of_home_a_are_not_for_others(cast, username: str) -> None:
    today = timezone.localdate()
    a = cast.home_of("nurse_a").pk
    for code in ("staff_training", "tcm_techniques"):
        with pytest.raises(NotFound):
            indicators.get(code).records(cast.actor(username), a, today)


def test_partner_doctor_sees_no_staff_of_home_a(cast) -> None:
    """doctor_b reads home A's card (a partner) but not its staff or trainings."""
    a = cast.home_of("nurse_a").pk
    today = timezone.localdate()
    assert indicators.get("staff_training").records(cast.actor("doctor_b"), a, today).rows == []
    assert indicators.get("tcm_techniques").records(cast.actor("doctor_b"), a, today).rows == []
