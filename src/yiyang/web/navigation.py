"""The menu each role sees. A later module adds its entries here, with its own condition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from yiyang.core.permissions import OrgKind, Perm
from yiyang.core.scope import Actor


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    shows: Callable[[Actor], bool]


def _kind(*kinds: str) -> Callable[[Actor], bool]:
    return lambda actor: actor.org_kind in kinds


def _perm(perm: Perm) -> Callable[[Actor], bool]:
    return lambda actor: actor.can(perm)


NAV: list[NavItem] = [
    NavItem("工作台", "web:dashboard", "⌂", lambda actor: True),
    NavItem("本机构", "orgs:my_org", "▣", lambda actor: True),
    NavItem("入住老人", "residents:list", "♥", _kind(OrgKind.HOME, OrgKind.MEDICAL,
                                                     OrgKind.REGULATOR)),
    NavItem("床位一览", "residents:bed_board", "▦", _kind(OrgKind.HOME)),
    NavItem("重点人群", "residents:register", "◉", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("随访计划", "residents:follow_ups", "☎", _kind(OrgKind.HOME)),
    NavItem("评估", "assessments:due", "✚", _kind(OrgKind.HOME)),
    NavItem("本班照护", "care:point_of_care", "✓",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.RECORD_CARE)),
    NavItem("服务方案", "care:plans", "☷", _kind(OrgKind.HOME, OrgKind.MEDICAL,
                                                 OrgKind.REGULATOR)),
    NavItem("用药医嘱", "medication:list", "℞", _kind(OrgKind.HOME, OrgKind.MEDICAL)),
    NavItem("发药车", "medication:rounds", "◷",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.ADMINISTER_MEDICATION)),
    NavItem("药品库存", "medication:stock", "▥", _kind(OrgKind.HOME)),
    NavItem("压力性损伤", "care:wound_list", "◍", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("风险事件", "care:incident_list", "⚠", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("健康教育", "care:education_list", "✎", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("医养签约", "agreements:list", "⚕",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR)),
    NavItem("症状监测", "infection:surveillance", "✚", _kind(OrgKind.HOME)),
    NavItem("疫情处置", "infection:outbreaks", "⚠", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("疫情报告", "infection:inbox", "✉", _kind(OrgKind.REGULATOR)),
    NavItem("应急准备", "infection:readiness", "⛨", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("居家台账", "community:ledger", "☂", _kind(OrgKind.COMMUNITY, OrgKind.REGULATOR)),
    NavItem("指标看板", "compliance:indicators", "▲", lambda actor: True),
    NavItem("义务履行", "compliance:obligations", "✔", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("监督检查", "compliance:inspections", "⚖", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("内设医疗备案", "compliance:filings", "✚", _kind(OrgKind.HOME, OrgKind.REGULATOR)),
    NavItem("导入导出", "interop:imports", "⇅",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.ADMIT_RESIDENTS)),
    NavItem("床位设施", "orgs:facilities", "▤", _kind(OrgKind.HOME)),
    NavItem(
        "机构名录",
        "orgs:directory",
        "☰",
        _kind(OrgKind.REGULATOR, OrgKind.MEDICAL, OrgKind.COMMUNITY),
    ),
    NavItem("人员账号", "orgs:staff", "☺", _perm(Perm.MANAGE_STAFF)),
    NavItem("审计日志", "web:audit", "✎", _perm(Perm.VIEW_AUDIT)),
]


def menu_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    return [item for item in NAV if item.shows(actor)]
