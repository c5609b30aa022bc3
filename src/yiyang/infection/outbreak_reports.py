"""The reporting chain of seed 001 item 14, and the isolation sites of seed 000 §七 / 001 item 9.

home → county civil affairs → city → province (→ the Ministry, outside the system). A report
arrives in the inbox of the department it is addressed to at `received_at`; that department
must report it to the next level up by `rules.upward_report_deadline(received_at)` (2 hours).
Where a level has no civil-affairs department in the system the report goes to the next one,
so a report is never lost. A department may sign (`acknowledge`) and `forward` only reports
addressed to it; regulators write their own reports only. The background clock
(`escalate_overdue`, run by `tasks.py`) marks a report not forwarded in time as overdue from
the moment it fell due and flags it in the inbox of the level above (`escalated_to`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404, system_actor
from yiyang.core.validators import clean_int, clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import NursingHome, Regulator

from . import rules
from .models import IsolationSite, Outbreak, OutbreakEvent, OutbreakReport

__all__ = ["MINISTRY", "acknowledge", "create_site", "escalate_overdue", "file_home_report",
           "forward", "level_codes", "site_for_home", "update_site"]

MINISTRY = "民政部"
_LEVELS = ("county", "city", "province")


def level_codes(region_code: str) -> dict[str, str]:
    """The county, city and province codes a region code lies in (GB/T 2260, 6 digits)."""
    code = region_code[:6]
    return {"county": code, "city": code[:4] + "00", "province": code[:2] + "0000"}


def _civil_affairs(region_code: str, above: str | None) -> Regulator | None:
    """The first civil-affairs department strictly above level `above` (None: from county)."""
    codes = level_codes(region_code)
    start = 0 if above is None else _LEVELS.index(above) + 1
    for level in _LEVELS[start:]:
        reg = (Regulator.objects.filter(department=Regulator.Department.CIVIL_AFFAIRS,
                                        level=level, region_code=codes[level], is_active=True)
               .order_by("pk").first())
        if reg is not None:
            return reg
    return None


def _timeline(outbreak: Outbreak, by: str, at: datetime, note: str,
              data: dict[str, Any]) -> None:
    OutbreakEvent.objects.create(outbreak=outbreak, home_id=outbreak.home_id,
                                 region_code=outbreak.region_code, action="report_in", at=at,
                                 state_after=outbreak.state, note=note[:500], data=data, by=by)


def file_home_report(*, actor: Actor, outbreak: Outbreak, at: datetime,
                     content: str) -> OutbreakReport | None:
    """The home's report to its civil-affairs department (inside the caller's transaction).
    Where no civil-affairs department of the home's county, city or province is in the system,
    the positive result is still recorded and the timeline tells the home to report by phone."""
    to = _civil_affairs(outbreak.home.region_code, None)
    if to is None:
        _timeline(outbreak, actor.display_name or actor.username, at,
                  "系统中没有本机构所在地的民政部门：请立即电话报告当地民政部门", {})
        return None
    report = OutbreakReport.objects.create(
        outbreak=outbreak, from_org_id=outbreak.home_id, to_org=to, level=to.level,
        region_code=outbreak.home.region_code, content=content[:2000],
        sent_by=actor.display_name or actor.username, received_at=at,
        due_at=rules.upward_report_deadline(at))
    _timeline(outbreak, report.sent_by, at, f"向{to.name}报告",
              {"report_id": report.pk, "to": to.name})
    audit.record(actor, "infection.report.file", report, changes=audit.created(report))
    return report


def _mine(actor: Actor, report_id: int) -> OutbreakReport:
    report = get_visible_or_404(OutbreakReport.objects.select_related("outbreak", "to_org"),
                                actor, Action.VIEW, pk=report_id)
    require(actor, Perm.HANDLE_OUTBREAK_REPORTS)
    if report.to_org_id != actor.org_id:
        raise Forbidden("只有接收该报告的部门可以办理")
    return report


@transaction.atomic(durable=True)
def acknowledge(*, actor: Actor, report_id: int, version: int | None) -> OutbreakReport:
    """The receiving department signs for the report (the clock runs from arrival anyway)."""
    report = _mine(actor, report_id)
    if report.acknowledged_at:
        raise ValidationFailed("already_acknowledged", "该报告已签收")
    before = audit.snapshot(report)
    bump(report, version)
    report.acknowledged_at = timezone.now()
    report.acknowledged_by = actor.display_name or actor.username
    report.save()
    audit.record(actor, "infection.report.acknowledge", report,
                 changes=audit.diff(before, audit.snapshot(report)))
    return report


@transaction.atomic(durable=True)
def forward(*, actor: Actor, report_id: int, version: int | None, content: str = "",
            at: datetime | None = None) -> OutbreakReport:
    """Report upward: a new report from the actor's department to the next level (the
    province reports to the Ministry, recorded as sent outside the system)."""
    report = _mine(actor, report_id)
    if report.status != OutbreakReport.Status.RECEIVED:
        raise ValidationFailed("already_forwarded", "该报告已上报")
    now = timezone.now()
    at = at or now
    if at > now or at < report.received_at:
        raise ValidationFailed("bad_time", "上报时间应在接报之后、现在之前", field="at")
    text = clean_text(content, field="content", label="上报内容", max_length=2000,
                      required=False) or report.content
    before = audit.snapshot(report)
    bump(report, version)
    me = Regulator.objects.get(pk=actor.org_id)
    upper = _civil_affairs(me.region_code, me.level)
    clock = rules.report_clock(report.received_at, at, forwarded_at=at)
    upward = OutbreakReport(
        outbreak=report.outbreak, from_org=me, to_org=upper,
        to_external="" if upper else MINISTRY, level=upper.level if upper else "province",
        parent=report, region_code=me.region_code, content=text,
        sent_by=actor.display_name or actor.username, received_at=at,
        due_at=rules.upward_report_deadline(at))
    if upper is None:  # sent outside the system: nothing more to forward here
        upward.status, upward.forwarded_at = OutbreakReport.Status.FORWARDED, at
    upward.save()
    report.status, report.forwarded_at = OutbreakReport.Status.FORWARDED, at
    if clock.overdue and report.overdue_since is None:
        report.overdue_since = report.due_at
    report.save()
    ensure_visible(upward, actor, Action.REGULATE)
    _timeline(report.outbreak, upward.sent_by, at,
              f"{me.name}向{upper.name if upper else MINISTRY}上报"
              + (f"（超时 {clock.late_minutes} 分钟）" if clock.overdue else ""),
              {"report_id": upward.pk, "late_minutes": clock.late_minutes})
    audit.record(actor, "infection.report.forward", report,
                 changes=audit.diff(before, audit.snapshot(report)))
    audit.record(actor, "infection.report.file", upward, changes=audit.created(upward))
    return upward


def escalate_overdue(now: datetime | None = None) -> int:
    """The background clock: every report still not forwarded after its deadline is marked
    overdue from the time it fell due and flagged to the level above. Returns how many."""
    now = now or timezone.now()
    count = 0
    late = (OutbreakReport.objects.filter(status=OutbreakReport.Status.RECEIVED,
                                          escalated_at__isnull=True, due_at__lt=now)
            .select_related("to_org", "outbreak").order_by("due_at", "pk"))
    for report in late:
        with transaction.atomic():
            row = (OutbreakReport.objects.select_for_update()
                   .filter(pk=report.pk, status=OutbreakReport.Status.RECEIVED,
                           escalated_at__isnull=True).first())
            if row is None:
                continue
            dept = report.to_org
            above = _civil_affairs(dept.region_code, dept.level) if dept else None
            actor = system_actor(dept.pk if dept else row.from_org_id, OrgKind.REGULATOR,
                                 row.region_code)
            before = audit.snapshot(row)
            row.overdue_since, row.escalated_at, row.escalated_to = row.due_at, now, above
            row.version += 1
            row.save()
            _timeline(report.outbreak, "系统任务", now,
                      f"{dept.name if dept else '接收部门'}未在 2 小时内上报，"
                      f"{timezone.localtime(row.due_at):%m-%d %H:%M} 起逾期"
                      + (f"，已提请{above.name}督办" if above else ""),
                      {"report_id": row.pk, "overdue_since": row.due_at.isoformat()})
            audit.record(actor, "infection.report.escalate", row,
                         changes=audit.diff(before, audit.snapshot(row)))
            count += 1
    return count


# ---- isolation sites ----------------------------------------------------------------------

def site_for_home(home: NursingHome, site_id: Any) -> IsolationSite:
    """An active site serving the home's county, city or province (for a placement)."""
    site = IsolationSite.objects.filter(pk=site_id or 0, is_active=True,
                                        region_code__in=level_codes(home.region_code).values()
                                        ).first()
    if site is None:
        raise ValidationFailed("unknown_site", "请选择本地的集中隔离/健康监测点", field="site_id")
    return site


