"""Forms of the community pages: the shape of the input only; the rules live in the services."""

from __future__ import annotations

from django import forms

from yiyang.core.forms import VersionField

from . import rules
from .models import CommunityVisit, FamilyDoctorContract, LedgerEntry

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIVING = [(v.value, v.label) for v in rules.Living]
NEEDS = [(n.value, n.label) for n in rules.Need]
CATEGORIES = [("", "全部类别")] + [(c.value, c.label) for c in rules.Category]
SERVICES = [(k.value, k.label) for k in rules.ServiceKind]


class ListFilter(forms.Form):
    q = forms.CharField(label="姓名", required=False, max_length=40,
                        widget=forms.TextInput(attrs={"placeholder": "姓名或拼音首字母"}))
    committee = forms.TypedChoiceField(label="村（居）委会", required=False, coerce=int,
                                       empty_value=None)
    category = forms.ChoiceField(label="类别", required=False, choices=CATEGORIES)
    need = forms.ChoiceField(label="需求", required=False, choices=[("", "全部需求")] + NEEDS)
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("active", "在册"), ("ended", "已销册"), ("", "全部")])

    def __init__(self, *args, committees=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["committee"].choices = [("", "全部")] + [(c.pk, c.name) for c in committees]


class _EntryFields(forms.Form):
    living = forms.ChoiceField(label="居住情况", choices=LIVING, widget=forms.RadioSelect)
    disabled = forms.BooleanField(label="残疾", required=False)
    disability_note = forms.CharField(label="残疾类别/等级", required=False, max_length=60)
    dependent = forms.BooleanField(label="失能", required=False)
    seriously_ill = forms.BooleanField(label="重病", required=False)
    illness = forms.CharField(label="主要疾病", required=False, max_length=120)
    needs = forms.MultipleChoiceField(label="服务需求", required=False, choices=NEEDS,
                                      widget=forms.CheckboxSelectMultiple)
    needs_note = forms.CharField(label="需求说明", required=False, max_length=200)
    guardian_name = forms.CharField(label="监护人", required=False, max_length=50)
    guardian_relation = forms.CharField(label="监护人关系", required=False, max_length=20)
    guardian_phone = forms.CharField(label="监护人电话", required=False, max_length=20)
    contact_name = forms.CharField(label="紧急联系人", required=False, max_length=50)
    contact_relation = forms.CharField(label="联系人关系", required=False, max_length=20)
    contact_phone = forms.CharField(label="联系人电话", required=False, max_length=20)


class EntryForm(_EntryFields):
    committee_id = forms.TypedChoiceField(label="村（居）委会", coerce=int)
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18,
                                help_text="出生日期、性别和高龄（80 岁及以上）由号码自动得出")
    phone = forms.CharField(label="本人电话", required=False, max_length=20)
    address = forms.CharField(label="住址", required=False, max_length=200)
    listed_on = forms.DateField(label="摸排日期", widget=_DATE)
    field_order = ["committee_id", "name", "id_number", "phone", "address", "listed_on"]

    def __init__(self, *args, committees=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["committee_id"].choices = [(c.pk, c.name) for c in committees]


class ChangeForm(_EntryFields):
    version = VersionField()
    effective_on = forms.DateField(label="变更日期", widget=_DATE,
                                   help_text="情况发生变化的日期；原值保留在变更记录中")
    phone = forms.CharField(label="本人电话", required=False, max_length=20)
    address = forms.CharField(label="住址", required=False, max_length=200)
    note = forms.CharField(label="变更说明", required=False, max_length=200)
    field_order = ["effective_on", "note"]


class EndForm(forms.Form):
    version = VersionField()
    ended_on = forms.DateField(label="销册日期", widget=_DATE)
    reason = forms.ChoiceField(label="销册原因", choices=LedgerEntry.EndReason.choices)
    note = forms.CharField(label="说明", required=False, max_length=200)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="巡访日期", widget=_DATE)
    method = forms.ChoiceField(label="方式", choices=CommunityVisit.Method.choices)
    visitor = forms.CharField(label="巡访人", max_length=50)
    findings = forms.CharField(label="发现情况", max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    arrangements = forms.CharField(label="帮扶安排", required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    needs_follow_up = forms.BooleanField(label="需要跟进", required=False)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务项目", choices=SERVICES)
    detail = forms.CharField(label="服务内容", max_length=200)
    provider = forms.CharField(label="服务组织", max_length=100,
                               help_text="提供服务的社区养老服务机构或助餐点")
    requested_on = forms.DateField(label="申请日期", widget=_DATE)


class DeliveryForm(forms.Form):
    version = VersionField()
    delivered_on = forms.DateField(label="服务日期", widget=_DATE)
    worker = forms.CharField(label="服务人员", max_length=50)
    note = forms.CharField(label="服务记录", required=False, max_length=200)
    close = forms.BooleanField(label="服务已完成，结束申请", required=False)


class ContractForm(forms.Form):
    institution_id = forms.TypedChoiceField(label="签约医疗卫生机构", coerce=int)
    team = forms.CharField(label="家庭医生团队", max_length=60)
    doctor = forms.CharField(label="责任医生", max_length=50)
    package = forms.ChoiceField(label="服务包", choices=FamilyDoctorContract.Package.choices)
    start_on = forms.DateField(label="签约开始日期", widget=_DATE)
    end_on = forms.DateField(label="签约截止日期", widget=_DATE)

    def __init__(self, *args, institutions=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["institution_id"].choices = [(i.pk, i.name) for i in institutions]


class DoctorVisitForm(forms.Form):
    visited_on = forms.DateField(label="上门日期", widget=_DATE)
    doctor = forms.CharField(label="上门医生", max_length=50)
    content = forms.CharField(label="服务内容", max_length=200)


class OutbreakForm(forms.Form):
    active = forms.BooleanField(label="开启疫情帮扶模式", required=False)
    note = forms.CharField(label="说明", required=False, max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label="台账 Excel 文件")
