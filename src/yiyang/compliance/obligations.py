"""The recurring duties of a home, as data (pure Python, no Django).

Each obligation says who owes it (organisation kinds and, for homes, categories), how often
(`rules.Interval`) and how many times per period, its source clause, and where its fulfilment
comes from:

* ``RECORDS``: the home's own obligation records (`models.ObligationRecord`);
* ``HAZARDS``: the hazard ledger (`models.Hazard`);
* any other name: a *source hook* registered by another app with `sources.register` (health
  education sessions of `care`, the annual check-ups of `agreements`' service records ...).
  An obligation whose source is not registered shows "数据来源尚未接入" rather than zero.

A province may change the list (UNCONFIRMED which duties a province adds); the codes are stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import Interval

__all__ = ["CATALOGUE", "HAZARDS", "RECORDS", "Obligation", "by_code", "recordable"]

RECORDS = "records"
HAZARDS = "hazards"


@dataclass(frozen=True)
class Obligation:
    code: str
    title: str
    interval: Interval
    per_period: int  # fulfilments required in each period (per resident: see the source)
    clause: str  # the source clause, cited on the page
    source: str = RECORDS
    kinds: tuple[str, ...] = ("home",)
    categories: tuple[str, ...] = ()  # NursingHome.Category values; empty = every category
    guidance: str = ""
    per_resident: bool = False  # progress counts people (e.g. residents 65+ checked up)

    @property
    def unit(self) -> str:
        return "人" if self.per_resident else "次"

    @property
    def requirement(self) -> str:
        if self.interval is Interval.LEDGER:
            return "隐患登记台账并在期限内整改"
        return f"{self.interval.label}至少 {self.per_period} 次"

    def applies_to(self, kind: str, category: str = "") -> bool:
        return kind in self.kinds and (not self.categories or category in self.categories)


CATALOGUE: tuple[Obligation, ...] = (
    Obligation("emergency_drill", "应急预案演练（应急状态转换）", Interval.QUARTER, 1,
               "《养老机构新冠肺炎疫情常态化防控指南》一、落实部门：每个季度至少开展一次应急状态"
               "转换、应急预案演练",
               guidance="记录演练日期、参加人数、演练情况，上传签到表或照片"),
    Obligation("fire_check", "防火检查", Interval.MONTH, 1,
               "国卫办老龄发〔2025〕29号（二十四）：每月至少组织1次防火检查",
               guidance="记录检查日期、检查人员和发现的问题；发现隐患请登记到隐患台账"),
    Obligation("fire_drill", "消防演练", Interval.HALF, 1,
               "国卫办老龄发〔2025〕29号（二十四）：每半年至少开展1次消防演练"),
    Obligation("infection_drill", "传染病防控应急演练", Interval.YEAR, 1,
               "国卫办老龄发〔2025〕29号（二十五）：每年至少开展1次传染病防控应急演练"),
    Obligation("health_education", "健康教育或照护技能培训", Interval.MONTH, 1,
               "国卫办老龄发〔2025〕29号（六）：至少每月开展1次健康教育或技能培训",
               source="care.education_sessions",
               guidance="由日常照护模块的健康教育活动记录自动统计"),
    Obligation("mental_health_lecture", "心理健康知识讲座", Interval.YEAR, 2,
               "国卫办老龄发〔2025〕29号（十二）：每年至少开展2次心理健康知识讲座",
               source="care.mental_health_lectures",
               guidance="由日常照护模块的讲座记录自动统计"),
    Obligation("annual_checkup", "65岁及以上入住老人年度健康体检", Interval.YEAR, 1,
               "医养签约服务规范 服务项目2：为65岁及以上入住老人每年提供1次健康体检",
               source="agreements.health_checks", per_resident=True,
               guidance="由签约医疗机构登记的“老年人健康体检”服务记录统计，按在住65岁及以上"
                        "老人人数计算覆盖"),
    Obligation("hazard_ledger", "安全隐患台账及整改", Interval.LEDGER, 0,
               "国卫办老龄发〔2025〕29号（二十四）：常态化开展风险隐患自查自纠，建立隐患台账并"
               "及时整改", source=HAZARDS),
)

_BY_CODE = {o.code: o for o in CATALOGUE}


def by_code(code: str) -> Obligation | None:
    return _BY_CODE.get(code)


def recordable() -> list[Obligation]:
    """The obligations a home fulfils by recording what it did."""
    return [o for o in CATALOGUE if o.source == RECORDS]
