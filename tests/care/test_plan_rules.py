"""Pure rules of service plans: proposals from assessment results (REFERENCE §2, §5), schedules
per shift, late tasks, vital-sign ranges and alerts, review dates.  Table and property tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments import registry
from yiyang.care import plan_rules as r

F = r.Finding


def _codes(*findings: r.Finding) -> set[str]:
    return {p["code"] for p in r.propose(findings).problems}


def _keys(*findings: r.Finding) -> dict[str, set[str]]:
    return {p["code"]: {i["key"] for i in p["interventions"]} for p in r.propose(findings).problems}


def _outcome(code: str, answers: dict[str, int], context: dict | None = None) -> r.Finding:
    """A finding from the real instrument, so the bands and risks are the scale's own."""
    out = registry.get(code).evaluate(answers, context or {})
    return F(code, out.band, out.band_label, out.total, out.level,
             frozenset(x.value for x in out.risks))


def _answers(code: str, pick) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {q.code: pick(q.options, key=lambda o: o.score).value
            for q in registry.get(code).questions if q.required}


# (finding, problem codes proposed) — REFERENCE §5.2 Braden, §5.3 Morse, §5.6 MNA-SF, §5.4, §5.5
PROPOSALS = [
    (F("braden", "none", risks=frozenset()), set()),
    (F("braden", "low", risks=frozenset({"pressure"})), {"pressure"}),
    (F("braden", "moderate", risks=frozenset({"pressure"})), {"pressure"}),
    (F("braden", "at_risk", risks=frozenset({"pressure"})), {"pressure"}),
    (F("braden", "high", risks=frozenset({"pressure"})), {"pressure_high"}),
    (F("braden", "very_high", risks=frozenset({"pressure"})), {"pressure_high"}),
    (F("morse", "low", risks=frozenset()), set()),  # CN convention: <25 低危, no risk
    (F("morse", "low", risks=frozenset({"fall"})), {"fall"}),  # Morse original 25–50
    (F("morse", "moderate", risks=frozenset({"fall"})), {"fall"}),
    (F("morse", "high", risks=frozenset({"fall"})), {"fall_high"}),
    (F("mnasf", "normal"), set()),
    (F("mnasf", "at_risk", risks=frozenset({"malnutrition"})), {"nutrition_risk"}),
    (F("mnasf", "malnourished", risks=frozenset({"malnutrition"})), {"malnourished"}),
    (F("minicog", "positive", risks=frozenset({"cognitive"})), {"wandering"}),
    (F("ad8", "likely", risks=frozenset({"cognitive"})), {"wandering"}),
    (F("minicog", "negative"), set()),
    (F("gds15", "likely", risks=frozenset({"depression"})), {"mood"}),
    (F("gbt42195", "0", level=0), set()),
    (F("gbt42195", "1", level=1), set()),
    (F("gbt42195", "2", level=2), {"adl_help"}),
    (F("gbt42195", "3", level=3), {"adl_full"}),
    (F("gbt42195", "4", level=4), {"adl_full"}),
    (F("barthel", "severe", risks=frozenset({"dependency"})), {"adl_help"}),
]


@pytest.mark.parametrize(("finding", "expected"), PROPOSALS)
def test_each_result_proposes_its_problem(finding: r.Finding, expected: set[str]) -> None:
    assert _codes(finding) == expected


def test_braden_at_risk_proposes_two_hourly_turning_and_daily_skin_checks() -> None:
    plan = r.propose([F("braden", "low", risks=frozenset({"pressure"}))])
    (problem,) = plan.problems
    items = {i["key"]: i for i in problem["interventions"]}
    assert items["turning"]["frequency"] == "q2h"
    assert items["skin_check"]["frequency"] == "daily" and items["skin_check"]["times"] == ["09:00"]


def test_morse_high_proposes_fall_precautions_each_shift() -> None:
    assert _keys(F("morse", "high", risks=frozenset({"fall"}))) == {
        "fall_high": {"fall_precautions", "escort"}}


@pytest.mark.parametrize(("level", "nursing"), [(0, "third"), (1, "second"), (2, "first"),
                                                (3, "special"), (4, "special"), (None, None)])
def test_ability_level_proposes_the_nursing_level(level: int | None, nursing: str | None) -> None:
    found = [F("gbt42195", str(level), level=level)] if level is not None else []
    got = r.propose(found).nursing_level
    assert (got.value if got else None) == nursing


