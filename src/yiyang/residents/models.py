"""Persons, their stays in a home (admission to discharge or death), health profile and the
key-population classifications (seed 000 §三/§四, REFERENCE §1)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiyang.core.fields import BlindIndexField, EncryptedTextField
from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import Bed, NursingHome, Organisation
from yiyang.regions.models import Region
from yiyang.residents import followup_rules
from yiyang.residents.rules import (
    Category,
    DiseaseStatus,
    StayEvent,
    StayStatus,
    VaccinationStatus,
)

OPEN_STATUSES = [StayStatus.IN_RESIDENCE, StayStatus.ON_LEAVE, StayStatus.IN_HOSPITAL]


def _id_key(value: str) -> str:
    return value.strip().upper()


def _digits(value: str) -> str:
    # A stored phone is digits already (core.validators.clean_mobile): return it as it is
    # instead of rebuilding it character by character (a third of its blind index's cost).
    return value if value.isdigit() else "".join(ch for ch in value if ch.isdigit())


class Person(ScopedModel):
    """One person, one record, wherever they live; `org` is the organisation keeping it."""

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Document(models.TextChoices):
        ID_CARD = "id_card", "居民身份证"
        RESIDENCE_PERMIT = "hmt_permit", "港澳台居民居住证"
        OTHER = "other", "其他证件"

    org = models.ForeignKey(Organisation, verbose_name="建档机构", on_delete=models.PROTECT,
                            related_name="+")
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    document_type = models.CharField("证件类型", max_length=20, choices=Document.choices,
                                     default=Document.ID_CARD)
    id_number = EncryptedTextField("证件号码", blank=True, default="")
    id_number_index = BlindIndexField(source="id_number", purpose="id_number", normalize=_id_key,
                                      unique=True)
    phone = EncryptedTextField("联系电话", blank=True, default="")
    # The keyed hash is kept for exact lookup, but not indexed: no query looks a resident up
    # by phone, and one would be scoped to a home (its org index leaves a few hundred rows to
    # compare). A random-key index was the costliest write of an Excel import (bench/).
    phone_index = BlindIndexField(
        source="phone", purpose="phone", normalize=_digits, db_index=False
    )
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    address = models.CharField("户籍/常住地址", max_length=200, blank=True)
    address_region = models.ForeignKey(Region, verbose_name="地址所在区划", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    # Not indexed: every search is a `contains` match (which no B-tree index serves) and every
    # list filters by home or region first, then sorts a few hundred rows by pinyin; the two
    # indexes took random-order writes on every new person (a fifth of an import's INSERTs).
    pinyin = models.CharField(max_length=200, blank=True, editable=False)
    initials = models.CharField(max_length=40, blank=True, editable=False)
    photo = models.FileField("照片", upload_to="photos/", blank=True)

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["pinyin", "id"]
        verbose_name = verbose_name_plural = "老年人"

    def __str__(self) -> str:
        return self.name


class Stay(ScopedModel):
    """A stay in one home; at most one open stay per person, one per held bed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="stays")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="stays")
    bed = models.ForeignKey(Bed, verbose_name="床位", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="stays")
    status = models.CharField("状态", max_length=20, db_index=True,
                              choices=[(s.value, s.label) for s in StayStatus])
    admitted_on = models.DateField("入住日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    death_certificate_no = models.CharField("死亡医学证明编号", max_length=40, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=OPEN_STATUSES),
                                    name="one_open_stay_per_person"),
            models.UniqueConstraint(fields=["bed"], condition=Q(status__in=OPEN_STATUSES),
                                    name="one_open_stay_per_bed"),
        ]
        verbose_name = verbose_name_plural = "入住记录"

    def __str__(self) -> str:
        return f"{self.person} @ {self.home}"


