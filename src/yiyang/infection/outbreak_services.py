"""Writes of surveillance and of the outbreak playbook (seed 001 items 14–18).

* Symptom checks and test results, for residents (`person_id`) and the home's staff
  (`staff_id`, a membership of the home), one by one or a building's round at once.
* A positive (abnormal) test opens an outbreak incident for the home, or joins its open one;
  opening files the home's report to its county civil-affairs department at once (the
  "第一时间" report: the 2-hour clock of item 14 starts when it arrives in that inbox).
* `act` moves the incident through the playbook (`rules.ACTIONS`) or records a side action
  (a person on the line list, where a person is, a day of tracing closed, a death). Out-of-order
  steps are refused with a Chinese message; every step writes one timeline event and one audit
  row in one transaction.

Times may be given (`at`) for entries made afterwards; never in the future.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import Building, Membership, NursingHome, Room
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Person, Stay

from . import outbreak_reports, rules
from .models import (
    InfectionControl,
    LineListEntry,
    Outbreak,
    OutbreakEvent,
    Placement,
    SymptomCheck,
    TestResult,
)

__all__ = ["SYMPTOMS", "act", "isolation_check", "record_round", "record_symptom_check",
           "record_test", "set_infection_control"]

SYMPTOMS = {"fever": "发热", "cough": "咳嗽", "sore_throat": "咽痛", "fatigue": "乏力",
            "breath": "呼吸困难", "diarrhoea": "腹泻", "taste": "嗅觉/味觉减退"}


# ---- helpers ----------------------------------------------------------------------------

def _home_of(actor: Actor, perm: Perm) -> NursingHome:
    """Only a home's staff write here; anyone else gets 404 (like a foreign object)."""
    if actor.org_kind != OrgKind.HOME:
        raise NotFound()
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=actor.org_id)
    require(actor, perm)
    return home


def _when(at: datetime | None, field: str = "at") -> datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now:
        raise ValidationFailed("future_time", "时间不能晚于现在", field=field)
    return at


def _subject(actor: Actor, home: NursingHome, person_id: int | None,
             staff_id: int | None) -> dict[str, Any]:
    """The resident (in an open stay of the home) or staff member, as model fields."""
    if bool(person_id) == bool(staff_id):
        raise ValidationFailed("subject", "请选择一位老人或一名工作人员", field="person_id")
    if person_id:
        person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
        if not Stay.objects.filter(person=person, home=home, status__in=OPEN_STATUSES).exists():
            raise ValidationFailed("no_open_stay", "该老人目前不在本机构入住", field="person_id")
        return {"person": person, "staff": None, "subject_name": person.name}
    staff = get_visible_or_404(Membership.objects.select_related("user"), actor, Action.CHANGE,
                               pk=staff_id)
    if staff.org_id != home.pk or not staff.is_active:
        raise NotFound()
    return {"person": None, "staff": staff,
            "subject_name": (staff.user.full_name or staff.user.username)[:50]}


