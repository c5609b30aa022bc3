"""Obligations, inspections and clinic filings (issue 10 items 1, 4, 5).

* A home's own records (`ObligationRecord`, `Hazard`, `ClinicFiling`) are owned by the home;
  its regulators read them by region and never change them (a filing's review is a separate
  regulator act, `Scope.regulator_acts`).
* A regulator's inspection work (`Inspector`, `InspectionDraw`, `Inspection`, `Finding`) is
  owned by the regulator; an inspection and its findings carry the inspected home's region code,
  so regulators above read them, and `InspectedQuerySet` adds the inspected home (read only: the
  home answers a finding through `services.rectify`, which checks it is the addressee).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiyang.core.models import ScopedModel
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, DataClass, Scope, ScopedQuerySet, scope_filter
from yiyang.orgs.models import Membership, NursingHome, Regulator

from . import training_rules
from .obligations import CATALOGUE
from .rules import FilingState, HazardState, RectificationState


class InspectedQuerySet(ScopedQuerySet):
    """The regulator's scope plus the inspected home named on the row (view only)."""

    def visible_to(self, actor: Actor | None, action: str = Action.VIEW) -> InspectedQuerySet:
        q = scope_filter(self.model, actor, action)
        if actor is not None and actor.org_kind == OrgKind.HOME and action == Action.VIEW:
            q |= Q(home_id=actor.org_id)
        return self.filter(q)


InspectedManager = models.Manager.from_queryset(InspectedQuerySet)


class ObligationRecord(ScopedModel):
    """What a home did to fulfil a recurring obligation (a drill, a fire check ...)."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    obligation = models.CharField("义务", max_length=40, db_index=True,
                                  choices=[(o.code, o.title) for o in CATALOGUE])
    done_on = models.DateField("开展日期")
    participants = models.PositiveIntegerField("参加人数", default=0)
    participant_note = models.CharField("参加人员", max_length=300, blank=True)
    summary = models.TextField("情况记录")
    evidence = models.FileField("佐证材料", upload_to="compliance/records/", blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["home", "obligation", "done_on"])]
        verbose_name = verbose_name_plural = "义务履行记录"

    def __str__(self) -> str:
        return f"{self.done_on} {self.get_obligation_display()}"


class Hazard(ScopedModel):
    """A hazard found (隐患台账, seed 002 §二十四): found → rectified with evidence → verified."""

    class Level(models.TextChoices):
        GENERAL = "general", "一般隐患"
        MAJOR = "major", "重大隐患"

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField("发现日期")
    place = models.CharField("部位/场所", max_length=100)
    description = models.TextField("隐患描述")
    level = models.CharField("隐患等级", max_length=10, choices=Level.choices,
                             default=Level.GENERAL)
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=12, default=HazardState.OPEN, db_index=True,
                             choices=[(s.value, s.label) for s in HazardState])
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification = models.TextField("整改措施", blank=True)
    evidence = models.FileField("整改佐证", upload_to="compliance/hazards/", blank=True)
    verified_on = models.DateField("复核日期", null=True, blank=True)
    verified_by = models.CharField("复核人", max_length=150, blank=True)
    history = models.JSONField("办理经过", default=list, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = verbose_name_plural = "安全隐患"

    def __str__(self) -> str:
        return f"{self.found_on} {self.place}"


class Inspector(ScopedModel):
    """A regulator's list of inspectors (执法检查人员名录): its own staff or a name."""

    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务/证件", max_length=60, blank=True)
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_active = models.BooleanField("在册", default=True)

    scope = Scope(owner="regulator", data=DataClass.ADMIN)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "检查人员"

    def __str__(self) -> str:
        return self.name


class InspectionDraw(ScopedModel):
    """A regulator's yearly 双随机 draw, with its seed and inputs, so anyone can re-run it."""

    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    seed = models.BigIntegerField("随机种子")
    count = models.PositiveIntegerField("抽查数量", null=True, blank=True)
    percent = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2, null=True,
                                  blank=True)
    per_inspection = models.PositiveSmallIntegerField("每组检查人员数", default=2)
    institution_ids = models.JSONField("抽取范围（机构）", default=list)
    inspector_ids = models.JSONField("抽取范围（检查人员）", default=list)
    result = models.JSONField("抽取结果", default=list)  # [[institution id, [inspector ids]]]
    drawn_by = models.CharField("抽取人", max_length=150)

    scope = Scope(owner="regulator", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["regulator", "year"],
                                               name="one_draw_per_regulator_year")]
        verbose_name = verbose_name_plural = "双随机抽查"

    def __str__(self) -> str:
        return f"{self.year}年度双随机抽查"


