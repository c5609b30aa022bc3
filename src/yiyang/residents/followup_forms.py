"""Shapes of the follow-up forms; the rules live in `followup_services`."""

from __future__ import annotations

from django import forms

from yiyang.residents.followup_rules import MAX_INTERVAL_DAYS
from yiyang.residents.models import FollowUpRecord
from yiyang.residents.rules import Category

# <input type=date> takes ISO dates only; zh-hans would render 2026/01/02 (an empty box).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CATEGORY_CHOICES = [(c.value, c.label) for c in Category]


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label="随访日期", widget=DATE)
    done_time = forms.TimeField(label="时间", required=False, widget=TIME)
    method = forms.ChoiceField(label="方式", choices=FollowUpRecord.Method.choices,
                               widget=forms.RadioSelect)
    spo2 = forms.IntegerField(label="血氧饱和度（%）", required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                              help_text="指夹式血氧仪读数；低于 93% 应及时转诊")
    temperature = forms.DecimalField(label="体温（℃）", required=False, max_digits=3,
                                     decimal_places=1,
                                     widget=forms.NumberInput(attrs={"step": "0.1",
                                                                     "inputmode": "decimal"}))
    antigen = forms.ChoiceField(label="抗原检测", required=False,
                                choices=FollowUpRecord.Antigen.choices)
    findings = forms.CharField(label="随访情况", max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="症状、精神、饮食睡眠、用药情况等")
    next_action = forms.CharField(label="处理/下一步", max_length=300, required=False)


class FollowUpFilterForm(forms.Form):
    category = forms.ChoiceField(label="分类", required=False,
                                 choices=[("", "全部"), *CATEGORY_CHOICES])
    overdue = forms.BooleanField(label="只看逾期", required=False)


class FollowUpPolicyForm(forms.Form):
    """One category's interval. `mode` becomes the service's `use_default`/`interval_days`."""

    MODES = [("default", "使用默认"), ("days", "自定义间隔"), ("none", "不随访")]

    category = forms.ChoiceField(choices=CATEGORY_CHOICES, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    mode = forms.ChoiceField(label="方式", choices=MODES, widget=forms.RadioSelect)
    interval_days = forms.IntegerField(label="间隔天数", required=False, min_value=1,
                                       max_value=MAX_INTERVAL_DAYS)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        mode = data.pop("mode", None)
        if mode == "days" and not data.get("interval_days"):
            self.add_error("interval_days", "请填写间隔天数")
        if mode != "days":
            data["interval_days"] = None
        data["use_default"] = mode == "default"
        return data