def _temperature(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        t = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise ValidationFailed("invalid", "体温应为数字", field="temperature") from exc
    if not Decimal("34") <= t <= Decimal("43"):
        raise ValidationFailed("out_of_range", "体温应在 34–43 ℃ 之间", field="temperature")
    return t


def _spo2(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        v = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("invalid", "血氧饱和度应为整数", field="spo2") from exc
    if not 50 <= v <= 100:
        raise ValidationFailed("out_of_range", "血氧饱和度应在 50–100% 之间", field="spo2")
    return v


# ---- surveillance -----------------------------------------------------------------------

def _symptom_check(actor: Actor, home: NursingHome, *, person_id: int | None,
                   staff_id: int | None, at: datetime, temperature: Any, spo2: Any,
                   symptoms: list[str] | None, persistent_fever: bool,
                   breathing_difficulty: bool, note: str) -> SymptomCheck:
    codes = list(dict.fromkeys(symptoms or []))
    if set(codes) - SYMPTOMS.keys():
        raise ValidationFailed("invalid_choice", "症状选项无效", field="symptoms")
    t, s = _temperature(temperature), _spo2(spo2)
    breathing = bool(breathing_difficulty) or "breath" in codes
    check = SymptomCheck(
        home=home, region_code=home.region_code, **_subject(actor, home, person_id, staff_id),
        checked_on=timezone.localtime(at).date(), checked_at=at, temperature=t, spo2=s,
        symptoms=codes, persistent_fever=bool(persistent_fever), breathing_difficulty=breathing,
        referral_signs=list(rules.referral_signs(spo2=s, temperature=t,
                                                 persistent_fever=bool(persistent_fever),
                                                 breathing_difficulty=breathing)),
        note=clean_text(note, field="note", label="备注", max_length=300, required=False),
        recorded_by=actor.display_name or actor.username)
    check.save()
    ensure_visible(check, actor)
    audit.record(actor, "infection.symptom_check.record", check, changes=audit.created(check))
    return check


@transaction.atomic(durable=True)
def record_symptom_check(*, actor: Actor, person_id: int | None = None,
                         staff_id: int | None = None, at: datetime | None = None,
                         temperature: Any = None, spo2: Any = None,
                         symptoms: list[str] | None = None, persistent_fever: bool = False,
                         breathing_difficulty: bool = False, note: str = "") -> SymptomCheck:
    """One daily symptom check; `referral_signs` holds the REFERENCE §1.5 referral prompts."""
    home = _home_of(actor, Perm.RECORD_SURVEILLANCE)
    return _symptom_check(actor, home, person_id=person_id, staff_id=staff_id, at=_when(at),
                          temperature=temperature, spo2=spo2, symptoms=symptoms,
                          persistent_fever=persistent_fever,
                          breathing_difficulty=breathing_difficulty, note=note)


@transaction.atomic(durable=True)
def record_round(*, actor: Actor, building_id: int, rows: list[dict[str, Any]],
                 at: datetime | None = None) -> list[SymptomCheck]:
    """A building's round from the tablet page: every row with a reading is saved, all or none.
    Rows without temperature, SpO₂ or symptoms are skipped (not checked)."""
    home = _home_of(actor, Perm.RECORD_SURVEILLANCE)
    get_visible_or_404(Building, actor, Action.CHANGE, pk=building_id, home=home)
    when = _when(at)
    saved = []
    for row in rows:
        if not any(row.get(k) for k in ("temperature", "spo2", "symptoms", "persistent_fever",
                                         "breathing_difficulty")):
            continue
        saved.append(_symptom_check(
            actor, home, person_id=row.get("person_id"), staff_id=None, at=when,
            temperature=row.get("temperature"), spo2=row.get("spo2"),
            symptoms=row.get("symptoms"), persistent_fever=row.get("persistent_fever", False),
            breathing_difficulty=row.get("breathing_difficulty", False),
            note=row.get("note", "")))
    if not saved:
        raise ValidationFailed("empty_round", "没有填写任何老人的监测结果")
    return saved


@transaction.atomic(durable=True)
def record_test(*, actor: Actor, kind: str, result: str, person_id: int | None = None,
                staff_id: int | None = None, sampled_at: datetime | None = None,
                note: str = "") -> TestResult:
    """A test result; a positive one opens the home's incident or joins its open one."""
    home = _home_of(actor, Perm.RECORD_SURVEILLANCE)
    if kind not in TestResult.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择检测类别", field="kind")
    if result not in TestResult.Result.values:
        raise ValidationFailed("invalid_choice", "请选择检测结果", field="result")
    at = _when(sampled_at, "sampled_at")
    test = TestResult(home=home, region_code=home.region_code,
                      **_subject(actor, home, person_id, staff_id), kind=kind, result=result,
                      sampled_at=at,
                      note=clean_text(note, field="note", label="备注", max_length=300,
                                      required=False),
                      recorded_by=actor.display_name or actor.username)
    if result == TestResult.Result.POSITIVE:
        test.outbreak = _open_or_join(actor, home, test, at)
    test.save()
    ensure_visible(test, actor)
    audit.record(actor, "infection.test.record", test, changes=audit.created(test))
    return test


def _open_or_join(actor: Actor, home: NursingHome, test: TestResult, at: datetime) -> Outbreak:
    outbreak = (Outbreak.objects.select_for_update().filter(home=home)
                .exclude(state=rules.State.CLOSED).first())
    label = f"{test.subject_kind}{test.subject_name}{test.get_kind_display()}结果异常"
    if outbreak is None:
        outbreak = Outbreak(home=home, region_code=home.region_code, opened_at=at,
                            summary=label[:300])
        try:
            with transaction.atomic():
                outbreak.save()
        except IntegrityError as exc:  # another nurse opened it a moment ago
            raise ValidationFailed("outbreak_exists", "本机构已有进行中的疫情事件，请重新提交") \
                from exc
        _event(actor, outbreak, "open", at, note=label)
        audit.record(actor, "infection.outbreak.open", outbreak, changes=audit.created(outbreak))
        outbreak_reports.file_home_report(actor=actor, outbreak=outbreak, at=at,
                                          content=f"{home.name}：{label}，已建立疫情事件。")
    else:
        _event(actor, outbreak, rules.Action.ADD_PERSON.value, at, note=f"新增：{label}")
    _add_entry(outbreak, {"person": test.person, "staff": test.staff,
                          "subject_name": test.subject_name}, LineListEntry.Role.CASE, at,
               note=label, upgrade=True)
    return outbreak


def _event(actor: Actor, outbreak: Outbreak, action: str, at: datetime, *, note: str = "",
           data: dict[str, Any] | None = None) -> OutbreakEvent:
    return OutbreakEvent.objects.create(
        outbreak=outbreak, home_id=outbreak.home_id, region_code=outbreak.region_code,
        action=action, at=at, state_after=outbreak.state, note=note[:500], data=data or {},
        by=actor.display_name or actor.username)


def _add_entry(outbreak: Outbreak, subject: dict[str, Any], role: str, at: datetime, *,
               note: str = "", upgrade: bool = False) -> LineListEntry:
    """Add a person to the line list; a contact who turns positive becomes a case (`upgrade`)."""
    key = {"person": subject["person"]} if subject["person"] else {"staff": subject["staff"]}
    entry = LineListEntry.objects.filter(outbreak=outbreak, **key).first()
    if entry is not None:
        if upgrade and entry.role != LineListEntry.Role.CASE:
            entry.role = LineListEntry.Role.CASE
            entry.save(update_fields=["role", "updated_at"])
            return entry
        if upgrade:
            return entry
        raise ValidationFailed("already_listed", f"{entry.subject_name} 已在一览表中")
    start = timezone.localtime(at).date()
    until = rules.quarantine_until(start, role) if role != LineListEntry.Role.CASE else None
    return LineListEntry.objects.create(
        outbreak=outbreak, home_id=outbreak.home_id, region_code=outbreak.region_code,
        role=role, identified_at=at, quarantine_from=start if until else None,
        quarantine_until=until, note=note[:300], **subject)


# ---- the in-home isolation decision (seed 001 item 16) -------------------------------------

def isolation_check(home_id: int) -> rules.IsolationCheck:
    """Judged from the home's recorded buildings and rooms and its infection-control record."""
    buildings = Building.objects.filter(home_id=home_id, is_independent=True).count()
    singles = Room.objects.filter(home_id=home_id, is_single=True).count()
    control = InfectionControl.objects.filter(home_id=home_id, has_system=True).exists()
    return rules.in_home_isolation(independent_buildings=buildings, single_rooms=singles,
                                   has_infection_control=control)


@transaction.atomic(durable=True)
def set_infection_control(*, actor: Actor, has_system: bool, note: str = "") -> InfectionControl:
    home = _home_of(actor, Perm.MANAGE_OUTBREAK)
    row = InfectionControl.objects.filter(home=home).first()
    before = audit.snapshot(row) if row else {}
    row = row or InfectionControl(home=home, region_code=home.region_code)
    row.has_system = bool(has_system)
    row.note = clean_text(note, field="note", label="说明", max_length=300, required=False)
    row.recorded_by = actor.display_name or actor.username
    row.save()
    ensure_visible(row, actor)
    audit.record(actor, "infection.control.set", row,
                 changes=audit.diff(before, audit.snapshot(row)))
    return row


# ---- the playbook ---------------------------------------------------------------------------

def act(*, actor: Actor, outbreak_id: int, action: str, version: int | None = None,
        at: datetime | None = None, note: str = "", **payload: Any) -> Outbreak:
    """One step of the playbook or one side action (see the module docstring)."""
    try:
        step = rules.Action(action)
    except ValueError as exc:
        raise ValidationFailed("unknown_action", "未知的处置事项", field="action") from exc
    if step == rules.Action.DEATH:
        return _death(actor=actor, outbreak_id=outbreak_id, at=at, note=note, **payload)
    return _act(actor=actor, outbreak_id=outbreak_id, step=step, version=version, at=at,
                note=note, payload=payload)


def _load(actor: Actor, outbreak_id: int) -> Outbreak:
    outbreak = get_visible_or_404(Outbreak.objects.select_related("home"), actor, Action.VIEW,
                                  pk=outbreak_id)
    if actor.org_kind != OrgKind.HOME or outbreak.home_id != actor.org_id:
        raise Forbidden("只有发生疫情的养老机构可以办理处置步骤")
    require(actor, Perm.MANAGE_OUTBREAK)
    return outbreak


@transaction.atomic(durable=True)
def _act(*, actor: Actor, outbreak_id: int, step: rules.Action, version: int | None,
         at: datetime | None, note: str, payload: dict[str, Any]) -> Outbreak:
    outbreak = _load(actor, outbreak_id)
    try:
        if step in rules.SIDE_ACTIONS:
            rules.side_action_allowed(outbreak.state, step)
        else:
            target = rules.next_state(outbreak.state, step)
    except rules.OutOfOrder as exc:
        raise ValidationFailed("out_of_order", str(exc), field="action") from exc
    when = _when(at)
    last = outbreak.events.order_by("-at").values_list("at", flat=True).first()
    if when < (last or outbreak.opened_at):
        raise ValidationFailed("before_last", "时间不能早于上一项处置的时间", field="at")
    note = clean_text(note, field="note", label="说明", max_length=500, required=False)
    before = audit.snapshot(outbreak)
    # Side actions (many in a row on the tablet) need no version; the steps do.
    bump(outbreak, outbreak.version if step in rules.SIDE_ACTIONS and version is None
         else version)
    data: dict[str, Any] = {}
    if step in rules.SIDE_ACTIONS:
        data = _SIDE[step](actor, outbreak, when, payload)
    else:
        data = _STEP_CHECKS.get(step, _nothing)(actor, outbreak, when, note, payload)
        outbreak.state = target
        if target == rules.State.CLOSED:
            outbreak.closed_at = when
        outbreak.save()
    ensure_visible(outbreak, actor)
    _event(actor, outbreak, step.value, when, note=note, data=data)
    audit.record(actor, f"infection.outbreak.{step.value}", outbreak,
                 changes={**audit.diff(before, audit.snapshot(outbreak)), **(
                     {"data": [None, data]} if data else {})})
    return outbreak


def _nothing(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
             payload: dict[str, Any]) -> dict[str, Any]:
    return {}


def _entry(outbreak: Outbreak, entry_id: Any) -> LineListEntry:
    entry = LineListEntry.objects.filter(outbreak=outbreak, pk=entry_id).first()
    if entry is None:
        raise ValidationFailed("unknown_entry", "请选择一览表中的人员", field="entry_id")
    return entry


def _needs_note(note: str, message: str) -> None:
    if not note:
        raise ValidationFailed("required", message, field="note")


def _check_isolated(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                    payload: dict[str, Any]) -> dict[str, Any]:
    """Item 14: the abnormal persons are moved to an isolation room or an external site."""
    cases = list(outbreak.line_list.filter(role=LineListEntry.Role.CASE))
    placed = set(Placement.objects.filter(entry__in=cases).exclude(
        where=Placement.Where.IN_PLACE).values_list("entry_id", flat=True))
    missing = [c.subject_name for c in cases if c.pk not in placed]
    if missing:
        raise ValidationFailed("not_isolated",
                               f"以下异常人员尚未登记转移去向：{'、'.join(missing)}")
    return {"isolated": len(cases)}


def _check_reported(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                    payload: dict[str, Any]) -> dict[str, Any]:
    joint = clean_text(payload.get("joint_mechanism", ""), field="joint_mechanism",
                       label="联防联控机制接报单位/人", max_length=100)
    if not outbreak.reports.filter(parent__isnull=True).exists():
        outbreak_reports.file_home_report(actor=actor, outbreak=outbreak, at=when,
                                          content=note or "疫情报告")
    return {"joint_mechanism": joint}


def _check_transfer(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                    payload: dict[str, Any]) -> dict[str, Any]:
    """Item 15: the green channel to the designated hospital (or why nobody was moved)."""
    moved = Placement.objects.filter(entry__outbreak=outbreak, where=Placement.Where.HOSPITAL,
                                     green_channel=True).count()
    if not moved:
        _needs_note(note, "没有人员经绿色通道转运时，请说明原因（如：经评估无需转运）")
    return {"transferred": moved}


def _check_contacts(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                    payload: dict[str, Any]) -> dict[str, Any]:
    contacts = outbreak.line_list.exclude(role=LineListEntry.Role.CASE).count()
    if not contacts:
        _needs_note(note, "一览表中没有密接/次密接时，请说明判定情况")
    return {"contacts": contacts}


def _check_isolation_mode(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                          payload: dict[str, Any]) -> dict[str, Any]:
    mode = payload.get("mode", "")
    if mode == "in_home":
        check = isolation_check(outbreak.home_id)
        if not check.allowed:
            raise ValidationFailed(
                "in_home_not_allowed",
                "不具备院内就地隔离条件（" + "；".join(check.reasons) + "），密接人员应转至院外"
                "定点隔离场所集中隔离", field="mode")
    elif mode == "external":
        if not payload.get("closed_loop"):
            raise ValidationFailed("closed_loop", "院外集中隔离须安排闭环转运，请确认",
                                   field="closed_loop")
    else:
        raise ValidationFailed("invalid_choice", "请选择隔离方式", field="mode")
    outbreak.isolation_mode = mode
    return {"mode": mode, "closed_loop": bool(payload.get("closed_loop"))}


def _check_close(actor: Actor, outbreak: Outbreak, when: datetime, note: str,
                 payload: dict[str, Any]) -> dict[str, Any]:
    opened = outbreak.events.filter(action=rules.Action.START_TRACING).values_list(
        "at", flat=True).first()
    if opened is not None:
        closed = outbreak.events.filter(action=rules.Action.TRACE_DAY).values_list("data",
                                                                                  flat=True)
        owed = rules.tracing_days_owed(timezone.localtime(opened).date(),
                                       timezone.localtime(when).date(),
                                       [date.fromisoformat(d["day"]) for d in closed])
        if owed:
            raise ValidationFailed("tracing_owed", "流调尚有未日清日结的日期："
                                   + "、".join(d.isoformat() for d in owed[:5]))
    _needs_note(note, "请填写结束处置的依据（如：解除隔离、终末消毒完成）")
    return {}


_STEP_CHECKS = {
    rules.Action.ISOLATE: _check_isolated,
    rules.Action.REPORT: _check_reported,
    rules.Action.TRANSFER: _check_transfer,
    rules.Action.MANAGE_CONTACTS: _check_contacts,
    rules.Action.DECIDE_ISOLATION: _check_isolation_mode,
    rules.Action.CLOSE: _check_close,
}


# ---- side actions -----------------------------------------------------------------------------

def _side_add(actor: Actor, outbreak: Outbreak, when: datetime,
              payload: dict[str, Any]) -> dict[str, Any]:
    role = payload.get("role", "")
    if role not in LineListEntry.Role.values:
        raise ValidationFailed("invalid_choice", "请选择人员类别", field="role")
    subject = _subject(actor, outbreak.home, payload.get("person_id"), payload.get("staff_id"))
    entry = _add_entry(outbreak, subject, role, when, note=payload.get("entry_note", ""))
    return {"entry_id": entry.pk, "name": entry.subject_name, "role": role,
            "quarantine_until": entry.quarantine_until.isoformat()
            if entry.quarantine_until else None}


def _side_place(actor: Actor, outbreak: Outbreak, when: datetime,
                payload: dict[str, Any]) -> dict[str, Any]:
    """Where a person is from `when`: the previous placement ends there."""
    entry = _entry(outbreak, payload.get("entry_id"))
    where = payload.get("where", "")
    if where not in Placement.Where.values:
        raise ValidationFailed("invalid_choice", "请选择去向", field="where")
    site = None
    place = clean_text(payload.get("place", ""), field="place", label="房间/医院",
                       max_length=100, required=where in (Placement.Where.HOME_ROOM,
                                                          Placement.Where.HOSPITAL))
    if where == Placement.Where.SITE:
        site = outbreak_reports.site_for_home(outbreak.home, payload.get("site_id"))
        if not payload.get("closed_loop"):
            raise ValidationFailed("closed_loop", "转至机构外隔离场所须闭环转运，请确认",
                                   field="closed_loop")
    green = bool(payload.get("green_channel")) and where == Placement.Where.HOSPITAL
    Placement.objects.filter(entry=entry, until__isnull=True).update(until=when)
    Placement.objects.create(entry=entry, home_id=outbreak.home_id,
                             region_code=outbreak.region_code, where=where, site=site,
                             place=place, since=when, closed_loop=bool(payload.get("closed_loop")),
                             green_channel=green)
    if where == Placement.Where.HOSPITAL and entry.person_id:
        resident_services.record_hospital_move(
            actor=actor, person_id=entry.person_id, home_id=outbreak.home_id,
            event="hospital_transfer", destination=place, note="疫情处置：绿色通道转运")
    return {"entry_id": entry.pk, "name": entry.subject_name, "where": where,
            "site": site.name if site else "", "place": place, "green_channel": green}


def _side_trace_day(actor: Actor, outbreak: Outbreak, when: datetime,
                    payload: dict[str, Any]) -> dict[str, Any]:
    day = payload.get("day") or timezone.localtime(when).date()
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError as exc:
            raise ValidationFailed("invalid_date", "日期格式应为 YYYY-MM-DD", field="day") from exc
    if day > timezone.localtime(when).date():
        raise ValidationFailed("future_date", "不能提前日结", field="day")
    if any(e.get("day") == day.isoformat() for e in outbreak.events.filter(
            action=rules.Action.TRACE_DAY).values_list("data", flat=True)):
        raise ValidationFailed("day_closed", f"{day:%Y-%m-%d} 已日清日结", field="day")
    new_cases = int(payload.get("new_cases") or 0)
    return {"day": day.isoformat(), "new_cases": new_cases}


_SIDE = {rules.Action.ADD_PERSON: _side_add, rules.Action.PLACE: _side_place,
         rules.Action.TRACE_DAY: _side_trace_day}


def _death(*, actor: Actor, outbreak_id: int, at: datetime | None, note: str,
           entry_id: Any = None, certificate_no: str = "", **_: Any) -> Outbreak:
    """Seed 001 item 18: a resident of the line list died. The stay's death (and the 人口死亡
    医学证明 when its number is known) go through `residents.services.change_stay`, which runs
    its own transaction and audit; then the outbreak's timeline event is written."""
    outbreak = _load(actor, outbreak_id)
    try:
        rules.side_action_allowed(outbreak.state, rules.Action.DEATH)
    except rules.OutOfOrder as exc:
        raise ValidationFailed("out_of_order", str(exc), field="action") from exc
    entry = _entry(outbreak, entry_id)
    if not entry.person_id:
        raise ValidationFailed("not_resident", "死亡登记仅适用于入住老人", field="entry_id")
    when = _when(at)
    stay = Stay.objects.filter(person_id=entry.person_id, home_id=outbreak.home_id).order_by(
        "-admitted_on", "-id").first()
    if stay is None:
        raise ValidationFailed("no_stay", "找不到该老人的入住记录", field="entry_id")
    day = timezone.localtime(when).date()
    if stay.status != "deceased":
        stay = resident_services.change_stay(actor=actor, stay_id=stay.pk, event="death",
                                             version=stay.version, on=day, note=note[:300])
    if certificate_no and not stay.death_certificate_no:
        resident_services.change_stay(actor=actor, stay_id=stay.pk, event="death_certificate",
                                      version=stay.version, on=day,
                                      certificate_no=certificate_no)
    with transaction.atomic():
        outbreak = Outbreak.objects.select_for_update().get(pk=outbreak.pk)
        entry.outcome, entry.outcome_on = LineListEntry.Outcome.DIED, day
        entry.save(update_fields=["outcome", "outcome_on", "updated_at"])
        Placement.objects.filter(entry=entry, until__isnull=True).update(until=when)
        data = {"entry_id": entry.pk, "name": entry.subject_name,
                "certificate": bool(certificate_no)}
        _event(actor, outbreak, rules.Action.DEATH.value, when, note=note, data=data)
        audit.record(actor, "infection.outbreak.death", outbreak, changes={"data": [None, data]})
    return outbreak

