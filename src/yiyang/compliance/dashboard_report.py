"""The dashboards' tables, as data shown on the page, written to Excel (`?format=xlsx`) and
printed in the periodic PDF report (WeasyPrint via `core.pdf`, Noto CJK, no network).

A `Table` is built once per page from the snapshot (or live) values; the page renders it, the
Excel export writes the same rows (every row, not only the page shown), so what is exported is
what is displayed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from yiyang.core.downloads import content_disposition
from yiyang.core.pdf import html_to_pdf
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.core.workbooks import new_workbook

from . import dashboard_queries as dq
from . import indicators
from .dashboard_rules import Period, format_figure, status_of
from .indicators.base import Indicator, Records, Unit, Value
from .models import IndicatorSnapshot

__all__ = ["Cell", "Table", "children_table", "figure_cell", "indicator_children_table",
           "overview_table", "own_table", "parts_table", "records_table", "report_pdf",
           "trend_table", "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    status: str = ""  # met / unmet / none / off: the colour of a figure
    number: float | None = None  # written to Excel as a number


@dataclass
class Table:
    key: str  # ?table=<key>&format=xlsx exports it
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = "暂无数据"


def is_connected(ind: Indicator, snapshot: IndicatorSnapshot | None) -> bool:
    return ind.connected() and (snapshot is None or ind.code in (snapshot.codes or []))


PENDING = "尚未统计"  # connected since the snapshot was taken: the next one will have it


def figure_cell(ind: Indicator, value: Value | None, *, connected: bool = True,
                url: str = "") -> Cell:
    if not connected:
        return Cell("数据来源尚未接入" if not ind.connected() else PENDING,
                    status="off" if not ind.connected() else "none")
    if value is None:
        return Cell("—", status="none")
    fig = ind.figure(value)
    return Cell(format_figure(fig, ind.unit == Unit.PERCENT), url=url,
                status=status_of(True, fig is not None, ind.met(value)),
                number=None if fig is None else round(fig, 1))


def _met_text(ind: Indicator, value: Value | None, connected: bool) -> Cell:
    if not connected:
        return Cell("数据来源尚未接入" if not ind.connected() else PENDING,
                    status="off" if not ind.connected() else "none")
    if ind.target is None:
        return Cell("未设目标", status="none")
    met = None if value is None else ind.met(value)
    if met is None:
        return Cell("无数据", status="none")
    return Cell("达标" if met else "未达标", status="met" if met else "unmet")


def _num(n: int) -> Cell:
    return Cell(str(n), number=n)


def target_text(ind: Indicator) -> str:
    if ind.target is None:
        return "—"
    unit = "%" if ind.unit == Unit.PERCENT else ""
    return f"{ind.target.op.replace('>=', '≥').replace('<=', '≤')}{ind.target.value:g}{unit}"


def overview_table(view: dq.RegionView, inds: Sequence[Indicator]) -> Table:
    table = Table("overview", f"{view.name} 指标一览",
                  ["指标", "数值", "分子", "分母", "目标", "达标情况", "依据"])
    for ind in inds:
        connected = is_connected(ind, view.snapshot)
        value = view.values.get(ind.code)
        url = reverse("compliance:indicator", args=[ind.code, view.prefix])
        table.rows.append([
            Cell(ind.title, url=url), figure_cell(ind, value, connected=connected, url=url),
            _num(value.numerator) if value and connected else Cell("—"),
            _num(value.denominator) if value and connected else Cell("—"),
            Cell(target_text(ind)), _met_text(ind, value, connected), Cell(ind.clause)])
    return table


def _child_url(child: dq.Child) -> str:
    if child.is_org:
        return reverse("orgs:detail", args=[int(child.key)])
    return reverse("compliance:indicator_regions", args=[child.key])


def _cell_url(ind: Indicator, child: dq.Child, snapshot: IndicatorSnapshot | None) -> str:
    if child.is_org:
        on = f"?on={snapshot.on.isoformat()}" if snapshot else ""
        return reverse("compliance:indicator_records", args=[ind.code, int(child.key)]) + on
    return reverse("compliance:indicator", args=[ind.code, child.key])


def children_table(view: dq.RegionView, inds: Sequence[Indicator]) -> Table:
    columns = [f"下级{view.child_label}"] + ([] if view.is_county else ["养老机构数"])
    table = Table("children", f"{view.name} 下级{view.child_label}指标",
                  columns + [ind.title for ind in inds],
                  empty=f"辖区内暂无{view.child_label}的指标数据")
    for child in view.children:
        row = [Cell(child.name, url=_child_url(child))]
        if not view.is_county:
            row.append(_num(child.org_count))
        for ind in inds:
            value = child.values.get(ind.code)
            url = _cell_url(ind, child, view.snapshot) if value is not None else ""
            row.append(figure_cell(ind, value, connected=is_connected(ind, view.snapshot),
                                   url=url))
        table.rows.append(row)
    return table


def indicator_children_table(view: dq.RegionView, ind: Indicator) -> Table:
    connected = is_connected(ind, view.snapshot)
    table = Table("children", f"{ind.title} · 各{view.child_label}",
                  [view.child_label, ind.numerator_label, ind.denominator_label, "数值",
                   "达标情况"], empty=f"暂无下级{view.child_label}的数据")
    for child in view.children:
        value = child.values.get(ind.code)
        if value is None:
            continue
        url = _cell_url(ind, child, view.snapshot)
        table.rows.append([Cell(child.name, url=url), _num(value.numerator),
                           _num(value.denominator),
                           figure_cell(ind, value, connected=connected, url=url),
                           _met_text(ind, value, connected)])
    return table


def trend_table(ind: Indicator, points: Sequence[dq.TrendPoint]) -> Table:
    table = Table("trend", f"{ind.title} · 趋势",
                  ["统计日期", ind.numerator_label, ind.denominator_label, "数值", "达标情况"],
                  empty="暂无历史快照")
    for p in points:
        table.rows.append([Cell(p.on.isoformat()), _num(p.value.numerator),
                           _num(p.value.denominator), figure_cell(ind, p.value),
                           _met_text(ind, p.value, True)])
    return table


def parts_table(ind: Indicator, value: Value | None) -> Table:
    table = Table("parts", f"{ind.title} · 分项", ["分项", "数量"])
    if value is not None:
        keys = [k for k in ind.parts_labels if k in value.parts]
        keys += sorted(k for k in value.parts if k not in ind.parts_labels)
        for key in keys:
            table.rows.append([Cell(ind.parts_labels.get(key, key)), _num(value.parts[key])])
    return table


def own_table(actor: Actor, rows: Sequence[dq.OwnRow], on: date) -> Table:
    table = Table("own", f"{actor.org_name} 本机构指标（实时）",
                  ["指标", "数值", "分子", "分母", "目标", "达标情况", "依据"],
                  empty="本类机构暂无适用的指标")
    for row in rows:
        ind, value = row.indicator, row.value
        connected = value is not None
        url = (reverse("compliance:indicator_records", args=[ind.code, actor.org_id])
               + f"?on={on.isoformat()}") if connected else ""
        table.rows.append([
            Cell(ind.title, url=url), figure_cell(ind, value, connected=connected, url=url),
            _num(value.numerator) if value else Cell("—"),
            _num(value.denominator) if value else Cell("—"),
            Cell(target_text(ind)), _met_text(ind, value, connected), Cell(ind.clause)])
    return table


def records_table(ind: Indicator, org_name: str, records: Records,
                  rows: Sequence | None = None) -> Table:
    """The records behind an organisation's number; `rows` a page of them (default all)."""
    table = Table("records", f"{org_name} · {ind.title} · 明细",
                  [*records.columns, f"计入{ind.numerator_label}"], empty="没有可计入的记录")
    for r in records.rows if rows is None else rows:
        cells = [Cell(str(c)) for c in r.cells]
        if cells and r.url:
            cells[0] = Cell(cells[0].text, url=r.url)
        table.rows.append([*cells, Cell("✓ 是" if r.counted else "否",
                                        status="met" if r.counted else "none")])
    return table


