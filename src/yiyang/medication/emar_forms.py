"""Forms of the stock, dose and incident pages: the shape of the input only (the services
decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from yiyang.core.forms import VersionField

from .models import MedicationIncident, MedicineStock

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
_DECIMAL = {"max_digits": 10, "decimal_places": 3}


class IntakeForm(forms.Form):
    drug = forms.CharField(label="药品名称", max_length=100,
                           help_text="与医嘱中的药品名称一致，给药时按名称对应库存",
                           widget=forms.TextInput(attrs={"list": "order-drugs"}))
    strength = forms.CharField(label="规格", max_length=40, required=False,
                               widget=forms.TextInput(attrs={"placeholder": "如：5 mg（每片）"}))
    unit = forms.CharField(label="计量单位", max_length=10,
                           widget=forms.TextInput(attrs={"placeholder": "片、粒、支、喷、ml、U"}))
    quantity = forms.DecimalField(label="接收数量", min_value=0, **_DECIMAL)
    batch_number = forms.CharField(label="批号", max_length=40)
    expires_on = forms.DateField(label="有效期至", widget=_DATE)
    storage_location = forms.CharField(label="存放位置", max_length=60,
                                       widget=forms.TextInput(
                                           attrs={"placeholder": "如：护士站药柜 3 号格"}))
    source = forms.ChoiceField(label="来源", choices=MedicineStock.Source.choices)
    handed_over_by = forms.CharField(label="交药人（签名）", max_length=50)
    handed_over_relation = forms.CharField(label="与老人关系", max_length=20, required=False)
    received_at = forms.DateTimeField(label="接收时间", widget=_DT, input_formats=_DT_FORMATS)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0,
                                                                          microsecond=0)


class AdjustForm(forms.Form):
    version = VersionField()
    kind = forms.ChoiceField(label="类型", choices=[
        ("adjust", "盘点调整（填写实点数量）"), ("return", "退还家属"), ("dispose", "销毁")])
    quantity = forms.DecimalField(label="数量", min_value=0, **_DECIMAL)
    reason = forms.CharField(label="原因", max_length=200)


class DoseForm(forms.Form):
    status = forms.ChoiceField(choices=[("given", "已给药"), ("held", "暂缓"),
                                        ("refused", "拒服"), ("missed", "漏给")])
    scheduled_at = forms.DateTimeField(required=False, input_formats=_DT_FORMATS)
    given_at = forms.DateTimeField(required=False, input_formats=_DT_FORMATS)
    quantity = forms.DecimalField(required=False, min_value=0, **_DECIMAL)
    stock_id = forms.IntegerField(required=False)
    reason = forms.CharField(required=False, max_length=200)
    prn_indication_seen = forms.CharField(required=False, max_length=200)
    effect = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, max_length=200)


class EffectForm(forms.Form):
    version = VersionField()
    effect = forms.CharField(label="效果观察", max_length=200)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=MedicationIncident.Kind.choices)
    severity = forms.ChoiceField(label="严重程度", choices=MedicationIncident.Severity.choices)
    occurred_at = forms.DateTimeField(label="发生时间", widget=_DT, input_formats=_DT_FORMATS)
    order_id = forms.TypedChoiceField(label="涉及医嘱", required=False, coerce=int,
                                      empty_value=None)
    administration_id = forms.TypedChoiceField(label="关联给药记录", required=False, coerce=int,
                                               empty_value=None)
    drug = forms.CharField(label="涉及药品", max_length=100, required=False,
                           help_text="给错药时填写实际给的药品")
    description = forms.CharField(label="经过", max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    doctor_informed = forms.BooleanField(label="已报告医生", required=False)
    doctor_name = forms.CharField(label="报告医生", max_length=50, required=False)
    informed_at = forms.DateTimeField(label="报告时间", widget=_DT, required=False,
                                      input_formats=_DT_FORMATS)
    action_taken = forms.CharField(label="处置措施", max_length=500, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label="结果", max_length=300, required=False)
    follow_up = forms.CharField(label="后续跟进", max_length=300, required=False)

    def __init__(self, *args: Any, orders: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 doses: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["order_id"].choices = [("", "—")] + list(orders)
        self.fields["administration_id"].choices = [("", "—")] + list(doses)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0,
                                                                          microsecond=0)


class HandleForm(forms.Form):
    version = VersionField()
    doctor_informed = forms.BooleanField(label="已报告医生", required=False)
    doctor_name = forms.CharField(label="报告医生", max_length=50, required=False)
    informed_at = forms.DateTimeField(label="报告时间", widget=_DT, required=False,
                                      input_formats=_DT_FORMATS)
    action_taken = forms.CharField(label="处置措施", max_length=500, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label="结果", max_length=300, required=False)
    follow_up = forms.CharField(label="后续跟进", max_length=300, required=False)
    close = forms.BooleanField(label="处置完毕，结案", required=False)


class RoundFilter(forms.Form):
    day = forms.DateField(label="日期", required=False, widget=_DATE)
    slot = forms.CharField(label="给药时间", required=False, max_length=5)
