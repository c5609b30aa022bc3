"""Agreement rules (pure Python, no Django): lifecycle, term and access, patrols, referrals.

Sources: REFERENCE §3 (国卫办老龄发〔2020〕23号 as restated by 浙卫发〔2022〕11号, seed 003).  The
seed fixes *what* an agreement states (§3.2) but no term, warning period, patrol frequency or
referral response time: those are parameters here, with defaults marked as our choice.

Lifecycle (one agreement record; ``TRANSITIONS`` below is the whole table):

    draft ─confirm_home─▶ confirmed_by_home ─confirm_medical─▶ confirmed ─sign─▶ signed
      └──confirm_medical─▶ confirmed_by_medical ─confirm_home──▶   (revise: back to draft)
    signed ─publish─▶ published ─activate─▶ active ─warn─▶ expiring ─expire─▶ expired
    active|expiring ─renew─▶ renewed
    published|active|expiring|renewed ─terminate─▶ terminated
    draft … signed ─withdraw─▶ withdrawn

* Both sides confirm the same text, in either order; any change after a confirmation sends it
  back to draft (``revise``), so a confirmation always refers to the text being signed.
* ``sign`` needs the signed document (the seed asks for a written agreement, 书面协议);
  ``publish`` records that it was made public (向社会公开, REFERENCE §3.2).
* ``renewed`` means a successor agreement has been signed; this record still runs to its own
  end date (the successor carries on from its own start date), so a doctor keeps access in
  between.  Its only way out is ``terminate``.
* Ending an agreement needs a reason: ``terminate`` (published or later) and ``withdraw``
  (abandoning it before it was ever published).  Terminal: expired, terminated, withdrawn.

Dates move the stored state forward: :func:`status_on` works out the effective state on any day
from the term (the nightly clock only catches the stored state up, :func:`due_actions`), so
access never depends on a task having run.  They never revive an ended agreement: stored
expired, terminated (from its date) and withdrawn stay so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from yiyang.agreements.catalogue import (
    CooperationMode,
    check_fee_factors,
    check_items,
    check_modes,
)

__all__ = [
    "ACCESS_STATES",
    "DEFAULT_WARN_DAYS",
    "MAX_PATROL_INTERVAL_DAYS",
    "REFERRAL_TRANSITIONS",
    "RESPONSE_LIMITS",
    "TERMINAL_REFERRAL_STATES",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "AgreementAction",
    "AgreementState",
    "InvalidTransition",
    "PatrolSlot",
    "PatrolState",
    "ReferralAction",
    "ReferralKind",
    "ReferralState",
    "agreement_problems",
    "allowed_actions",
    "allowed_referral_actions",
    "check_grace_days",
    "check_patrol_interval",
    "check_referral_kind",
    "check_term",
    "default_grace_days",
    "due_actions",
    "is_access_active",
    "is_terminal",
    "missed_visits",
    "patrol_due_dates",
    "patrol_slots",
    "referral_transition",
    "renewal_gap_days",
    "response_due",
    "response_overdue",
    "status_on",
    "transition",
    "warning_from",
]

# Our choice (no national number, REFERENCE §3.2/§7): warn this many days before the end.  The
# settings module may pass another value (e.g. ``AGREEMENT_WARN_DAYS``); 0 warns on the end day.
DEFAULT_WARN_DAYS = 30
MAX_WARN_DAYS = 365
MAX_PATROL_INTERVAL_DAYS = 365

_E = TypeVar("_E", bound=StrEnum)


def _check_date(value: object, name: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} 必须是日期（date）：{value!r}")
    return value


def _check_text(value: object) -> str | None:
    """A non-blank string, stripped, or ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"应为文字：{value!r}")
    return value.strip() or None


def _choice(enum: type[_E], value: object, what: str) -> _E:
    if not isinstance(value, str) or value not in enum._value2member_map_:
        options = "、".join(m.value for m in enum)
        raise ValueError(f"未知的{what}：{value!r}（应为 {options}）")
    return enum(value)


class InvalidTransition(ValueError):
    """An action not allowed in the current state (message in Chinese, for the user)."""

    def __init__(self, what: str, state: StrEnum, action: StrEnum) -> None:
        self.state, self.action = state, action
        label_s, label_a = getattr(state, "label", state), getattr(action, "label", action)
        super().__init__(f"“{label_s}”状态的{what}不能{label_a}")


