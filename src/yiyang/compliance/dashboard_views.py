"""Indicator dashboards (issue 10 item 3): a regulator's region → child regions → institutions
→ the records behind a number, and an institution's own indicators against their targets.
Read-only (GET); every table exports to Excel with `?format=xlsx&table=<key>`; the periodic
report prints to PDF. Thin: parse, call `dashboard_queries`, build the tables, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from yiyang.core.downloads import content_disposition
from yiyang.core.errors import NotFound
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.middleware import actor_of

from . import dashboard_queries as dq
from . import dashboard_report as dr
from . import indicators
from .dashboard_rules import parse_period, part_colours, split_parts
from .indicators.base import Indicator, Unit, Value
from .models import IndicatorSnapshot

EMPTY = "指标尚未生成，系统每30分钟自动统计"
COLOURS = {"met": "#0b6e4f", "unmet": "#c0392b", "none": "#7f8c8d", "off": "#bdc3c7"}
PART_COLOURS = ["#0b6e4f", "#e67e22", "#c0392b", "#2980b9", "#8e44ad", "#16a085", "#7f8c8d",
                "#d35400", "#2c3e50", "#f1c40f"]


def _taken_at(snapshot: IndicatorSnapshot | None) -> str:
    if snapshot is None:
        return ""
    return f"{timezone.localtime(snapshot.taken_at):%Y-%m-%d %H:%M}"


def _export(request: HttpRequest, tables: list[dr.Table], heading: str,
            note: str) -> HttpResponse | None:
    if request.GET.get("format") != "xlsx":
        return None
    key = request.GET.get("table") or tables[0].key
    for table in tables:
        if table.key == key:
            return dr.xlsx_response(table, heading=heading, note=note)
    raise NotFound("没有这个表格")


def _target_line(ind: Indicator) -> dict[str, Any] | None:
    if ind.target is None:
        return None
    unit = "%" if ind.unit == Unit.PERCENT else ""
    return {"silent": True, "symbol": "none",
            "lineStyle": {"color": "#c0392b", "type": "dashed"},
            "label": {"formatter": f"目标 {ind.target.value:g}{unit}", "position": "insideEndTop"},
            "data": [{"yAxis": ind.target.value}]}


def _figure(ind: Indicator, value: Value | None) -> float | None:
    if value is None:
        return None
    fig = ind.figure(value)
    return None if fig is None else round(fig, 1)


def _bar_chart(ind: Indicator, view: dq.RegionView) -> dict[str, Any]:
    data = []
    for child in view.children:
        value = child.values.get(ind.code)
        fig = _figure(ind, value)
        met = None if value is None else ind.met(value)
        colour = COLOURS["none" if met is None else ("met" if met else "unmet")]
        data.append({"value": fig, "itemStyle": {"color": colour}})
    series: dict[str, Any] = {"name": ind.title, "data": data}
    if (line := _target_line(ind)) is not None:
        series["markLine"] = line
    return {"title": f"{ind.title} · 各{view.child_label}",
            "categories": [c.name for c in view.children], "series": [series]}


def _trend_chart(ind: Indicator, points: list[dq.TrendPoint]) -> dict[str, Any]:
    series: dict[str, Any] = {"name": ind.title,
                              "data": [_figure(ind, p.value) for p in points]}
    if (line := _target_line(ind)) is not None:
        series["markLine"] = line
    return {"title": f"{ind.title} · 趋势", "type": "line",
            "categories": [p.on.isoformat() for p in points], "series": [series]}


def _parts_chart(ind: Indicator, value: Value | None) -> dict[str, Any] | None:
    if value is None or not value.parts:
        return None
    bands, series = split_parts(value.parts, ind.parts_labels)
    colours = part_colours(value.parts, ind.parts_labels, PART_COLOURS)
    return {"title": f"{ind.title} · 分项", "categories": bands,
            "series": [{"name": name, "data": data, "stack": "parts", "color": colour}
                       for (name, data), colour in zip(series, colours, strict=True)]}


def _on(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


# ---- pages ---------------------------------------------------------------------------------

@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """`/indicators/`: a regulator's region, or an institution's own indicators (live)."""
    actor = actor_of(request)
    if actor.org_kind == OrgKind.REGULATOR:
        return _region(request, actor, actor.region_prefix)
    return _own(request, actor)


@require_GET
def region(request: HttpRequest, prefix: str) -> HttpResponse:
    actor = actor_of(request)
    dq.check_region(actor, prefix)
    return _region(request, actor, prefix)


def _region(request: HttpRequest, actor: Actor, prefix: str) -> HttpResponse:
    snapshot = dq.latest_snapshot()
    view = dq.region_view(actor, prefix, snapshot)
    inds = indicators.all_indicators()
    tables = [dr.overview_table(view, inds), dr.children_table(view, inds)]
    note = f"数据截至 {_taken_at(snapshot)}" if snapshot else EMPTY
    if (xlsx := _export(request, tables, view.name, note)) is not None:
        return xlsx
    chosen = indicators.get(request.GET.get("indicator", ""))
    shown = [i for i in inds if dr.is_connected(i, snapshot)]
    if chosen not in shown:
        chosen = shown[0] if shown else None
    return render(request, "compliance/dashboard/region.html", {
        "view": view, "snapshot": snapshot, "taken_at": _taken_at(snapshot), "empty": EMPTY,
        "tables": tables, "indicators": shown, "chosen": chosen,
        "chart": _bar_chart(chosen, view) if chosen and view.children else None,
        "report_period": f"{timezone.localdate():%Y-%m}"})


def _own(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    rows = dq.own_rows(actor, today)
    table = dr.own_table(actor, rows, today)
    if (xlsx := _export(request, [table], actor.org_name,
                        f"实时统计，截至 {timezone.localtime():%Y-%m-%d %H:%M}")) is not None:
        return xlsx
    return render(request, "compliance/dashboard/own.html", {
        "table": table, "counts": dq.counts_by_status(rows), "today": today,
        "now": timezone.localtime(), "report_period": f"{today:%Y-%m}"})


@require_GET
def indicator(request: HttpRequest, code: str, prefix: str) -> HttpResponse:
    actor = actor_of(request)
    ind = dq.indicator(code)
    dq.check_region(actor, prefix)
    snapshot = dq.latest_snapshot()
    view = dq.region_view(actor, prefix, snapshot, codes=[code])
    points = dq.trend(actor, code, prefix=prefix)
    value = view.values.get(code)
    tables = [dr.indicator_children_table(view, ind), dr.trend_table(ind, points)]
    if ind.parts_labels or (value and value.parts):
        tables.append(dr.parts_table(ind, value))
    note = f"数据截至 {_taken_at(snapshot)}" if snapshot else EMPTY
    if (xlsx := _export(request, tables, view.name, note)) is not None:
        return xlsx
    connected = dr.is_connected(ind, snapshot)
    return render(request, "compliance/dashboard/indicator.html", {
        "ind": ind, "view": view, "snapshot": snapshot, "taken_at": _taken_at(snapshot),
        "empty": EMPTY, "tables": tables, "connected": connected, "value": value,
        "figure": dr.figure_cell(ind, value, connected=connected),
        "target": dr.target_text(ind),
        "bar": _bar_chart(ind, view) if connected and view.children else None,
        "line": _trend_chart(ind, points) if connected and points else None,
        "parts": _parts_chart(ind, value) if connected else None})


@require_GET
def records(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The records behind one institution's number, read through the apps' `visible_to`."""
    actor = actor_of(request)
    ind = dq.indicator(code)
    org = dq.record_org(actor, ind, pk)
    on = _on(request)
    if not ind.connected():
        return render(request, "compliance/dashboard/records.html", {
            "ind": ind, "org": org, "on": on, "connected": False})
    found = dq.records(actor, ind, org, on)
    full = dr.records_table(ind, org.name, found)
    note = f"统计日期 {on.isoformat()}"
    if (xlsx := _export(request, [full], org.name, note)) is not None:
        return xlsx
    page = paginate(request, list(found.rows))
    back = ""
    if actor.org_kind == OrgKind.REGULATOR and len(org.region_code) >= 6:
        back = reverse("compliance:indicator", args=[code, org.region_code[:6]])
    elif actor.org_kind != OrgKind.REGULATOR:
        back = reverse("compliance:indicators")
    return render(request, "compliance/dashboard/records.html", {
        "ind": ind, "org": org, "on": on, "connected": True, "records": found,
        "table": dr.records_table(ind, org.name, found, page.object_list), "page": page,
        "counted": sum(1 for r in found.rows if r.counted), "total": len(found.rows),
        "back": back})


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """`/indicators/report/?period=2026-11|2026Q4|2026`: the periodic report as a PDF."""
    actor = actor_of(request)
    period = parse_period(request.GET.get("period") or f"{timezone.localdate():%Y-%m}")
    if period is None:
        raise NotFound("报告期格式应为 2026-11、2026Q4 或 2026")
    pdf, filename = dr.report_pdf(actor, period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True,
                                                          fallback="indicators.pdf")
    return response
