"""One way to start an Excel workbook in memory (XlsxWriter), for every app that writes one.

Cells are never turned into numbers or formulas behind the writer's back: an ID number stays
text, and a name typed as "=HYPERLINK(...)" stays a name (no formula injection).
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter


def new_workbook() -> tuple[io.BytesIO, Any]:
    """(buffer, workbook): write the sheets, `book.close()`, then `buffer.getvalue()`."""
    buffer = io.BytesIO()
    return buffer, xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                                "strings_to_formulas": False})