# ============================================================================ agreement lifecycle


class AgreementState(StrEnum):
    DRAFT = "draft"
    CONFIRMED_BY_HOME = "confirmed_by_home"
    CONFIRMED_BY_MEDICAL = "confirmed_by_medical"
    CONFIRMED = "confirmed"  # both sides
    SIGNED = "signed"
    PUBLISHED = "published"  # also the effective state of a published agreement before its start
    ACTIVE = "active"
    EXPIRING = "expiring"
    RENEWED = "renewed"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


class AgreementAction(StrEnum):
    CONFIRM_HOME = "confirm_home"
    CONFIRM_MEDICAL = "confirm_medical"
    REVISE = "revise"
    SIGN = "sign"
    PUBLISH = "publish"
    ACTIVATE = "activate"
    WARN = "warn"
    RENEW = "renew"
    EXPIRE = "expire"
    TERMINATE = "terminate"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_STATE_LABELS: Mapping[AgreementState, str] = MappingProxyType(
    {
        AgreementState.DRAFT: "草稿",
        AgreementState.CONFIRMED_BY_HOME: "养老机构已确认",
        AgreementState.CONFIRMED_BY_MEDICAL: "医疗机构已确认",
        AgreementState.CONFIRMED: "双方已确认",
        AgreementState.SIGNED: "已签署",
        AgreementState.PUBLISHED: "已公开（未生效）",
        AgreementState.ACTIVE: "生效中",
        AgreementState.EXPIRING: "即将到期",
        AgreementState.RENEWED: "已续签",
        AgreementState.EXPIRED: "已到期",
        AgreementState.TERMINATED: "已终止",
        AgreementState.WITHDRAWN: "已作废",
    }
)
_ACTION_LABELS: Mapping[AgreementAction, str] = MappingProxyType(
    {
        AgreementAction.CONFIRM_HOME: "由养老机构确认",
        AgreementAction.CONFIRM_MEDICAL: "由医疗机构确认",
        AgreementAction.REVISE: "修改",
        AgreementAction.SIGN: "签署",
        AgreementAction.PUBLISH: "向社会公开",
        AgreementAction.ACTIVATE: "生效",
        AgreementAction.WARN: "提示即将到期",
        AgreementAction.RENEW: "续签",
        AgreementAction.EXPIRE: "到期",
        AgreementAction.TERMINATE: "终止",
        AgreementAction.WITHDRAW: "作废",
    }
)

_S, _A = AgreementState, AgreementAction
_UNSIGNED = (_S.DRAFT, _S.CONFIRMED_BY_HOME, _S.CONFIRMED_BY_MEDICAL, _S.CONFIRMED)
TRANSITIONS: Mapping[tuple[AgreementState, AgreementAction], AgreementState] = MappingProxyType(
    {
        (_S.DRAFT, _A.CONFIRM_HOME): _S.CONFIRMED_BY_HOME,
        (_S.DRAFT, _A.CONFIRM_MEDICAL): _S.CONFIRMED_BY_MEDICAL,
        (_S.CONFIRMED_BY_HOME, _A.CONFIRM_MEDICAL): _S.CONFIRMED,
        (_S.CONFIRMED_BY_MEDICAL, _A.CONFIRM_HOME): _S.CONFIRMED,
        (_S.CONFIRMED_BY_HOME, _A.REVISE): _S.DRAFT,
        (_S.CONFIRMED_BY_MEDICAL, _A.REVISE): _S.DRAFT,
        (_S.CONFIRMED, _A.REVISE): _S.DRAFT,
        (_S.CONFIRMED, _A.SIGN): _S.SIGNED,
        (_S.SIGNED, _A.PUBLISH): _S.PUBLISHED,
        (_S.PUBLISHED, _A.ACTIVATE): _S.ACTIVE,
        (_S.ACTIVE, _A.WARN): _S.EXPIRING,
        (_S.ACTIVE, _A.RENEW): _S.RENEWED,
        (_S.EXPIRING, _A.RENEW): _S.RENEWED,
        # A published agreement whose whole term has passed (entered late) expires directly.
        **{(s, _A.EXPIRE): _S.EXPIRED for s in (_S.PUBLISHED, _S.ACTIVE, _S.EXPIRING)},
        **{
            (s, _A.TERMINATE): _S.TERMINATED
            for s in (_S.PUBLISHED, _S.ACTIVE, _S.EXPIRING, _S.RENEWED)
        },
        **{(s, _A.WITHDRAW): _S.WITHDRAWN for s in (*_UNSIGNED, _S.SIGNED)},
    }
)
TERMINAL_STATES: frozenset[AgreementState] = frozenset({_S.EXPIRED, _S.TERMINATED, _S.WITHDRAWN})
# Published states in which the term decides the effective state.  A stored end state (expired,
# terminated, withdrawn) is never undone by the dates: dates only move an agreement forward.
_DATED = frozenset({_S.PUBLISHED, _S.ACTIVE, _S.EXPIRING})
# Effective states in which the medical side sees the home's residents' clinical records.
ACCESS_STATES: frozenset[AgreementState] = frozenset({_S.ACTIVE, _S.EXPIRING, _S.RENEWED})


