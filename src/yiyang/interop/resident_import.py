"""Reading a residents workbook with python-calamine and checking every row.

Each bad cell becomes a `RowError` with the spreadsheet row number (as Excel shows it), the
column header and a Chinese reason. Checks that need the database (beds, existing records) are
`residents.bulk_admission.check`; this module does everything that the file alone decides,
duplicates inside the file included.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from yiyang.core.errors import ValidationFailed
from yiyang.core.identifiers import InvalidIdNumber, parse_id_number
from yiyang.core.validators import clean_mobile
from yiyang.interop.resident_columns import (
    BY_KEY,
    COLUMNS,
    DISABILITY_LABELS,
    DOCUMENT_LABELS,
    FIELD_HEADERS,
    SEX_LABELS,
    SHEET,
)
from yiyang.residents.bulk_admission import Admission, Problem
from yiyang.residents.models import HealthProfile, Person

MAX_ROWS = 250_000
MAX_LENGTHS = {
    "name": 50,
    "ethnicity": 20,
    "address": 200,
    "building": 40,
    "room": 20,
    "bed": 20,
    "disability_certificate_no": 30,
    "allergies": 300,
    "diet": 300,
    "designated_hospital": 100,
    "contact_name": 50,
    "contact_relation": 20,
}
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class FileRejected(ValidationFailed):
    """The file as a whole cannot be read (not a workbook, wrong sheet, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__("bad_file", message, field="file")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedFile:
    total_rows: int = 0
    admissions: list[Admission] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def add_problems(self, problems: list[Problem]) -> None:
        self.errors.extend(
            RowError(p.row, FIELD_HEADERS.get(p.field, p.field), p.message) for p in problems
        )
        self.errors.sort(key=lambda e: e.row)


class _RowInvalid(Exception):
    def __init__(self, key: str, message: str) -> None:
        self.key, self.message = key, message


def _open_sheet(data: bytes) -> Iterator[list[Any]]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRejected(
            "无法读取该文件：请上传 .xlsx / .xls / .ods 格式的 Excel 工作簿"
        ) from exc
    name = SHEET if SHEET in book.sheet_names else (book.sheet_names or [None])[0]
    if name is None:
        raise FileRejected("工作簿中没有工作表")
    return iter(book.get_sheet_by_name(name).iter_rows())


def _header_map(header: list[Any]) -> dict[str, int]:
    """Column key → index, by header text (order-free; a trailing * or spaces are ignored)."""
    by_header = {c.header: c.key for c in COLUMNS}
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = str(cell).strip().rstrip("*＊").strip()
        if text in by_header:
            positions[by_header[text]] = i
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileRejected("表头缺少必填列：" + "、".join(missing) + "。请使用系统下载的导入模板")
    return positions


def _text(value: Any) -> str:
    if type(value) is str:  # most cells: skip the checks below
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a room or bed number typed as a number
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _date(key: str, value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise _RowInvalid(key, f"日期无法识别：{text}，请写成 2024-03-01 的形式或设为日期格式")


def _id_cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A 15-digit legacy number survives as an exact float; an 18-digit one never does.
        if float(value).is_integer() and 0 < value < 10**15:
            return str(int(value))
        shown = f"{value:.14E}" if isinstance(value, float) else str(value)
        raise _RowInvalid(
            "id_number",
            f"证件号码单元格是数字格式，Excel 已将其改为 {shown}，末几位已丢失；"
            "请把该列设为文本格式后重新录入",
        )
    return _text(value)


def _choice(key: str, value: Any, labels: dict[str, str], default: str) -> str:
    text = _text(value)
    if not text:
        return default
    if text in labels:
        return labels[text]
    raise _RowInvalid(key, f"“{text}”不是可选值，应为：" + "、".join(labels))


# Required columns other than the ID number (checked with the document type), in column order.
_REQUIRED = tuple(c.key for c in COLUMNS if c.required and c.key != "id_number")


def _row_admission(row_no: int, cells: dict[str, Any], today: date) -> Admission:
    out: dict[str, Any] = {}
    for key, limit in MAX_LENGTHS.items():
        value = cells.get(key, "")
        text = value.strip() if type(value) is str else _text(value)  # _text, minus a call
        if len(text) > limit:
            raise _RowInvalid(key, f"不能超过 {limit} 个字")
        out[key] = text
    for key in _REQUIRED:
        if not (out[key] if key in out else _text(cells.get(key, ""))):
            raise _RowInvalid(key, "必填，不能为空")
    doc = _choice(
        "document_type", cells.get("document_type", ""), DOCUMENT_LABELS, Person.Document.ID_CARD
    )
    number = _id_cell(cells.get("id_number", ""))
    sex = _choice("sex", cells.get("sex", ""), SEX_LABELS, "")
    birth = _date("birth_date", cells.get("birth_date", ""))
    if doc == Person.Document.ID_CARD or (number and doc == Person.Document.RESIDENCE_PERMIT):
        if not number:
            raise _RowInvalid("id_number", "必填，不能为空")
        try:
            parsed = parse_id_number(number, today=today)
        except InvalidIdNumber as exc:
            raise _RowInvalid("id_number", f"身份证号码无效：{exc}") from exc
        if sex and sex != parsed.sex:
            raise _RowInvalid("sex", "性别与身份证号码不符")
        if birth and birth != parsed.birth_date:
            raise _RowInvalid("birth_date", "出生日期与身份证号码不符")
        number, birth, sex = parsed.number, parsed.birth_date, parsed.sex
    else:
        if birth is None:
            raise _RowInvalid("birth_date", "非身份证件须填写出生日期")
        if not sex:
            raise _RowInvalid("sex", "非身份证件须填写性别")
        if birth > today:
            raise _RowInvalid("birth_date", "出生日期不能晚于今天")
    admitted = _date("admitted_on", cells.get("admitted_on", ""))
    assert admitted is not None  # required above
    if admitted > today:
        raise _RowInvalid("admitted_on", "入住日期不能晚于今天")
    if admitted < birth:
        raise _RowInvalid("admitted_on", "入住日期早于出生日期")
    phones = {}
    for key in ("phone", "contact_phone"):
        try:
            phones[key] = clean_mobile(_text(cells.get(key, "")))
        except ValidationFailed as exc:
            raise _RowInvalid(key, exc.message) from exc
    if phones["contact_phone"] and not out["contact_name"]:
        raise _RowInvalid("contact_name", "填写了紧急联系人电话，请同时填写联系人姓名")
    return Admission(
        row=row_no,
        name=out["name"],
        sex=sex,
        birth_date=birth,
        document_type=doc,
        id_number=number,
        phone=phones["phone"],
        ethnicity=out["ethnicity"] or "汉族",
        address=out["address"],
        bed=(out["building"], out["room"], out["bed"]),
        admitted_on=admitted,
        disability_level=_choice(
            "disability_level",
            cells.get("disability_level", ""),
            DISABILITY_LABELS,
            HealthProfile.Disability.NONE,
        ),
        disability_certificate_no=out["disability_certificate_no"],
        allergies=out["allergies"],
        diet=out["diet"],
        designated_hospital=out["designated_hospital"],
        contact_name=out["contact_name"],
        contact_relation=out["contact_relation"],
        contact_phone=phones["contact_phone"],
    )


def parse(data: bytes, *, today: date, progress: Callable[[int], None] | None = None) -> ParsedFile:
    """Every row checked; duplicates (ID number, bed) reported on their second occurrence."""
    rows = _open_sheet(data)
    header = next(rows, None)
    if header is None:
        raise FileRejected("文件是空的：没有表头")
    positions = _header_map(header)
    result = ParsedFile()
    seen_ids: dict[str, int] = {}
    seen_beds: dict[tuple[str, str, str], int] = {}
    columns = tuple(positions.items())
    width = max(positions.values()) + 1  # a row at least this long has every column
    for offset, raw in enumerate(rows, start=2):  # Excel numbers the header row 1
        if not any(_text(v) for v in raw):
            continue
        result.total_rows += 1
        if result.total_rows > MAX_ROWS:
            raise FileRejected(f"一次最多导入 {MAX_ROWS:,} 行，请分成多个文件")
        if len(raw) >= width:
            cells = {key: raw[i] for key, i in columns}
        else:
            cells = {key: raw[i] if i < len(raw) else "" for key, i in columns}
        try:
            adm = _row_admission(offset, cells, today)
        except _RowInvalid as bad:
            result.errors.append(RowError(offset, BY_KEY[bad.key].header, bad.message))
            continue
        if adm.id_number:
            first = seen_ids.setdefault(adm.id_number, offset)
            if first != offset:
                result.errors.append(RowError(offset, "证件号码", f"与第 {first} 行的证件号码重复"))
                continue
        first = seen_beds.setdefault(adm.bed, offset)
        if first != offset:
            result.errors.append(
                RowError(offset, FIELD_HEADERS["bed"], f"与第 {first} 行是同一张床位")
            )
            continue
        result.admissions.append(adm)
        if progress is not None and result.total_rows % 5000 == 0:
            progress(result.total_rows)
    if result.total_rows == 0:
        raise FileRejected("文件中没有数据行")
    return result
