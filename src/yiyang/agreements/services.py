"""Writes of agreements: draft, the lifecycle actions of both sides, the fee memo account,
referrals and services delivered (patrol visits: `patrol_services`; family beds:
`family_bed_services`).

Every function checks the permission and the row scope, validates with the pure rules, writes
in one durable transaction, records the timeline event and the audit row (DESIGN "Services").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404, system_actor
from yiyang.core.validators import clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import MedicalInstitution, NursingHome
from yiyang.residents import services as resident_services
from yiyang.residents.models import OPEN_STATUSES, Stay
from yiyang.residents.rules import StayEvent

from . import catalogue, rules
from .models import Agreement, AgreementEvent, FeeEntry, Referral, ServiceRecord
from .rules import AgreementAction, AgreementState, ReferralAction, ReferralKind

durable = transaction.atomic(durable=True)

# Applied by the dates (`rules.status_on` / the nightly clock), never by a user.
CLOCK_ACTIONS = frozenset({AgreementAction.ACTIVATE, AgreementAction.WARN,
                           AgreementAction.EXPIRE})
# Made public: on the public page, and patrol visits may be recorded (within the term).
PUBLISHED_STATES = frozenset({AgreementState.PUBLISHED, AgreementState.ACTIVE,
                              AgreementState.EXPIRING, AgreementState.RENEWED,
                              AgreementState.EXPIRED, AgreementState.TERMINATED})
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def side_of(actor: Actor, agreement: Agreement) -> str | None:
    """"home", "medical" or None: which party the actor acts for."""
    if actor.org_kind == OrgKind.HOME and actor.org_id == agreement.home_id:
        return "home"
    if actor.org_kind == OrgKind.MEDICAL and actor.org_id == agreement.medical_id:
        return "medical"
    return None


def user_actions(actor: Actor, agreement: Agreement) -> list[AgreementAction]:
    """The actions the actor may take now, in table order (the buttons of the detail page)."""
    side = side_of(actor, agreement)
    if side is None or not actor.can(Perm.MANAGE_AGREEMENTS):
        return []
    allowed = rules.allowed_actions(agreement.state)
    out = []
    for act in AgreementAction:
        if act not in allowed or act in CLOCK_ACTIONS:
            continue
        if act is AgreementAction.CONFIRM_HOME and side != "home":
            continue
        if act is AgreementAction.CONFIRM_MEDICAL and side != "medical":
            continue
        out.append(act)
    return out


def _problems(**terms: object) -> None:
    problems = rules.agreement_problems(**terms)  # type: ignore[arg-type]
    if problems:
        raise ValidationFailed("incomplete_agreement", "；".join(problems))


def _ints(values: Iterable[object]) -> list[int]:
    try:
        return [int(v) for v in values]  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("invalid_items", "服务项目编号无效", field="items") from exc


def _event(actor: Actor, agreement: Agreement, action: str, before: str,
           reason: str = "") -> AgreementEvent:
    return AgreementEvent.objects.create(
        agreement=agreement, home_id=agreement.home_id, region_code=agreement.region_code,
        action=action, from_state=before, to_state=agreement.state,
        actor_name=actor.display_name or actor.username, actor_org=actor.org_name,
        reason=reason)


@durable
def create_draft(*, actor: Actor, counterpart_id: int, items: Iterable[object],
                 modes: Iterable[str], start_on: date, end_on: date, home_duties: str,
                 medical_duties: str, fee: Decimal | int | str,
                 fee_factors: Iterable[str] = (),
                 patrol_interval_days: int | None = None) -> Agreement:
    """A draft between the actor's organisation and `counterpart_id` (the other party)."""
    require(actor, Perm.MANAGE_AGREEMENTS)
    if actor.org_kind == OrgKind.HOME:
        home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=actor.org_id)
        medical = MedicalInstitution.objects.filter(pk=counterpart_id, is_active=True).first()
        if medical is None:
            raise ValidationFailed("invalid_counterpart", "请选择签约的医疗卫生机构",
                                   field="counterpart_id")
    elif actor.org_kind == OrgKind.MEDICAL:
        medical = MedicalInstitution.objects.get(pk=actor.org_id)
        home = NursingHome.objects.filter(pk=counterpart_id, is_active=True).first()
        if home is None:
            raise ValidationFailed("invalid_counterpart", "请选择签约的养老服务机构",
                                   field="counterpart_id")
    else:
        raise Forbidden("签约协议由养老服务机构或医疗卫生机构起草")
    item_numbers = _ints(items)
    mode_codes, factor_codes = list(modes), list(fee_factors)
    home_text = clean_text(home_duties, field="home_duties", label="养老服务机构责任",
                           max_length=4000)
    medical_text = clean_text(medical_duties, field="medical_duties", label="医疗卫生机构责任",
                              max_length=4000)
    _problems(items=item_numbers, modes=mode_codes, start=start_on, end=end_on,
              home_duties=home_text, medical_duties=medical_text, fee=fee,
              fee_factors=factor_codes, patrol_interval_days=patrol_interval_days)
    agreement = Agreement.objects.create(
        home=home, medical=medical, region_code=home.region_code,
        items=list(catalogue.check_items(item_numbers)),
        modes=[m.value for m in catalogue.check_modes(mode_codes)],
        start_on=start_on, end_on=end_on, home_duties=home_text, medical_duties=medical_text,
        fee=Decimal(str(fee)),
        fee_factors=[f.value for f in catalogue.check_fee_factors(factor_codes)],
        patrol_interval_days=patrol_interval_days, created_by=actor.username)
    ensure_visible(agreement, actor)
    _event(actor, agreement, "create", "")
    audit.record(actor, "agreements.create", agreement, changes=audit.created(agreement))
    return agreement