def transition(
    state: AgreementState | str,
    action: AgreementAction | str,
    *,
    reason: str | None = None,
    signed_document: bool = False,
) -> AgreementState:
    """The state after ``action``; ``ValueError`` (Chinese) if not allowed.

    ``terminate`` and ``withdraw`` need a non-blank ``reason``; ``sign`` needs
    ``signed_document=True`` (the signed and sealed text has been uploaded).
    """
    cur = _choice(AgreementState, state, "协议状态")
    act = _choice(AgreementAction, action, "协议操作")
    try:
        new = TRANSITIONS[(cur, act)]
    except KeyError:
        raise InvalidTransition("协议", cur, act) from None
    if act in (_A.TERMINATE, _A.WITHDRAW) and _check_text(reason) is None:
        raise ValueError(f"{act.label}协议必须填写原因")
    if act is _A.SIGN and signed_document is not True:
        raise ValueError("签署协议须上传双方签字盖章的协议文本")
    return new


def allowed_actions(state: AgreementState | str) -> frozenset[AgreementAction]:
    """Actions allowed from ``state`` (e.g. which buttons to show)."""
    cur = _choice(AgreementState, state, "协议状态")
    return frozenset(a for (s, a) in TRANSITIONS if s is cur)


def is_terminal(state: AgreementState | str) -> bool:
    return _choice(AgreementState, state, "协议状态") in TERMINAL_STATES


# ============================================================================ term and access


def check_term(start: date, end: date) -> tuple[date, date]:
    """A term (合作期限): both dates, end not before start.  No national bounds (REFERENCE §3.2)."""
    _check_date(start, "start")
    _check_date(end, "end")
    if end < start:
        raise ValueError(f"协议截止日期 {end.isoformat()} 早于起始日期 {start.isoformat()}")
    return start, end


def _check_warn_days(warn_days: object) -> int:
    if isinstance(warn_days, bool) or not isinstance(warn_days, int):
        raise ValueError(f"到期提醒天数必须是整数：{warn_days!r}")
    if not 0 <= warn_days <= MAX_WARN_DAYS:
        raise ValueError(f"到期提醒天数应在 0–{MAX_WARN_DAYS} 之间")
    return warn_days


def warning_from(end: date, warn_days: int = DEFAULT_WARN_DAYS) -> date:
    """First day on which an agreement ending on ``end`` shows as expiring (end − warn_days)."""
    return _check_date(end, "end") - timedelta(days=_check_warn_days(warn_days))


def status_on(
    day: date,
    *,
    start: date,
    end: date,
    state: AgreementState | str,
    warn_days: int = DEFAULT_WARN_DAYS,
    terminated_on: date | None = None,
) -> AgreementState:
    """The effective state on ``day``.

    For a published agreement (published, active, expiring): before ``start`` → published (not
    yet in force); ``start`` … ``end`` inclusive → active, or expiring when
    ``end − day ≤ warn_days``; after ``end`` → expired.  A renewed one is ``renewed`` within its
    term (no expiry warning: the successor is signed) and expired after it.  A terminated one
    is terminated from ``terminated_on`` (or always, when the date is not given) and follows
    its term before that date.  Expired stays expired.  Unpublished and withdrawn agreements
    are never in force.
    """
    _check_date(day, "day")
    check_term(start, end)
    warn = _check_warn_days(warn_days)
    cur = _choice(AgreementState, state, "协议状态")
    if cur is _S.TERMINATED:
        if terminated_on is None or day >= _check_date(terminated_on, "terminated_on"):
            return _S.TERMINATED
        cur = _S.ACTIVE  # what it was before the termination took effect
    if cur not in _DATED and cur is not _S.RENEWED:
        return cur
    if day < start:
        return _S.PUBLISHED
    if day > end:
        return _S.EXPIRED
    if cur is _S.RENEWED:
        return _S.RENEWED
    return _S.EXPIRING if (end - day).days <= warn else _S.ACTIVE


