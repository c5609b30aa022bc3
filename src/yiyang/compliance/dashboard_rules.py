"""Pure parts of the indicator dashboards (no Django): report periods, region levels, how a
figure is shown and how an indicator's parts make a band × category stacked bar."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

__all__ = ["CATEGORY_COLOURS", "Period", "child_length", "format_figure", "parse_period",
           "part_colours", "split_parts",
           "status_of"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str  # e.g. "2026年11月", "2026年第四季度", "2026年"
    text: str  # the normalised request value: "2026-11", "2026Q4", "2026"


_QUARTER_NAMES = "一二三四"


def parse_period(text: str) -> Period | None:
    """"2026-11" (month), "2026Q4" (quarter) or "2026" (year); None for anything else."""
    text = (text or "").strip()
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        end = date(year, month, calendar.monthrange(year, month)[1])
        return Period(date(year, month, 1), end, f"{year}年{month}月", f"{year}-{month:02d}")
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        if not 2000 <= year <= 2100:
            return None
        last = 3 * q
        end = date(year, last, calendar.monthrange(year, last)[1])
        return Period(date(year, last - 2, 1), end, f"{year}年第{_QUARTER_NAMES[q - 1]}季度",
                      f"{year}Q{q}")
    if m := _YEAR.match(text):
        year = int(m[1])
        if not 2000 <= year <= 2100:
            return None
        return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年", str(year))
    return None


def child_length(prefix: str) -> int | None:
    """The prefix length of a region's children: province (2) → cities (4) → counties (6);
    a county's children are its institutions (None)."""
    return {2: 4, 4: 6}.get(len(prefix))


def format_figure(figure: float | None, percent: bool) -> str:
    if figure is None:
        return "无数据"
    if percent:
        return f"{figure:.1f}%"
    return f"{figure:.0f}"


def status_of(connected: bool, has_value: bool, met: bool | None) -> str:
    """The colour class of a figure: "off" (source not connected), "none" (no data or no
    target), "met", "unmet"."""
    if not connected:
        return "off"
    if not has_value or met is None:
        return "none"
    return "met" if met else "unmet"


# Seed 000's colour codes keep their own colours on a stacked bar (REFERENCE §1.3).
CATEGORY_COLOURS = {"red": "#c0392b", "yellow": "#e6a23c", "green": "#1a7f5a",
                    "unclassified": "#9aa5b1"}


def _chart_keys(parts: Mapping[str, int], labels: Mapping[str, str]) -> list[str]:
    """The parts a stacked bar shows, in the indicator's declared order then sorted: only the
    "band:category" keys when there are any (plain keys next to them are totals)."""
    keys = [k for k in labels if k in parts] + sorted(k for k in parts if k not in labels)
    if any(":" in k for k in keys):
        keys = [k for k in keys if ":" in k]
    return keys


def split_parts(parts: Mapping[str, int], labels: Mapping[str, str]
                ) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """A band × category stacked bar from parts keyed "band:category": (band labels on the
    x axis, [(category label, count per band)]). Keys without ":" are bands of one series; when
    both kinds are present, the plain keys are totals (they stay in the table, not the bar).
    Order follows `labels` (the indicator's declared order), then any other keys sorted."""
    keys = _chart_keys(parts, labels)
    bands: list[str] = []
    cats: list[str] = []
    band_label: dict[str, str] = {}
    cat_label: dict[str, str] = {}
    for key in keys:
        band, _, cat = key.partition(":")
        text = labels.get(key, key)
        b_text, sep, c_text = text.partition("·")
        if band not in band_label:
            bands.append(band)
            band_label[band] = b_text if sep else (text if not cat else band)
        if cat not in cat_label:
            cats.append(cat)
            cat_label[cat] = (c_text if sep else cat) if cat else "计数"
    series = [(cat_label[c], [int(parts.get(f"{b}:{c}" if c else b, 0)) for b in bands])
              for c in cats]
    return [band_label[b] for b in bands], series


def part_colours(parts: Mapping[str, int], labels: Mapping[str, str],
                 palette: list[str]) -> list[str]:
    """One colour per series of `split_parts`, in its order: a colour code's own colour, else
    the palette in turn."""
    cats = list(dict.fromkeys(key.partition(":")[2] for key in _chart_keys(parts, labels)))
    return [CATEGORY_COLOURS.get(c, palette[i % len(palette)]) for i, c in enumerate(cats)]
