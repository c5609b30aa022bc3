"""The menu each role sees, in groups. A later module adds its entries here, with its own
condition and its group (the menu shows the groups in their first appearance order)."""

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
    group: str = ""  # the heading it is listed under; "" = the top, without a heading


def _kind(*kinds: str) -> Callable[[Actor], bool]:
    return lambda actor: actor.org_kind in kinds


def _perm(perm: Perm) -> Callable[[Actor], bool]:
    return lambda actor: actor.can(perm)


RESIDENTS = "老人档案"
CARE = "照护用药"
COOPERATION = "医养协作"
INFECTION = "感染防控"
COMMUNITY = "社区居家"
COMPLIANCE = "监管合规"
ADMIN = "系统管理"

NAV: list[NavItem] = [
    NavItem("工作台", "web:dashboard", "⌂", lambda actor: True),
    NavItem("指标看板", "compliance:indicators", "▲", lambda actor: True),
    NavItem("本机构", "orgs:my_org", "▣", lambda actor: True),
    NavItem("入住老人", "residents:list", "♥",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR), RESIDENTS),
    NavItem("床位一览", "residents:bed_board", "▦", _kind(OrgKind.HOME), RESIDENTS),
    NavItem("重点人群", "residents:register", "◉", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            RESIDENTS),
    NavItem("随访计划", "residents:follow_ups", "☎", _kind(OrgKind.HOME), RESIDENTS),
    NavItem("评估", "assessments:due", "✚", _kind(OrgKind.HOME), RESIDENTS),
    NavItem("本班照护", "care:point_of_care", "✓",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.RECORD_CARE), CARE),
    NavItem("服务方案", "care:plans", "☷",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR), CARE),
    NavItem("用药医嘱", "medication:list", "℞", _kind(OrgKind.HOME, OrgKind.MEDICAL), CARE),
    NavItem("发药车", "medication:rounds", "◷",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.ADMINISTER_MEDICATION), CARE),
    NavItem("药品库存", "medication:stock", "▥", _kind(OrgKind.HOME), CARE),
    NavItem("压力性损伤", "care:wound_list", "◍", _kind(OrgKind.HOME, OrgKind.REGULATOR), CARE),
    NavItem("风险事件", "care:incident_list", "⚠", _kind(OrgKind.HOME, OrgKind.REGULATOR), CARE),
    NavItem("健康教育", "care:education_list", "✎", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            CARE),
    NavItem("医养签约", "agreements:list", "⚕",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR), COOPERATION),
    NavItem("症状监测", "infection:surveillance", "✚", _kind(OrgKind.HOME), INFECTION),
    NavItem("疫情处置", "infection:outbreaks", "⚠", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            INFECTION),
    NavItem("疫情报告", "infection:inbox", "✉", _kind(OrgKind.REGULATOR), INFECTION),
    NavItem("应急准备", "infection:readiness", "⛨", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            INFECTION),
    NavItem("居家台账", "community:ledger", "☂", _kind(OrgKind.COMMUNITY, OrgKind.REGULATOR),
            COMMUNITY),
    NavItem("义务履行", "compliance:obligations", "✔", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            COMPLIANCE),
    NavItem("监督检查", "compliance:inspections", "⚖", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            COMPLIANCE),
    NavItem("内设医疗备案", "compliance:filings", "✚", _kind(OrgKind.HOME, OrgKind.REGULATOR),
            COMPLIANCE),
    NavItem("人员培训", "compliance:trainings", "✎",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR), COMPLIANCE),
    NavItem("中医适宜技术", "compliance:tcm_techniques", "☯",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR), COMPLIANCE),
    NavItem("导入导出", "interop:imports", "⇅",
            lambda a: a.org_kind == OrgKind.HOME and a.can(Perm.ADMIT_RESIDENTS), ADMIN),
    NavItem("床位设施", "orgs:facilities", "▤", _kind(OrgKind.HOME), ADMIN),
    NavItem("机构名录", "orgs:directory", "☰",
            _kind(OrgKind.REGULATOR, OrgKind.MEDICAL, OrgKind.COMMUNITY), ADMIN),
    NavItem("人员账号", "orgs:staff", "☺", _perm(Perm.MANAGE_STAFF), ADMIN),
    NavItem("审计日志", "web:audit", "✎", _perm(Perm.VIEW_AUDIT), ADMIN),
]


def menu_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    return [item for item in NAV if item.shows(actor)]


def menu_groups_for(actor: Actor | None) -> list[tuple[str, list[NavItem]]]:
    """The actor's menu as (heading, items), groups in their first appearance order."""
    groups: dict[str, list[NavItem]] = {}
    for item in menu_for(actor):
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())