def is_access_active(
    day: date,
    *,
    start: date,
    end: date,
    state: AgreementState | str,
    terminated_on: date | None = None,
) -> bool:
    """Whether the medical side may see the clinical part of the home's residents on ``day``.

    True only for a published agreement on a day of its term (``start`` … ``end`` inclusive)
    and before any termination date: false from the day after ``end`` and from
    ``terminated_on`` itself (DESIGN "Data scope").
    """
    effective = status_on(day, start=start, end=end, state=state, terminated_on=terminated_on)
    return effective in ACCESS_STATES


def due_actions(
    state: AgreementState | str,
    day: date,
    *,
    start: date,
    end: date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> tuple[AgreementAction, ...]:
    """Actions the nightly clock applies on ``day`` to catch the stored state up with the dates."""
    cur = _choice(AgreementState, state, "协议状态")
    if cur not in (_S.PUBLISHED, _S.ACTIVE, _S.EXPIRING):
        return ()
    target = status_on(day, start=start, end=end, state=cur, warn_days=warn_days)
    if target is _S.EXPIRED:
        return (_A.EXPIRE,)
    path = {
        (_S.PUBLISHED, _S.ACTIVE): (_A.ACTIVATE,),
        (_S.PUBLISHED, _S.EXPIRING): (_A.ACTIVATE, _A.WARN),
        (_S.ACTIVE, _S.EXPIRING): (_A.WARN,),
    }
    return path.get((cur, target), ())


def renewal_gap_days(old_end: date, new_start: date) -> int:
    """Days with no agreement in force between a term and its renewal (0 when continuous)."""
    _check_date(old_end, "old_end")
    _check_date(new_start, "new_start")
    return max(0, (new_start - old_end).days - 1)


def _amount(value: object) -> Decimal | None:
    """A fee in 元: finite, not negative, at most two decimals; else ``None``."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        return None
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            return None
    except InvalidOperation:
        return None
    return amount


def agreement_problems(
    *,
    items: Iterable[int],
    modes: Iterable[str],
    start: date | None,
    end: date | None,
    home_duties: str | None,
    medical_duties: str | None,
    fee: Decimal | int | str | None,
    fee_factors: Iterable[str] = (),
    patrol_interval_days: int | None = None,
) -> tuple[str, ...]:
    """What keeps a draft from being confirmed: the clauses of REFERENCE §3.2, in Chinese.

    An empty tuple means the text is complete.  A fee of 0 is allowed (e.g. bought by the
    government, seed 003 §三); a positive fee names at least one factor it was set from.  The
    patrol interval is required when the modes include patrol (巡诊).
    """
    problems: list[str] = []
    try:
        check_items(items)
    except ValueError as exc:
        problems.append(str(exc))
    try:
        chosen_modes = check_modes(modes)
    except ValueError as exc:
        problems.append(str(exc))
        chosen_modes = ()
    if start is None or end is None:
        problems.append("未填写合作期限（起止日期）")
    else:
        try:
            check_term(start, end)
        except ValueError as exc:
            problems.append(str(exc))
    if _check_text(home_duties) is None:
        problems.append("未填写养老服务机构的责任")
    if _check_text(medical_duties) is None:
        problems.append("未填写医疗卫生机构的责任")
    factors_ok = True
    try:
        factors = check_fee_factors(fee_factors)
    except ValueError as exc:
        problems.append(str(exc))
        factors, factors_ok = (), False
    if fee is None or fee == "":
        problems.append("未填写合作经费（无偿合作请填 0）")
    else:
        amount = _amount(fee)
        if amount is None:
            problems.append(f"合作经费应为不小于 0、最多两位小数的金额：{fee!r}")
        elif amount > 0 and not factors and factors_ok:
            problems.append("请注明合作经费是依据哪些因素协商确定的")
    if patrol_interval_days is None:
        if CooperationMode.PATROL in chosen_modes:
            problems.append("合作方式包含巡诊，应约定巡诊周期")
    else:
        try:
            check_patrol_interval(patrol_interval_days)
        except ValueError as exc:
            problems.append(str(exc))
    return tuple(problems)


# ============================================================================ patrol visits
#
# REFERENCE §3.2: the patrol interval is whatever the agreement fixes ("按照协议确定的周期定时…
# 巡诊"); flag missed visits against it.  Our reading, documented for users:
#
# * due dates run from the start of the term every ``interval`` days: start, start + i, … up to
#   the end of the term (the cycle starts with the agreement);
# * a visit covers a due date when it falls in its window [due − grace, due + grace] (cut to the
#   term when given); each visit covers one due date at most, matched in date order;
# * a due date is missed once its window has closed (today > window end) without a visit;
# * the default grace is half the interval (``interval // 2``), so the windows cover the whole
#   term: a weekly patrol may fall on any day of the week around its due date.  An agreement
#   may set a stricter grace (0 = on the day).


class PatrolState(StrEnum):
    DONE = "done"
    PENDING = "pending"  # the window is open and no visit yet
    UPCOMING = "upcoming"  # the window has not opened
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {
            "done": "已巡诊",
            "pending": "待巡诊",
            "upcoming": "未到期",
            "missed": "未按期巡诊",
        }[self.value]


@dataclass(frozen=True, slots=True)
class PatrolSlot:
    due: date
    opens: date
    closes: date
    visit: date | None
    state: PatrolState


def check_patrol_interval(value: object) -> int:
    """A patrol interval: whole days 1–365 (no national frequency: REFERENCE §3.2, §7)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"巡诊周期必须是整数天数：{value!r}")
    if not 1 <= value <= MAX_PATROL_INTERVAL_DAYS:
        raise ValueError(f"巡诊周期应在 1–{MAX_PATROL_INTERVAL_DAYS} 天之间")
    return value


