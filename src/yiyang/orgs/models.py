"""Organisations (home, medical, community, regulator), their facilities, users and roles."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from yiyang.core.fields import BlindIndexField, EncryptedTextField
from yiyang.core.models import ScopedModel, TimeStamped
from yiyang.core.permissions import OrgKind, Role
from yiyang.core.scope import DataClass, Scope
from yiyang.regions.models import Region


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedTextField("手机号", blank=True, default="")
    phone_index = BlindIndexField(source="phone", purpose="phone", normalize=_digits)
    # Demo personas authenticate only when the server runs in demo mode.
    is_demo = models.BooleanField("演示账号", default=False, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class Organisation(ScopedModel):
    """Common card of every organisation; the kind-specific profile is a child table."""

    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    region = models.ForeignKey(Region, verbose_name="所在行政区划", on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("在用", default=True)

    scope = Scope(owner="", data=DataClass.DIRECTORY)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name

    @property
    def profile(self) -> models.Model | None:
        """The kind-specific child row (NursingHome, MedicalInstitution, ...)."""
        attr = {
            OrgKind.HOME: "nursinghome",
            OrgKind.MEDICAL: "medicalinstitution",
            OrgKind.COMMUNITY: "communityorg",
            OrgKind.REGULATOR: "regulator",
        }[self.kind]
        return getattr(self, attr, None)


class NursingHome(Organisation):
    class MedicalUnit(models.TextChoices):
        NONE = "", "无"
        CLINIC_ROOM = "clinic_room", "医务室"
        NURSING_STATION = "nursing_station", "护理站"
        OUTPATIENT = "outpatient", "门诊部"
        CLINIC = "clinic", "诊所"
        HOSPITAL = "hospital", "医院（护理院、康复医院等）"

    class Category(models.TextChoices):
        # Both are 养老服务机构 that may sign with a medical institution (REFERENCE §3.1).
        NURSING_HOME = "nursing_home", "养老机构"
        HOME_CARE_CENTRE = "home_care_centre", "乡镇（街道）居家养老服务中心"

    class Ownership(models.TextChoices):
        PUBLIC = "public", "公办"
        PRIVATE = "private", "民办"
        PUBLIC_PRIVATE = "public_private", "公建民营"

    category = models.CharField(
        "类别", max_length=20, choices=Category.choices, default=Category.NURSING_HOME
    )
    ownership = models.CharField(
        "性质", max_length=20, choices=Ownership.choices, default=Ownership.PRIVATE
    )
    bed_capacity = models.PositiveIntegerField("核定床位数", default=0)
    has_medical_unit = models.BooleanField("内设医疗机构", default=False)
    medical_unit_type = models.CharField(
        "内设医疗机构类型", max_length=20, blank=True, choices=MedicalUnit.choices
    )
    medical_filing_no = models.CharField("医疗机构执业许可/备案编号", max_length=50, blank=True)
    is_integrated = models.BooleanField("医养结合机构", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "养老机构"


class MedicalInstitution(Organisation):
    class Type(models.TextChoices):  # REFERENCE §3.1 (seed 003)
        TOWNSHIP_HC = "township_hc", "乡镇卫生院"
        COMMUNITY_HC = "community_hc", "社区卫生服务中心"
        REHAB = "rehab", "康复医院（中心）"
        NURSING = "nursing", "护理院（中心、站）"
        HOSPICE = "hospice", "安宁疗护中心"
        GENERAL = "general", "综合医院"
        TCM = "tcm", "中医医院"
        VILLAGE_CLINIC = "village_clinic", "村卫生室"
        OTHER = "other", "其他医疗机构"

    class Grade(models.TextChoices):
        UNGRADED = "", "未定级"
        I = "1", "一级"  # noqa: E741 - the grade is called 一级
        II = "2", "二级"
        III = "3", "三级"

    type = models.CharField("机构类型", max_length=20, choices=Type.choices)
    grade = models.CharField("等级", max_length=2, choices=Grade.choices, blank=True)
    license_no = models.CharField("执业许可证号", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "医疗卫生机构"


class CommunityOrg(Organisation):
    class Level(models.TextChoices):
        TOWNSHIP = "township", "乡镇/街道"
        VILLAGE = "village", "村/居委会"

    level = models.CharField("层级", max_length=20, choices=Level.choices)

    class Meta:
        verbose_name = verbose_name_plural = "社区组织"


class Regulator(Organisation):
    class Department(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", "民政"
        HEALTH = "health", "卫生健康"
        MEDICAL_INSURANCE = "medical_insurance", "医疗保障"
        CDC = "cdc", "疾病预防控制"

    class Level(models.TextChoices):
        COUNTY = "county", "县级"
        CITY = "city", "市级"
        PROVINCE = "province", "省级"

    department = models.CharField("部门", max_length=20, choices=Department.choices)
    level = models.CharField("层级", max_length=20, choices=Level.choices)

    class Meta:
        verbose_name = verbose_name_plural = "监管部门"


class Building(ScopedModel):
    home = models.ForeignKey(
        NursingHome, verbose_name="养老机构", on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField("楼栋名称", max_length=40)
    is_independent = models.BooleanField("独立楼栋", default=False)
    floors = models.PositiveSmallIntegerField("楼层数", default=1)
    note = models.CharField("备注", max_length=200, blank=True)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["home_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["home", "name"], name="building_name_unique_in_home")
        ]
        verbose_name = verbose_name_plural = "楼栋"

    def __str__(self) -> str:
        return self.name


class Room(ScopedModel):
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(
        Building, verbose_name="楼栋", on_delete=models.PROTECT, related_name="rooms"
    )
    number = models.CharField("房间号", max_length=20)
    floor = models.SmallIntegerField("楼层", default=1)
    is_single = models.BooleanField("单人间", default=False)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["building_id", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="room_number_unique")
        ]
        verbose_name = verbose_name_plural = "房间"

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"


class Bed(ScopedModel):
    home = models.ForeignKey(NursingHome, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, verbose_name="房间", on_delete=models.PROTECT, related_name="beds"
    )
    label = models.CharField("床号", max_length=20)
    is_active = models.BooleanField("可用", default=True)

    scope = Scope(owner="home")

    class Meta:
        ordering = ["room_id", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique")]
        verbose_name = verbose_name_plural = "床位"

    def __str__(self) -> str:
        return f"{self.room} {self.label}床"


class Membership(ScopedModel):
    """A user's role in one organisation; a user may hold several and switch between them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    title = models.CharField("职务", max_length=40, blank=True)
    is_active = models.BooleanField("有效", default=True)

    scope = Scope(owner="org")

    class Meta:
        ordering = ["org_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique"),
        ]
        verbose_name = verbose_name_plural = "任职"

    def __str__(self) -> str:
        return f"{self.user} @ {self.org} ({self.get_role_display()})"


class ApiToken(TimeStamped):
    """A bearer token for `/api/v1`; only its SHA-256 is stored. Acts as one membership."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    label = models.CharField("用途", max_length=60, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(digest=""), name="token_digest_present"),
        ]

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode("ascii", "ignore")).hexdigest()
