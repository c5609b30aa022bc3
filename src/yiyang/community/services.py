"""Every write of the community ledger: list a person, dated changes, end an entry, visits,
home services, family-doctor contracts, the outbreak switch. Permission (`Perm.KEEP_LEDGER`),
scope, validation, one transaction, audit.

Who writes: the staff of the committee keeping an entry and of its township. A committee is a
`CommunityOrg` of level village whose `parent` is the township; a township may also keep
entries itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_mobile, clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import CommunityOrg, MedicalInstitution
from yiyang.residents import services as resident_services
from yiyang.residents.models import Person

from . import rules
from .models import (
    CommunityVisit,
    DoctorHomeVisit,
    FamilyDoctorContract,
    HomeServiceDelivery,
    HomeServiceRequest,
    LedgerChange,
    LedgerEntry,
    OutbreakMode,
)

durable = transaction.atomic(durable=True)

ENTRY_FIELDS = ("living", "disabled", "disability_note", "dependent", "seriously_ill", "illness",
                "needs", "needs_note", "guardian_name", "guardian_relation", "guardian_phone",
                "contact_name", "contact_relation", "contact_phone")
PERSON_EDITABLE = ("phone", "address")
SECRET = {"guardian_phone", "contact_phone", "phone"}


def _who(actor: Actor) -> str:
    return actor.display_name or actor.username


def committees(actor: Actor) -> list[CommunityOrg]:
    """The committees the actor keeps entries for: their own organisation and, for a township,
    its village/residents' committees."""
    if actor.org_kind != OrgKind.COMMUNITY:
        return []
    return list(CommunityOrg.objects.filter(is_active=True)
                .filter(Q(pk=actor.org_id) | Q(parent_id=actor.org_id))
                .order_by("level", "name"))


def _committee(actor: Actor, committee_id: int | None) -> tuple[CommunityOrg, CommunityOrg]:
    """(committee, its township) for a write by this actor; 404 outside their area."""
    require(actor, Perm.KEEP_LEDGER)
    if actor.org_kind != OrgKind.COMMUNITY:
        raise NotFound()
    committee = CommunityOrg.objects.filter(pk=committee_id or actor.org_id).first()
    if committee is None or actor.org_id not in (committee.pk, committee.parent_id):
        raise NotFound()
    township = committee
    if committee.level == CommunityOrg.Level.VILLAGE and committee.parent_id:
        township = CommunityOrg.objects.get(pk=committee.parent_id)
    return committee, township


def _bool(value: Any) -> bool:
    return bool(value) and value not in ("0", "false", "False", "否")


def clean_entry(data: dict[str, Any]) -> dict[str, Any]:
    """The ledger fields of an entry, checked; Chinese errors."""
    out: dict[str, Any] = {}
    living = data.get("living") or ""
    if living not in rules.Living.__members__.values():
        raise ValidationFailed("invalid_choice", "请选择居住情况", field="living")
    out["living"] = living
    for name in ("disabled", "dependent", "seriously_ill"):
        out[name] = _bool(data.get(name))
    out["disability_note"] = clean_text(data.get("disability_note"), field="disability_note",
                                        label="残疾类别/等级", max_length=60, required=False)
    out["illness"] = clean_text(data.get("illness"), field="illness", label="主要疾病",
                                max_length=120, required=out["seriously_ill"])
    needs = list(dict.fromkeys(data.get("needs") or []))
    unknown = [n for n in needs if n not in rules.Need.__members__.values()]
    if unknown:
        raise ValidationFailed("invalid_choice", f"未知的服务需求：{'、'.join(unknown)}",
                               field="needs")
    out["needs"] = [n.value for n in rules.Need if n.value in needs]
    out["needs_note"] = clean_text(data.get("needs_note"), field="needs_note", label="需求说明",
                                   max_length=200, required=False)
    for who, label in (("guardian", "监护人"), ("contact", "紧急联系人")):
        out[f"{who}_name"] = clean_text(data.get(f"{who}_name"), field=f"{who}_name",
                                        label=label, max_length=50, required=False)
        out[f"{who}_relation"] = clean_text(data.get(f"{who}_relation"),
                                            field=f"{who}_relation", label=f"{label}关系",
                                            max_length=20, required=False)
        out[f"{who}_phone"] = clean_mobile(data.get(f"{who}_phone"), field=f"{who}_phone")
    if not out["guardian_name"] and not out["contact_name"]:
        raise ValidationFailed("required", "请至少填写监护人或紧急联系人之一",
                               field="guardian_name")
    return out


