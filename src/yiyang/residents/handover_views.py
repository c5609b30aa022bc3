"""The handover card as a PDF: one resident, or every resident of a building (seed 000 §四).

Thin: the reading, the scope checks and the audit event are in `handover`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yiyang.core.errors import Forbidden
from yiyang.residents import handover


def _actor(request: HttpRequest):  # type: ignore[no-untyped-def]
    if request.actor is None:
        raise Forbidden("您的账号还没有有效的机构任职")
    return request.actor


def _pdf(export: handover.Export) -> HttpResponse:
    response = HttpResponse(export.pdf, content_type="application/pdf")
    response["Content-Disposition"] = export.content_disposition
    # Personal data: never kept by a shared browser cache or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def handover_card(request: HttpRequest, person_id: int) -> HttpResponse:
    return _pdf(handover.export_person(actor=_actor(request), person_id=person_id))


@require_GET
def building_handover(request: HttpRequest, building_id: int) -> HttpResponse:
    return _pdf(handover.export_building(actor=_actor(request), building_id=building_id))
