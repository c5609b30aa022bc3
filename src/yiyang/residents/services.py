"""Every write to residents: registration and admission, the stay transitions, the health
profile and the key-population classification. Permission, validation, audit, one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.identifiers import InvalidIdNumber, parse_id_number
from yiyang.core.masking import hides_personal_data
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_mobile, clean_text
from yiyang.core.versioning import bump
from yiyang.core.writes import save_changes
from yiyang.orgs.models import Bed, NursingHome
from yiyang.residents import rules
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
    Vaccination,
)
from yiyang.residents.search import pinyin_keys
from yiyang.residents.vaccines import primary_series

durable = transaction.atomic(durable=True)


# ---- persons --------------------------------------------------------------------------

def _clean_identity(data: dict[str, Any], *, today: date) -> dict[str, Any]:
    out = dict(data)
    out["name"] = clean_text(out.get("name"), field="name", label="姓名", max_length=50)
    doc = out.get("document_type") or Person.Document.ID_CARD
    number = (out.get("id_number") or "").strip()
    if doc == Person.Document.ID_CARD or (doc == Person.Document.RESIDENCE_PERMIT and number):
        try:
            parsed = parse_id_number(number, today=today)
        except InvalidIdNumber as exc:
            raise ValidationFailed("invalid_id_number", str(exc), field="id_number") from exc
        out["id_number"] = parsed.number
        # The number is authoritative for birth date and sex (GB 11643).
        out["birth_date"], out["sex"] = parsed.birth_date, parsed.sex
    else:
        out["id_number"] = number
        if not out.get("birth_date"):
            raise ValidationFailed("required", "请填写出生日期", field="birth_date")
        if out.get("sex") not in Person.Sex.values:
            raise ValidationFailed("required", "请选择性别", field="sex")
        if out["birth_date"] > today:
            raise ValidationFailed("future_birth", "出生日期不能晚于今天", field="birth_date")
    out["document_type"] = doc
    if "phone" in out:
        out["phone"] = clean_mobile(out.get("phone"))
    out["pinyin"], out["initials"] = pinyin_keys(out["name"])
    return out


# The public name community (issue 9) uses to register a person kept at home.
clean_identity = _clean_identity


def person_by_id_number(id_number: str) -> Person | None:
    """The one person with this ID number, whoever keeps the record (unscoped: callers decide
    what the actor may learn)."""
    if not id_number:
        return None
    index = Person._meta.get_field("id_number_index").index_of(id_number)
    return Person.objects.select_related("org").filter(id_number_index=index).first()


def _from_community(person: Person) -> bool:
    """A person registered by a community organisation (the home-care ledger, issue 9) and not
    in an open stay: a home admitting them takes over the same record."""
    return (person.org.kind == OrgKind.COMMUNITY
            and not person.stays.filter(status__in=OPEN_STATUSES).exists())


def _existing_person(actor: Actor, id_number: str, *, take_over: bool = False) -> Person | None:
    found = person_by_id_number(id_number)
    if found is None:
        return None
    if not Person.objects.visible_to(actor, Action.CHANGE).filter(pk=found.pk).exists():
        if take_over and actor.org_kind == OrgKind.HOME and _from_community(found):
            return found
        raise ValidationFailed("person_elsewhere",
                               "该证件号码已在其他机构建档，请联系原机构办理转出后再登记",
                               field="id_number")
    return found


def _take_over(actor: Actor, person: Person, home: NursingHome) -> None:
    """The home keeps the record from now on; the community ledger keeps pointing at it."""
    before = {"org": person.org_id, "region_code": person.region_code}
    person.org, person.region_code = home, home.region_code
    person.save(update_fields=["org", "region_code", "updated_at"])
    profile = HealthProfile.objects.filter(person=person).first()
    if profile is None:
        HealthProfile.objects.create(person=person, org=home, region_code=home.region_code)
    else:
        HealthProfile.objects.filter(pk=profile.pk).update(org=home,
                                                          region_code=home.region_code)
    audit.record(actor, "residents.person.take_over", person, changes={
        "org": [before["org"], home.pk], "region_code": [before["region_code"],
                                                         home.region_code]})


PERSON_FIELDS = ("name", "sex", "birth_date", "document_type", "id_number", "phone", "ethnicity",
                 "address", "address_region_id", "pinyin", "initials")


@durable
def admit_resident(*, actor: Actor, home_id: int, bed_id: int, admitted_on: date | None = None,
                   **person_in: Any) -> Stay:
    """Register the person (or find them by ID number) and admit them to a free bed."""
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    today = timezone.localdate()
    admitted_on = admitted_on or today
    if admitted_on > today:
        raise ValidationFailed("future_date", "入住日期不能晚于今天", field="admitted_on")
    data = _clean_identity(person_in, today=today)
    bed = _free_bed(actor, home, bed_id)
    person = _existing_person(actor, data["id_number"], take_over=True)
    if person is not None and person.stays.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationFailed("already_admitted", "该老人已有在住记录，请先办理退住",
                               field="id_number")
    if person is not None and person.org_id != home.pk:
        _take_over(actor, person, home)
    if person is None:
        person = Person(org=home, region_code=home.region_code,
                        **{k: v for k, v in data.items() if k in PERSON_FIELDS})
        person.save()
        HealthProfile.objects.create(person=person, org=home, region_code=home.region_code)
        audit.record(actor, "residents.person.register", person, changes=audit.created(person))
    stay = Stay(person=person, home=home, bed=bed, status=rules.StayStatus.IN_RESIDENCE,
                admitted_on=admitted_on, region_code=home.region_code)
    _save_unique(stay)
    _event(actor, stay, rules.StayEvent.ADMIT, admitted_on, to_bed=bed)
    ensure_visible(stay, actor)
    audit.record(actor, "residents.stay.admit", stay, changes=audit.created(stay))
    classify(actor=actor, person=person, on=today)
    return stay


def _free_bed(actor: Actor, home: NursingHome, bed_id: int) -> Bed:
    bed = Bed.objects.filter(pk=bed_id, home=home).select_related("room__building").first()
    if bed is None:
        raise ValidationFailed("unknown_bed", "床位不存在或不属于本机构", field="bed_id")
    if not bed.is_active:
        raise ValidationFailed("bed_inactive", f"{bed} 已停用", field="bed_id")
    if Stay.objects.filter(bed=bed, status__in=OPEN_STATUSES).exists():
        raise ValidationFailed("bed_taken", f"{bed} 已有人入住", field="bed_id")
    return bed


def _save_unique(stay: Stay) -> None:
    """The partial unique indexes are the last word when two registrars race."""
    try:
        with transaction.atomic():
            stay.save()
    except IntegrityError as exc:
        raise ValidationFailed(
            "conflict", "床位或老人的在住状态刚被他人修改，请刷新后重试") from exc


def _event(actor: Actor, stay: Stay, event: rules.StayEvent, on: date, **extra: Any) -> None:
    StayEventRecord.objects.create(stay=stay, home_id=stay.home_id, region_code=stay.region_code,
                                   event=event, occurred_on=on, recorded_by=actor.username,
                                   **extra)


@durable
def update_person(*, actor: Actor, person_id: int, version: int | None, **changes: Any) -> Person:
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    current = {k: getattr(person, k) for k in PERSON_FIELDS}
    merged = {**current, **{k: v for k, v in changes.items() if k in PERSON_FIELDS}}
    data = _clean_identity(merged, today=timezone.localdate())
    if data["id_number"] and data["id_number"] != person.id_number:
        other = _existing_person(actor, data["id_number"])
        if other is not None and other.pk != person.pk:
            raise ValidationFailed("duplicate_id_number", "该证件号码已属于另一位老人",
                                   field="id_number")
    save_changes(actor, person, version, {k: data[k] for k in PERSON_FIELDS},
                 "residents.person.update")
    if merged["birth_date"] != current["birth_date"]:
        classify(actor=actor, person=person, on=timezone.localdate())
    return person


# ---- stay transitions -------------------------------------------------------------------

@durable
def change_stay(*, actor: Actor, stay_id: int, event: str, version: int | None,
                on: date | None = None, bed_id: int | None = None, destination: str = "",
                note: str = "", certificate_no: str = "") -> Stay:
    """One transition of the stay's state machine, with its timeline event."""
    stay = get_visible_or_404(Stay.objects.select_related("home", "bed"), actor, Action.CHANGE,
                              pk=stay_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    try:
        step = rules.StayEvent(event)
    except ValueError as exc:
        raise ValidationFailed("unknown_event", "未知的办理事项", field="event") from exc
    try:
        new_status = rules.next_status(rules.StayStatus(stay.status), step)
    except rules.InvalidTransition as exc:
        raise ValidationFailed("invalid_transition", str(exc), field="event") from exc
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationFailed("future_date", "办理日期不能晚于今天", field="on")
    if on < stay.admitted_on:
        raise ValidationFailed("before_admission", "办理日期不能早于入住日期", field="on")
    before = audit.snapshot(stay)
    bump(stay, version)
    extra: dict[str, Any] = {"destination": clean_text(destination, field="destination",
                                                       label="去向", max_length=100,
                                                       required=step == rules.StayEvent
                                                       .HOSPITAL_TRANSFER),
                             "note": clean_text(note, field="note", label="说明",
                                                max_length=300, required=False)}
    if step == rules.StayEvent.MOVE_BED:
        if bed_id is None:
            raise ValidationFailed("required", "请选择新床位", field="bed_id")
        new_bed = _free_bed(actor, stay.home, bed_id)
        extra.update(from_bed=stay.bed, to_bed=new_bed)
        stay.bed = new_bed
    if step == rules.StayEvent.DEATH_CERTIFICATE:
        if stay.death_certificate_no:
            raise ValidationFailed("certificate_exists", "已登记过死亡医学证明",
                                   field="certificate_no")
        stay.death_certificate_no = clean_text(certificate_no, field="certificate_no",
                                               label="死亡医学证明编号", max_length=40)
    if not rules.is_open(new_status) and rules.is_open(rules.StayStatus(stay.status)):
        stay.ended_on = on
        extra["from_bed"] = stay.bed
        stay.bed = None  # the bed is free again
    stay.status = new_status
    _save_unique(stay)
    _event(actor, stay, step, on, **extra)
    ensure_visible(stay, actor)
    audit.record(actor, f"residents.stay.{step.value}", stay,
                 changes=audit.diff(before, audit.snapshot(stay)))
    return stay


_HOSPITAL_EVENTS = (rules.StayEvent.HOSPITAL_TRANSFER, rules.StayEvent.RETURN_FROM_HOSPITAL)


def record_hospital_move(*, actor: Actor, person_id: int, home_id: int, event: str,
                         destination: str, note: str = "") -> Stay | None:
    """The hospital transfer or return of a resident, made by another service (a referral of
    the issue "Medical–nursing cooperation") that has checked its own permission and runs in its
    own transaction.  Returns the stay, or None when the stay is not in the state the event
    needs (the home recorded the move by hand already, or the resident has left)."""
    step = rules.StayEvent(event)
    if step not in _HOSPITAL_EVENTS:
        raise ValueError(f"not a hospital move: {event}")
    stay = (Stay.objects.select_for_update()
            .filter(person_id=person_id, home_id=home_id, status__in=OPEN_STATUSES).first())
    if stay is None:
        return None
    try:
        stay.status = rules.next_status(rules.StayStatus(stay.status), step)
    except rules.InvalidTransition:
        return None
    before_version = stay.version
    stay.version = before_version + 1
    stay.save(update_fields=["status", "version", "updated_at"])
    on = timezone.localdate()
    _event(actor, stay, step, on, destination=destination[:100], note=note[:300])
    audit.record(actor, f"residents.stay.{step.value}", stay,
                 changes={"status": [None, stay.status], "version": [before_version,
                                                                     stay.version]})
    return stay


# ---- health profile ---------------------------------------------------------------------

PROFILE_FIELDS = ("allergies", "diet", "disability_level", "disability_certificate_no",
                  "disability_certificate_kind", "designated_hospital", "family_doctor",
                  "care_needs", "service_items", "service_cautions", "current_medicines")


@durable
def update_profile(*, actor: Actor, person_id: int, version: int | None,
                   **changes: Any) -> HealthProfile:
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    profile = person.profile
    data = {k: ("" if v is None else v) for k, v in changes.items() if k in PROFILE_FIELDS}
    if "disability_level" in data and data["disability_level"] not in \
            HealthProfile.Disability.values:
        raise ValidationFailed("invalid_choice", "失能等级无效", field="disability_level")
    save_changes(actor, profile, version, data, "residents.profile.update")
    classify(actor=actor, person=person, on=timezone.localdate())
    return profile


def apply_assessed_disability(*, actor: Actor, person: Person, level: int,
                              source: str) -> HealthProfile:
    """Set the 失能等级 from a finalised GB/T 42195 assessment and re-classify.

    Runs inside the assessment's transaction (not durable); the caller has checked the
    assessment permission and the person's scope.  `source` names the record in the audit row.
    """
    profile = person.profile
    value = str(level)
    if value not in HealthProfile.Disability.values:
        raise ValidationFailed("invalid_choice", "失能等级无效", field="disability_level")
    if profile.disability_level != value:
        before = profile.disability_level
        profile.disability_level = value
        profile.version += 1
        profile.save(update_fields=["disability_level", "version", "updated_at"])
        audit.record(actor, "residents.profile.assessed_disability", profile,
                     changes={"disability_level": [before, value], "source": source})
    classify(actor=actor, person=person, on=timezone.localdate())
    return profile


@durable
def record_condition(*, actor: Actor, person_id: int, code: str, status: str,
                     judged_on: date, judged_by: str, other_name: str = "") -> Condition:
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    if code not in Condition.Code.values:
        raise ValidationFailed("invalid_choice", "疾病类别无效", field="code")
    if status not in Condition.Status.values:
        raise ValidationFailed("invalid_choice", "请选择控制情况（稳定/不稳定）", field="status")
    if judged_on > timezone.localdate():
        raise ValidationFailed("future_date", "评估日期不能晚于今天", field="judged_on")
    other_name = clean_text(other_name, field="other_name", label="疾病名称", max_length=60,
                            required=code == Condition.Code.OTHER)
    # A new judgement of the same disease replaces the previous one.
    person.conditions.filter(code=code, other_name=other_name, is_active=True).update(
        is_active=False)
    condition = Condition.objects.create(
        person=person, org_id=person.org_id, region_code=person.region_code, code=code,
        other_name=other_name, status=status, judged_on=judged_on,
        judged_by=clean_text(judged_by, field="judged_by", label="评估医生", max_length=50))
    audit.record(actor, "residents.condition.record", condition,
                 changes=audit.created(condition))
    classify(actor=actor, person=person, on=timezone.localdate())
    return condition


@durable
def record_vaccination(*, actor: Actor, person_id: int, kind: str, given_on: date,
                       product: str = "", dose_number: int | None = None, site: str = "",
                       reason: str = "") -> Vaccination:
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    if kind not in Vaccination.Kind.values:
        raise ValidationFailed("invalid_choice", "接种类别无效", field="kind")
    if given_on > timezone.localdate():
        raise ValidationFailed("future_date", "日期不能晚于今天", field="given_on")
    is_dose = kind in (Vaccination.Kind.DOSE, Vaccination.Kind.BOOSTER)
    if is_dose:
        product = clean_text(product, field="product", label="疫苗产品", max_length=40)
        if not dose_number or dose_number < 1:
            raise ValidationFailed("required", "请填写剂次", field="dose_number")
        if person.vaccinations.filter(kind=kind, dose_number=dose_number).exists():
            raise ValidationFailed("duplicate_dose", f"第 {dose_number} 剂已登记",
                                   field="dose_number")
    else:
        reason = clean_text(reason, field="reason", label="原因", max_length=200)
    vaccination = Vaccination.objects.create(
        person=person, org_id=person.org_id, region_code=person.region_code, kind=kind,
        product=product if is_dose else "", dose_number=dose_number if is_dose else None,
        given_on=given_on, site=site[:100], reason=reason)
    audit.record(actor, "residents.vaccination.record", vaccination,
                 changes=audit.created(vaccination))
    classify(actor=actor, person=person, on=timezone.localdate())
    return vaccination


@durable
def add_contact(*, actor: Actor, person_id: int, kind: str, name: str, relation: str = "",
                phone: str = "") -> Contact:
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    require(actor, Perm.EDIT_HEALTH_RECORDS)
    if kind not in Contact.Kind.values:
        raise ValidationFailed("invalid_choice", "联系人类别无效", field="kind")
    contact = Contact.objects.create(
        person=person, org_id=person.org_id, region_code=person.region_code, kind=kind,
        name=clean_text(name, field="name", label="姓名", max_length=50),
        relation=clean_text(relation, field="relation", label="关系", max_length=20,
                            required=False),
        phone=clean_mobile(phone))
    audit.record(actor, "residents.contact.add", contact, changes=audit.created(contact))
    return contact


# ---- key-population classification (seed 000 §三, REFERENCE §1.4) ---------------------

def classification_inputs(person: Person, on: date) -> dict[str, Any]:
    """Age, band, disability, disease and vaccination as the rules want them."""
    age = rules.age_on(person.birth_date, on)
    profile = getattr(person, "profile", None)
    has_disability = bool(profile and profile.has_disability)
    disease = rules.disease_status(
        c.status for c in person.conditions.all() if c.is_active)
    doses = [v for v in person.vaccinations.all() if v.kind == Vaccination.Kind.DOSE]
    series = primary_series(doses[0].product) if doses else 1
    vaccination = rules.vaccination_status(
        doses_received=len({v.dose_number for v in doses}), doses_in_primary_series=series)
    return {"age": age, "band": rules.age_band(age) or "", "has_disability": has_disability,
            "disease": disease, "vaccination": vaccination}


def classification_values(inputs: dict[str, Any], *, on: date, classified_by: str,
                          rule_set: rules.RuleSet | None = None) -> dict[str, Any] | None:
    """The columns of the `KeyPopulationRecord` for these inputs (REFERENCE §1.4), or None when
    the person is outside the register (seed 000 §三)."""
    if not rules.in_register_scope(age=inputs["age"], has_disability=inputs["has_disability"]):
        return None
    result = rules.classify_key_population(age=inputs["age"], disease=inputs["disease"],
                                           vaccination=inputs["vaccination"], rule_set=rule_set)
    return {"classified_on": on, "category": result.category.value, "basis": result.basis,
            "score": result.score, "rule_set": result.rule_set, "classified_by": classified_by,
            **inputs}


def classify(*, actor: Actor, person: Person, on: date) -> KeyPopulationRecord | None:
    """Store a new current classification when the inputs changed; None when out of scope.

    Called inside the caller's transaction (admission, condition, vaccination, profile) and by
    the daily task for birthdays that cross a band.
    """
    values = classification_values(classification_inputs(person, on), on=on,
                                   classified_by=actor.username)
    current = person.classifications.filter(is_current=True).first()
    compared = ("band", "disease", "vaccination", "has_disability", "category", "rule_set")
    if current is not None and values is not None and all(
            getattr(current, k) == values[k] for k in compared):
        return current
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    if values is None:
        return None
    record = KeyPopulationRecord.objects.create(
        person=person, org_id=person.org_id, region_code=person.region_code, **values)
    audit.record(actor, "residents.classify", record,
                 changes={"category": [current.category if current else None, record.category],
                          "basis": [None, record.basis]})
    return record


@durable
def reveal_person(*, actor: Actor, person_id: int) -> dict[str, str]:
    """The full ID and phone numbers: a permission, and always audited."""
    person = get_visible_or_404(Person, actor, pk=person_id)
    require(actor, Perm.REVEAL_PERSONAL_DATA)
    if hides_personal_data(actor):
        raise Forbidden("医疗卫生机构不能查看老人的证件号码和电话")
    audit.record(actor, "core.reveal", person, changes={"field": "id_number,phone"})
    return {"id_number": person.id_number, "phone": person.phone}
