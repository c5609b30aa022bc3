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


class MedicineStock(ScopedModel):
    """One batch of a resident's medicine kept by the home (自带药品 handed over by the family,
    or medicine the home's clinic dispensed): intake, quantity on hand, storage place.
    The resident's stock of a drug is the sum of its batches in use."""

    class Source(models.TextChoices):
        FAMILY = "family", "家属自带"
        CLINIC = "clinic", "本机构开具"

    class Status(models.TextChoices):
        ACTIVE = "active", "在用"
        CLOSED = "closed", "已清退"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="medicine_stock")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    drug = models.CharField("药品名称", max_length=100)
    strength = models.CharField("规格", max_length=40, blank=True)
    unit = models.CharField("计量单位", max_length=10)
    batch_number = models.CharField("批号", max_length=40)
    expires_on = models.DateField("有效期至")
    quantity_received = models.DecimalField("接收数量", max_digits=10, decimal_places=3)
    on_hand = models.DecimalField("结存数量", max_digits=10, decimal_places=3)
    storage_location = models.CharField("存放位置", max_length=60)
    source = models.CharField("来源", max_length=10, choices=Source.choices,
                              default=Source.FAMILY)
    handed_over_by = models.CharField("交药人", max_length=50)
    handed_over_relation = models.CharField("交药人关系", max_length=20, blank=True)
    received_by = models.CharField("接收人", max_length=150)
    received_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("接收时间")
    note = models.CharField("备注", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["person_id", "drug", "expires_on", "id"]
        indexes = [models.Index(fields=["home", "status"]),
                   models.Index(fields=["person", "drug", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_not_negative"),
            models.CheckConstraint(condition=Q(quantity_received__gt=0),
                                   name="stock_received_positive"),
        ]
        verbose_name = verbose_name_plural = "自带药品"

    def __str__(self) -> str:
        return f"{self.person} {self.drug} 批号{self.batch_number}"


class StockMovement(ScopedModel):
    """Every change of a batch's quantity, with the balance after it (the stock ledger)."""

    class Kind(models.TextChoices):
        INTAKE = "intake", "接收"
        DOSE = "dose", "给药"
        ADJUST = "adjust", "盘点调整"
        RETURN = "return", "退还家属"
        DISPOSE = "dispose", "销毁"

    stock = models.ForeignKey(MedicineStock, on_delete=models.CASCADE, related_name="movements")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    delta = models.DecimalField("变动数量", max_digits=10, decimal_places=3)
    balance = models.DecimalField("变动后结存", max_digits=10, decimal_places=3)
    reason = models.CharField("原因", max_length=200, blank=True)
    administration = models.ForeignKey("MedicationAdministration", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("经办人", max_length=150)
    at = models.DateTimeField("时间")

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "药品出入记录"


class MedicationAdministration(ScopedModel):
    """One dose of an order (eMAR): given, held, refused or missed.  The only record that a dose
    was given — a completed care task never is."""

    class Status(models.TextChoices):
        GIVEN = "given", "已给药"
        HELD = "held", "暂缓"
        REFUSED = "refused", "拒服"
        MISSED = "missed", "漏给"

    order = models.ForeignKey(MedicationOrder, verbose_name="医嘱", on_delete=models.PROTECT,
                              related_name="administrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField("计划给药时间", null=True, blank=True)
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    given_at = models.DateTimeField("实际时间")
    quantity = models.DecimalField("给药数量", max_digits=10, decimal_places=3, null=True,
                                   blank=True)
    stock = models.ForeignKey(MedicineStock, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="administrations")
    late = models.BooleanField("超出时间窗", default=False)
    minutes_off = models.IntegerField("偏差分钟", null=True, blank=True)
    prn_indication_seen = models.CharField("用药指征（所见）", max_length=200, blank=True)
    effect = models.CharField("效果观察", max_length=200, blank=True)
    effect_checked_at = models.DateTimeField("效果观察时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.CharField("执行人", max_length=150)
    recorded_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["home", "given_at"]),
                   models.Index(fields=["person", "given_at"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "scheduled_at"],
                                    condition=Q(scheduled_at__isnull=False),
                                    name="one_record_per_scheduled_dose"),
            models.CheckConstraint(
                condition=Q(status="given", quantity__gt=0, stock__isnull=False) |
                (~Q(status="given") & Q(quantity__isnull=True, stock__isnull=True)),
                name="given_dose_has_stock"),
            models.CheckConstraint(condition=Q(status="given") | ~Q(reason=""),
                                   name="not_given_has_reason"),
        ]
        verbose_name = verbose_name_plural = "给药记录"

    def __str__(self) -> str:
        return f"{self.person} {self.order.drug} {self.get_status_display()}"

    @property
    def is_prn(self) -> bool:
        return self.scheduled_at is None


class MedicationIncident(ScopedModel):
    """A medication error (wrong drug, person, dose, time, route; an omission) or an adverse
    reaction, with its handling (seed 002 §二十二 "及时处置发生误服和不良反应等突发事件")."""

    class Kind(models.TextChoices):
        WRONG_DRUG = "wrong_drug", "给错药"
        WRONG_PERSON = "wrong_person", "给错人"
        WRONG_DOSE = "wrong_dose", "剂量错误"
        WRONG_TIME = "wrong_time", "给药时间错误"
        WRONG_ROUTE = "wrong_route", "途径错误"
        OMISSION = "omission", "漏给"
        ADVERSE_REACTION = "adverse_reaction", "药物不良反应"
        OTHER = "other", "其他"

    class Severity(models.TextChoices):
        NONE = "none", "未造成伤害"
        MILD = "mild", "轻度"
        MODERATE = "moderate", "中度"
        SEVERE = "severe", "重度"

    class Status(models.TextChoices):
        OPEN = "open", "处理中"
        CLOSED = "closed", "已结案"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="+")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices,
                                default=Severity.NONE)
    occurred_at = models.DateTimeField("发生时间")
    administration = models.ForeignKey(MedicationAdministration, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="incidents")
    order = models.ForeignKey(MedicationOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="incidents")
    drug = models.CharField("涉及药品", max_length=100, blank=True)
    description = models.CharField("经过", max_length=500)
    doctor_informed = models.BooleanField("已报告医生", default=False)
    doctor_name = models.CharField("报告医生", max_length=50, blank=True)
    informed_at = models.DateTimeField("报告时间", null=True, blank=True)
    action_taken = models.CharField("处置措施", max_length=500, blank=True)
    outcome = models.CharField("结果", max_length=300, blank=True)
    follow_up = models.CharField("后续跟进", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    reported_by = models.CharField("报告人", max_length=150)
    reported_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["home", "occurred_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(doctor_informed=False) | ~Q(doctor_name=""),
                                   name="incident_informed_names_doctor"),
        ]
        verbose_name = verbose_name_plural = "用药差错与不良反应"

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"
