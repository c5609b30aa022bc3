"""Forms of the surveillance and outbreak pages: input shape only; rules live in the services."""

from __future__ import annotations

from django import forms

from .models import IsolationSite, LineListEntry, Placement, TestResult
from .outbreak_services import SYMPTOMS

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubjectForm(forms.Form):
    person_id = forms.TypedChoiceField(label="老年人", required=False, coerce=int,
                                       empty_value=None)
    staff_id = forms.TypedChoiceField(label="或工作人员", required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args, people=(), staff=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = [("", "—")] + [(p.pk, p.name) for p in people]
        self.fields["staff_id"].choices = [("", "—")] + [
            (m.pk, m.user.full_name or m.user.username) for m in staff]


class SymptomCheckForm(SubjectForm):
    temperature = forms.DecimalField(label="体温（℃）", required=False, max_digits=3,
                                     decimal_places=1)
    spo2 = forms.IntegerField(label="血氧饱和度（%）", required=False)
    symptoms = forms.MultipleChoiceField(label="症状", required=False,
                                         choices=list(SYMPTOMS.items()),
                                         widget=forms.CheckboxSelectMultiple)
    persistent_fever = forms.BooleanField(label="持续高热", required=False)
    breathing_difficulty = forms.BooleanField(label="呼吸困难", required=False)
    note = forms.CharField(label="备注", required=False, max_length=300)


class TestForm(SubjectForm):
    kind = forms.ChoiceField(label="检测类别", choices=TestResult.Kind.choices)
    result = forms.ChoiceField(label="结果", choices=TestResult.Result.choices)
    sampled_at = forms.DateTimeField(label="采样时间（空=现在）", required=False, widget=_DT)
    note = forms.CharField(label="备注", required=False, max_length=300)


class ActForm(forms.Form):
    """Every step and side action of the playbook posts here; the service checks what each
    action needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    at = forms.DateTimeField(label="时间（空=现在）", required=False, widget=_DT)
    note = forms.CharField(label="说明", required=False, max_length=500)
    person_id = forms.IntegerField(required=False)
    staff_id = forms.IntegerField(required=False)
    role = forms.ChoiceField(required=False, choices=[("", "—"), *LineListEntry.Role.choices])
    entry_id = forms.IntegerField(required=False)
    where = forms.ChoiceField(required=False, choices=[("", "—"), *Placement.Where.choices])
    site_id = forms.IntegerField(required=False)
    place = forms.CharField(required=False, max_length=100)
    closed_loop = forms.BooleanField(required=False)
    green_channel = forms.BooleanField(required=False)
    joint_mechanism = forms.CharField(required=False, max_length=100)
    mode = forms.CharField(required=False, max_length=10)
    day = forms.DateField(required=False, widget=_DATE)
    new_cases = forms.IntegerField(required=False, min_value=0)
    certificate_no = forms.CharField(required=False, max_length=40)


class ReportActForm(forms.Form):
    action = forms.ChoiceField(choices=[("acknowledge", "签收"), ("forward", "上报上级")])
    version = forms.IntegerField(widget=forms.HiddenInput)
    content = forms.CharField(label="上报内容", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SiteForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=IsolationSite.Kind.choices)
    capacity = forms.IntegerField(label="容量（人）", min_value=1)
    address = forms.CharField(label="地址", required=False, max_length=200)
    contact = forms.CharField(label="联系人/电话", required=False, max_length=60)
    serves = forms.CharField(label="服务区域代码（空=本部门辖区）", required=False,
                             max_length=6)


class ControlForm(forms.Form):
    has_system = forms.BooleanField(label="已建立院感控制体系", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)
