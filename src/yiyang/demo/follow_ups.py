"""Demo follow-ups (REFERENCE §1.5): the last days of tier follow-ups in the six demo homes.

Red residents were asked after daily and yellow ones every few days; a few of each were missed
lately, so the schedule shows overdue rows (in home A at least two red ones). Home E follows
yellow residents every 2 days (its own setting). Written through the services, like
`demo/history.py`, so every row is checked and audited; the audit rows are then dated back to
the follow-up's own date and time. Deterministic (seeded) and idempotent: does nothing when any
follow-up exists. Runs after `build_demo_residents`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.core.permissions import Role
from yiyang.demo.orgs import HOMES, STAFF
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, NursingHome
from yiyang.residents import followup_services
from yiyang.residents.models import OPEN_STATUSES, FollowUpRecord, KeyPopulationRecord, Stay

__all__ = ["build_demo_follow_ups"]

RED_DAYS = 3  # days of daily follow-ups before the last one
YELLOW_DAYS = 6
WELL = ("精神好，饮食睡眠正常，无发热、咳嗽", "生命体征平稳，无不适主诉",
        "情绪稳定，按时服药，活动如常", "无咽痛、乏力等症状，已提醒勤洗手、戴口罩",
        "午睡后精神可，饮水量正常，二便正常")
MILD = ("夜间轻咳，无痰，无气促，嘱多饮水，继续观察", "自述乏力，食欲稍差，已通知医务室",
        "咽部不适，体温正常，抗原阴性，继续每日监测", "血压偏高（152/94），已告知驻院医生复测")
ACTIONS = ("继续每日一问", "按时随访", "明日复测体温血氧", "已告知家属", "")
LOW_SPO2 = ("活动后气促，血氧 91%，已联系签约医院医生评估", "联系签约医院，安排转诊")


def _recorders(key: str) -> list[str]:
    """The home's nurses and doctors (the manager where there is neither)."""
    found = [u for u, _, k, r, _ in STAFF if k == key and r in (Role.HOME_NURSE,
                                                                Role.HOME_DOCTOR)]
    return found or [u for u, _, k, r, _ in STAFF if k == key and r == Role.HOME_MANAGER]


def _actor(username: str):  # type: ignore[no-untyped-def]
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership, ip="10.41.2.31")


def _days(stay: Stay, since: date, today: date, step: int, gap: int,
          rng: random.Random) -> list[date]:
    """Follow-up days every `step` days from `since` (plus a random phase, so not everyone is
    due on the same day), stopping `gap` days before today (gap 0: up to today)."""
    out, day = [], max(since + timedelta(days=rng.randrange(step)), stay.admitted_on)
    while day <= today - timedelta(days=gap):
        out.append(day)
        day += timedelta(days=step)
    return out


def _when(rng: random.Random, day: date, now: datetime) -> time | None:
    minute = rng.choice((rng.randrange(8 * 60, 11 * 60 + 30), rng.randrange(14 * 60 + 30, 17 * 60)))
    at = time(minute // 60, minute % 60)
    if day == now.date() and at >= now.time():
        return None  # not yet today
    return at


def build_demo_follow_ups(*, seed: str = "yiyang-demo-follow-ups") -> int:
    """Returns the number of follow-ups written (0 when they already exist)."""
    if FollowUpRecord.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.localtime()
    today = now.date()
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    homes = {h.name: h for h in NursingHome.objects.filter(name__in=[s.name for s in HOMES])}
    written = 0
    for spec in HOMES:
        home = homes.get(spec.name)
        if home is None:
            continue
        if spec.key == "home_e":
            admin = _actor(next(u for u, _, k, r, _ in STAFF
                                if k == "home_e" and r == Role.HOME_MANAGER))
            followup_services.set_follow_up_policy(actor=admin, home_id=home.pk,
                                                   category="yellow", interval_days=2)
        actors = [_actor(u) for u in _recorders(spec.key)]
        current = {p: (c, on) for p, c, on in KeyPopulationRecord.objects.filter(
            is_current=True, person__stays__home=home, person__stays__status__in=OPEN_STATUSES)
            .values_list("person_id", "category", "classified_on")}
        stays = (Stay.objects.filter(home=home, status__in=OPEN_STATUSES,
                                     person_id__in=current).order_by("person__pinyin", "pk"))
        overdue_red = 0
        for stay in stays:
            category, classified_on = current[stay.person_id]
            if category == "green":
                continue
            red = category == "red"
            step = 1 if red else (2 if spec.key == "home_e" else 3)
            # Missed lately: red ones a few days ago (two at least in home A), yellow rarely.
            settled = classified_on < today - timedelta(days=10)
            missed = rng.random() < (0.1 if red else 0.08) or (
                red and settled and spec.key == "home_a" and overdue_red < 2)
            gap = (rng.randrange(2, 5) if red else rng.randrange(step + 1, step + 4)) \
                if missed else 0
            overdue_red += int(red and missed and settled)
            first = today - timedelta(days=(RED_DAYS if red else YELLOW_DAYS) + gap)
            for day in _days(stay, first, today, step, gap, rng):
                at = _when(rng, day, now)
                if at is None:
                    continue
                _record(rng, rng.choice(actors), stay, day, at, red)
                written += 1
    _date_back(start)
    return written


def _record(rng: random.Random, actor, stay: Stay, day: date, at: time, red: bool) -> None:  # type: ignore[no-untyped-def]
    away = stay.status != "in_residence"
    draw = rng.random()
    spo2, temperature = rng.randrange(95, 100), Decimal(f"36.{rng.randrange(2, 9)}")
    findings, action = rng.choice(WELL), rng.choice(ACTIONS)
    if draw < 0.15:
        findings = rng.choice(MILD)
        temperature = Decimal(f"37.{rng.randrange(0, 6)}")
    elif draw < 0.19 and red:
        spo2, findings, action = rng.choice((91, 92)), LOW_SPO2[0], LOW_SPO2[1]
    if away:
        findings = "电话询问本人及家属：" + findings
    followup_services.record_follow_up(
        actor=actor, person_id=stay.person_id, done_on=day, done_time=at,
        method=rng.choice(("phone", "video")) if away else
        rng.choice(("in_person", "in_person", "in_person", "phone")),
        spo2=None if away and rng.random() < 0.5 else spo2,
        temperature=None if away and rng.random() < 0.5 else temperature,
        antigen="negative" if rng.random() < 0.1 else "", findings=findings, next_action=action)


def _date_back(start: int) -> None:
    """Audit rows at the follow-up's own time (a few minutes after it) or, for settings, weeks
    ago."""
    events = list(AuditEvent.objects.filter(id__gt=start, action__startswith="residents.follow_up"))
    ids = [int(e.object_id) for e in events if e.action == "residents.follow_up.record"]
    when = {r.pk: (r.done_on, r.done_time) for r in FollowUpRecord.objects.filter(pk__in=ids)}
    zone = timezone.get_current_timezone()
    for event in events:
        if event.action == "residents.follow_up.record":
            day, at = when[int(event.object_id)]
            event.at = datetime.combine(day, at, zone) + timedelta(minutes=3)
        else:
            event.at = timezone.now() - timedelta(days=21)
    AuditEvent.objects.bulk_update(events, ["at"], batch_size=500)