class Inspection(ScopedModel):
    """One inspection of a home (from a draw or ad hoc): planned → done with an outcome."""

    class State(models.TextChoices):
        PLANNED = "planned", "待检查"
        DONE = "done", "已检查"

    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    draw = models.ForeignKey(InspectionDraw, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    inspector_ids = models.JSONField("检查人员", default=list)
    inspector_names = models.CharField("检查人员", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PLANNED)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    outcome = models.TextField("检查结果（公开）", blank=True)

    scope = Scope(owner="regulator", data=DataClass.ADMIN)
    objects = InspectedManager()

    class Meta:
        ordering = ["-year", "home_id", "id"]
        verbose_name = verbose_name_plural = "监督检查"

    def __str__(self) -> str:
        return f"{self.year}年 检查"


class Finding(ScopedModel):
    """A problem found on an inspection and its rectification loop (issued → rectified with
    evidence by the home → verified, or re-issued with a new deadline, by the regulator)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("发现的问题")
    requirement = models.CharField("整改要求", max_length=300, blank=True)
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=12, default=RectificationState.ISSUED,
                             db_index=True,
                             choices=[(s.value, s.label) for s in RectificationState])
    rectification = models.TextField("整改情况", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    evidence = models.FileField("整改佐证", upload_to="compliance/findings/", blank=True)
    rounds = models.PositiveSmallIntegerField("下达次数", default=1)
    history = models.JSONField("办理经过", default=list, blank=True)

    scope = Scope(owner="regulator", data=DataClass.ADMIN)
    objects = InspectedManager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "检查发现问题"

    def __str__(self) -> str:
        return f"问题 {self.pk}"


class ClinicFiling(ScopedModel):
    """A home's internal clinic filed with the county health commission (seed 004: 养老机构申请
    内部设置诊所、卫生所（室）、医务室、护理站的，取消行政审批，实行备案管理)."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", "诊所"
        HEALTH_ROOM = "health_room", "卫生所（室）"
        CLINIC_ROOM = "clinic_room", "医务室"
        NURSING_STATION = "nursing_station", "护理站"

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    record_number = models.CharField("执业许可/备案编号", max_length=50, blank=True)
    head = models.CharField("负责人", max_length=50)
    doctors = models.PositiveSmallIntegerField("医师数", default=0)
    nurses = models.PositiveSmallIntegerField("护士数", default=0)
    other_staff = models.PositiveSmallIntegerField("其他卫生技术人员数", default=0)
    services = models.TextField("服务项目")
    filed_on = models.DateField("备案日期")
    state = models.CharField("状态", max_length=10, default=FilingState.RECEIVED, db_index=True,
                             choices=[(s.value, s.label) for s in FilingState])
    filed_by = models.CharField("填报人", max_length=150)
    reviewer = models.ForeignKey(Regulator, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.CharField("审核人", max_length=150, blank=True)
    review_note = models.CharField("审核意见/退回理由", max_length=300, blank=True)

    scope = Scope(owner="home", data=DataClass.ADMIN, regulator_acts=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = verbose_name_plural = "内设医疗机构备案"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


# --- Indicators (issue 10 items 2, 3): snapshots of every indicator, per organisation and region


class IndicatorSnapshot(models.Model):
    """One computation of every connected indicator for every organisation, as of a day.

    Regions' dashboards read the latest snapshot (their cost does not grow with the region:
    a page reads one row per child region); an institution's own view is computed live. The
    last snapshot of each day is kept for the trends; earlier ones of the same day are pruned.
    """

    on = models.DateField("统计日期", db_index=True)
    taken_at = models.DateTimeField("生成时间", auto_now_add=True)
    seconds = models.FloatField("耗时（秒）", default=0)
    codes = models.JSONField("已接入指标", default=list)

    class Meta:
        ordering = ["-on", "-taken_at", "-id"]
        verbose_name = verbose_name_plural = "指标快照"

    def __str__(self) -> str:
        return f"{self.on} 指标快照"


class OrgIndicatorValue(ScopedModel):
    """An organisation's value of one indicator in a snapshot (its staff and regulators read)."""

    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.CASCADE,
                                 related_name="org_values")
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField("指标", max_length=40)
    numerator = models.PositiveIntegerField("分子")
    denominator = models.PositiveIntegerField("分母")
    parts = models.JSONField("分项", default=dict, blank=True)

    scope = Scope(owner="org", data=DataClass.ADMIN)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "indicator", "region_code"])]
        verbose_name = verbose_name_plural = "机构指标值"


