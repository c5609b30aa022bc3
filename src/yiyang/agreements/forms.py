"""Forms of the agreement pages: shape only; the rules live in `rules`/`services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField
from yiyang.medication.forms import PrescribeForm

from . import catalogue
from . import family_bed_rules as bed_rules
from .models import FeeEntry
from .rules import MAX_PATROL_INTERVAL_DAYS, AgreementAction, ReferralAction, ReferralKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    doctors = forms.CharField(label="巡诊医生", max_length=200)
    nurses = forms.CharField(label="巡诊护士", max_length=200, required=False)
    person_ids = forms.TypedMultipleChoiceField(
        label="诊视老人", coerce=int, required=False, choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))
    findings = forms.CharField(label="发现的问题", required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    orders = forms.CharField(label="处理意见", required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="用药医嘱请在巡诊记录页逐条开具，进入养老机构的用药医嘱")
    follow_up = forms.CharField(label="随访安排", required=False, max_length=300)
    follow_up_on = forms.DateField(label="下次随访日期", required=False, widget=_DATE)

    def __init__(self, *args: Any, residents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["person_ids"].choices = residents  # type: ignore[attr-defined]


class FamilyBedForm(forms.Form):
    person_id = forms.TypedChoiceField(label="老人", coerce=int, choices=())
    diagnosis = forms.CharField(label="明确诊断", max_length=200)
    criteria = forms.MultipleChoiceField(
        label="建床条件（逐项确认）", widget=forms.CheckboxSelectMultiple,
        choices=[(c.code, c.label) for c in bed_rules.CRITERIA])
    responsible_doctor = forms.CharField(label="责任医生", max_length=100)
    care_plan = forms.CharField(label="诊疗护理计划", required=False, max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    round_interval_days = forms.IntegerField(
        label="查床周期（天）", min_value=1, max_value=bed_rules.MAX_ROUND_INTERVAL_DAYS,
        initial=bed_rules.DEFAULT_ROUND_INTERVAL_DAYS)
    opened_on = forms.DateField(label="建床日期", widget=_DATE)

    def __init__(self, *args: Any, residents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = [("", "请选择")] + residents  # type: ignore[attr-defined]
        self.fields["opened_on"].initial = timezone.localdate()


class BedRoundForm(forms.Form):
    done_on = forms.DateField(label="查床日期", widget=_DATE)
    findings = forms.CharField(label="病情记录", max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    orders = forms.CharField(label="处理/医嘱", required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class BedCloseForm(forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(label="撤床结局",
                                choices=[(o.value, o.label) for o in bed_rules.BedOutcome])
    reason = forms.CharField(label="撤床说明", required=False, max_length=300)
    closed_on = forms.DateField(label="撤床日期", widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class PatrolOrderForm(PrescribeForm):
    """A drug order given on a patrol visit: the medication prescribe form, for one of the
    residents the visit saw; its source is the visit (set by the service)."""

    person_id = forms.TypedChoiceField(label="老人", coerce=int, choices=())
    field_order = ["person_id"]

    def __init__(self, *args: Any, residents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, medical=True, **kwargs)
        del self.fields["source"], self.fields["source_ref"]
        self.fields["person_id"].choices = [("", "请选择")] + residents  # type: ignore[attr-defined]
        self.order_fields(["person_id"])
