"""The cooperation baselines (bench/baselines/cooperation.py) give the same region figures as
the roll-up of the indicators' `compute(None, on)`, for the province and a county, today and
30 days ago (home C's agreement was still in force then)."""

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
_PATH = Path(__file__).resolve().parents[2] / "bench" / "baselines" / "cooperation.py"
_SPEC = importlib.util.spec_from_file_location("bench_baselines_cooperation", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
_MODULE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_MODULE)
BASELINES = _MODULE.BASELINES


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:
    prefixes = ["41", cast.actor("officer_x").region_prefix,
                cast.actor("officer_y").region_prefix, cast.actor("officer_city").region_prefix]
    today = timezone.localdate()
    for on in (today, today - timedelta(days=30)):
        _, regions = indicator_snapshots.compute_all(on, [code])[code]
        for prefix in prefixes:
            with connection.cursor() as cursor:
                got = BASELINES[code](cursor, prefix, on)
            expected = regions.get(prefix, ZERO)
            assert got == (expected.numerator, expected.denominator), (code, prefix, on)
        assert regions["41"].denominator > 0, code
