"""Pressure injuries, care-risk incidents and health education sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiyang.assessments.models import ReassessmentTrigger
from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import Person, Stay

from .. import safety_rules as rules

__all__ = ["EducationSession", "Incident", "PressureInjury", "PressureInjuryObservation"]

STAGE_CHOICES = [(s.value, s.label) for s in rules.Stage if s != rules.Stage.HEALED]
OBSERVED_STAGE_CHOICES = [(s.value, s.label) for s in rules.Stage]


class PressureInjury(ScopedModel):
    """One lesion (压力性损伤) of a resident, staged with NPIAP 2016 (REFERENCE §5.7)."""

    class Site(models.TextChoices):
        SACRUM = "sacrum", "骶尾部"
        ISCHIUM = "ischium", "坐骨结节"
        TROCHANTER = "trochanter", "股骨大转子"
        HEEL = "heel", "足跟"
        ANKLE = "ankle", "外踝"
        SCAPULA = "scapula", "肩胛部"
        OCCIPUT = "occiput", "枕部"
        EAR = "ear", "耳廓"
        ELBOW = "elbow", "肘部"
        NOSE = "nose", "鼻部/面部"
        MUCOSA = "mucosa", "口腔/鼻腔黏膜"
        OTHER = "other", "其他"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="pressure_injuries")
    stay = models.ForeignKey(Stay, verbose_name="入住记录", on_delete=models.PROTECT,
                             related_name="+")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    site = models.CharField("部位", max_length=20, choices=Site.choices)
    site_detail = models.CharField("部位说明", max_length=60, blank=True)
    initial_stage = models.CharField("发现时分期", max_length=12, choices=STAGE_CHOICES)
    stage = models.CharField("当前分期", max_length=12, choices=OBSERVED_STAGE_CHOICES,
                             db_index=True)
    present_on_admission = models.BooleanField("入住时已有", default=False)
    found_at = models.DateTimeField("发现时间", db_index=True)
    device_related = models.BooleanField("医疗器械相关", default=False)
    length_cm = models.DecimalField("长(cm)", max_digits=5, decimal_places=1, null=True,
                                    blank=True)
    width_cm = models.DecimalField("宽(cm)", max_digits=5, decimal_places=1, null=True,
                                   blank=True)
    depth_cm = models.DecimalField("深(cm)", max_digits=5, decimal_places=1, null=True,
                                   blank=True)
    note = models.CharField("伤口描述", max_length=300, blank=True)
    healed_on = models.DateField("愈合日期", null=True, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["home", "found_at"]),
                   models.Index(fields=["person", "found_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(healed_on__isnull=True) | Q(stage="healed"),
                                   name="lesion_healed_has_stage"),
        ]
        verbose_name = verbose_name_plural = "压力性损伤"

    def __str__(self) -> str:
        return f"{self.person} {self.get_site_display()} {self.get_stage_display()}"

    @property
    def mucosal(self) -> bool:
        return self.initial_stage == rules.Stage.MUCOSAL

    @property
    def is_open(self) -> bool:
        return self.healed_on is None


class PressureInjuryObservation(ScopedModel):
    """One entry of a lesion's healing record: stage and size on a day, with the care given."""

    lesion = models.ForeignKey(PressureInjury, on_delete=models.CASCADE,
                               related_name="observations")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    observed_at = models.DateTimeField("观察时间")
    stage = models.CharField("分期", max_length=12, choices=OBSERVED_STAGE_CHOICES)
    length_cm = models.DecimalField("长(cm)", max_digits=5, decimal_places=1, null=True,
                                    blank=True)
    width_cm = models.DecimalField("宽(cm)", max_digits=5, decimal_places=1, null=True,
                                   blank=True)
    depth_cm = models.DecimalField("深(cm)", max_digits=5, decimal_places=1, null=True,
                                   blank=True)
    wound_bed = models.CharField("创面情况", max_length=200, blank=True)
    treatment = models.CharField("处理措施", max_length=200, blank=True)
    # Optional; re-encoded without metadata, stored under a random name in MEDIA_ROOT and served
    # only by `care:wound_photo` behind `visible_to` (never a public URL).
    photo = models.FileField("照片", upload_to="wound-photos/", blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["observed_at", "id"]
        verbose_name = verbose_name_plural = "压力性损伤观察记录"

    def __str__(self) -> str:
        return f"{self.lesion_id} {self.observed_at:%Y-%m-%d} {self.get_stage_display()}"


class Incident(ScopedModel):
    """A care-risk event (GB 38600 risks; GB/T 42195 A.2.14 types)."""

    class Severity(models.TextChoices):
        NONE = "none", "无损伤"
        MINOR = "minor", "轻度（擦伤、淤青）"
        MODERATE = "moderate", "中度（需缝合、包扎或进一步检查）"
        SEVERE = "severe", "重度（骨折、颅脑损伤等）"
        DEATH = "death", "死亡"

    person = models.ForeignKey(Person, verbose_name="老年人", on_delete=models.PROTECT,
                               related_name="incidents")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField("类型", max_length=12, db_index=True,
                            choices=[(k.value, k.label) for k in rules.IncidentKind])
    kind_detail = models.CharField("其他类型说明", max_length=60, blank=True)
    occurred_at = models.DateTimeField("发生时间", db_index=True)
    place = models.CharField("地点", max_length=100)
    description = models.CharField("经过", max_length=1000)
    severity = models.CharField("损伤程度", max_length=10, choices=Severity.choices,
                                default=Severity.NONE)
    injuries = models.CharField("损伤情况", max_length=300, blank=True)
    immediate_action = models.CharField("现场处置", max_length=500)
    hospital_transfer = models.BooleanField("转送医院", default=False)
    hospital = models.CharField("医院", max_length=100, blank=True)
    witnesses = models.CharField("目击者", max_length=200, blank=True)
    family_informed = models.BooleanField("已通知家属", default=False)
    follow_up = models.CharField("后续跟进", max_length=1000, blank=True)
    closed = models.BooleanField("已结案", default=False)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reporter_name = models.CharField("报告人", max_length=150)
    trigger = models.ForeignKey(ReassessmentTrigger, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["home", "occurred_at"]),
                   models.Index(fields=["person", "occurred_at"])]
        verbose_name = verbose_name_plural = "照护风险事件"

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class EducationSession(ScopedModel):
    """A health education or skills-training session (seed 002 §六) or a mental-health lecture
    (§十二) held by the home."""

    class Kind(models.TextChoices):
        HEALTH = "health", "健康教育"
        SKILLS = "skills", "照护技能培训"
        MENTAL = "mental", "心理健康知识讲座"

    class Audience(models.TextChoices):
        RESIDENTS = "residents", "入住老年人"
        FAMILIES = "families", "家属"
        COMMUNITY = "community", "社区居民"
        CARERS = "carers", "家庭照护者"
        STAFF = "staff", "本机构员工"

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, db_index=True)
    topic = models.CharField("主题", max_length=100)
    held_on = models.DateField("日期", db_index=True)
    speaker = models.CharField("主讲人", max_length=100)
    audience = models.JSONField("对象", default=list)
    attendees = models.ManyToManyField(Person, verbose_name="参加的老年人", blank=True,
                                       related_name="+")
    other_count = models.PositiveIntegerField("其他参加人数", default=0)
    materials = models.CharField("资料", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["home", "held_on"])]
        verbose_name = verbose_name_plural = "健康教育活动"

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(self.Audience.choices)
        return [labels.get(a, a) for a in self.audience]