def xlsx_response(table: Table, *, heading: str, note: str = "") -> HttpResponse:
    """The table as an Excel workbook: title, "数据截至" note, header, every row."""
    buffer, book = new_workbook()
    sheet = book.add_worksheet("指标")
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet.write(0, 0, f"{heading} · {table.title}", title)
    sheet.write(1, 0, note or f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    for col, name in enumerate(table.columns):
        sheet.write(2, col, name, bold)
    for i, row in enumerate(table.rows, start=3):
        for col, cell in enumerate(row):
            if cell.number is not None:
                sheet.write_number(i, col, cell.number)
            else:
                sheet.write_string(i, col, cell.text)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, max(1, len(table.columns) - 1), 14)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        f"{heading}-{table.title}.xlsx", fallback=f"indicators-{table.key}.xlsx")
    return response


# ---- the periodic PDF report ---------------------------------------------------------------

def _trend_matrix(inds: Sequence[Indicator],
                  points: Sequence[tuple[date, dict[str, Value]]]) -> Table:
    table = Table("trend", "各月指标趋势（每月最后一次统计）",
                  ["统计日期", *[ind.title for ind in inds]], empty="本期及此前一年暂无快照")
    for on, values in points:
        table.rows.append([Cell(on.isoformat()),
                           *[figure_cell(ind, values.get(ind.code)) for ind in inds]])
    return table


