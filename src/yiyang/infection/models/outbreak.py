"""Surveillance, outbreak incidents and their playbook, isolation, the reporting chain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import Membership, NursingHome, Organisation, Regulator
from yiyang.residents.models import Person

from .. import rules

__all__ = [
    "InfectionControl",
    "IsolationSite",
    "LineListEntry",
    "Outbreak",
    "OutbreakEvent",
    "OutbreakReport",
    "Placement",
    "SymptomCheck",
    "TestResult",
]

_STATES = [(s.value, s.label) for s in rules.State]
_ACTIONS = [(a.value, a.label) for a in rules.Action]


class _Subject(models.Model):
    """A resident (`person`) or a member of the home's staff (`staff`): exactly one."""

    person = models.ForeignKey(Person, verbose_name="老年人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Membership, verbose_name="工作人员", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField("姓名", max_length=50)

    class Meta:
        abstract = True

    @property
    def subject_kind(self) -> str:
        return "老年人" if self.person_id else "工作人员"


class IsolationSite(ScopedModel):
    """A centralised health-monitoring or isolation site (seed 000 §七, seed 001 item 9), kept
    by a civil-affairs department for the homes of the region it serves (`region_code`)."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", "集中健康监测点"
        ISOLATION = "isolation", "集中隔离点"

    org = models.ForeignKey(Regulator, verbose_name="设立部门", on_delete=models.PROTECT,
                            related_name="+")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("容量（人）")
    contact = models.CharField("联系人/电话", max_length=60, blank=True)
    is_active = models.BooleanField("在用", default=True)

    scope = Scope(owner="org")

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = verbose_name_plural = "集中健康监测/隔离点"

    def __str__(self) -> str:
        return self.name


class InfectionControl(ScopedModel):
    """The home's recorded infection-control system (院感控制体系, seed 001 items 6 and 16)."""

    home = models.OneToOneField(NursingHome, on_delete=models.PROTECT, related_name="+")
    has_system = models.BooleanField("已建立院感控制体系", default=False)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        verbose_name = verbose_name_plural = "院感控制体系"


class SymptomCheck(_Subject, ScopedModel):
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField("日期", db_index=True)
    checked_at = models.DateTimeField("时间")
    temperature = models.DecimalField("体温（℃）", max_digits=3, decimal_places=1, null=True,
                                      blank=True)
    spo2 = models.PositiveSmallIntegerField("血氧饱和度（%）", null=True, blank=True)
    symptoms = models.JSONField("症状", default=list, blank=True)
    persistent_fever = models.BooleanField("持续高热", default=False)
    breathing_difficulty = models.BooleanField("呼吸困难", default=False)
    referral_signs = models.JSONField("转诊提示", default=list, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["home", "checked_on"])]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=False, staff__isnull=True)
            | Q(person__isnull=True, staff__isnull=False), name="symptom_check_one_subject")]
        verbose_name = verbose_name_plural = "症状监测"

    def __str__(self) -> str:
        return f"{self.subject_name} {self.checked_on}"


class Outbreak(ScopedModel):
    """One outbreak incident of a home: the playbook's state and its clocks."""

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    state = models.CharField("当前步骤", max_length=20, choices=_STATES,
                             default=rules.State.OPENED, db_index=True)
    opened_at = models.DateTimeField("发现时间")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    isolation_mode = models.CharField("隔离方式", max_length=10, blank=True, choices=[
        ("in_home", "院内就地隔离"), ("external", "院外集中隔离")])
    summary = models.CharField("概况", max_length=300, blank=True)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["home"], condition=~Q(state="closed"),
                                               name="one_open_outbreak_per_home")]
        verbose_name = verbose_name_plural = "疫情事件"

    def __str__(self) -> str:
        return f"{self.home} 疫情 {self.opened_at:%Y-%m-%d}"

    @property
    def state_label(self) -> str:
        return rules.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state != rules.State.CLOSED

    @property
    def next_action(self) -> rules.Action | None:
        return rules.next_step(self.state)


class TestResult(_Subject, ScopedModel):
    class Kind(models.TextChoices):
        ANTIGEN = "antigen", "抗原检测"
        NUCLEIC = "nucleic_acid", "核酸检测"

    class Result(models.TextChoices):
        NEGATIVE = "negative", "阴性"
        POSITIVE = "positive", "阳性（异常）"
        INVALID = "invalid", "无效"

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("检测类别", max_length=20, choices=Kind.choices)
    sampled_at = models.DateTimeField("采样时间", db_index=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    outbreak = models.ForeignKey(Outbreak, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tests")
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-sampled_at", "-id"]
        indexes = [models.Index(fields=["home", "sampled_at"])]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=False, staff__isnull=True)
            | Q(person__isnull=True, staff__isnull=False), name="test_result_one_subject")]
        verbose_name = verbose_name_plural = "检测结果"

    def __str__(self) -> str:
        return f"{self.subject_name} {self.get_kind_display()} {self.get_result_display()}"


