"""The cooperation baselines (bench/baselines/cooperation.py) give the same region figures as
the roll-up of the indicators' `compute(None, on)`, for the province and a county, today and
30 days ago (home C's agreement was still in force then)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bench.baseline_support import assert_baseline_equals_rollup, load_baselines

BASELINES = load_baselines("cooperation")


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:
    prefixes = ["41", cast.actor("officer_x").region_prefix,
                cast.actor("officer_y").region_prefix, cast.actor("officer_city").region_prefix]
    today = timezone.localdate()
    for on in (today, today - timedelta(days=30)):
        regions = assert_baseline_equals_rollup(code, BASELINES[code], prefixes, on)
        assert regions["41"].denominator > 0, code
