"""Service plans, scheduled tasks, vital signs, nursing notes and handovers (issue 6 items 1, 2).

A plan (`CarePlan`, one per stay) holds the working content (problems → goals → interventions,
nursing level, review date).  Approving it copies that content into a `CarePlanRevision`
(numbered, never edited); an edit after approval puts the plan back in "revising" while the last
approved revision still schedules the tasks.  `CareTask` rows are that revision's interventions
on one care day and shift, generated idempotently (unique per plan, intervention and due time).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import Person, Stay

from .. import plan_rules as rules

__all__ = ["CarePlan", "CarePlanRevision", "CareTask", "NursingNote", "Shift", "ShiftHandover",
           "VitalRange", "VitalSign"]

NURSING_LEVEL_CHOICES = [(k.value, v) for k, v in rules.NURSING_LEVEL_LABELS.items()]


class Shift(ScopedModel):
    """A home's shift (早班/中班/夜班 by default, `plan_rules.DEFAULT_SHIFTS`)."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("代码", max_length=20)
    name = models.CharField("班次", max_length=20)
    start = models.TimeField("开始时间")
    hours = models.PositiveSmallIntegerField("时长（小时）")

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["home", "start"]
        constraints = [models.UniqueConstraint(fields=["home", "code"], name="care_shift_code")]
        verbose_name = verbose_name_plural = "班次"

    def __str__(self) -> str:
        return self.name

    def spec(self) -> rules.ShiftSpec:
        return rules.ShiftSpec(self.code, self.name, self.start, self.hours)


class CarePlan(ScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        APPROVED = "approved", "已生效"
        REVISING = "revising", "修订待审核"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="care_plans")
    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="care_plan")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    nursing_level = models.CharField("护理等级", max_length=10, choices=NURSING_LEVEL_CHOICES,
                                     blank=True)
    problems = models.JSONField("问题、目标与措施", default=list, blank=True)
    basis = models.JSONField("依据的评估结果", default=list, blank=True)
    review_on = models.DateField("复评日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    revision = models.PositiveIntegerField("已审核修订次数", default=0)
    approved_at = models.DateTimeField("最近审核时间", null=True, blank=True)
    approved_by_name = models.CharField("审核人", max_length=150, blank=True)
    created_by_name = models.CharField("制定人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["home", "status", "review_on"])]
        verbose_name = verbose_name_plural = "服务方案"

    def __str__(self) -> str:
        return f"{self.person} 服务方案"

    @property
    def nursing_level_label(self) -> str:
        return self.get_nursing_level_display() if self.nursing_level else "未定"


class CarePlanRevision(ScopedModel):
    """One approved revision of a plan, as approved (kept, never edited)."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="revisions")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("修订号")
    nursing_level = models.CharField("护理等级", max_length=10, choices=NURSING_LEVEL_CHOICES,
                                     blank=True)
    problems = models.JSONField("问题、目标与措施", default=list)
    basis = models.JSONField("依据的评估结果", default=list, blank=True)
    review_on = models.DateField("复评日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    approved_at = models.DateTimeField("审核时间")
    approved_by_name = models.CharField("审核人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="care_revision_number")]
        verbose_name = verbose_name_plural = "服务方案修订"

    def __str__(self) -> str:
        return f"{self.plan} 第 {self.number} 版"


class CareTask(ScopedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "待执行"
        DONE = "done", "已完成"
        NOT_DONE = "not_done", "未完成"

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="tasks")
    revision = models.PositiveIntegerField("方案修订号")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    intervention_key = models.CharField("措施代码", max_length=40)
    title = models.CharField("任务", max_length=200)
    problem = models.CharField("针对问题", max_length=120, blank=True)
    day = models.DateField("照护日", db_index=True)
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="tasks")
    due_at = models.DateTimeField("应执行时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    reason = models.CharField("未完成原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField("记录人", max_length=150, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["home", "day", "shift"]),
                   models.Index(fields=["person", "day"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "intervention_key", "due_at"],
                                    name="care_task_once"),
            models.CheckConstraint(condition=~Q(status="not_done") | ~Q(reason=""),
                                   name="care_task_not_done_has_reason"),
        ]
        verbose_name = verbose_name_plural = "照护任务"

    def __str__(self) -> str:
        return f"{self.person} {self.title} {self.due_at:%m-%d %H:%M}"


class VitalRange(ScopedModel):
    """A resident's own normal ranges (the defaults of `plan_rules.DEFAULT_RANGES` elsewhere)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="vital_range")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    ranges = models.JSONField("正常范围", default=dict, blank=True)
    set_by_name = models.CharField("设置人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        verbose_name = verbose_name_plural = "体征正常范围"

    def __str__(self) -> str:
        return f"{self.person} 体征正常范围"


class VitalSign(ScopedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vital_signs")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    measured_at = models.DateTimeField("测量时间", db_index=True)
    systolic = models.PositiveSmallIntegerField("收缩压", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("舒张压", null=True, blank=True)
    pulse = models.PositiveSmallIntegerField("脉搏", null=True, blank=True)
    temperature = models.DecimalField("体温", max_digits=4, decimal_places=1, null=True,
                                      blank=True)
    spo2 = models.PositiveSmallIntegerField("血氧饱和度", null=True, blank=True)
    glucose = models.DecimalField("血糖", max_digits=4, decimal_places=1, null=True, blank=True)
    weight = models.DecimalField("体重", max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    alerts = models.JSONField("异常提示", default=list, blank=True)
    has_alert = models.BooleanField("有异常", default=False, db_index=True)
    recorded_by_name = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-measured_at", "-id"]
        indexes = [models.Index(fields=["home", "has_alert", "measured_at"]),
                   models.Index(fields=["person", "measured_at"])]
        verbose_name = verbose_name_plural = "生命体征"

    def __str__(self) -> str:
        return f"{self.person} {self.measured_at:%m-%d %H:%M}"

    @property
    def blood_pressure(self) -> str:
        return f"{self.systolic}/{self.diastolic}" if self.systolic else ""


class NursingNote(ScopedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nursing_notes")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("照护日")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="notes")
    text = models.CharField("护理记录", max_length=500)
    for_handover = models.BooleanField("需交班", default=False)
    written_at = models.DateTimeField("记录时间")
    written_by_name = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["home", "day", "shift"])]
        verbose_name = verbose_name_plural = "护理记录"

    def __str__(self) -> str:
        return f"{self.person} {self.written_at:%m-%d %H:%M}"


class ShiftHandover(ScopedModel):
    """The outgoing shift's confirmation that it handed over (one per home, day and shift)."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("照护日")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="handovers")
    summary = models.CharField("交班说明", max_length=500, blank=True)
    counts = models.JSONField("交班时统计", default=dict, blank=True)
    handed_at = models.DateTimeField("交班时间")
    handed_by_name = models.CharField("交班人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-day", "-handed_at"]
        constraints = [models.UniqueConstraint(fields=["home", "day", "shift"],
                                               name="care_handover_once")]
        verbose_name = verbose_name_plural = "交接班"

    def __str__(self) -> str:
        return f"{self.day} {self.shift} 交班"