def _day(value: date | None, field: str, label: str) -> date:
    today = timezone.localdate()
    day = value or today
    if not isinstance(day, date):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if day > today:
        raise ValidationFailed("future_date", f"{label}不能晚于今天", field=field)
    return day


def _new_person(actor: Actor, committee: CommunityOrg, person_in: dict[str, Any]) -> Person:
    data = resident_services.clean_identity(person_in, today=timezone.localdate())
    if data["document_type"] == Person.Document.ID_CARD and not data["id_number"]:
        raise ValidationFailed("required", "请填写身份证号码", field="id_number")
    if resident_services.person_by_id_number(data["id_number"]) is not None:
        raise ValidationFailed("person_exists",
                               "该证件号码已在系统中建档（本台账或养老机构），不能重复登记",
                               field="id_number")
    person = Person(org=committee, region_code=committee.region_code,
                    **{k: v for k, v in data.items()
                       if k in resident_services.PERSON_FIELDS and v is not None})
    person.save()
    audit.record(actor, "residents.person.register", person, changes=audit.created(person))
    return person


def _add(actor: Actor, committee: CommunityOrg, township: CommunityOrg, person_in: dict,
         entry_in: dict, listed_on: date) -> LedgerEntry:
    person = _new_person(actor, committee, person_in)
    entry = LedgerEntry(org=committee, township=township, person=person,
                        region_code=township.region_code, listed_on=listed_on,
                        changed_on=listed_on, **entry_in)
    entry.save()
    LedgerChange.objects.create(entry=entry, region_code=entry.region_code,
                                effective_on=listed_on, kind="list", note="摸排建册",
                                recorded_by=_who(actor))
    ensure_visible(entry, actor)
    audit.record(actor, "community.entry.list", entry, changes=audit.created(entry))
    return entry


PERSON_KEYS = ("name", "sex", "birth_date", "document_type", "id_number", "phone", "address")


@durable
def list_person(*, actor: Actor, committee_id: int | None = None, listed_on: date | None = None,
                **data: Any) -> LedgerEntry:
    """Put a person living at home on the ledger (registering the person once)."""
    committee, township = _committee(actor, committee_id)
    listed_on = _day(listed_on, "listed_on", "摸排日期")
    entry_in = clean_entry(data)
    return _add(actor, committee, township, {k: data.get(k) for k in PERSON_KEYS}, entry_in,
                listed_on)


FIELD_HEADERS = {"name": "姓名", "id_number": "身份证号码", "phone": "本人电话",
                 "birth_date": "身份证号码", "sex": "身份证号码", "address": "住址",
                 "living": "居住情况", "illness": "主要疾病", "needs": "服务需求",
                 "disability_note": "残疾类别/等级", "needs_note": "需求说明",
                 "guardian_name": "监护人", "guardian_relation": "监护人关系",
                 "guardian_phone": "监护人电话", "contact_name": "紧急联系人",
                 "contact_relation": "联系人关系", "contact_phone": "联系人电话",
                 "listed_on": "摸排日期", "committee": "村（居）委会"}


def check_rows(actor: Actor, rows: Sequence[tuple[int, dict[str, Any]]]
               ) -> list[tuple[int, str, str]]:
    """Every problem of an import as (row, column, reason), Chinese; an empty list means the
    file can be imported. ID numbers already registered are found in one query."""
    by_name = {c.name: c for c in committees(actor)}
    by_short = {c.short_name: c for c in by_name.values() if c.short_name}
    problems: list[tuple[int, str, str]] = []
    indexes: dict[str, int] = {}
    today = timezone.localdate()
    for row, data in rows:
        name = data.get("committee") or ""
        if name and name not in by_name and name not in by_short:
            problems.append((row, "村（居）委会", f"“{name}”不是本单位或所辖的村（居）委会"))
        try:
            ident = resident_services.clean_identity({k: data.get(k) for k in PERSON_KEYS},
                                                     today=today)
            clean_entry(data)
            _day(data.get("listed_on"), "listed_on", "摸排日期")
        except ValidationFailed as exc:
            problems.append((row, FIELD_HEADERS.get(exc.field or "", ""), exc.message))
            continue
        index = Person._meta.get_field("id_number_index").index_of(ident["id_number"])
        indexes[index] = row
    for index in Person.objects.filter(id_number_index__in=list(indexes)).values_list(
            "id_number_index", flat=True):
        problems.append((indexes[index], "身份证号码",
                         "该证件号码已在系统中建档（本台账或养老机构），不能重复导入"))
    return sorted(problems)


