"""Shapes of the resident pages' forms; the rules live in `services`."""

from __future__ import annotations

from django import forms

from yiyang.core.forms import VersionField
from yiyang.residents.models import Condition, Contact, HealthProfile, Person, Vaccination
from yiyang.residents.vaccines import PRIMARY_SERIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class AdmitForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    document_type = forms.ChoiceField(label="证件类型", choices=Person.Document.choices)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False,
                                help_text="居民身份证号码决定出生日期和性别")
    sex = forms.ChoiceField(label="性别（无身份证时填写）", required=False,
                            choices=[("", "—"), *Person.Sex.choices])
    birth_date = forms.DateField(label="出生日期（无身份证时填写）", required=False, widget=DATE)
    phone = forms.CharField(label="本人电话", max_length=20, required=False)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    address = forms.CharField(label="户籍/常住地址", max_length=200, required=False)
    bed_id = forms.TypedChoiceField(label="床位", coerce=int)
    admitted_on = forms.DateField(label="入住日期", widget=DATE)

    def __init__(self, *args, beds=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["bed_id"].choices = [(b.pk, str(b)) for b in beds]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        for optional in ("sex", "birth_date"):
            if not data.get(optional):
                data.pop(optional, None)
        return data


class PersonForm(forms.Form):
    version = VersionField()
    name = forms.CharField(label="姓名", max_length=50)
    document_type = forms.ChoiceField(label="证件类型", choices=Person.Document.choices)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    ethnicity = forms.CharField(label="民族", max_length=20)
    address = forms.CharField(label="户籍/常住地址", max_length=200, required=False)
    phone = forms.CharField(label="新电话", max_length=20, required=False,
                            help_text="留空表示不修改")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        for keep in ("phone", "id_number"):
            if not data.get(keep):
                data.pop(keep, None)  # blank means keep: full numbers are never put in a form
        return data


class StayChangeForm(forms.Form):
    version = VersionField()
    event = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", required=False, widget=DATE)
    bed_id = forms.IntegerField(label="新床位", required=False)  # the service checks it is free
    destination = forms.CharField(label="去向/医院", max_length=100, required=False)
    certificate_no = forms.CharField(label="死亡医学证明编号", max_length=40, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)


class ProfileForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = HealthProfile
        fields = ["allergies", "diet", "disability_level", "disability_certificate_no",
                  "disability_certificate_kind", "designated_hospital", "family_doctor",
                  "care_needs", "service_items", "service_cautions", "current_medicines"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("care_needs", "service_items", "service_cautions", "current_medicines")}


class ConditionForm(forms.Form):
    code = forms.ChoiceField(label="疾病", choices=Condition.Code.choices)
    other_name = forms.CharField(label="其他疾病名称", max_length=60, required=False)
    status = forms.ChoiceField(label="控制情况", choices=Condition.Status.choices)
    judged_on = forms.DateField(label="评估日期", widget=DATE)
    judged_by = forms.CharField(label="评估医生", max_length=50)


class VaccinationForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Vaccination.Kind.choices)
    product = forms.ChoiceField(label="疫苗产品", required=False,
                                choices=[("", "—"), *[(p, p) for p in PRIMARY_SERIES]])
    dose_number = forms.IntegerField(label="剂次", min_value=1, max_value=6, required=False)
    given_on = forms.DateField(label="日期", widget=DATE)
    site = forms.CharField(label="接种单位", max_length=100, required=False)
    reason = forms.CharField(label="禁忌/暂缓原因", max_length=200, required=False)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Contact.Kind.choices)
    name = forms.CharField(label="姓名", max_length=50)
    relation = forms.CharField(label="关系", max_length=20, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False)


class PhotoForm(forms.Form):
    version = VersionField()
    file = forms.FileField(label="照片", help_text="JPG 或 PNG，不超过 5 MB；平板可直接拍照",
                           widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))
