"""Forms of the training and TCM pages: shape only; the rules live in `training_services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import training_rules as tr

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today() -> Any:
    return timezone.localdate()


def _technique_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in tr.TCM_CATALOGUE.values():
        groups.setdefault(item.type_label, []).append((item.code, item.label))
    return list(groups.items())


class _StaffPicker(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, choices=(), **kwargs)


class TrainingForm(forms.Form):
    title = forms.CharField(label="培训名称", max_length=100)
    kind = forms.ChoiceField(label="培训类别", choices=tr.TRAINING_KINDS)
    organiser = forms.CharField(label="主办单位", max_length=100)
    held_on = forms.DateField(label="培训日期", widget=_DATE, initial=_today)
    hours = forms.DecimalField(label="学时", min_value=0.5, max_value=2000, decimal_places=1,
                               initial=2)
    attendee_ids = _StaffPicker(label="参加人员（本机构人员）")
    note = forms.CharField(label="培训内容", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    certificate = forms.FileField(label="证书/签到表", required=False,
                                  help_text="PDF 或 JPG、PNG 图片，不超过 10 MB")

    def __init__(self, *args: Any, staff: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["attendee_ids"].choices = staff  # type: ignore[attr-defined]


class TechniqueForm(forms.Form):
    technique = forms.ChoiceField(label="技术项目", choices=_technique_choices)
    started_on = forms.DateField(label="开展日期", widget=_DATE, initial=_today)
    performer_ids = _StaffPicker(label="操作人员", required=False)
    note = forms.CharField(label="说明（适应证、场所）", max_length=300, required=False)

    def __init__(self, *args: Any, staff: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["performer_ids"].choices = staff  # type: ignore[attr-defined]


class StopTechniqueForm(forms.Form):
    version = VersionField()
    stopped_on = forms.DateField(label="停止日期", widget=_DATE, initial=_today)
