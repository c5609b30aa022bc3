"""The safety indicators' hand-written SQL baselines (bench/baselines/safety.py) give the same
region values as the roll-up of `compute(None, on)`, for the province and for county X, on the
demo world (so a wrong baseline fails here, not only in the bench)."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from yiyang.compliance import indicator_snapshots
from yiyang.compliance.indicators.base import ZERO

# Loaded by path: `bench` is also the name of this tests package.
_FILE = Path(__file__).resolve().parents[2] / "bench" / "baselines" / "safety.py"
_spec = importlib.util.spec_from_file_location("bench_baselines_safety", _FILE)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
BASELINES = _module.BASELINES


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_the_baseline_equals_the_rollup(cast, code: str) -> None:
    today = timezone.localdate()
    county = cast.actor("officer_x").region_prefix
    for on in (today, today - timedelta(days=100)):
        (_, regions), = indicator_snapshots.compute_all(on, [code]).values()
        with connection.cursor() as cursor:
            for prefix in ("41", county):
                want = regions.get(prefix, ZERO)
                got = BASELINES[code](cursor, prefix, on)
                assert got == (want.numerator, want.denominator), (code, on, prefix)
    province = regions.get("41", ZERO)
    assert province.denominator > 0