def test_a_gbt42195_level_wins_over_barthel_for_daily_living() -> None:
    codes = _codes(F("gbt42195", "1", level=1),
                   F("barthel", "severe", risks=frozenset({"dependency"})))
    assert "adl_help" not in codes


def test_real_instrument_outcomes_drive_the_proposal() -> None:
    worst_braden = _outcome("braden", _answers("braden", min))  # 6 points: 极高危
    highest_morse = _outcome("morse", _answers("morse", max))  # 125 points: 高危
    best_braden = _outcome("braden", _answers("braden", max))
    assert _codes(worst_braden, highest_morse) == {"pressure_high", "fall_high"}
    assert _codes(best_braden) == set()


findings = st.builds(
    F, instrument=st.sampled_from(["braden", "morse", "mnasf", "minicog", "gds15", "barthel",
                                   "gbt42195", "mmse", "tcm"]),
    band=st.sampled_from(["none", "low", "moderate", "high", "very_high", "at_risk",
                          "malnourished", "positive", "likely", "severe"]),
    level=st.one_of(st.none(), st.integers(0, 4)),
    risks=st.frozensets(st.sampled_from(["pressure", "fall", "malnutrition", "cognitive",
                                         "depression", "dependency"])))


@given(st.lists(findings, max_size=8))
def test_a_proposal_is_always_a_valid_plan_without_duplicates(found: list[r.Finding]) -> None:
    plan = r.propose(found)
    assert r.check_problems(plan.problems) == r.check_problems(r.check_problems(plan.problems))
    codes = [p["code"] for p in plan.problems]
    assert len(codes) == len(set(codes))
    for strong, weak in (("pressure_high", "pressure"), ("fall_high", "fall"),
                         ("adl_full", "adl_help"), ("malnourished", "nutrition_risk")):
        assert not (strong in codes and weak in codes)


# ---- schedules

DAY = date(2026, 3, 2)  # a Monday


def _slots(**kw) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(s.due.strftime("%d %H:%M"), s.shift) for s in r.slots_for_day(DAY, **kw)]


def test_every_two_hours_over_the_care_day_from_seven_to_seven() -> None:
    assert _slots(frequency="q2h") == [
        ("02 08:00", "day"), ("02 10:00", "day"), ("02 12:00", "day"), ("02 14:00", "day"),
        ("02 16:00", "evening"), ("02 18:00", "evening"), ("02 20:00", "evening"),
        ("02 22:00", "evening"), ("03 00:00", "night"), ("03 02:00", "night"),
        ("03 04:00", "night"), ("03 06:00", "night")]


def test_each_shift_once_an_hour_after_it_starts() -> None:
    assert _slots(frequency="each_shift") == [("02 08:00", "day"), ("02 16:00", "evening"),
                                              ("03 00:00", "night")]


def test_daily_times_before_seven_belong_to_the_night_shift() -> None:
    assert _slots(frequency="daily", times=["06:30", "08:00", "23:30"]) == [
        ("02 08:00", "day"), ("02 23:30", "night"), ("03 06:30", "night")]


def test_weekly_only_on_its_weekday() -> None:
    assert _slots(frequency="weekly", times=["08:00"], weekday=0) == [("02 08:00", "day")]
    assert _slots(frequency="weekly", times=["08:00"], weekday=1) == []


