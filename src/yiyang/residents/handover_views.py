"""The handover card as a PDF: one resident, or every resident of a building (seed 000 §四).

Thin: the reading, the scope checks and the audit event are in `handover`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yiyang.orgs.middleware import actor_of
from yiyang.residents import handover


def _pdf(export: handover.Export) -> HttpResponse:
    response = HttpResponse(export.pdf, content_type="application/pdf")
    response["Content-Disposition"] = export.content_disposition
    # Personal data: never kept by a shared browser cache or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def handover_card(request: HttpRequest, person_id: int) -> HttpResponse:
    return _pdf(handover.export_person(actor=actor_of(request), person_id=person_id))


@require_GET
def building_handover(request: HttpRequest, building_id: int) -> HttpResponse:
    return _pdf(handover.export_building(actor=actor_of(request), building_id=building_id))
