"""Cooperation agreements (签约合作), their timeline and patrol visits (REFERENCE §3).

An agreement has two parties, a nursing home and a medical institution; both see it and act on
it.  The row scope is the home's (so its county's regulators read it by region), and the
medical side is added by `TwoSidedQuerySet`: the one extension of `core.scope` for rows that
belong to two organisations.  The medical side's access to the home's *residents* is a different
matter, granted through `orgs.actors.register_partner_resolver` (see `access.py`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from yiyang.core.models import ScopedModel
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, DataClass, Scope, ScopedQuerySet, scope_filter
from yiyang.orgs.models import MedicalInstitution, NursingHome
from yiyang.residents.models import Person

from .family_bed_rules import BedOutcome, BedState
from .rules import AgreementAction, AgreementState, ReferralKind, ReferralState


class TwoSidedQuerySet(ScopedQuerySet):
    """`visible_to` of the home side plus the medical institution named on the row."""

    def visible_to(self, actor: Actor | None, action: str = Action.VIEW) -> TwoSidedQuerySet:
        q = scope_filter(self.model, actor, action)
        if actor is not None and actor.org_kind == OrgKind.MEDICAL and action != Action.REGULATE:
            q |= Q(**{self.model.medical_lookup: actor.org_id})  # type: ignore[attr-defined]
        return self.filter(q)


TwoSidedManager = models.Manager.from_queryset(TwoSidedQuerySet)

STATE_CHOICES = [(s.value, s.label) for s in AgreementState]


class Agreement(ScopedModel):
    home = models.ForeignKey(NursingHome, verbose_name="养老服务机构", on_delete=models.PROTECT,
                             related_name="agreements")
    medical = models.ForeignKey(MedicalInstitution, verbose_name="医疗卫生机构",
                                on_delete=models.PROTECT, related_name="agreements")
    items = models.JSONField("服务项目", default=list, blank=True)  # catalogue numbers
    modes = models.JSONField("合作方式", default=list, blank=True)  # CooperationMode codes
    start_on = models.DateField("合作起始日期")
    end_on = models.DateField("合作截止日期")
    home_duties = models.TextField("养老服务机构责任", blank=True)
    medical_duties = models.TextField("医疗卫生机构责任", blank=True)
    fee = models.DecimalField("合作经费（元）", max_digits=12, decimal_places=2, default=0)
    fee_factors = models.JSONField("经费确定因素", default=list, blank=True)
    patrol_interval_days = models.PositiveSmallIntegerField("巡诊周期（天）", null=True,
                                                            blank=True)
    signed_document = models.FileField("签字盖章的协议文本", upload_to="agreements/",
                                       blank=True)
    state = models.CharField("状态", max_length=24, choices=STATE_CHOICES,
                             default=AgreementState.DRAFT, db_index=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止/作废原因", max_length=300, blank=True)
    created_by = models.CharField("起草人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["medical", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")),
                                   name="agreement_term_order"),
        ]
        verbose_name = verbose_name_plural = "医养签约协议"

    def __str__(self) -> str:
        return f"{self.number} {self.home.name}—{self.medical.name}"

    @property
    def number(self) -> str:
        return f"YY{self.start_on.year}{self.pk or 0:05d}"

    def term_kwargs(self) -> dict[str, Any]:
        return {"start": self.start_on, "end": self.end_on, "state": self.state}


class AgreementEvent(ScopedModel):
    """One row per transition of an agreement (its timeline)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=24)
    from_state = models.CharField("原状态", max_length=24, blank=True)
    to_state = models.CharField("新状态", max_length=24)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor_name = models.CharField("操作人", max_length=150)
    actor_org = models.CharField("操作机构", max_length=100, blank=True)
    reason = models.CharField("原因/说明", max_length=300, blank=True)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "协议进程"

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.action}"

    @property
    def action_label(self) -> str:
        if self.action == "create":
            return "起草"
        try:
            return AgreementAction(self.action).label
        except ValueError:
            return self.action

    @property
    def to_state_label(self) -> str:
        try:
            return AgreementState(self.to_state).label
        except ValueError:
            return self.to_state


