"""Writes of inspections (seed 002 §二十三, 双随机、一公开): the inspector list, the yearly draw,
the inspection's outcome, findings and the rectification loop.

A regulator holding `Perm.INSPECT` writes only its own organisation's rows (`core.scope`:
regulators change only their own rows), so a city regulator reads a county's inspections but
cannot change them.  The inspected home answers the findings addressed to it (`rectify`), with
`Perm.RECORD_OBLIGATIONS`; it never verifies or re-issues.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_int, clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import Membership, NursingHome, Regulator

from . import evidence as ev
from . import rules
from .models import Finding, Inspection, InspectionDraw, Inspector
from .rules import RectificationAction, RectificationState

__all__ = ["act_on_finding", "add_inspector", "conclude", "draw_population", "issue_finding",
           "make_draw"]

durable = transaction.atomic(durable=True)


def _regulator(actor: Actor) -> Regulator:
    require(actor, Perm.INSPECT)
    if actor.org_kind != OrgKind.REGULATOR:
        raise Forbidden("只有监管部门可以开展监督检查")
    return Regulator.objects.get(pk=actor.org_id)


@durable
def add_inspector(*, actor: Actor, name: str = "", title: str = "",
                  membership_id: int | None = None) -> Inspector:
    """Add a person to the regulator's inspector list: one of its own staff, or a name."""
    regulator = _regulator(actor)
    membership = None
    if membership_id:
        membership = (Membership.objects.select_related("user")
                      .filter(pk=membership_id, org_id=regulator.pk, is_active=True).first())
        if membership is None:
            raise ValidationFailed("not_staff", "只能选择本部门的在职人员", field="membership_id")
        name = name or membership.user.full_name or membership.user.username
        title = title or membership.title
    inspector = Inspector.objects.create(
        regulator=regulator, region_code=regulator.region_code, membership=membership,
        name=clean_text(name, field="name", label="姓名", max_length=50),
        title=clean_text(title, field="title", label="职务/证件", max_length=60, required=False))
    ensure_visible(inspector, actor, Action.CHANGE)
    audit.record(actor, "compliance.inspector.create", inspector,
                 changes=audit.created(inspector))
    return inspector


def draw_population(regulator_prefix: str) -> list[int]:
    """The institutions a regulator draws from: the active homes of its region."""
    return list(NursingHome.objects.filter(region_code__startswith=regulator_prefix,
                                           is_active=True).values_list("pk", flat=True))


@durable
def make_draw(*, actor: Actor, year: int, count: int | None = None,
              percent: Decimal | float | None = None, per_inspection: int = 2,
              seed: int | None = None) -> InspectionDraw:
    """The yearly 双随机 draw, recorded with its seed and inputs; one planned inspection per
    institution drawn.  One draw per regulator and year: a recorded draw is final."""
    regulator = _regulator(actor)
    year = clean_int(year, field="year", label="年度", low=2000, high=2100)
    if InspectionDraw.objects.filter(regulator=regulator, year=year).exists():
        raise ValidationFailed("already_drawn", f"{year}年度已经抽取过，抽取结果不能更改",
                               field="year")
    institutions = sorted(draw_population(actor.region_prefix))
    inspectors = sorted(Inspector.objects.filter(regulator=regulator, is_active=True)
                        .values_list("pk", flat=True))
    per = clean_int(per_inspection, field="per_inspection", label="每组检查人员数", low=1,
                    high=10)
    if seed is None:
        seed = secrets.randbelow(2**31)
    seed = clean_int(seed, field="seed", label="随机种子", low=0, high=2**62)
    try:
        size = rules.sample_size(len(institutions), count=count,
                                 percent=float(percent) if percent is not None else None)
        result = rules.draw(institutions, inspectors, size=size, per_inspection=per, seed=seed)
    except rules.DrawError as exc:
        raise ValidationFailed("invalid_draw", str(exc)) from exc
    draw = InspectionDraw.objects.create(
        regulator=regulator, region_code=regulator.region_code, year=year, seed=seed,
        count=count, percent=percent, per_inspection=per, institution_ids=institutions,
        inspector_ids=inspectors, result=[[h, list(i)] for h, i in result],
        drawn_by=actor.display_name or actor.username)
    names = dict(Inspector.objects.filter(pk__in=inspectors).values_list("pk", "name"))
    homes = NursingHome.objects.in_bulk([h for h, _ in result])
    for home_id, inspector_ids in result:
        Inspection.objects.create(
            regulator=regulator, draw=draw, home=homes[home_id],
            region_code=homes[home_id].region_code, year=year, inspector_ids=list(inspector_ids),
            inspector_names="、".join(names[i] for i in inspector_ids))
    ensure_visible(draw, actor, Action.CHANGE)
    audit.record(actor, "compliance.draw", draw,
                 changes={"year": [None, year], "seed": [None, seed], "size": [None, size],
                          "population": [None, len(institutions)],
                          "result": [None, draw.result]})
    return draw


def _own_inspection(actor: Actor, inspection_id: int) -> Inspection:
    """The actor's own organisation's inspection (404 for anyone else's, like a miss)."""
    inspection = get_visible_or_404(Inspection.objects.select_related("home"), actor,
                                    Action.CHANGE, pk=inspection_id)
    _regulator(actor)
    return inspection


