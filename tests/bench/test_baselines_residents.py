"""The residents' baselines (bench/baselines/residents.py) give the same region figures as the
roll-up of the indicators' `compute(None, on)`: the province, counties X and Y and the city,
today and 60 days ago — so a wrong baseline (or a wrong indicator) fails here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bench.baseline_support import assert_baseline_equals_rollup, load_baselines

BASELINES = load_baselines("residents")


def test_every_indicator_of_the_group_has_a_baseline() -> None:
    assert set(BASELINES) == {"key_populations", "resident_vaccination",
                              "admission_assessment", "reassessment_on_time"}


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:  # type: ignore[no-untyped-def]
    prefixes = ["41", cast.actor("officer_x").region_prefix,
                cast.actor("officer_y").region_prefix, cast.actor("officer_city").region_prefix]
    today = timezone.localdate()
    for on in (today, today - timedelta(days=60)):
        regions = assert_baseline_equals_rollup(code, BASELINES[code], prefixes, on)
        assert regions["41"].numerator > 0, code
        assert regions["41"].numerator < regions["41"].denominator or code == "key_populations"
