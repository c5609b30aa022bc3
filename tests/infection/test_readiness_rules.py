"""Readiness rules: vaccination status and the flag off direct-contact posts (seed 001 item
10), supplies and the county demand list (item 7), team readiness (item 8), shift rotation
(items 19–20). No database; expected values written out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yiyang.infection.readiness_rules import (
    Dose,
    Shift,
    apply_movement,
    check_measures,
    demand_list,
    flagged_off_direct_contact,
    rotation_flags,
    shortfall,
    team_ready,
    vaccination_status,
)

T = date(2026, 12, 1)


def _d(days_ago: int, kind: str = "primary", product: str = "inactivated", **kw) -> Dose:  # type: ignore[no-untyped-def]
    return Dose(kind, T - timedelta(days=days_ago), product, **kw)


@pytest.mark.parametrize(("doses", "full", "booster", "label"), [
    ([], False, False, "未接种"),
    ([_d(100)], False, False, "未全程（1/2 剂）"),
    ([_d(100), _d(70)], True, False, "已全程接种"),
    ([_d(300), _d(270), _d(60, "booster")], True, True, "已全程接种并加强"),
    ([_d(30, product="adenovirus")], True, False, "已全程接种"),
    ([_d(90, product="recombinant"), _d(60, product="recombinant")], False, False,
     "未全程（2/3 剂）"),
    ([_d(10, "contraindication", "", reason="妊娠")], False, False, "接种禁忌"),
    ([_d(10, "deferral", "", until=T + timedelta(days=20), reason="发热")], False, False,
     "暂缓接种"),
])
def test_vaccination_status(doses, full: bool, booster: bool, label: str) -> None:  # type: ignore[no-untyped-def]
    status = vaccination_status(doses, T)
    assert (status.full_course, status.booster, status.label) == (full, booster, label)


def test_a_booster_before_the_course_is_complete_is_not_a_booster() -> None:
    status = vaccination_status([_d(100), _d(90, "booster")], T)
    assert not status.full_course and not status.booster


@pytest.mark.parametrize(("doses", "direct", "flagged"), [
    ([], True, True),
    ([], False, False),
    ([_d(100)], True, True),
    ([_d(100), _d(70)], True, False),
    ([_d(10, "contraindication", "", reason="过敏")], True, True),
])
def test_not_fully_vaccinated_staff_are_flagged_off_direct_contact_posts(
        doses, direct: bool, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    status = vaccination_status(doses, T)
    assert flagged_off_direct_contact(status, direct_contact=direct) is flagged


def test_supply_movements() -> None:
    assert apply_movement(10, "receipt", 5) == 15
    assert apply_movement(10, "use", 4) == 6
    assert apply_movement(10, "count", 3) == 3
    with pytest.raises(ValueError, match="超过现有库存"):
        apply_movement(3, "use", 4)
    assert shortfall(30, 100) == 70 and shortfall(120, 100) == 0


def test_demand_list_adds_up_the_homes_shortfalls() -> None:
    lines = [
        ("甲院", "n95", 150, 200),           # short 50
        ("乙院", "n95", 20, 200),            # short 180
        ("丙院", "n95", 300, 200),           # enough
        ("甲院", "antigen_kit", 100, 100),   # exactly the minimum: not short
        ("乙院", "antigen_kit", 40, 100),    # short 60
        ("丙院", "disinfectant", 5, 20),     # short 15
    ]
    got = {d.kind: (d.total, d.by_home) for d in demand_list(lines)}
    assert got == {"n95": (230, {"甲院": 50, "乙院": 180}),
                   "antigen_kit": (60, {"乙院": 60}),
                   "disinfectant": (15, {"丙院": 15})}


def test_team_ready_within_ninety_days() -> None:
    assert team_ready(T - timedelta(days=90), T)
    assert not team_ready(T - timedelta(days=91), T)
    assert not team_ready(None, T)


def test_rotation_flags_long_shifts_and_short_rests() -> None:
    shifts = [
        Shift("1", "A组", T, T + timedelta(days=13)),                       # 14 days: ok
        Shift("1", "A组", T + timedelta(days=21), T + timedelta(days=30)),  # 7 days rest: ok
        Shift("2", "B组", T, T + timedelta(days=14)),                       # 15 days: too long
        Shift("2", "B组", T + timedelta(days=18), T + timedelta(days=20)),  # 3 days rest
    ]
    got = [(f.staff, f.code) for f in rotation_flags(shifts)]
    assert got == [("2", "too_long"), ("2", "short_rest")]


def test_measures_are_checked() -> None:
    assert check_measures(["cctv", "cctv", "door_sensors"]) == ["cctv", "door_sensors"]
    with pytest.raises(ValueError, match="未知"):
        check_measures(["moat"])