@durable
def conclude(*, actor: Actor, inspection_id: int, version: int, inspected_on: date,
             outcome: str) -> Inspection:
    """Record the inspection's date and outcome summary (published on the public page)."""
    inspection = _own_inspection(actor, inspection_id)
    if not isinstance(inspected_on, date):
        raise ValidationFailed("required", "请填写检查日期", field="inspected_on")
    if inspected_on > timezone.localdate():
        raise ValidationFailed("future", "检查日期不能晚于今天", field="inspected_on")
    if inspected_on.year != inspection.year:
        raise ValidationFailed("wrong_year", f"检查日期应在{inspection.year}年内",
                               field="inspected_on")
    before = audit.snapshot(inspection)
    bump(inspection, version)
    inspection.inspected_on = inspected_on
    inspection.outcome = clean_text(outcome, field="outcome", label="检查结果", max_length=1000)
    inspection.state = Inspection.State.DONE
    inspection.save()
    ensure_visible(inspection, actor, Action.CHANGE)
    audit.record(actor, "compliance.inspection.conclude", inspection,
                 changes=audit.diff(before, audit.snapshot(inspection)))
    return inspection


def _history(finding: Finding, actor: Actor, action: str, day: date, note: str = "",
             deadline: date | None = None) -> None:
    entry = {"action": action, "on": day.isoformat(), "by": actor.display_name or actor.username,
             "org": actor.org_name, "note": note[:300]}
    if deadline is not None:
        entry["deadline"] = deadline.isoformat()
    finding.history = [*finding.history, entry]


def _deadline(value: object, today: date) -> date:
    if not isinstance(value, date):
        raise ValidationFailed("required", "请填写整改期限", field="deadline")
    if value < today:
        raise ValidationFailed("deadline_past", "整改期限不能早于今天", field="deadline")
    return value


@durable
def issue_finding(*, actor: Actor, inspection_id: int, description: str, deadline: date,
                  requirement: str = "", today: date | None = None) -> Finding:
    """A problem found on the inspection, issued to the home with a rectification deadline.
    (`today` is for the demo's history and tests; users act on the real date.)"""
    inspection = _own_inspection(actor, inspection_id)
    today = today or timezone.localdate()
    finding = Finding(
        inspection=inspection, regulator_id=inspection.regulator_id, home=inspection.home,
        region_code=inspection.region_code,
        description=clean_text(description, field="description", label="发现的问题",
                               max_length=2000),
        requirement=clean_text(requirement, field="requirement", label="整改要求",
                               max_length=300, required=False),
        deadline=_deadline(deadline, today))
    _history(finding, actor, "issued", today, deadline=finding.deadline)
    finding.save()
    ensure_visible(finding, actor, Action.CHANGE)
    audit.record(actor, "compliance.finding.issue", finding,
                 changes=audit.created(finding))
    return finding


@durable
def act_on_finding(*, actor: Actor, finding_id: int, action: str, version: int, note: str = "",
                   deadline: date | None = None, done_on: date | None = None,
                   evidence: UploadedFile | None = None, today: date | None = None) -> Finding:
    """One step of the rectification loop: the home rectifies (with what it did and evidence);
    the inspecting regulator verifies or re-issues with a new deadline."""
    finding = get_visible_or_404(Finding, actor, Action.VIEW, pk=finding_id)
    try:
        act = RectificationAction(action)
    except ValueError as exc:
        raise ValidationFailed("invalid_action", "未知的整改操作", field="action") from exc
    if act.by_home:
        if actor.org_kind != OrgKind.HOME or finding.home_id != actor.org_id:
            raise Forbidden("整改由被检查机构提交")
        require(actor, Perm.RECORD_OBLIGATIONS)
    else:
        if actor.org_kind != OrgKind.REGULATOR:
            raise Forbidden("只有检查的监管部门可以验收或重新下达整改")
        require(actor, Perm.INSPECT)
        finding = get_visible_or_404(Finding, actor, Action.CHANGE, pk=finding_id)
    try:
        new_state = rules.rectification_next(finding.state, act)
    except rules.TransitionError as exc:
        raise ValidationFailed("invalid_transition", str(exc), field="action") from exc
    today = today or timezone.localdate()
    upload = ev.check(evidence)
    before = audit.snapshot(finding)
    bump(finding, version)
    if act is RectificationAction.RECTIFY:
        finding.rectification = clean_text(note, field="note", label="整改情况", max_length=2000)
        day = done_on or today
        if day > today:
            raise ValidationFailed("future", "整改完成日期不能晚于今天", field="done_on")
        finding.rectified_on = day
        if upload is not None:
            finding.evidence.save(upload.name, upload, save=False)
        _history(finding, actor, act.value, today, finding.rectification)
    elif act is RectificationAction.REISSUE:
        note = clean_text(note, field="note", label="重新下达的理由", max_length=300)
        finding.deadline = _deadline(deadline, today)
        finding.rounds += 1
        _history(finding, actor, act.value, today, note, deadline=finding.deadline)
    else:
        _history(finding, actor, act.value, today, note)
    finding.state = new_state.value
    finding.save()
    ensure_visible(finding, actor, Action.VIEW)
    audit.record(actor, "compliance.finding.act", finding,
                 changes={"action": [None, act.value],
                          **audit.diff(before, audit.snapshot(finding))})
    return finding


def open_states() -> tuple[str, ...]:
    return (RectificationState.ISSUED.value, RectificationState.RECTIFIED.value)

