"""Sampling rounds, staff vaccination, supplies, support teams, closed management
(issue 7 items 4 and 5; seed 001 items 7, 8, 10, 13, 19–20)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from yiyang.core.fields import EncryptedTextField
from yiyang.core.models import ScopedModel
from yiyang.core.scope import Scope
from yiyang.orgs.models import Membership, NursingHome, Regulator
from yiyang.residents.models import Person

from .. import readiness_rules as rr

__all__ = [
    "ClosedManagement", "LocalCaseMark", "SampleTaken", "SamplingDay", "ShiftAssignment",
    "StaffDose", "StaffPost", "SupplyMovement", "SupplyStock", "SupportTeam",
    "SupportTeamMember", "SupportTeamTraining",
]


# ---------------------------------------------------------------- sampling rounds (item 13)

class LocalCaseMark(ScopedModel):
    """A county civil-affairs department marks that its county has a local case (from when,
    until when). Owned by the regulator; homes in the county owe sampling rounds meanwhile."""

    regulator = models.ForeignKey(Regulator, verbose_name="标记部门", on_delete=models.PROTECT,
                                  related_name="+")
    county_prefix = models.CharField("县级区划前缀", max_length=12, db_index=True)
    county_name = models.CharField("县（市、区）", max_length=60)
    started_on = models.DateField("本土病例出现日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    marked_by = models.CharField("标记人", max_length=150)

    scope = Scope(owner="regulator")

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["county_prefix"], condition=Q(ended_on__isnull=True),
                                    name="one_open_local_case_per_county"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) |
                                   Q(ended_on__gte=F("started_on")), name="local_case_end_after"),
        ]
        verbose_name = verbose_name_plural = "本土病例标记"

    def __str__(self) -> str:
        return f"{self.county_name} 本土病例 {self.started_on}"


class SamplingDay(ScopedModel):
    """A home's sampling on one day of a local-case period: who was there, who was sampled."""

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    mark = models.ForeignKey(LocalCaseMark, verbose_name="本土病例标记",
                             on_delete=models.PROTECT, related_name="days")
    day = models.DateField("日期")
    population = models.PositiveIntegerField("应检总人数", default=0)
    proposed = models.JSONField("系统建议名单", default=list, blank=True)  # subject keys

    scope = Scope(owner="home")

    class Meta:
        ordering = ["-day", "home_id"]
        constraints = [models.UniqueConstraint(fields=["home", "day"],
                                               name="one_sampling_day_per_home")]
        verbose_name = verbose_name_plural = "核酸采样日"

    def __str__(self) -> str:
        return f"{self.home} {self.day} 采样"


class SampleTaken(ScopedModel):
    """One person sampled on one day: a resident (person) or a staff member (membership)."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    sampling_day = models.ForeignKey(SamplingDay, on_delete=models.CASCADE,
                                     related_name="samples")
    day = models.DateField("日期", db_index=True)
    subject = models.CharField("对象键", max_length=30)  # "r:<person>" | "s:<membership>"
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    staff = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    name = models.CharField("姓名", max_length=60)
    from_proposal = models.BooleanField("按建议名单", default=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["day", "subject"]
        constraints = [models.UniqueConstraint(fields=["home", "day", "subject"],
                                               name="one_sample_per_subject_day")]
        indexes = [models.Index(fields=["home", "subject", "day"])]
        verbose_name = verbose_name_plural = "采样记录"

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


# ---------------------------------------------------------------- staff vaccination (item 10)

class StaffPost(ScopedModel):
    """A staff member's post kind: direct contact with and service to the elderly, or not."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    membership = models.OneToOneField(Membership, verbose_name="工作人员",
                                      on_delete=models.PROTECT, related_name="infection_post")
    post = models.CharField("岗位", max_length=40, blank=True)
    direct_contact = models.BooleanField("直接接触和服务老年人", default=True)

    scope = Scope(owner="home")

    class Meta:
        verbose_name = verbose_name_plural = "工作人员岗位"

    def __str__(self) -> str:
        return f"{self.membership.user} {self.post}"


