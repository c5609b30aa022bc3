"""Loading the region table from the committed, dated source (see data/SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from yiyang.regions.models import Region
from yiyang.regions.rules import Level, read_region_rows, scope_prefix

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv.gz"
BATCH = 2000


def _full_names(rows: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """ "河南省 开封市 杞县" style names, built by walking the parent chain."""
    out: dict[str, str] = {}

    def name_of(code: str) -> str:
        if code not in out:
            name, parent = rows[code]
            out[code] = f"{name_of(parent)} {name}" if parent and parent in rows else name
        return out[code]

    for code in rows:
        name_of(code)
    return out


@transaction.atomic
def load_regions(*, path: Path = DATA_FILE, townships: bool = True) -> int:
    """Insert or update every row; idempotent. Returns the number of rows written."""
    rows = [r for r in read_region_rows(path) if townships or r.level < Level.TOWNSHIP]
    full = _full_names({r.code: (r.name, r.parent_code) for r in rows})
    objs = [
        Region(
            code=r.code,
            name=r.name,
            level=int(r.level),
            parent_code=r.parent_code or "",
            scope_prefix=scope_prefix(r.code, r.level),
            full_name=full[r.code],
            valid_from=r.valid_from,
            valid_to=r.valid_to,
        )
        for r in rows
    ]
    for start in range(0, len(objs), BATCH):
        Region.objects.bulk_create(
            objs[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "level",
                "parent_code",
                "scope_prefix",
                "full_name",
                "valid_from",
                "valid_to",
            ],
        )
    return len(objs)