@durable
def import_entries(*, actor: Actor, rows: Sequence[tuple[int, dict[str, Any]]]
                   ) -> list[LedgerEntry]:
    """Many people at once, all or none; `rows` are (row number, values) read by
    `workbook.parse`. Refused with every problem listed when any row is wrong."""
    require(actor, Perm.KEEP_LEDGER)
    problems = check_rows(actor, rows)
    if problems:
        raise ValidationFailed("rows_invalid", "；".join(
            f"第 {r} 行 {c}：{m}" for r, c, m in problems[:20]))
    by_name = {c.name: c for c in committees(actor)}
    by_name.update({c.short_name: c for c in list(by_name.values()) if c.short_name})
    made = []
    for _row, data in rows:
        target = by_name.get(data.get("committee") or "")
        committee, township = _committee(actor, target.pk if target else None)
        made.append(_add(actor, committee, township, {k: data.get(k) for k in PERSON_KEYS},
                         clean_entry(data), _day(data.get("listed_on"), "listed_on", "摸排日期")))
    audit.record(actor, "community.entry.import", None, object_org_id=actor.org_id,
                 object_type="community.ledgerentry", object_repr=f"导入 {len(made)} 人",
                 changes={"rows": len(made)})
    return made


def _entry(actor: Actor, entry_id: int) -> LedgerEntry:
    entry = get_visible_or_404(LedgerEntry.objects.select_related("person", "org"), actor,
                               Action.CHANGE, pk=entry_id)
    require(actor, Perm.KEEP_LEDGER)
    return entry


def _shown(entry: LedgerEntry, name: str, value: Any) -> Any:
    if name in SECRET:
        return "已修改"
    if name == "living":
        return rules.Living(value).label if value else ""
    if name == "needs":
        return "、".join(rules.Need(n).label for n in value) or "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _label(name: str) -> str:
    if name in PERSON_EDITABLE:
        return str(Person._meta.get_field(name).verbose_name)
    return str(LedgerEntry._meta.get_field(name).verbose_name)


@durable
def update_entry(*, actor: Actor, entry_id: int, version: int | None,
                 effective_on: date | None = None, note: str = "", **data: Any) -> LedgerEntry:
    """A dated change: the entry takes the new values, the old ones stay in `LedgerChange`."""
    entry = _entry(actor, entry_id)
    if entry.status != LedgerEntry.Status.ACTIVE:
        raise ValidationFailed("ended", "该台账已销册，不能再修改")
    effective_on = _day(effective_on, "effective_on", "变更日期")
    if effective_on < entry.listed_on:
        raise ValidationFailed("before_listed", "变更日期不能早于建册日期", field="effective_on")
    merged = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    merged.update({k: v for k, v in data.items() if k in ENTRY_FIELDS})
    new = clean_entry(merged)
    person = entry.person
    person_new: dict[str, Any] = {}
    if person.org_id == entry.org_id:  # still kept by the committee, not by a home
        if "phone" in data:
            person_new["phone"] = clean_mobile(data.get("phone"))
        if "address" in data:
            person_new["address"] = clean_text(data.get("address"), field="address",
                                               label="住址", max_length=200, required=False)
    shown: dict[str, list[Any]] = {}
    for name, value in new.items():
        if getattr(entry, name) != value:
            shown[_label(name)] = [_shown(entry, name, getattr(entry, name)),
                                   _shown(entry, name, value)]
    for name, value in person_new.items():
        if getattr(person, name) != value:
            shown[_label(name)] = [_shown(entry, name, getattr(person, name)),
                                   _shown(entry, name, value)]
    if not shown:
        raise ValidationFailed("no_change", "没有需要保存的变更")
    before = audit.snapshot(entry)
    bump(entry, version)
    for name, value in new.items():
        setattr(entry, name, value)
    entry.changed_on = max(entry.changed_on, effective_on)
    entry.save()
    if person_new:
        p_before = audit.snapshot(person, person_new.keys())
        for name, value in person_new.items():
            setattr(person, name, value)
        person.save()
        audit.record(actor, "residents.person.update", person,
                     changes=audit.diff(p_before, audit.snapshot(person, person_new.keys())))
    LedgerChange.objects.create(
        entry=entry, region_code=entry.region_code, effective_on=effective_on, changes=shown,
        note=clean_text(note, field="note", label="说明", max_length=200, required=False),
        recorded_by=_who(actor))
    ensure_visible(entry, actor)
    audit.record(actor, "community.entry.update", entry,
                 changes=audit.diff(before, audit.snapshot(entry)))
    return entry


