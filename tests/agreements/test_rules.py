"""Agreement rules: lifecycle, term and access, patrol schedule, referrals (REFERENCE §3, seed 003).

No database.  The transition tables below are written out here independently of the code; the
dates are counted by hand in the comments (term 2026-01-01 … 2026-12-31, 30-day warning →
expiring from 2026-12-01).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.agreements.rules import (
    DEFAULT_WARN_DAYS,
    REFERRAL_TRANSITIONS,
    RESPONSE_LIMITS,
    TERMINAL_REFERRAL_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    AgreementAction,
    AgreementState,
    InvalidTransition,
    PatrolState,
    ReferralAction,
    ReferralKind,
    ReferralState,
    agreement_problems,
    allowed_actions,
    allowed_referral_actions,
    check_grace_days,
    check_patrol_interval,
    check_referral_kind,
    check_term,
    default_grace_days,
    due_actions,
    is_access_active,
    is_terminal,
    missed_visits,
    patrol_due_dates,
    patrol_slots,
    referral_transition,
    renewal_gap_days,
    response_due,
    response_overdue,
    status_on,
    transition,
    warning_from,
)

D = date.fromisoformat
START, END = D("2026-01-01"), D("2026-12-31")

# ------------------------------------------------------------------ the agreement table, by hand

AGREEMENT_TABLE = {
    ("draft", "confirm_home"): "confirmed_by_home",
    ("draft", "confirm_medical"): "confirmed_by_medical",
    ("confirmed_by_home", "confirm_medical"): "confirmed",
    ("confirmed_by_medical", "confirm_home"): "confirmed",
    ("confirmed_by_home", "revise"): "draft",
    ("confirmed_by_medical", "revise"): "draft",
    ("confirmed", "revise"): "draft",
    ("confirmed", "sign"): "signed",
    ("signed", "publish"): "published",
    ("published", "activate"): "active",
    ("active", "warn"): "expiring",
    ("active", "renew"): "renewed",
    ("expiring", "renew"): "renewed",
    ("published", "expire"): "expired",
    ("active", "expire"): "expired",
    ("expiring", "expire"): "expired",
    ("published", "terminate"): "terminated",
    ("active", "terminate"): "terminated",
    ("expiring", "terminate"): "terminated",
    ("renewed", "terminate"): "terminated",
    ("draft", "withdraw"): "withdrawn",
    ("confirmed_by_home", "withdraw"): "withdrawn",
    ("confirmed_by_medical", "withdraw"): "withdrawn",
    ("confirmed", "withdraw"): "withdrawn",
    ("signed", "withdraw"): "withdrawn",
}
STATES = [s.value for s in AgreementState]
ACTIONS = [a.value for a in AgreementAction]
DISALLOWED = [(s, a) for s in STATES for a in ACTIONS if (s, a) not in AGREEMENT_TABLE]

REFERRAL_TABLE = {
    ("requested", "accept"): "accepted",
    ("requested", "decline"): "declined",
    ("requested", "cancel"): "cancelled",
    ("accepted", "transfer"): "transferred",
    ("accepted", "cancel"): "cancelled",
    ("transferred", "admit"): "admitted",
    ("admitted", "return"): "returned",
    ("admitted", "close"): "closed",
}
R_STATES = [s.value for s in ReferralState]
R_ACTIONS = [a.value for a in ReferralAction]
R_DISALLOWED = [(s, a) for s in R_STATES for a in R_ACTIONS if (s, a) not in REFERRAL_TABLE]


def _do(state: str, action: str) -> AgreementState:
    """A transition with whatever the action needs supplied."""
    return transition(state, action, reason="双方协商一致", signed_document=True)


def _ref(state: str, action: str) -> ReferralState:
    return referral_transition(state, action, reason="病情变化", summary="出院小结：好转出院")


# ---------------------------------------------------------------------- agreement lifecycle


def test_the_table_is_exactly_the_one_written_here() -> None:
    assert {(s.value, a.value): t.value for (s, a), t in TRANSITIONS.items()} == AGREEMENT_TABLE


@pytest.mark.parametrize(("state", "action"), list(AGREEMENT_TABLE))
def test_every_allowed_transition(state, action) -> None:
    assert _do(state, action) == AGREEMENT_TABLE[(state, action)]
    assert AgreementAction(action) in allowed_actions(state)


@pytest.mark.parametrize(("state", "action"), DISALLOWED)
def test_every_other_transition_is_refused(state, action) -> None:
    with pytest.raises(InvalidTransition):
        _do(state, action)
    assert AgreementAction(action) not in allowed_actions(state)


def test_refusal_messages_are_chinese() -> None:
    with pytest.raises(ValueError, match="^“草稿”状态的协议不能向社会公开$"):
        transition("draft", "publish")
    with pytest.raises(ValueError, match="^“已到期”状态的协议不能续签$"):
        transition("expired", "renew")
    with pytest.raises(ValueError, match="未知的协议状态"):
        transition("open", "sign")
    with pytest.raises(ValueError, match="未知的协议操作"):
        transition("draft", "approve")


@pytest.mark.parametrize("reason", [None, "", "   "])
@pytest.mark.parametrize("state", ["published", "active", "expiring", "renewed"])
def test_termination_needs_a_reason(state, reason) -> None:
    with pytest.raises(ValueError, match="^终止协议必须填写原因$"):
        transition(state, "terminate", reason=reason)
    assert transition(state, "terminate", reason="养老机构停业") == AgreementState.TERMINATED


@pytest.mark.parametrize("state", ["draft", "confirmed_by_home", "confirmed", "signed"])
def test_withdrawal_needs_a_reason(state) -> None:
    with pytest.raises(ValueError, match="^作废协议必须填写原因$"):
        transition(state, "withdraw")
    assert transition(state, "withdraw", reason="未达成一致") == AgreementState.WITHDRAWN


def test_signing_needs_the_signed_document() -> None:
    with pytest.raises(ValueError, match="^签署协议须上传双方签字盖章的协议文本$"):
        transition("confirmed", "sign")
    assert transition("confirmed", "sign", signed_document=True) == AgreementState.SIGNED


def test_both_sides_confirm_in_either_order() -> None:
    a = transition(transition("draft", "confirm_home"), "confirm_medical")
    b = transition(transition("draft", "confirm_medical"), "confirm_home")
    assert a == b == AgreementState.CONFIRMED
    with pytest.raises(InvalidTransition):  # one side cannot confirm twice
        transition("confirmed_by_home", "confirm_home")


def test_a_full_life() -> None:
    path = ["confirm_home", "confirm_medical", "sign", "publish", "activate", "warn", "renew"]
    state: AgreementState | str = "draft"
    seen = []
    for action in path:
        state = _do(state, action)
        seen.append(state.value)
    assert seen == [
        "confirmed_by_home",
        "confirmed",
        "signed",
        "published",
        "active",
        "expiring",
        "renewed",
    ]


def test_terminal_states() -> None:
    assert {s.value for s in TERMINAL_STATES} == {"expired", "terminated", "withdrawn"}
    for s in STATES:
        assert is_terminal(s) == (s in {"expired", "terminated", "withdrawn"})
        assert (allowed_actions(s) == frozenset()) == is_terminal(s)
    assert allowed_actions("renewed") == {AgreementAction.TERMINATE}


def test_labels() -> None:
    assert AgreementState.EXPIRING.label == "即将到期"
    assert AgreementState.PUBLISHED.label == "已公开（未生效）"
    assert AgreementAction.TERMINATE.label == "终止"


# ------------------------------------------------------------------------- term and status


def test_default_warning_is_thirty_days() -> None:
    assert DEFAULT_WARN_DAYS == 30
    assert warning_from(END) == D("2026-12-01")
    assert warning_from(END, 0) == END
    assert warning_from(D("2026-03-01"), 1) == D("2026-02-28")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", "published"),  # start − 1: published, not yet in force
        ("2026-01-01", "active"),  # start
        ("2026-06-30", "active"),
        ("2026-11-30", "active"),  # end − 31
        ("2026-12-01", "expiring"),  # end − 30 = end − warn
        ("2026-12-31", "expiring"),  # end
        ("2027-01-01", "expired"),  # end + 1
    ],
)
@pytest.mark.parametrize("stored", ["published", "active", "expiring"])
def test_status_at_the_boundaries(stored, day, expected) -> None:
    assert status_on(D(day), start=START, end=END, state=stored) == expected


@pytest.mark.parametrize(
    ("day", "warn", "expected"),
    [
        ("2026-12-30", 0, "active"),
        ("2026-12-31", 0, "expiring"),  # 0: the end day only
        ("2026-12-23", 7, "active"),
        ("2026-12-24", 7, "expiring"),
        ("2026-10-02", 90, "expiring"),  # Oct 2 → Dec 31 is 90 days
        ("2026-10-01", 90, "active"),
    ],
)
def test_status_with_another_warning_period(day, warn, expected) -> None:
    assert status_on(D(day), start=START, end=END, state="active", warn_days=warn) == expected


def test_a_term_shorter_than_the_warning_is_expiring_from_its_first_day() -> None:
    start, end = D("2026-03-01"), D("2026-03-10")
    assert status_on(start, start=start, end=end, state="active") == "expiring"
    one_day = D("2026-05-05")
    assert status_on(one_day, start=one_day, end=one_day, state="active", warn_days=0) == "expiring"
    assert status_on(D("2026-05-06"), start=one_day, end=one_day, state="active") == "expired"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", "published"),
        ("2026-01-01", "renewed"),
        ("2026-12-01", "renewed"),  # no expiry warning: the successor is signed
        ("2026-12-31", "renewed"),
        ("2027-01-01", "expired"),
    ],
)
def test_a_renewed_agreement_runs_to_its_end(day, expected) -> None:
    assert status_on(D(day), start=START, end=END, state="renewed") == expected


@pytest.mark.parametrize(
    "stored",
    ["draft", "confirmed_by_home", "confirmed_by_medical", "confirmed", "signed", "withdrawn"],
)
@pytest.mark.parametrize("day", ["2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"])
def test_unpublished_agreements_are_never_in_force(stored, day) -> None:
    assert status_on(D(day), start=START, end=END, state=stored) == stored
    assert not is_access_active(D(day), start=START, end=END, state=stored)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", "published"),
        ("2026-06-14", "active"),  # the day before the termination takes effect
        ("2026-06-15", "terminated"),  # the termination date
        ("2026-12-31", "terminated"),
        ("2027-01-01", "terminated"),
    ],
)
def test_a_termination_takes_effect_on_its_date(day, expected) -> None:
    got = status_on(D(day), start=START, end=END, state="terminated", terminated_on=D("2026-06-15"))
    assert got == expected


@pytest.mark.parametrize("day", ["2025-12-31", "2026-01-01", "2026-06-30", "2027-01-01"])
def test_an_expired_agreement_is_not_revived_by_its_dates(day) -> None:
    assert status_on(D(day), start=START, end=END, state="expired") == "expired"
    assert is_access_active(D(day), start=START, end=END, state="expired") is False


def test_a_termination_without_its_date_counts_from_always() -> None:
    for day in ("2025-12-31", "2026-01-01", "2026-06-30"):
        assert status_on(D(day), start=START, end=END, state="terminated") == "terminated"


def test_bad_terms_and_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="^协议截止日期 2025-12-31 早于起始日期 2026-01-01$"):
        check_term(START, D("2025-12-31"))
    assert check_term(START, START) == (START, START)
    with pytest.raises(ValueError, match="必须是日期"):
        status_on(datetime(2026, 1, 1), start=START, end=END, state="active")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="到期提醒天数"):
        status_on(START, start=START, end=END, state="active", warn_days=-1)
    with pytest.raises(ValueError, match="到期提醒天数"):
        warning_from(END, 366)


# ------------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", False),  # start − 1
        ("2026-01-01", True),  # start
        ("2026-12-01", True),  # expiring, still visible
        ("2026-12-31", True),  # end
        ("2027-01-01", False),  # end + 1: the doctor loses access at once
    ],
)
@pytest.mark.parametrize("stored", ["published", "active", "expiring", "renewed"])
def test_a_doctor_sees_the_records_only_during_the_term(stored, day, expected) -> None:
    assert is_access_active(D(day), start=START, end=END, state=stored) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", True),
        ("2026-06-14", True),
        ("2026-06-15", False),  # from the termination date
        ("2026-06-16", False),
    ],
)
def test_a_terminated_agreement_ends_access_on_its_date(day, expected) -> None:
    got = is_access_active(
        D(day), start=START, end=END, state="terminated", terminated_on=D("2026-06-15")
    )
    assert got is expected
    assert is_access_active(D(day), start=START, end=END, state="terminated") is False


# --------------------------------------------------------------------------- nightly clock


@pytest.mark.parametrize(
    ("stored", "day", "expected"),
    [
        ("published", "2025-12-31", ()),
        ("published", "2026-01-01", ("activate",)),
        ("published", "2026-12-05", ("activate", "warn")),  # entered late, already in the warning
        ("published", "2027-01-01", ("expire",)),
        ("active", "2026-11-30", ()),
        ("active", "2026-12-01", ("warn",)),
        ("active", "2027-01-01", ("expire",)),
        ("expiring", "2026-12-31", ()),
        ("expiring", "2027-01-01", ("expire",)),
        ("renewed", "2027-01-01", ()),
        ("signed", "2026-06-01", ()),
        ("expired", "2027-06-01", ()),
    ],
)
def test_due_actions(stored, day, expected) -> None:
    assert due_actions(stored, D(day), start=START, end=END) == expected


@pytest.mark.parametrize(
    ("old_end", "new_start", "gap"),
    [
        ("2026-12-31", "2027-01-01", 0),
        ("2026-12-31", "2026-12-01", 0),  # overlapping
        ("2026-12-31", "2027-01-05", 4),  # Jan 1–4 uncovered
    ],
)
def test_renewal_gap(old_end, new_start, gap) -> None:
    assert renewal_gap_days(D(old_end), D(new_start)) == gap


# --------------------------------------------------------------------- completeness (§3.2)

COMPLETE = {
    "items": [1, 2, 5],
    "modes": ["patrol", "referral"],
    "start": START,
    "end": END,
    "home_duties": "提供诊疗场所，配合巡诊",
    "medical_duties": "每两周巡诊一次",
    "fee": Decimal("12000.00"),
    "fee_factors": ["workload", "distance"],
    "patrol_interval_days": 14,
}


def test_a_complete_agreement_has_no_problems() -> None:
    assert agreement_problems(**COMPLETE) == ()
    assert agreement_problems(**{**COMPLETE, "fee": 0, "fee_factors": []}) == ()
    assert (
        agreement_problems(**{**COMPLETE, "modes": ["telemed"], "patrol_interval_days": None}) == ()
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"items": []}, "协议至少应选择一项服务项目"),
        (
            {"modes": ["visit"]},
            "未知的合作方式：'visit'（应为 patrol、trusteeship、station、"
            "resident_staff、multi_site、referral、telemed、green_channel、aftercare）",
        ),
        ({"start": None}, "未填写合作期限（起止日期）"),
        ({"end": D("2025-06-30")}, "协议截止日期 2025-06-30 早于起始日期 2026-01-01"),
        ({"home_duties": "  "}, "未填写养老服务机构的责任"),
        ({"medical_duties": None}, "未填写医疗卫生机构的责任"),
        ({"fee": None}, "未填写合作经费（无偿合作请填 0）"),
        ({"fee": "-1"}, "合作经费应为不小于 0、最多两位小数的金额：'-1'"),
        ({"fee": "10.005"}, "合作经费应为不小于 0、最多两位小数的金额：'10.005'"),
        ({"fee": "abc"}, "合作经费应为不小于 0、最多两位小数的金额：'abc'"),
        ({"fee_factors": []}, "请注明合作经费是依据哪些因素协商确定的"),
        ({"fee_factors": ["luck"]}, "未知的经费确定因素：'luck'"),
        ({"patrol_interval_days": None}, "合作方式包含巡诊，应约定巡诊周期"),
        ({"patrol_interval_days": 0}, "巡诊周期应在 1–365 天之间"),
    ],
)
def test_each_missing_clause_is_named(change, problem) -> None:
    assert agreement_problems(**{**COMPLETE, **change}) == (problem,)


# ---------------------------------------------------------------------------- patrol visits

WEEKLY = (D("2026-03-02"), D("2026-03-09"), D("2026-03-16"), D("2026-03-23"), D("2026-03-30"))


@pytest.mark.parametrize(
    ("start", "end", "interval", "until", "expected"),
    [
        # weekly from Monday 2 March: 2, 9, 16, 23, 30
        ("2026-03-02", "2026-03-31", 7, "2026-12-31", WEEKLY),
        # every 30 days: Jan 1, Jan 31, Mar 2 (Jan 31 + 30); Apr 1 is after the end
        (
            "2026-01-01",
            "2026-03-31",
            30,
            "2026-12-31",
            (D("2026-01-01"), D("2026-01-31"), D("2026-03-02")),
        ),
        # cut at `until` (inclusive)
        ("2026-01-01", "2026-03-31", 30, "2026-01-31", (D("2026-01-01"), D("2026-01-31"))),
        # daily over three days
        (
            "2026-03-01",
            "2026-03-03",
            1,
            "2026-03-31",
            (D("2026-03-01"), D("2026-03-02"), D("2026-03-03")),
        ),
        # nothing due before the start
        ("2026-03-01", "2026-03-31", 7, "2026-02-28", ()),
        # a one-day term
        ("2026-03-01", "2026-03-01", 7, "2026-03-31", (D("2026-03-01"),)),
    ],
)
def test_patrol_due_dates(start, end, interval, until, expected) -> None:
    assert patrol_due_dates(D(start), D(end), interval, until=D(until)) == expected


def test_default_grace_is_half_the_interval() -> None:
    assert [default_grace_days(i) for i in (1, 2, 7, 14, 30)] == [0, 1, 3, 7, 15]
    assert check_grace_days(3, 7) == 3
    with pytest.raises(ValueError, match="^巡诊宽限天数不能超过巡诊周期的一半$"):
        check_grace_days(4, 7)
    with pytest.raises(ValueError, match="不能为负数"):
        check_grace_days(-1)
    for bad in (0, 366, True, "7", 7.0):
        with pytest.raises(ValueError, match="巡诊周期"):
            check_patrol_interval(bad)


def test_weekly_patrol_with_two_gaps() -> None:
    # windows (grace 3): 2 → Feb 27–Mar 5, 9 → 6–12, 16 → 13–19, 23 → 20–26, 30 → 27–Apr 2
    visits = [D("2026-03-03"), D("2026-03-13"), D("2026-03-27")]
    slots = patrol_slots(WEEKLY, visits, today=D("2026-03-31"), grace_days=3)
    assert [(s.due, s.visit, s.state.value) for s in slots] == [
        (D("2026-03-02"), D("2026-03-03"), "done"),
        (D("2026-03-09"), None, "missed"),
        (D("2026-03-16"), D("2026-03-13"), "done"),
        (D("2026-03-23"), None, "missed"),
        (D("2026-03-30"), D("2026-03-27"), "done"),
    ]
    assert missed_visits(WEEKLY, visits, today=D("2026-03-31"), grace_days=3) == (
        D("2026-03-09"),
        D("2026-03-23"),
    )


def test_pending_and_upcoming_are_not_missed() -> None:
    slots = patrol_slots(WEEKLY, [D("2026-03-03")], today=D("2026-03-24"), grace_days=3)
    assert [s.state.value for s in slots] == ["done", "missed", "missed", "pending", "upcoming"]
    assert PatrolState.PENDING.label == "待巡诊" and PatrolState.MISSED.label == "未按期巡诊"


@pytest.mark.parametrize(
    ("visits", "today", "state"),
    [
        ([], "2026-03-12", "pending"),  # last day of the window 6–12: not missed yet
        ([], "2026-03-13", "missed"),  # the window has closed
        (["2026-03-12"], "2026-03-13", "done"),  # on the last day of the window
        (["2026-03-06"], "2026-03-13", "done"),  # on the first day
        (["2026-03-05"], "2026-03-13", "missed"),  # a day early: outside the window
        (["2026-03-14"], "2026-03-14", "missed"),  # a day late
        ([], "2026-03-05", "upcoming"),  # the window opens on the 6th
        ([], "2026-03-06", "pending"),
        (["2026-03-10"], "2026-03-08", "pending"),  # a visit dated after today has not happened
    ],
)
def test_window_boundaries(visits, today, state) -> None:
    slots = patrol_slots([D("2026-03-09")], [D(v) for v in visits], today=D(today), grace_days=3)
    assert slots[0].state.value == state
    assert (slots[0].opens, slots[0].closes) == (D("2026-03-06"), D("2026-03-12"))


def test_one_visit_covers_one_due_date() -> None:
    # every 2 days, grace 1: windows Feb 28–Mar 2 and Mar 2–4 share Mar 2
    dues = [D("2026-03-01"), D("2026-03-03")]
    assert missed_visits(dues, [D("2026-03-02")], today=D("2026-03-05"), grace_days=1) == (
        D("2026-03-03"),
    )
    assert (
        missed_visits(dues, [D("2026-03-02"), D("2026-03-04")], today=D("2026-03-05"), grace_days=1)
        == ()
    )


def test_windows_are_cut_to_the_term() -> None:
    # due Mar 30, grace 3, term ends Mar 31: the window closes on the 31st, not Apr 2
    slots = patrol_slots(
        [D("2026-03-30")],
        [],
        today=D("2026-04-01"),
        grace_days=3,
        start=D("2026-03-02"),
        end=D("2026-03-31"),
    )
    assert (slots[0].opens, slots[0].closes, slots[0].state.value) == (
        D("2026-03-27"),
        D("2026-03-31"),
        "missed",
    )
    uncut = patrol_slots([D("2026-03-30")], [], today=D("2026-04-01"), grace_days=3)
    assert uncut[0].state.value == "pending"
    first = patrol_slots(
        [D("2026-03-02")], [], today=D("2026-03-01"), grace_days=3, start=D("2026-03-02")
    )
    assert first[0].opens == D("2026-03-02")


def test_repeated_due_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="巡诊应巡日期重复"):
        patrol_slots([D("2026-03-02")] * 2, [], today=D("2026-03-31"), grace_days=0)


# ------------------------------------------------------------------------------- referrals


def test_the_referral_table_is_exactly_the_one_written_here() -> None:
    got = {(s.value, a.value): t.value for (s, a), t in REFERRAL_TRANSITIONS.items()}
    assert got == REFERRAL_TABLE


@pytest.mark.parametrize(("state", "action"), list(REFERRAL_TABLE))
def test_every_allowed_referral_step(state, action) -> None:
    assert _ref(state, action) == REFERRAL_TABLE[(state, action)]
    assert ReferralAction(action) in allowed_referral_actions(state)


@pytest.mark.parametrize(("state", "action"), R_DISALLOWED)
def test_every_other_referral_step_is_refused(state, action) -> None:
    with pytest.raises(InvalidTransition):
        _ref(state, action)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("requested", "transfer"),  # not accepted yet
        ("requested", "admit"),
        ("requested", "return"),
        ("accepted", "admit"),  # not transferred yet
        ("accepted", "return"),
        ("transferred", "return"),  # not admitted yet
    ],
)
def test_a_referral_cannot_skip_a_state(state, action) -> None:
    with pytest.raises(InvalidTransition):
        _ref(state, action)


def test_referral_refusal_message() -> None:
    with pytest.raises(ValueError, match="^“待接收”状态的转诊不能收治$"):
        referral_transition("requested", "admit")


@pytest.mark.parametrize("reason", [None, "", " "])
def test_decline_cancel_and_close_need_a_reason(reason) -> None:
    with pytest.raises(ValueError, match="^拒绝转诊必须填写原因$"):
        referral_transition("requested", "decline", reason=reason)
    with pytest.raises(ValueError, match="^撤销转诊必须填写原因$"):
        referral_transition("accepted", "cancel", reason=reason)
    with pytest.raises(ValueError, match="^结案转诊必须填写原因$"):
        referral_transition("admitted", "close", reason=reason)
    assert referral_transition("requested", "decline", reason="床位已满") == "declined"


@pytest.mark.parametrize("summary", [None, "", "\n"])
def test_return_needs_the_discharge_summary(summary) -> None:
    with pytest.raises(ValueError, match="^返回时必须附出院小结$"):
        referral_transition("admitted", "return", summary=summary)
    assert referral_transition("admitted", "return", summary="肺炎治愈出院") == "returned"


def test_a_full_referral() -> None:
    state: ReferralState | str = "requested"
    for action in ("accept", "transfer", "admit", "return"):
        state = _ref(state, action)
    assert state == ReferralState.RETURNED
    assert {s.value for s in TERMINAL_REFERRAL_STATES} == {
        "declined",
        "returned",
        "cancelled",
        "closed",
    }
    for s in TERMINAL_REFERRAL_STATES:
        assert allowed_referral_actions(s) == frozenset()


@pytest.mark.parametrize(
    ("kind", "modes", "ok"),
    [
        ("up", ["referral"], True),
        ("up", ["patrol"], False),
        ("down", ["aftercare"], True),
        ("down", ["referral", "patrol"], True),
        ("green_channel", ["green_channel"], True),
        ("green_channel", ["referral"], False),
    ],
)
def test_the_agreement_must_provide_for_the_kind(kind, modes, ok) -> None:
    if ok:
        assert check_referral_kind(kind, modes) == kind
    else:
        with pytest.raises(ValueError, match="^协议未约定"):
            check_referral_kind(kind, modes)


def test_kind_refusal_message() -> None:
    with pytest.raises(
        ValueError, match="^协议未约定“急诊急救绿色通道”合作方式，不能发起急诊急救绿色通道$"
    ):
        check_referral_kind("green_channel", ["patrol"])
    with pytest.raises(ValueError, match="^协议未约定“双向转诊”或“后期康复护理场所”合作方式"):
        check_referral_kind("down", ["patrol"])


# -------------------------------------------------------------------------- referral clocks

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 10, 8, 0, tzinfo=CST)


def test_response_limits_default_to_our_choice() -> None:
    assert dict(RESPONSE_LIMITS) == {
        "up": timedelta(hours=24),
        "down": timedelta(hours=24),
        "green_channel": timedelta(minutes=15),
    }
    assert response_due(AT, "up") == datetime(2026, 3, 11, 8, 0, tzinfo=CST)
    assert response_due(AT, "green_channel") == datetime(2026, 3, 10, 8, 15, tzinfo=CST)


@pytest.mark.parametrize(
    ("kind", "now", "overdue"),
    [
        ("green_channel", datetime(2026, 3, 10, 8, 14, 59, tzinfo=CST), False),
        ("green_channel", datetime(2026, 3, 10, 8, 15, tzinfo=CST), False),  # at the deadline
        ("green_channel", datetime(2026, 3, 10, 8, 15, 1, tzinfo=CST), True),
        ("green_channel", datetime(2026, 3, 10, 0, 15, 1, tzinfo=UTC), True),  # same instant, UTC
        ("up", datetime(2026, 3, 11, 8, 0, tzinfo=CST), False),
        ("up", datetime(2026, 3, 11, 8, 0, 1, tzinfo=CST), True),
        ("down", datetime(2026, 3, 10, 20, 0, tzinfo=CST), False),
    ],
)
def test_response_overdue(kind, now, overdue) -> None:
    assert response_overdue(AT, now, kind) is overdue


def test_an_answered_request_is_never_overdue() -> None:
    late = AT + timedelta(days=3)
    for state in ("accepted", "declined", "cancelled"):
        assert response_overdue(AT, late, "up", state=state) is False


def test_limits_can_be_set() -> None:
    limits = {k: timedelta(hours=2) for k in ReferralKind}
    assert response_overdue(AT, AT + timedelta(hours=3), "up", limits=limits) is True
    assert response_overdue(AT, AT + timedelta(hours=1), "up", limits=limits) is False


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="必须是带时区的时间"):
        response_overdue(datetime(2026, 3, 10, 8, 0), AT, "up")
    with pytest.raises(ValueError, match="必须是带时区的时间"):
        response_overdue(AT, datetime(2026, 3, 10, 9, 0), "up")
    with pytest.raises(ValueError, match="未知的转诊类型"):
        response_due(AT, "sideways")


# ------------------------------------------------------------------------------ properties

days = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@st.composite
def terms(draw):  # type: ignore[no-untyped-def]
    start = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    return start, start + timedelta(days=draw(st.integers(0, 800)))


@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.booleans(), st.booleans()), max_size=30))
def test_any_action_sequence_follows_the_table_or_raises(steps) -> None:
    state = "draft"
    for action, with_reason, with_document in steps:
        expected = AGREEMENT_TABLE.get((state, action))
        needs = (action in ("terminate", "withdraw") and not with_reason) or (
            action == "sign" and not with_document
        )
        try:
            new = transition(
                state, action, reason="原因" if with_reason else None, signed_document=with_document
            )
        except ValueError:
            assert expected is None or needs
            if expected is None:
                assert is_terminal(state) or AgreementAction(action) not in allowed_actions(state)
            continue
        assert expected is not None and not needs
        assert new == expected
        state = new.value


@given(days, terms(), st.sampled_from(STATES), st.integers(0, 365), st.none() | days)
def test_access_is_never_granted_outside_the_term(day, term, state, warn, terminated_on) -> None:
    start, end = term
    access = is_access_active(day, start=start, end=end, state=state, terminated_on=terminated_on)
    if access:
        assert start <= day <= end
        assert state in {"published", "active", "expiring", "renewed", "terminated"}
    if state == "terminated" and (terminated_on is None or day >= terminated_on):
        assert not access
    if state in {"published", "active", "expiring", "renewed"}:
        assert access == (start <= day <= end)


@given(
    days,
    terms(),
    st.sampled_from(["published", "active", "expiring"]),
    st.integers(0, 365),
)
def test_the_effective_state_follows_the_dates(day, term, state, warn) -> None:
    start, end = term
    got = status_on(day, start=start, end=end, state=state, warn_days=warn)
    if day < start:
        assert got == "published"
    elif day > end:
        assert got == "expired"
    elif (end - day).days <= warn:
        assert got == "expiring"
    else:
        assert got == "active"


@given(days, terms(), st.sampled_from(["published", "active", "expiring"]), st.integers(0, 365))
def test_the_clock_reaches_the_effective_state(day, term, state, warn) -> None:
    start, end = term
    current: AgreementState | str = state
    for action in due_actions(state, day, start=start, end=end, warn_days=warn):
        current = transition(current, action)
    target = status_on(day, start=start, end=end, state=state, warn_days=warn)
    if target != "published" and not (state == "expiring" and target == "active"):
        assert current == target


@given(terms(), st.integers(1, 60), days)
def test_due_dates_are_spaced_by_the_interval_within_the_term(term, interval, until) -> None:
    start, end = term
    dues = patrol_due_dates(start, end, interval, until=until)
    assert all(start <= d <= min(end, until) for d in dues)
    assert all((b - a).days == interval for a, b in zip(dues, dues[1:], strict=False))
    if dues:
        assert dues[0] == start
        assert dues[-1] + timedelta(days=interval) > min(end, until)
    else:
        assert until < start


def _max_matching(dues, visits, grace):  # type: ignore[no-untyped-def]
    """Largest number of due dates coverable, one visit each (Kuhn's algorithm)."""
    owner: dict[int, int] = {}

    def augment(i, seen):  # type: ignore[no-untyped-def]
        for j, v in enumerate(visits):
            if abs((v - dues[i]).days) <= grace and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(dues)))


