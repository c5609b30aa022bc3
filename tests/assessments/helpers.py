"""Building assessment records for tests through the services (never by hand)."""

from __future__ import annotations

from datetime import date
from typing import Any

from yiyang.assessments import services
from yiyang.assessments.instruments import registry
from yiyang.assessments.models import Assessment
from yiyang.residents.models import OPEN_STATUSES, Stay

# Annex A answers every GB/T 42195 record needs before finalising (C.4 inputs, informant).
ANNEX = {"risk_跌倒": "0", "risk_走失": "0", "risk_噎食": "0", "risk_自杀/自伤": "0",
         "risk_其他": "0", "informant_relation": "本人"}


def top(code: str) -> dict[str, int]:
    """Every required item at the option worth the most points (most able on GB/T 42195 and
    Braden, highest risk on Morse)."""
    return {q.code: max(q.options, key=lambda o: o.score).value
            for q in registry.get(code).questions if q.required}


def bottom(code: str) -> dict[str, int]:
    return {q.code: min(q.options, key=lambda o: o.score).value
            for q in registry.get(code).questions if q.required}


def open_stay(cast, username: str = "nurse_a", *, before: date | None = None) -> Stay:  # type: ignore[no-untyped-def]
    qs = Stay.objects.filter(home=cast.home_of(username), status__in=OPEN_STATUSES,
                             person__assessments__isnull=True)
    if before is not None:
        qs = qs.filter(admitted_on__lt=before)
    return qs.select_related("person").order_by("pk").first()


def finished(cast, stay: Stay, code: str, answers: dict[str, int] | None = None, *,  # type: ignore[no-untyped-def]
             username: str = "nurse_a", second: str = "nurse_a2", on: date | None = None,
             reason: str = "routine", context: dict[str, Any] | None = None) -> Assessment:
    actor = cast.actor(username)
    if context is None:
        context = dict(ANNEX) if code == "gbt42195" else _default_context(code)
    record = services.start(actor=actor, person_id=stay.person_id, instrument=code,
                            reason=reason, assessed_on=on,
                            answers=answers if answers is not None else top(code),
                            context=context)
    return services.finalise(actor=actor, assessment_id=record.pk, version=record.version,
                             second_assessor_id=cast.user(second).pk)


def _default_context(code: str) -> dict[str, Any]:
    scale = registry.get(code)
    return {f.name: f.choices[0][0] for f in scale.context_fields if f.choices}
