"""Writes of an institution's staff-training courses (seed 002 §五) and its register of TCM
techniques offered (§十一).

Staff of a home or a medical institution holding `Perm.RECORD_TRAINING` write them for their own
institution; regulators read them by region and never change them. Attendees and performers are
the institution's own active staff memberships. Each write runs in one durable transaction with
one audit row; edits of a technique (stop) carry its version (409 when stale).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import Membership, Organisation

from . import evidence as ev
from . import training_rules as tr
from .models import TcmTechnique, TrainingAttendance, TrainingCourse

__all__ = ["add_technique", "institution_of", "record_training", "stop_technique"]

durable = transaction.atomic(durable=True)

_KINDS = {k for k, _ in tr.TRAINING_KINDS}


def institution_of(actor: Actor) -> Organisation:
    """The actor's own home or medical institution, for writes only its staff make."""
    require(actor, Perm.RECORD_TRAINING)
    if actor.org_kind not in (OrgKind.HOME, OrgKind.MEDICAL):
        raise Forbidden("只有养老机构和医疗卫生机构可以登记本机构的培训和中医适宜技术")
    return Organisation.objects.get(pk=actor.org_id)


def _own_staff(org: Organisation, ids: Sequence[int] | None, *, field: str, label: str,
               required: bool) -> list[Membership]:
    wanted = sorted({int(i) for i in ids or ()})
    if required and not wanted:
        raise ValidationFailed("required", f"请选择{label}", field=field)
    found = list(Membership.objects.filter(org=org, is_active=True, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationFailed("not_own_staff", f"{label}须为本机构在职人员", field=field)
    return found


def _day(value: object, *, field: str, label: str) -> date:
    if not isinstance(value, date):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if value > timezone.localdate():
        raise ValidationFailed("future", f"{label}不能晚于今天", field=field)
    return value


def _hours(value: object) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("invalid", "请填写学时", field="hours") from exc
    if not Decimal("0.5") <= hours <= Decimal("2000"):
        raise ValidationFailed("out_of_range", "学时应在 0.5 到 2000 之间", field="hours")
    return hours


@durable
def record_training(*, actor: Actor, title: str, kind: str, organiser: str, held_on: date,
                    hours: Decimal | float | str, attendee_ids: Sequence[int],
                    note: str = "", certificate: UploadedFile | None = None) -> TrainingCourse:
    """Record a training the institution's staff attended, with its attendees."""
    org = institution_of(actor)
    if kind not in _KINDS:
        raise ValidationFailed("invalid_choice", "请选择培训类别", field="kind")
    attendees = _own_staff(org, attendee_ids, field="attendee_ids", label="参加人员",
                           required=True)
    upload = ev.check(certificate, field="certificate")
    course = TrainingCourse(
        org=org, region_code=org.region_code, kind=kind,
        title=clean_text(title, field="title", label="培训名称", max_length=100),
        organiser=clean_text(organiser, field="organiser", label="主办单位", max_length=100),
        held_on=_day(held_on, field="held_on", label="培训日期"), hours=_hours(hours),
        note=clean_text(note, field="note", label="培训内容", max_length=2000, required=False),
        recorded_by=actor.display_name or actor.username)
    if upload is not None:
        course.certificate.save(upload.name, upload, save=False)
    course.save()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(course=course, membership=m) for m in attendees)
    ensure_visible(course, actor, Action.CHANGE)
    audit.record(actor, "compliance.training.create", course,
                 changes={**audit.created(course),
                          "attendees": [None, [m.pk for m in attendees]]})
    return course


@durable
def add_technique(*, actor: Actor, technique: str, started_on: date,
                  performer_ids: Sequence[int] = (), note: str = "") -> TcmTechnique:
    """Enter a TCM technique the institution now offers into its register."""
    org = institution_of(actor)
    item = tr.tcm_item(technique)
    if item is None:
        raise ValidationFailed("invalid_choice", "请从目录中选择中医适宜技术项目",
                               field="technique")
    if TcmTechnique.objects.filter(org=org, technique=item.code,
                                   stopped_on__isnull=True).exists():
        raise ValidationFailed("duplicate", f"本机构已登记在开展的“{item.label}”",
                               field="technique")
    performers = _own_staff(org, performer_ids, field="performer_ids", label="操作人员",
                            required=False)
    row = TcmTechnique.objects.create(
        org=org, region_code=org.region_code, technique=item.code, category=item.type_code,
        started_on=_day(started_on, field="started_on", label="开展日期"),
        note=clean_text(note, field="note", label="说明", max_length=300, required=False),
        recorded_by=actor.display_name or actor.username)
    row.performers.set(performers)
    ensure_visible(row, actor, Action.CHANGE)
    audit.record(actor, "compliance.tcm.create", row,
                 changes={**audit.created(row), "performers": [None, [m.pk for m in performers]]})
    return row


@durable
def stop_technique(*, actor: Actor, technique_id: int, version: int,
                   stopped_on: date | None = None) -> TcmTechnique:
    """Record that the institution no longer offers a technique (from the day after)."""
    row = get_visible_or_404(TcmTechnique, actor, Action.CHANGE, pk=technique_id)
    require(actor, Perm.RECORD_TRAINING)
    if row.stopped_on is not None:
        raise ValidationFailed("already_stopped", "该技术已停止开展", field="stopped_on")
    day = _day(stopped_on or timezone.localdate(), field="stopped_on", label="停止日期")
    if day < row.started_on:
        raise ValidationFailed("before_start", "停止日期不能早于开展日期", field="stopped_on")
    before = audit.snapshot(row)
    bump(row, version)
    row.stopped_on = day
    row.save()
    ensure_visible(row, actor, Action.CHANGE)
    audit.record(actor, "compliance.tcm.stop", row, changes=audit.diff(before,
                                                                       audit.snapshot(row)))
    return row