class StayEventRecord(ScopedModel):
    """The stay's timeline: one row per transition (STYLE "workflows")."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="events")
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    event = models.CharField("事件", max_length=30, choices=[(e.value, e.label) for e in StayEvent])
    occurred_on = models.DateField("日期")
    from_bed = models.ForeignKey(Bed, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    to_bed = models.ForeignKey(Bed, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    destination = models.CharField("去向/医院", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = verbose_name_plural = "入住事件"


class HealthProfile(ScopedModel):
    """Health profile and care archive fields that are one per person (seed 000 §四)."""

    class Disability(models.TextChoices):  # 失能等级 (GB/T 42195 levels)
        NONE = "0", "能力完好"
        MILD = "1", "轻度失能"
        MODERATE = "2", "中度失能"
        SEVERE = "3", "重度失能"
        TOTAL = "4", "完全失能"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    allergies = models.CharField("过敏史", max_length=300, blank=True)
    diet = models.CharField("饮食要求", max_length=300, blank=True)
    disability_level = models.CharField("失能等级", max_length=1, choices=Disability.choices,
                                        default=Disability.NONE)
    disability_certificate_no = models.CharField("残疾人证号", max_length=30, blank=True)
    disability_certificate_kind = models.CharField("残疾类别/等级", max_length=60, blank=True)
    designated_hospital = models.CharField("定点/签约医院", max_length=100, blank=True)
    family_doctor = models.CharField("家庭医生", max_length=60, blank=True)
    care_needs = models.TextField("基本照护需求", blank=True)
    service_items = models.TextField("服务项目", blank=True)
    service_cautions = models.TextField("服务注意事项", blank=True)
    current_medicines = models.TextField("当前用药", blank=True)

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        verbose_name = verbose_name_plural = "健康档案"

    @property
    def has_disability(self) -> bool:
        return self.is_disabled(self.disability_level, self.disability_certificate_no)

    @classmethod
    def is_disabled(cls, level: str, certificate_no: str) -> bool:
        """Seed 000 §三's "残疾人": any 失能 level above 能力完好, or a disability certificate."""
        return level != cls.Disability.NONE or bool(certificate_no)


class Contact(ScopedModel):
    class Kind(models.TextChoices):
        FAMILY = "family", "家属"
        GUARDIAN = "guardian", "监护人"
        EMERGENCY = "emergency", "紧急联系人"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("关系", max_length=20, blank=True)
    phone = EncryptedTextField("电话", blank=True, default="")
    # Not indexed, as `Person.phone_index`: kept for exact lookup within a home.
    phone_index = BlindIndexField(
        source="phone", purpose="phone", normalize=_digits, db_index=False
    )

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = verbose_name_plural = "联系人"


class Condition(ScopedModel):
    """An underlying disease (REFERENCE §1.2) with its clinician-judged control status."""

    class Code(models.TextChoices):
        CHD = "CHD", "冠心病"
        STROKE = "STROKE", "脑卒中"
        HTN = "HTN", "高血压"
        COPD = "COPD", "慢阻肺"
        DM = "DM", "糖尿病"
        CKD = "CKD", "慢性肾病"
        CANCER_RCT = "CANCER_RCT", "肿瘤放化疗"
        IMMUNODEF = "IMMUNODEF", "免疫功能缺陷"
        OTHER = "OTHER", "其他"

    class Status(models.TextChoices):
        STABLE = "stable", "稳定"
        UNSTABLE = "unstable", "不稳定"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conditions")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("疾病", max_length=20, choices=Code.choices)
    other_name = models.CharField("其他疾病名称", max_length=60, blank=True)
    status = models.CharField("控制情况", max_length=10, choices=Status.choices)
    judged_on = models.DateField("评估日期")
    judged_by = models.CharField("评估医生", max_length=50)
    is_active = models.BooleanField("当前", default=True)

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["code", "id"]
        verbose_name = verbose_name_plural = "基础疾病"

    @property
    def label(self) -> str:
        return self.other_name if self.code == self.Code.OTHER else self.get_code_display()