class RegionValueQuerySet(models.QuerySet):
    """Regulators read the regions inside their own (the row's code is the region's scope
    prefix, so `startswith` is exactly "inside"); no other kind of organisation reads them."""

    def visible_to(self, actor: Actor | None, action: str = Action.VIEW) -> RegionValueQuerySet:
        if actor is None or actor.org_kind != OrgKind.REGULATOR or action != Action.VIEW:
            return self.none()
        return self.filter(region_code__startswith=actor.region_prefix)


class RegionIndicatorValue(models.Model):
    """A region's value of one indicator in a snapshot (province, city or county)."""

    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.CASCADE,
                                 related_name="region_values")
    region_code = models.CharField("区划前缀", max_length=6)  # 2, 4 or 6 digits
    indicator = models.CharField("指标", max_length=40)
    numerator = models.PositiveIntegerField("分子")
    denominator = models.PositiveIntegerField("分母")
    parts = models.JSONField("分项", default=dict, blank=True)

    objects = models.Manager.from_queryset(RegionValueQuerySet)()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "region_code"])]
        constraints = [models.UniqueConstraint(fields=["snapshot", "region_code", "indicator"],
                                               name="one_value_per_region_indicator")]
        verbose_name = verbose_name_plural = "区域指标值"


# --- Staff training (seed 002 §五) and TCM techniques offered (§十一) ---------------------------


class TrainingCourse(ScopedModel):
    """A training an institution's staff attended (home or medical institution): who organised
    it, when, how long, and which of the institution's staff memberships took part."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("培训名称", max_length=100)
    kind = models.CharField("培训类别", max_length=20, choices=training_rules.TRAINING_KINDS)
    organiser = models.CharField("主办单位", max_length=100)
    held_on = models.DateField("培训日期", db_index=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    note = models.TextField("培训内容", blank=True)
    certificate = models.FileField("证书/签到表", upload_to="compliance/training/", blank=True)
    attendees = models.ManyToManyField(Membership, through="TrainingAttendance",
                                       related_name="+")
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="org", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"])]
        verbose_name = verbose_name_plural = "从业人员培训"

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class TrainingAttendance(models.Model):
    """One staff membership's attendance of a course (read only through the course's scope)."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE,
                               related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "membership"],
                                               name="one_attendance_per_course_member")]
        verbose_name = verbose_name_plural = "培训参加人员"


class TcmTechnique(ScopedModel):
    """A 中医适宜技术 an institution offers (its register): from `started_on` until `stopped_on`
    (inclusive), with the staff who perform it. `category` is the item's type, copied from the
    catalogue so the indicator counts types in SQL."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    technique = models.CharField("技术项目", max_length=30, db_index=True,
                                 choices=[(i.code, i.label)
                                          for i in training_rules.TCM_CATALOGUE.values()])
    category = models.CharField("技术类别", max_length=20,
                                choices=list(training_rules.TCM_TYPES.items()))
    started_on = models.DateField("开展日期")
    stopped_on = models.DateField("停止日期", null=True, blank=True)
    performers = models.ManyToManyField(Membership, blank=True, related_name="+",
                                        verbose_name="操作人员")
    note = models.CharField("说明（适应证、场所）", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="org", data=DataClass.ADMIN)

    class Meta:
        ordering = ["category", "technique", "-started_on", "id"]
        constraints = [models.UniqueConstraint(
            fields=["org", "technique"], condition=Q(stopped_on__isnull=True),
            name="one_open_tcm_technique_per_org")]
        verbose_name = verbose_name_plural = "中医适宜技术"

    def __str__(self) -> str:
        return self.get_technique_display()