@given(
    st.sets(st.dates(date(2026, 1, 1), date(2026, 3, 31)), max_size=8),
    st.lists(st.dates(date(2025, 12, 1), date(2026, 4, 30)), max_size=10),
    st.integers(0, 10),
)
def test_patrol_matching_is_as_good_as_any(dues, visits, grace) -> None:
    dues, today = sorted(dues), date(2026, 12, 31)  # every window has closed
    slots = patrol_slots(dues, visits, today=today, grace_days=grace)
    done = [s for s in slots if s.state is PatrolState.DONE]
    assert len(done) == _max_matching(dues, sorted(visits), grace)
    assert len(done) + len(missed_visits(dues, visits, today=today, grace_days=grace)) == len(dues)
    used = [s.visit for s in done]
    for v in set(used):  # no visit is used more often than it happened
        assert used.count(v) <= visits.count(v)
    for s in done:
        assert s.opens <= s.visit <= s.closes


@given(
    st.sets(st.dates(date(2026, 1, 1), date(2026, 3, 31)), max_size=8),
    st.integers(0, 10),
    st.dates(date(2025, 12, 1), date(2026, 5, 31)),
)
def test_a_visit_on_each_due_date_misses_nothing(dues, grace, today) -> None:
    visits = [d for d in dues if d <= today]
    assert missed_visits(sorted(dues), visits, today=today, grace_days=grace) == ()


