"""The ledger of elderly people with special needs living at home (seed 001 item 24), its dated
changes, visits (巡访关爱), home services (seed 002 §九) and family-doctor contracts (§八).

Who sees a row: the village/residents' committee that keeps it (`org`, the owner) and the
township it belongs to (`township`), added by `TownshipQuerySet` — the one extension of
`core.scope` for the community. Regulators read by region code (the township's code).
The person is `residents.Person`, the one record whether at home or in a home.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiyang.core.fields import EncryptedTextField
from yiyang.core.models import ScopedModel
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Action, Actor, DataClass, Scope, ScopedQuerySet, scope_filter
from yiyang.orgs.models import CommunityOrg, MedicalInstitution
from yiyang.residents.models import Person

from . import rules


class TownshipQuerySet(ScopedQuerySet):
    """`visible_to` of the keeping committee plus its township (view and change)."""

    def visible_to(self, actor: Actor | None, action: str = Action.VIEW) -> TownshipQuerySet:
        q = scope_filter(self.model, actor, action)
        if actor is not None and actor.org_kind == OrgKind.COMMUNITY and action != Action.REGULATE:
            q |= Q(**{self.model.township_lookup: actor.org_id})  # type: ignore[attr-defined]
        return self.filter(q)


TownshipManager = models.Manager.from_queryset(TownshipQuerySet)

LIVING_CHOICES = [(v.value, v.label) for v in rules.Living]


class LedgerEntry(ScopedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "在册"
        ENDED = "ended", "已销册"

    class EndReason(models.TextChoices):
        MOVED = "moved", "迁出本辖区"
        DIED = "died", "去世"
        OTHER = "other", "其他"

    org = models.ForeignKey(CommunityOrg, verbose_name="村（居）委会", on_delete=models.PROTECT,
                            related_name="+")
    township = models.ForeignKey(CommunityOrg, verbose_name="乡镇（街道）",
                                 on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, verbose_name="老年人", on_delete=models.PROTECT,
                                  related_name="ledger_entry")
    living = models.CharField("居住情况", max_length=12, choices=LIVING_CHOICES)
    disabled = models.BooleanField("残疾", default=False)
    disability_note = models.CharField("残疾类别/等级", max_length=60, blank=True)
    dependent = models.BooleanField("失能", default=False)
    seriously_ill = models.BooleanField("重病", default=False)
    illness = models.CharField("主要疾病", max_length=120, blank=True)
    needs = models.JSONField("服务需求", default=list, blank=True)  # rules.Need codes
    needs_note = models.CharField("需求说明", max_length=200, blank=True)
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    guardian_relation = models.CharField("监护人关系", max_length=20, blank=True)
    guardian_phone = EncryptedTextField("监护人电话", blank=True, default="")
    contact_name = models.CharField("紧急联系人", max_length=50, blank=True)
    contact_relation = models.CharField("联系人关系", max_length=20, blank=True)
    contact_phone = EncryptedTextField("联系人电话", blank=True, default="")
    listed_on = models.DateField("摸排建册日期")
    changed_on = models.DateField("最近变更日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    ended_on = models.DateField("销册日期", null=True, blank=True)
    end_reason = models.CharField("销册原因", max_length=10, choices=EndReason.choices,
                                  blank=True)

    scope = Scope(owner="org", data=DataClass.ADMIN)
    township_lookup = "township_id"
    objects = TownshipManager()

    class Meta:
        ordering = ["org_id", "person__pinyin", "id"]
        verbose_name = verbose_name_plural = "特殊需求老年人台账"

    def __str__(self) -> str:
        return f"{self.person.name}（台账）"

    @property
    def living_short(self) -> str:
        return rules.LIVING_SHORT.get(rules.Living(self.living), "")

    def categories_on(self, day) -> tuple[rules.Category, ...]:  # type: ignore[no-untyped-def]
        return rules.categories(birth_date=self.person.birth_date, on=day, living=self.living,
                                disabled=self.disabled, dependent=self.dependent,
                                seriously_ill=self.seriously_ill)


class _EntryChild(ScopedModel):
    """A row hanging off a ledger entry: scoped like it."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="+")

    scope = Scope(owner="entry__org", data=DataClass.ADMIN)
    township_lookup = "entry__township_id"
    objects = TownshipManager()

    class Meta:
        abstract = True


