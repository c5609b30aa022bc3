"""Pure rules of outbreak response (no Django): the playbook's states and transitions, the
2-hour upward-report clock, the in-home isolation test, quarantine ends, tracing "日清日结" and
the referral signs of a symptom check.

Sources: seed 001 (民政部《地方民政部门做好养老服务领域疫情防控工作指南（第二版）》) items 14–18,
REFERENCE §1.5 (referral on SpO₂ < 93 %, persistent high fever, breathing difficulty) and §1.7.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from yiyang.residents.followup_rules import SPO2_REFERRAL_BELOW

__all__ = [
    "ACTIONS",
    "CONTACT_QUARANTINE_DAYS",
    "HIGH_FEVER_FROM",
    "REPORT_LIMIT",
    "SIDE_ACTIONS",
    "Action",
    "IsolationCheck",
    "OutOfOrder",
    "ReportClock",
    "State",
    "in_home_isolation",
    "next_level",
    "next_state",
    "next_step",
    "quarantine_until",
    "referral_signs",
    "report_clock",
    "side_action_allowed",
    "tracing_days_owed",
    "upward_report_deadline",
]

# Seed 001 item 14: "民政部门接到养老机构报告相关异常情况后，要在2小时内向上级民政部门报告".
REPORT_LIMIT = timedelta(hours=2)
HIGH_FEVER_FROM = Decimal("39.1")  # 高热 band (clinical convention; REFERENCE §1.5 "持续高热")
# Quarantine of close / secondary contacts, in days. UNCONFIRMED: the seeds say "第一时间安排隔离
# 管控" without a length; 7 days follows 新型冠状病毒肺炎防控方案（第九版）. Configurable here.
CONTACT_QUARANTINE_DAYS = {"close": 7, "secondary": 7}


class State(StrEnum):
    OPENED = "opened"
    PLAN_STARTED = "plan_started"
    ISOLATED = "isolated"
    REPORTED = "reported"
    TRANSFERRED = "transferred"
    TRACING = "tracing"
    CONTACTS_MANAGED = "contacts_managed"
    ISOLATION_DECIDED = "isolation_decided"
    DISINFECTED = "disinfected"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.OPENED: "发现异常",
    State.PLAN_STARTED: "已启动应急预案",
    State.ISOLATED: "已转移隔离",
    State.REPORTED: "已报告联防联控机制和民政部门",
    State.TRANSFERRED: "已转运定点医院",
    State.TRACING: "流调排查中",
    State.CONTACTS_MANAGED: "密接次密接已管控",
    State.ISOLATION_DECIDED: "隔离方式已确定",
    State.DISINFECTED: "已完成专门消毒",
    State.CLOSED: "已结束",
}


class Action(StrEnum):
    START_PLAN = "start_plan"
    ISOLATE = "isolate"
    REPORT = "report"
    TRANSFER = "transfer"
    START_TRACING = "start_tracing"
    MANAGE_CONTACTS = "manage_contacts"
    DECIDE_ISOLATION = "decide_isolation"
    DISINFECT = "disinfect"
    CLOSE = "close"
    # Side actions: recorded at any time while the incident is open; they do not move the state.
    ADD_PERSON = "add_person"
    PLACE = "place"
    TRACE_DAY = "trace_day"
    DEATH = "death"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.START_PLAN: "启动应急预案",
    Action.ISOLATE: "转移异常人员和密接到隔离室/隔离场所",
    Action.REPORT: "向联防联控机制和民政部门报告",
    Action.TRANSFER: "经绿色通道转运定点医院",
    Action.START_TRACING: "开展专题流调",
    Action.MANAGE_CONTACTS: "判定密接、次密接并隔离管控",
    Action.DECIDE_ISOLATION: "确定院内就地隔离或院外集中隔离",
    Action.DISINFECT: "专门消毒作业",
    Action.CLOSE: "结束疫情处置",
    Action.ADD_PERSON: "登记病例/密接",
    Action.PLACE: "登记人员去向",
    Action.TRACE_DAY: "流调日清日结",
    Action.DEATH: "登记死亡",
}

# The playbook of seed 001 items 14–17, in order; item 18 (deaths) is a side action.
ACTIONS: dict[Action, tuple[State, State]] = {
    Action.START_PLAN: (State.OPENED, State.PLAN_STARTED),
    Action.ISOLATE: (State.PLAN_STARTED, State.ISOLATED),
    Action.REPORT: (State.ISOLATED, State.REPORTED),
    Action.TRANSFER: (State.REPORTED, State.TRANSFERRED),
    Action.START_TRACING: (State.TRANSFERRED, State.TRACING),
    Action.MANAGE_CONTACTS: (State.TRACING, State.CONTACTS_MANAGED),
    Action.DECIDE_ISOLATION: (State.CONTACTS_MANAGED, State.ISOLATION_DECIDED),
    Action.DISINFECT: (State.ISOLATION_DECIDED, State.DISINFECTED),
    Action.CLOSE: (State.DISINFECTED, State.CLOSED),
}
SIDE_ACTIONS = frozenset({Action.ADD_PERSON, Action.PLACE, Action.TRACE_DAY, Action.DEATH})
# Tracing day by day is only meaningful once the epidemiological investigation has started.
_TRACING_FROM = State.TRANSFERRED


class OutOfOrder(ValueError):
    """A step asked for in the wrong state; the message is Chinese and names the next step."""


def next_step(state: State | str) -> Action | None:
    state = State(state)
    for action, (source, _target) in ACTIONS.items():
        if source == state:
            return action
    return None


def next_state(state: State | str, action: Action | str) -> State:
    """The state after `action`, or `OutOfOrder` with a Chinese message."""
    state, action = State(state), Action(action)
    if action in SIDE_ACTIONS:
        raise OutOfOrder(f"「{action.label}」不改变处置步骤")
    source, target = ACTIONS[action]
    if state == State.CLOSED:
        raise OutOfOrder("疫情处置已结束，不能再办理")
    if state != source:
        expected = next_step(state)
        hint = f"，下一步应为「{expected.label}」" if expected else ""
        raise OutOfOrder(f"当前为「{state.label}」，不能办理「{action.label}」{hint}")
    return target


def side_action_allowed(state: State | str, action: Action | str) -> None:
    state, action = State(state), Action(action)
    if state == State.CLOSED:
        raise OutOfOrder("疫情处置已结束，不能再办理")
    if action == Action.TRACE_DAY and list(State).index(state) < list(State).index(_TRACING_FROM):
        raise OutOfOrder("流调尚未开始：请先完成转运步骤再登记流调日清日结")


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} 必须是 datetime：{value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} 必须带时区（aware datetime）")
    return value


def upward_report_deadline(received_at: datetime) -> datetime:
    """When a civil-affairs department that received a report at `received_at` must have
    reported it to the next level up: 2 hours later (seed 001 item 14). Aware datetimes only."""
    return _aware(received_at, "received_at") + REPORT_LIMIT


@dataclass(frozen=True)
class ReportClock:
    due_at: datetime
    overdue: bool  # not forwarded by the deadline (now, or when it was forwarded late)
    done: bool
    remaining: timedelta  # until due (negative when overdue and still open; zero when done)
    late_by: timedelta  # how late (zero when on time or not yet due)

    @property
    def remaining_minutes(self) -> int:
        return int(self.remaining.total_seconds() // 60)

    @property
    def late_minutes(self) -> int:
        return int(self.late_by.total_seconds() // 60)


def report_clock(received_at: datetime, now: datetime,
                 forwarded_at: datetime | None = None) -> ReportClock:
    """The 2-hour clock of a received report: due, overdue (strictly after the deadline), left."""
    due = upward_report_deadline(received_at)
    _aware(now, "now")
    if forwarded_at is not None:
        _aware(forwarded_at, "forwarded_at")
        late = max(forwarded_at - due, timedelta(0))
        return ReportClock(due, late > timedelta(0), True, timedelta(0), late)
    late = max(now - due, timedelta(0))
    return ReportClock(due, now > due, False, due - now, late)


# Levels of civil affairs: who a department reports to (province: the Ministry, outside).
_NEXT_LEVEL = {"county": "city", "city": "province", "province": None}


def next_level(level: str) -> str | None:
    if level not in _NEXT_LEVEL:
        raise ValueError(f"未知的层级：{level!r}")
    return _NEXT_LEVEL[level]


@dataclass(frozen=True)
class IsolationCheck:
    allowed: bool
    reasons: tuple[str, ...]  # what is missing (empty when allowed)


def in_home_isolation(*, independent_buildings: int, single_rooms: int,
                      has_infection_control: bool) -> IsolationCheck:
    """Seed 001 item 16: close contacts may be isolated in the home only when it has several
    independent buildings, single rooms and an infection-control system; otherwise all go to
    an external designated site (with closed-loop transport)."""
    missing = []
    if independent_buildings < 2:
        missing.append(f"独立楼栋 {independent_buildings} 栋，需多栋独立建筑")
    if single_rooms < 1:
        missing.append("没有单人间")
    if not has_infection_control:
        missing.append("未登记建立院感控制体系")
    return IsolationCheck(not missing, tuple(missing))


def quarantine_until(start: date, kind: str) -> date:
    """Last day of quarantine of a close or secondary contact starting on `start` (UNCONFIRMED
    length, see `CONTACT_QUARANTINE_DAYS`)."""
    return start + timedelta(days=CONTACT_QUARANTINE_DAYS[kind] - 1)


def tracing_days_owed(start: date, today: date, closed: Iterable[date]) -> list[date]:
    """Seed 001 item 14 "流调排查日清日结": every day from the start of tracing up to yesterday
    must have been closed; today is still open. Returns the days not closed, oldest first."""
    done = set(closed)
    owed, day = [], start
    while day < today:
        if day not in done:
            owed.append(day)
        day += timedelta(days=1)
    return owed


def referral_signs(*, spo2: int | None = None, temperature: Decimal | float | None = None,
                   persistent_fever: bool = False,
                   breathing_difficulty: bool = False) -> tuple[str, ...]:
    """REFERENCE §1.5: refer promptly on SpO₂ < 93 %, persistent high fever or breathing
    difficulty; one high reading alone is a prompt to check."""
    signs = []
    if spo2 is not None and spo2 < SPO2_REFERRAL_BELOW:
        signs.append(f"血氧饱和度 {spo2}% 低于 {SPO2_REFERRAL_BELOW}%，应及时转诊")
    high = temperature is not None and Decimal(str(temperature)) >= HIGH_FEVER_FROM
    if persistent_fever:
        signs.append("持续高热，应及时转诊")
    elif high:
        signs.append(f"体温 {temperature} ℃ 为高热，持续高热应及时转诊")
    if breathing_difficulty:
        signs.append("呼吸困难，应及时转诊")
    return tuple(signs)