@given(
    st.sets(st.dates(date(2026, 1, 1), date(2026, 3, 31)), max_size=8),
    st.lists(st.dates(date(2026, 1, 1), date(2026, 3, 31)), max_size=8),
    st.integers(0, 10),
    st.dates(date(2026, 1, 1), date(2026, 5, 31)),
)
def test_missed_means_the_window_has_closed(dues, visits, grace, today) -> None:
    for s in patrol_slots(sorted(dues), visits, today=today, grace_days=grace):
        assert (s.state is PatrolState.MISSED) <= (today > s.closes)
        assert (s.state is PatrolState.UPCOMING) <= (today < s.opens)
        assert (s.visit is None) == (s.state is not PatrolState.DONE)


@given(st.lists(st.tuples(st.sampled_from(R_ACTIONS), st.booleans()), max_size=20))
def test_any_referral_sequence_follows_the_table_or_raises(steps) -> None:
    state, history = "requested", ["requested"]
    for action, complete in steps:
        expected = REFERRAL_TABLE.get((state, action))
        try:
            new = referral_transition(
                state,
                action,
                reason="原因" if complete else None,
                summary="小结" if complete else None,
            )
        except ValueError:
            assert expected is None or (
                not complete and action in ("decline", "cancel", "close", "return")
            )
            continue
        assert new == expected
        state = new.value
        history.append(state)
    if state == "returned":
        assert history == ["requested", "accepted", "transferred", "admitted", "returned"]
    if state in {"declined", "returned", "cancelled", "closed"}:
        assert allowed_referral_actions(state) == frozenset()


@given(
    st.sampled_from(list(ReferralKind)),
    st.integers(0, 3 * 24 * 3600),
    st.integers(0, 3 * 24 * 3600),
)
def test_overdue_is_monotone_and_never_before_the_deadline(kind, a, b) -> None:
    early, late = sorted((a, b))
    first = response_overdue(AT, AT + timedelta(seconds=early), kind)
    second = response_overdue(AT, AT + timedelta(seconds=late), kind)
    assert first <= second
    assert first == (timedelta(seconds=early) > RESPONSE_LIMITS[kind])


@pytest.mark.parametrize("module", ["yiyang.agreements.rules", "yiyang.agreements.catalogue"])
def test_pure_modules_import_no_django(module) -> None:
    import ast
    import importlib
    from pathlib import Path

    source = Path(importlib.import_module(module).__file__ or "").read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert {m.split(".")[0] for m in imported} <= {
        "__future__",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "types",
        "typing",
        "yiyang",
    }
    assert not {
        m for m in imported if m.startswith("yiyang.") and not m.startswith("yiyang.agreements")
    }