class OutbreakEvent(ScopedModel):
    """One timeline row per step or side action of the playbook."""

    outbreak = models.ForeignKey(Outbreak, on_delete=models.CASCADE, related_name="events")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("事项", max_length=20, choices=[("open", "发现异常并建立事件"),
                                                              *_ACTIONS, ("report_in", "报告流转")])
    at = models.DateTimeField("时间", db_index=True)
    state_after = models.CharField("办理后步骤", max_length=20, choices=_STATES)
    note = models.CharField("说明", max_length=500, blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    by = models.CharField("办理人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "疫情处置时间线"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class LineListEntry(_Subject, ScopedModel):
    """A case or contact of the outbreak (the line list, 一览表)."""

    class Role(models.TextChoices):
        CASE = "case", "异常/感染人员"
        CLOSE = "close", "密切接触者"
        SECONDARY = "secondary", "次密切接触者"

    class Outcome(models.TextChoices):
        OPEN = "", "处置中"
        RECOVERED = "recovered", "已解除/痊愈"
        DIED = "died", "死亡"

    outbreak = models.ForeignKey(Outbreak, on_delete=models.CASCADE, related_name="line_list")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("类别", max_length=10, choices=Role.choices)
    identified_at = models.DateTimeField("判定时间")
    quarantine_from = models.DateField("隔离开始", null=True, blank=True)
    quarantine_until = models.DateField("隔离至", null=True, blank=True)
    outcome = models.CharField("转归", max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("转归日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["role", "identified_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outbreak", "person"],
                                    condition=Q(person__isnull=False),
                                    name="line_list_person_once"),
            models.UniqueConstraint(fields=["outbreak", "staff"], condition=Q(staff__isnull=False),
                                    name="line_list_staff_once"),
        ]
        verbose_name = verbose_name_plural = "病例与密接一览"

    def __str__(self) -> str:
        return f"{self.subject_name}（{self.get_role_display()}）"


class Placement(ScopedModel):
    """Where a person of the line list is, from when (until the next placement)."""

    class Where(models.TextChoices):
        IN_PLACE = "in_place", "原房间"
        HOME_ROOM = "home_room", "机构内隔离室"
        SITE = "site", "机构外集中隔离/监测点"
        HOSPITAL = "hospital", "定点医院"

    entry = models.ForeignKey(LineListEntry, on_delete=models.CASCADE, related_name="placements")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    where = models.CharField("去向", max_length=10, choices=Where.choices)
    site = models.ForeignKey(IsolationSite, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="placements")
    place = models.CharField("房间/医院", max_length=100, blank=True)
    since = models.DateTimeField("起始时间")
    until = models.DateTimeField("结束时间", null=True, blank=True)
    closed_loop = models.BooleanField("闭环转运", default=False)
    green_channel = models.BooleanField("绿色通道", default=False)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["entry_id", "since", "id"]
        verbose_name = verbose_name_plural = "人员去向"

    def __str__(self) -> str:
        return f"{self.get_where_display()} {self.place or self.site or ''}"


class OutbreakReport(ScopedModel):
    """One report in the chain: home → county civil affairs → city → province.

    `region_code` is the sender's, so the sender's regulators and every level above read it;
    the inbox of a department is the reports addressed to it (`to_org`) and those escalated to
    it (`escalated_to`). The 2-hour clock runs from `received_at` (arrival in the inbox)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "待上报"
        FORWARDED = "forwarded", "已上报"

    outbreak = models.ForeignKey(Outbreak, on_delete=models.PROTECT, related_name="reports")
    from_org = models.ForeignKey(Organisation, verbose_name="报告单位", on_delete=models.PROTECT,
                                 related_name="+")
    to_org = models.ForeignKey(Regulator, verbose_name="接收部门", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    to_external = models.CharField("接收单位（系统外）", max_length=60, blank=True)
    level = models.CharField("接收层级", max_length=10, choices=Regulator.Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="forwards")
    content = models.TextField("报告内容")
    sent_by = models.CharField("报告人", max_length=150)
    received_at = models.DateTimeField("接报时间", db_index=True)
    due_at = models.DateTimeField("应上报时限", db_index=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.CharField("签收人", max_length=150, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.RECEIVED, db_index=True)
    forwarded_at = models.DateTimeField("上报时间", null=True, blank=True)
    overdue_since = models.DateTimeField("逾期起算", null=True, blank=True)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    escalated_to = models.ForeignKey(Regulator, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    scope = Scope(owner="from_org", regulator_acts=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["to_org", "status"]),
                   models.Index(fields=["status", "due_at"])]
        verbose_name = verbose_name_plural = "疫情报告"

    def __str__(self) -> str:
        return f"{self.from_org} → {self.to_org or self.to_external}"
