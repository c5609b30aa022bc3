"""Forms of the assessment pages; the tablet questionnaire itself is rendered from the
instrument's data (see views.fill) rather than a Django form class."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from .bundle_rules import SERVICE_NEEDS
from .instruments import registry
from .models import Assessment, Reason
from .schedule_rules import TRIGGER_LABELS, TriggerKind

_REPORTABLE = [(k.value, TRIGGER_LABELS[k]) for k in TriggerKind
               if k not in (TriggerKind.HOSPITAL_RETURN, TriggerKind.LEVEL_CHANGE)]


class StartForm(forms.Form):
    instrument = forms.ChoiceField(label="评估量表", choices=())
    reason = forms.ChoiceField(label="评估原因", choices=Reason.choices, initial=Reason.ROUTINE)
    assessed_on = forms.DateField(label="评估日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason_note = forms.CharField(label="原因说明", required=False, max_length=300,
                                  help_text="选择“其他”时必填")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = registry.choices()
        self.fields["assessed_on"].initial = timezone.localdate()


class FinaliseForm(forms.Form):
    version = VersionField()
    second_assessor_id = forms.TypedChoiceField(label="第二评估员", coerce=int, required=False,
                                                empty_value=None, choices=())
    informant_name = forms.CharField(label="信息提供者", required=False, max_length=50)

    def __init__(self, *args: Any, assessors: list[tuple[int, str]] | None = None,
                 two_assessors: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if two_assessors:
            self.fields["second_assessor_id"].choices = [("", "请选择")] + list(assessors or [])
        else:
            del self.fields["second_assessor_id"]


class CorrectForm(forms.Form):
    note = forms.CharField(label="更正原因", max_length=200)


class TriggerForm(forms.Form):
    kind = forms.ChoiceField(label="情况", choices=_REPORTABLE,
                             widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="发生日期",
                                  widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class AdmissionForm(forms.Form):
    version = VersionField(required=False)
    health_status = forms.CharField(label="健康状况", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    service_needs = forms.MultipleChoiceField(label="服务需求", required=False,
                                              choices=SERVICE_NEEDS,
                                              widget=forms.CheckboxSelectMultiple)
    needs_note = forms.CharField(label="其他需求", required=False, max_length=300)


class ListFilter(forms.Form):
    instrument = forms.ChoiceField(label="量表", required=False, choices=())
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *Assessment.Status.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "全部"), *registry.choices()]


class DueFilter(forms.Form):
    q = forms.CharField(label="姓名/拼音/首字母", required=False, max_length=40)
    instrument = forms.ChoiceField(label="量表", required=False, choices=())
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "全部"), *registry.choices()]
