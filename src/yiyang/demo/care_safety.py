"""Demo data for Daily care (issue 6 items 3, 4, 6): pressure injuries with their healing, care-
risk incidents, health education sessions — a year of history in homes A and C.

* **Pressure injuries.**  Lesions present on admission (residents admitted in the last year),
  one stage-2 lesion found the evening of an admission day (within 24 h: not facility-acquired),
  stage-1 lesions of which one worsens to stage 2, and facility-acquired stage-2/3 lesions
  spread so that every month stays within 5 % except one month four months ago, where one
  resident has two lesions (counted once); last month has at least one case in each home.
  Each lesion has a weekly healing record; older ones healed.
* **Incidents.**  Falls (one with a hospital transfer and a fracture), a choking, a wandering and
  other events over the year, dated no later than the resident's last GB/T 42195 / Morse
  assessment (the re-assessment they triggered was done), and in home A a fall yesterday, so the
  resident's immediate re-assessment is due.
* **Education.**  One session a month (health education, skills training) with one month left
  out in each home (a gap the compliance page shows); home A held two mental-health lectures this
  year, home C one (§十二 wants two).

Written through the services (checked and audited like a user's).  Deterministic (seeded) and
idempotent: does nothing when any lesion, incident or session exists.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from yiyang.assessments.models import Assessment
from yiyang.care import safety_services as services
from yiyang.care.models import EducationSession, Incident, PressureInjury
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents.models import OPEN_STATUSES, Stay

__all__ = ["build_demo_care_safety"]

_SITES = ["sacrum", "sacrum", "heel", "heel", "trochanter", "ischium", "occiput", "ankle"]
_HEALING = ["创面红润，肉芽组织生长良好", "渗液减少，边缘上皮爬行", "创面缩小，无异味",
            "周围皮肤完整，无红肿"]
_TREAT = ["生理盐水清洗，水胶体敷料", "泡沫敷料，每 2 小时翻身", "减压气垫床，增加蛋白摄入",
          "藻酸盐敷料，营养科会诊"]


def _actor(username: str) -> Actor | None:
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username=username, is_active=True).order_by("id").first())
    return actor_for(membership) if membership is not None else None


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _months_back(today: date, n: int) -> date:
    """The first day of the month `n` months before today's month."""
    m = today.year * 12 + today.month - 1 - n
    return date(m // 12, m % 12 + 1, 1)


class _Home:
    def __init__(self, nurse: Actor, carer: Actor | None, rng: random.Random, today: date,
                 *, mental: int, gap: int, high_month: int | None) -> None:
        self.nurse, self.carer, self.rng, self.today = nurse, carer or nurse, rng, today
        self.mental, self.gap, self.high_month = mental, gap, high_month
        self.earliest = today - timedelta(days=360)
        self.stays = list(Stay.objects.filter(home_id=nurse.org_id, status__in=OPEN_STATUSES)
                          .select_related("person").order_by("admitted_on", "pk"))
        self.made = 0

    # ---- lesions ------------------------------------------------------------------------

    def _heal(self, lesion: PressureInjury, stage: str, weeks: int, *, heal: bool,
              worsen_to: str | None = None) -> None:
        version = lesion.version
        size = float(lesion.length_cm or 2)
        day = timezone.localtime(lesion.found_at).date()
        for week in range(1, weeks + 1):
            day = day + timedelta(days=7)
            if day >= self.today:
                return
            now_stage = worsen_to if worsen_to and week == 1 else stage
            last = heal and week == weeks
            size = max(size * 0.7, 0.3)
            services.add_observation(
                actor=self.nurse, lesion_id=lesion.pk, version=version,
                stage="healed" if last else now_stage, observed_at=_at(day, 9, 30),
                length_cm=None if last else round(size, 1),
                width_cm=None if last else round(size * 0.6, 1),
                wound_bed="已愈合，局部皮肤完整" if last else self.rng.choice(_HEALING),
                treatment="继续定时翻身减压" if last else self.rng.choice(_TREAT))
            version += 1

    def _lesion(self, stay: Stay, found: datetime, stage: str, *, poa: bool = False,
                site: str | None = None, note: str = "") -> PressureInjury:
        size = round(self.rng.uniform(1.0, 4.0), 1)
        lesion = services.record_lesion(
            actor=self.nurse, person_id=stay.person_id, site=site or self.rng.choice(_SITES),
            stage=stage, found_at=found, present_on_admission=poa, length_cm=size,
            width_cm=round(size * 0.7, 1), depth_cm=0.3 if stage == "3" else None,
            note=note or {"1": "局部指压不变白红斑", "2": "表皮破损，基底粉红湿润",
                          "3": "全层皮肤缺损，可见脂肪"}.get(stage, ""))
        self.made += 1
        return lesion

    def lesions(self) -> None:
        rng, today = self.rng, self.today
        recent = [s for s in self.stays if s.admitted_on >= self.earliest + timedelta(days=10)]
        long_stay = [s for s in self.stays if s.admitted_on < self.earliest]
        rng.shuffle(long_stay)
        # present on admission: healed over a few weeks
        for stay in recent[:2]:
            lesion = self._lesion(stay, _at(stay.admitted_on, 15), rng.choice(["2", "3"]),
                                  poa=True, note="入院时带入，家属诉在家卧床所致")
            self._heal(lesion, lesion.stage, rng.randint(3, 6), heal=True)
        # found the evening of the admission day, not flagged as present on admission: still
        # not facility-acquired (within 24 h)
        if len(recent) > 2:
            stay = recent[2]
            lesion = self._lesion(stay, _at(stay.admitted_on, 21), "2",
                                  site="sacrum", note="入住当晚协助洗浴时发现")
            self._heal(lesion, "2", 4, heal=True)
        pool = iter(long_stay)
        # the month above 5 %: enough distinct residents, one with two lesions
        served = len(self.stays)
        if self.high_month is not None and served:
            start = _months_back(today, self.high_month)
            cases = math.floor(0.065 * served) + 1
            for i in range(cases):
                stay = next(pool, None)
                if stay is None:
                    break
                day = start + timedelta(days=rng.randint(0, 25))
                lesion = self._lesion(stay, _at(day, rng.randint(7, 20)), rng.choice(["2", "3"]))
                self._heal(lesion, lesion.stage, rng.randint(3, 8), heal=True)
                if i == 0:
                    twin = self._lesion(stay, _at(day + timedelta(days=2), 10), "2",
                                        site="heel")
                    self._heal(twin, "2", 3, heal=True)
        # other months: at most as many cases as keep the month within 5 %
        allowed = min(2, math.floor(0.05 * served))
        for n in range(11, -1, -1):
            if n == self.high_month:
                continue
            start = _months_back(today, n)
            count = rng.randint(0, allowed)
            if n == 1 and allowed:  # last month always has a case (the compliance indicator)
                count = max(count, 1)
            for _ in range(count):
                day = start + timedelta(days=rng.randint(0, 27))
                if day >= today:
                    continue
                stay = next(pool, None)
                if stay is None:
                    return
                lesion = self._lesion(stay, _at(day, rng.randint(7, 20)), "2")
                self._heal(lesion, "2", rng.randint(2, 7), heal=n > 1)
        # stage 1 (not counted); one worsens to stage 2 a week later (counted then)
        for i in range(3):
            stay = next(pool, None)
            if stay is None:
                return
            day = today - timedelta(days=rng.randint(20, 200))
            lesion = self._lesion(stay, _at(day, 8), "1")
            if i == 0 and allowed:
                self._heal(lesion, "2", 4, heal=False, worsen_to="2")
            else:
                self._heal(lesion, "1", 2, heal=True)
        # device-related: a nasal-cannula lesion, still open
        stay = next(pool, None)
        if stay is not None:
            services.record_lesion(
                actor=self.nurse, person_id=stay.person_id, site="ear", stage="1",
                found_at=_at(today - timedelta(days=3), 9), device_related=True,
                note="鼻导管固定带压迫耳廓上缘")
            self.made += 1

    # ---- incidents ----------------------------------------------------------------------

    def incidents(self, *, recent_fall: bool) -> None:
        rng, today = self.rng, self.today
        last: dict[int, dict[str, date]] = defaultdict(dict)
        for row in (Assessment.objects.filter(home_id=self.nurse.org_id,
                                              status=Assessment.Status.FINAL)
                    .values("stay_id", "instrument").annotate(on=Max("assessed_on"))):
            last[row["stay_id"]][row["instrument"]] = row["on"]

        def day_for(stay: Stay, instruments: tuple[str, ...]) -> date | None:
            """A day in the last year after admission and before the re-assessment it
            triggered (none when the resident was never assessed: the first one is owed)."""
            upper = min([last[stay.pk][i] for i in instruments if i in last[stay.pk]],
                        default=today - timedelta(days=5))
            lower = max(stay.admitted_on + timedelta(days=1), self.earliest)
            if upper <= lower:
                return None
            return lower + timedelta(days=rng.randint(0, (upper - lower).days))

        plan = [
            ("fall", ("gbt42195", "morse"), {
                "place": "卫生间", "description": "夜间独自如厕，起身时头晕跌坐在地",
                "severity": "minor", "injuries": "左前臂皮肤擦伤 2 cm",
                "immediate_action": "评估意识、生命体征及肢体活动，消毒包扎，通知值班护士",
                "witnesses": "同室老人", "family_informed": True,
                "follow_up": "加装床旁呼叫器，夜间如厕护理员陪同；跌倒风险评估已复评"}),
            ("fall", ("gbt42195", "morse"), {
                "place": "走廊", "description": "独自行走时绊倒，右髋着地，不能站立",
                "severity": "severe", "injuries": "右股骨颈骨折（医院 X 线确诊）",
                "immediate_action": "原地制动，测生命体征，拨打 120，通知家属",
                "hospital_transfer": True, "hospital": "开封市中心医院", "witnesses": "护理员",
                "family_informed": True,
                "follow_up": "住院手术，返院后按骨科医嘱康复；已开展全院防跌倒培训"}),
            ("fall", ("gbt42195", "morse"), {
                "place": "房间", "description": "下床时未穿防滑鞋滑倒", "severity": "none",
                "immediate_action": "扶起后检查无外伤，观察 24 小时", "family_informed": True,
                "follow_up": "观察 24 小时无异常；床边放置防滑鞋"}),
            ("fall", ("gbt42195", "morse"), {
                "place": "活动室", "description": "坐椅子时椅子滑开，臀部着地", "severity": "minor",
                "injuries": "骶尾部轻度疼痛", "immediate_action": "检查后无骨折表现，冷敷",
                "witnesses": "活动室工作人员", "follow_up": "更换带扶手防滑椅"}),
            ("choking", ("gbt42195",), {
                "place": "餐厅", "description": "进食馒头时呛咳，面色发绀，不能发声",
                "severity": "none", "immediate_action": "立即海姆立克法排出食团，吸氧，通知医生",
                "witnesses": "护理员、同桌老人", "family_informed": True,
                "follow_up": "改软食，进食时专人看护；吞咽功能评估已复评"}),
            ("wandering", ("gbt42195",), {
                "place": "大门", "description": "随探视家属离开后独自外出，40 分钟后在附近超市找到",
                "severity": "none", "immediate_action": "全院寻找并报告院长，联系家属和派出所",
                "family_informed": True, "follow_up": "佩戴定位手环，门禁登记；认知评估已复评"}),
            ("other", (), {
                "kind_detail": "烫伤", "place": "房间", "description": "自行倒开水时洒在左手背",
                "severity": "minor", "injuries": "左手背 Ⅰ 度烫伤 3×2 cm",
                "immediate_action": "冷水冲洗 15 分钟，涂烫伤膏",
                "follow_up": "开水由护理员统一倒取"}),
        ]
        candidates = list(self.stays)
        rng.shuffle(candidates)
        used: set[int] = set()
        for kind, instruments, data in plan:
            for stay in candidates:
                if stay.pk in used:
                    continue
                day = day_for(stay, instruments)
                if day is None:
                    continue
                services.record_incident(
                    actor=self.carer if kind == "fall" else self.nurse, person_id=stay.person_id,
                    kind=kind, occurred_at=_at(day, rng.randint(6, 21), rng.choice([5, 20, 40])),
                    **data)
                used.add(stay.pk)
                self.made += 1
                break
        if recent_fall:
            stay = next(s for s in candidates if s.pk not in used)
            services.record_incident(
                actor=self.carer, person_id=stay.person_id, kind="fall",
                occurred_at=_at(today - timedelta(days=1), 5, 40), place="房间床旁",
                description="清晨自行下床取物时跌倒，侧身着地", severity="minor",
                injuries="右膝皮肤淤青", immediate_action="检查无骨折表现，冰敷，通知护士和家属",
                family_informed=True, witnesses="")
            self.made += 1

    # ---- education ----------------------------------------------------------------------

    def education(self) -> None:
        rng, today = self.rng, self.today
        topics = [
            ("health", "冬季心脑血管疾病预防", "医务室医生"),
            ("health", "老年人跌倒预防与居家安全", "护士长"),
            ("skills", "家属照护技能：协助翻身与压力性损伤预防", "护士"),
            ("health", "高血压自我管理与合理用药", "签约医院全科医生"),
            ("health", "认知障碍早期识别与干预", "签约医院神经内科医生"),
            ("health", "时令节气养生：夏季防暑", "中医科医生"),
            ("skills", "噎食急救（海姆立克法）演示", "护士"),
            ("health", "糖尿病饮食指导", "营养师"),
            ("health", "秋季流感与肺炎疫苗接种", "社区卫生服务中心医生"),
            ("health", "重阳节健康讲座：骨质疏松预防", "康复治疗师"),
            ("health", "老年人便秘的预防与护理", "护士"),
            ("skills", "轮椅使用与转移技巧", "康复治疗师"),
        ]
        mental_topics = [("老年期抑郁的识别与心理调适", "心理咨询师"),
                         ("孤独与失落：入住机构后的心理适应", "社会工作者")]
        mental_months = [today.month - 7, today.month - 2][-self.mental:] if self.mental else []
        for n in range(12, 0, -1):
            first = _months_back(today, n)
            if n == self.gap:
                continue
            kind, topic, speaker = topics[(first.month - 1) % len(topics)]
            self._session(kind, topic, speaker, first + timedelta(days=rng.randint(5, 24)))
        for i, month in enumerate(mental_months):
            if month < 1:
                continue
            topic, speaker = mental_topics[i % 2]
            self._session("mental", topic, speaker, date(today.year, month, 18))

    def _session(self, kind: str, topic: str, speaker: str, day: date) -> None:
        if day >= self.today:
            return
        present = [s.person_id for s in self.stays if s.admitted_on <= day]
        attendees = self.rng.sample(present, min(len(present), self.rng.randint(8, 18)))
        services.record_education(
            actor=self.nurse, kind=kind, topic=topic, held_on=day, speaker=speaker,
            audience=["residents", "families"] if kind != "skills" else ["families", "carers"],
            attendee_ids=attendees, other_count=self.rng.randint(2, 15),
            materials="讲义、签到表和照片存护理部健康教育档案")
        self.made += 1


def build_demo_care_safety() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    if (PressureInjury.objects.exists() or Incident.objects.exists()
            or EducationSession.objects.exists()):
        return 0
    today = timezone.localdate()
    made = 0
    for nurse_name, carer_name, seed, mental, gap, high, fall in (
            ("nurse_a", "care_a1", 6301, 2, 5, 4, True),
            ("nurse_c", "care_c1", 6302, 1, 8, None, False)):
        nurse = _actor(nurse_name)
        if nurse is None:
            continue
        home = _Home(nurse, _actor(carer_name), random.Random(seed), today, mental=mental,
                     gap=gap, high_month=high)
        if not home.stays:
            continue
        home.lesions()
        home.incidents(recent_fall=fall)
        home.education()
        made += home.made
    return made