def _document(document: UploadedFile | None) -> UploadedFile | None:
    if document is None:
        return None
    if document.size and document.size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed("too_large", "协议文本不能超过 20 MB", field="document")
    if not (document.name or "").lower().endswith(_DOCUMENT_TYPES):
        raise ValidationFailed("bad_type", "协议文本应为 PDF 或图片（JPG、PNG）",
                               field="document")
    return document


@durable
def act(*, actor: Actor, agreement_id: int, action: str, version: int,
        reason: str | None = None, document: UploadedFile | None = None,
        today: date | None = None) -> Agreement:
    """Apply one lifecycle action (`rules.transition`) for the actor's side of the agreement."""
    agreement = get_visible_or_404(Agreement.objects.select_related("home", "medical"), actor,
                                   Action.CHANGE, pk=agreement_id)
    require(actor, Perm.MANAGE_AGREEMENTS)
    side = side_of(actor, agreement)
    if side is None:
        raise NotFound()
    try:
        act_ = AgreementAction(action)
    except ValueError as exc:
        raise ValidationFailed("invalid_action", "未知的协议操作", field="action") from exc
    if act_ in CLOCK_ACTIONS:
        raise ValidationFailed("clock_action", "生效、到期提醒和到期由系统按合作期限自动处理")
    if act_ is AgreementAction.CONFIRM_HOME and side != "home":
        raise Forbidden("只有养老服务机构可以确认本方意见")
    if act_ is AgreementAction.CONFIRM_MEDICAL and side != "medical":
        raise Forbidden("只有医疗卫生机构可以确认本方意见")
    if act_ in (AgreementAction.CONFIRM_HOME, AgreementAction.CONFIRM_MEDICAL):
        _problems(items=agreement.items, modes=agreement.modes, start=agreement.start_on,
                  end=agreement.end_on, home_duties=agreement.home_duties,
                  medical_duties=agreement.medical_duties, fee=agreement.fee,
                  fee_factors=agreement.fee_factors,
                  patrol_interval_days=agreement.patrol_interval_days)
    document = _document(document)
    note = (reason or "").strip()
    try:
        new_state = rules.transition(
            agreement.state, act_, reason=note or None,
            signed_document=bool(document or agreement.signed_document))
    except ValueError as exc:
        raise ValidationFailed("invalid_transition", str(exc)) from exc
    day = today or timezone.localdate()
    before = audit.snapshot(agreement)
    bump(agreement, version)
    old_state = agreement.state
    agreement.state = new_state
    if document is not None:
        agreement.signed_document.save(document.name, document, save=False)
    if act_ is AgreementAction.PUBLISH:
        agreement.published_on = day
    if act_ in (AgreementAction.TERMINATE, AgreementAction.WITHDRAW):
        agreement.termination_reason = note[:300]
    if act_ is AgreementAction.TERMINATE:
        agreement.terminated_on = day
    agreement.save()
    ensure_visible(agreement, actor, Action.CHANGE)
    _event(actor, agreement, act_.value, old_state, note[:300])
    audit.record(actor, "agreements.act", agreement,
                 changes={"action": [None, act_.value],
                          **audit.diff(before, audit.snapshot(agreement))})
    return agreement


