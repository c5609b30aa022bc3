"""Writes of assessments: start, save as you go, finalise, correct, admission bundle, triggers.

Every function checks the permission and the row scope, validates, writes in one transaction
and audits (DESIGN "Services").  A finalised record is never changed: `correct` starts a new
draft that points at it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, ValidationFailed
from yiyang.core.permissions import Perm, permissions_for, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.core.writes import save_changes
from yiyang.orgs.models import Membership
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import annex, bundle_rules
from .instruments import registry
from .instruments.base import Scale
from .models import AdmissionAssessment, Assessment, Reason, ReassessmentTrigger
from .schedule_rules import TriggerKind

durable = transaction.atomic(durable=True)

ABILITY = "gbt42195"
# The admission bundle (seed 002 §十九): ability plus the fall and pressure-injury risk scales;
# choking and wandering are rated from the ability items and Annex A (bundle_rules).
BUNDLE = ("gbt42195", "morse", "braden")


def _scale(code: str) -> Scale:
    try:
        return registry.get(code)
    except ValueError as exc:
        raise ValidationFailed("invalid_instrument", "请选择评估量表", field="instrument") from exc


def stack_clauses() -> bool:
    """REFERENCE §2.4: whether C.4 clauses 2 and 3 stack (default: raise once)."""
    return bool(getattr(settings, "ASSESSMENT_STACK_CLAUSES", False))


def _open_stay(actor: Actor, person: Person) -> Stay:
    stay = (Stay.objects.visible_to(actor, Action.CHANGE)
            .filter(person=person, status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("no_open_stay", "该老人目前不在本机构入住，不能评估")
    return stay


def _assessed_on(value: date | None, stay: Stay) -> date:
    today = timezone.localdate()
    value = value or today
    if value > today:
        raise ValidationFailed("future_date", "评估日期不能晚于今天", field="assessed_on")
    if value < stay.admitted_on:
        raise ValidationFailed("before_admission", "评估日期不能早于入住日期",
                               field="assessed_on")
    return value


# Apps above this one feed Annex A of a new GB/T 42195 record without being imported here:
# a source is `(person_id, assessed_on) -> {annex key: value}` (e.g. care fills A.2.14 from the
# care-risk incidents it recorded), registered from the app's `ready()`.
AnnexSource = Callable[[int, date], Mapping[str, Any]]
_ANNEX_SOURCES: list[AnnexSource] = []


def register_annex_source(source: AnnexSource) -> None:
    if source not in _ANNEX_SOURCES:
        _ANNEX_SOURCES.append(source)


def _prefill(scale: Scale, person: Person, on: date) -> dict[str, Any]:
    """What the record can start from: Annex A's medicines from the care archive, and what the
    registered sources know (the assessor confirms or changes every prefilled answer)."""
    if scale.code != ABILITY:
        return {}
    profile = getattr(person, "profile", None)
    medicines = (profile.current_medicines if profile else "")[:1000]
    annex: dict[str, Any] = {"medicines": medicines} if medicines else {}
    for source in _ANNEX_SOURCES:
        annex.update(source(person.pk, on))
    return {"annex": annex}


def _create(actor: Actor, *, person: Person, stay: Stay, scale: Scale, reason: str,
            assessed_on: date, reason_note: str = "", bundle: AdmissionAssessment | None = None,
            trigger: ReassessmentTrigger | None = None, corrects: Assessment | None = None,
            answers: dict[str, int] | None = None,
            context: dict[str, Any] | None = None) -> Assessment:
    record = Assessment(
        person=person, stay=stay, home_id=stay.home_id, region_code=stay.region_code,
        instrument=scale.code, instrument_version=scale.version, reason=reason,
        reason_note=reason_note, assessed_on=assessed_on, answers=answers or {},
        context=context if context is not None else _prefill(scale, person, assessed_on),
        bundle=bundle,
        trigger=trigger, corrects=corrects, created_by=actor.username)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # `corrects` is one-to-one: someone corrected it first
        raise Conflict("该评估已有更正记录，请刷新后查看") from exc
    ensure_visible(record, actor)
    audit.record(actor, "assessments.start", record,
                 changes={"instrument": [None, scale.code], "reason": [None, reason],
                          "corrects": [None, corrects.number if corrects else None]})
    return record


@durable
def start(*, actor: Actor, person_id: int, instrument: str, reason: str = Reason.ROUTINE,
          assessed_on: date | None = None, reason_note: str = "",
          trigger_id: int | None = None, answers: Mapping[str, int | None] | None = None,
          context: Mapping[str, Any] | None = None) -> Assessment:
    """A new draft of `instrument` for a resident in an open stay of the actor's home,
    optionally with its first answers (all saved, or nothing)."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.ASSESS)
    scale = _scale(instrument)
    if reason not in Reason.values:
        raise ValidationFailed("invalid_choice", "请选择评估原因", field="reason")
    stay = _open_stay(actor, person)
    trigger = None
    if trigger_id is not None:
        trigger = get_visible_or_404(ReassessmentTrigger, actor, Action.CHANGE, pk=trigger_id,
                                     person=person)
    note = clean_text(reason_note, field="reason_note", label="原因说明", max_length=300,
                      required=reason == Reason.OTHER)
    record = _create(actor, person=person, stay=stay, scale=scale, reason=reason,
                     assessed_on=_assessed_on(assessed_on, stay), reason_note=note,
                     trigger=trigger)
    if answers or context:
        _apply(actor, record, scale, answers, context, None)
    return record