def _site_fields(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind", "")
    if kind not in IsolationSite.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择类别", field="kind")
    return {
        "name": clean_text(data.get("name"), field="name", label="名称", max_length=100),
        "kind": kind,
        "address": clean_text(data.get("address"), field="address", label="地址",
                              max_length=200, required=False),
        "capacity": clean_int(data.get("capacity"), field="capacity", label="容量",
                              low=1, high=100000),
        "contact": clean_text(data.get("contact"), field="contact", label="联系人/电话",
                              max_length=60, required=False),
    }


@transaction.atomic(durable=True)
def create_site(*, actor: Actor, serves: str = "", **data: Any) -> IsolationSite:
    """A site of the actor's own department serving its region, or one county of it
    (`serves`: a city sets up a site located in one of its counties)."""
    require(actor, Perm.MANAGE_ISOLATION_SITES)
    if actor.org_kind != OrgKind.REGULATOR:
        raise NotFound()
    me = get_visible_or_404(Regulator, actor, Action.CHANGE, pk=actor.org_id)
    serves = (serves or me.region_code).strip()
    if not (len(serves) == 6 and serves.isdigit() and serves.startswith(actor.region_prefix)):
        raise ValidationFailed("bad_region", "服务区域应为本部门辖区内的行政区划代码",
                               field="serves")
    site = IsolationSite(org=me, region_code=serves, **_site_fields(actor, data))
    site.save()
    ensure_visible(site, actor)
    audit.record(actor, "infection.site.create", site, changes=audit.created(site))
    return site


@transaction.atomic(durable=True)
def update_site(*, actor: Actor, site_id: int, version: int | None, is_active: bool = True,
                **data: Any) -> IsolationSite:
    site = get_visible_or_404(IsolationSite, actor, Action.CHANGE, pk=site_id)
    require(actor, Perm.MANAGE_ISOLATION_SITES)
    before = audit.snapshot(site)
    bump(site, version)
    for name, value in _site_fields(actor, data).items():
        setattr(site, name, value)
    site.is_active = bool(is_active)
    site.save()
    ensure_visible(site, actor)
    audit.record(actor, "infection.site.update", site,
                 changes=audit.diff(before, audit.snapshot(site)))
    return site