def catch_up(*, today: date | None = None) -> int:
    """The nightly clock: move stored states forward to what the dates say (activate, warn,
    expire; `rules.due_actions`), one timeline event and audit row per step.  Access never waits
    for this (`rules.is_access_active` reads the dates); the stored state is for lists and
    reports.  Returns the number of steps applied."""
    day = today or timezone.localdate()
    steps = 0
    candidates = Agreement.objects.filter(
        state__in=(AgreementState.PUBLISHED, AgreementState.ACTIVE, AgreementState.EXPIRING))
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            actor = system_actor(agreement.home_id, OrgKind.HOME, agreement.region_code)
            for act_ in rules.due_actions(agreement.state, day, start=agreement.start_on,
                                          end=agreement.end_on):
                before = agreement.state
                agreement.state = rules.transition(before, act_)
                agreement.version += 1
                agreement.save(update_fields=["state", "version", "updated_at"])
                _event(actor, agreement, act_.value, before)
                audit.record(actor, "agreements.act", agreement,
                             changes={"action": [None, act_.value],
                                      "state": [before, agreement.state]})
                steps += 1
    return steps


def fee_balance(entries: Iterable[tuple[str, Decimal]]) -> Decimal:
    """Receipts less uses, from (kind, amount) pairs."""
    total = Decimal("0")
    for kind, amount in entries:
        total += amount if kind == FeeEntry.Kind.RECEIPT else -amount
    return total


@durable
def record_fee(*, actor: Actor, agreement_id: int, kind: str, entry_on: date,
               amount: Decimal, note: str) -> FeeEntry:
    """One line of the medical side's memo account (单列备查账): a receipt or a use."""
    agreement = get_visible_or_404(Agreement, actor, Action.CHANGE, pk=agreement_id)
    require(actor, Perm.MANAGE_AGREEMENTS)
    if side_of(actor, agreement) != "medical":
        raise Forbidden("合作经费由医疗卫生机构单列备查账管理")
    if agreement.state not in PUBLISHED_STATES:
        raise ValidationFailed("not_in_force", "协议尚未公开生效，不能记账")
    if kind not in FeeEntry.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择收到经费或经费使用", field="kind")
    if entry_on > timezone.localdate():
        raise ValidationFailed("future_date", "记账日期不能晚于今天", field="entry_on")
    amount = Decimal(str(amount))
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("invalid_amount", "金额应大于 0，最多两位小数", field="amount")
    if kind == FeeEntry.Kind.USE:
        # Lock the agreement so two uses cannot both spend the same balance.
        Agreement.objects.select_for_update().filter(pk=agreement.pk).exists()
        rows = FeeEntry.objects.filter(agreement=agreement).values_list("kind", "amount")
        if fee_balance(rows) < amount:
            raise ValidationFailed("overdrawn", "经费使用不能超过已收到经费的余额",
                                   field="amount")
    entry = FeeEntry.objects.create(
        agreement=agreement, medical_id=agreement.medical_id, region_code=agreement.region_code,
        kind=kind, entry_on=entry_on, amount=amount,
        note=clean_text(note, field="note", label="摘要", max_length=200),
        recorded_by=actor.display_name or actor.username)
    ensure_visible(entry, actor, Action.CHANGE)
    audit.record(actor, "agreements.fee", entry, changes=audit.created(entry))
    return entry


# ---- referrals (双向转诊, 急诊急救绿色通道) ---------------------------------------------------

# Who sends the resident for each kind: up and green channel go from the home to the hospital.
_REQUESTER = {ReferralKind.UP: "home", ReferralKind.GREEN_CHANNEL: "home",
              ReferralKind.DOWN: "medical"}
_REFERRAL_PERM = {"home": Perm.EDIT_HEALTH_RECORDS, "medical": Perm.RECORD_PATROL}


def _history(referral: Referral, actor: Actor, action: str, note: str = "") -> None:
    referral.history = [*referral.history, {
        "at": timezone.now().isoformat(timespec="seconds"), "action": action,
        "state": referral.state, "by": actor.display_name or actor.username,
        "org": actor.org_name, "note": note}]


