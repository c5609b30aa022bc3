"""Administrative-region rules (pure Python, no Django).

Codes (docs REFERENCE §6.2/§6.3): levels 1-3 use 6-digit GB/T 2260 codes (``PP0000`` province,
``PPCC00`` prefecture, ``PPCCDD`` county); level 4 townships use the 9-digit NBS statistical code
``PPCCDDTTT``.  A region's *scope prefix* is the leading part every code inside it shares; it is
taken from the level (never by stripping zeros: county 410110 → "410110", not "41011").

The data file ``data/regions.csv.gz`` is built by ``scripts/build_regions.py`` (see
``data/SOURCE.md``).
"""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from pathlib import Path

__all__ = [
    "CODE_LENGTH",
    "CSV_HEADER",
    "REGIONS_CSV",
    "SCOPE_PREFIX_LENGTH",
    "Level",
    "RegionRow",
    "is_within",
    "read_region_rows",
    "scope_prefix",
]


class Level(IntEnum):
    PROVINCE = 1
    PREFECTURE = 2
    COUNTY = 3
    TOWNSHIP = 4


# Length of the prefix shared by every code inside a region of this level.
SCOPE_PREFIX_LENGTH: dict[Level, int] = {
    Level.PROVINCE: 2,
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
}

# Length of the code itself at each level.
CODE_LENGTH: dict[Level, int] = {
    Level.PROVINCE: 6,
    Level.PREFECTURE: 6,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
}

CSV_HEADER = ("code", "name", "level", "parent_code", "valid_from", "valid_to")
REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv.gz"

_DIGITS = re.compile(r"[0-9]+")
_PREFIX_LENGTHS = frozenset(SCOPE_PREFIX_LENGTH.values())


def _is_digits(value: str) -> bool:
    # ASCII digits only (str.isdigit() also accepts e.g. full-width and Arabic-Indic digits).
    return _DIGITS.fullmatch(value) is not None


def scope_prefix(code: str, level: Level) -> str:
    """Return the prefix every code inside region ``code`` (of ``level``) starts with.

    >>> scope_prefix("410000", Level.PROVINCE), scope_prefix("441900", Level.PREFECTURE)
    ('41', '4419')
    >>> scope_prefix("410110", Level.COUNTY), scope_prefix("419001", Level.COUNTY)
    ('410110', '419001')

    Raises ``ValueError`` if the code does not have the shape of a code of that level
    (wrong length, non-digits, or non-zero digits after the prefix of a province/prefecture).
    """
    level = Level(level)
    if not isinstance(code, str) or not _is_digits(code) or len(code) != CODE_LENGTH[level]:
        raise ValueError(f"not a level-{level.value} region code: {code!r}")
    n = SCOPE_PREFIX_LENGTH[level]
    if level in (Level.PROVINCE, Level.PREFECTURE) and code[n:].strip("0"):
        raise ValueError(f"{code!r} is not a {level.name.lower()} code (expected zeros after {n})")
    return code[:n]


def is_within(code: str, prefix: str) -> bool:
    """True if region ``code`` lies inside the region whose scope prefix is ``prefix``.

    ``prefix`` must be a scope prefix (2, 4, 6 or 9 ASCII digits, as returned by
    :func:`scope_prefix`); anything else raises ``ValueError`` — in particular an empty prefix
    never means "everywhere".  A ``code`` that is not a digit string is never within.
    """
    if not isinstance(prefix, str) or not _is_digits(prefix) or len(prefix) not in _PREFIX_LENGTHS:
        raise ValueError(f"not a region scope prefix: {prefix!r}")
    if not isinstance(code, str) or not _is_digits(code):
        return False
    return code.startswith(prefix)


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    level: Level
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None

    @property
    def is_current(self) -> bool:
        """True if the code is in the newest snapshot (no ``valid_to``)."""
        return self.valid_to is None

    @property
    def scope_prefix(self) -> str:
        return scope_prefix(self.code, self.level)


def _opt_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def read_region_rows(path: str | os.PathLike[str] = REGIONS_CSV) -> Iterator[RegionRow]:
    """Yield the rows of a ``regions.csv.gz`` file (gzip, UTF-8 CSV with ``CSV_HEADER``)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(header) != CSV_HEADER:
            raise ValueError(f"{os.fspath(path)}: unexpected header {header!r}")
        for line_no, rec in enumerate(reader, start=2):
            if len(rec) != len(CSV_HEADER):
                raise ValueError(f"{os.fspath(path)}:{line_no}: expected 6 fields, got {rec!r}")
            code, name, level, parent_code, valid_from, valid_to = rec
            yield RegionRow(
                code=code,
                name=name,
                level=Level(int(level)),
                parent_code=parent_code or None,
                valid_from=_opt_date(valid_from),
                valid_to=_opt_date(valid_to),
            )
