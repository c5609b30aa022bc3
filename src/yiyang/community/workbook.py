"""The ledger workbook: template, export (XlsxWriter) and reading an upload (python-calamine).

One column list serves the template, the export and the import, so a full export re-imports.
Idioms copied from `interop/workbooks.py` and `interop/resident_import.py` (interop sits above
community in the layers and cannot be imported here): identifiers written as text into
text-formatted columns; headers matched by text; every row checked, errors in Chinese.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from yiyang.core.workbooks import new_workbook

from . import rules

SHEET = "特殊需求老年人台账"

LIVING_BY_LABEL = {"独居": "alone", "仅与配偶同住": "spouse", "与家人同住": "family",
                   "其他": "other"}
LIVING_LABEL = {v: k for k, v in LIVING_BY_LABEL.items()}
NEED_BY_LABEL = {n.label: n.value for n in rules.Need}
YES_NO = {"是": True, "否": False}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 12
    text: bool = False
    date: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("committee", "村（居）委会", width=22,
           note="乡镇填报时写村（居）委会名称；空白为本单位"),
    Column("name", "姓名", True, 10),
    Column("id_number", "身份证号码", True, 21, text=True),
    Column("phone", "本人电话", width=14, text=True),
    Column("address", "住址", width=30),
    Column("living", "居住情况", True, 14, choices=tuple(LIVING_BY_LABEL)),
    Column("disabled", "残疾", width=6, choices=("是", "否")),
    Column("disability_note", "残疾类别/等级", width=14),
    Column("dependent", "失能", width=6, choices=("是", "否")),
    Column("seriously_ill", "重病", width=6, choices=("是", "否")),
    Column("illness", "主要疾病", width=18, note="重病为“是”时必填"),
    Column("needs", "服务需求", width=26,
           note="可多项，用顿号分隔：" + "、".join(NEED_BY_LABEL)),
    Column("needs_note", "需求说明", width=20),
    Column("guardian_name", "监护人", width=10),
    Column("guardian_relation", "监护人关系", width=10),
    Column("guardian_phone", "监护人电话", width=14, text=True),
    Column("contact_name", "紧急联系人", width=10),
    Column("contact_relation", "联系人关系", width=10),
    Column("contact_phone", "联系人电话", width=14, text=True),
    Column("listed_on", "摸排日期", width=12, date=True, note="空白为今天"),
)
# Shown in an export after the columns above; the import ignores them.
EXPORT_ONLY = ("类别", "风险", "家庭医生团队", "最近巡访", "下次巡访", "现状")

INSTRUCTIONS = (
    "填写说明",
    "1. 请勿修改第一行表头；红色表头的列必须填写。",
    "2. 身份证号码、电话列已设为文本格式，请直接录入，不要改成数字格式"
    "（18 位身份证号会被 Excel 改掉末 3 位）。",
    "3. 高龄（80 岁及以上）由系统按身份证号码中的出生日期自动判断，无需填写。",
    "4. 服务需求可填多项，用顿号“、”分隔，可选：" + "、".join(NEED_BY_LABEL) + "。",
    "5. 监护人和紧急联系人至少填写一人。",
    "6. 导入时先校验全部行：只要有一行有误，整个文件都不会导入，请按提示修改后重新上传。",
    "7. 已在系统中建档的老人（本台账或养老机构）不能重复导入。",
)


class FileRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


def _sheet(book: Any, extra: tuple[str, ...] = ()) -> tuple[Any, dict[str, Any]]:
    sheet = book.add_worksheet(SHEET)
    head = book.add_format({"bold": True, "bg_color": "#e5edf7", "border": 1,
                            "text_wrap": True, "valign": "vcenter"})
    required = book.add_format({"bold": True, "bg_color": "#fde2e2", "font_color": "#b91c1c",
                                "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"text": book.add_format({"num_format": "@"}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 2)
    for i, col in enumerate(COLUMNS):
        fmt = formats["text"] if col.text else formats["date"] if col.date else None
        sheet.set_column(i, i, col.width, fmt)
        sheet.write_string(0, i, col.header, required if col.required else head)
        if col.note:
            sheet.write_comment(0, i, col.note)
        if col.choices:
            sheet.data_validation(1, i, 10_000, i, {
                "validate": "list", "source": list(col.choices),
                "error_title": col.header, "error_message": "请从下拉列表中选择"})
    for j, header in enumerate(extra, start=len(COLUMNS)):
        sheet.set_column(j, j, 16)
        sheet.write_string(0, j, header, head)
    return sheet, formats


def _instructions(book: Any) -> None:
    sheet = book.add_worksheet("填写说明")
    sheet.set_column(0, 0, 110)
    bold = book.add_format({"bold": True, "font_size": 13})
    for i, line in enumerate(INSTRUCTIONS):
        sheet.write_string(i, 0, line, bold if i == 0 else None)


def template() -> bytes:
    buffer, book = new_workbook()
    _sheet(book)
    _instructions(book)
    book.close()
    return buffer.getvalue()


def export(rows: Iterable[dict[str, Any]]) -> bytes:
    """One row per entry: the template's columns (keys as in `COLUMNS`), then `EXPORT_ONLY`
    under the key `extra` (a tuple)."""
    buffer, book = new_workbook()
    sheet, formats = _sheet(book, EXPORT_ONLY)
    for r, row in enumerate(rows, start=1):
        for c, col in enumerate(COLUMNS):
            value = row.get(col.key)
            if col.date and isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day),
                                     formats["date"])
            elif isinstance(value, bool):
                sheet.write_string(r, c, "是" if value else "否")
            elif col.key == "living":
                sheet.write_string(r, c, LIVING_LABEL.get(value, ""))
            elif col.key == "needs":
                sheet.write_string(r, c, "、".join(rules.Need(n).label for n in value or ()))
            else:
                sheet.write_string(r, c, str(value or ""), formats["text"] if col.text else None)
        for j, value in enumerate(row.get("extra", ()), start=len(COLUMNS)):
            sheet.write_string(r, j, str(value or ""))
    _instructions(book)
    book.close()
    return buffer.getvalue()


# ---- reading -------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class _Invalid(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return "" if value is None else str(value).strip()


def _date(key: str, value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise _Invalid(key, f"日期无法识别：{text}，请写成 2024-03-01 的形式")


def _id_cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _Invalid("id_number", "身份证号码单元格是数字格式，Excel 已改掉末几位；"
                                    "请把该列设为文本格式后重新录入")
    return _text(value)


def _choice(key: str, value: Any, labels: dict[str, Any], default: Any) -> Any:
    text = _text(value)
    if not text:
        return default
    if text in labels:
        return labels[text]
    raise _Invalid(key, f"“{text}”不是可选值，应为：" + "、".join(labels))


def _needs(value: Any) -> list[str]:
    text = _text(value)
    out = []
    for part in re.split(r"[、,，;；\s]+", text):
        if not part:
            continue
        if part not in NEED_BY_LABEL:
            raise _Invalid("needs", f"“{part}”不是可选的服务需求，应为："
                           + "、".join(NEED_BY_LABEL))
        out.append(NEED_BY_LABEL[part])
    return out


HEADER = {c.key: c.header for c in COLUMNS}


def parse(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """(rows as (Excel row number, values), problems of form). Blank rows are skipped."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRejected(
            "无法读取该文件：请上传 .xlsx / .xls / .ods 格式的 Excel 工作簿") from exc
    name = SHEET if SHEET in book.sheet_names else (book.sheet_names or [None])[0]
    if name is None:
        raise FileRejected("工作簿中没有工作表")
    it = iter(book.get_sheet_by_name(name).iter_rows())
    header = next(it, None)
    if header is None:
        raise FileRejected("工作表是空的")
    by_header = {c.header: c.key for c in COLUMNS}
    positions = {}
    for i, cell in enumerate(header):
        text = str(cell).strip().rstrip("*＊").strip()
        if text in by_header:
            positions[by_header[text]] = i
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileRejected("表头缺少必填列：" + "、".join(missing) + "。请使用系统下载的导入模板")
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row_no, cells in enumerate(it, start=2):
        raw = {k: cells[i] if i < len(cells) else "" for k, i in positions.items()}
        if not any(_text(v) for v in raw.values()):
            continue
        try:
            values = _row(raw)
        except _Invalid as exc:
            problems.append(Problem(row_no, HEADER.get(exc.key, exc.key), exc.message))
            continue
        number = values["id_number"].upper()
        if number in seen:
            problems.append(Problem(row_no, HEADER["id_number"],
                                    f"与第 {seen[number]} 行的身份证号码重复"))
            continue
        seen[number] = row_no
        rows.append((row_no, values))
    return rows, problems


