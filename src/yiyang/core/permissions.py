"""Who may do what: organisation kinds, roles and the role → permission matrix, in code.

Permissions are reviewed here, not edited as data (STYLE "What not to copy": NetBox's JSON
constraints). Row scope (which objects) is `core.scope`; this module answers which verbs.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from yiyang.core.errors import Forbidden


class OrgKind(models.TextChoices):
    HOME = "home", "养老机构"
    MEDICAL = "medical", "医疗卫生机构"
    COMMUNITY = "community", "社区组织"
    REGULATOR = "regulator", "监管部门"


class Role(models.TextChoices):
    HOME_MANAGER = "home_manager", "院长/管理员"
    HOME_REGISTRAR = "home_registrar", "登记员"
    HOME_NURSE = "home_nurse", "护士"
    HOME_CAREGIVER = "home_caregiver", "护理员"
    HOME_DOCTOR = "home_doctor", "医生"
    MEDICAL_ADMIN = "medical_admin", "机构管理员"
    MEDICAL_DOCTOR = "medical_doctor", "医生"
    AGREEMENT_MANAGER = "agreement_manager", "签约管理员"
    COMMUNITY_ADMIN = "community_admin", "社区管理员"
    COMMUNITY_WORKER = "community_worker", "社区工作者"
    REGULATOR_ADMIN = "regulator_admin", "监管部门管理员"
    REGULATOR_OFFICER = "regulator_officer", "监管人员"


ROLE_KIND: dict[str, str] = {
    Role.HOME_MANAGER: OrgKind.HOME,
    Role.HOME_REGISTRAR: OrgKind.HOME,
    Role.HOME_NURSE: OrgKind.HOME,
    Role.HOME_CAREGIVER: OrgKind.HOME,
    Role.HOME_DOCTOR: OrgKind.HOME,
    Role.MEDICAL_ADMIN: OrgKind.MEDICAL,
    Role.MEDICAL_DOCTOR: OrgKind.MEDICAL,
    Role.AGREEMENT_MANAGER: OrgKind.MEDICAL,
    Role.COMMUNITY_ADMIN: OrgKind.COMMUNITY,
    Role.COMMUNITY_WORKER: OrgKind.COMMUNITY,
    Role.REGULATOR_ADMIN: OrgKind.REGULATOR,
    Role.REGULATOR_OFFICER: OrgKind.REGULATOR,
}

# The role an organisation's administrator holds: may manage its staff accounts.
ADMIN_ROLES = frozenset(
    {Role.HOME_MANAGER, Role.MEDICAL_ADMIN, Role.COMMUNITY_ADMIN, Role.REGULATOR_ADMIN}
)


class Perm(StrEnum):
    MANAGE_ORG_PROFILE = "orgs.manage_profile"
    MANAGE_FACILITIES = "orgs.manage_facilities"
    MANAGE_STAFF = "orgs.manage_staff"
    REVEAL_PERSONAL_DATA = "core.reveal_personal_data"
    VIEW_AUDIT = "core.view_audit"
    ADMIT_RESIDENTS = "residents.admit"  # register, admit, move, leave, discharge, death
    EDIT_HEALTH_RECORDS = "residents.edit_health"  # diseases, vaccinations, profile, contacts
    ASSESS = "assessments.assess"  # assess residents, finalise, report triggers (seed 002 §十九)
    MANAGE_AGREEMENTS = "agreements.manage"  # draft, confirm, sign, publish, end agreements
    RECORD_PATROL = "agreements.record_patrol"  # record patrol visits (巡诊) under an agreement
    PRESCRIBE = "medication.prescribe"  # write and stop medication orders (医嘱)
    RECORD_OBLIGATIONS = "compliance.record"  # drills, fire checks, hazards, answer findings
    FILE_CLINIC = "compliance.file_clinic"  # file the home's internal clinic (seed 004)
    INSPECT = "compliance.inspect"  # regulators: inspectors, the draw, inspections, filings review


_ADMIN = {Perm.MANAGE_ORG_PROFILE, Perm.MANAGE_STAFF, Perm.REVEAL_PERSONAL_DATA, Perm.VIEW_AUDIT}

MATRIX: dict[str, frozenset[Perm]] = {
    Role.HOME_MANAGER: frozenset(
        _ADMIN
        | {Perm.MANAGE_FACILITIES, Perm.ADMIT_RESIDENTS, Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS,
           Perm.MANAGE_AGREEMENTS, Perm.RECORD_OBLIGATIONS, Perm.FILE_CLINIC}
    ),
    Role.HOME_REGISTRAR: frozenset(
        {Perm.MANAGE_FACILITIES, Perm.REVEAL_PERSONAL_DATA, Perm.ADMIT_RESIDENTS}
    ),
    Role.HOME_NURSE: frozenset({Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS, Perm.RECORD_OBLIGATIONS}),
    Role.HOME_CAREGIVER: frozenset(),
    Role.HOME_DOCTOR: frozenset({Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS, Perm.PRESCRIBE}),
    Role.MEDICAL_ADMIN: frozenset(_ADMIN | {Perm.MANAGE_AGREEMENTS, Perm.RECORD_PATROL}),
    Role.MEDICAL_DOCTOR: frozenset({Perm.RECORD_PATROL, Perm.PRESCRIBE}),
    Role.AGREEMENT_MANAGER: frozenset({Perm.MANAGE_AGREEMENTS, Perm.RECORD_PATROL}),
    Role.COMMUNITY_ADMIN: frozenset(_ADMIN),
    Role.COMMUNITY_WORKER: frozenset(),
    # Regulators read their region; they manage only their own staff and see audit.
    # Inspections are their own organisation's rows (core.scope: regulators change only those).
    Role.REGULATOR_ADMIN: frozenset({Perm.MANAGE_STAFF, Perm.VIEW_AUDIT, Perm.INSPECT}),
    Role.REGULATOR_OFFICER: frozenset({Perm.INSPECT}),
}


def permissions_for(role: str) -> frozenset[Perm]:
    return MATRIX.get(role, frozenset())


def require(actor: object, perm: Perm) -> None:
    """Raise `Forbidden` unless the actor's role grants `perm`."""
    if perm not in getattr(actor, "permissions", frozenset()):
        raise Forbidden()
