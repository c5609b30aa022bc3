"""Forms of the sampling and readiness pages: the shape of the input; rules stay in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import readiness_rules as rr
from .models import StaffDose, SupplyMovement

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].initial = timezone.localdate()


class MarkForm(forms.Form):
    started_on = forms.DateField(label="本土病例出现日期", widget=_DATE)
    note = forms.CharField(label="说明", required=False, max_length=300,
                           widget=forms.TextInput(attrs={"placeholder": "如：县疾控中心通报"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today(self, "started_on")


class EndMarkForm(forms.Form):
    version = VersionField()
    ended_on = forms.DateField(label="解除日期", required=False, widget=_DATE)


class SamplesForm(forms.Form):
    day = forms.DateField(label="采样日期", widget=_DATE)
    subjects = forms.MultipleChoiceField(label="已采样人员", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = choices
        _today(self, "day")


class DoseForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=StaffDose.Kind.choices)
    given_on = forms.DateField(label="接种/登记日期", widget=_DATE)
    product = forms.ChoiceField(label="疫苗类型", required=False,
                                choices=[("", "—")] + list(rr.PRODUCT_LABELS.items()))
    deferred_until = forms.DateField(label="暂缓至", required=False, widget=_DATE)
    reason = forms.CharField(label="禁忌/暂缓原因", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today(self, "given_on")


class PostForm(forms.Form):
    post = forms.CharField(label="岗位", required=False, max_length=40)
    direct_contact = forms.BooleanField(label="直接接触和服务老年人的岗位", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=SupplyMovement.Kind.choices)
    quantity = forms.IntegerField(label="数量", min_value=0)
    on = forms.DateField(label="日期", required=False, widget=_DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class MinimumForm(forms.Form):
    version = VersionField()
    minimum = forms.IntegerField(label="最低储备", min_value=0)


class TeamForm(forms.Form):
    name = forms.CharField(label="队伍名称", max_length=60)
    leader = forms.CharField(label="队长", required=False, max_length=50)
    note = forms.CharField(label="说明", required=False, max_length=300)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    profession = forms.CharField(label="专业", max_length=40,
                                 widget=forms.TextInput(attrs={"placeholder": "如：感染科医师"}))
    employer = forms.CharField(label="工作单位", required=False, max_length=100)
    phone = forms.CharField(label="手机号", required=False, max_length=20)


class TrainingForm(forms.Form):
    trained_on = forms.DateField(label="培训日期", widget=_DATE)
    topic = forms.CharField(label="培训内容", max_length=100)
    trainer = forms.CharField(label="培训单位", required=False, max_length=100)
    attendees = forms.IntegerField(label="参训人数", required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today(self, "trained_on")


class ClosureForm(forms.Form):
    started_on = forms.DateField(label="开始日期", widget=_DATE)
    measures = forms.MultipleChoiceField(label="已落实的封闭管理措施", required=False,
                                         choices=rr.MEASURES,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today(self, "started_on")


class MeasuresForm(forms.Form):
    version = VersionField()
    measures = forms.MultipleChoiceField(label="已落实的封闭管理措施", required=False,
                                         choices=rr.MEASURES,
                                         widget=forms.CheckboxSelectMultiple)


class EndClosureForm(forms.Form):
    version = VersionField()
    ended_on = forms.DateField(label="结束日期", required=False, widget=_DATE)


class ShiftForm(forms.Form):
    membership_id = forms.TypedChoiceField(label="工作人员", coerce=int)
    team = forms.CharField(label="班组", max_length=20, initial="A组")
    start_on = forms.DateField(label="在岗开始", widget=_DATE)
    end_on = forms.DateField(label="在岗结束", widget=_DATE,
                             help_text=f"建议连续在岗不超过 {rr.MAX_ON_DUTY_DAYS} 天，"
                                       f"两班之间休整不少于 {rr.MIN_REST_DAYS} 天")

    def __init__(self, *args: Any, staff: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["membership_id"].choices = staff
