"""Shapes of the organisation pages' forms; the rules live in `services`."""

from __future__ import annotations

from django import forms

from yiyang.core.forms import VersionField
from yiyang.core.permissions import ROLE_KIND, Role
from yiyang.orgs.models import MedicalInstitution, NursingHome


class OrganisationCardForm(forms.Form):
    version = VersionField()
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


class NursingHomeForm(OrganisationCardForm):
    category = forms.ChoiceField(label="类别", choices=NursingHome.Category.choices)
    ownership = forms.ChoiceField(label="性质", choices=NursingHome.Ownership.choices)
    bed_capacity = forms.IntegerField(label="核定床位数", min_value=0)
    is_integrated = forms.BooleanField(label="医养结合机构", required=False)
    has_medical_unit = forms.BooleanField(label="内设医疗机构", required=False)
    medical_unit_type = forms.ChoiceField(
        label="内设医疗机构类型", required=False, choices=NursingHome.MedicalUnit.choices
    )
    medical_filing_no = forms.CharField(label="执业许可/备案编号", max_length=50, required=False)


class MedicalInstitutionForm(OrganisationCardForm):
    type = forms.ChoiceField(label="机构类型", choices=MedicalInstitution.Type.choices)
    grade = forms.ChoiceField(
        label="等级", choices=MedicalInstitution.Grade.choices, required=False
    )
    license_no = forms.CharField(label="执业许可证号", max_length=50, required=False)


class BuildingForm(forms.Form):
    name = forms.CharField(label="楼栋名称", max_length=40)
    floors = forms.IntegerField(label="楼层数", min_value=1, max_value=60, initial=1)
    is_independent = forms.BooleanField(label="独立楼栋", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class BuildingEditForm(BuildingForm):
    version = VersionField()


class RoomForm(forms.Form):
    number = forms.CharField(label="房间号", max_length=20)
    floor = forms.IntegerField(label="楼层", initial=1)
    is_single = forms.BooleanField(label="单人间", required=False)
    beds = forms.IntegerField(label="床位数", min_value=0, max_value=20, initial=2)


class RoomEditForm(forms.Form):
    version = VersionField()
    number = forms.CharField(label="房间号", max_length=20)
    floor = forms.IntegerField(label="楼层")
    is_single = forms.BooleanField(label="单人间", required=False)


class BedForm(forms.Form):
    label = forms.CharField(label="床号", max_length=20)


class BedEditForm(forms.Form):
    version = VersionField()
    label = forms.CharField(label="床号", max_length=20)
    is_active = forms.BooleanField(label="可用", required=False)


def roles_for(kind: str) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if ROLE_KIND[value] == kind]


class StaffCreateForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="英文字母、数字、下划线或点，用于登录"
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色")
    title = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少 10 位，不能全是数字"
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for(kind)


class StaffEditForm(forms.Form):
    version = VersionField()
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色")
    title = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(
        label="新手机号",
        max_length=20,
        required=False,
        help_text="留空表示不修改（现号码不在此显示）",
    )
    is_active = forms.BooleanField(label="有效", required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("phone"):
            data.pop("phone", None)  # blank means "keep", so the number is never shown here
        return data

    def __init__(self, *args, kind: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for(kind)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