def _draft(actor: Actor, assessment_id: int) -> Assessment:
    record = get_visible_or_404(Assessment.objects.select_related("person", "stay"), actor,
                                Action.CHANGE, pk=assessment_id)
    require(actor, Perm.ASSESS)
    if record.is_final:
        raise Conflict("已完成的评估不能修改；如需更正，请新建更正记录")
    return record


def _clean_context(scale: Scale, current: Mapping[str, Any],
                   changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    if scale.code == ABILITY:
        try:
            merged["annex"] = annex.clean({**current.get("annex", {}), **changes})
        except ValueError as exc:
            raise ValidationFailed("invalid_annex", str(exc)) from exc
        return merged
    names = {f.name: f for f in scale.context_fields}
    for key, value in changes.items():
        if key == "convention":
            if value and value not in scale.band_tables:
                raise ValidationFailed("invalid_convention", "分级标准无效", field="convention")
        elif key not in names:
            raise ValidationFailed("invalid_context", f"未知的附加条件：{key}")
        elif names[key].choices and value and value not in dict(names[key].choices):
            raise ValidationFailed("invalid_choice", f"{names[key].label}无效", field=key)
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


@durable
def save_draft(*, actor: Actor, assessment_id: int,
               answers: Mapping[str, int | None] | None = None,
               context: Mapping[str, Any] | None = None,
               assessed_on: date | None = None) -> Assessment:
    """Merge answers (None clears one) and context into a draft.

    No version from the caller: the form saves one tap at a time and answers merge per item.
    The row is still claimed at the version read here, so of two simultaneous saves one is
    refused (Conflict) instead of silently losing the other's answers.
    """
    record = _draft(actor, assessment_id)
    _apply(actor, record, _scale(record.instrument), answers, context, assessed_on)
    return record


def _apply(actor: Actor, record: Assessment, scale: Scale,
           answers: Mapping[str, int | None] | None, context: Mapping[str, Any] | None,
           assessed_on: date | None) -> None:
    changed: dict[str, list[Any]] = {}
    new_answers = dict(record.answers)
    for code, value in (answers or {}).items():
        try:
            question = scale.question(code)
        except KeyError:
            raise ValidationFailed("invalid_item", f"未知的评估条目：{code}") from None
        if value is None:
            if code in new_answers:
                changed[code] = [new_answers.pop(code), None]
            continue
        try:
            question.option(value)
        except ValueError as exc:
            raise ValidationFailed("invalid_answer", str(exc), field=code) from exc
        if new_answers.get(code) != value:
            changed[code] = [new_answers.get(code), value]
            new_answers[code] = value
    if context:
        new_context = _clean_context(scale, record.context, context)
        if new_context != record.context:
            changed["context"] = ["…", "已修改"]
            record.context = new_context
    if assessed_on is not None and assessed_on != record.assessed_on:
        changed["assessed_on"] = [record.assessed_on.isoformat(), assessed_on.isoformat()]
        record.assessed_on = _assessed_on(assessed_on, record.stay)
    if changed:
        record.answers = new_answers
        bump(record, record.version)  # a concurrent save of the same draft loses, visibly
        record.save()
        audit.record(actor, "assessments.save", record, changes=changed)


def _second_assessor(actor: Actor, record: Assessment, user_id: int | None) -> Membership:
    if not user_id:
        raise ValidationFailed("second_assessor_required",
                               "能力评估须由两名评估员共同完成，请选择第二评估员",
                               field="second_assessor_id")
    if user_id == actor.user_id:
        raise ValidationFailed("second_assessor_self", "第二评估员不能是本人",
                               field="second_assessor_id")
    member = (Membership.objects.select_related("user")
              .filter(org_id=record.home_id, user_id=user_id, is_active=True,
                      user__is_active=True).first())
    if member is None or Perm.ASSESS not in permissions_for(member.role):
        raise ValidationFailed("second_assessor_invalid", "第二评估员须为本机构的评估人员",
                               field="second_assessor_id")
    return member


def evaluate(record: Assessment) -> dict[str, Any]:
    """The outcome of a complete record (ValidationFailed listing what is missing)."""
    scale = _scale(record.instrument)
    missing = scale.missing(record.answers)
    if missing:
        names = "、".join(f"{q.code} {q.text}" for q in missing[:8])
        more = f" 等 {len(missing)} 项" if len(missing) > 8 else ""
        raise ValidationFailed("incomplete", f"还有条目未评：{names}{more}")
    context = dict(record.context)
    if scale.code == ABILITY:
        info = context.get("annex", {})
        gaps = annex.missing(info)
        if gaps:
            raise ValidationFailed("incomplete_annex", "基本信息表未填完："
                                   + "、".join(f"{f.code} {f.label}" for f in gaps))
        context = {**annex.clause_inputs(info), "stack_clauses": stack_clauses()}
    try:
        return scale.evaluate(record.answers, context).as_json()
    except ValueError as exc:
        raise ValidationFailed("invalid_assessment", str(exc)) from exc


@durable
def finalise(*, actor: Actor, assessment_id: int, version: int | None,
             second_assessor_id: int | None = None, informant_name: str = "") -> Assessment:
    """Score a complete draft and lock it; GB/T 42195 needs a second assessor (C: two sign)."""
    record = _draft(actor, assessment_id)
    bump(record, version)
    outcome = evaluate(record)
    if record.instrument == ABILITY:
        member = _second_assessor(actor, record, second_assessor_id)
        record.second_assessor_id = member.user_id
        record.second_assessor_name = member.user.get_full_name() or member.user.username
        informant_name = informant_name or record.context.get("annex", {}).get(
            "informant_name", "")
    record.informant_name = clean_text(informant_name, field="informant_name",
                                       label="信息提供者", max_length=50, required=False)
    record.outcome = outcome
    record.total = outcome["total"]
    record.band = outcome["band"]
    record.band_label = outcome["band_label"]
    record.level = outcome["level"]
    record.status = Assessment.Status.FINAL
    record.finalised_at = timezone.now()
    record.assessor_id = actor.user_id
    record.assessor_name = actor.display_name or actor.username
    record.save()
    ensure_visible(record, actor)
    audit.record(actor, "assessments.finalise", record,
                 changes={"status": ["draft", "final"], "result": [None, outcome["summary"]]})
    if record.instrument == ABILITY and record.level is not None:
        resident_services.apply_assessed_disability(
            actor=actor, person=record.person, level=record.level, source=record.number)
    if record.bundle_id:
        _refresh_bundle(actor, record.bundle)
    return record


@durable
def correct(*, actor: Actor, assessment_id: int, note: str) -> Assessment:
    """A new draft that corrects a finalised record, starting from its answers."""
    old = get_visible_or_404(Assessment.objects.select_related("person", "stay"), actor,
                             Action.CHANGE, pk=assessment_id)
    require(actor, Perm.ASSESS)
    if not old.is_final:
        raise Conflict("草稿可以直接修改，无需更正")
    note = clean_text(note, field="note", label="更正原因", max_length=200)
    if old.stay.status not in OPEN_STATUSES:
        raise ValidationFailed("no_open_stay", "该老人已离院，不能更正评估")
    return _create(actor, person=old.person, stay=old.stay, scale=_scale(old.instrument),
                   reason=old.reason, assessed_on=old.assessed_on,
                   reason_note=f"更正 {old.number}：{note}", bundle=old.bundle,
                   trigger=old.trigger, corrects=old, answers=dict(old.answers),
                   context=dict(old.context))


@durable
def discard(*, actor: Actor, assessment_id: int, version: int | None) -> None:
    record = _draft(actor, assessment_id)
    if record.bundle_id and not record.corrects_id:
        raise ValidationFailed("bundle_component", "入院评估的组成部分不能删除，请完成评估")
    bump(record, version)
    audit.record(actor, "assessments.discard", record,
                 changes={"instrument": [record.instrument, None]})
    record.delete()


@durable
def report_trigger(*, actor: Actor, person_id: int, kind: str, occurred_on: date,
                   note: str = "") -> ReassessmentTrigger:
    """Record a fall, choking, wandering or a change that makes re-assessment due at once."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.ASSESS)
    return _trigger(actor, person, kind, occurred_on, note)


@transaction.atomic()
def trigger_from_event(*, actor: Actor, person_id: int, kind: str, occurred_on: date,
                       note: str = "") -> ReassessmentTrigger:
    """The same, inside the caller's transaction, for an app that records the event itself
    under its own permission (care's incident report by a caregiver)."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    return _trigger(actor, person, kind, occurred_on, note)


def _trigger(actor: Actor, person: Person, kind: str, occurred_on: date,
             note: str) -> ReassessmentTrigger:
    if kind not in {k.value for k in TriggerKind} or kind in (TriggerKind.HOSPITAL_RETURN,
                                                    TriggerKind.LEVEL_CHANGE):
        # Hospital returns and level changes are read from the records themselves.
        raise ValidationFailed("invalid_choice", "请选择情况类型", field="kind")
    stay = _open_stay(actor, person)
    if occurred_on > timezone.localdate():
        raise ValidationFailed("future_date", "发生日期不能晚于今天", field="occurred_on")
    if occurred_on < stay.admitted_on:
        raise ValidationFailed("before_admission", "发生日期不能早于入住日期",
                               field="occurred_on")
    trigger = ReassessmentTrigger.objects.create(
        person=person, stay=stay, home_id=stay.home_id, region_code=stay.region_code,
        kind=kind, occurred_on=occurred_on,
        note=clean_text(note, field="note", label="说明", max_length=300, required=False),
        recorded_by=actor.username)
    ensure_visible(trigger, actor)
    audit.record(actor, "assessments.trigger", trigger, changes=audit.created(trigger))
    return trigger


# ---- admission bundle -------------------------------------------------------------------


def _clean_needs(needs: list[str] | None) -> list[str]:
    allowed = dict(bundle_rules.SERVICE_NEEDS)
    chosen = list(needs or [])
    bad = [n for n in chosen if n not in allowed]
    if bad:
        raise ValidationFailed("invalid_choice", "服务需求选项无效", field="service_needs")
    return [n for n, _ in bundle_rules.SERVICE_NEEDS if n in chosen]


@durable
def start_admission(*, actor: Actor, stay_id: int, health_status: str = "",
                    service_needs: list[str] | None = None, needs_note: str = "",
                    started_on: date | None = None) -> AdmissionAssessment:
    """The admission assessment of a stay, with drafts of its three instruments."""
    stay = get_visible_or_404(Stay.objects.select_related("person__profile"), actor,
                              Action.CHANGE, pk=stay_id)
    require(actor, Perm.ASSESS)
    if stay.status not in OPEN_STATUSES:
        raise ValidationFailed("no_open_stay", "该入住记录已结束，不能开始入院评估")
    on = _assessed_on(started_on, stay)
    bundle = AdmissionAssessment(
        person=stay.person, stay=stay, home_id=stay.home_id, region_code=stay.region_code,
        started_on=on, started_by=actor.username,
        health_status=clean_text(health_status, field="health_status", label="健康状况",
                                 max_length=2000, required=False),
        service_needs=_clean_needs(service_needs),
        needs_note=clean_text(needs_note, field="needs_note", label="其他需求",
                              max_length=300, required=False))
    try:
        with transaction.atomic():
            bundle.save()
    except IntegrityError as exc:
        raise Conflict("该老人本次入住已开始入院评估") from exc
    ensure_visible(bundle, actor)
    audit.record(actor, "assessments.admission.start", bundle, changes=audit.created(bundle))
    for code in BUNDLE:
        _create(actor, person=stay.person, stay=stay, scale=_scale(code), reason=Reason.FIRST,
                assessed_on=on, bundle=bundle)
    return bundle


@durable
def update_admission(*, actor: Actor, bundle_id: int, version: int | None,
                     health_status: str = "", service_needs: list[str] | None = None,
                     needs_note: str = "") -> AdmissionAssessment:
    bundle = get_visible_or_404(AdmissionAssessment, actor, Action.CHANGE, pk=bundle_id)
    require(actor, Perm.ASSESS)
    data = {
        "health_status": clean_text(health_status, field="health_status", label="健康状况",
                                    max_length=2000, required=False),
        "service_needs": _clean_needs(service_needs),
        "needs_note": clean_text(needs_note, field="needs_note", label="其他需求",
                                 max_length=300, required=False),
    }
    return save_changes(actor, bundle, version, data, "assessments.admission.update")


def current_components(bundle: AdmissionAssessment) -> dict[str, Assessment]:
    """Each bundle instrument's record that counts: final and not corrected, else the draft."""
    chosen: dict[str, Assessment] = {}
    for record in (bundle.components.select_related("corrected_by")
                   .order_by("instrument", "id")):
        if record.is_final and hasattr(record, "corrected_by"):
            continue
        held = chosen.get(record.instrument)
        if held is None or not held.is_final or record.is_final:
            chosen[record.instrument] = record
    return chosen


def _refresh_bundle(actor: Actor, bundle: AdmissionAssessment) -> None:
    parts = current_components(bundle)
    if not all(code in parts and parts[code].is_final for code in BUNDLE):
        return
    ability = parts[ABILITY]
    ratings = bundle_rules.rate(
        ability={"answers": ability.answers, "annex": ability.context.get("annex", {})},
        morse=parts["morse"].outcome, braden=parts["braden"].outcome)
    before = {"status": bundle.status, "overall_risk": bundle.overall_risk,
              "ability_level": bundle.ability_level}
    bundle.ratings = ratings
    bundle.overall_risk = bundle_rules.overall(ratings).label
    bundle.ability_level = ability.level
    if bundle.status != AdmissionAssessment.Status.COMPLETE:
        bundle.status = AdmissionAssessment.Status.COMPLETE
        bundle.completed_on = max(p.assessed_on for p in parts.values())
    bundle.version += 1
    bundle.save()
    after = {"status": bundle.status, "overall_risk": bundle.overall_risk,
             "ability_level": bundle.ability_level}
    audit.record(actor, "assessments.admission.complete", bundle,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
