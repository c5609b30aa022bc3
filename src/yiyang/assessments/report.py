"""The assessment report: the page of a finalised record and its PDF (GB/T 42195 Annex C for
ability, the same layout for the clinical scales).  One context feeds both, so the page, the PDF
and the API can never show different results; printing is audited like the handover card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.downloads import content_disposition
from yiyang.core.errors import NotFound
from yiyang.core.masking import hides_personal_data, mask_id_number
from yiyang.core.pdf import html_to_pdf
from yiyang.core.scope import Actor
from yiyang.residents import rules as resident_rules

from . import annex, queries
from .instruments import gbt42195, registry
from .instruments.base import Risk, Scale
from .models import Assessment


def _answer_rows(scale: Scale, answers: dict[str, int]) -> list[dict[str, Any]]:
    rows = []
    for q in scale.questions:
        if q.code not in answers:
            continue
        option = q.option(answers[q.code])
        rows.append({"code": q.code, "text": q.text, "group": q.group, "label": option.label,
                     "points": option.score, "max": q.max_points})
    return rows


def _annex_rows(values: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for fd in annex.FIELDS:
        if fd.key not in values:
            continue
        value = values[fd.key]
        if fd.kind == "multi":
            shown = "、".join(dict(fd.choices).get(v, v) for v in value)
        elif fd.kind == "bool":
            shown = "有" if value else "无"
        elif fd.kind == "choice":
            shown = dict(fd.choices).get(value, str(value))
        else:
            shown = str(value)
        rows.append({"code": fd.code, "label": fd.label, "value": shown, "section": fd.section})
    return rows


def context(record: Assessment, scale: Scale, *, hide_personal: bool = False) -> dict[str, Any]:
    person = record.person
    outcome = record.outcome or {}
    details = outcome.get("details", {})
    ability = scale.code == "gbt42195"
    return {
        "record": record, "scale": scale, "person": person,
        "masked_id": "" if hide_personal else mask_id_number(person.id_number),
        "age": resident_rules.age_on(person.birth_date, record.assessed_on),
        "outcome": outcome,
        "risks": [Risk(r).label for r in outcome.get("risks", [])],
        "answers": _answer_rows(scale, record.answers),
        "ability": ability,
        "dimensions": [
            {"name": d.value, "score": details.get("dimensions", {}).get(d.value),
             "max": d.max_score} for d in gbt42195.Dimension
        ] if ability else [],
        "initial_level": (gbt42195.LEVEL_FULL_NAMES[details["initial_level"]]
                          if ability and "initial_level" in details else ""),
        "clauses": [(c.label, c.value in details.get("clauses", []))
                    for c in gbt42195.ChangeClause] if ability else [],
        "annex": _annex_rows(record.context.get("annex", {})) if ability else [],
        "context_rows": [(cf.label, dict(cf.choices).get(record.context.get(cf.name),
                                                          record.context.get(cf.name, "")))
                         for cf in scale.context_fields if not ability],
    }


@dataclass(frozen=True)
class Export:
    pdf: bytes
    filename: str

    @property
    def disposition(self) -> str:
        return content_disposition(self.filename, inline=True, fallback="assessment.pdf")


def export(*, actor: Actor, assessment_id: int) -> Export:
    record = queries.assessment(actor, assessment_id)
    if not record.is_final:
        raise NotFound("草稿没有评估报告")
    scale = registry.get(record.instrument)
    html = render_to_string("assessments/report_pdf.html", {
        **context(record, scale, hide_personal=hides_personal_data(actor)),
        "generated_at": timezone.localtime()})
    pdf = html_to_pdf(html, what="assessment report")
    # After rendering, in a short transaction of its own (see residents.handover._audited).
    with transaction.atomic(durable=True):
        audit.record(actor, "assessments.report", record, changes={"printed": record.number})
    return Export(pdf=pdf, filename=f"{record.person.name}-{scale.name}-{record.number}.pdf")
