"""The hand-written SQL baselines of the training/TCM indicators equal the roll-up of
`compute(None, on)` on the demo world, for the province and for officer_x's county (so a wrong
baseline fails), on the day of the demo and on a day a year and a half earlier."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F as models_F
from django.utils import timezone

from tests.bench.baseline_support import load_baselines
from yiyang.compliance import indicator_snapshots

BASELINES = load_baselines("training")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("back", [0, 120, 430])
def test_baselines_equal_the_rolled_up_compute(cast, back: int) -> None:
    on = timezone.localdate() - timedelta(days=back)
    results = indicator_snapshots.compute_all(on, BASELINES)
    county = cast.actor("officer_x").region_prefix
    seen_nonzero = False
    for code, baseline in BASELINES.items():
        _, regions = results[code]
        for prefix in ("41", county):
            with connection.cursor() as cursor:
                got = baseline(cursor, prefix, on)
            value = regions.get(prefix)
            expected = (value.numerator, value.denominator) if value else (0, 0)
            assert got == expected, (code, prefix, on)
            seen_nonzero |= got[0] > 0
    if back == 0:
        assert seen_nonzero


def test_baselines_by_hand_for_county_x(cast) -> None:
    """County X (杞县): homes A and B, med_b. Home A 3 of 5 and home B 0 of 2 trained;
    med_b 2 of 4; TCM: home A (医务室) meets, home B has no medical unit."""
    on = timezone.localdate()
    county = cast.actor("officer_x").region_prefix
    with connection.cursor() as cursor:
        assert BASELINES["staff_training"](cursor, county, on) == (3, 7)
        assert BASELINES["staff_training_medical"](cursor, county, on) == (2, 4)
        assert BASELINES["tcm_techniques"](cursor, county, on) == (1, 1)


def test_scale_generator_rows_agree_with_compute_and_baseline(cast) -> None:
    """`demo.training.generate_scale` (for `yiyang gen`) on homes B, D, E and med_n: each with
    staff gets 1–4 trainings attended by its own staff; home E (护理站) gets 2–9 techniques;
    the baselines still equal the rolled-up compute."""
    from yiyang.compliance.models import TcmTechnique, TrainingAttendance, TrainingCourse
    from yiyang.demo.training import generate_scale
    from yiyang.orgs.models import Organisation

    names = ("杞县五里河镇敬老院", "通许县竖岗镇中心敬老院", "兰考县康宁颐养院", "兰考县仁爱护理院")
    ids = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    assert len(ids) == 4
    made = generate_scale(list(ids.values()))
    assert made["trainings"] == TrainingCourse.objects.filter(recorded_by="gen").count()
    for org_id in ids.values():
        assert 1 <= TrainingCourse.objects.filter(org_id=org_id).count() <= 4
    foreign = TrainingAttendance.objects.filter(course__recorded_by="gen").exclude(
        membership__org_id=models_F("course__org_id"))
    assert not foreign.exists()
    offered = TcmTechnique.objects.filter(org_id=ids["兰考县康宁颐养院"]).count()
    assert 2 <= offered <= 9
    assert not TcmTechnique.objects.filter(org_id=ids["杞县五里河镇敬老院"]).exists()
    on = timezone.localdate()
    results = indicator_snapshots.compute_all(on, BASELINES)
    for code, baseline in BASELINES.items():
        value = results[code][1]["41"]
        with connection.cursor() as cursor:
            assert baseline(cursor, "41", on) == (value.numerator, value.denominator), code
