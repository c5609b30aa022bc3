"""Medication orders (医嘱): what a doctor of the home's clinic or of a partner medical
institution ordered for a resident, with its schedule, source and stop (issue 6 item 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import NursingHome, Organisation
from yiyang.residents.models import Person

from . import rules


class MedicationOrder(ScopedModel):
    class Route(models.TextChoices):
        ORAL = "oral", "口服"
        SUBLINGUAL = "sublingual", "舌下"
        SUBCUTANEOUS = "subcutaneous", "皮下注射"
        INTRAMUSCULAR = "intramuscular", "肌内注射"
        INTRAVENOUS = "intravenous", "静脉"
        TOPICAL = "topical", "外用"
        INHALED = "inhaled", "吸入"
        NASOGASTRIC = "nasogastric", "鼻饲"
        OTHER = "other", "其他"

    class Source(models.TextChoices):
        CLINIC = "clinic", "本院开具"
        PATROL = "patrol", "巡诊医嘱"
        REFERRAL = "referral", "转诊带回"

    class Status(models.TextChoices):
        ACTIVE = "active", "执行中"
        STOPPED = "stopped", "已停止"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="medication_orders")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    drug = models.CharField("药品名称", max_length=100)
    dose = models.CharField("剂量/规格", max_length=40)
    route = models.CharField("给药途径", max_length=20, choices=Route.choices)
    frequency = models.CharField("频次", max_length=10,
                                 choices=[(f.value, f.label) for f in rules.Frequency])
    times = models.JSONField("给药时间", default=list, blank=True)
    prn_indication = models.CharField("用药指征", max_length=100, blank=True)
    start_on = models.DateField("开始日期")
    stop_on = models.DateField("计划停止日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    prescriber = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    prescriber_name = models.CharField("开具医生", max_length=150)
    prescriber_org = models.ForeignKey(Organisation, verbose_name="开具机构",
                                       on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=10, choices=Source.choices,
                              default=Source.CLINIC)
    source_ref = models.CharField("来源记录", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    stopped_on = models.DateField("停止日期", null=True, blank=True)
    stopped_at = models.DateTimeField("停止登记时间", null=True, blank=True)
    stop_reason = models.CharField("停止原因", max_length=200, blank=True)
    stopped_by = models.CharField("停止登记人", max_length=150, blank=True)
    stop_instructed_by = models.CharField("下达停止医嘱的医生", max_length=50, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["home", "status", "start_on"]),
                   models.Index(fields=["person", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(stop_on__isnull=True) |
                                   Q(stop_on__gte=F("start_on")), name="order_stop_after_start"),
            models.CheckConstraint(condition=Q(status="active", stopped_on__isnull=True) |
                                   Q(status="stopped", stopped_on__isnull=False),
                                   name="order_stopped_has_date"),
        ]
        verbose_name = verbose_name_plural = "用药医嘱"

    def __str__(self) -> str:
        return f"{self.person} {self.drug} {self.dose}"

    @property
    def frequency_label(self) -> str:
        return rules.Frequency(self.frequency).label

    @property
    def is_prn(self) -> bool:
        return self.frequency == rules.Frequency.PRN

    @property
    def ends_on(self) -> object:
        return rules.last_day(self.stop_on, self.stopped_on)

    def effective_status(self, today=None) -> rules.EffectiveStatus:  # type: ignore[no-untyped-def]
        return rules.effective_status(stopped=self.status == self.Status.STOPPED,
                                      start_on=self.start_on, stop_on=self.stop_on,
                                      today=today or timezone.localdate())

    @property
    def state(self) -> rules.EffectiveStatus:
        """Today's effective status (for pages and the API)."""
        return self.effective_status()