def default_grace_days(interval_days: int) -> int:
    """Half the interval: the windows then cover every day of the term."""
    return check_patrol_interval(interval_days) // 2


def check_grace_days(grace_days: object, interval_days: int | None = None) -> int:
    """0 or more days; at most half the interval when the interval is given."""
    if isinstance(grace_days, bool) or not isinstance(grace_days, int):
        raise ValueError(f"巡诊宽限天数必须是整数：{grace_days!r}")
    if grace_days < 0:
        raise ValueError("巡诊宽限天数不能为负数")
    if interval_days is not None and grace_days > default_grace_days(interval_days):
        raise ValueError("巡诊宽限天数不能超过巡诊周期的一半")
    return grace_days


def patrol_due_dates(
    start: date, end: date, interval_days: int, *, until: date
) -> tuple[date, ...]:
    """Due dates start, start + interval, … that fall on or before both ``end`` and ``until``."""
    check_term(start, end)
    step = timedelta(days=check_patrol_interval(interval_days))
    last = min(end, _check_date(until, "until"))
    out: list[date] = []
    day = start
    while day <= last:
        out.append(day)
        day += step
    return tuple(out)


def patrol_slots(
    due_dates: Iterable[date],
    visit_dates: Iterable[date],
    *,
    today: date,
    grace_days: int,
    start: date | None = None,
    end: date | None = None,
) -> tuple[PatrolSlot, ...]:
    """Each due date with its window, the visit that covers it and its state (see above).

    Windows are cut to the term when ``start``/``end`` are given.  Visits dated after ``today``
    are ignored (they have not happened).
    """
    _check_date(today, "today")
    grace = timedelta(days=check_grace_days(grace_days))
    if start is not None:
        _check_date(start, "start")
    if end is not None:
        _check_date(end, "end")
    dues = sorted(_check_date(d, "due_dates") for d in due_dates)
    if len(set(dues)) != len(dues):
        raise ValueError("巡诊应巡日期重复")
    visits = sorted(v for v in (_check_date(v, "visit_dates") for v in visit_dates) if v <= today)
    slots: list[PatrolSlot] = []
    i = 0
    for due in dues:
        opens, closes = due - grace, due + grace
        if start is not None:
            opens = min(max(opens, start), due)
        if end is not None:
            closes = max(min(closes, end), due)
        # Windows open and close in date order, so a visit before this window is of no use to
        # any later one, and taking the earliest usable visit is the best matching.
        while i < len(visits) and visits[i] < opens:
            i += 1
        visit = None
        if i < len(visits) and visits[i] <= closes:
            visit, i = visits[i], i + 1
        if visit is not None:
            state = PatrolState.DONE
        elif today > closes:
            state = PatrolState.MISSED
        elif today >= opens:
            state = PatrolState.PENDING
        else:
            state = PatrolState.UPCOMING
        slots.append(PatrolSlot(due, opens, closes, visit, state))
    return tuple(slots)