def referral_kinds(actor: Actor, agreement: Agreement) -> list[ReferralKind]:
    """The kinds of referral the actor's side may request now (the request form's choices)."""
    side = side_of(actor, agreement)
    if side is None or not actor.can(_REFERRAL_PERM[side]):
        return []
    if not rules.is_access_active(timezone.localdate(), start=agreement.start_on,
                                  end=agreement.end_on, state=agreement.state,
                                  terminated_on=agreement.terminated_on):
        return []
    out = []
    for kind in ReferralKind:
        if _REQUESTER[kind] != side:
            continue
        try:
            rules.check_referral_kind(kind, agreement.modes)
        except ValueError:
            continue
        out.append(kind)
    return out


@durable
def request_referral(*, actor: Actor, agreement_id: int, person_id: int, kind: str,
                     reason: str) -> Referral:
    """A referral request from the sending side, for a resident of the home in an open stay."""
    agreement = get_visible_or_404(Agreement, actor, Action.CHANGE, pk=agreement_id)
    side = side_of(actor, agreement)
    if side is None:
        raise NotFound()
    require(actor, _REFERRAL_PERM[side])
    try:
        kind_ = rules.check_referral_kind(kind, agreement.modes)
    except ValueError as exc:
        raise ValidationFailed("invalid_kind", str(exc), field="kind") from exc
    if _REQUESTER[kind_] != side:
        sender = "养老服务机构" if _REQUESTER[kind_] == "home" else "医疗卫生机构"
        raise Forbidden(f"{kind_.label}由{sender}发起")
    today = timezone.localdate()
    if not rules.is_access_active(today, start=agreement.start_on, end=agreement.end_on,
                                  state=agreement.state, terminated_on=agreement.terminated_on):
        raise ValidationFailed("not_in_force", "协议不在有效期内，不能转诊")
    if not Stay.objects.filter(person_id=person_id, home_id=agreement.home_id,
                               status__in=OPEN_STATUSES).exists():
        raise ValidationFailed("not_resident", "该老人不在签约养老机构入住", field="person_id")
    referral = Referral(
        agreement=agreement, home_id=agreement.home_id, region_code=agreement.region_code,
        person_id=person_id, kind=kind_.value,
        reason=clean_text(reason, field="reason", label="转诊原因", max_length=300),
        requested_at=timezone.now(), requested_by=actor.display_name or actor.username,
        requested_side=side)
    _history(referral, actor, "request")
    referral.save()
    ensure_visible(referral, actor, Action.CHANGE)
    audit.record(actor, "agreements.referral.request", referral,
                 changes=audit.created(referral))
    return referral


def referral_actions(actor: Actor, referral: Referral) -> list[ReferralAction]:
    """Actions the actor's side may take now (accept/decline: the receiving side; cancel: the
    requesting side; the rest: either party)."""
    side = side_of(actor, referral.agreement)
    if side is None or not actor.can(_REFERRAL_PERM[side]):
        return []
    allowed = rules.allowed_referral_actions(referral.state)
    out = []
    for act_ in ReferralAction:
        if act_ not in allowed:
            continue
        if act_ in (ReferralAction.ACCEPT, ReferralAction.DECLINE) and \
                side == referral.requested_side:
            continue
        if act_ is ReferralAction.CANCEL and side != referral.requested_side:
            continue
        out.append(act_)
    return out


# The step of a referral that moves the resident out of the home or back (issue 8 item 4: "the
# resident's stay shows the hospital transfer and return"): up and green channel leave for the
# hospital on transfer and come back on return; a down-referral comes back on admission.
_STAY_MOVES = {
    (ReferralKind.UP, ReferralAction.TRANSFER): StayEvent.HOSPITAL_TRANSFER,
    (ReferralKind.GREEN_CHANNEL, ReferralAction.TRANSFER): StayEvent.HOSPITAL_TRANSFER,
    (ReferralKind.UP, ReferralAction.RETURN): StayEvent.RETURN_FROM_HOSPITAL,
    (ReferralKind.GREEN_CHANNEL, ReferralAction.RETURN): StayEvent.RETURN_FROM_HOSPITAL,
    (ReferralKind.DOWN, ReferralAction.ADMIT): StayEvent.RETURN_FROM_HOSPITAL,
}


