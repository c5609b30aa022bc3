"""Clinic filings (seed 004): a home files its internal clinic (诊所、卫生所（室）、医务室、护理站)
with the county health commission, which accepts it as filed or returns it with reasons.  Filed,
not approved: the review checks the record, it grants nothing.

The home's manager (`Perm.FILE_CLINIC`) files; the reviewer is a health commission
(`Regulator.Department.HEALTH`) whose region contains the home, with `Perm.INSPECT`
(UNCONFIRMED: we let the city and province commissions review too, as their region contains it).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_int, clean_text
from yiyang.core.versioning import bump
from yiyang.orgs.models import NursingHome, Regulator

from . import rules
from .models import ClinicFiling
from .rules import FilingAction, FilingState

__all__ = ["can_review", "file_clinic", "review_filing"]

durable = transaction.atomic(durable=True)


def can_review(actor: Actor) -> bool:
    return (actor.org_kind == OrgKind.REGULATOR and actor.can(Perm.INSPECT)
            and Regulator.objects.filter(pk=actor.org_id,
                                         department=Regulator.Department.HEALTH).exists())


@durable
def file_clinic(*, actor: Actor, kind: str, name: str, head: str, services: str,
                doctors: int = 0, nurses: int = 0, other_staff: int = 0,
                record_number: str = "", filed_on: date | None = None) -> ClinicFiling:
    """File the home's internal clinic; refused while another filing waits for review or one
    is already accepted for a clinic of the same kind."""
    require(actor, Perm.FILE_CLINIC)
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("内设医疗机构备案由养老机构提交")
    home = NursingHome.objects.get(pk=actor.org_id)
    if kind not in ClinicFiling.Kind.values:
        raise ValidationFailed("invalid_choice", "请选择内设医疗机构类别", field="kind")
    today = timezone.localdate()
    day = filed_on or today
    if day > today:
        raise ValidationFailed("future", "备案日期不能晚于今天", field="filed_on")
    pending = ClinicFiling.objects.filter(home=home, state=FilingState.RECEIVED).exists()
    if pending:
        raise ValidationFailed("pending", "已有一份备案等待审核，请等待卫生健康部门审核结果")
    if ClinicFiling.objects.filter(home=home, kind=kind, state=FilingState.ACCEPTED).exists():
        raise ValidationFailed("already_filed", "该类别的内设医疗机构已经备案", field="kind")
    filing = ClinicFiling.objects.create(
        home=home, region_code=home.region_code, kind=kind,
        name=clean_text(name, field="name", label="名称", max_length=100),
        record_number=clean_text(record_number, field="record_number", label="执业许可/备案编号",
                                 max_length=50, required=False),
        head=clean_text(head, field="head", label="负责人", max_length=50),
        doctors=clean_int(doctors or 0, field="doctors", label="医师数", low=0, high=500),
        nurses=clean_int(nurses or 0, field="nurses", label="护士数", low=0, high=500),
        other_staff=clean_int(other_staff or 0, field="other_staff",
                              label="其他卫生技术人员数", low=0, high=500),
        services=clean_text(services, field="services", label="服务项目", max_length=1000),
        filed_on=day, filed_by=actor.display_name or actor.username)
    ensure_visible(filing, actor, Action.CHANGE)
    audit.record(actor, "compliance.filing.create", filing, changes=audit.created(filing))
    return filing


@durable
def review_filing(*, actor: Actor, filing_id: int, action: str, version: int,
                  reason: str = "") -> ClinicFiling:
    """The health commission's review: accept as filed, or return with reasons."""
    filing = get_visible_or_404(ClinicFiling, actor, Action.REGULATE, pk=filing_id)
    require(actor, Perm.INSPECT)
    if not can_review(actor):
        raise Forbidden("内设医疗机构备案由卫生健康部门审核")
    try:
        new_state = rules.filing_next(filing.state, action, reason=reason)
    except rules.TransitionError as exc:
        raise ValidationFailed("invalid_transition", str(exc), field="action") from exc
    before = audit.snapshot(filing)
    bump(filing, version)
    filing.state = new_state.value
    filing.reviewer_id = actor.org_id
    filing.reviewed_on = timezone.localdate()
    filing.reviewed_by = actor.display_name or actor.username
    filing.review_note = clean_text(reason, field="reason", label="审核意见", max_length=300,
                                    required=action == FilingAction.RETURN)
    filing.save()
    ensure_visible(filing, actor, Action.REGULATE)
    audit.record(actor, "compliance.filing.review", filing,
                 changes={"action": [None, action], **audit.diff(before, audit.snapshot(filing))})
    return filing