@durable
def end_entry(*, actor: Actor, entry_id: int, version: int | None, ended_on: date | None,
              reason: str, note: str = "") -> LedgerEntry:
    """销册: moved away, died, other. The entry and its history stay."""
    entry = _entry(actor, entry_id)
    if entry.status != LedgerEntry.Status.ACTIVE:
        raise ValidationFailed("ended", "该台账已销册")
    if reason not in LedgerEntry.EndReason.values:
        raise ValidationFailed("invalid_choice", "请选择销册原因", field="reason")
    ended_on = _day(ended_on, "ended_on", "销册日期")
    bump(entry, version)
    entry.status, entry.ended_on, entry.end_reason = LedgerEntry.Status.ENDED, ended_on, reason
    entry.changed_on = ended_on
    entry.save()
    LedgerChange.objects.create(
        entry=entry, region_code=entry.region_code, effective_on=ended_on, kind="end",
        changes={"状态": ["在册", f"已销册（{entry.get_end_reason_display()}）"]},
        note=clean_text(note, field="note", label="说明", max_length=200, required=False),
        recorded_by=_who(actor))
    audit.record(actor, "community.entry.end", entry,
                 changes={"status": ["active", "ended"], "end_reason": ["", reason]})
    return entry


# ---- visits ----------------------------------------------------------------------------

@durable
def record_visit(*, actor: Actor, entry_id: int, visited_on: date | None, visitor: str,
                 findings: str, method: str = CommunityVisit.Method.HOME,
                 arrangements: str = "", needs_follow_up: bool = False) -> CommunityVisit:
    entry = _entry(actor, entry_id)
    visited_on = _day(visited_on, "visited_on", "巡访日期")
    if visited_on < entry.listed_on:
        raise ValidationFailed("before_listed", "巡访日期不能早于建册日期", field="visited_on")
    if method not in CommunityVisit.Method.values:
        raise ValidationFailed("invalid_choice", "请选择巡访方式", field="method")
    visit = CommunityVisit.objects.create(
        entry=entry, region_code=entry.region_code, visited_on=visited_on, method=method,
        visitor=clean_text(visitor, field="visitor", label="巡访人", max_length=50),
        findings=clean_text(findings, field="findings", label="发现情况", max_length=2000),
        arrangements=clean_text(arrangements, field="arrangements", label="帮扶安排",
                                max_length=2000, required=False),
        needs_follow_up=bool(needs_follow_up), recorded_by=_who(actor))
    audit.record(actor, "community.visit.record", visit, changes=audit.created(visit))
    return visit


# ---- home services ---------------------------------------------------------------------

@durable
def request_service(*, actor: Actor, entry_id: int, kind: str, detail: str, provider: str,
                    requested_on: date | None = None) -> HomeServiceRequest:
    entry = _entry(actor, entry_id)
    if entry.status != LedgerEntry.Status.ACTIVE:
        raise ValidationFailed("ended", "该台账已销册")
    if kind not in rules.ServiceKind.__members__.values():
        raise ValidationFailed("invalid_choice", "请选择服务项目", field="kind")
    request = HomeServiceRequest.objects.create(
        entry=entry, region_code=entry.region_code, kind=kind,
        requested_on=_day(requested_on, "requested_on", "申请日期"),
        detail=clean_text(detail, field="detail", label="服务内容", max_length=200),
        provider=clean_text(provider, field="provider", label="服务组织", max_length=100),
        recorded_by=_who(actor))
    audit.record(actor, "community.service.request", request, changes=audit.created(request))
    return request


@durable
def record_delivery(*, actor: Actor, request_id: int, version: int | None,
                    delivered_on: date | None, worker: str, note: str = "",
                    close: bool = False) -> HomeServiceDelivery:
    """One delivery of a requested service; `close` marks the request done."""
    request = get_visible_or_404(HomeServiceRequest, actor, Action.CHANGE, pk=request_id)
    require(actor, Perm.KEEP_LEDGER)
    if request.status != HomeServiceRequest.Status.OPEN:
        raise ValidationFailed("closed", "该服务申请已结束")
    delivered_on = _day(delivered_on, "delivered_on", "服务日期")
    if delivered_on < request.requested_on:
        raise ValidationFailed("before_request", "服务日期不能早于申请日期",
                               field="delivered_on")
    bump(request, version)
    delivery = HomeServiceDelivery.objects.create(
        request=request, region_code=request.region_code, delivered_on=delivered_on,
        worker=clean_text(worker, field="worker", label="服务人员", max_length=50),
        note=clean_text(note, field="note", label="服务记录", max_length=200, required=False),
        recorded_by=_who(actor))
    if close:
        request.status, request.closed_on = HomeServiceRequest.Status.CLOSED, delivered_on
        request.save(update_fields=["status", "closed_on", "updated_at"])
    audit.record(actor, "community.service.deliver", request,
                 changes={"delivered_on": [None, delivered_on.isoformat()],
                          **({"status": ["open", "closed"]} if close else {})})
    return delivery