class LedgerChange(_EntryChild):
    """One dated change of a ledger entry: what changed from what to what (history kept)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="changes")
    effective_on = models.DateField("变更日期")
    kind = models.CharField("类型", max_length=12, default="update")  # list | update | end
    changes = models.JSONField("变更内容", default=dict, blank=True)  # {label: [old, new]}
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = verbose_name_plural = "台账变更"


class CommunityVisit(_EntryChild):
    """巡访关爱: one visit (at home or by phone), what was found and what was arranged."""

    class Method(models.TextChoices):
        HOME = "home", "入户探访"
        PHONE = "phone", "电话/视频"

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("巡访日期", db_index=True)
    method = models.CharField("方式", max_length=8, choices=Method.choices, default=Method.HOME)
    visitor = models.CharField("巡访人", max_length=50)
    findings = models.TextField("发现情况")
    arrangements = models.TextField("帮扶安排", blank=True)
    needs_follow_up = models.BooleanField("需跟进", default=False)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "巡访记录"

    def __str__(self) -> str:
        return f"{self.entry.person.name} {self.visited_on:%Y-%m-%d} 巡访"


SERVICE_CHOICES = [(k.value, k.label) for k in rules.ServiceKind]


class HomeServiceRequest(_EntryChild):
    """A request for a home service, delivered by a community service organisation."""

    class Status(models.TextChoices):
        OPEN = "open", "服务中"
        CLOSED = "closed", "已完成"
        CANCELLED = "cancelled", "已取消"

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT,
                              related_name="service_requests")
    kind = models.CharField("服务项目", max_length=12, choices=SERVICE_CHOICES, db_index=True)
    requested_on = models.DateField("申请日期")
    detail = models.CharField("服务内容", max_length=200)
    provider = models.CharField("服务组织", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = verbose_name_plural = "居家服务申请"

    def __str__(self) -> str:
        return f"{self.entry.person.name} {self.get_kind_display()}"


class HomeServiceDelivery(ScopedModel):
    request = models.ForeignKey(HomeServiceRequest, on_delete=models.PROTECT,
                                related_name="deliveries")
    delivered_on = models.DateField("服务日期")
    worker = models.CharField("服务人员", max_length=50)
    note = models.CharField("服务记录", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="request__entry__org", data=DataClass.ADMIN)
    township_lookup = "request__entry__township_id"
    objects = TownshipManager()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = verbose_name_plural = "居家服务记录"


class FamilyDoctorContract(_EntryChild):
    """家庭医生签约: the person and a team of a primary-care medical institution."""

    class Package(models.TextChoices):
        BASIC = "basic", "基础服务包"
        ELDERLY = "elderly", "老年人健康管理包"
        CHRONIC = "chronic", "慢病管理包"
        HOME_CARE = "home_care", "失能老人上门服务包"

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="contracts")
    institution = models.ForeignKey(MedicalInstitution, verbose_name="签约医疗卫生机构",
                                    on_delete=models.PROTECT, related_name="+")
    team = models.CharField("家庭医生团队", max_length=60)
    doctor = models.CharField("责任医生", max_length=50)
    package = models.CharField("服务包", max_length=12, choices=Package.choices)
    start_on = models.DateField("签约开始日期")
    end_on = models.DateField("签约截止日期")
    terminated_on = models.DateField("解约日期", null=True, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = verbose_name_plural = "家庭医生签约"

    def __str__(self) -> str:
        return f"{self.entry.person.name} · {self.team}"

    def in_force(self, on) -> bool:  # type: ignore[no-untyped-def]
        return rules.contract_in_force(start_on=self.start_on, end_on=self.end_on,
                                       terminated_on=self.terminated_on, on=on)


class DoctorHomeVisit(ScopedModel):
    """上门服务 of the family-doctor team under a contract."""

    contract = models.ForeignKey(FamilyDoctorContract, on_delete=models.PROTECT,
                                 related_name="home_visits")
    visited_on = models.DateField("上门日期")
    doctor = models.CharField("上门医生", max_length=50)
    content = models.CharField("服务内容", max_length=200)
    recorded_by = models.CharField("登记人", max_length=150)

    scope = Scope(owner="contract__entry__org", data=DataClass.ADMIN)
    township_lookup = "contract__entry__township_id"
    objects = TownshipManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "家庭医生上门服务"


class OutbreakMode(ScopedModel):
    """A community organisation's switch: 'we are in an outbreak, contact people first'."""

    org = models.OneToOneField(CommunityOrg, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField("疫情帮扶模式", default=False)
    since = models.DateField("开启日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    changed_by = models.CharField("操作人", max_length=150)

    scope = Scope(owner="org", data=DataClass.ADMIN)

    class Meta:
        verbose_name = verbose_name_plural = "疫情帮扶模式"