class StaffDose(ScopedModel):
    """A staff member's vaccine dose, booster, contraindication or deferral (with reason)."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "基础免疫"
        BOOSTER = "booster", "加强免疫"
        CONTRAINDICATION = "contraindication", "接种禁忌"
        DEFERRAL = "deferral", "暂缓接种"

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, verbose_name="工作人员", on_delete=models.PROTECT,
                                   related_name="infection_doses")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    given_on = models.DateField("日期")
    product = models.CharField("疫苗类型", max_length=20, blank=True,
                               choices=list(rr.PRODUCT_LABELS.items()))
    deferred_until = models.DateField("暂缓至", null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["membership_id", "given_on", "id"]
        verbose_name = verbose_name_plural = "工作人员疫苗接种"

    def __str__(self) -> str:
        return f"{self.membership.user} {self.get_kind_display()} {self.given_on}"

    def as_rule(self) -> rr.Dose:
        return rr.Dose(self.kind, self.given_on, self.product, self.deferred_until, self.reason)


# ---------------------------------------------------------------- supplies (item 7)

class SupplyStock(ScopedModel):
    """A home's stock line of one kind of supply, with its minimum level."""

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField("物资", max_length=20,
                            choices=[(k.code, k.label) for k in rr.SUPPLY_KINDS])
    on_hand = models.PositiveIntegerField("现有库存", default=0)
    minimum = models.PositiveIntegerField("最低储备")

    scope = Scope(owner="home")

    class Meta:
        ordering = ["home_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["home", "kind"],
                                               name="one_stock_line_per_kind")]
        verbose_name = verbose_name_plural = "防疫物资库存"

    def __str__(self) -> str:
        return f"{self.home} {self.get_kind_display()}"

    @property
    def spec(self) -> rr.SupplyKind:
        return rr.SUPPLY_BY_CODE[self.kind]

    @property
    def shortfall(self) -> int:
        return rr.shortfall(self.on_hand, self.minimum)


class SupplyMovement(ScopedModel):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", "入库"
        USE = "use", "领用"
        COUNT = "count", "盘点"

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    stock = models.ForeignKey(SupplyStock, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    quantity = models.PositiveIntegerField("数量")
    on = models.DateField("日期")
    balance = models.PositiveIntegerField("结存")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = verbose_name_plural = "物资出入库"


# ---------------------------------------------------------------- support teams (item 8)

class SupportTeam(ScopedModel):
    """An emergency support team for nursing homes, kept by a city or province regulator."""

    regulator = models.ForeignKey(Regulator, verbose_name="组建部门", on_delete=models.PROTECT,
                                  related_name="+")
    name = models.CharField("队伍名称", max_length=60)
    leader = models.CharField("队长", max_length=50, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    scope = Scope(owner="regulator")

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = verbose_name_plural = "应急支援队伍"

    def __str__(self) -> str:
        return self.name


class SupportTeamMember(ScopedModel):
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(SupportTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    profession = models.CharField("专业", max_length=40)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    phone = EncryptedTextField("手机号", blank=True, default="")

    scope = Scope(owner="regulator")

    class Meta:
        ordering = ["team_id", "id"]
        verbose_name = verbose_name_plural = "支援队员"

    def __str__(self) -> str:
        return self.name


class SupportTeamTraining(ScopedModel):
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(SupportTeam, on_delete=models.CASCADE, related_name="trainings")
    trained_on = models.DateField("培训日期")
    topic = models.CharField("内容", max_length=100)
    trainer = models.CharField("培训单位", max_length=100, blank=True)
    attendees = models.PositiveIntegerField("参训人数", default=0)

    scope = Scope(owner="regulator")

    class Meta:
        ordering = ["-trained_on", "-id"]
        verbose_name = verbose_name_plural = "支援队伍培训"


# ---------------------------------------------------------------- closed management (19–20)

class ClosedManagement(ScopedModel):
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    measures = models.JSONField("已落实措施", default=list, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    started_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["home"], condition=Q(ended_on__isnull=True),
                                    name="one_open_closure_per_home"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) |
                                   Q(ended_on__gte=F("started_on")), name="closure_end_after"),
        ]
        verbose_name = verbose_name_plural = "封闭管理"

    def __str__(self) -> str:
        return f"{self.home} 封闭管理 {self.started_on}"

    @property
    def measure_labels(self) -> list[str]:
        return [rr.MEASURE_LABELS.get(c, c) for c in self.measures]


class ShiftAssignment(ScopedModel):
    """One on-duty period of a staff member in the rotation plan of a closed home."""

    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    closure = models.ForeignKey(ClosedManagement, on_delete=models.CASCADE,
                                related_name="shifts")
    membership = models.ForeignKey(Membership, verbose_name="工作人员", on_delete=models.PROTECT,
                                   related_name="+")
    team = models.CharField("班组", max_length=20)
    start_on = models.DateField("在岗开始")
    end_on = models.DateField("在岗结束")

    scope = Scope(owner="home")

    class Meta:
        ordering = ["start_on", "team", "id"]
        constraints = [models.CheckConstraint(condition=Q(end_on__gte=F("start_on")),
                                              name="shift_end_after_start")]
        verbose_name = verbose_name_plural = "轮班安排"

    def as_rule(self) -> rr.Shift:
        return rr.Shift(str(self.membership_id), self.team, self.start_on, self.end_on)

