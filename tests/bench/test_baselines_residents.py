"""The residents' baselines (bench/baselines/residents.py) give the same region figures as the
roll-up of the indicators' `compute(None, on)`: the province, counties X and Y and the city,
today and 60 days ago — so a wrong baseline (or a wrong indicator) fails here."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from yiyang.compliance import indicator_snapshots
from yiyang.compliance.indicators.base import ZERO

# Loaded by path: with `--import-mode=importlib` a `tests/bench/__init__.py` would be imported
# as the package `bench` and hide the repository's `bench/` directory.
_PATH = Path(__file__).resolve().parents[2] / "bench" / "baselines" / "residents.py"
_SPEC = importlib.util.spec_from_file_location("bench_baselines_residents", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
_MODULE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_MODULE)
BASELINES = _MODULE.BASELINES


def test_every_indicator_of_the_group_has_a_baseline() -> None:
    assert set(BASELINES) == {"key_populations", "resident_vaccination",
                              "admission_assessment", "reassessment_on_time"}


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:  # type: ignore[no-untyped-def]
    prefixes = ["41", cast.actor("officer_x").region_prefix,
                cast.actor("officer_y").region_prefix, cast.actor("officer_city").region_prefix]
    today = timezone.localdate()
    for on in (today, today - timedelta(days=60)):
        _, regions = indicator_snapshots.compute_all(on, [code])[code]
        for prefix in prefixes:
            with connection.cursor() as cursor:
                got = BASELINES[code](cursor, prefix, on)
            expected = regions.get(prefix, ZERO)
            assert got == (expected.numerator, expected.denominator), (code, prefix, on)
        assert regions["41"].numerator > 0, code
        assert regions["41"].numerator < regions["41"].denominator or code == "key_populations"
