"""Building residents workbooks for the import tests, cell by cell with XlsxWriter, so a test
can put a number where the template wants text, exactly as a user's Excel would."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter

from yiyang.core.identifiers import id_check_digit
from yiyang.interop.resident_columns import HEADERS, SHEET
from yiyang.orgs.models import Bed, Building, NursingHome, Room


def id_number(county: str, born: date, serial: int) -> str:
    body = f"{county}{born:%Y%m%d}{serial:03d}"
    return body + id_check_digit(body)


def row(name: str, number: Any, building: str, room: str, bed: str, **extra: Any) -> dict:
    return {"姓名": name, "证件号码": number, "楼栋": building, "房间号": room, "床号": bed,
            "入住日期": extra.pop("入住日期", "2026-10-08"), **extra}


def workbook(rows: list[dict[str, Any]], *, headers: tuple[str, ...] = HEADERS) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(SHEET)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header)
    for r, values in enumerate(rows, start=1):
        for c, header in enumerate(headers):
            value = values.get(header, "")
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def new_building(home: NursingHome, name: str, rooms: int, beds_per_room: int) -> Building:
    """Free beds for the import: rooms 101.. with beds 1..n."""
    building = Building.objects.create(home=home, region_code=home.region_code, name=name)
    for r in range(rooms):
        room = Room.objects.create(home=home, region_code=home.region_code, building=building,
                                   number=str(101 + r))
        Bed.objects.bulk_create(Bed(home=home, region_code=home.region_code, room=room,
                                    label=str(b + 1)) for b in range(beds_per_room))
    return building
