"""Forms of the compliance pages: shape only; the rules live in `rules`/`services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import obligations
from .models import ClinicFiling, Hazard
from .rules import FilingAction, HazardAction, RectificationAction

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_EVIDENCE_HELP = "PDF 或 JPG、PNG 图片，不超过 10 MB"


def _today() -> Any:
    return timezone.localdate()


class RecordForm(forms.Form):
    obligation = forms.ChoiceField(label="义务", choices=())
    done_on = forms.DateField(label="开展日期", widget=_DATE, initial=_today)
    participants = forms.IntegerField(label="参加人数", min_value=0, max_value=100000,
                                      required=False, initial=0)
    participant_note = forms.CharField(label="参加人员/部门", max_length=300, required=False)
    summary = forms.CharField(label="情况记录", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="佐证材料（签到表、照片）", required=False,
                               help_text=_EVIDENCE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = [  # type: ignore[attr-defined]
            (o.code, o.title) for o in obligations.recordable()]


class HazardForm(forms.Form):
    found_on = forms.DateField(label="发现日期", widget=_DATE, initial=_today)
    place = forms.CharField(label="部位/场所", max_length=100)
    description = forms.CharField(label="隐患描述", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label="隐患等级", choices=Hazard.Level.choices)
    deadline = forms.DateField(label="整改期限", widget=_DATE)


class HazardActForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=[(a.value, a.label) for a in HazardAction])
    version = VersionField()
    done_on = forms.DateField(label="日期", widget=_DATE, required=False, initial=_today)
    note = forms.CharField(label="整改措施/说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="整改佐证", required=False, help_text=_EVIDENCE_HELP)


class InspectorForm(forms.Form):
    membership_id = forms.TypedChoiceField(label="本部门人员", coerce=int, required=False,
                                           empty_value=None, choices=())
    name = forms.CharField(label="或填写姓名", max_length=50, required=False)
    title = forms.CharField(label="职务/执法证号", max_length=60, required=False)

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership_id"].choices = [("", "—")] + staff  # type: ignore[attr-defined]


class DrawForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    count = forms.IntegerField(label="抽查数量", min_value=1, required=False)
    percent = forms.DecimalField(label="或抽查比例（%）", min_value=0, max_value=100,
                                 decimal_places=2, required=False)
    per_inspection = forms.IntegerField(label="每组检查人员", min_value=1, max_value=10,
                                        initial=2)
    seed = forms.IntegerField(label="随机种子（留空自动生成）", min_value=0, required=False)


class ConcludeForm(forms.Form):
    version = VersionField()
    inspected_on = forms.DateField(label="检查日期", widget=_DATE, initial=_today)
    outcome = forms.CharField(label="检查结果（向社会公开，不含个人信息）", max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    description = forms.CharField(label="发现的问题", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    requirement = forms.CharField(label="整改要求", max_length=300, required=False)
    deadline = forms.DateField(label="整改期限", widget=_DATE)


class FindingActForm(forms.Form):
    action = forms.ChoiceField(label="操作",
                               choices=[(a.value, a.label) for a in RectificationAction])
    version = VersionField()
    note = forms.CharField(label="整改情况/意见", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label="整改完成日期", widget=_DATE, required=False)
    deadline = forms.DateField(label="新的整改期限", widget=_DATE, required=False)
    evidence = forms.FileField(label="整改佐证", required=False, help_text=_EVIDENCE_HELP)


class FilingForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ClinicFiling.Kind.choices)
    name = forms.CharField(label="名称", max_length=100)
    record_number = forms.CharField(label="执业许可/备案编号", max_length=50, required=False)
    head = forms.CharField(label="负责人", max_length=50)
    doctors = forms.IntegerField(label="医师数", min_value=0, max_value=500, initial=0)
    nurses = forms.IntegerField(label="护士数", min_value=0, max_value=500, initial=0)
    other_staff = forms.IntegerField(label="其他卫生技术人员数", min_value=0, max_value=500,
                                     initial=0)
    services = forms.CharField(label="服务项目", max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    filed_on = forms.DateField(label="备案日期", widget=_DATE, initial=_today)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(label="审核", choices=[(a.value, a.label) for a in FilingAction])
    version = VersionField()
    reason = forms.CharField(label="审核意见/退回理由", max_length=300, required=False)
