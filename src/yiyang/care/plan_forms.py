"""Forms of the care pages: the shape of the input only; the rules live in the services.

The plan editor posts its problems and interventions as numbered fields (`p-1-problem`,
`p-1-i-2-text` …); `parse_problems` turns them back into the list the service validates.  A row
whose text is empty, or that is ticked for removal, is left out.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict

from yiyang.core.forms import VersionField

from . import plan_rules as rules

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_PROBLEM = re.compile(r"^p-(\d+)-problem$")
_ITEM = re.compile(r"^p-(\d+)-i-(\d+)-text$")

FREQUENCY_CHOICES = [(f.value, f.label) for f in rules.Frequency]
WEEKDAY_CHOICES = list(enumerate(rules.WEEKDAYS))


class PlanHeaderForm(forms.Form):
    version = VersionField()
    nursing_level = forms.ChoiceField(
        label="护理等级", required=False,
        choices=[("", "未定")] + [(k.value, v) for k, v in rules.NURSING_LEVEL_LABELS.items()])
    review_on = forms.DateField(label="复评日期", widget=_DATE)
    note = forms.CharField(label="备注", required=False, max_length=300)


def parse_problems(post: QueryDict) -> list[dict[str, Any]]:
    problems = []
    numbers = sorted(int(m.group(1)) for k in post if (m := _PROBLEM.match(k)))
    for n in numbers:
        prefix = f"p-{n}-"
        if post.get(prefix + "delete") or not (post.get(prefix + "problem") or "").strip():
            continue
        items = []
        item_numbers = sorted(int(m.group(2)) for k in post
                              if (m := _ITEM.match(k)) and int(m.group(1)) == n)
        for i in item_numbers:
            ip = f"{prefix}i-{i}-"
            if post.get(ip + "delete") or not (post.get(ip + "text") or "").strip():
                continue
            weekday = post.get(ip + "weekday")
            items.append({
                "key": post.get(ip + "key", ""), "text": post.get(ip + "text", ""),
                "frequency": post.get(ip + "frequency", ""),
                "times": [t for t in _SEPARATORS.split(post.get(ip + "times", "")) if t],
                "weekday": int(weekday) if weekday and weekday.isdigit() else None,
            })
        problems.append({"code": post.get(prefix + "code", "custom"),
                         "problem": post.get(prefix + "problem", ""),
                         "goal": post.get(prefix + "goal", ""),
                         "basis": post.get(prefix + "basis", ""),
                         "source": post.get(prefix + "source", ""),
                         "interventions": items})
    return problems


def editor_rows(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems as the editor shows them: numbered, one blank intervention under each and
    one blank problem at the end."""
    blank_item = {"key": "", "text": "", "frequency": "each_shift", "times": [], "weekday": None}
    rows = []
    for n, p in enumerate([*problems, {"code": "custom", "problem": "", "goal": "",
                                       "basis": "", "source": "", "interventions": []}], 1):
        items = [{**i, "n": m, "times_text": "、".join(i.get("times") or [])}
                 for m, i in enumerate([*p.get("interventions", []), blank_item], 1)]
        rows.append({**p, "n": n, "items": items, "blank": not p.get("problem")})
    return rows


class RecordTaskForm(forms.Form):
    version = VersionField()
    done = forms.TypedChoiceField(choices=[("1", "完成"), ("0", "未完成")],
                                  coerce=lambda v: v == "1")
    reason = forms.CharField(required=False, max_length=200)


class VitalsForm(forms.Form):
    systolic = forms.IntegerField(label="收缩压", required=False)
    diastolic = forms.IntegerField(label="舒张压", required=False)
    pulse = forms.IntegerField(label="脉搏", required=False)
    temperature = forms.DecimalField(label="体温", required=False, max_digits=4,
                                     decimal_places=1)
    spo2 = forms.IntegerField(label="血氧", required=False)
    glucose = forms.DecimalField(label="血糖", required=False, max_digits=4, decimal_places=1)
    weight = forms.DecimalField(label="体重", required=False, max_digits=5, decimal_places=1)
    note = forms.CharField(label="备注", required=False, max_length=200)


class NoteForm(forms.Form):
    text = forms.CharField(label="护理记录", max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    for_handover = forms.BooleanField(label="需交班", required=False)


class HandoverForm(forms.Form):
    summary = forms.CharField(label="交班说明", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


RANGE_FIELDS = [f for f in rules.VITAL_FIELDS if f.name != "weight"]


def parse_ranges(post: QueryDict) -> dict[str, list[str | None]]:
    return {f.name: [post.get(f"{f.name}-low") or None, post.get(f"{f.name}-high") or None]
            for f in RANGE_FIELDS}
