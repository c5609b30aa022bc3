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
from yiyang.core.masking import mask_id_number
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
_LIMITS = tuple(MAX_LENGTHS.items())
# Read once: attribute access on a choices class costs more than the comparison (per row).
_ID_CARD = Person.Document.ID_CARD.value
_RESIDENCE_PERMIT = Person.Document.RESIDENCE_PERMIT.value
_NO_DISABILITY = HealthProfile.Disability.NONE.value
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


def _open_sheet(data: bytes) -> tuple[Iterator[list[Any]], int]:
    """The sheet's rows and its height (header included; trailing blank rows may count)."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRejected(
            "无法读取该文件：请上传 .xlsx / .xls / .ods 格式的 Excel 工作簿"
        ) from exc
    name = SHEET if SHEET in book.sheet_names else (book.sheet_names or [None])[0]
    if name is None:
        raise FileRejected("工作簿中没有工作表")
    sheet = book.get_sheet_by_name(name)
    return iter(sheet.iter_rows()), sheet.height


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
    if value == "":
        return None
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
    if value == "":  # most cells of an optional column
        return default
    text = _text(value)
    if not text:
        return default
    if text in labels:
        return labels[text]
    raise _RowInvalid(key, f"“{text}”不是可选值，应为：" + "、".join(labels))


# Required columns other than the ID number (checked with the document type), in column order.
_REQUIRED = tuple(c.key for c in COLUMNS if c.required and c.key != "id_number")


def _mobile(key: str, cells: dict[str, Any]) -> str:
    value = cells.get(key, "")
    try:
        return clean_mobile(_text(value))
    except ValidationFailed as exc:
        raise _RowInvalid(key, exc.message) from exc


def _row_admission(row_no: int, cells: dict[str, Any], today: date) -> Admission:
    out: dict[str, Any] = {}
    get = cells.get
    for key, limit in _LIMITS:
        value = get(key, "")
        if not value:  # a blank cell (most optional ones), or a 0 that _text makes "0"
            out[key] = "" if value == "" else _text(value)
            continue
        text = value.strip() if type(value) is str else _text(value)  # _text, minus a call
        if len(text) > limit:
            raise _RowInvalid(key, f"不能超过 {limit} 个字")
        out[key] = text
    for key in _REQUIRED:
        if not (out[key] if key in out else _text(cells.get(key, ""))):
            raise _RowInvalid(key, "必填，不能为空")
    doc = _choice(
        "document_type", cells.get("document_type", ""), DOCUMENT_LABELS, _ID_CARD
    )
    number = _id_cell(cells.get("id_number", ""))
    sex = _choice("sex", cells.get("sex", ""), SEX_LABELS, "")
    birth = _date("birth_date", cells.get("birth_date", ""))
    if doc == _ID_CARD or (number and doc == _RESIDENCE_PERMIT):
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
    phones = {"phone": _mobile("phone", cells), "contact_phone": _mobile("contact_phone", cells)}
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
            _NO_DISABILITY,
        ),
        disability_certificate_no=out["disability_certificate_no"],
        allergies=out["allergies"],
        diet=out["diet"],
        designated_hospital=out["designated_hospital"],
        contact_name=out["contact_name"],
        contact_relation=out["contact_relation"],
        contact_phone=phones["contact_phone"],
    )


class RowStream:
    """A workbook's data rows, checked one by one: iterating yields an `Admission` for each
    good row and a `RowError` for each bad one, in sheet order; duplicates (ID number, bed)
    are reported on their second occurrence. Reading the sheet happens on creation (python-
    calamine reads a sheet whole), so `height` is known before the first row."""

    def __init__(self, data: bytes, *, today: date) -> None:
        self._rows, self.height = _open_sheet(data)
        header = next(self._rows, None)
        if header is None:
            raise FileRejected("文件是空的：没有表头")
        self._positions = _header_map(header)
        self.today = today
        self.total_rows = 0  # non-blank data rows seen so far

    def __iter__(self) -> Iterator[Admission | RowError]:
        today = self.today
        seen_ids: dict[str, int] = {}
        seen_beds: dict[tuple[str, str, str], int] = {}
        columns = tuple(self._positions.items())
        width = max(self._positions.values()) + 1  # a row at least this long has every column
        for offset, raw in enumerate(self._rows, start=2):  # Excel numbers the header row 1
            if not any(_text(v) for v in raw):
                continue
            self.total_rows += 1
            if self.total_rows > MAX_ROWS:
                raise FileRejected(f"一次最多导入 {MAX_ROWS:,} 行，请分成多个文件")
            if len(raw) >= width:
                cells = {key: raw[i] for key, i in columns}
            else:
                cells = {key: raw[i] if i < len(raw) else "" for key, i in columns}
            try:
                adm = _row_admission(offset, cells, today)
            except _RowInvalid as bad:
                yield RowError(offset, BY_KEY[bad.key].header, bad.message)
                continue
            if adm.id_number:
                first = seen_ids.setdefault(adm.id_number, offset)
                if first != offset:
                    yield RowError(offset, "证件号码", f"与第 {first} 行的证件号码重复")
                    continue
            first = seen_beds.setdefault(adm.bed, offset)
            if first != offset:
                yield RowError(offset, FIELD_HEADERS["bed"], f"与第 {first} 行是同一张床位")
                continue
            yield adm
        if self.total_rows == 0:
            raise FileRejected("文件中没有数据行")


def parse(data: bytes, *, today: date, progress: Callable[[int], None] | None = None) -> ParsedFile:
    """Every row checked (`RowStream`), collected in one `ParsedFile`."""
    stream = RowStream(data, today=today)
    result = ParsedFile()
    for item in stream:
        if type(item) is RowError:
            result.errors.append(item)
            continue
        result.admissions.append(item)
        if progress is not None and len(result.admissions) % 5000 == 0:
            progress(stream.total_rows)
    result.total_rows = stream.total_rows
    return result


PREVIEW_ROWS = 20


def preview(admissions: list[Admission]) -> list[dict[str, str]]:
    """The first rows as the job page shows them before confirming (ID numbers masked)."""
    sexes = dict(Person.Sex.choices)
    return [
        {
            "row": a.row,
            "name": a.name,
            "sex": sexes.get(a.sex, ""),
            "birth_date": a.birth_date.isoformat(),
            "id_number": mask_id_number(a.id_number),
            "bed": "{} {}-{}床".format(*a.bed),
            "admitted_on": a.admitted_on.isoformat(),
        }
        for a in admissions[:PREVIEW_ROWS]
    ]