class Vaccination(ScopedModel):
    """A COVID vaccine dose, or (dose 0) a contraindication/deferral with its reason."""

    class Kind(models.TextChoices):
        DOSE = "dose", "接种"
        BOOSTER = "booster", "加强免疫"
        CONTRAINDICATION = "contraindication", "禁忌"
        DEFERRAL = "deferral", "暂缓接种"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vaccinations")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.DOSE)
    product = models.CharField("疫苗产品", max_length=40, blank=True)
    dose_number = models.PositiveSmallIntegerField("剂次", null=True, blank=True)
    given_on = models.DateField("日期")
    site = models.CharField("接种单位", max_length=100, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = verbose_name_plural = "疫苗接种"


class KeyPopulationRecord(ScopedModel):
    """One classification result with its inputs and basis (REFERENCE §1.6 "result")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="classifications")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    classified_on = models.DateField("分类日期", db_index=True)
    age = models.PositiveSmallIntegerField("年龄")
    band = models.CharField("年龄段", max_length=10)
    has_disability = models.BooleanField("残疾/失能")
    disease = models.CharField("基础疾病", max_length=10)
    vaccination = models.CharField("疫苗接种", max_length=10)
    category = models.CharField("分类", max_length=10,
                                choices=[(c.value, c.label) for c in Category], db_index=True)
    basis = models.CharField("依据", max_length=10)
    score = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rule_set = models.CharField("规则版本", max_length=60)
    classified_by = models.CharField("分类人", max_length=150)
    is_current = models.BooleanField(default=True, db_index=True)

    scope = Scope(owner="org", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-classified_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(is_current=True),
                                    name="one_current_classification"),
        ]
        verbose_name = verbose_name_plural = "重点人群分类"

    @property
    def disease_label(self) -> str:
        return DiseaseStatus(self.disease).label

    @property
    def vaccination_label(self) -> str:
        return VaccinationStatus(self.vaccination).label


class FollowUpPolicy(ScopedModel):
    """A home's own follow-up interval for one category, replacing the rule set's default
    (REFERENCE §1.5); no row means the default applies, `interval_days` None means none."""

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    category = models.CharField("分类", max_length=10,
                                choices=[(c.value, c.label) for c in Category])
    interval_days = models.PositiveSmallIntegerField("随访间隔（天）", null=True, blank=True)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["home", "category"]
        constraints = [
            models.UniqueConstraint(fields=["home", "category"], name="one_policy_per_category"),
        ]
        verbose_name = verbose_name_plural = "随访间隔设置"

    def __str__(self) -> str:
        return f"{self.home} {self.get_category_display()}"


class FollowUpRecord(ScopedModel):
    """One follow-up of a resident (REFERENCE §1.5: ask, monitor, advise, refer)."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话"
        VIDEO = "video", "视频"
        REMOTE = "remote", "远程监测/网络"
        IN_PERSON = "in_person", "当面"

    class Antigen(models.TextChoices):
        NOT_DONE = "", "未检测"
        NEGATIVE = "negative", "阴性"
        POSITIVE = "positive", "阳性"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="follow_ups")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="follow_ups")
    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    done_on = models.DateField("随访日期", db_index=True)
    done_time = models.TimeField("时间", null=True, blank=True)
    method = models.CharField("方式", max_length=20, choices=Method.choices)
    category = models.CharField("当时分类", max_length=10, blank=True,
                                choices=[(c.value, c.label) for c in Category])
    spo2 = models.PositiveSmallIntegerField("血氧饱和度（%）", null=True, blank=True)
    temperature = models.DecimalField("体温（℃）", max_digits=3, decimal_places=1, null=True,
                                      blank=True)
    antigen = models.CharField("抗原检测", max_length=10, choices=Antigen.choices, blank=True)
    findings = models.TextField("随访情况")
    next_action = models.CharField("处理/下一步", max_length=300, blank=True)
    recorded_by = models.CharField("随访人", max_length=150)

    scope = Scope(owner="home", data=DataClass.CLINICAL)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["stay", "done_on"])]
        verbose_name = verbose_name_plural = "随访记录"

    def __str__(self) -> str:
        return f"{self.person} {self.done_on:%Y-%m-%d}"

    @property
    def referral_signs(self) -> tuple[str, ...]:
        return followup_rules.referral_signs(spo2=self.spo2, temperature=self.temperature)