class PatrolVisit(ScopedModel):
    """One patrol visit (巡诊) made under an agreement: the team, the residents seen and what was
    found; drug orders given go to the home's medication orders (`medication`), tagged with the
    visit (source "patrol")."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT,
                                  related_name="patrol_visits")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("巡诊日期")
    doctors = models.CharField("医生", max_length=200)
    nurses = models.CharField("护士", max_length=200, blank=True)
    findings = models.TextField("发现的问题", blank=True)
    orders = models.TextField("处理意见", blank=True)
    follow_up = models.CharField("随访安排", max_length=300, blank=True)
    follow_up_on = models.DateField("下次随访日期", null=True, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "巡诊记录"

    def __str__(self) -> str:
        return f"{self.visited_on} 巡诊"

    @property
    def team(self) -> str:
        return f"医生：{self.doctors}" + (f"；护士：{self.nurses}" if self.nurses else "")


class PatrolResident(ScopedModel):
    """A resident seen on a patrol visit, with what the team noted for that person."""

    visit = models.ForeignKey(PatrolVisit, on_delete=models.CASCADE, related_name="seen")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="老人", on_delete=models.PROTECT,
                               related_name="+")
    note = models.CharField("诊视情况", max_length=300, blank=True)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "visit__agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["visit", "person"],
                                               name="patrol_resident_once")]
        verbose_name = verbose_name_plural = "巡诊诊视老人"

    def __str__(self) -> str:
        return f"{self.visit_id} {self.person_id}"


class FeeEntry(ScopedModel):
    """The medical side's separate memo account of the agreement fee (单列备查账, seed 003 §三):
    its own business, open to the regulators' inspection; the home does not keep it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "收到经费"
        USE = "use", "经费使用"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="fees")
    medical = models.ForeignKey(MedicalInstitution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("收支", max_length=10, choices=Kind.choices)
    entry_on = models.DateField("日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    note = models.CharField("摘要", max_length=200)
    recorded_by = models.CharField("记账人", max_length=150)

    scope = Scope(owner="medical", data=DataClass.ADMIN)

    class Meta:
        ordering = ["entry_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_entry_amount_positive"),
        ]
        verbose_name = verbose_name_plural = "合作经费备查账"

    def __str__(self) -> str:
        return f"{self.entry_on} {self.get_kind_display()} {self.amount}"


class Referral(ScopedModel):
    """A two-way referral or green-channel request under an agreement (items 12/13)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="referrals")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="老人", on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField("类型", max_length=20,
                            choices=[(k.value, k.label) for k in ReferralKind])
    state = models.CharField("状态", max_length=20, default=ReferralState.REQUESTED,
                             choices=[(s.value, s.label) for s in ReferralState])
    reason = models.CharField("转诊原因", max_length=300)
    requested_at = models.DateTimeField("申请时间")
    requested_by = models.CharField("申请人", max_length=150)
    requested_side = models.CharField("申请方", max_length=10)  # "home" | "medical"
    response_note = models.CharField("拒绝/撤销/结案原因", max_length=300, blank=True)
    summary = models.TextField("出院小结", blank=True)
    history = models.JSONField("办理经过", default=list, blank=True)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "转诊"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_id}"


class ServiceRecord(ScopedModel):
    """A service delivered under the agreement (issue 8 item 5), each tied to its catalogue item:
    annual health check (2), training (16), telemedicine (17).  Family beds (11) are episodes of
    their own (`FamilyBed`)."""

    class Kind(models.TextChoices):
        HEALTH_CHECK = "health_check", "老年人健康体检"
        TRAINING = "training", "专业培训"
        TELEMEDICINE = "telemedicine", "远程医疗"

    ITEM_OF_KIND = {"health_check": 2, "training": 16, "telemedicine": 17}

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="services")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("服务", max_length=20, choices=Kind.choices)
    delivered_on = models.DateField("日期")
    topic = models.CharField("内容", max_length=300)
    people = models.PositiveIntegerField("服务人数", default=0)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = verbose_name_plural = "协议服务记录"

    def __str__(self) -> str:
        return f"{self.delivered_on} {self.get_kind_display()}"


class FamilyBed(ScopedModel):
    """A family-bed episode (家庭病床, item 11) of one resident: opened when the criteria of
    `family_bed_rules.CRITERIA` are confirmed, rounds while open, closed with an outcome."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="family_beds")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="老人", on_delete=models.PROTECT,
                               related_name="+")
    diagnosis = models.CharField("明确诊断", max_length=200)
    criteria = models.JSONField("已确认的建床条件", default=list)
    care_plan = models.TextField("诊疗护理计划", blank=True)
    responsible_doctor = models.CharField("责任医生", max_length=100)
    round_interval_days = models.PositiveSmallIntegerField("查床周期（天）", default=7)
    state = models.CharField("状态", max_length=10, default=BedState.OPENED,
                             choices=[(s.value, s.label) for s in BedState])
    opened_on = models.DateField("建床日期")
    opened_by = models.CharField("建床人", max_length=150)
    closed_on = models.DateField("撤床日期", null=True, blank=True)
    outcome = models.CharField("撤床结局", max_length=12, blank=True,
                               choices=[(o.value, o.label) for o in BedOutcome])
    close_reason = models.CharField("撤床说明", max_length=300, blank=True)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="opened"),
                                    name="one_open_family_bed_per_person"),
        ]
        verbose_name = verbose_name_plural = "家庭病床"

    def __str__(self) -> str:
        return f"家庭病床 {self.person_id} {self.opened_on}"


class FamilyBedRound(ScopedModel):
    """One ward round (查床) of a family bed."""

    bed = models.ForeignKey(FamilyBed, on_delete=models.CASCADE, related_name="rounds")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField("查床日期")
    findings = models.TextField("病情记录")
    orders = models.TextField("处理/医嘱", blank=True)
    recorded_by = models.CharField("查床医生", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)
    medical_lookup = "bed__agreement__medical_id"
    objects = TwoSidedManager()

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = verbose_name_plural = "家庭病床查床记录"

    def __str__(self) -> str:
        return f"{self.done_on} 查床"
