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
    NavItem("用药医嘱", "medication:list", "℞", _kind(OrgKind.HOME, OrgKind.MEDICAL)),
    NavItem("医养签约", "agreements:list", "⚕",
            _kind(OrgKind.HOME, OrgKind.MEDICAL, OrgKind.REGULATOR)),
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
