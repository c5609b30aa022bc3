"""Adding organisations' values up to counties, cities and the province (pure).

A region is keyed by its scope prefix (GB/T 2260: 2 digits province, 4 city, 6 county), the
same prefix a regulator's scope uses, so a region's row is visible exactly to the regulators
whose prefix it starts with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .base import ZERO, Rollup, Value

__all__ = ["LEVELS", "RegionKey", "roll_up"]

LEVELS = (2, 4, 6)  # province, city, county prefix lengths


@dataclass(frozen=True)
class RegionKey:
    prefix: str

    @property
    def level(self) -> int:
        return LEVELS.index(len(self.prefix)) + 1


def _levels_of(code: str) -> tuple[int, ...]:
    """The prefix lengths a code adds up to: a province's or a city's own code (a regulator's,
    e.g. 410000, 410200) stops at its own level, so no "4100" city or "410200" county appears."""
    if code[2:6] == "0000":
        return LEVELS[:1]
    if code[4:6] == "00":
        return LEVELS[:2]
    return LEVELS


def roll_up(org_values: Iterable[tuple[str, Value]], *, mode: Rollup = Rollup.SUM,
            counties: Iterable[str] = ()) -> dict[str, Value]:
    """`org_values`: (the organisation's region code, its value). Returns prefix -> value for
    every province, city and county that has an organisation (and, for `COUNTY_ANY`, every
    county in `counties`, 6-digit codes, with or without organisations)."""
    if mode == Rollup.SUM:
        out: dict[str, Value] = {}
        for code, value in org_values:
            for n in _levels_of(code):
                key = code[:n]
                out[key] = out.get(key, ZERO) + value
        return out
    any_counts: dict[str, bool] = {c[:6]: False for c in counties}
    for code, value in org_values:
        county = code[:6]
        any_counts[county] = any_counts.get(county, False) or value.numerator > 0
    county_values: Mapping[str, Value] = {c: Value(int(hit), 1) for c, hit in any_counts.items()}
    out = dict(county_values)
    for county, value in county_values.items():
        for n in LEVELS[:2]:
            key = county[:n]
            out[key] = out.get(key, ZERO) + value
    return out
