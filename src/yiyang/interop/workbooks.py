"""Workbooks written with XlsxWriter: the residents import template, the residents export in
that same layout, and the key-population register.

Number-like identifiers (ID, phone, room, bed) are written as text into columns formatted as
text (`@`), so Excel neither shows 4.10221E+17 nor drops the last three digits on save.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from xlsxwriter.worksheet import Worksheet

from yiyang.core.workbooks import new_workbook
from yiyang.interop.resident_columns import COLUMNS, SHEET

INSTRUCTIONS = (
    "填写说明",
    "1. 请勿修改第一行表头；带红色表头的列必须填写。",
    "2. 证件号码、联系电话、房间号、床号列已设为文本格式，请直接录入或“选择性粘贴→数值”，"
    "不要改成数字格式（18 位身份证号会被 Excel 改掉末 3 位）。",
    "3. 日期写成 2024-03-01，或使用 Excel 日期格式。",
    "4. 楼栋、房间号、床号须与系统“床位”中登记的一致，且床位空闲。",
    "5. 导入时先校验全部行：只要有一行有误，整个文件都不会导入，请按提示修改后重新上传。",
    "6. 已在系统中建档的老人不能重复导入，请在老人页面办理入住。",
)


def _residents_sheet(book: Any) -> tuple[Worksheet, dict[str, Any]]:
    sheet = book.add_worksheet(SHEET)
    head = book.add_format({"bold": True, "bg_color": "#e5edf7", "border": 1,
                            "text_wrap": True, "valign": "vcenter"})
    required = book.add_format({"bold": True, "bg_color": "#fde2e2", "font_color": "#b91c1c",
                                "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"text": book.add_format({"num_format": "@"}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 1)
    for i, col in enumerate(COLUMNS):
        cell_format = formats["text"] if col.text else formats["date"] if col.date else None
        sheet.set_column(i, i, col.width, cell_format)
        sheet.write_string(0, i, col.header, required if col.required else head)
        if col.note:
            sheet.write_comment(0, i, col.note)
        if col.choices:
            sheet.data_validation(1, i, 100_000, i, {
                "validate": "list", "source": list(col.choices),
                "error_title": col.header, "error_message": "请从下拉列表中选择"})
    return sheet, formats


def _instructions(book: Any) -> None:
    sheet = book.add_worksheet("填写说明")
    sheet.set_column(0, 0, 110)
    bold = book.add_format({"bold": True, "font_size": 13})
    for i, line in enumerate(INSTRUCTIONS):
        sheet.write_string(i, 0, line, bold if i == 0 else None)


def residents_template() -> bytes:
    buffer, book = new_workbook()
    _residents_sheet(book)
    _instructions(book)
    book.close()
    return buffer.getvalue()


def residents_workbook(rows: Iterable[dict[str, Any]]) -> bytes:
    """The template with one row per resident (keys as in `COLUMNS`)."""
    buffer, book = new_workbook()
    sheet, formats = _residents_sheet(book)
    for r, row in enumerate(rows, start=1):
        for c, col in enumerate(COLUMNS):
            value = row.get(col.key, "")
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, formats["date"])
            else:
                sheet.write_string(r, c, str(value or ""), formats["text"] if col.text else None)
    _instructions(book)
    book.close()
    return buffer.getvalue()


def table_workbook(title: str, sheets: Sequence[tuple[str, Sequence[str],
                                                     Iterable[Sequence[Any]]]]) -> bytes:
    """Plain tables, one per sheet: (sheet name, headers, rows); all cells written as text or
    numbers as given, identifiers as text."""
    buffer, book = new_workbook()
    book.set_properties({"title": title})
    head = book.add_format({"bold": True, "bg_color": "#e5edf7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, headers, rows in sheets:
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for c, text in enumerate(headers):
            sheet.write_string(0, c, text, head)
            sheet.set_column(c, c, max(8, len(text) * 2 + 2))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, "" if value is None else str(value))
    book.close()
    return buffer.getvalue()
