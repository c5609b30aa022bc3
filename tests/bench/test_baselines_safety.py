"""The safety indicators' hand-written SQL baselines (bench/baselines/safety.py) give the same
region values as the roll-up of `compute(None, on)`, for the province and for county X, on the
demo world (so a wrong baseline fails here, not only in the bench)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bench.baseline_support import assert_baseline_equals_rollup, load_baselines
from yiyang.compliance.indicators.base import ZERO

BASELINES = load_baselines("safety")


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:
    today = timezone.localdate()
    county = cast.actor("officer_x").region_prefix
    for on in (today, today - timedelta(days=100)):
        regions = assert_baseline_equals_rollup(code, BASELINES[code], ("41", county), on)
    province = regions.get("41", ZERO)
    assert province.denominator > 0
