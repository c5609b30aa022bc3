"""Assessment records, admission bundles and re-assessment triggers (seed 002 §十九).

A record stores the instrument's code and version, every answer, the assessors, the reason and
the results.  A draft saves as it goes; a finalised record is never edited: a correction is a new
record pointing at the one it corrects (``corrects``), and the corrected one drops out of every
"current" reading.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import Person, Stay

from .schedule_rules import TRIGGER_LABELS


class Reason(models.TextChoices):
    # GB/T 42195 A.1 评估原因 (REFERENCE §2.5).
    FIRST = "first", "首次评估"
    ROUTINE = "routine", "常规评估"
    IMMEDIATE = "immediate", "即时评估"
    REVIEW = "review", "因对评估结果有疑问进行的复评"
    OTHER = "other", "其他"


class AdmissionAssessment(ScopedModel):
    """The admission bundle of one stay: health status, service needs, risk levels, ability."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        COMPLETE = "complete", "已完成"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="admission_assessment")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    started_on = models.DateField("开始日期")
    health_status = models.TextField("健康状况", blank=True)
    service_needs = models.JSONField("服务需求", default=list, blank=True)
    needs_note = models.CharField("其他需求", max_length=300, blank=True)
    ratings = models.JSONField("风险等级", default=dict, blank=True)
    overall_risk = models.CharField("综合风险", max_length=2, blank=True)
    ability_level = models.PositiveSmallIntegerField("能力等级", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    started_by = models.CharField("发起人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = verbose_name_plural = "入院评估"

    def __str__(self) -> str:
        return f"{self.person} 入院评估"


class Assessment(ScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FINAL = "final", "已完成"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="assessments")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    instrument = models.CharField("量表", max_length=30, db_index=True)
    instrument_version = models.CharField("量表版本", max_length=80)
    reason = models.CharField("评估原因", max_length=20, choices=Reason.choices)
    reason_note = models.CharField("原因说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    assessed_on = models.DateField("评估基准日期")
    answers = models.JSONField("各条目答案", default=dict, blank=True)
    context = models.JSONField("基本信息/附加条件", default=dict, blank=True)
    outcome = models.JSONField("评估结果", default=dict, blank=True)
    total = models.IntegerField("总分", null=True, blank=True)
    band = models.CharField("结果分级", max_length=30, blank=True)
    band_label = models.CharField("结果", max_length=120, blank=True)
    level = models.PositiveSmallIntegerField("能力等级", null=True, blank=True)
    bundle = models.ForeignKey(AdmissionAssessment, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="components")
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="corrected_by", verbose_name="更正的记录")
    trigger = models.ForeignKey("ReassessmentTrigger", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="assessments")
    created_by = models.CharField("创建人", max_length=150)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    assessor_name = models.CharField("评估员", max_length=150, blank=True)
    second_assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    second_assessor_name = models.CharField("第二评估员", max_length=150, blank=True)
    informant_name = models.CharField("信息提供者", max_length=50, blank=True)
    finalised_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "instrument", "status", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="final_has_time",
            ),
        ]
        verbose_name = verbose_name_plural = "评估记录"

    def __str__(self) -> str:
        return f"{self.number} {self.person}"

    @property
    def number(self) -> str:
        """A.1 评估编号: year of creation and the row id, unique and never reused."""
        year = self.created_at.year if self.created_at else self.assessed_on.year
        return f"PG{year}{self.pk or 0:07d}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReassessmentTrigger(ScopedModel):
    """A reported event that makes re-assessment due at once (REFERENCE §2.5 即时评估)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("情况", max_length=20,
                            choices=[(k.value, v) for k, v in TRIGGER_LABELS.items()])
    occurred_on = models.DateField("发生日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = verbose_name_plural = "即时评估触发事件"

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.occurred_on}"