def missed_visits(
    due_dates: Iterable[date],
    visit_dates: Iterable[date],
    *,
    today: date,
    grace_days: int,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, ...]:
    """Due dates whose window has closed with no visit covering them."""
    slots = patrol_slots(
        due_dates, visit_dates, today=today, grace_days=grace_days, start=start, end=end
    )
    return tuple(s.due for s in slots if s.state is PatrolState.MISSED)


# ============================================================================ referrals
#
# Two-way referral (双向转诊, item 13) and the emergency green channel (急诊急救绿色通道, item 12),
# REFERENCE §3.3/§3.4.  One machine for every kind; no state can be skipped:
#
#   requested ─accept─▶ accepted ─transfer─▶ transferred ─admit─▶ admitted ─return─▶ returned
#       ├─decline (reason)─▶ declined                           └─close (reason)─▶ closed
#       └─cancel (reason)──▶ cancelled ◀─cancel (reason)─ accepted
#
# ``return`` needs the discharge summary (出院小结; for a down-referral, the summary of the
# aftercare episode); ``close`` ends an admitted referral that will not come back (death in
# hospital, onward transfer, long-term stay) and needs a reason.


class ReferralKind(StrEnum):
    UP = "up"  # home → hospital (上转)
    DOWN = "down"  # hospital → home's internal medical unit / aftercare (下转)
    GREEN_CHANNEL = "green_channel"  # emergency (急诊急救绿色通道)

    @property
    def label(self) -> str:
        return {
            "up": "上转（养老机构→医院）",
            "down": "下转（医院→养老机构）",
            "green_channel": "急诊急救绿色通道",
        }[self.value]


