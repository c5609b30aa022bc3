"""The residents workbook: one column list shared by the template, the import and the export,
so a file exported from one home imports into another without editing the header."""

from __future__ import annotations

from dataclasses import dataclass

from yiyang.residents.models import HealthProfile, Person


@dataclass(frozen=True)
class Column:
    key: str  # field of `residents.bulk_admission.Admission` (bed parts: building/room/bed)
    header: str
    required: bool = False
    text: bool = False  # stored as text so Excel cannot turn digits into a number
    date: bool = False
    choices: tuple[str, ...] = ()
    width: int = 12
    note: str = ""


SEX_LABELS = {label: value for value, label in Person.Sex.choices}
DOCUMENT_LABELS = {label: value for value, label in Person.Document.choices}
DISABILITY_LABELS = {label: value for value, label in HealthProfile.Disability.choices}

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True, width=10),
    Column("document_type", "证件类型", choices=tuple(DOCUMENT_LABELS), width=16,
           note="留空即居民身份证"),
    Column("id_number", "证件号码", required=True, text=True, width=22,
           note="18 位身份证号，单元格须为文本格式"),
    Column("sex", "性别", choices=tuple(SEX_LABELS), width=6, note="身份证号可推出，可留空"),
    Column("birth_date", "出生日期", date=True, width=12, note="身份证号可推出，可留空"),
    Column("ethnicity", "民族", width=8, note="留空即汉族"),
    Column("phone", "联系电话", text=True, width=14),
    Column("address", "户籍/常住地址", width=28),
    Column("building", "楼栋", required=True, width=10),
    Column("room", "房间号", required=True, text=True, width=8),
    Column("bed", "床号", required=True, text=True, width=6),
    Column("admitted_on", "入住日期", required=True, date=True, width=12),
    Column("disability_level", "失能等级", choices=tuple(DISABILITY_LABELS), width=10,
           note="留空即能力完好"),
    Column("disability_certificate_no", "残疾人证号", text=True, width=22),
    Column("allergies", "过敏史", width=16),
    Column("diet", "饮食要求", width=16),
    Column("designated_hospital", "定点/签约医院", width=18),
    Column("contact_name", "紧急联系人", width=10),
    Column("contact_relation", "与老人关系", width=10),
    Column("contact_phone", "紧急联系人电话", text=True, width=14),
)

HEADERS = tuple(c.header for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}
# Problems from the residents service name a field; the bed is three columns.
FIELD_HEADERS = {**{c.key: c.header for c in COLUMNS}, "bed": "楼栋/房间号/床号"}
SHEET = "老年人信息"
