"""Writes of a home's own compliance records: obligation records and the hazard ledger.

Only the home's staff holding `Perm.RECORD_OBLIGATIONS` (manager, nurse) write them, for their
own home; regulators read them by region and never change them (they act through inspections,
`inspection_services`).  Each write runs in one durable transaction with one audit row.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_int, clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import NursingHome

from . import evidence as ev
from . import obligations, rules
from .models import Hazard, ObligationRecord

__all__ = ["act_on_hazard", "home_of", "record_hazard", "record_obligation"]

durable = transaction.atomic(durable=True)


def home_of(actor: Actor) -> NursingHome:
    """The actor's own home, for writes only a home's staff make."""
    require(actor, Perm.RECORD_OBLIGATIONS)
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("只有养老机构可以登记本机构的义务履行记录")
    return NursingHome.objects.get(pk=actor.org_id)


def _day(value: object, *, field: str, label: str, today: date) -> date:
    if not isinstance(value, date):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if value > today:
        raise ValidationFailed("future", f"{label}不能晚于今天", field=field)
    return value


@durable
def record_obligation(*, actor: Actor, obligation: str, done_on: date, summary: str,
                      participants: int = 0, participant_note: str = "",
                      evidence: UploadedFile | None = None) -> ObligationRecord:
    """Record that the home did one of the obligations it fulfils by its own records."""
    home = home_of(actor)
    spec = obligations.by_code(obligation)
    if spec is None or spec.source != obligations.RECORDS:
        raise ValidationFailed("invalid_obligation", "请选择需要登记的义务", field="obligation")
    if not spec.applies_to(OrgKind.HOME, home.category):
        raise ValidationFailed("not_applicable", "本机构不承担该项义务", field="obligation")
    upload = ev.check(evidence)
    record = ObligationRecord(
        home=home, region_code=home.region_code, obligation=spec.code,
        done_on=_day(done_on, field="done_on", label="开展日期", today=timezone.localdate()),
        participants=clean_int(participants or 0, field="participants", label="参加人数",
                               low=0, high=100000),
        participant_note=clean_text(participant_note, field="participant_note",
                                    label="参加人员", max_length=300, required=False),
        summary=clean_text(summary, field="summary", label="情况记录", max_length=2000),
        recorded_by=actor.display_name or actor.username)
    if upload is not None:
        record.evidence.save(upload.name, upload, save=False)
    record.save()
    ensure_visible(record, actor, Action.CHANGE)
    audit.record(actor, "compliance.record", record, changes=audit.created(record))
    return record


@durable
def record_hazard(*, actor: Actor, found_on: date, place: str, description: str,
                  deadline: date, level: str = Hazard.Level.GENERAL) -> Hazard:
    """Enter a hazard found into the ledger with its rectification deadline."""
    home = home_of(actor)
    today = timezone.localdate()
    found = _day(found_on, field="found_on", label="发现日期", today=today)
    if not isinstance(deadline, date):
        raise ValidationFailed("required", "请填写整改期限", field="deadline")
    if deadline < found:
        raise ValidationFailed("deadline_before", "整改期限不能早于发现日期", field="deadline")
    if level not in Hazard.Level.values:
        raise ValidationFailed("invalid_choice", "请选择隐患等级", field="level")
    hazard = Hazard.objects.create(
        home=home, region_code=home.region_code, found_on=found,
        place=clean_text(place, field="place", label="部位/场所", max_length=100),
        description=clean_text(description, field="description", label="隐患描述",
                               max_length=2000),
        level=level, deadline=deadline, recorded_by=actor.display_name or actor.username,
        history=[{"action": "found", "on": found.isoformat(),
                  "by": actor.display_name or actor.username}])
    ensure_visible(hazard, actor, Action.CHANGE)
    audit.record(actor, "compliance.hazard.create", hazard, changes=audit.created(hazard))
    return hazard


@durable
def act_on_hazard(*, actor: Actor, hazard_id: int, action: str, version: int,
                  note: str = "", done_on: date | None = None,
                  evidence: UploadedFile | None = None) -> Hazard:
    """Rectify (with what was done and evidence), verify, or reopen (verification failed)."""
    hazard = get_visible_or_404(Hazard, actor, Action.CHANGE, pk=hazard_id)
    require(actor, Perm.RECORD_OBLIGATIONS)
    try:
        new_state = rules.hazard_next(hazard.state, action)
    except rules.TransitionError as exc:
        raise ValidationFailed("invalid_transition", str(exc), field="action") from exc
    today = timezone.localdate()
    day = _day(done_on or today, field="done_on", label="日期", today=today)
    upload = ev.check(evidence)
    name = actor.display_name or actor.username
    before = audit.snapshot(hazard)
    bump(hazard, version)
    if action == rules.HazardAction.RECTIFY:
        if day < hazard.found_on:
            raise ValidationFailed("before_found", "整改日期不能早于发现日期", field="done_on")
        hazard.rectification = clean_text(note, field="note", label="整改措施", max_length=2000)
        hazard.rectified_on = day
        if upload is not None:
            hazard.evidence.save(upload.name, upload, save=False)
    elif action == rules.HazardAction.VERIFY:
        hazard.verified_on, hazard.verified_by = day, name
    else:
        note = clean_text(note, field="note", label="复核不合格的原因", max_length=300)
    hazard.state = new_state.value
    hazard.history = [*hazard.history, {"action": action, "on": day.isoformat(), "by": name,
                                        "note": note[:300]}]
    hazard.save()
    ensure_visible(hazard, actor, Action.CHANGE)
    audit.record(actor, "compliance.hazard.act", hazard,
                 changes={"action": [None, action],
                          **audit.diff(before, audit.snapshot(hazard))})
    return hazard
