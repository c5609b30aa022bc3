"""The line list of an outbreak as an Excel workbook (`interop` sits above this app, so
the workbook is written here with `core.workbooks`). Audited: it carries names."""

from __future__ import annotations

from django.utils import timezone

from yiyang.core import audit
from yiyang.core.scope import Actor
from yiyang.core.workbooks import new_workbook

from . import outbreak_queries as queries
from .models import Outbreak

HEADERS = ("序号", "姓名", "人员类别", "身份", "判定时间", "隔离开始", "隔离至", "当前去向",
           "去向起始", "闭环转运", "绿色通道", "转归", "备注")


def line_list_xlsx(*, actor: Actor, outbreak: Outbreak) -> bytes:
    entries = queries.line_list(actor, outbreak)
    buf, book = new_workbook()
    sheet = book.add_worksheet("病例与密接一览")
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet.write(0, 0, f"{outbreak.home.name} 疫情病例与密接一览表（{outbreak.state_label}）", title)
    sheet.write(1, 0, f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    for col, h in enumerate(HEADERS):
        sheet.write(2, col, h, bold)
    fmt = "%Y-%m-%d %H:%M"
    for i, e in enumerate(entries, start=1):
        cur = e.current  # type: ignore[attr-defined]
        where = ""
        if cur:
            where = cur.get_where_display() + (f" {cur.site.name}" if cur.site else "") + (
                f" {cur.place}" if cur.place else "")
        sheet.write_row(2 + i, 0, [
            i, e.subject_name, e.get_role_display(), e.subject_kind,
            timezone.localtime(e.identified_at).strftime(fmt),
            e.quarantine_from.isoformat() if e.quarantine_from else "",
            e.quarantine_until.isoformat() if e.quarantine_until else "", where,
            timezone.localtime(cur.since).strftime(fmt) if cur else "",
            "是" if cur and cur.closed_loop else "", "是" if cur and cur.green_channel else "",
            e.get_outcome_display(), e.note])
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, len(HEADERS) - 1, 16)
    book.close()
    audit.record(actor, "infection.outbreak.export", outbreak,
                 changes={"rows": [None, len(entries)]})
    return buf.getvalue()