def _move_stay(actor: Actor, referral: Referral, act_: ReferralAction) -> str | None:
    """Record the hospital transfer or return on the resident's stay; the history note says
    what happened to the stay (None when the step does not move the resident)."""
    event = _STAY_MOVES.get((ReferralKind(referral.kind), act_))
    if event is None:
        return None
    medical_name = referral.agreement.medical.name
    stay = resident_services.record_hospital_move(
        actor=actor, person_id=referral.person_id, home_id=referral.home_id, event=event,
        destination=medical_name, note=f"{ReferralKind(referral.kind).label} #{referral.pk}")
    if stay is None:
        return "（入住记录状态未变：已由养老机构登记或老人已离院）"
    return f"（入住记录：{event.label}）"


@durable
def act_referral(*, actor: Actor, referral_id: int, action: str, version: int,
                 reason: str | None = None, summary: str | None = None) -> Referral:
    """One step of a referral (`rules.referral_transition`: no state can be skipped)."""
    referral = get_visible_or_404(Referral.objects.select_related("agreement__medical"), actor,
                                  Action.CHANGE, pk=referral_id)
    side = side_of(actor, referral.agreement)
    if side is None:
        raise NotFound()
    require(actor, _REFERRAL_PERM[side])
    try:
        act_ = ReferralAction(action)
    except ValueError as exc:
        raise ValidationFailed("invalid_action", "未知的转诊操作", field="action") from exc
    if act_ not in referral_actions(actor, referral) and \
            act_ in rules.allowed_referral_actions(referral.state):
        raise Forbidden("该操作应由对方机构办理")
    try:
        new_state = rules.referral_transition(referral.state, act_, reason=reason,
                                              summary=summary)
    except ValueError as exc:
        raise ValidationFailed("invalid_transition", str(exc)) from exc
    before = audit.snapshot(referral)
    bump(referral, version)
    referral.state = new_state
    note = (reason or "").strip()[:300]
    if act_ in (ReferralAction.DECLINE, ReferralAction.CANCEL, ReferralAction.CLOSE):
        referral.response_note = note
    if act_ is ReferralAction.RETURN:
        referral.summary = (summary or "").strip()
    moved = _move_stay(actor, referral, act_)
    _history(referral, actor, act_.value, note if moved is None else f"{note} {moved}".strip())
    referral.save()
    ensure_visible(referral, actor, Action.CHANGE)
    changes = audit.diff(before, audit.snapshot(referral))
    changes.pop("history", None)
    audit.record(actor, "agreements.referral.act", referral,
                 changes={"action": [None, act_.value], **changes})
    return referral


@durable
def record_service(*, actor: Actor, agreement_id: int, kind: str, delivered_on: date,
                   topic: str, people: int = 0) -> ServiceRecord:
    """A service delivered under the agreement by the medical side; the item must be agreed."""
    agreement = get_visible_or_404(Agreement, actor, Action.CHANGE, pk=agreement_id)
    require(actor, Perm.RECORD_PATROL)
    if side_of(actor, agreement) != "medical":
        raise Forbidden("协议服务由签约的医疗卫生机构登记")
    if kind not in ServiceRecord.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择服务类型", field="kind")
    number = ServiceRecord.ITEM_OF_KIND[kind]
    if number not in agreement.items:
        item = catalogue.item(number)
        raise ValidationFailed("item_not_agreed",
                               f"协议未约定第 {number} 项（{item.category}），不能登记",
                               field="kind")
    if not rules.is_access_active(delivered_on, start=agreement.start_on, end=agreement.end_on,
                                  state=agreement.state, terminated_on=agreement.terminated_on):
        raise ValidationFailed("outside_term", "服务日期不在协议有效期内", field="delivered_on")
    if delivered_on > timezone.localdate():
        raise ValidationFailed("future_date", "服务日期不能晚于今天", field="delivered_on")
    if people < 0:
        raise ValidationFailed("negative", "服务人数不能为负数", field="people")
    record = ServiceRecord.objects.create(
        agreement=agreement, home_id=agreement.home_id, region_code=agreement.region_code,
        kind=kind, delivered_on=delivered_on, people=people,
        topic=clean_text(topic, field="topic", label="内容", max_length=300),
        recorded_by=actor.display_name or actor.username)
    ensure_visible(record, actor, Action.CHANGE)
    audit.record(actor, "agreements.service", record, changes=audit.created(record))
    return record
