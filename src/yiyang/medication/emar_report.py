"""The monthly medication administration record (MAR) of one resident as a PDF (WeasyPrint via
`core.pdf`, Noto CJK, A4 landscape, no network), audited once per print."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.downloads import content_disposition
from yiyang.core.pdf import html_to_pdf
from yiyang.core.scope import Actor
from yiyang.residents import queries as resident_queries

from . import emar_queries
from . import queries as order_queries


@dataclass(frozen=True)
class Export:
    pdf: bytes
    filename: str

    @property
    def disposition(self) -> str:
        return content_disposition(self.filename, inline=True, fallback="mar.pdf")


def month_of(text: str | None) -> tuple[int, int]:
    """"2026-03" → (2026, 3); anything else → this month."""
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def context(actor: Actor, person_id: int, year: int, month: int) -> dict:
    person = resident_queries.resident(actor, person_id)
    grid = emar_queries.mar(actor, person_id=person.pk, year=year, month=month)
    return {"person": person, "stay": order_queries.open_stay(actor, person.pk), **grid}


def export(*, actor: Actor, person_id: int, year: int, month: int) -> Export:
    data = context(actor, person_id, year, month)
    person = data["person"]
    html = render_to_string("medication/mar_pdf.html",
                            {**data, "generated_at": timezone.localtime()})
    pdf = html_to_pdf(html, what="medication administration record")
    with transaction.atomic(durable=True):
        audit.record(actor, "medication.mar.print", person,
                     changes={"month": f"{year}-{month:02d}"},
                     object_org_id=data["stay"].home_id if data["stay"] else None)
    return Export(pdf=pdf, filename=f"{person.name}-给药记录-{year}-{month:02d}.pdf")