def report_context(actor: Actor, period: Period) -> dict:
    """The report of the actor's region (a regulator) or of its own institution, at the
    snapshot nearest the period's end, with the year of monthly values up to it."""
    snapshot = dq.snapshot_for(period.end)
    inds = indicators.all_indicators()
    start = period.end.replace(day=1) - timedelta(days=335)
    tables: list[Table] = []
    if actor.org_kind == OrgKind.REGULATOR:
        view = dq.region_view(actor, actor.region_prefix, snapshot)
        subject = view.name
        tables.append(overview_table(view, inds))
        tables.append(children_table(view, inds))
        points = dq.monthly_trend(actor, prefix=actor.region_prefix, start=start,
                                  end=period.end)
    else:
        inds = [i for i in inds if i.org_kind == actor.org_kind]
        subject = actor.org_name
        values = dq.own_snapshot_values(actor, snapshot)
        rows = [dq.OwnRow(i, values.get(i.code) if is_connected(i, snapshot) else None)
                for i in inds]
        table = own_table(actor, rows, snapshot.on if snapshot else period.end)
        table.title = f"{actor.org_name} 本机构指标"
        tables.append(table)
        points = dq.monthly_trend(actor, org_id=actor.org_id, start=start, end=period.end)
    tables.append(_trend_matrix(inds, points))
    return {"subject": subject, "period": period, "snapshot": snapshot, "tables": tables,
            "indicators": inds, "generated_at": timezone.localtime()}


def report_pdf(actor: Actor, period: Period) -> tuple[bytes, str]:
    context = report_context(actor, period)
    html = render_to_string("compliance/dashboard/report_pdf.html", context)
    pdf = html_to_pdf(html, what="indicator report")
    return pdf, f"{context['subject']}-指标报告-{period.text}.pdf"


def headline_cards(actor: Actor, limit: int = 8) -> dict:
    """The regulator home page's headline: the first connected indicators of its region."""
    snapshot, values = dq.headline(actor)
    cards = []
    for ind in indicators.all_indicators():
        if len(cards) >= limit:
            break
        if not is_connected(ind, snapshot):
            continue
        url = reverse("compliance:indicator", args=[ind.code, actor.region_prefix])
        cards.append({"title": ind.title, "target": target_text(ind),
                      "cell": figure_cell(ind, values.get(ind.code), url=url)})
    taken = f"{timezone.localtime(snapshot.taken_at):%Y-%m-%d %H:%M}" if snapshot else ""
    return {"cards": cards, "taken_at": taken}