@given(st.sampled_from(["q2h", "q4h", "each_shift", "daily"]),
       st.lists(st.tuples(st.integers(0, 23), st.integers(0, 59)), min_size=1, max_size=4),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_slots_fall_inside_the_care_day_in_the_shift_that_holds_them(
        freq: str, hm: list[tuple[int, int]], day: date) -> None:
    times = [f"{h:02d}:{m:02d}" for h, m in hm]
    slots = r.slots_for_day(day, frequency=freq, times=times)
    begin = datetime.combine(day, time(7))
    assert all(begin <= s.due < begin + timedelta(days=1) for s in slots)
    assert [s.due for s in slots] == sorted(s.due for s in slots)
    for s in slots:
        shift, care_day = r.current_shift(s.due)
        assert (shift.code, care_day) == (s.shift, day)
    if freq == "daily":
        assert len(slots) == len(set(times))


def test_shifts_must_cover_the_day() -> None:
    with pytest.raises(r.PlanError, match="24 小时"):
        r.check_shifts([r.ShiftSpec("a", "白班", time(8), 12)])
    with pytest.raises(r.PlanError, match="结束时间"):
        r.check_shifts([r.ShiftSpec("a", "白班", time(8), 12),
                        r.ShiftSpec("b", "夜班", time(21), 12)])


def test_the_next_shift_after_the_night_is_tomorrows_morning() -> None:
    assert r.next_shift("night", DAY) == (r.DEFAULT_SHIFTS[0], DAY + timedelta(days=1))
    assert r.next_shift("day", DAY) == (r.DEFAULT_SHIFTS[1], DAY)


# ---- late tasks

DUE = datetime(2026, 3, 2, 10, 0)


@pytest.mark.parametrize(("status", "minutes", "state"), [
    ("pending", -45, "upcoming"), ("pending", -30, "due"), ("pending", 0, "due"),
    ("pending", 30, "due"), ("pending", 31, "late"), ("done", 300, "done"),
    ("not_done", 300, "not_done")])
def test_task_state_by_the_clock(status: str, minutes: int, state: str) -> None:
    assert r.task_state(status, DUE, DUE + timedelta(minutes=minutes)) == state


# ---- vital signs

def test_values_outside_the_default_range_raise_alerts() -> None:
    values = r.check_vitals({"systolic": "165", "diastolic": "95", "temperature": "36.5",
                             "spo2": "92"})
    alerts = r.vital_alerts(values, r.merge_ranges(None))
    assert [a.field for a in alerts] == ["systolic", "diastolic", "spo2"]
    assert alerts[0].message == "收缩压 165 mmHg 偏高（正常 90–139）"
    assert alerts[2].message.startswith("血氧饱和度 92 % 偏低")


def test_a_residents_own_range_overrides_the_default() -> None:
    values = r.check_vitals({"systolic": "145", "diastolic": "80"})
    assert [a.field for a in r.vital_alerts(values, r.merge_ranges(None))] == ["systolic"]
    own = r.merge_ranges(r.check_ranges({"systolic": ["100", "150"]}))
    assert r.vital_alerts(values, own) == []
    assert own["diastolic"] == r.DEFAULT_RANGES["diastolic"]


@pytest.mark.parametrize(("values", "message"), [
    ({}, "请至少填写一项体征"), ({"systolic": "120"}, "血压需同时填写"),
    ({"systolic": "70", "diastolic": "90"}, "收缩压应高于舒张压"),
    ({"temperature": "3.65"}, "不在可能的范围"), ({"pulse": "abc"}, "不是有效的数值")])
def test_implausible_entries_are_refused_in_chinese(values: dict, message: str) -> None:
    with pytest.raises(r.PlanError, match=message):
        r.check_vitals(values)


@given(st.decimals(min_value=30, max_value=43, places=1, allow_nan=False))
def test_temperature_alerts_exactly_outside_the_bounds(t: Decimal) -> None:
    alerts = r.vital_alerts(r.check_vitals({"temperature": t}), r.merge_ranges(None))
    assert bool(alerts) == (not Decimal("36.0") <= t <= Decimal("37.3"))


def test_a_range_with_low_above_high_is_refused() -> None:
    with pytest.raises(r.PlanError, match="下限不能高于上限"):
        r.check_ranges({"pulse": ["100", "60"]})


# ---- plan content and review

def test_interventions_need_times_when_daily_and_get_unique_keys() -> None:
    with pytest.raises(r.PlanError, match="需要填写执行时间"):
        r.check_problems([{"problem": "X", "goal": "Y", "interventions": [
            {"text": "Z", "frequency": "daily"}]}])
    clean = r.check_problems([{"problem": "X", "goal": "Y", "interventions": [
        {"key": "a", "text": "Z", "frequency": "q2h", "times": ["08:00"]},
        {"key": "a", "text": "W", "frequency": "each_shift"}]}])
    assert [i["key"] for i in clean[0]["interventions"]] == ["a", "a_2"]
    assert clean[0]["interventions"][0]["times"] == []


@pytest.mark.parametrize(("days", "state"), [(-1, "overdue"), (0, "soon"), (7, "soon"),
                                             (8, "ok")])
def test_review_state(days: int, state: str) -> None:
    assert r.review_state(DAY + timedelta(days=days), DAY) == state
    assert r.review_state(None, DAY) == "overdue"