class ReferralState(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TRANSFERRED = "transferred"
    ADMITTED = "admitted"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _REFERRAL_STATE_LABELS[self]


class ReferralAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    TRANSFER = "transfer"
    ADMIT = "admit"
    RETURN = "return"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return _REFERRAL_ACTION_LABELS[self]


_REFERRAL_STATE_LABELS: Mapping[ReferralState, str] = MappingProxyType(
    {
        ReferralState.REQUESTED: "待接收",
        ReferralState.ACCEPTED: "已接收",
        ReferralState.DECLINED: "已拒绝",
        ReferralState.TRANSFERRED: "已转运",
        ReferralState.ADMITTED: "已收治",
        ReferralState.RETURNED: "已返回",
        ReferralState.CANCELLED: "已撤销",
        ReferralState.CLOSED: "已结案",
    }
)
_REFERRAL_ACTION_LABELS: Mapping[ReferralAction, str] = MappingProxyType(
    {
        ReferralAction.ACCEPT: "接收",
        ReferralAction.DECLINE: "拒绝",
        ReferralAction.CANCEL: "撤销",
        ReferralAction.TRANSFER: "转运",
        ReferralAction.ADMIT: "收治",
        ReferralAction.RETURN: "返回",
        ReferralAction.CLOSE: "结案",
    }
)

_RS, _RA = ReferralState, ReferralAction
REFERRAL_TRANSITIONS: Mapping[tuple[ReferralState, ReferralAction], ReferralState] = (
    MappingProxyType(
        {
            (_RS.REQUESTED, _RA.ACCEPT): _RS.ACCEPTED,
            (_RS.REQUESTED, _RA.DECLINE): _RS.DECLINED,
            (_RS.REQUESTED, _RA.CANCEL): _RS.CANCELLED,
            (_RS.ACCEPTED, _RA.TRANSFER): _RS.TRANSFERRED,
            (_RS.ACCEPTED, _RA.CANCEL): _RS.CANCELLED,
            (_RS.TRANSFERRED, _RA.ADMIT): _RS.ADMITTED,
            (_RS.ADMITTED, _RA.RETURN): _RS.RETURNED,
            (_RS.ADMITTED, _RA.CLOSE): _RS.CLOSED,
        }
    )
)
TERMINAL_REFERRAL_STATES: frozenset[ReferralState] = frozenset(
    {_RS.DECLINED, _RS.RETURNED, _RS.CANCELLED, _RS.CLOSED}
)
_NEEDS_REASON = frozenset({_RA.DECLINE, _RA.CANCEL, _RA.CLOSE})


def referral_transition(
    state: ReferralState | str,
    action: ReferralAction | str,
    *,
    reason: str | None = None,
    summary: str | None = None,
) -> ReferralState:
    """The referral state after ``action``; ``ValueError`` (Chinese) if not allowed.

    Decline, cancel and close need a ``reason``; return needs the discharge ``summary``.
    """
    cur = _choice(ReferralState, state, "转诊状态")
    act = _choice(ReferralAction, action, "转诊操作")
    try:
        new = REFERRAL_TRANSITIONS[(cur, act)]
    except KeyError:
        raise InvalidTransition("转诊", cur, act) from None
    if act in _NEEDS_REASON and _check_text(reason) is None:
        raise ValueError(f"{act.label}转诊必须填写原因")
    if act is _RA.RETURN and _check_text(summary) is None:
        raise ValueError("返回时必须附出院小结")
    return new


def allowed_referral_actions(state: ReferralState | str) -> frozenset[ReferralAction]:
    cur = _choice(ReferralState, state, "转诊状态")
    return frozenset(a for (s, a) in REFERRAL_TRANSITIONS if s is cur)


# The cooperation modes under which each kind of referral is made (REFERENCE §3.3).
_KIND_MODES: Mapping[ReferralKind, frozenset[CooperationMode]] = MappingProxyType(
    {
        ReferralKind.UP: frozenset({CooperationMode.REFERRAL}),
        ReferralKind.DOWN: frozenset({CooperationMode.REFERRAL, CooperationMode.AFTERCARE}),
        ReferralKind.GREEN_CHANNEL: frozenset({CooperationMode.GREEN_CHANNEL}),
    }
)


def check_referral_kind(kind: ReferralKind | str, modes: Iterable[str]) -> ReferralKind:
    """The kind, if the agreement's modes provide for it; ``ValueError`` otherwise."""
    k = _choice(ReferralKind, kind, "转诊类型")
    if not _KIND_MODES[k] & set(check_modes(modes)):
        names = "或".join(
            f"“{m.label}”" for m in sorted(_KIND_MODES[k], key=list(CooperationMode).index)
        )
        raise ValueError(f"协议未约定{names}合作方式，不能发起{k.label}")
    return k


# UNCONFIRMED: the national text (国卫办老龄发〔2020〕23号, as restated in seed 003) gives no
# response time for a referral request.  Our defaults, meant to be overridden from settings
# (e.g. ``REFERRAL_RESPONSE_LIMITS``): a routine referral is answered within 24 hours, a green
# channel request within 15 minutes.
RESPONSE_LIMITS: Mapping[ReferralKind, timedelta] = MappingProxyType(
    {
        ReferralKind.UP: timedelta(hours=24),
        ReferralKind.DOWN: timedelta(hours=24),
        ReferralKind.GREEN_CHANNEL: timedelta(minutes=15),
    }
)


def _check_aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} 必须是带时区的时间（datetime）：{value!r}")
    return value


def response_due(
    requested_at: datetime,
    kind: ReferralKind | str,
    *,
    limits: Mapping[ReferralKind, timedelta] | None = None,
) -> datetime:
    """When the receiving side must have accepted or declined the request."""
    k = _choice(ReferralKind, kind, "转诊类型")
    table = RESPONSE_LIMITS if limits is None else limits
    return _check_aware(requested_at, "requested_at") + table[k]


def response_overdue(
    requested_at: datetime,
    now: datetime,
    kind: ReferralKind | str,
    *,
    state: ReferralState | str = ReferralState.REQUESTED,
    limits: Mapping[ReferralKind, timedelta] | None = None,
) -> bool:
    """True while a request is still unanswered after its deadline (at the deadline: not yet)."""
    due = response_due(requested_at, kind, limits=limits)
    _check_aware(now, "now")
    return _choice(ReferralState, state, "转诊状态") is _RS.REQUESTED and now > due
