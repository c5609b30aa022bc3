"""The one resident filter, shared by the list page and `/api/v1/residents`."""

from __future__ import annotations

import django_filters as df

from yiyang.residents import queries
from yiyang.residents.models import Person
from yiyang.residents.rules import BAND_LABELS, Category, StayStatus

STATUS_CHOICES = [(s.value, s.label) for s in StayStatus]
CATEGORY_CHOICES = [(c.value, c.label) for c in Category]


class ResidentFilter(df.FilterSet):
    q = df.CharFilter(method="text", label="姓名/拼音/首字母")
    home_id = df.NumberFilter(field_name="stay_home_id", label="养老机构")
    status = df.ChoiceFilter(field_name="stay_status", choices=STATUS_CHOICES, label="状态")
    band = df.ChoiceFilter(field_name="band", choices=list(BAND_LABELS.items()), label="年龄段")
    category = df.ChoiceFilter(field_name="category", choices=CATEGORY_CHOICES, label="分类")

    class Meta:
        model = Person
        fields = []

    def text(self, qs, name, value):  # type: ignore[no-untyped-def]
        return queries.search(qs, value)
