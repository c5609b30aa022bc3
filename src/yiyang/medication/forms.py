"""Forms of the medication pages: the shape of the input only; the rules live in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import rules
from .models import MedicationOrder

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEPARATORS = re.compile(r"[\s,，、;；]+")


class TimesField(forms.CharField):
    """"08:00, 16:00" → ["08:00", "16:00"]; checked against the frequency by the service."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [part for part in _SEPARATORS.split(text) if part]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, (list, tuple)) else value


class ListFilter(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[
        ("active", "在用（执行中/未开始）"), ("stopped", "已停用（已停止/已到期）"),
        ("all", "全部")])
    q = forms.CharField(label="老人/药品", required=False, max_length=40,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音首字母或药品"}))
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PrescribeForm(forms.Form):
    drug = forms.CharField(label="药品名称", max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": "如：苯磺酸氨氯地平片"}))
    dose = forms.CharField(label="剂量", max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": "如：5 mg 或 1 片"}))
    route = forms.ChoiceField(label="给药途径", choices=MedicationOrder.Route.choices)
    frequency = forms.ChoiceField(label="频次",
                                  choices=[(f.value, f.label) for f in rules.Frequency])
    times = TimesField(label="给药时间", required=False, max_length=80,
                       help_text="24 小时制，多个用逗号隔开，如 08:00, 16:00；"
                                 "不填按常规时间；“必要时”医嘱不填")
    prn_indication = forms.CharField(label="用药指征（必要时医嘱）", required=False, max_length=100,
                                     widget=forms.TextInput(
                                         attrs={"placeholder": "如：血压>160/100 时"}))
    start_on = forms.DateField(label="开始日期", widget=_DATE)
    stop_on = forms.DateField(label="计划停止日期", required=False, widget=_DATE,
                              help_text="长期医嘱可不填；填写的日期当天仍给药")
    source = forms.ChoiceField(label="医嘱来源", choices=MedicationOrder.Source.choices)
    source_ref = forms.CharField(label="来源记录", required=False, max_length=60,
                                 help_text="如巡诊记录号、转诊单号")
    note = forms.CharField(label="备注", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, medical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()
        self.fields["source"].initial = (MedicationOrder.Source.PATROL if medical
                                         else MedicationOrder.Source.CLINIC)


class StopForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(label="停止原因", max_length=200)
    stopped_on = forms.DateField(label="停止日期", required=False, widget=_DATE,
                                 help_text="当天为最后用药日；不填为今天")
    instructed_by = forms.CharField(label="下达停止医嘱的医生", max_length=50, required=False)

    def __init__(self, *args: Any, nurse: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if nurse:
            self.fields["instructed_by"].required = True
        else:
            del self.fields["instructed_by"]
