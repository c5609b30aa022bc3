"""Shared by the baseline tests: load a group's `bench/baselines/<group>.py` by file path (with
`--import-mode=importlib` this tests package would be imported as `bench` and hide the
repository's `bench/` directory), and compare a baseline with the roll-up of `compute`."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection

from yiyang.compliance import indicator_snapshots
from yiyang.compliance.indicators.base import ZERO, Value

BASELINE_DIR = Path(__file__).resolve().parents[2] / "bench" / "baselines"


def load_baselines(group: str) -> dict[str, Callable[..., tuple[int, int]]]:
    spec = importlib.util.spec_from_file_location(f"bench_baselines_{group}",
                                                  BASELINE_DIR / f"{group}.py")
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BASELINES


def assert_baseline_equals_rollup(code: str, baseline: Callable[..., tuple[int, int]],
                                  prefixes: Iterable[str], on: date) -> dict[str, Value]:
    """The baseline's (numerator, denominator) for each region prefix equals the roll-up of
    `compute(None, on)`; returns the roll-up for further checks."""
    _, regions = indicator_snapshots.compute_all(on, [code])[code]
    for prefix in prefixes:
        with connection.cursor() as cursor:
            got = baseline(cursor, prefix, on)
        expected = regions.get(prefix, ZERO)
        assert got == (expected.numerator, expected.denominator), (code, prefix, on)
    return regions
