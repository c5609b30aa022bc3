"""Medication-order rules: times, frequencies, the doses of a day, dates, status. No database.

The expected values are written out by hand: qd 1 time, bid 2, tid 3, qid 4, qn 1, q8h 3 evenly
8 h apart, q12h 2 evenly 12 h apart, prn none (indication required), once 1 on the start day,
weekly 1 every 7th day from the start day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.medication.rules import (
    DEFAULT_TIMES,
    DOSES_PER_DAY,
    SPACING_MINUTES,
    EffectiveStatus,
    Frequency,
    ScheduleError,
    check_dates,
    check_schedule,
    check_stop_date,
    doses_on,
    effective_status,
    last_day,
    parse_time,
)

MON = date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(("text", "expected"), [
    ("08:00", "08:00"), ("8:00", "08:00"), ("08：30", "08:30"), (" 23:59 ", "23:59"),
    ("0:00", "00:00"),
])
def test_times_are_normalised(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "08:60", "8", "0800", "08:0", "早上", "", "-1:00",
                                  "08:00:00"])
def test_bad_times_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(ScheduleError) as err:
        parse_time(text)
    assert err.value.field == "times" and "给药时间" in err.value.message


@pytest.mark.parametrize(("frequency", "count"), [
    ("qd", 1), ("bid", 2), ("tid", 3), ("qid", 4), ("qn", 1), ("q8h", 3), ("q12h", 2),
    ("prn", 0), ("once", 1), ("weekly", 1),
])
def test_doses_per_day_table(frequency: str, count: int) -> None:
    assert DOSES_PER_DAY[Frequency(frequency)] == count


@pytest.mark.parametrize(("frequency", "times", "expected"), [
    ("qd", ["8:00"], ("08:00",)),
    ("bid", ["16:00", "08:00"], ("08:00", "16:00")),
    ("tid", ["07:30", "11:30", "17:30"], ("07:30", "11:30", "17:30")),
    ("qid", ["08:00", "12:00", "16:00", "20:00"], ("08:00", "12:00", "16:00", "20:00")),
    ("qn", ["21:00"], ("21:00",)),
    ("q8h", ["22:00", "06:00", "14:00"], ("06:00", "14:00", "22:00")),
    ("q8h", ["00:00", "08:00", "16:00"], ("00:00", "08:00", "16:00")),
    ("q12h", ["09:00", "21:00"], ("09:00", "21:00")),
    ("once", ["10:15"], ("10:15",)),
    ("weekly", ["06:30"], ("06:30",)),
])
def test_valid_schedules(frequency: str, times: list[str], expected: tuple[str, ...]) -> None:
    assert check_schedule(frequency, times) == (Frequency(frequency), expected, "")


@pytest.mark.parametrize(("frequency", "expected"), [
    ("qd", ("08:00",)), ("bid", ("08:00", "16:00")), ("tid", ("08:00", "12:00", "16:00")),
    ("qid", ("08:00", "12:00", "16:00", "20:00")), ("qn", ("20:00",)),
    ("q8h", ("06:00", "14:00", "22:00")), ("q12h", ("08:00", "20:00")), ("weekly", ("08:00",)),
])
def test_no_times_means_the_usual_ward_times(frequency: str, expected: tuple[str, ...]) -> None:
    assert check_schedule(frequency, [])[1] == expected


@pytest.mark.parametrize(("frequency", "times", "field", "code"), [
    ("qd", ["08:00", "20:00"], "times", "times_count"),
    ("bid", ["08:00"], "times", "times_count"),
    ("tid", ["08:00", "12:00"], "times", "times_count"),
    ("qid", ["08:00", "12:00", "16:00"], "times", "times_count"),
    ("bid", ["08:00", "08:00"], "times", "duplicate_time"),
    ("bid", ["08:00", "8:00"], "times", "duplicate_time"),
    ("q8h", ["08:00", "12:00", "20:00"], "times", "uneven_times"),
    ("q12h", ["08:00", "18:00"], "times", "uneven_times"),
    ("once", [], "times", "required"),
    ("prn", ["08:00"], "times", "invalid_schedule"),
    ("hourly", ["08:00"], "frequency", "invalid_choice"),
    ("", [], "frequency", "invalid_choice"),
])
def test_schedules_refused(frequency: str, times: list[str], field: str, code: str) -> None:
    with pytest.raises(ScheduleError) as err:
        check_schedule(frequency, times, "")
    assert (err.value.field, err.value.code) == (field, code)


def test_prn_needs_its_indication_and_only_prn_has_one() -> None:
    with pytest.raises(ScheduleError) as err:
        check_schedule("prn", [], "  ")
    assert err.value.field == "prn_indication" and "用药指征" in err.value.message
    assert check_schedule("prn", [], " 血压>160/100 时 ") == (Frequency.PRN, (), "血压>160/100 时")
    with pytest.raises(ScheduleError) as err:
        check_schedule("qd", ["08:00"], "血压>160/100 时")
    assert err.value.field == "prn_indication"
    with pytest.raises(ScheduleError):
        check_schedule("prn", [], "血" * 101)


def test_doses_of_a_day_by_frequency() -> None:
    tid = ("08:00", "12:00", "16:00")
    assert doses_on(MON, frequency="tid", times=tid, start_on=MON) == tid
    assert doses_on(MON - timedelta(days=1), frequency="tid", times=tid, start_on=MON) == ()
    # Stop dates are the last day, inclusive; the earlier of planned and recorded wins.
    end = MON + timedelta(days=6)
    assert doses_on(end, frequency="tid", times=tid, start_on=MON, stop_on=end) == tid
    assert doses_on(end + timedelta(days=1), frequency="tid", times=tid, start_on=MON,
                    stop_on=end) == ()
    assert doses_on(MON + timedelta(days=3), frequency="tid", times=tid, start_on=MON,
                    stop_on=end, stopped_on=MON + timedelta(days=2)) == ()
    assert doses_on(MON, frequency="prn", times=(), start_on=MON) == ()
    assert doses_on(MON, frequency="once", times=("10:00",), start_on=MON) == ("10:00",)
    assert doses_on(MON + timedelta(days=1), frequency="once", times=("10:00",),
                    start_on=MON) == ()
    weekly = [d for d in range(22)
              if doses_on(MON + timedelta(days=d), frequency="weekly", times=("06:30",),
                          start_on=MON)]
    assert weekly == [0, 7, 14, 21]


def test_dates() -> None:
    assert check_dates(MON, None) is None
    assert check_dates(MON, MON) == MON
    assert check_dates(MON, None, "once") == MON
    with pytest.raises(ScheduleError) as err:
        check_dates(MON, MON - timedelta(days=1))
    assert err.value.field == "stop_on"
    today = MON + timedelta(days=10)
    assert check_stop_date(today, start_on=MON, today=today) == today
    assert check_stop_date(MON, start_on=MON, today=today) == MON
    with pytest.raises(ScheduleError):
        check_stop_date(today + timedelta(days=1), start_on=MON, today=today)
    with pytest.raises(ScheduleError):
        check_stop_date(MON - timedelta(days=1), start_on=MON, today=today)
    # An order that starts next week can be stopped today (it never takes effect).
    assert check_stop_date(MON, start_on=MON + timedelta(days=7), today=MON) == MON
    assert last_day(None, None) is None
    assert last_day(MON, MON + timedelta(days=1)) == MON


@pytest.mark.parametrize(("stopped", "start", "stop", "expected"), [
    (False, MON, None, EffectiveStatus.ACTIVE),
    (False, MON + timedelta(days=1), None, EffectiveStatus.PENDING),
    (False, MON - timedelta(days=7), MON - timedelta(days=1), EffectiveStatus.ENDED),
    (False, MON - timedelta(days=7), MON, EffectiveStatus.ACTIVE),
    (True, MON - timedelta(days=7), None, EffectiveStatus.STOPPED),
])
def test_effective_status(stopped: bool, start: date, stop: date | None,
                          expected: EffectiveStatus) -> None:
    assert effective_status(stopped=stopped, start_on=start, stop_on=stop, today=MON) == expected
    assert expected.label in {"执行中", "未开始", "已到期", "已停止"}


# ---- properties -----------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


def _hhmm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


@given(minutes)
def test_every_minute_of_the_day_round_trips(m: int) -> None:
    text = _hhmm(m)
    assert parse_time(text) == text
    assert parse_time(f"{m // 60}:{m % 60:02d}") == text


@given(st.sampled_from([f for f in Frequency if f is not Frequency.PRN]),
       st.sets(minutes, min_size=0, max_size=5))
def test_a_schedule_is_accepted_exactly_when_the_count_fits(freq: Frequency,
                                                             marks: set[int]) -> None:
    times = [_hhmm(m) for m in marks]
    wanted = DOSES_PER_DAY[freq]
    try:
        _, out, _ = check_schedule(freq.value, times)
    except ScheduleError as exc:
        if exc.code == "uneven_times":
            assert len(times) == wanted and freq in SPACING_MINUTES
        else:
            assert len(times) != wanted and exc.code in ("times_count", "required")
        return
    if times:
        assert len(out) == wanted == len(times) and list(out) == sorted(times)
    else:
        assert out == DEFAULT_TIMES[freq]


@given(st.sampled_from([Frequency.Q8H, Frequency.Q12H]), minutes)
def test_evenly_spaced_round_the_clock_times_are_accepted(freq: Frequency, first: int) -> None:
    step = 24 * 60 // DOSES_PER_DAY[freq]
    times = [_hhmm((first + i * step) % (24 * 60)) for i in range(DOSES_PER_DAY[freq])]
    assert check_schedule(freq.value, times)[1] == tuple(sorted(times))


@given(st.sampled_from(list(Frequency)), st.dates(min_value=date(2020, 1, 1),
                                                  max_value=date(2030, 1, 1)),
       st.integers(min_value=0, max_value=60), st.integers(min_value=-30, max_value=90))
def test_no_doses_outside_the_order_and_within_it_only_its_times(
        freq: Frequency, start: date, length: int, offset: int) -> None:
    times = () if freq is Frequency.PRN else DEFAULT_TIMES.get(freq, ("10:00",))
    stop = start + timedelta(days=length)
    day = start + timedelta(days=offset)
    got = doses_on(day, frequency=freq.value, times=times, start_on=start, stop_on=stop)
    if day < start or day > stop or freq is Frequency.PRN:
        assert got == ()
    else:
        assert got in ((), tuple(sorted(times)))
        scheduled_every_day = freq not in (Frequency.ONCE, Frequency.WEEKLY)
        assert bool(got) == (scheduled_every_day or (day - start).days % 7 == 0
                             and (freq is Frequency.WEEKLY or day == start))
