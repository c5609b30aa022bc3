"""The compliance demo's shape: a year of records with gaps, the hazard ledger with an overdue
rectification, county X's draw with two inspections, two filings; built once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yiyang.compliance.models import (
    ClinicFiling,
    Finding,
    Hazard,
    Inspection,
    InspectionDraw,
    ObligationRecord,
)
from yiyang.demo.compliance import DRAW_SEED, build_demo_compliance
from yiyang.orgs.models import NursingHome

pytestmark = pytest.mark.django_db


def test_the_demo_shape(cast) -> None:
    assert build_demo_compliance() == 0  # idempotent
    today = timezone.localdate()
    homes = set(ObligationRecord.objects.values_list("home_id", flat=True))
    assert homes == set(NursingHome.objects.values_list("pk", flat=True))
    assert ObligationRecord.objects.filter(done_on__lt=today.replace(day=1)).count() > 50
    assert ObligationRecord.objects.exclude(evidence="").exists()
    home_a = cast.home_of("nurse_a")
    overdue = Hazard.objects.filter(home=home_a, state="open", deadline__lt=today)
    assert overdue.count() == 1
    draw = InspectionDraw.objects.get(seed=DRAW_SEED)
    assert draw.regulator.name == "杞县民政局" and draw.year == today.year
    assert Inspection.objects.filter(draw=draw, state="done").count() == 2
    assert Finding.objects.filter(inspection__draw=draw).count() == 2
    assert sorted(ClinicFiling.objects.values_list("state", flat=True)) == ["accepted",
                                                                            "returned"]
