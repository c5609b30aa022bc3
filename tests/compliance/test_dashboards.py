"""The indicator dashboards (issue 10 item 3): a hand-built snapshot of a test indicator with
known values is shown with the right figures, colours and drill-down links; each level is
scoped (officer_x county X only, officer_city the city, a home its own live view); a region
page costs the same number of queries at county and province level; every table exports to
Excel; the periodic report prints to PDF with every font embedded; nothing is written."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from yiyang.compliance import dashboard_rules, indicator_snapshots, indicators
from yiyang.compliance.indicators.base import Indicator, RecordRow, Records, Target, Value
from yiyang.compliance.models import IndicatorSnapshot
from yiyang.core.models import AuditEvent
from yiyang.demo.indicators import month_ends
from yiyang.orgs.models import NursingHome, Organisation

# ---- pure parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026年11月"),
    ("2024-2", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
    ("2026q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
])
def test_report_periods(text: str, start: date, end: date, label: str) -> None:
    period = dashboard_rules.parse_period(text)
    assert period is not None
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-0", "2026Q5", "26", "1999", "十一月",
                                  "2026-11-01"])
def test_bad_periods_are_refused(text: str) -> None:
    assert dashboard_rules.parse_period(text) is None


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_its_month_quarter_and_year(day: date) -> None:
    q = (day.month - 1) // 3 + 1
    for text in (f"{day.year}-{day.month}", f"{day.year}Q{q}", str(day.year)):
        period = dashboard_rules.parse_period(text)
        assert period is not None and period.start <= day <= period.end
        assert (period.end + timedelta(days=1)).day == 1  # a period ends on a month's last day
        assert dashboard_rules.parse_period(period.text) == period


def test_parts_make_a_band_by_category_stacked_bar() -> None:
    labels = {"65-79:red": "65–79岁·红色", "65-79:yellow": "65–79岁·黄色",
              "80+:red": "80岁以上·红色", "80+:yellow": "80岁以上·黄色"}
    bands, series = dashboard_rules.split_parts(
        {"80+:red": 2, "65-79:red": 5, "65-79:yellow": 1}, labels)
    assert bands == ["65–79岁", "80岁以上"]
    assert series == [("红色", [5, 2]), ("黄色", [1, 0])]
    bands, series = dashboard_rules.split_parts({"a": 3, "b": 4}, {"a": "甲", "b": "乙"})
    assert bands == ["甲", "乙"] and series == [("计数", [3, 4])]
    # Totals without ":" next to band:category keys stay out of the bar (they are in the table),
    # and the colour codes keep their colours whatever their order.
    mixed = {"65-79:yellow": 1, "65-79:red": 5, "red": 5, "yellow": 1}
    bands, series = dashboard_rules.split_parts(mixed, {})
    assert bands == ["65-79"] and series == [("red", [5]), ("yellow", [1])]
    assert dashboard_rules.part_colours(mixed, {}, ["#111111"]) == ["#c0392b", "#e6a23c"]
    assert dashboard_rules.part_colours({"x:a": 1, "x:b": 2}, {}, ["#1", "#2"]) == ["#1", "#2"]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["x:1", "x:2", "y:1", "z:3"]), st.integers(0, 99)))
def test_a_stacked_bar_keeps_every_count(parts: dict[str, int]) -> None:
    _, series = dashboard_rules.split_parts(parts, {})
    assert sum(sum(data) for _, data in series) == sum(parts.values())


def test_status_and_figures() -> None:
    assert dashboard_rules.status_of(False, True, True) == "off"
    assert dashboard_rules.status_of(True, False, None) == "none"
    assert dashboard_rules.status_of(True, True, False) == "unmet"
    assert dashboard_rules.format_figure(None, True) == "无数据"
    assert dashboard_rules.format_figure(12.345, True) == "12.3%"
    assert dashboard_rules.format_figure(7.0, False) == "7"
    assert dashboard_rules.child_length("41") == 4
    assert dashboard_rules.child_length("4102") == 6
    assert dashboard_rules.child_length("410221") is None


def test_demo_month_ends() -> None:
    assert month_ends(date(2026, 3, 15), 3) == [date(2025, 12, 31), date(2026, 1, 31),
                                                date(2026, 2, 28)]


# ---- a test indicator with known values --------------------------------------------------

CODE = "dash_test"
KNOWN: dict[int, Value] = {}  # home id -> value, set by the fixture


def _compute(org_ids, on):  # type: ignore[no-untyped-def]
    return {pk: v for pk, v in KNOWN.items() if org_ids is None or pk in org_ids}


def _records(actor, org_id, on):  # type: ignore[no-untyped-def]
    """Read through visible_to: an actor who may not see the home gets nothing."""
    home = NursingHome.objects.visible_to(actor).filter(pk=org_id).first()
    value = KNOWN.get(org_id)
    if home is None or value is None:
        return Records(("记录",), [])
    return Records(("记录",), [RecordRow((f"{home.name}-记录{i}",), i < value.numerator,
                                         f"/residents/{i}/") for i in range(value.denominator)])


@pytest.fixture
def known(cast):  # type: ignore[no-untyped-def]
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    KNOWN.clear()
    KNOWN.update({home_a.pk: Value(3, 4), home_c.pk: Value(1, 4)})
    ind = indicators.register(Indicator(
        code=CODE, title="测试达标率", clause="测试种子 §一", formula="达标人数 ÷ 人数",
        org_kind="home", compute=_compute, records=_records,
        target=Target(">=", 50, "不低于50%"), order=-1, numerator_label="达标人数",
        denominator_label="人数"))
    off = indicators.register(Indicator(
        code="dash_off", title="测试未接入指标", clause="测试种子 §二", formula="—",
        org_kind="home", compute=_compute, records=_records, connected=lambda: False,
        order=-1))
    today = timezone.localdate()
    # A month-end a year ago (home A below target then) and today's: a trend of two points.
    KNOWN[home_a.pk] = Value(1, 4)
    indicator_snapshots.take_snapshot(today - timedelta(days=365), codes=[CODE])
    KNOWN[home_a.pk] = Value(3, 4)
    snap = indicator_snapshots.take_snapshot(today, codes=[CODE])
    yield {"a": home_a, "c": home_c, "snap": snap}
    indicators.unregister(ind.code)
    indicators.unregister(off.code)
    KNOWN.clear()


def _page(cast, who: str, url: str, **params):  # type: ignore[no-untyped-def]
    response = cast.browser(who).get(url, params)
    return response.status_code, response.content.decode() if response.status_code == 200 \
        else ""


@pytest.mark.django_db
def test_the_city_sees_its_counties_with_figures_colours_and_links(cast, known) -> None:
    status, html = _page(cast, "officer_city", reverse("compliance:indicators"))
    assert status == 200
    # City 开封市: (3 + 1) of (4 + 4) = 50.0 %, which meets "≥ 50 %".
    assert 'fig-met">50.0%' in html
    # County X (杞县): home A's 3 of 4; county Y (通许县): home C's 1 of 4, below target.
    assert 'fig-met">75.0%' in html and 'fig-unmet">25.0%' in html
    assert "杞县" in html and "通许县" in html
    assert reverse("compliance:indicator_regions", args=["410221"]) in html
    assert reverse("compliance:indicator", args=[CODE, "410222"]) in html
    assert 'fig-off">数据来源尚未接入' in html  # dash_off
    assert "数据截至" in html
    # Connected after the snapshot was taken: "not counted yet", not "not connected".
    late = indicators.register(Indicator(
        code="dash_late", title="测试新接入指标", clause="测试", formula="—", org_kind="home",
        compute=_compute, records=_records, order=-1))
    try:
        _, html = _page(cast, "officer_city", reverse("compliance:indicators"))
        assert 'fig-none">尚未统计' in html
    finally:
        indicators.unregister(late.code)
    _, html = _page(cast, "officer_city", reverse("compliance:indicator", args=["dash_off",
                                                                               "4102"]))
    assert 'fig-off">数据来源尚未接入' in html
    # The regulator's home page shows the headline figure and links to the dashboard.
    _, home = _page(cast, "officer_city", reverse("web:dashboard"))
    assert "50.0%" in home and reverse("compliance:indicator", args=[CODE, "4102"]) in home


@pytest.mark.django_db
def test_officer_x_sees_county_x_and_its_homes_only(cast, known) -> None:
    a, c = known["a"], known["c"]
    status, html = _page(cast, "officer_x", reverse("compliance:indicators"))
    assert status == 200
    assert a.name in html and c.name not in html
    records_url = reverse("compliance:indicator_records", args=[CODE, a.pk])
    assert records_url in html
    for url in (reverse("compliance:indicator_regions", args=["410222"]),
                reverse("compliance:indicator_regions", args=["4102"]),
                reverse("compliance:indicator", args=[CODE, "410222"]),
                reverse("compliance:indicator_records", args=[CODE, c.pk])):
        assert cast.browser("officer_x").get(url).status_code == 404, url
    # officer_city reads county X and home A's records inside its city
    assert cast.browser("officer_city").get(
        reverse("compliance:indicator_regions", args=["410221"])).status_code == 200
    assert cast.browser("officer_city").get(records_url).status_code == 200


@pytest.mark.django_db
def test_the_indicator_page_shows_formula_children_and_trend(cast, known) -> None:
    status, html = _page(cast, "officer_city",
                         reverse("compliance:indicator", args=[CODE, "4102"]))
    assert status == 200
    assert "达标人数 ÷ 人数" in html and "测试种子 §一" in html and "≥50%" in html
    assert 'id="bar-chart"' in html and 'id="trend-chart"' in html
    # The trend: a year ago 1 + 1 of 8 = 25.0 %, today 50.0 %.
    assert "12.5%" not in html
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
    assert year_ago in html
    trend = html.split('data-table="trend"')[1]
    assert trend.index("25.0%") < trend.index("50.0%")


@pytest.mark.django_db
def test_the_trend_keeps_the_last_snapshot_of_each_month(cast, known) -> None:
    month = (timezone.localdate() - timedelta(days=200)).replace(day=1)
    KNOWN[known["a"].pk] = Value(0, 4)
    indicator_snapshots.take_snapshot(month.replace(day=5), codes=[CODE])
    KNOWN[known["a"].pk] = Value(4, 4)
    indicator_snapshots.take_snapshot(month.replace(day=15), codes=[CODE])
    _, html = _page(cast, "officer_city", reverse("compliance:indicator", args=[CODE, "4102"]))
    trend = html.split('data-table="trend"')[1].split("</table>")[0]
    assert month.replace(day=15).isoformat() in trend
    assert month.replace(day=5).isoformat() not in trend
    assert "62.5%" in trend  # (4 + 1) of 8 that month


@pytest.mark.django_db
def test_records_behind_a_home_number_are_scoped_and_match_the_numerator(cast, known) -> None:
    a = known["a"]
    url = reverse("compliance:indicator_records", args=[CODE, a.pk])
    status, html = _page(cast, "officer_x", url)
    assert status == 200
    assert html.count("✓ 是") == 3 and f"{a.name}-记录3" in html
    assert "共 4 条记录，其中 <strong>3</strong> 条计入达标人数" in html
    for who in ("nurse_c", "doctor_b", "doctor_d", "worker_u", "officer_y"):
        assert cast.browser(who).get(url).status_code == 404, who
    # The indicator's records() itself gives home C's nurse nothing of home A.
    assert list(_records(cast.actor("nurse_c"), a.pk, timezone.localdate()).rows) == []


@pytest.mark.django_db
def test_a_home_sees_only_its_own_live_view(cast, known) -> None:
    a, c = known["a"], known["c"]
    KNOWN[a.pk] = Value(2, 5)  # changed since the snapshot: the home sees it live
    status, html = _page(cast, "nurse_a", reverse("compliance:indicators"))
    assert status == 200
    assert 'fig-unmet">40.0%' in html and "实时统计" in html
    assert reverse("compliance:indicator_records", args=[CODE, a.pk]) in html
    assert 'fig-off">数据来源尚未接入' in html  # dash_off
    for url in (reverse("compliance:indicator_regions", args=["410221"]),
                reverse("compliance:indicator", args=[CODE, "410221"]),
                reverse("compliance:indicator_records", args=[CODE, c.pk])):
        assert cast.browser("nurse_a").get(url).status_code == 404, url
    assert cast.browser("nurse_a").get(
        reverse("compliance:indicator_records", args=[CODE, a.pk])).status_code == 200


@pytest.mark.django_db
def test_region_pages_cost_the_same_at_county_and_province(cast, known) -> None:
    client = cast.browser("officer_prov")
    client.get(reverse("compliance:indicators"))  # warm the session
    counts = []
    for prefix in ("41", "4102", "410221"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("compliance:indicator_regions",
                                      args=[prefix])).status_code == 200
        counts.append(len(ctx.captured_queries))
    # A county also reads its institutions' rows (one more query); above it, child regions'
    # rows carry their home counts, so province and city cost the same.
    assert counts[0] == counts[1] and counts[2] == counts[0] + 1, counts
    # No indicator is computed on a region page: KNOWN changing does not show.
    KNOWN[known["a"].pk] = Value(0, 4)
    html = client.get(reverse("compliance:indicator_regions", args=["410221"])).content.decode()
    assert 'fig-met">75.0%' in html


@pytest.mark.django_db
def test_empty_state_before_any_snapshot(cast) -> None:
    IndicatorSnapshot.objects.all().delete()
    status, html = _page(cast, "officer_city", reverse("compliance:indicators"))
    assert status == 200 and "指标尚未生成，系统每30分钟自动统计" in html


def _sheet(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


@pytest.mark.django_db
def test_every_table_exports_to_excel(cast, known) -> None:
    a = known["a"]
    client = cast.browser("officer_city")
    response = client.get(reverse("compliance:indicators"), {"format": "xlsx",
                                                             "table": "children"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response.content)
    county_x = next(r for r in rows if r and r[0] == "杞县")
    assert 75.0 in county_x
    assert county_x[1] == 2  # the demo's two homes of 杞县 (颐养园养老中心, 五里河镇敬老院)
    rows = _sheet(client.get(reverse("compliance:indicators"),
                             {"format": "xlsx", "table": "overview"}).content)
    assert any(r[0] == "测试达标率" and r[1] == 50.0 and r[2] == 4 and r[3] == 8 for r in rows)
    url = reverse("compliance:indicator", args=[CODE, "4102"])
    for table in ("children", "trend"):
        assert client.get(url, {"format": "xlsx", "table": table}).status_code == 200
    records = _sheet(client.get(reverse("compliance:indicator_records", args=[CODE, a.pk]),
                                {"format": "xlsx"}).content)
    assert sum(1 for r in records if r and r[-1] == "✓ 是") == 3
    own = _sheet(cast.browser("nurse_a").get(reverse("compliance:indicators"),
                                             {"format": "xlsx"}).content)
    assert any(r[0] == "测试达标率" and r[1] == 75.0 for r in own)
    assert client.get(reverse("compliance:indicators"),
                      {"format": "xlsx", "table": "nope"}).status_code == 404


def _poppler(tool: str, pdf: bytes, tmp_path: Path) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = [str(path), "-"] if tool == "pdftotext" else [str(path)]
    return subprocess.run([exe, *out], capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_the_periodic_report_prints_with_every_font_embedded(
        cast, known, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    client = cast.browser("officer_city")
    before = AuditEvent.objects.count()
    response = client.get(reverse("compliance:indicator_report"),
                          {"period": f"{timezone.localdate():%Y-%m}"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.count() == before  # reading writes nothing
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    fonts = _poppler("pdffonts", response.content, tmp_path).splitlines()[2:]
    assert fonts and all("CJK" in line.split()[0] and line.split()[-5] == "yes"
                         for line in fonts), fonts
    text = _poppler("pdftotext", response.content, tmp_path)
    for expected in ("开封市", "测试达标率", "杞县", "通许县", "75.0%", "25.0%",
                     "数据来源尚未接入"):
        assert expected in text, expected
    # A home's report: its own values at the snapshot
    own = cast.browser("nurse_a").get(reverse("compliance:indicator_report"),
                                      {"period": f"{timezone.localdate().year}"})
    assert own.status_code == 200
    assert "75.0%" in _poppler("pdftotext", own.content, tmp_path)
    assert client.get(reverse("compliance:indicator_report"),
                      {"period": "2026-13"}).status_code == 404
    # A period before any snapshot: the report says so rather than showing zeros.
    early = client.get(reverse("compliance:indicator_report"), {"period": "2001Q1"})
    assert early.status_code == 200
    text = _poppler("pdftotext", early.content, tmp_path)
    assert "尚无统计快照" in text and "75.0%" not in text


@pytest.mark.django_db
def test_pages_are_read_only(cast, known) -> None:
    client = cast.browser("officer_city")
    for url in (reverse("compliance:indicators"), reverse("compliance:indicator_report"),
                reverse("compliance:indicator_regions", args=["4102"])):
        assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_demo_snapshots_give_a_year_of_month_ends(cast) -> None:
    days = list(IndicatorSnapshot.objects.order_by("on").values_list("on", flat=True))
    today = timezone.localdate()
    assert days[-1] == today
    assert month_ends(today) == [d for d in days if d != today][-12:]
    assert Organisation.objects.exists()
