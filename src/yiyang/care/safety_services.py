"""Writes of pressure injuries, care-risk incidents and health education sessions.

Each function checks the permission and the row scope (a foreign resident or record answers
404 before any permission check), validates with Chinese messages, writes in one transaction
and audits once.

Who writes: lesions and their healing record — the home's nurse, doctor and manager
(`Perm.RECORD_PRESSURE_INJURIES`); incidents — every care role of the home, caregivers included
(`Perm.RECORD_INCIDENTS`); education sessions — the nurse and the manager
(`Perm.RECORD_EDUCATION`).  Partner doctors read lesions and incidents (clinical data), write
none of them.

An incident of a kind that calls for an immediate GB/T 42195 re-assessment (fall, choking,
wandering; self-harm as a change of condition) reports the trigger through
`assessments.services.trigger_from_event` in the same transaction, so the due list shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from yiyang.assessments import services as assessment_services
from yiyang.core import audit
from yiyang.core.errors import NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.writes import save_changes
from yiyang.residents import photo_services
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import safety_rules as rules
from .models import EducationSession, Incident, PressureInjury, PressureInjuryObservation

__all__ = ["add_observation", "record_education", "record_incident", "record_lesion",
           "update_incident", "update_lesion"]

_MAX_LATE = timedelta(days=366)  # how far back an entry may be made


def _stay_at_home(actor: Actor, person_id: int, perm: Perm) -> tuple[Person, Stay]:
    """The resident's open stay in the actor's own home (404 for anyone else's resident)."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, perm)
    stay = (Stay.objects.select_related("home")
            .filter(person=person, status__in=OPEN_STATUSES).first())
    if stay is None:
        raise ValidationFailed("not_resident", "该老人没有在住记录", field="person_id")
    if actor.org_kind != OrgKind.HOME or stay.home_id != actor.org_id:
        raise NotFound()
    return person, stay


def _moment(value: datetime | None, *, field: str, label: str, stay: Stay,
            required: bool = True) -> datetime:
    if value is None:
        if required:
            raise ValidationFailed("required", f"请填写{label}", field=field)
        value = timezone.now()
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    now = timezone.now()
    if value > now + timedelta(minutes=5):
        raise ValidationFailed("future", f"{label}不能晚于现在", field=field)
    if timezone.localtime(value).date() < stay.admitted_on:
        raise ValidationFailed("before_admission", f"{label}不能早于入住日期", field=field)
    if value < now - _MAX_LATE:
        raise ValidationFailed("too_old", f"{label}不能早于一年前", field=field)
    return value


def _size(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("not_a_number", f"{label}应为数字", field=field) from exc
    if not Decimal(0) <= number <= Decimal(200):
        raise ValidationFailed("out_of_range", f"{label}应在 0 到 200 cm 之间", field=field)
    return number


def _choice(value: str, choices: Iterable[str], *, field: str, label: str) -> str:
    if value not in set(choices):
        raise ValidationFailed("invalid_choice", f"请选择{label}", field=field)
    return value


# ---- pressure injuries -------------------------------------------------------------------


_LESION_STAGES = [s.value for s in rules.Stage if s != rules.Stage.HEALED]


@transaction.atomic()
def record_lesion(*, actor: Actor, person_id: int, site: str, stage: str, found_at: datetime,
                  present_on_admission: bool = False, device_related: bool = False,
                  site_detail: str = "", length_cm: Any = None, width_cm: Any = None,
                  depth_cm: Any = None, note: str = "") -> PressureInjury:
    """A lesion found on a resident of the actor's home."""
    person, stay = _stay_at_home(actor, person_id, Perm.RECORD_PRESSURE_INJURIES)
    stage = _choice(stage, _LESION_STAGES, field="stage", label="分期")
    site = _choice(site, PressureInjury.Site.values, field="site", label="部位")
    lesion = PressureInjury(
        person=person, stay=stay, home=stay.home, region_code=stay.home.region_code,
        site=site,
        site_detail=clean_text(site_detail, field="site_detail", label="部位说明",
                               max_length=60, required=site == PressureInjury.Site.OTHER),
        initial_stage=stage, stage=stage, present_on_admission=bool(present_on_admission),
        found_at=_moment(found_at, field="found_at", label="发现时间", stay=stay),
        device_related=bool(device_related),
        length_cm=_size(length_cm, field="length_cm", label="长度"),
        width_cm=_size(width_cm, field="width_cm", label="宽度"),
        depth_cm=_size(depth_cm, field="depth_cm", label="深度"),
        note=clean_text(note, field="note", label="伤口描述", max_length=300, required=False),
        recorded_by=actor.display_name or actor.username)
    lesion.save()
    ensure_visible(lesion, actor, Action.CHANGE)
    audit.record(actor, "care.lesion.record", lesion, changes=audit.created(lesion))
    return lesion


def _lesion_for_write(actor: Actor, lesion_id: int) -> PressureInjury:
    lesion = get_visible_or_404(PressureInjury.objects.select_related("stay"), actor,
                                Action.CHANGE, pk=lesion_id)
    require(actor, Perm.RECORD_PRESSURE_INJURIES)
    if actor.org_kind != OrgKind.HOME or lesion.home_id != actor.org_id:
        raise NotFound()
    return lesion


@transaction.atomic()
def add_observation(*, actor: Actor, lesion_id: int, version: int, stage: str,
                    observed_at: datetime | None = None, length_cm: Any = None,
                    width_cm: Any = None, depth_cm: Any = None, wound_bed: str = "",
                    treatment: str = "",
                    photo: IO[bytes] | None = None) -> PressureInjuryObservation:
    """One entry of the healing record; it moves the lesion's current stage (to "healed" with
    the healing date, or back from healed when it breaks down again).  An optional photo is
    checked and re-encoded like a resident's photo (JPG/PNG, at most 5 MB, metadata stripped),
    stored under a random name and audited by that name only."""
    lesion = _lesion_for_write(actor, lesion_id)
    stage = _choice(stage, rules.Stage.__members__.values(), field="stage", label="分期")
    when = _moment(observed_at, field="observed_at", label="观察时间", stay=lesion.stay,
                   required=False)
    if when < lesion.found_at:
        raise ValidationFailed("before_found", "观察时间不能早于发现时间", field="observed_at")
    if lesion.mucosal and stage not in (rules.Stage.MUCOSAL, rules.Stage.HEALED):
        raise ValidationFailed("mucosal", "黏膜压力性损伤不分期：请选“黏膜压力性损伤”或“已愈合”",
                               field="stage")
    obs = PressureInjuryObservation(
        lesion=lesion, home_id=lesion.home_id, region_code=lesion.region_code, observed_at=when,
        stage=stage, length_cm=_size(length_cm, field="length_cm", label="长度"),
        width_cm=_size(width_cm, field="width_cm", label="宽度"),
        depth_cm=_size(depth_cm, field="depth_cm", label="深度"),
        wound_bed=clean_text(wound_bed, field="wound_bed", label="创面情况", max_length=200,
                             required=False),
        treatment=clean_text(treatment, field="treatment", label="处理措施", max_length=200,
                             required=False),
        recorded_by=actor.display_name or actor.username)
    if photo is None:
        _save_observation(actor, lesion, obs, version)
        return obs
    data, ext = photo_services.normalise(photo_services.read_upload(photo))
    # A random name: the original file name may carry the resident's name.
    obs.photo.save(f"{lesion.pk}-{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    stored, storage = obs.photo.name, obs.photo.storage
    try:
        _save_observation(actor, lesion, obs, version)
        audit.record(actor, "care.lesion.photo", obs,
                     changes={"photo": [None, stored], "bytes": len(data)})
    except Exception:
        storage.delete(stored)
        raise
    return obs


def _save_observation(actor: Actor, lesion: PressureInjury, obs: PressureInjuryObservation,
                      version: int) -> None:
    when, stage = obs.observed_at, obs.stage
    obs.save()
    later = lesion.observations.filter(observed_at__gt=when).exists()
    data: dict[str, Any] = {}
    if not later:  # a late entry of an older day does not move the current stage
        data["stage"] = stage
        data["healed_on"] = (timezone.localtime(when).date() if stage == rules.Stage.HEALED
                             else None)
        for name in ("length_cm", "width_cm", "depth_cm"):
            if getattr(obs, name) is not None or stage == rules.Stage.HEALED:
                data[name] = getattr(obs, name)
    save_changes(actor, lesion, version, data, "care.lesion.observe")
    ensure_visible(obs, actor, Action.CHANGE)


@transaction.atomic()
def update_lesion(*, actor: Actor, lesion_id: int, version: int,
                  **changes: Any) -> PressureInjury:
    """Correct what was recorded at the finding (site, admission flag, found time, device,
    description).  Stage changes go through `add_observation`."""
    lesion = _lesion_for_write(actor, lesion_id)
    data: dict[str, Any] = {}
    if changes.get("site") is not None:
        data["site"] = _choice(changes["site"], PressureInjury.Site.values, field="site",
                               label="部位")
    if changes.get("site_detail") is not None:
        data["site_detail"] = clean_text(changes["site_detail"], field="site_detail",
                                         label="部位说明", max_length=60, required=False)
    if changes.get("present_on_admission") is not None:
        data["present_on_admission"] = bool(changes["present_on_admission"])
    if changes.get("device_related") is not None:
        data["device_related"] = bool(changes["device_related"])
    if changes.get("found_at") is not None:
        data["found_at"] = _moment(changes["found_at"], field="found_at", label="发现时间",
                                   stay=lesion.stay)
        first = lesion.observations.order_by("observed_at").first()
        if first is not None and first.observed_at < data["found_at"]:
            raise ValidationFailed("after_observation", "发现时间不能晚于第一次观察记录",
                                   field="found_at")
    if changes.get("note") is not None:
        data["note"] = clean_text(changes["note"], field="note", label="伤口描述",
                                  max_length=300, required=False)
    return save_changes(actor, lesion, version, data, "care.lesion.update")


# ---- incidents -----------------------------------------------------------------------------


_KINDS = [k.value for k in rules.IncidentKind]


def _incident_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def text(name: str, label: str, max_length: int, required: bool = False) -> None:
        if name in data and data[name] is not None:
            out[name] = clean_text(data[name], field=name, label=label, max_length=max_length,
                                   required=required)
        elif required and not partial:
            raise ValidationFailed("required", f"请填写{label}", field=name)

    text("place", "地点", 100, required=True)
    text("description", "经过", 1000, required=True)
    text("injuries", "损伤情况", 300)
    text("immediate_action", "现场处置", 500, required=True)
    text("hospital", "医院", 100)
    text("witnesses", "目击者", 200)
    text("follow_up", "后续跟进", 1000)
    text("kind_detail", "其他类型说明", 60)
    if data.get("severity") is not None:
        out["severity"] = _choice(data["severity"], Incident.Severity.values, field="severity",
                                  label="损伤程度")
    for flag in ("hospital_transfer", "family_informed", "closed"):
        if data.get(flag) is not None:
            out[flag] = bool(data[flag])
    return out


def _check_incident(values: dict[str, Any]) -> None:
    if values.get("hospital_transfer") and not values.get("hospital"):
        raise ValidationFailed("required", "转送医院时请填写医院", field="hospital")
    if values.get("kind") == rules.IncidentKind.OTHER and not values.get("kind_detail"):
        raise ValidationFailed("required", "类型为“其他”时请说明", field="kind_detail")
    if values.get("severity") not in (None, Incident.Severity.NONE) and not values.get("injuries"):
        raise ValidationFailed("required", "有损伤时请填写损伤情况", field="injuries")


@transaction.atomic()
def record_incident(*, actor: Actor, person_id: int, kind: str, occurred_at: datetime,
                    place: str, description: str, immediate_action: str,
                    severity: str = "none", injuries: str = "", hospital_transfer: bool = False,
                    hospital: str = "", witnesses: str = "", family_informed: bool = False,
                    follow_up: str = "", kind_detail: str = "") -> Incident:
    """A care-risk event of a resident of the actor's home; falls, choking, wandering and
    self-harm also make the GB/T 42195 re-assessment due at once."""
    person, stay = _stay_at_home(actor, person_id, Perm.RECORD_INCIDENTS)
    kind = _choice(kind, _KINDS, field="kind", label="事件类型")
    when = _moment(occurred_at, field="occurred_at", label="发生时间", stay=stay)
    values = _incident_fields(
        {"place": place, "description": description, "immediate_action": immediate_action,
         "severity": severity, "injuries": injuries, "hospital_transfer": hospital_transfer,
         "hospital": hospital, "witnesses": witnesses, "family_informed": family_informed,
         "follow_up": follow_up, "kind_detail": kind_detail}, partial=False)
    _check_incident({**values, "kind": kind})
    incident = Incident(person=person, stay=stay, home=stay.home,
                        region_code=stay.home.region_code, kind=kind, occurred_at=when,
                        reporter_id=actor.user_id,
                        reporter_name=actor.display_name or actor.username, **values)
    trigger_kind = rules.TRIGGER_KIND.get(rules.IncidentKind(kind))
    if trigger_kind is not None:
        incident.trigger = assessment_services.trigger_from_event(
            actor=actor, person_id=person.pk, kind=trigger_kind,
            occurred_on=timezone.localtime(when).date(),
            note=f"照护风险事件：{rules.IncidentKind(kind).label}，{values['place']}")
    incident.save()
    ensure_visible(incident, actor, Action.CHANGE)
    audit.record(actor, "care.incident.record", incident, changes=audit.created(incident))
    return incident


@transaction.atomic()
def update_incident(*, actor: Actor, incident_id: int, version: int,
                    **changes: Any) -> Incident:
    """Add the follow-up, correct the details, close.  Kind and time stay as reported (they fed
    the re-assessment trigger); a wrong report is corrected by a note in the follow-up."""
    incident = get_visible_or_404(Incident, actor, Action.CHANGE, pk=incident_id)
    require(actor, Perm.RECORD_INCIDENTS)
    if actor.org_kind != OrgKind.HOME or incident.home_id != actor.org_id:
        raise NotFound()
    data = _incident_fields(changes, partial=True)
    merged = {f: getattr(incident, f) for f in ("hospital_transfer", "hospital", "severity",
                                                "injuries", "kind", "kind_detail")}
    _check_incident({**merged, **data})
    return save_changes(actor, incident, version, data, "care.incident.update")


# ---- education -----------------------------------------------------------------------------


@transaction.atomic()
def record_education(*, actor: Actor, kind: str, topic: str, held_on: date, speaker: str,
                     audience: list[str] | tuple[str, ...] = (),
                     attendee_ids: list[int] | tuple[int, ...] = (), other_count: int = 0,
                     materials: str = "") -> EducationSession:
    """A session held by the actor's home, with the residents who attended (by person) and a
    head count of everyone else."""
    ids = sorted(set(attendee_ids or ()))
    people = list(Person.objects.visible_to(actor, Action.CHANGE).filter(pk__in=ids))
    if len(people) != len(ids):
        raise NotFound()
    require(actor, Perm.RECORD_EDUCATION)
    if actor.org_kind != OrgKind.HOME:
        raise NotFound()
    if not isinstance(held_on, date):
        raise ValidationFailed("required", "请填写日期", field="held_on")
    if held_on > timezone.localdate():
        raise ValidationFailed("future_date", "日期不能晚于今天", field="held_on")
    if ids:
        stayed = set(Stay.objects.filter(home_id=actor.org_id, person_id__in=ids,
                                         admitted_on__lte=held_on)
                     .exclude(ended_on__lt=held_on).values_list("person_id", flat=True))
        if set(ids) - stayed:
            raise ValidationFailed("not_resident", "参加者须为当日入住本机构的老年人",
                                   field="attendee_ids")
    audience = [_choice(a, EducationSession.Audience.values, field="audience", label="对象")
                for a in dict.fromkeys(audience or ())]
    if not audience:
        raise ValidationFailed("required", "请选择对象", field="audience")
    if not isinstance(other_count, int) or not 0 <= other_count <= 1000:
        raise ValidationFailed("out_of_range", "其他参加人数应在 0 到 1000 之间",
                               field="other_count")
    if not ids and not other_count:
        raise ValidationFailed("required", "请登记参加的老年人或其他参加人数",
                               field="attendee_ids")
    session = EducationSession(
        home_id=actor.org_id, region_code=actor.region_code,
        kind=_choice(kind, EducationSession.Kind.values, field="kind", label="类型"),
        topic=clean_text(topic, field="topic", label="主题", max_length=100), held_on=held_on,
        speaker=clean_text(speaker, field="speaker", label="主讲人", max_length=100),
        audience=audience, other_count=other_count,
        materials=clean_text(materials, field="materials", label="资料", max_length=300,
                             required=False),
        recorded_by=actor.display_name or actor.username)
    session.save()
    session.attendees.set(people)
    ensure_visible(session, actor, Action.CHANGE)
    audit.record(actor, "care.education.record", session,
                 changes={**audit.created(session), "attendees": [None, ids]})
    return session
