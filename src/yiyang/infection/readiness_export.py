"""The county demand list as an Excel workbook (XlsxWriter; `interop` sits above infection in
the layers, so the workbook is written here with `core.workbooks`)."""

from __future__ import annotations

from datetime import date

from yiyang.core.workbooks import new_workbook

from .readiness_rules import DemandLine


def demand_workbook(lines: list[DemandLine], *, region: str, today: date) -> bytes:
    """Sheet 1: totals per kind; sheet 2: each home's shortfall per kind."""
    buffer, book = new_workbook()
    bold = book.add_format({"bold": True, "bg_color": "#E3F2EC", "border": 1})
    cell = book.add_format({"border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet("需求清单")
    sheet.write(0, 0, f"{region} 养老机构防疫物资需求清单（{today:%Y-%m-%d}）", title)
    for col, head in enumerate(("物资", "单位", "缺口合计", "缺口机构数")):
        sheet.write(2, col, head, bold)
    for row, line in enumerate(lines, start=3):
        sheet.write(row, 0, line.label, cell)
        sheet.write(row, 1, line.unit, cell)
        sheet.write_number(row, 2, line.total, cell)
        sheet.write_number(row, 3, len(line.by_home), cell)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 3, 12)
    detail = book.add_worksheet("各机构缺口")
    for col, head in enumerate(("养老机构", "物资", "单位", "缺口")):
        detail.write(0, col, head, bold)
    row = 1
    for line in lines:
        for home, gap in sorted(line.by_home.items()):
            detail.write(row, 0, home, cell)
            detail.write(row, 1, line.label, cell)
            detail.write(row, 2, line.unit, cell)
            detail.write_number(row, 3, gap, cell)
            row += 1
    detail.set_column(0, 0, 30)
    detail.set_column(1, 1, 26)
    book.close()
    return buffer.getvalue()