def _row(raw: dict[str, Any]) -> dict[str, Any]:
    for col in COLUMNS:
        if col.required and not _text(raw.get(col.key)):
            raise _Invalid(col.key, f"请填写{col.header}")
    return {
        "committee": _text(raw.get("committee")),
        "name": _text(raw.get("name")),
        "id_number": _id_cell(raw.get("id_number")),
        "phone": _text(raw.get("phone")),
        "address": _text(raw.get("address")),
        "living": _choice("living", raw.get("living"), LIVING_BY_LABEL, ""),
        "disabled": _choice("disabled", raw.get("disabled"), YES_NO, False),
        "disability_note": _text(raw.get("disability_note")),
        "dependent": _choice("dependent", raw.get("dependent"), YES_NO, False),
        "seriously_ill": _choice("seriously_ill", raw.get("seriously_ill"), YES_NO, False),
        "illness": _text(raw.get("illness")),
        "needs": _needs(raw.get("needs")),
        "needs_note": _text(raw.get("needs_note")),
        "guardian_name": _text(raw.get("guardian_name")),
        "guardian_relation": _text(raw.get("guardian_relation")),
        "guardian_phone": _text(raw.get("guardian_phone")),
        "contact_name": _text(raw.get("contact_name")),
        "contact_relation": _text(raw.get("contact_relation")),
        "contact_phone": _text(raw.get("contact_phone")),
        "listed_on": _date("listed_on", raw.get("listed_on")),
    }
