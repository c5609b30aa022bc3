"""Writes of the tier follow-up schedule (REFERENCE §1.5): recording a follow-up and a home's
own intervals. Permission, validation, audit, one transaction."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, ValidationFailed
from yiyang.core.permissions import Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.core.writes import save_changes
from yiyang.orgs.models import NursingHome
from yiyang.residents import followup_rules
from yiyang.residents.models import (
    OPEN_STATUSES,
    FollowUpPolicy,
    FollowUpRecord,
    KeyPopulationRecord,
    Person,
    Stay,
)
from yiyang.residents.rules import Category

durable = transaction.atomic(durable=True)

SPO2_RANGE = (50, 100)
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))


def _temperature(value: Decimal | float | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        t = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise ValidationFailed("invalid_temperature", "体温格式不正确",
                               field="temperature") from exc
    low, high = TEMPERATURE_RANGE
    if not low <= t <= high:
        raise ValidationFailed("invalid_temperature", f"体温应在 {low}–{high} ℃ 之间",
                               field="temperature")
    return t


def _spo2(value: int | None) -> int | None:
    if value is None:
        return None
    low, high = SPO2_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed("invalid_spo2", f"血氧饱和度应在 {low}–{high}% 之间", field="spo2")
    return value


@durable
def record_follow_up(*, actor: Actor, person_id: int, method: str, findings: str,
                     done_on: date | None = None, done_time: time | None = None,
                     spo2: int | None = None, temperature: Decimal | float | None = None,
                     antigen: str = "", next_action: str = "") -> FollowUpRecord:
    """One follow-up of a resident in an open stay of the actor's home."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    stay = (Stay.objects.visible_to(actor, Action.CHANGE)
            .filter(person=person, status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("no_open_stay", "该老人目前不在本机构入住，不能登记随访")
    if method not in FollowUpRecord.Method.values:
        raise ValidationFailed("invalid_choice", "请选择随访方式", field="method")
    if (antigen or "") not in FollowUpRecord.Antigen.values:
        raise ValidationFailed("invalid_choice", "抗原检测结果无效", field="antigen")
    now = timezone.localtime()
    done_on = done_on or now.date()
    if done_on > now.date():
        raise ValidationFailed("future_date", "随访日期不能晚于今天", field="done_on")
    if done_on == now.date() and done_time is not None and done_time > now.time():
        raise ValidationFailed("future_time", "随访时间不能晚于现在", field="done_time")
    if done_on < stay.admitted_on:
        raise ValidationFailed("before_admission", "随访日期不能早于入住日期", field="done_on")
    category = (KeyPopulationRecord.objects.filter(person=person, is_current=True)
                .values_list("category", flat=True).first())
    record = FollowUpRecord.objects.create(
        person=person, stay=stay, home_id=stay.home_id, region_code=stay.region_code,
        done_on=done_on, done_time=done_time, method=method, category=category or "",
        spo2=_spo2(spo2), temperature=_temperature(temperature), antigen=antigen or "",
        findings=clean_text(findings, field="findings", label="随访情况", max_length=2000),
        next_action=clean_text(next_action, field="next_action", label="处理/下一步",
                               max_length=300, required=False),
        recorded_by=actor.username)
    ensure_visible(record, actor)
    audit.record(actor, "residents.follow_up.record", record, changes=audit.created(record))
    return record


@durable
def set_follow_up_policy(*, actor: Actor, home_id: int, category: str,
                         interval_days: int | None = None, use_default: bool = False,
                         version: int | None = None) -> FollowUpPolicy | None:
    """The home's own interval for one category (None = no follow-up), or back to the default.

    `version` is that of the home's existing setting; leave it out when there is none yet.
    Returns the setting, or None after going back to the default.
    """
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
    require(actor, Perm.MANAGE_ORG_PROFILE)
    if category not in {c.value for c in Category}:
        raise ValidationFailed("invalid_choice", "人群分类无效", field="category")
    if not use_default:
        try:
            interval_days = followup_rules.check_interval(interval_days)
        except ValueError as exc:
            raise ValidationFailed("invalid_interval", str(exc), field="interval_days") from exc
    policy = FollowUpPolicy.objects.filter(home=home, category=category).first()
    if policy is None:
        if version is not None:  # it existed when the form was shown: someone reset it
            raise Conflict()
        if use_default:
            return None
        policy = FollowUpPolicy(home=home, category=category, interval_days=interval_days,
                                region_code=home.region_code)
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError as exc:
            raise Conflict() from exc
        ensure_visible(policy, actor)
        audit.record(actor, "residents.follow_up_policy.set", policy,
                     changes=audit.created(policy) | {"interval_days": [None, interval_days]})
        return policy
    if use_default:
        bump(policy, version)
        audit.record(actor, "residents.follow_up_policy.reset", policy,
                     changes={"interval_days": [policy.interval_days, "默认"]})
        policy.delete()
        return None
    return save_changes(actor, policy, version, {"interval_days": interval_days},
                        "residents.follow_up_policy.set")
