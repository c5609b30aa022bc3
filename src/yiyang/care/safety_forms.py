"""Forms of the pressure-injury, incident and education pages: the shape of the input only;
the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import safety_rules as rules
from .models import EducationSession, Incident, PressureInjury
from .models.safety import OBSERVED_STAGE_CHOICES, STAGE_CHOICES

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_SIZE = {"required": False, "min_value": 0, "max_value": 200, "decimal_places": 1}


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class LesionForm(forms.Form):
    site = forms.ChoiceField(label="部位", choices=PressureInjury.Site.choices)
    site_detail = forms.CharField(label="部位说明", required=False, max_length=60,
                                  help_text="部位选“其他”时必填，如：左侧髂嵴")
    stage = forms.ChoiceField(label="分期（NPIAP 2016）", choices=STAGE_CHOICES,
                              help_text="黏膜压力性损伤不分期；医疗器械相关的按上述分期并勾选下方")
    found_at = forms.DateTimeField(label="发现时间", widget=_MOMENT,
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    present_on_admission = forms.BooleanField(label="入住时已存在（不计入院内新发）",
                                              required=False)
    device_related = forms.BooleanField(label="医疗器械相关", required=False)
    length_cm = forms.DecimalField(label="长（cm）", **_SIZE)
    width_cm = forms.DecimalField(label="宽（cm）", **_SIZE)
    depth_cm = forms.DecimalField(label="深（cm）", **_SIZE)
    note = forms.CharField(label="伤口描述", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_at"].initial = _now()


class ObservationForm(forms.Form):
    version = VersionField()
    stage = forms.ChoiceField(label="分期", choices=OBSERVED_STAGE_CHOICES)
    observed_at = forms.DateTimeField(label="观察时间", required=False, widget=_MOMENT,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    length_cm = forms.DecimalField(label="长（cm）", **_SIZE)
    width_cm = forms.DecimalField(label="宽（cm）", **_SIZE)
    depth_cm = forms.DecimalField(label="深（cm）", **_SIZE)
    wound_bed = forms.CharField(label="创面情况", required=False, max_length=200)
    treatment = forms.CharField(label="处理措施", required=False, max_length=200)
    photo = forms.FileField(label="照片（可选）", required=False,
                            help_text="JPG 或 PNG，不超过 5 MB；保存时去除拍摄位置等附加信息",
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="事件类型", choices=[(k.value, k.label)
                                                    for k in rules.IncidentKind])
    kind_detail = forms.CharField(label="其他类型说明", required=False, max_length=60)
    occurred_at = forms.DateTimeField(label="发生时间", widget=_MOMENT,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="地点", max_length=100)
    description = forms.CharField(label="经过", max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label="损伤程度", choices=Incident.Severity.choices)
    injuries = forms.CharField(label="损伤情况", required=False, max_length=300)
    immediate_action = forms.CharField(label="现场处置", max_length=500,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    hospital_transfer = forms.BooleanField(label="已转送医院", required=False)
    hospital = forms.CharField(label="医院", required=False, max_length=100)
    witnesses = forms.CharField(label="目击者", required=False, max_length=200)
    family_informed = forms.BooleanField(label="已通知家属", required=False)
    follow_up = forms.CharField(label="后续跟进", required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = _now()


class IncidentFollowUpForm(forms.Form):
    version = VersionField()
    follow_up = forms.CharField(label="后续跟进", max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    closed = forms.BooleanField(label="结案", required=False)


class EducationForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=EducationSession.Kind.choices)
    topic = forms.CharField(label="主题", max_length=100)
    held_on = forms.DateField(label="日期", widget=_DATE)
    speaker = forms.CharField(label="主讲人", max_length=100)
    audience = forms.MultipleChoiceField(label="对象", choices=EducationSession.Audience.choices,
                                         widget=forms.CheckboxSelectMultiple)
    attendee_ids = forms.MultipleChoiceField(label="参加的老年人", required=False,
                                             widget=forms.CheckboxSelectMultiple)
    other_count = forms.IntegerField(label="其他参加人数（家属、社区居民等）", min_value=0,
                                     max_value=1000, initial=0)
    materials = forms.CharField(label="资料", required=False, max_length=300,
                                help_text="讲义、课件、照片等的存放说明")

    def __init__(self, *args: Any, residents: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["attendee_ids"].choices = [(str(pk), name) for pk, name in residents]

    def clean_attendee_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("attendee_ids") or []]
