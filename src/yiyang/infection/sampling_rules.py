"""Sampling rounds after a local case in the county (seed 001 item 13). Pure: no Django.

Seed 001 item 13: once the county (县/市/区/旗) has one or more local infections, every nursing
home in it completes one full round of nucleic-acid testing of everybody (residents and staff);
afterwards testing continues at a sampling ratio of **at least 20 % a day** (or as the county
requires).

The proposal of who is sampled today is a rotation: everyone not yet sampled since the local
case was marked comes first (new residents and new staff among them), then the least recently
sampled; ties are broken by the subject's key, so the proposal is deterministic. With a daily
quota of ⌈n × 20 %⌉ everybody is sampled at least once in every ⌈100 / 20⌉ = 5 consecutive days
(`tests/infection/test_sampling_rules.py` proves it with hypothesis).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

DAILY_PERCENT = 20  # seed 001 item 13: 每天至少 20% 的抽样比例
ROTATION_DAYS = math.ceil(100 / DAILY_PERCENT)  # everyone within 5 days


def daily_quota(population: int, percent: int = DAILY_PERCENT) -> int:
    """⌈population × percent / 100⌉: the fewest people to sample on a rotation day."""
    if population <= 0:
        return 0
    return -(-population * percent // 100)


@dataclass(frozen=True)
class Subject:
    """A person owed sampling: `key` is "r:<person id>" for a resident, "s:<membership id>" for
    a staff member; `name` only for display."""

    key: str
    name: str = ""


def _order_key(subject: Subject, last: Mapping[str, date | None]) -> tuple:
    when = last.get(subject.key)
    # Never sampled first; then the oldest sample; then the key (deterministic).
    return (0 if when is None else 1, when or date.min, subject.key)


def propose(subjects: Iterable[Subject], last_sampled: Mapping[str, date | None], *,
            full_round_done: bool, percent: int = DAILY_PERCENT) -> list[Subject]:
    """Who is sampled today.

    Before the full round is complete: everybody not sampled yet since the mark. Afterwards:
    the ⌈n × percent⌉ least recently sampled (never-sampled ones first).
    """
    people = sorted(subjects, key=lambda s: _order_key(s, last_sampled))
    if not full_round_done:
        return [s for s in people if last_sampled.get(s.key) is None]
    return people[:daily_quota(len(people), percent)]


@dataclass(frozen=True)
class DayCompletion:
    day: date
    phase: str  # "full_round" | "daily"
    population: int
    required: int
    sampled: int
    from_proposal: int
    met: bool

    @property
    def phase_label(self) -> str:
        return "全员检测" if self.phase == "full_round" else "每日抽样"

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.sampled)


def completion(*, days: list[date], population: Mapping[date, int],
               sampled: Mapping[date, set[str]], proposed: Mapping[date, set[str]],
               everyone: Mapping[date, set[str]], percent: int = DAILY_PERCENT
               ) -> list[DayCompletion]:
    """Completion of each day of a local-case period, in order.

    The full round lasts until everybody present on the first day has been sampled (cumulated
    from the first day); until then a day is met only when the round is complete that day.
    Every later day needs at least ⌈population × percent⌉ people sampled that day.
    `everyone[day]` is who was present on the day; `population[day]` its size.
    """
    out: list[DayCompletion] = []
    round_left: set[str] | None = None
    for day in days:
        done_today = sampled.get(day, set())
        from_prop = len(done_today & proposed.get(day, set()))
        size = population.get(day, 0)
        if round_left is None:
            round_left = set(everyone.get(day, set()))
        if round_left:
            round_left -= done_today
            out.append(DayCompletion(day, "full_round", size, size, len(done_today), from_prop,
                                     met=not round_left))
            continue
        need = daily_quota(size, percent)
        out.append(DayCompletion(day, "daily", size, need, len(done_today), from_prop,
                                 met=len(done_today) >= need))
    return out


def period_days(start: date, end: date | None, today: date) -> list[date]:
    """The days of a local-case period up to today (inclusive)."""
    last = min(end, today) if end else today
    if last < start:
        return []
    return [date.fromordinal(n) for n in range(start.toordinal(), last.toordinal() + 1)]