# ---- family doctors --------------------------------------------------------------------

def institutions_for(township: CommunityOrg) -> Iterable[MedicalInstitution]:
    """Medical institutions of the township's county a contract may name."""
    return MedicalInstitution.objects.filter(region_code__startswith=township.region_code[:6],
                                             is_active=True).order_by("name")


@durable
def sign_contract(*, actor: Actor, entry_id: int, institution_id: int, team: str, doctor: str,
                  package: str, start_on: date, end_on: date) -> FamilyDoctorContract:
    entry = _entry(actor, entry_id)
    if entry.status != LedgerEntry.Status.ACTIVE:
        raise ValidationFailed("ended", "该台账已销册")
    institution = institutions_for(entry.township).filter(pk=institution_id).first()
    if institution is None:
        raise ValidationFailed("unknown_institution", "请选择本县的基层医疗卫生机构",
                               field="institution_id")
    if package not in FamilyDoctorContract.Package.values:
        raise ValidationFailed("invalid_choice", "请选择服务包", field="package")
    if not isinstance(start_on, date) or not isinstance(end_on, date):
        raise ValidationFailed("required", "请填写签约起止日期", field="start_on")
    if end_on < start_on:
        raise ValidationFailed("end_before_start", "签约截止日期不能早于开始日期",
                               field="end_on")
    overlapping = [c for c in FamilyDoctorContract.objects.filter(entry=entry,
                                                                  terminated_on__isnull=True)
                   if c.start_on <= end_on and start_on <= c.end_on]
    if overlapping:
        raise ValidationFailed("overlap", "该老人在这段时间已有家庭医生签约", field="start_on")
    contract = FamilyDoctorContract.objects.create(
        entry=entry, region_code=entry.region_code, institution=institution,
        team=clean_text(team, field="team", label="家庭医生团队", max_length=60),
        doctor=clean_text(doctor, field="doctor", label="责任医生", max_length=50),
        package=package, start_on=start_on, end_on=end_on, recorded_by=_who(actor))
    audit.record(actor, "community.contract.sign", contract, changes=audit.created(contract))
    return contract


@durable
def record_doctor_visit(*, actor: Actor, contract_id: int, visited_on: date | None,
                        doctor: str, content: str) -> DoctorHomeVisit:
    contract = get_visible_or_404(FamilyDoctorContract, actor, Action.CHANGE, pk=contract_id)
    require(actor, Perm.KEEP_LEDGER)
    visited_on = _day(visited_on, "visited_on", "上门日期")
    if not contract.in_force(visited_on):
        raise ValidationFailed("not_in_force", "上门日期不在签约有效期内", field="visited_on")
    visit = DoctorHomeVisit.objects.create(
        contract=contract, region_code=contract.region_code, visited_on=visited_on,
        doctor=clean_text(doctor, field="doctor", label="上门医生", max_length=50),
        content=clean_text(content, field="content", label="服务内容", max_length=200),
        recorded_by=_who(actor))
    audit.record(actor, "community.contract.home_visit", visit, changes=audit.created(visit))
    return visit


# ---- outbreak switch -------------------------------------------------------------------

@durable
def set_outbreak_mode(*, actor: Actor, active: bool, note: str = "") -> OutbreakMode:
    """Switch the organisation's outbreak help on or off."""
    require(actor, Perm.KEEP_LEDGER)
    if actor.org_kind != OrgKind.COMMUNITY:
        raise NotFound()
    org = CommunityOrg.objects.get(pk=actor.org_id)
    mode, _ = OutbreakMode.objects.get_or_create(
        org=org, defaults={"region_code": org.region_code, "changed_by": _who(actor)})
    before = mode.active
    mode.active = bool(active)
    mode.since = timezone.localdate() if active else None
    mode.note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    mode.changed_by = _who(actor)
    mode.save()
    audit.record(actor, "community.outbreak.switch", mode,
                 changes={"active": [before, mode.active]})
    return mode
