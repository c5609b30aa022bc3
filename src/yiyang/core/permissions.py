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
    ADMINISTER_MEDICATION = "medication.administer"  # eMAR: record doses, medication incidents
    MANAGE_MEDICINE_STOCK = "medication.manage_stock"  # self-brought medicine intake and stock
    RECORD_CARE = "care.record"  # record care tasks, vital signs, nursing notes, handovers
    PLAN_CARE = "care.plan"  # write, approve and revise service plans (服务方案), vital ranges
    RECORD_INCIDENTS = "care.record_incidents"  # falls, choking, wandering ... (GB 38600 risks)
    RECORD_PRESSURE_INJURIES = "care.record_pressure_injuries"  # lesions and their healing
    RECORD_EDUCATION = "care.record_education"  # health education sessions (seed 002 §六, §十二)
    RECORD_SURVEILLANCE = "infection.record_surveillance"  # symptom checks, test results
    MANAGE_OUTBREAK = "infection.manage_outbreak"  # follow the outbreak playbook of the home
    HANDLE_OUTBREAK_REPORTS = "infection.handle_reports"  # regulators: receive, forward upward
    MANAGE_ISOLATION_SITES = "infection.manage_sites"  # regulators: isolation/monitoring sites
    # sampling records, staff vaccination and posts, supplies, closed management (issue 7 item 5)
    MANAGE_INFECTION_READINESS = "infection.manage_readiness"
    # a regulator's own rows: its county's local-case mark, its support teams (seed 001 items 8, 13)
    MANAGE_REGIONAL_READINESS = "infection.manage_regional_readiness"
    KEEP_LEDGER = "community.keep_ledger"  # special-needs ledger, visits, home services (issue 9)
    RECORD_OBLIGATIONS = "compliance.record"  # drills, fire checks, hazards, answer findings
    FILE_CLINIC = "compliance.file_clinic"  # file the home's internal clinic (seed 004)
    INSPECT = "compliance.inspect"  # regulators: inspectors, the draw, inspections, filings review
    # staff training courses and the TCM techniques register (seed 002 §五, §十一)
    RECORD_TRAINING = "compliance.record_training"


_ADMIN = {Perm.MANAGE_ORG_PROFILE, Perm.MANAGE_STAFF, Perm.REVEAL_PERSONAL_DATA, Perm.VIEW_AUDIT}

# Daily work in a home, by area (issues 6, 7, 10): who records care, medicine, infection checks.
_HOME_CARE = {Perm.RECORD_CARE, Perm.RECORD_INCIDENTS, Perm.RECORD_SURVEILLANCE}
_HOME_NURSING = _HOME_CARE | {
    Perm.PLAN_CARE, Perm.RECORD_PRESSURE_INJURIES, Perm.ADMINISTER_MEDICATION,
    Perm.MANAGE_MEDICINE_STOCK, Perm.MANAGE_OUTBREAK, Perm.MANAGE_INFECTION_READINESS,
}

MATRIX: dict[str, frozenset[Perm]] = {
    Role.HOME_MANAGER: frozenset(
        _ADMIN | _HOME_NURSING
        | {Perm.MANAGE_FACILITIES, Perm.ADMIT_RESIDENTS, Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS,
           Perm.MANAGE_AGREEMENTS, Perm.RECORD_EDUCATION, Perm.RECORD_OBLIGATIONS,
           Perm.FILE_CLINIC, Perm.RECORD_TRAINING}
    ),
    Role.HOME_REGISTRAR: frozenset(
        {Perm.MANAGE_FACILITIES, Perm.REVEAL_PERSONAL_DATA, Perm.ADMIT_RESIDENTS}
    ),
    Role.HOME_NURSE: frozenset(
        _HOME_NURSING
        | {Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS, Perm.RECORD_EDUCATION, Perm.RECORD_OBLIGATIONS,
           Perm.RECORD_TRAINING}
    ),
    Role.HOME_CAREGIVER: frozenset(_HOME_CARE),
    Role.HOME_DOCTOR: frozenset(
        _HOME_NURSING | {Perm.EDIT_HEALTH_RECORDS, Perm.ASSESS, Perm.PRESCRIBE}
    ),
    Role.MEDICAL_ADMIN: frozenset(_ADMIN | {Perm.MANAGE_AGREEMENTS, Perm.RECORD_PATROL,
                                            Perm.RECORD_TRAINING}),
    Role.MEDICAL_DOCTOR: frozenset({Perm.RECORD_PATROL, Perm.PRESCRIBE}),
    Role.AGREEMENT_MANAGER: frozenset({Perm.MANAGE_AGREEMENTS, Perm.RECORD_PATROL}),
    Role.COMMUNITY_ADMIN: frozenset(_ADMIN | {Perm.KEEP_LEDGER}),
    Role.COMMUNITY_WORKER: frozenset({Perm.KEEP_LEDGER}),
    # Regulators read their region; they manage their own staff, see audit, and act only on
    # their own organisation's rows: outbreak reports, isolation sites, their county's
    # local-case mark and support teams, inspections (core.scope).
    Role.REGULATOR_ADMIN: frozenset(
        {Perm.MANAGE_STAFF, Perm.VIEW_AUDIT, Perm.HANDLE_OUTBREAK_REPORTS,
         Perm.MANAGE_ISOLATION_SITES, Perm.MANAGE_REGIONAL_READINESS, Perm.INSPECT}
    ),
    Role.REGULATOR_OFFICER: frozenset(
        {Perm.HANDLE_OUTBREAK_REPORTS, Perm.MANAGE_ISOLATION_SITES,
         Perm.MANAGE_REGIONAL_READINESS, Perm.INSPECT}
    ),
}


def permissions_for(role: str) -> frozenset[Perm]:
    return MATRIX.get(role, frozenset())


def require(actor: object, perm: Perm) -> None:
    """Raise `Forbidden` unless the actor's role grants `perm`."""
    if perm not in getattr(actor, "permissions", frozenset()):
        raise Forbidden()
