"""Forms of the agreement pages: shape only; the rules live in `rules`/`services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from . import catalogue
from .models import FeeEntry
from .rules import MAX_PATROL_INTERVAL_DAYS, AgreementAction, ReferralAction, ReferralKind

_DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.Form):
    counterpart_id = forms.TypedChoiceField(label="签约对方", coerce=int, choices=())
    items = forms.TypedMultipleChoiceField(
        label="服务项目", coerce=int, widget=forms.CheckboxSelectMultiple,
        choices=[(i.number, f"{i.number}. {i.category}") for i in catalogue.CATALOGUE])
    modes = forms.MultipleChoiceField(
        label="合作方式", widget=forms.CheckboxSelectMultiple,
        choices=[(m.value, m.label) for m in catalogue.CooperationMode])
    start_on = forms.DateField(label="合作起始日期", widget=_DATE)
    end_on = forms.DateField(label="合作截止日期", widget=_DATE)
    home_duties = forms.CharField(label="养老服务机构责任", max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    medical_duties = forms.CharField(label="医疗卫生机构责任", max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    fee = forms.DecimalField(label="合作经费（元/年）", min_value=0, max_digits=12,
                             decimal_places=2, initial=0, help_text="无偿合作请填 0")
    fee_factors = forms.MultipleChoiceField(
        label="经费确定因素", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(f.value, f.label) for f in catalogue.FeeFactor])
    patrol_interval_days = forms.IntegerField(
        label="巡诊周期（天）", required=False, min_value=1, max_value=MAX_PATROL_INTERVAL_DAYS,
        help_text="合作方式包含巡诊时必填")

    def __init__(self, *args: Any, counterparties: list[tuple[int, str]], counterpart_label: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["counterpart_id"]
        field.choices = [("", "请选择")] + counterparties  # type: ignore[attr-defined]
        field.label = counterpart_label


class ActForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.label) for a in AgreementAction])
    version = VersionField()
    reason = forms.CharField(label="原因/说明", required=False, max_length=300)
    document = forms.FileField(label="签字盖章的协议文本", required=False)


class FeeForm(forms.Form):
    kind = forms.ChoiceField(label="收支", choices=FeeEntry.Kind.choices)
    entry_on = forms.DateField(label="日期", widget=_DATE)
    amount = forms.DecimalField(label="金额（元）", min_value=Decimal("0.01"), max_digits=12,
                                decimal_places=2)
    note = forms.CharField(label="摘要", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry_on"].initial = timezone.localdate()


class ReferralForm(forms.Form):
    person_id = forms.TypedChoiceField(label="老人", coerce=int, choices=())
    kind = forms.ChoiceField(label="类型", choices=[(k.value, k.label) for k in ReferralKind])
    reason = forms.CharField(label="转诊原因", max_length=300)

    def __init__(self, *args: Any, residents: list[tuple[int, str]], kinds: list[ReferralKind],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = [("", "请选择")] + residents  # type: ignore[attr-defined]
        if kinds:
            self.fields["kind"].choices = [(k.value, k.label) for k in kinds]  # type: ignore[attr-defined]


class ReferralActForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.label) for a in ReferralAction])
    version = VersionField()
    reason = forms.CharField(required=False, max_length=300)
    summary = forms.CharField(required=False, max_length=4000)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务", choices=())
    delivered_on = forms.DateField(label="日期", widget=_DATE)
    topic = forms.CharField(label="内容", max_length=300)
    people = forms.IntegerField(label="服务人数", min_value=0, initial=0)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["delivered_on"].initial = timezone.localdate()


class PatrolForm(forms.Form):
    visited_on = forms.DateField(label="巡诊日期", widget=_DATE)
    team = forms.CharField(label="巡诊团队（医生、护士）", max_length=300)
    residents_seen = forms.IntegerField(label="诊视老人数", min_value=0, initial=0)
    findings = forms.CharField(label="发现的问题", required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    orders = forms.CharField(label="医嘱/处理意见", required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
